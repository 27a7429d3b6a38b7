// https://w3c.github.io/ServiceWorker/#clients-interface

[Exposed=ServiceWorker, Pref="dom.serviceworker.enabled"]
interface Clients {
  // The objects returned will be new instances every time
  // TODO(issue 6): [NewObject] Promise<(Client or undefined)> get(DOMString id);
  // TODO(issue 6): [NewObject] Promise<FrozenArray<Client>> matchAll(optional ClientQueryOptions options = {});
  // TODO(issue 6): [NewObject] Promise<WindowClient?> openWindow(USVString url);
  // TODO(issue 6): [NewObject] Promise<undefined> claim();
};

// TODO(issue 6): dictionary ClientQueryOptions {
// TODO(issue 6):   boolean includeUncontrolled = false;
// TODO(issue 6):   ClientType type = "window";
// TODO(issue 6): };

// TODO(issue 6): enum ClientType {
// TODO(issue 6):   "window",
// TODO(issue 6):   "worker",
// TODO(issue 6):   "sharedworker",
// TODO(issue 6):   "all"
// TODO(issue 6): };
