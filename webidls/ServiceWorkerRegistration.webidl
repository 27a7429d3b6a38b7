// https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface

// The `backgroundFetch` attribute is added by the partial interface in BackgroundFetch.webidl.
[SecureContext, Exposed=(Window,Worker)]
interface ServiceWorkerRegistration : EventTarget {
  readonly attribute ServiceWorker? installing;
  readonly attribute ServiceWorker? waiting;
  readonly attribute ServiceWorker? active;
  // TODO(navigation preload): [SameObject] readonly attribute NavigationPreloadManager navigationPreload;
  // (navigation preload only matters once fetch events are dispatched for navigations.)

  readonly attribute USVString scope;
  readonly attribute ServiceWorkerUpdateViaCache updateViaCache;

  [NewObject] Promise<ServiceWorkerRegistration> update();
  [NewObject] Promise<boolean> unregister();

  // event
  attribute EventHandler onupdatefound;
};

enum ServiceWorkerUpdateViaCache {
  "imports",
  "all",
  "none"
};
