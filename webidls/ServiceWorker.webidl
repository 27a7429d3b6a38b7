// https://w3c.github.io/ServiceWorker/#serviceworker-interface

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface ServiceWorker : EventTarget {
  // TODO(issue 6): readonly attribute USVString scriptURL;
  // TODO(issue 6): readonly attribute ServiceWorkerState state;
  // TODO(issue 6): undefined postMessage(any message, sequence<object> transfer);
  // TODO(issue 6): undefined postMessage(any message, optional StructuredSerializeOptions options = {});

  // event
  // TODO(issue 6): attribute EventHandler onstatechange;
};
// TODO(issue 6): ServiceWorker includes AbstractWorker;

// TODO(issue 6): enum ServiceWorkerState {
// TODO(issue 6):   "parsed",
// TODO(issue 6):   "installing",
// TODO(issue 6):   "installed",
// TODO(issue 6):   "activating",
// TODO(issue 6):   "activated",
// TODO(issue 6):   "redundant"
// TODO(issue 6): };
