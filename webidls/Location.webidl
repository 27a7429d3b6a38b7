// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-location-interface

// There is no navigation yet: the setters (and assign/replace/reload) would navigate, so
// the attributes are readonly here until navigation exists.
[Exposed=Window]
interface Location {
  // TODO(Location setters): [LegacyUnforgeable] stringifier attribute USVString href;
  [LegacyUnforgeable] stringifier readonly attribute USVString href;
  [LegacyUnforgeable] readonly attribute USVString origin;
  // TODO(Location setters): the following are `attribute` (their setters navigate).
  [LegacyUnforgeable] readonly attribute USVString protocol;
  [LegacyUnforgeable] readonly attribute USVString host;
  [LegacyUnforgeable] readonly attribute USVString hostname;
  [LegacyUnforgeable] readonly attribute USVString port;
  [LegacyUnforgeable] readonly attribute USVString pathname;
  [LegacyUnforgeable] readonly attribute USVString search;
  [LegacyUnforgeable] readonly attribute USVString hash;

  // TODO(navigation): [LegacyUnforgeable] undefined assign(USVString url);
  // TODO(navigation): [LegacyUnforgeable] undefined replace(USVString url);
  // TODO(navigation): [LegacyUnforgeable] undefined reload();

  // TODO(ancestorOrigins): [LegacyUnforgeable, SameObject] readonly attribute DOMStringList ancestorOrigins;
};
