// https://w3c.github.io/ServiceWorker/#installevent-interface

[Exposed=ServiceWorker]
interface InstallEvent : ExtendableEvent {
  constructor(DOMString type, optional ExtendableEventInit eventInitDict = {});
  // TODO(static routing): Promise<undefined> addRoutes((RouterRule or sequence<RouterRule>) rules);
  // (the Static Routing API needs fetch events, which are not dispatched yet.)
};
