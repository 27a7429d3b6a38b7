// The service worker of iframe-client.https.window.js. Its scope is iframe-client-scope/, so
// it controls the frames the test loads from there (not the test page itself).
//
// fetch: records navigation requests (and leaves them to the network); answers a URL whose
// query is "?intercept" with "intercepted" and one whose query is "?whoami" with what it
// knows of the request's client. Anything else goes to the network.
// message: {ask: "navigations" | "matchAll" | "navigate", token, options, id, url} is
// answered to the source as {token, value}.
"use strict";

self.addEventListener("install", () => self.skipWaiting());

const navigations = [];

function json(value) {
  return new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
}

function describeClient(c) {
  return {
    id: c.id, url: c.url, type: c.type, frameType: c.frameType,
    interface: c.constructor.name,
    ancestorOrigins: c.ancestorOrigins ? Array.from(c.ancestorOrigins) : null,
  };
}

self.addEventListener("fetch", e => {
  const r = e.request;
  const url = new URL(r.url);
  if (r.mode === "navigate") {
    navigations.push({
      url: r.url, mode: r.mode, destination: r.destination,
      clientId: e.clientId, resultingClientId: e.resultingClientId,
    });
    return;  // the network answers
  }
  if (url.search === "?intercept") {
    e.respondWith(new Response("intercepted"));
  } else if (url.search === "?whoami") {
    e.respondWith(self.clients.get(e.clientId).then(
      c => json({ clientId: e.clientId, client: c ? describeClient(c) : null })));
  }
});

self.addEventListener("message", e => {
  const question = e.data || {};
  const answer = (async () => {
    switch (question.ask) {
      case "navigations":
        return navigations;
      case "matchAll":
        return (await self.clients.matchAll(question.options || {})).map(describeClient);
      case "navigate": {
        // Client.navigate() of the client `id` to `url`: the new client, or null.
        const client = await self.clients.get(question.id);
        if (!client) throw new TypeError("no client " + question.id);
        const navigated = await client.navigate(question.url);
        return navigated === null ? null : describeClient(navigated);
      }
    }
    throw new TypeError("unknown question " + question.ask);
  })();
  e.waitUntil(answer.then(value => ({ value }), err => ({ error: err.name + ": " + err.message }))
    .then(reply => e.source.postMessage(Object.assign({ token: question.token }, reply))));
});
