// https://html.spec.whatwg.org/multipage/dynamic-markup-insertion.html#domparser
// (TrustedHTML is not implemented: the string is a DOMString.)

[Exposed=Window]
interface DOMParser {
  constructor();

  [NewObject] Document parseFromString(DOMString string, DOMParserSupportedType type);
};

enum DOMParserSupportedType {
  "text/html",
  "text/xml",
  "application/xml",
  "application/xhtml+xml",
  "image/svg+xml"
};
