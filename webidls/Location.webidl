// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-location-interface

// There is no navigation yet: the setters (and assign/replace/reload) would navigate, so
// the attributes are readonly here until navigation exists.
[Exposed=Window]
interface Location {
  // TODO(issue 4): [LegacyUnforgeable] stringifier attribute USVString href;
  [LegacyUnforgeable] stringifier readonly attribute USVString href;
  [LegacyUnforgeable] readonly attribute USVString origin;
  // TODO(issue 4): the following are `attribute` (their setters navigate).
  [LegacyUnforgeable] readonly attribute USVString protocol;
  [LegacyUnforgeable] readonly attribute USVString host;
  [LegacyUnforgeable] readonly attribute USVString hostname;
  [LegacyUnforgeable] readonly attribute USVString port;
  [LegacyUnforgeable] readonly attribute USVString pathname;
  [LegacyUnforgeable] readonly attribute USVString search;
  [LegacyUnforgeable] readonly attribute USVString hash;

  // TODO(issue 4): [LegacyUnforgeable] undefined assign(USVString url);
  // TODO(issue 4): [LegacyUnforgeable] undefined replace(USVString url);
  // TODO(issue 4): [LegacyUnforgeable] undefined reload();

  // TODO(issue 4): [LegacyUnforgeable, SameObject] readonly attribute DOMStringList ancestorOrigins;
};
