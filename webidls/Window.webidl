// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object

// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-windowproxy-exotic-object
// WindowProxy is the exotic wrapper of Window (HTML §7.2.3); to IDL it is Window.
typedef Window WindowProxy;

// TODO(issue 4): the standard also gives Window [LegacyUnenumerableNamedProperties]; it is left
// out because named properties (the named getter below) are not supported yet.
[Global=Window,
 Exposed=Window]
interface Window : EventTarget {
  // the current browsing context
  [LegacyUnforgeable] readonly attribute WindowProxy window;
  [Replaceable] readonly attribute WindowProxy self;
  [LegacyUnforgeable] readonly attribute Document document;
  attribute DOMString name;
  // TODO(issue 4): [PutForwards=href] (href is readonly until navigation exists).
  [LegacyUnforgeable] readonly attribute Location location;
  // TODO(issue 4): readonly attribute History history;
  // TODO(issue 4): [Replaceable] readonly attribute Navigation navigation;
  // TODO(issue 4): readonly attribute CustomElementRegistry customElements;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp locationbar;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp menubar;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp personalbar;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp scrollbars;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp statusbar;
  // TODO(issue 4): [Replaceable] readonly attribute BarProp toolbar;
  // TODO(issue 4): attribute DOMString status;
  // TODO(issue 4): undefined close();
  readonly attribute boolean closed;
  // TODO(issue 4): undefined stop();
  // TODO(issue 4): undefined focus();
  // TODO(issue 4): undefined blur();

  // other browsing contexts
  [Replaceable] readonly attribute WindowProxy frames;
  [Replaceable] readonly attribute unsigned long length;
  [LegacyUnforgeable] readonly attribute WindowProxy? top;
  attribute any opener;
  [Replaceable] readonly attribute WindowProxy? parent;
  readonly attribute Element? frameElement;
  // TODO(issue 4): WindowProxy? open(optional USVString url = "", optional DOMString target = "_blank", optional [LegacyNullToEmptyString] DOMString features = "");

  // Since this is the global object, the IDL named getter adds a NamedPropertiesObject exotic
  // object on the prototype chain. Indeed, this does not make the global object an exotic object.
  // Indexed access is taken care of by the WindowProxy exotic object.
  // TODO(issue 4): named properties; also the generator does not support special operations yet.
  // TODO(issue 4): getter object (DOMString name);

  // the user agent
  readonly attribute Navigator navigator;
  [Replaceable] readonly attribute Navigator clientInformation; // legacy alias of .navigator
  // TODO(issue 4): readonly attribute boolean originAgentCluster;

  // user prompts
  // TODO(issue 4): undefined alert();
  // TODO(issue 4): undefined alert(DOMString message);
  // TODO(issue 4): boolean confirm(optional DOMString message = "");
  // TODO(issue 4): DOMString? prompt(optional DOMString message = "", optional DOMString default = "");
  // TODO(issue 4): undefined print();

  // TODO(issue 4): undefined postMessage(any message, USVString targetOrigin, optional sequence<object> transfer = []);
  // TODO(issue 4): undefined postMessage(any message, optional WindowPostMessageOptions options = {});

  // also has obsolete members
};
Window includes GlobalEventHandlers;
Window includes WindowEventHandlers;
// https://html.spec.whatwg.org/multipage/webappapis.html#windoworworkerglobalscope-mixin
Window includes WindowOrWorkerGlobalScope;
// https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#animationframeprovider
// TODO(issue 4): Window includes AnimationFrameProvider;

// TODO(issue 4): dictionary WindowPostMessageOptions : StructuredSerializeOptions {
// TODO(issue 4):   USVString targetOrigin = "/";
// TODO(issue 4): };
