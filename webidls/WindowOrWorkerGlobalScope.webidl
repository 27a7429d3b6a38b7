// https://html.spec.whatwg.org/multipage/webappapis.html#windoworworkerglobalscope-mixin

// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timerhandler
// The standard's union is (DOMString or Function or TrustedScript); TrustedScript is left
// out because Trusted Types is not implemented.
typedef (DOMString or Function) TimerHandler;

interface mixin WindowOrWorkerGlobalScope {
  [Replaceable] readonly attribute USVString origin;
  readonly attribute boolean isSecureContext;
  readonly attribute boolean crossOriginIsolated;

  undefined reportError(any e);

  // base64 utility methods
  DOMString btoa(DOMString data);
  ByteString atob(DOMString data);

  // timers
  long setTimeout(TimerHandler handler, optional long timeout = 0, any... arguments);
  undefined clearTimeout(optional long id = 0);
  long setInterval(TimerHandler handler, optional long timeout = 0, any... arguments);
  undefined clearInterval(optional long id = 0);

  // microtask queuing
  undefined queueMicrotask(VoidFunction callback);

  // ImageBitmap
  // TODO(ImageBitmap): Promise<ImageBitmap> createImageBitmap(ImageBitmapSource image, optional ImageBitmapOptions options = {});
  // TODO(ImageBitmap): Promise<ImageBitmap> createImageBitmap(ImageBitmapSource image, long sx, long sy, long sw, long sh, optional ImageBitmapOptions options = {});

  // structured cloning
  any structuredClone(any value, optional StructuredSerializeOptions options = {});
};
// `Window includes WindowOrWorkerGlobalScope;` is in Window.webidl and
// `WorkerGlobalScope includes WindowOrWorkerGlobalScope;` in WorkerGlobalScope.webidl.
// The partials of this mixin from other standards: `fetch()` in Fetch.webidl, `caches` in
// CacheStorage.webidl.
