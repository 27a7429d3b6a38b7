// https://html.spec.whatwg.org/multipage/embedded-content.html and media.html
// [Reflect*] extended attributes: see webidl_codegen's emit/interface/reflect.rs.
// No decoding: images and media report load success or failure from fetching their bytes,
// not from decoding them (naturalWidth/Height, duration and videoWidth/Height are 0/NaN).

[Exposed=Window,
 LegacyFactoryFunction=Image(optional unsigned long width, optional unsigned long height)]
interface HTMLImageElement : HTMLElement {
  [CEReactions, Reflect] attribute DOMString alt;
  [CEReactions, ReflectURL] attribute USVString src;
  [CEReactions, Reflect] attribute USVString srcset;
  [CEReactions, Reflect] attribute DOMString sizes;
  [CEReactions, Reflect="crossorigin", ReflectOnly=("anonymous", "use-credentials"), ReflectInvalid="anonymous", ReflectEmpty="anonymous"] attribute DOMString? crossOrigin;
  [CEReactions, Reflect="usemap"] attribute DOMString useMap;
  [CEReactions, Reflect="ismap"] attribute boolean isMap;
  [CEReactions] attribute unsigned long width;
  [CEReactions] attribute unsigned long height;
  readonly attribute unsigned long naturalWidth;
  readonly attribute unsigned long naturalHeight;
  readonly attribute boolean complete;
  readonly attribute USVString currentSrc;
  [CEReactions, Reflect="referrerpolicy", ReflectOnly=("", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"), ReflectMissing="", ReflectInvalid=""] attribute DOMString referrerPolicy;
  [CEReactions, Reflect, ReflectOnly=("sync", "async", "auto"), ReflectMissing="auto", ReflectInvalid="auto"] attribute DOMString decoding;
  [CEReactions, Reflect, ReflectOnly=("lazy", "eager"), ReflectMissing="eager", ReflectInvalid="eager"] attribute DOMString loading;
  [CEReactions, Reflect="fetchpriority", ReflectOnly=("high", "low", "auto"), ReflectMissing="auto", ReflectInvalid="auto"] attribute DOMString fetchPriority;

  Promise<undefined> decode();
};

partial interface HTMLImageElement {
  [CEReactions, Reflect] attribute DOMString name;
  [CEReactions, ReflectURL] attribute USVString lowsrc;
  [CEReactions, Reflect] attribute DOMString align;
  [CEReactions, Reflect] attribute unsigned long hspace;
  [CEReactions, Reflect] attribute unsigned long vspace;
  [CEReactions, ReflectURL="longdesc"] attribute USVString longDesc;

  [CEReactions, Reflect] attribute [LegacyNullToEmptyString] DOMString border;
};

[Exposed=Window]
interface HTMLSourceElement : HTMLElement {
  [CEReactions, ReflectURL] attribute USVString src;
  [CEReactions, Reflect] attribute DOMString type;
  [CEReactions, Reflect] attribute USVString srcset;
  [CEReactions, Reflect] attribute DOMString sizes;
  [CEReactions, Reflect] attribute DOMString media;
  [CEReactions, Reflect] attribute unsigned long width;
  [CEReactions, Reflect] attribute unsigned long height;
};

[Exposed=Window]
interface HTMLPictureElement : HTMLElement {};

enum CanPlayTypeResult { "" /* empty string */, "maybe", "probably" };

// https://html.spec.whatwg.org/multipage/media.html#htmlmediaelement
[Exposed=Window]
interface HTMLMediaElement : HTMLElement {

  // error state
  readonly attribute MediaError? error;

  // network state
  [CEReactions, ReflectURL] attribute USVString src;
  readonly attribute USVString currentSrc;
  [CEReactions, Reflect="crossorigin", ReflectOnly=("anonymous", "use-credentials"), ReflectInvalid="anonymous", ReflectEmpty="anonymous"] attribute DOMString? crossOrigin;
  const unsigned short NETWORK_EMPTY = 0;
  const unsigned short NETWORK_IDLE = 1;
  const unsigned short NETWORK_LOADING = 2;
  const unsigned short NETWORK_NO_SOURCE = 3;
  readonly attribute unsigned short networkState;
  [CEReactions, Reflect, ReflectOnly=("none", "metadata", "auto"), ReflectEmpty="auto", ReflectInvalid="metadata", ReflectMissing="metadata"] attribute DOMString preload;
  undefined load();
  CanPlayTypeResult canPlayType(DOMString type);

  // ready state
  const unsigned short HAVE_NOTHING = 0;
  const unsigned short HAVE_METADATA = 1;
  const unsigned short HAVE_CURRENT_DATA = 2;
  const unsigned short HAVE_FUTURE_DATA = 3;
  const unsigned short HAVE_ENOUGH_DATA = 4;
  readonly attribute unsigned short readyState;
  readonly attribute boolean seeking;

  // playback state
  attribute double currentTime;
  readonly attribute unrestricted double duration;
  readonly attribute boolean paused;
  attribute double defaultPlaybackRate;
  attribute double playbackRate;
  attribute boolean preservesPitch;
  readonly attribute boolean ended;
  [CEReactions, Reflect] attribute boolean autoplay;
  [CEReactions, Reflect] attribute boolean loop;
  Promise<undefined> play();
  undefined pause();

  // controls
  [CEReactions, Reflect] attribute boolean controls;
  attribute double volume;
  attribute boolean muted;
  [CEReactions, Reflect="muted"] attribute boolean defaultMuted;
};

[Exposed=Window]
interface MediaError {
  const unsigned short MEDIA_ERR_ABORTED = 1;
  const unsigned short MEDIA_ERR_NETWORK = 2;
  const unsigned short MEDIA_ERR_DECODE = 3;
  const unsigned short MEDIA_ERR_SRC_NOT_SUPPORTED = 4;

  readonly attribute unsigned short code;
  readonly attribute DOMString message;
};

[Exposed=Window]
interface HTMLVideoElement : HTMLMediaElement {
  [CEReactions, Reflect] attribute unsigned long width;
  [CEReactions, Reflect] attribute unsigned long height;
  readonly attribute unsigned long videoWidth;
  readonly attribute unsigned long videoHeight;
  [CEReactions, ReflectURL] attribute USVString poster;
  [CEReactions, Reflect="playsinline"] attribute boolean playsInline;
};

[Exposed=Window,
 LegacyFactoryFunction=Audio(optional DOMString src)]
interface HTMLAudioElement : HTMLMediaElement {};

// https://html.spec.whatwg.org/multipage/interactive-elements.html#htmldialogelement
[Exposed=Window]
interface HTMLDialogElement : HTMLElement {
  [CEReactions, Reflect] attribute boolean open;
  attribute DOMString returnValue;
  [CEReactions] undefined show();
  [CEReactions] undefined showModal();
  [CEReactions] undefined close(optional DOMString result);
  [CEReactions] undefined requestClose(optional DOMString result);
};

// https://html.spec.whatwg.org/multipage/interactive-elements.html#the-details-element
[Exposed=Window]
interface HTMLDetailsElement : HTMLElement {
  [CEReactions, Reflect] attribute DOMString name;
  [CEReactions, Reflect] attribute boolean open;
};

// https://html.spec.whatwg.org/multipage/iframe-embed-object.html#htmliframeelement
// TODO(nested browsing contexts): an iframe has no content navigable yet (one global per
// thread); contentDocument/contentWindow are null and nothing loads (see issue 12).
[Exposed=Window]
interface HTMLIFrameElement : HTMLElement {
  [CEReactions, ReflectURL] attribute USVString src;
  [CEReactions, Reflect] attribute DOMString srcdoc;
  [CEReactions, Reflect] attribute DOMString name;
  [SameObject, PutForwards=value, Reflect] readonly attribute DOMTokenList sandbox;
  [CEReactions, Reflect] attribute DOMString allow;
  [CEReactions, Reflect="allowfullscreen"] attribute boolean allowFullscreen;
  [CEReactions, Reflect] attribute DOMString width;
  [CEReactions, Reflect] attribute DOMString height;
  [CEReactions, Reflect="referrerpolicy", ReflectOnly=("", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"), ReflectMissing="", ReflectInvalid=""] attribute DOMString referrerPolicy;
  [CEReactions, Reflect, ReflectOnly=("lazy", "eager"), ReflectMissing="eager", ReflectInvalid="eager"] attribute DOMString loading;
  readonly attribute Document? contentDocument;
  readonly attribute WindowProxy? contentWindow;
};

partial interface HTMLIFrameElement {
  [CEReactions, Reflect] attribute DOMString align;
  [CEReactions, Reflect] attribute DOMString scrolling;
  [CEReactions, Reflect="frameborder"] attribute DOMString frameBorder;
  [CEReactions, ReflectURL="longdesc"] attribute USVString longDesc;

  [CEReactions, Reflect="marginheight"] attribute [LegacyNullToEmptyString] DOMString marginHeight;
  [CEReactions, Reflect="marginwidth"] attribute [LegacyNullToEmptyString] DOMString marginWidth;
};
