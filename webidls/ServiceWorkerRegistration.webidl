// https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface

// The `backgroundFetch` attribute is added by the partial interface in BackgroundFetch.webidl.
[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface ServiceWorkerRegistration : EventTarget {
  // TODO(issue 6): readonly attribute ServiceWorker? installing;
  // TODO(issue 6): readonly attribute ServiceWorker? waiting;
  // TODO(issue 6): readonly attribute ServiceWorker? active;
  // TODO(issue 6): [SameObject] readonly attribute NavigationPreloadManager navigationPreload;

  // TODO(issue 6): readonly attribute USVString scope;
  // TODO(issue 6): readonly attribute ServiceWorkerUpdateViaCache updateViaCache;

  // TODO(issue 6): [NewObject] Promise<ServiceWorkerRegistration> update();
  // TODO(issue 6): [NewObject] Promise<boolean> unregister();

  // event
  // TODO(issue 6): attribute EventHandler onupdatefound;
};

// TODO(issue 6): enum ServiceWorkerUpdateViaCache {
// TODO(issue 6):   "imports",
// TODO(issue 6):   "all",
// TODO(issue 6):   "none"
// TODO(issue 6): };
