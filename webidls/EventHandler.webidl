// https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes

// https://html.spec.whatwg.org/multipage/webappapis.html#eventhandler
[LegacyTreatNonObjectAsNull]
callback EventHandlerNonNull = any (Event event);
typedef EventHandlerNonNull? EventHandler;

// https://html.spec.whatwg.org/multipage/webappapis.html#onerroreventhandler
[LegacyTreatNonObjectAsNull]
callback OnErrorEventHandlerNonNull = any ((Event or DOMString) event, optional DOMString source, optional unsigned long lineno, optional unsigned long colno, optional any error);
typedef OnErrorEventHandlerNonNull? OnErrorEventHandler;

// https://html.spec.whatwg.org/multipage/webappapis.html#onbeforeunloadeventhandler
[LegacyTreatNonObjectAsNull]
callback OnBeforeUnloadEventHandlerNonNull = DOMString? (Event event);
typedef OnBeforeUnloadEventHandlerNonNull? OnBeforeUnloadEventHandler;

// https://html.spec.whatwg.org/multipage/webappapis.html#globaleventhandlers
interface mixin GlobalEventHandlers {
  // TODO(issue 4): attribute EventHandler onabort;
  // TODO(issue 4): attribute EventHandler onauxclick;
  // TODO(issue 4): attribute EventHandler onbeforeinput;
  // TODO(issue 4): attribute EventHandler onbeforematch;
  // TODO(issue 4): attribute EventHandler onbeforetoggle;
  // TODO(issue 4): attribute EventHandler onblur;
  // TODO(issue 4): attribute EventHandler oncancel;
  // TODO(issue 4): attribute EventHandler oncanplay;
  // TODO(issue 4): attribute EventHandler oncanplaythrough;
  // TODO(issue 4): attribute EventHandler onchange;
  // TODO(issue 4): attribute EventHandler onclick;
  // TODO(issue 4): attribute EventHandler onclose;
  // TODO(issue 4): attribute EventHandler oncommand;
  // TODO(issue 4): attribute EventHandler oncontextlost;
  // TODO(issue 4): attribute EventHandler oncontextmenu;
  // TODO(issue 4): attribute EventHandler oncontextrestored;
  // TODO(issue 4): attribute EventHandler oncopy;
  // TODO(issue 4): attribute EventHandler oncuechange;
  // TODO(issue 4): attribute EventHandler oncut;
  // TODO(issue 4): attribute EventHandler ondblclick;
  // TODO(issue 4): attribute EventHandler ondrag;
  // TODO(issue 4): attribute EventHandler ondragend;
  // TODO(issue 4): attribute EventHandler ondragenter;
  // TODO(issue 4): attribute EventHandler ondragleave;
  // TODO(issue 4): attribute EventHandler ondragover;
  // TODO(issue 4): attribute EventHandler ondragstart;
  // TODO(issue 4): attribute EventHandler ondrop;
  // TODO(issue 4): attribute EventHandler ondurationchange;
  // TODO(issue 4): attribute EventHandler onemptied;
  // TODO(issue 4): attribute EventHandler onended;
  attribute OnErrorEventHandler onerror;
  // TODO(issue 4): attribute EventHandler onfocus;
  // TODO(issue 4): attribute EventHandler onformdata;
  // TODO(issue 4): attribute EventHandler oninput;
  // TODO(issue 4): attribute EventHandler oninvalid;
  // TODO(issue 4): attribute EventHandler onkeydown;
  // TODO(issue 4): attribute EventHandler onkeypress;
  // TODO(issue 4): attribute EventHandler onkeyup;
  attribute EventHandler onload;
  // TODO(issue 4): attribute EventHandler onloadeddata;
  // TODO(issue 4): attribute EventHandler onloadedmetadata;
  // TODO(issue 4): attribute EventHandler onloadstart;
  // TODO(issue 4): attribute EventHandler onmousedown;
  // TODO(issue 4): [LegacyLenientThis] attribute EventHandler onmouseenter;
  // TODO(issue 4): [LegacyLenientThis] attribute EventHandler onmouseleave;
  // TODO(issue 4): attribute EventHandler onmousemove;
  // TODO(issue 4): attribute EventHandler onmouseout;
  // TODO(issue 4): attribute EventHandler onmouseover;
  // TODO(issue 4): attribute EventHandler onmouseup;
  // TODO(issue 4): attribute EventHandler onpaste;
  // TODO(issue 4): attribute EventHandler onpause;
  // TODO(issue 4): attribute EventHandler onplay;
  // TODO(issue 4): attribute EventHandler onplaying;
  // TODO(issue 4): attribute EventHandler onprogress;
  // TODO(issue 4): attribute EventHandler onratechange;
  // TODO(issue 4): attribute EventHandler onreset;
  // TODO(issue 4): attribute EventHandler onresize;
  // TODO(issue 4): attribute EventHandler onscroll;
  // TODO(issue 4): attribute EventHandler onscrollend;
  // TODO(issue 4): attribute EventHandler onsecuritypolicyviolation;
  // TODO(issue 4): attribute EventHandler onseeked;
  // TODO(issue 4): attribute EventHandler onseeking;
  // TODO(issue 4): attribute EventHandler onselect;
  // TODO(issue 4): attribute EventHandler onslotchange;
  // TODO(issue 4): attribute EventHandler onstalled;
  // TODO(issue 4): attribute EventHandler onsubmit;
  // TODO(issue 4): attribute EventHandler onsuspend;
  // TODO(issue 4): attribute EventHandler ontimeupdate;
  // TODO(issue 4): attribute EventHandler ontoggle;
  // TODO(issue 4): attribute EventHandler onvolumechange;
  // TODO(issue 4): attribute EventHandler onwaiting;
  // TODO(issue 4): attribute EventHandler onwebkitanimationend;
  // TODO(issue 4): attribute EventHandler onwebkitanimationiteration;
  // TODO(issue 4): attribute EventHandler onwebkitanimationstart;
  // TODO(issue 4): attribute EventHandler onwebkittransitionend;
  // TODO(issue 4): attribute EventHandler onwheel;
};

// https://html.spec.whatwg.org/multipage/webappapis.html#windoweventhandlers
interface mixin WindowEventHandlers {
  // TODO(issue 4): attribute EventHandler onafterprint;
  // TODO(issue 4): attribute EventHandler onbeforeprint;
  // TODO(issue 4): attribute OnBeforeUnloadEventHandler onbeforeunload;
  // TODO(issue 4): attribute EventHandler onhashchange;
  // TODO(issue 4): attribute EventHandler onlanguagechange;
  // TODO(issue 4): attribute EventHandler onmessage;
  // TODO(issue 4): attribute EventHandler onmessageerror;
  // TODO(issue 4): attribute EventHandler onoffline;
  // TODO(issue 4): attribute EventHandler ononline;
  // TODO(issue 4): attribute EventHandler onpagehide;
  // TODO(issue 4): attribute EventHandler onpagereveal;
  // TODO(issue 4): attribute EventHandler onpageshow;
  // TODO(issue 4): attribute EventHandler onpageswap;
  // TODO(issue 4): attribute EventHandler onpopstate;
  attribute EventHandler onrejectionhandled;
  // TODO(issue 4): attribute EventHandler onstorage;
  attribute EventHandler onunhandledrejection;
  // TODO(issue 4): attribute EventHandler onunload;
};

// `Window includes GlobalEventHandlers;` and `Window includes WindowEventHandlers;` are in
// Window.webidl, next to the Window interface, as in the HTML standard.
Document includes GlobalEventHandlers;
HTMLElement includes GlobalEventHandlers;
// TODO(issue 4): HTMLBodyElement includes WindowEventHandlers;
// TODO(issue 4): HTMLFrameSetElement includes WindowEventHandlers;
