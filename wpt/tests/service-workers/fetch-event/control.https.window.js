// META: title=Controlled clients: the page after clients.claim(), and a dedicated worker whose script is in scope (Service Workers, Handle Fetch)
// META: script=resources/test-helpers.sub.js
"use strict";

// After clients.claim() the page's controller is the registration's active worker. A
// dedicated worker's script request is a non-subresource request: Handle Fetch matches its
// URL against the registrations, dispatches a fetch event whose resultingClientId is the
// worker's environment (the reserved client) and whose clientId is the page's (the request's
// client), and makes the worker a client of that service worker, so the worker's
// importScripts() and fetch() are intercepted too. The worker script, the imported script and
// the fetched URL exist only in the service worker (the server would answer 404).
// https://w3c.github.io/ServiceWorker/#clients-claim
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm
// https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch-algorithm
// https://html.spec.whatwg.org/multipage/workers.html#worker-processing-model

const WORKER_URL = SCOPE + "/worker.js?sw=worker-script";

promise_test(async () => {
  const registration = await controlled();
  const controller = navigator.serviceWorker.controller;
  assert_true(controller instanceof ServiceWorker);
  assert_equals(controller, registration.active, "the registration's active worker");
  assert_equals(controller.scriptURL, RESOURCES + "fetch-sw.js");
  assert_equals(controller.state, "activated");
  assert_equals(registration.scope, SCOPE);
  assert_equals(await navigator.serviceWorker.getRegistration(location.href), registration,
                "the registration's scope covers this page");
}, "After clients.claim() the page's controller is the active worker");

// The worker of the tests below, once: resolves with what it posted.
let workerResult = null;
function dedicatedWorker() {
  if (!workerResult) {
    workerResult = controlled().then(() => within(4000, "the dedicated worker's message",
      new Promise((resolve, reject) => {
        const worker = new Worker(WORKER_URL);
        worker.onmessage = e => resolve(e.data);
        worker.onerror = e => reject(new Error("the worker failed: " + (e.message || e.type)));
        add_completion_callback(() => worker.terminate());
      })));
  }
  return workerResult;
}

promise_test(async () => {
  const result = await dedicatedWorker();
  const event = result.scriptEvent;
  assert_true(event.isTrusted);
  assert_equals(event.url, WORKER_URL);
  assert_equals(event.destination, "worker");
  assert_equals(event.mode, "same-origin", "HTML fetches worker scripts in same-origin mode");
  assert_equals(event.credentials, "same-origin");
  assert_equals(result.href, WORKER_URL, "the worker's URL is the request's");
}, "A dedicated worker's script comes from the fetch event (the synthesized script runs)");

promise_test(async () => {
  const result = await dedicatedWorker();
  const event = result.scriptEvent;
  assert_equals(typeof event.resultingClientId, "string");
  assert_not_equals(event.resultingClientId, "", "the worker's environment (reserved client)");
  assert_not_equals(event.resultingClientId, await pageClientId());
  assert_equals(event.replacesClientId, "", "not a navigation");
}, "The worker script's fetch event has a resultingClientId: the worker's own client id");

promise_test(async () => {
  const result = await dedicatedWorker();
  const event = result.scriptEvent;
  assert_equals(event.clientId, await pageClientId(),
                "the request's client is the page that created the worker");
  assert_not_equals(event.client, null);
  assert_equals(event.client.url, location.href);
}, "The worker script's fetch event has the creating page's clientId");

promise_test(async () => {
  const result = await dedicatedWorker();
  assert_equals(result.controller, RESOURCES + "fetch-sw.js",
                "navigator.serviceWorker.controller in the worker");
}, "The dedicated worker is controlled from the start");

promise_test(async () => {
  const result = await dedicatedWorker();
  assert_equals(result.importError, null, "importScripts() of a URL only the worker answers");
  const event = result.importEvent;
  assert_not_equals(event, null);
  assert_equals(event.destination, "script");
  assert_equals(event.clientId, result.scriptEvent.resultingClientId, "the worker's client id");
  assert_equals(event.resultingClientId, "", "a subresource request");
}, "importScripts() in the dedicated worker is intercepted");

promise_test(async () => {
  const result = await dedicatedWorker();
  assert_false("fetchError" in result, "fetch() of a URL only the worker answers: " + result.fetchError);
  const event = result.fetchEvent;
  assert_equals(event.destination, "");
  assert_equals(event.mode, "cors");
  assert_equals(event.clientId, result.scriptEvent.resultingClientId,
                "the id the worker script's event gave as resultingClientId");
  assert_equals(event.resultingClientId, "", "a subresource request");
  assert_not_equals(event.client, null, "clients.get() finds the worker");
  assert_equals(event.client.type, "worker");
  assert_equals(event.client.url, WORKER_URL);
}, "fetch() in the dedicated worker is intercepted, with the worker's client id");
