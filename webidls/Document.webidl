// https://dom.spec.whatwg.org/#interface-document

[Exposed=Window]
interface Document : Node {
  constructor();

  [SameObject] readonly attribute DOMImplementation implementation;
  readonly attribute USVString URL;
  readonly attribute USVString documentURI;
  readonly attribute DOMString compatMode;
  readonly attribute DOMString characterSet;
  readonly attribute DOMString charset; // legacy alias of .characterSet
  readonly attribute DOMString inputEncoding; // legacy alias of .characterSet
  readonly attribute DOMString contentType;

  readonly attribute DocumentType? doctype;
  readonly attribute Element? documentElement;
  HTMLCollection getElementsByTagName(DOMString qualifiedName);
  // TODO(getElementsByTagNameNS): HTMLCollection getElementsByTagNameNS(DOMString? namespace, DOMString localName);
  HTMLCollection getElementsByClassName(DOMString classNames);

  [CEReactions, NewObject] Element createElement(DOMString localName, optional (DOMString or ElementCreationOptions) options = {});
  [CEReactions, NewObject] Element createElementNS(DOMString? namespace, DOMString qualifiedName, optional (DOMString or ElementCreationOptions) options = {});
  [NewObject] DocumentFragment createDocumentFragment();
  [NewObject] Text createTextNode(DOMString data);
  [NewObject] CDATASection createCDATASection(DOMString data);
  [NewObject] Comment createComment(DOMString data);
  [NewObject] ProcessingInstruction createProcessingInstruction(DOMString target, DOMString data);

  [CEReactions, NewObject] Node importNode(Node node, optional (boolean or ImportNodeOptions) options = false);
  [CEReactions] Node adoptNode(Node node);

  // TODO(Attr nodes): [NewObject] Attr createAttribute(DOMString localName);
  // TODO(Attr nodes): [NewObject] Attr createAttributeNS(DOMString? namespace, DOMString qualifiedName);

  [NewObject] Event createEvent(DOMString interface); // legacy

  // TODO(Range): [NewObject] Range createRange();
  // TODO(NodeIterator and TreeWalker): createNodeIterator, createTreeWalker.
};

// https://dom.spec.whatwg.org/#xmldocument
[Exposed=Window]
interface XMLDocument : Document {};

// https://dom.spec.whatwg.org/#domimplementation
[Exposed=Window]
interface DOMImplementation {
  [NewObject] DocumentType createDocumentType(DOMString name, DOMString publicId, DOMString systemId);
  [NewObject] XMLDocument createDocument(DOMString? namespace, [LegacyNullToEmptyString] DOMString qualifiedName, optional DocumentType? doctype = null);
  [NewObject] Document createHTMLDocument(optional DOMString title);

  boolean hasFeature(); // historical; always returns true
};

dictionary ImportNodeOptions {
  // TODO(custom elements): CustomElementRegistry customElementRegistry;
  boolean selfOnly = false;
};

dictionary ElementCreationOptions {
  // TODO(custom elements): CustomElementRegistry? customElementRegistry;
  DOMString is;
};

// https://html.spec.whatwg.org/multipage/dom.html#the-document-object
enum DocumentReadyState { "loading", "interactive", "complete" };

partial interface Document {
  // resource metadata management
  // TODO(Location setters): [PutForwards=href, LegacyUnforgeable] (href is readonly until navigation exists)
  [LegacyUnforgeable] readonly attribute Location? location;
  // TODO(document.domain): attribute USVString domain;
  readonly attribute USVString referrer;
  attribute USVString cookie;
  // TODO(document.lastModified): readonly attribute DOMString lastModified;
  readonly attribute DocumentReadyState readyState;

  // DOM tree accessors
  // TODO(named getters): getter object (DOMString name);
  [CEReactions] attribute DOMString title;
  [CEReactions] attribute DOMString dir;
  [CEReactions] attribute HTMLElement? body;
  readonly attribute HTMLHeadElement? head;
  [SameObject] readonly attribute HTMLCollection images;
  [SameObject] readonly attribute HTMLCollection embeds;
  [SameObject] readonly attribute HTMLCollection plugins;
  [SameObject] readonly attribute HTMLCollection links;
  [SameObject] readonly attribute HTMLCollection forms;
  [SameObject] readonly attribute HTMLCollection scripts;
  // TODO(getElementsByName): NodeList getElementsByName(DOMString elementName);
  // TODO(SVG): HTMLOrSVGScriptElement (no SVG here).
  readonly attribute HTMLScriptElement? currentScript;

  // dynamic markup insertion: TODO(document.write) open/close/write/writeln.

  // user interaction
  readonly attribute WindowProxy? defaultView;
  boolean hasFocus();
  // https://html.spec.whatwg.org/multipage/interaction.html#dom-documentorshadowroot-activeelement
  // (DocumentOrShadowRoot; there are no shadow roots)
  readonly attribute Element? activeElement;
  // TODO(editing): designMode, execCommand and friends.

  attribute EventHandler onreadystatechange;

  // https://html.spec.whatwg.org/multipage/obsolete.html#Document-partial
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString fgColor;
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString linkColor;
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString vlinkColor;
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString alinkColor;
  [CEReactions] attribute [LegacyNullToEmptyString] DOMString bgColor;
  // TODO(page visibility): onvisibilitychange.
};
