// https://html.spec.whatwg.org/multipage/dom.html#htmlelement
// [HTMLConstructor] is not supported by the generator (there are no custom elements), so
// these interfaces have no constructor: `new HTMLElement()` is a TypeError, as it is in a
// browser for an element that is not a defined custom element.

[Exposed=Window]
interface HTMLElement : Element {
  // metadata attributes
  [CEReactions, Reflect] attribute DOMString title;
  [CEReactions, Reflect] attribute DOMString lang;
  [CEReactions] attribute boolean translate;
  [CEReactions, Reflect, ReflectOnly=("ltr", "rtl", "auto")] attribute DOMString dir;

  // user interaction
  // TODO(hidden=until-found): the spec's type is (boolean or unrestricted double or
  // DOMString)? for the "until-found" state; a boolean until find-in-page exists.
  [CEReactions, Reflect] attribute boolean hidden;
  [CEReactions, Reflect] attribute boolean inert;
  undefined click();
  [CEReactions, Reflect] attribute DOMString accessKey;
  readonly attribute DOMString accessKeyLabel;
  [CEReactions] attribute boolean draggable;
  [CEReactions] attribute boolean spellcheck;
  [CEReactions] attribute DOMString autocapitalize;

  [CEReactions] attribute [LegacyNullToEmptyString] DOMString innerText;
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString outerText;

  // TODO(custom elements): ElementInternals attachInternals();

  // The popover API (the attribute only: there is no top layer to show a popover in).
  [CEReactions, Reflect, ReflectOnly=("auto", "manual", "hint"), ReflectEmpty="auto", ReflectInvalid="manual"] attribute DOMString? popover;
};

// https://html.spec.whatwg.org/multipage/interaction.html#elementcontenteditable
interface mixin ElementContentEditable {
  [CEReactions] attribute DOMString contentEditable;
  [CEReactions, Reflect="enterkeyhint", ReflectOnly=("enter", "done", "go", "next", "previous", "search", "send"), ReflectMissing="", ReflectInvalid=""] attribute DOMString enterKeyHint;
  readonly attribute boolean isContentEditable;
  [CEReactions, Reflect="inputmode", ReflectOnly=("none", "text", "tel", "url", "email", "numeric", "decimal", "search"), ReflectMissing="", ReflectInvalid=""] attribute DOMString inputMode;
};
HTMLElement includes ElementContentEditable;

// https://html.spec.whatwg.org/multipage/dom.html#htmlorsvgelement
interface mixin HTMLOrSVGElement {
  [SameObject] readonly attribute DOMStringMap dataset;
  attribute DOMString nonce; // intentionally no [CEReactions]

  [CEReactions, Reflect] attribute boolean autofocus;
  [CEReactions] attribute long tabIndex;
  undefined focus(optional FocusOptions options = {});
  undefined blur();
};
HTMLElement includes HTMLOrSVGElement;

// https://html.spec.whatwg.org/multipage/interaction.html#focusoptions
dictionary FocusOptions {
  boolean preventScroll = false;
  boolean focusVisible;
};

// https://html.spec.whatwg.org/multipage/dom.html#domstringmap
[Exposed=Window,
 LegacyOverrideBuiltIns]
interface DOMStringMap {
  getter DOMString (DOMString name);
  [CEReactions] setter undefined (DOMString name, DOMString value);
  [CEReactions] deleter undefined (DOMString name);
};

// https://w3c.github.io/csswg-drafts/cssom/#the-elementcssinlinestyle-mixin
interface mixin ElementCSSInlineStyle {
  [SameObject, PutForwards=cssText] readonly attribute CSSStyleDeclaration style;
};
HTMLElement includes ElementCSSInlineStyle;

// https://html.spec.whatwg.org/multipage/dom.html#htmlunknownelement
[Exposed=Window]
interface HTMLUnknownElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/semantics.html#the-html-element
[Exposed=Window]
interface HTMLHtmlElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/obsolete.html#HTMLHtmlElement-partial
partial interface HTMLHtmlElement {
  [CEReactions, Reflect] attribute DOMString version;
};

// https://html.spec.whatwg.org/multipage/semantics.html#the-head-element
[Exposed=Window]
interface HTMLHeadElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/sections.html#the-body-element
[Exposed=Window]
interface HTMLBodyElement : HTMLElement { };
// TODO(WindowEventHandlers on body): HTMLBodyElement includes WindowEventHandlers;

// https://html.spec.whatwg.org/multipage/obsolete.html#HTMLBodyElement-partial
partial interface HTMLBodyElement {
  [CEReactions, Reflect] attribute [LegacyNullToEmptyString] DOMString text;
  [CEReactions, Reflect] attribute [LegacyNullToEmptyString] DOMString link;
  [CEReactions, Reflect="vlink"] attribute [LegacyNullToEmptyString] DOMString vLink;
  [CEReactions, Reflect="alink"] attribute [LegacyNullToEmptyString] DOMString aLink;
  [CEReactions, Reflect="bgcolor"] attribute [LegacyNullToEmptyString] DOMString bgColor;
  [CEReactions, Reflect] attribute DOMString background;
};

// https://html.spec.whatwg.org/multipage/semantics.html#the-title-element
[Exposed=Window]
interface HTMLTitleElement : HTMLElement {
  [CEReactions] attribute DOMString text;
};

// https://html.spec.whatwg.org/multipage/semantics.html#the-meta-element
[Exposed=Window]
interface HTMLMetaElement : HTMLElement {
  [CEReactions, Reflect] attribute DOMString name;
  [CEReactions, Reflect="http-equiv"] attribute DOMString httpEquiv;
  [CEReactions, Reflect] attribute DOMString content;
  [CEReactions, Reflect] attribute DOMString media;
};

// https://html.spec.whatwg.org/multipage/obsolete.html#HTMLMetaElement-partial
partial interface HTMLMetaElement {
  [CEReactions, Reflect] attribute DOMString scheme;
};

// https://html.spec.whatwg.org/multipage/scripting.html#the-script-element
[Exposed=Window]
interface HTMLScriptElement : HTMLElement {
  [CEReactions, Reflect] attribute DOMString type;
  [CEReactions] attribute USVString src;
  [CEReactions] attribute boolean noModule;
  [CEReactions] attribute boolean async;
  [CEReactions] attribute boolean defer;
  // TODO(blocking attribute): [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList blocking;
  [CEReactions] attribute DOMString? crossOrigin;
  [CEReactions, Reflect] attribute DOMString integrity;
  // TODO(script fetch options): referrerPolicy, fetchPriority.

  [CEReactions] attribute DOMString text;

  static boolean supports(DOMString type);
};

// https://html.spec.whatwg.org/multipage/obsolete.html#HTMLScriptElement-partial
partial interface HTMLScriptElement {
  [CEReactions, Reflect] attribute DOMString charset;
  [CEReactions, Reflect] attribute DOMString event;
  [CEReactions, Reflect="for"] attribute DOMString htmlFor;
};

// https://html.spec.whatwg.org/multipage/scripting.html#the-template-element
[Exposed=Window]
interface HTMLTemplateElement : HTMLElement {
  readonly attribute DocumentFragment content;
  // TODO(declarative shadow DOM): shadowRootMode, shadowRootDelegatesFocus, shadowRootClonable,
  // shadowRootSerializable (no shadow trees).
};
