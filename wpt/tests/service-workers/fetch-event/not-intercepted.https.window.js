// META: title=Fetches no service worker sees: data: and blob: URLs, and the service worker's own fetch() (Service Workers, Handle Fetch; Fetch, main fetch)
// META: script=resources/test-helpers.sub.js
"use strict";

// The page is controlled by resources/sentinel-sw.js, which answers every fetch event with
// "sentinel". Fetch only hands HTTP(S) requests to Handle Fetch (HTTP fetch): data: and blob:
// URLs are fetched by scheme fetch without an event. The service worker's own fetch() has the
// worker's global as its client, which has no active service worker: Handle Fetch returns null
// and the request goes to the network, even for a URL in the worker's own scope.
// https://fetch.spec.whatwg.org/#main-fetch
// https://fetch.spec.whatwg.org/#scheme-fetch
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm

const sentinel = () => controlled("resources/sentinel-sw.js");

// Asks the service worker to fetch `url` itself.
async function workerFetch(url) {
  const token = newToken();
  const answered = messageWithToken(token);
  navigator.serviceWorker.controller.postMessage({ token, fetch: url });
  return answered;
}

promise_test(async () => {
  await sentinel();
  assert_equals(await (await fetch(NETWORK_URL)).text(), "sentinel", "same origin");
  assert_equals(await (await fetch(get_host_info().REMOTE_ORIGIN + "/_faults/body?size=4")).text(),
                "sentinel", "another origin");
}, "The service worker answers the page's HTTP(S) fetches");

promise_test(async () => {
  await sentinel();
  const r = await fetch("data:text/plain,not%20from%20the%20worker");
  assert_equals(r.status, 200);
  assert_equals(r.headers.get("Content-Type"), "text/plain");
  assert_equals(await r.text(), "not from the worker");
}, "fetch(a data: URL) does not reach the service worker");

promise_test(async t => {
  await sentinel();
  const url = URL.createObjectURL(new Blob(["a blob's bytes"], { type: "text/x-blob" }));
  t.add_cleanup(() => URL.revokeObjectURL(url));
  const r = await fetch(url);
  assert_equals(r.status, 200);
  assert_equals(r.headers.get("Content-Type"), "text/x-blob");
  assert_equals(await r.text(), "a blob's bytes");
}, "fetch(a blob: URL) does not reach the service worker");

promise_test(async () => {
  await sentinel();
  // This page's own URL is in the scope; the network answers it with the test's HTML.
  const inScope = location.href + "?from=the-worker";
  assert_true(inScope.startsWith(SCOPE));
  assert_equals(await (await fetch(inScope)).text(), "sentinel", "the page's fetch of it");
  const answer = await workerFetch(inScope);
  assert_equals(answer.error, undefined, "the worker's fetch resolves");
  assert_equals(answer.status, 200);
  assert_true(answer.text.includes("testharness.js"), "the test's page: " + answer.text);
}, "The service worker's own fetch() of a URL in its scope goes to the network");

promise_test(async () => {
  await sentinel();
  const key = "fetch-event-not-intercepted-" + Date.now();
  const answer = await workerFetch(`/_faults/body?size=8&seed=5&key=${key}`);
  assert_equals(answer.status, 200);
  assert_equals(answer.length, 8, "the server's 8 bytes, not the sentinel");
  const stats = await workerFetch(`/_faults/stats?key=${key}`);
  assert_equals(stats.status, 200);
  assert_equals(JSON.parse(stats.text).requests, 1, "the server got the request");
}, "The service worker's own fetch() reaches the server");
