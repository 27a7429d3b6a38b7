// https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface

// https://w3c.github.io/ServiceWorker/#navigator-serviceworker
// TODO(issue 6): partial interface Navigator {
// TODO(issue 6):   [SecureContext, SameObject] readonly attribute ServiceWorkerContainer serviceWorker;
// TODO(issue 6): };
// (The WorkerNavigator partial is in WorkerNavigator.webidl.)

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface ServiceWorkerContainer : EventTarget {
  // TODO(issue 6): readonly attribute ServiceWorker? controller;
  // TODO(issue 6): readonly attribute Promise<ServiceWorkerRegistration> ready;

  // TODO(issue 6): [NewObject] Promise<ServiceWorkerRegistration> register((TrustedScriptURL or USVString) scriptURL, optional RegistrationOptions options = {});

  // TODO(issue 6): [NewObject] Promise<(ServiceWorkerRegistration or undefined)> getRegistration(optional USVString clientURL = "");
  // TODO(issue 6): [NewObject] Promise<FrozenArray<ServiceWorkerRegistration>> getRegistrations();

  // TODO(issue 6): undefined startMessages();

  // events
  // TODO(issue 6): attribute EventHandler oncontrollerchange;
  // TODO(issue 6): attribute EventHandler onmessage; // event.source of message events is ServiceWorker object
  // TODO(issue 6): attribute EventHandler onmessageerror;
};

// TODO(issue 6): dictionary RegistrationOptions {
// TODO(issue 6):   USVString scope;
// TODO(issue 6):   WorkerType type = "classic";
// TODO(issue 6):   ServiceWorkerUpdateViaCache updateViaCache = "imports";
// TODO(issue 6): };
