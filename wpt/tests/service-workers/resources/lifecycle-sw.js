// A service worker that records its lifecycle and answers questions about itself.
"use strict";
const seen = [];
self.addEventListener("install", e => {
  seen.push("install:" + e.isTrusted + ":" + (e instanceof ExtendableEvent) + ":" +
            e.constructor.name);
  // The install event is extendable: activation waits for this.
  e.waitUntil(new Promise(r => setTimeout(r, 30)));
});
self.addEventListener("activate", e => {
  seen.push("activate:" + e.isTrusted + ":" + e.constructor.name);
});
self.addEventListener("message", e => {
  const reply = {
    seen,
    eventInterface: e.constructor.name,
    origin: e.origin,
    sourceInterface: e.source && e.source.constructor.name,
    sourceType: e.source && e.source.type,
    sourceUrl: e.source && e.source.url,
    sourceFrameType: e.source && e.source.frameType,
    registrationSame: self.registration === self.registration,
    registrationScope: self.registration.scope,
    activeIsSelf: self.registration.active === self.serviceWorker,
    state: self.serviceWorker.state,
    scriptURL: self.serviceWorker.scriptURL,
    clientsSame: self.clients === self.clients,
    data: e.data,
  };
  if (e.ports.length) {
    e.ports[0].postMessage(reply);
  } else {
    e.source.postMessage(reply);
  }
});
