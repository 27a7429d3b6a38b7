// META: title=respondWith(): the response a controlled page gets (Service Workers, Handle Fetch; Fetch, main fetch)
// META: script=resources/test-helpers.sub.js
"use strict";

// What fetch() in a controlled page resolves with when the service worker answers, or does
// not answer, the fetch event: a synthesized Response, a promise for one, the network, a
// response the worker fetched or took from a cache. Main fetch filters a response that is not
// filtered yet (a synthesized one) by the request's response tainting, and keeps a non-empty
// URL list (a fetched one).
// https://w3c.github.io/ServiceWorker/#fetch-event-respondwith
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm
// https://fetch.spec.whatwg.org/#main-fetch
// https://fetch.spec.whatwg.org/#http-fetch

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("custom", {
    body: "made by the worker", status: 201, statusText: "Made Here",
    header: ["X-Sw: yes", "Content-Type: text/x-made"],
  }));
  assert_equals(r.status, 201);
  assert_equals(r.statusText, "Made Here");
  assert_true(r.ok);
  assert_equals(r.headers.get("X-Sw"), "yes");
  assert_equals(r.headers.get("Content-Type"), "text/x-made");
  assert_throws_js(TypeError, () => r.headers.set("X-Sw", "no"), "immutable headers");
  assert_equals(await r.text(), "made by the worker");
}, "respondWith(new Response(body, init)): the page gets its body, status, statusText and headers");

promise_test(async () => {
  await controlled();
  const url = swUrl("synth");
  const r = await fetch(url);
  assert_equals(r.type, "basic", "a same-origin request: a basic filtered response");
  assert_equals(r.url, url, "an empty URL list becomes the request's");
  assert_false(r.redirected);
  assert_equals(r.status, 200);
  assert_equals(await r.text(), "synthesized");
  const noCors = await fetch(swUrl("synth"), { mode: "no-cors" });
  assert_equals(noCors.type, "basic", "no-cors to the same origin is still basic");
  assert_equals(await noCors.text(), "synthesized");
}, "A synthesized response has type basic and the request's URL");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("custom", { status: 204 }));
  assert_equals(r.status, 204);
  assert_equals(await r.text(), "");
}, "respondWith(new Response(null, {status: 204}))");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("later"));
  assert_equals(await r.text(), "later");
}, "respondWith(a promise) waits for the promise's Response");

promise_test(async () => {
  await controlled();
  const plain = await fetch(NETWORK_URL);
  assert_equals(await plain.text(), NETWORK_TEXT, "no `sw` parameter");
  const url = swUrl("no-respond-with", { token: newToken() });
  const r = await fetch(url);
  assert_equals(r.status, 200);
  assert_equals(r.type, "basic");
  assert_equals(r.url, url);
  assert_equals(r.headers.get("X-Network"), "yes");
  assert_equals(await r.text(), NETWORK_TEXT);
}, "Without respondWith() the request goes to the network");

promise_test(async () => {
  await controlled();
  const url = swUrl("passthrough");
  const r = await fetch(url);
  assert_equals(r.status, 200);
  assert_equals(r.type, "basic");
  assert_equals(r.url, url);
  assert_equals(r.headers.get("X-Network"), "yes");
  assert_equals(await r.text(), NETWORK_TEXT);
}, "respondWith(fetch(event.request)) passes the network's response through");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("fetch", { url: NETWORK_URL }));
  assert_equals(r.url, NETWORK_URL, "the fetched response's URL list is kept");
  assert_false(r.redirected);
  assert_equals(r.type, "basic");
  assert_equals(await r.text(), NETWORK_TEXT);
}, "respondWith(fetch(another URL)): the page's response has the other URL");

promise_test(async () => {
  await controlled();
  const remote = get_host_info().REMOTE_ORIGIN + "/_faults/body?size=16&seed=2&acao=*";
  const r = await fetch(swUrl("fetch", { url: remote }));
  assert_equals(r.type, "cors", "the worker's CORS response stays a CORS response");
  assert_equals(r.url, remote);
  assert_equals(r.status, 200);
  assert_equals((await r.arrayBuffer()).byteLength, 16);
}, "respondWith(a cross-origin CORS response) to a same-origin cors-mode request");

promise_test(async t => {
  await controlled();
  const name = "fetch-event-respond-with";
  await caches.delete(name);
  t.add_cleanup(() => caches.delete(name));
  const url = swUrl("cache");
  const bytes = new Uint8Array(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 255;
  const cache = await caches.open(name);
  await cache.put(url, new Response(bytes, { headers: { "Content-Type": "application/x-bytes" } }));
  const r = await fetch(url);
  assert_equals(r.status, 200);
  assert_equals(r.headers.get("Content-Type"), "application/x-bytes");
  const read = new Uint8Array(await r.arrayBuffer());
  assert_equals(read.length, bytes.length);
  assert_true(read.every((b, i) => b === bytes[i]), "every byte");
}, "respondWith(caches.match(event.request)) serves what the page put in a cache");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("redirect", { to: NETWORK_URL }));
  assert_true(r.redirected, "the redirect was followed");
  assert_equals(r.url, NETWORK_URL);
  assert_equals(r.status, 200);
  assert_equals(await r.text(), NETWORK_TEXT, "the worker left the redirected request alone");
}, "respondWith(Response.redirect()) is followed for a request whose redirect mode is follow");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("redirect", { to: NETWORK_URL }), { redirect: "manual" });
  assert_equals(r.type, "opaqueredirect");
  assert_equals(r.status, 0);
}, "respondWith(Response.redirect()) to a request whose redirect mode is manual: opaqueredirect");

promise_test(async () => {
  await controlled();
  const redirecting = RESOURCES + "network.txt?pipe=status(302)|header(Location,network.txt)";
  const r = await fetch(swUrl("fetch", { url: redirecting }));
  assert_true(r.redirected, "a URL list of two");
  assert_equals(r.url, NETWORK_URL);
  assert_equals(await r.text(), NETWORK_TEXT);
}, "respondWith(a response the worker got through a redirect): redirected, with the final URL");
