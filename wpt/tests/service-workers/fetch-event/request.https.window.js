// META: title=The fetch event the service worker gets for a page's fetch() (Service Workers, Create Fetch Event and Dispatch)
// META: script=resources/test-helpers.sub.js
"use strict";

// What the service worker sees when a controlled page calls fetch(): a trusted, cancelable
// FetchEvent; its request (URL, method, headers, mode, credentials, destination, body); the
// page's client id, and empty resulting and replaces client ids for a subresource request.
// fetch-sw.js answers `sw=info` with what it saw, as JSON.
// https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch-algorithm
// https://w3c.github.io/ServiceWorker/#fetchevent-interface
// https://fetch.spec.whatwg.org/#http-fetch (the worker gets a clone of the request)

test(() => {
  assert_false("FetchEvent" in self, "FetchEvent");
  assert_false("onfetch" in self, "onfetch");
}, "FetchEvent is only exposed in service workers");

promise_test(async () => {
  await controlled();
  const info = await fetchJson(swUrl("info"));
  assert_equals(info.interface, "FetchEvent");
  assert_true(info.isFetchEvent, "a FetchEvent");
  assert_true(info.isTrusted, "trusted");
  assert_equals(info.type, "fetch");
  assert_true(info.cancelable, "cancelable");
  assert_false(info.bubbles, "does not bubble");
  assert_true(info.isRequest, "request is a Request");
  assert_true(info.sameRequest, "request is [SameObject]");
  assert_true(info.handledIsPromise, "handled is a promise");
  assert_true(info.sameHandled, "the same handled promise every time");
  assert_true(info.preloadIsPromise, "preloadResponse is a promise");
}, "The event is a trusted, cancelable FetchEvent named fetch");

promise_test(async () => {
  await controlled();
  const url = swUrl("info");
  const info = await fetchJson(url, { headers: { "X-Test": "from the page" } });
  assert_equals(info.url, url);
  assert_equals(info.method, "GET");
  assert_equals(info.xTest, "from the page", "a header the page set");
  assert_equals(info.mode, "cors", "fetch()'s default mode");
  assert_equals(info.credentials, "same-origin");
  assert_equals(info.destination, "", "fetch() has no destination");
  assert_equals(info.redirect, "follow");
  assert_equals(info.cache, "default");
  assert_equals(info.setHeader, "TypeError", "the request's headers are immutable");
}, "event.request: URL, method, headers, mode, credentials, destination of a plain fetch()");

promise_test(async () => {
  await controlled();
  const info = await fetchJson(swUrl("info"), {
    method: "PUT", mode: "same-origin", credentials: "include", redirect: "manual",
    cache: "no-store", headers: { "X-Test": "put" },
  });
  assert_equals(info.method, "PUT");
  assert_equals(info.mode, "same-origin");
  assert_equals(info.credentials, "include");
  assert_equals(info.redirect, "manual");
  assert_equals(info.cache, "no-store");
  assert_equals(info.xTest, "put");
  const noCors = await fetchJson(swUrl("info"), { mode: "no-cors", credentials: "omit" });
  assert_equals(noCors.mode, "no-cors");
  assert_equals(noCors.credentials, "omit");
}, "event.request carries the page's RequestInit: method, mode, credentials, redirect, cache");

promise_test(async () => {
  await controlled();
  const info = await fetchJson(swUrl("info"));
  assert_equals(info.referrer, location.href,
                "strict-origin-when-cross-origin: the full URL to the same origin");
}, "event.request.referrer is the page's URL");

promise_test(async () => {
  await controlled();
  const id = await pageClientId();
  assert_equals(typeof id, "string");
  assert_not_equals(id, "");
  const info = await fetchJson(swUrl("info"));
  assert_equals(info.clientId, id, "the id of the page's environment");
  assert_not_equals(info.client, null, "clients.get(event.clientId) finds it");
  assert_equals(info.client.url, location.href);
  assert_equals(info.client.type, "window");
  assert_equals(info.resultingClientId, "", "a subresource request has no reserved client");
  assert_equals(info.replacesClientId, "", "not a navigation");
}, "event.clientId is the page's client id; resultingClientId and replacesClientId are empty");

promise_test(async () => {
  await controlled();
  const result = await fetchJson(swUrl("preload"));
  assert_equals(result.settled, "fulfilled");
  assert_equals(result.value, "undefined");
}, "event.preloadResponse resolves with undefined for a subresource request");

promise_test(async () => {
  await controlled();
  const text = await fetchJson(swUrl("post"), { method: "POST", body: "a body, é" });
  assert_equals(text.method, "POST");
  assert_equals(text.contentType, "text/plain;charset=UTF-8");
  assert_array_equals(text.bytes, Array.from(new TextEncoder().encode("a body, é")));
  const bytes = new Uint8Array([0, 1, 2, 254, 255]);
  const binary = await fetchJson(swUrl("post"), {
    method: "POST", body: bytes, headers: { "Content-Type": "application/x-test" },
  });
  assert_equals(binary.contentType, "application/x-test");
  assert_array_equals(binary.bytes, Array.from(bytes));
}, "A POST request's body reaches event.request");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("read-then-fallback", {},
    { method: "POST", body: "read twice", headers: { "Content-Type": "text/x-twice" } },
    "/background-fetch/resources/upload.py");
  const response = responseOf(outcome);
  assert_equals(response.status, 200);
  assert_equals(await response.text(), "read twice", "the server got the body");
  assert_equals(report.text, "read twice", "the worker read it too");
}, "A body the worker read still goes to the network when it does not respond");
