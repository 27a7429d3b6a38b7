// https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface

[Global=(Worker,ServiceWorker), Exposed=ServiceWorker, SecureContext]
interface ServiceWorkerGlobalScope : WorkerGlobalScope {
  // TODO(issue 6): [SameObject] readonly attribute Clients clients;
  // TODO(issue 6): [SameObject] readonly attribute ServiceWorkerRegistration registration;
  // TODO(issue 6): [SameObject] readonly attribute ServiceWorker serviceWorker;

  // TODO(issue 6): [NewObject] Promise<undefined> skipWaiting();

  // TODO(issue 6): attribute EventHandler oninstall;
  // TODO(issue 6): attribute EventHandler onactivate;
  // TODO(issue 6): attribute EventHandler onfetch;

  // TODO(issue 6): attribute EventHandler onmessage;
  // TODO(issue 6): attribute EventHandler onmessageerror;
};
