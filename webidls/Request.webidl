// https://fetch.spec.whatwg.org/#request-class

// Used by BackgroundFetchManager.fetch() and BackgroundFetchRegistration.match()/matchAll().
typedef (Request or USVString) RequestInfo;

[Exposed=(Window,Worker), Pref="dom.fetch.enabled"]
interface Request {
  // TODO(issue 4): constructor(RequestInfo input, optional RequestInit init = {});

  // TODO(issue 4): readonly attribute ByteString method;
  // TODO(issue 4): readonly attribute USVString url;
  // TODO(issue 4): [SameObject] readonly attribute Headers headers;

  // TODO(issue 4): readonly attribute RequestDestination destination;
  // TODO(issue 4): readonly attribute USVString referrer;
  // TODO(issue 4): readonly attribute ReferrerPolicy referrerPolicy;
  // TODO(issue 4): readonly attribute RequestMode mode;
  // TODO(issue 4): readonly attribute RequestCredentials credentials;
  // TODO(issue 4): readonly attribute RequestCache cache;
  // TODO(issue 4): readonly attribute RequestRedirect redirect;
  // TODO(issue 4): readonly attribute DOMString integrity;
  // TODO(issue 4): readonly attribute boolean keepalive;
  // TODO(issue 4): readonly attribute boolean isReloadNavigation;
  // TODO(issue 4): readonly attribute boolean isHistoryNavigation;
  // TODO(issue 4): readonly attribute AbortSignal signal;
  // TODO(issue 4): readonly attribute RequestDuplex duplex;

  // TODO(issue 4): [NewObject] Request clone();
};
Request includes Body;

// TODO(issue 4): dictionary RequestInit {
// TODO(issue 4):   ByteString method;
// TODO(issue 4):   HeadersInit headers;
// TODO(issue 4):   BodyInit? body;
// TODO(issue 4):   USVString referrer;
// TODO(issue 4):   ReferrerPolicy referrerPolicy;
// TODO(issue 4):   RequestMode mode;
// TODO(issue 4):   RequestCredentials credentials;
// TODO(issue 4):   RequestCache cache;
// TODO(issue 4):   RequestRedirect redirect;
// TODO(issue 4):   DOMString integrity;
// TODO(issue 4):   boolean keepalive;
// TODO(issue 4):   AbortSignal? signal;
// TODO(issue 4):   RequestDuplex duplex;
// TODO(issue 4):   RequestPriority priority;
// TODO(issue 4):   any window; // can only be set to null
// TODO(issue 4): };

// TODO(issue 4): enum RequestDestination { "", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe", "image", "json", "manifest", "object", "paintworklet", "report", "script", "sharedworker", "style", "text", "track", "video", "worker", "xslt" };
// TODO(issue 4): enum RequestMode { "navigate", "same-origin", "no-cors", "cors" };
// TODO(issue 4): enum RequestCredentials { "omit", "same-origin", "include" };
// TODO(issue 4): enum RequestCache { "default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached" };
// TODO(issue 4): enum RequestRedirect { "follow", "error", "manual" };
// TODO(issue 4): enum RequestDuplex { "half" };
// TODO(issue 4): enum RequestPriority { "high", "low", "auto" };
