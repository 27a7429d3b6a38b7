// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object

// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-windowproxy-exotic-object
// WindowProxy is the exotic wrapper of Window (HTML §7.2.3); to IDL it is Window.
typedef Window WindowProxy;

// TODO(named properties): the standard also gives Window [LegacyUnenumerableNamedProperties]; it is left
// out because named properties (the named getter below) are not supported yet.
[Global=Window,
 Exposed=Window]
interface Window : EventTarget {
  // the current browsing context
  [LegacyUnforgeable] readonly attribute WindowProxy window;
  [Replaceable] readonly attribute WindowProxy self;
  [LegacyUnforgeable] readonly attribute Document document;
  attribute DOMString name;
  // TODO(Location setters): [PutForwards=href] (href is readonly until navigation exists).
  [LegacyUnforgeable] readonly attribute Location location;
  // TODO(History): readonly attribute History history;
  // TODO(Navigation API): [Replaceable] readonly attribute Navigation navigation;
  // TODO(custom elements): readonly attribute CustomElementRegistry customElements;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp locationbar;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp menubar;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp personalbar;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp scrollbars;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp statusbar;
  // TODO(BarProp): [Replaceable] readonly attribute BarProp toolbar;
  // TODO(window.status): attribute DOMString status;
  // TODO(window.close): undefined close();
  readonly attribute boolean closed;
  // TODO(window.stop): undefined stop();
  // TODO(window focus): undefined focus();
  // TODO(window focus): undefined blur();

  // other browsing contexts
  [Replaceable] readonly attribute WindowProxy frames;
  [Replaceable] readonly attribute unsigned long length;
  [LegacyUnforgeable] readonly attribute WindowProxy? top;
  attribute any opener;
  [Replaceable] readonly attribute WindowProxy? parent;
  readonly attribute Element? frameElement;
  WindowProxy? open(optional USVString url = "", optional DOMString target = "_blank", optional [LegacyNullToEmptyString] DOMString features = "");

  // Since this is the global object, the IDL named getter adds a NamedPropertiesObject exotic
  // object on the prototype chain. Indeed, this does not make the global object an exotic object.
  // Indexed access is taken care of by the WindowProxy exotic object.
  // TODO(named properties): named properties; also the generator does not support special operations yet.
  // TODO(named properties): getter object (DOMString name);

  // the user agent
  readonly attribute Navigator navigator;
  [Replaceable] readonly attribute Navigator clientInformation; // legacy alias of .navigator
  // TODO(origin-keyed agent clusters): readonly attribute boolean originAgentCluster;

  // user prompts
  undefined alert();
  undefined alert(DOMString message);
  boolean confirm(optional DOMString message = "");
  DOMString? prompt(optional DOMString message = "", optional DOMString default = "");
  // TODO(printing): undefined print();

  undefined postMessage(any message, USVString targetOrigin, optional sequence<object> transfer = []);
  undefined postMessage(any message, optional WindowPostMessageOptions options = {});

  // also has obsolete members
};
Window includes GlobalEventHandlers;
Window includes WindowEventHandlers;
// https://html.spec.whatwg.org/multipage/webappapis.html#windoworworkerglobalscope-mixin
Window includes WindowOrWorkerGlobalScope;
// https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#animationframeprovider
// TODO(requestAnimationFrame): Window includes AnimationFrameProvider;

dictionary WindowPostMessageOptions : StructuredSerializeOptions {
  USVString targetOrigin = "/";
};
