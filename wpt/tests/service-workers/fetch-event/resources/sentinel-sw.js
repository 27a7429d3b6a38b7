// A service worker that answers every fetch event with "sentinel", and fetches URLs itself
// when a client asks: {token, fetch: URL} gets back {token, status, length, text} or
// {token, error}. It skips waiting and claims its clients when it activates.
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", e => e.waitUntil(self.clients.claim()));

self.addEventListener("fetch", e => e.respondWith(new Response("sentinel")));

self.addEventListener("message", e => {
  const { token, fetch: url } = e.data;
  e.waitUntil(fetch(url).then(async r => {
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, length: bytes.length,
             text: new TextDecoder().decode(bytes.slice(0, 2000)) };
  }, err => ({ error: err.name + ": " + err.message })).then(
    answer => e.source.postMessage(Object.assign({ token }, answer))));
});
