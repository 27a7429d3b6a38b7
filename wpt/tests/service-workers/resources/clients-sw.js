// A service worker that answers questions about its clients.
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("message", e => {
  const reply = answer(e.data, e.source).then(
    value => ({ value }),
    error => ({ error: error.name + ": " + error.message }));
  e.waitUntil(reply.then(r => e.source.postMessage(r)));
});
async function answer(question, source) {
  switch (question.ask) {
    case "matchAll": {
      const list = await self.clients.matchAll(question.options);
      return {
        frozen: Object.isFrozen(list),
        clients: list.map(c => ({
          url: c.url, type: c.type, frameType: c.frameType, id: c.id,
          interface: c.constructor.name,
          visibilityState: c.visibilityState, focused: c.focused,
          ancestorOrigins: c.ancestorOrigins && Array.from(c.ancestorOrigins),
          sameAsSource: c.id === source.id,
        })),
      };
    }
    case "get": {
      const c = await self.clients.get(question.id === "self" ? source.id : question.id);
      return c === undefined ? "undefined" : { id: c.id, url: c.url };
    }
    case "claim":
      return String(await self.clients.claim());
    case "openWindow":
      return await self.clients.openWindow(question.url);
    case "focus":
      return await source.focus();
    case "navigate":
      return await source.navigate(question.url);
    case "skipWaiting":
      return String(await self.skipWaiting());
  }
  throw new TypeError("unknown question");
}
