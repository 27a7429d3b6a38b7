// https://html.spec.whatwg.org/multipage/semantics.html (link, style, base)
// [Reflect*] extended attributes: see webidl_codegen's emit/interface/reflect.rs.

[Exposed=Window]
interface HTMLLinkElement : HTMLElement {
  [CEReactions, ReflectURL] attribute USVString href;
  [CEReactions, Reflect="crossorigin", ReflectOnly=("anonymous", "use-credentials"), ReflectInvalid="anonymous", ReflectEmpty="anonymous"] attribute DOMString? crossOrigin;
  [CEReactions, Reflect] attribute DOMString rel;
  [CEReactions, Reflect, ReflectOnly=("fetch", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe", "image", "json", "manifest", "object", "paintworklet", "report", "script", "serviceworker", "sharedworker", "style", "track", "video", "webidentity", "worker", "xslt"), ReflectMissing="", ReflectInvalid=""] attribute DOMString as;
  [SameObject, PutForwards=value, Reflect="rel"] readonly attribute DOMTokenList relList;
  [CEReactions, Reflect] attribute DOMString media;
  [CEReactions, Reflect] attribute DOMString integrity;
  [CEReactions, Reflect] attribute DOMString hreflang;
  [CEReactions, Reflect] attribute DOMString type;
  [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList sizes;
  [CEReactions, Reflect="imagesrcset"] attribute USVString imageSrcset;
  [CEReactions, Reflect="imagesizes"] attribute DOMString imageSizes;
  [CEReactions, Reflect="referrerpolicy", ReflectOnly=("", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"), ReflectMissing="", ReflectInvalid=""] attribute DOMString referrerPolicy;
  [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList blocking;
  [CEReactions, Reflect] attribute boolean disabled;
  [CEReactions, Reflect="fetchpriority", ReflectOnly=("high", "low", "auto"), ReflectMissing="auto", ReflectInvalid="auto"] attribute DOMString fetchPriority;
  // TODO(style sheets): HTMLLinkElement includes LinkStyle;
};

partial interface HTMLLinkElement {
  [CEReactions, Reflect] attribute DOMString charset;
  [CEReactions, Reflect] attribute DOMString rev;
  [CEReactions, Reflect] attribute DOMString target;
};

[Exposed=Window]
interface HTMLStyleElement : HTMLElement {
  attribute boolean disabled;
  [CEReactions, Reflect] attribute DOMString media;
  [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList blocking;
  // TODO(style sheets): HTMLStyleElement includes LinkStyle;
};

partial interface HTMLStyleElement {
  [CEReactions, Reflect] attribute DOMString type;
};

[Exposed=Window]
interface HTMLBaseElement : HTMLElement {
  [CEReactions, ReflectSetter] attribute USVString href;
  [CEReactions, Reflect] attribute DOMString target;
};
