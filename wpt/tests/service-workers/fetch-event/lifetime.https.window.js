// META: title=The fetch event's lifetime: handled, respondWith() once and only during dispatch, waitUntil() (Service Workers)
// META: script=resources/test-helpers.sub.js
"use strict";

// event.handled settles when Create Fetch Event and Dispatch is done with the event: resolved
// once the response is there (or the request went to the network), rejected with a
// NetworkError when it ends in a network error. respondWith() throws InvalidStateError when
// the event is not being dispatched or was already responded to, and stops propagation.
// waitUntil() keeps the event active while its promises are pending. The worker posts what it
// saw to the page (messages carrying the request's token).
// https://w3c.github.io/ServiceWorker/#fetch-event-handled
// https://w3c.github.io/ServiceWorker/#fetch-event-respondwith
// https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch-algorithm
// https://w3c.github.io/ServiceWorker/#wait-until-method

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("handled", { then: "respond" });
  assert_equals(await responseOf(outcome).text(), "handled");
  assert_equals(report.handled, "resolved");
  assert_true(report.afterResponse, "handled waited for the response");
}, "event.handled resolves once respondWith()'s response is there");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("handled", { then: "fallback" });
  assert_equals(await responseOf(outcome).text(), NETWORK_TEXT);
  assert_equals(report.handled, "resolved");
}, "event.handled resolves when the worker leaves the request to the network");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("handled", { then: "cancel" });
  assert_true(outcome.error instanceof TypeError, "the fetch rejects with a TypeError");
  assert_equals(report.handled, "rejected: NetworkError");
}, "event.handled rejects with a NetworkError when the event was canceled without respondWith()");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("handled", { then: "reject" });
  assert_true(outcome.error instanceof TypeError, "the fetch rejects with a TypeError");
  assert_equals(report.handled, "rejected: NetworkError");
}, "event.handled rejects with a NetworkError when respondWith()'s promise rejects");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("twice"));
  const result = await r.json();
  assert_equals(result.second, "InvalidStateError");
  assert_false(result.defaultPrevented, "respondWith() does not cancel the event");
}, "respondWith() a second time throws InvalidStateError; the first response is used");

promise_test(async () => {
  await controlled();
  const result = await (await fetch(swUrl("twice"))).json();
  assert_false(result.reachedSecondListener, "after respondWith()");
  const [, report] = await fetchAndReport("no-respond-with");
  assert_true(report.reachedSecondListener, "without respondWith()");
}, "respondWith() stops propagation: later fetch listeners do not get the event");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("late");
  assert_equals(await responseOf(outcome).text(), NETWORK_TEXT,
                "the request went to the network when the dispatch ended");
  assert_equals(report.late, "InvalidStateError");
}, "respondWith() after the dispatch (in a task) throws InvalidStateError");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("microtask"));
  assert_equals(await r.text(), "from a microtask");
}, "respondWith() in a microtask queued by the listener is still during the dispatch");

promise_test(async () => {
  await controlled();
  const [outcome, report] = await fetchAndReport("wait-until");
  assert_equals(await responseOf(outcome).text(), "waiting");
  assert_equals(report.during, "no exception", "while a lifetime promise is pending");
  assert_equals(report.after, "InvalidStateError", "once every lifetime promise settled");
}, "waitUntil() in a fetch event: allowed while the event is active, then InvalidStateError");
