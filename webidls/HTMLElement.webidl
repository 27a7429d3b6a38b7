// https://html.spec.whatwg.org/multipage/dom.html#htmlelement
// [HTMLConstructor] is not supported by the generator (there are no custom elements), so
// these interfaces have no constructor: `new HTMLElement()` is a TypeError, as it is in a
// browser for an element that is not a defined custom element.

[Exposed=Window]
interface HTMLElement : Element {
  // metadata attributes
  [CEReactions] attribute DOMString title;
  [CEReactions] attribute DOMString lang;
  // TODO(more HTMLElement members): translate, dir, hidden, inert, click(), accessKey, draggable, spellcheck,
  // innerText, outerText, attachInternals, popover.
};

// https://html.spec.whatwg.org/multipage/dom.html#htmlunknownelement
[Exposed=Window]
interface HTMLUnknownElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/semantics.html#the-html-element
[Exposed=Window]
interface HTMLHtmlElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/semantics.html#the-head-element
[Exposed=Window]
interface HTMLHeadElement : HTMLElement { };

// https://html.spec.whatwg.org/multipage/sections.html#the-body-element
[Exposed=Window]
interface HTMLBodyElement : HTMLElement { };
// TODO(WindowEventHandlers on body): HTMLBodyElement includes WindowEventHandlers;

// https://html.spec.whatwg.org/multipage/semantics.html#the-title-element
[Exposed=Window]
interface HTMLTitleElement : HTMLElement {
  [CEReactions] attribute DOMString text;
};

// https://html.spec.whatwg.org/multipage/semantics.html#the-meta-element
[Exposed=Window]
interface HTMLMetaElement : HTMLElement {
  [CEReactions] attribute DOMString name;
  [CEReactions] attribute DOMString httpEquiv;
  [CEReactions] attribute DOMString content;
  [CEReactions] attribute DOMString media;
};

// https://html.spec.whatwg.org/multipage/scripting.html#the-script-element
[Exposed=Window]
interface HTMLScriptElement : HTMLElement {
  [CEReactions] attribute DOMString type;
  [CEReactions] attribute USVString src;
  [CEReactions] attribute boolean noModule;
  [CEReactions] attribute boolean async;
  [CEReactions] attribute boolean defer;
  // TODO(blocking attribute): [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList blocking;
  [CEReactions] attribute DOMString? crossOrigin;
  // TODO(script fetch options): referrerPolicy, integrity, fetchPriority.

  [CEReactions] attribute DOMString text;

  static boolean supports(DOMString type);
  // also has obsolete members: TODO(obsolete script members) charset, event, htmlFor.
};

// https://html.spec.whatwg.org/multipage/scripting.html#the-template-element
[Exposed=Window]
interface HTMLTemplateElement : HTMLElement {
  readonly attribute DocumentFragment content;
  // TODO(declarative shadow DOM): shadowRootMode, shadowRootDelegatesFocus, shadowRootClonable,
  // shadowRootSerializable (no shadow trees).
};
