// META: title=A controlled page's subresource requests go to its service worker, whatever their URL (Service Workers, Handle Fetch)
// META: script=resources/test-helpers.sub.js
"use strict";

// Handle Fetch sends a subresource request to the active service worker of the request's
// client: the registration's scope only matters for the client itself, not for the URLs it
// fetches. So requests outside the scope, and to other origins, are intercepted; main fetch
// then filters a synthesized answer by the request's response tainting (cors, opaque).
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm
// https://fetch.spec.whatwg.org/#main-fetch

const REMOTE = get_host_info().REMOTE_ORIGIN;

promise_test(async () => {
  await controlled();
  const outside = new URL("/fetch/api/resources/data.txt", location.href).href;
  assert_false(outside.startsWith(SCOPE), "the URL is outside the scope");
  const r = await fetch(swUrl("synth", {}, outside));
  assert_equals(await r.text(), "synthesized");
  const key = "fetch-event-scope-" + Date.now();
  const faults = await fetch(swUrl("synth", {}, `/_faults/body?size=4&key=${key}`));
  assert_equals(await faults.text(), "synthesized");
  const stats = await fetchJson(`/_faults/stats?key=${key}`);
  assert_equals(stats.requests, 0, "the server never got the intercepted request");
}, "A same-origin URL outside the scope is intercepted");

promise_test(async () => {
  await controlled();
  const url = swUrl("custom", {
    body: "for another origin",
    header: ["Content-Type: text/x-remote", "X-Hidden: 1", "X-Exposed: 2",
             "Access-Control-Expose-Headers: X-Exposed"],
  }, REMOTE + "/_faults/body?size=4");
  const r = await fetch(url);
  assert_equals(r.type, "cors", "a CORS filtered response");
  assert_equals(r.url, url);
  assert_equals(r.status, 200);
  assert_equals(r.headers.get("Content-Type"), "text/x-remote", "a CORS-safelisted header");
  assert_equals(r.headers.get("X-Exposed"), "2", "a header named in Access-Control-Expose-Headers");
  assert_equals(r.headers.get("X-Hidden"), null, "any other header is filtered out");
  assert_equals(await r.text(), "for another origin");
}, "A cross-origin cors request is intercepted; the synthesized response is CORS-filtered");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("synth", {}, REMOTE + "/_faults/body?size=4"), { mode: "no-cors" });
  assert_equals(r.type, "opaque");
  assert_equals(r.status, 0);
  assert_equals(await r.text(), "");
}, "A cross-origin no-cors request is intercepted; the synthesized response is opaque");

promise_test(async () => {
  await controlled();
  const url = swUrl("info", {}, REMOTE + "/_faults/body?size=4");
  const info = await fetchJson(url);
  assert_equals(info.url, url);
  assert_equals(info.mode, "cors");
  assert_equals(info.clientId, await pageClientId());
  assert_equals(info.resultingClientId, "");
}, "The event for a cross-origin request: its URL, mode and the page's clientId");
