// META: title=Aborting fetch() (Fetch §5.6, "abort the fetch() call")
// META: global=window,worker
"use strict";

// A response that starts after 5 seconds, and one whose body stalls after 10 bytes.
const SLOW = "/_faults/body?size=100&delay_ms=5000";
const STALLING = "/_faults/body?size=100000&stall_after=10&stall_ms=5000";

promise_test(async t => {
  const controller = new AbortController();
  controller.abort();
  await promise_rejects_dom(t, "AbortError", fetch("/fetch/api/resources/data.txt", { signal: controller.signal }));
}, "An already aborted signal rejects at once with its reason");

promise_test(async t => {
  const reason = new Error("my reason");
  await promise_rejects_exactly(t, reason, fetch("/fetch/api/resources/data.txt", { signal: AbortSignal.abort(reason) }));
}, "The rejection is the signal's reason");

promise_test(async t => {
  const controller = new AbortController();
  const p = fetch(SLOW, { signal: controller.signal });
  t.step_timeout(() => controller.abort(), 50);
  await promise_rejects_dom(t, "AbortError", p);
}, "Aborting while waiting for the response rejects the promise");

promise_test(async t => {
  const controller = new AbortController();
  const response = await fetch(STALLING, { signal: controller.signal });
  assert_equals(response.status, 200);
  const text = response.text();
  controller.abort();
  await promise_rejects_dom(t, "AbortError", text, "the body errors with the reason");
}, "Aborting after the response errors its body");

promise_test(async t => {
  const controller = new AbortController();
  const request = new Request("/fetch/api/resources/data.txt", { signal: controller.signal });
  assert_true(request.signal instanceof AbortSignal);
  assert_not_equals(request.signal, controller.signal, "a dependent signal");
  const clone = request.clone();
  controller.abort();
  assert_true(request.signal.aborted, "follows the given signal");
  assert_true(clone.signal.aborted, "a clone follows too");
  await promise_rejects_dom(t, "AbortError", fetch(request));
  const again = new Request(request);
  assert_true(again.signal.aborted, "a Request made from a Request follows its signal");
  const unsignalled = new Request(request, { signal: null });
  assert_false(unsignalled.signal.aborted, "signal: null drops it");
}, "Request.signal");

promise_test(async t => {
  const controller = new AbortController();
  const response = await fetch("/fetch/api/resources/data.txt", { signal: controller.signal });
  const text = await response.text();
  controller.abort();
  assert_true(text.length > 0, "a finished fetch is not affected");
}, "Aborting after the body was read does nothing");
