// https://html.spec.whatwg.org/multipage/grouping-content.html and sections.html
// [Reflect*] extended attributes: see webidl_codegen's emit/interface/reflect.rs.

[Exposed=Window]
interface HTMLDivElement : HTMLElement {};
partial interface HTMLDivElement {
  [CEReactions, Reflect] attribute DOMString align;
};

[Exposed=Window]
interface HTMLParagraphElement : HTMLElement {};
partial interface HTMLParagraphElement {
  [CEReactions, Reflect] attribute DOMString align;
};

[Exposed=Window]
interface HTMLHeadingElement : HTMLElement {};
partial interface HTMLHeadingElement {
  [CEReactions, Reflect] attribute DOMString align;
};

[Exposed=Window]
interface HTMLHRElement : HTMLElement {};
partial interface HTMLHRElement {
  [CEReactions, Reflect] attribute DOMString align;
  [CEReactions, Reflect] attribute DOMString color;
  [CEReactions, Reflect] attribute boolean noShade;
  [CEReactions, Reflect] attribute DOMString size;
  [CEReactions, Reflect] attribute DOMString width;
};

[Exposed=Window]
interface HTMLPreElement : HTMLElement {};
partial interface HTMLPreElement {
  [CEReactions, Reflect] attribute long width;
};

[Exposed=Window]
interface HTMLQuoteElement : HTMLElement {
  [CEReactions, ReflectURL] attribute USVString cite;
};

[Exposed=Window]
interface HTMLOListElement : HTMLElement {
  [CEReactions, Reflect] attribute boolean reversed;
  [CEReactions, Reflect, ReflectDefault=1] attribute long start;
  [CEReactions, Reflect] attribute DOMString type;
};
partial interface HTMLOListElement {
  [CEReactions, Reflect] attribute boolean compact;
};

[Exposed=Window]
interface HTMLUListElement : HTMLElement {};
partial interface HTMLUListElement {
  [CEReactions, Reflect] attribute boolean compact;
  [CEReactions, Reflect] attribute DOMString type;
};

[Exposed=Window]
interface HTMLMenuElement : HTMLElement {};
partial interface HTMLMenuElement {
  [CEReactions, Reflect] attribute boolean compact;
};

[Exposed=Window]
interface HTMLLIElement : HTMLElement {
  [CEReactions, Reflect] attribute long value;
};
partial interface HTMLLIElement {
  [CEReactions, Reflect] attribute DOMString type;
};

[Exposed=Window]
interface HTMLDListElement : HTMLElement {};
partial interface HTMLDListElement {
  [CEReactions, Reflect] attribute boolean compact;
};
