// META: title=AbortController and AbortSignal (DOM §3.1-3.2)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

test(() => {
  const controller = new AbortController();
  const signal = controller.signal;
  assert_true(signal instanceof AbortSignal);
  assert_true(signal instanceof EventTarget);
  assert_equals(controller.signal, signal, "[SameObject]");
  assert_false(signal.aborted);
  assert_equals(signal.reason, undefined);
  signal.throwIfAborted();
  assert_throws_js(TypeError, () => new AbortSignal(), "no constructor");
}, "A new controller's signal is not aborted");

test(() => {
  const controller = new AbortController();
  const signal = controller.signal;
  const events = [];
  signal.onabort = e => events.push(["handler", e.isTrusted, e.type]);
  signal.addEventListener("abort", () => events.push(["listener", signal.aborted]));
  controller.abort();
  assert_true(signal.aborted);
  assert_true(signal.reason instanceof DOMException);
  assert_equals(signal.reason.name, "AbortError");
  assert_array_equals(events.map(String), ["handler,true,abort", "listener,true"]);
  const first = signal.reason;
  controller.abort("again");
  assert_equals(signal.reason, first, "aborting twice changes nothing");
  assert_equals(events.length, 2, "and fires no second event");
  assert_throws_dom("AbortError", () => signal.throwIfAborted());
}, "abort() with no reason: an AbortError DOMException, one trusted abort event");

test(() => {
  const controller = new AbortController();
  const reason = { why: "custom" };
  controller.abort(reason);
  assert_equals(controller.signal.reason, reason);
  try {
    controller.signal.throwIfAborted();
    assert_unreached("throws");
  } catch (e) {
    assert_equals(e, reason, "throwIfAborted throws the reason itself");
  }
  const s = AbortSignal.abort(42);
  assert_true(s.aborted);
  assert_equals(s.reason, 42);
  assert_equals(AbortSignal.abort().reason.name, "AbortError");
  assert_not_equals(AbortSignal.abort(), AbortSignal.abort(), "[NewObject]");
}, "Reasons, and AbortSignal.abort()");

test(() => {
  const a = new AbortController();
  const b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  assert_false(any.aborted);
  const nested = AbortSignal.any([any]);
  let fired = 0;
  nested.onabort = () => fired++;
  b.abort("b");
  assert_true(any.aborted);
  assert_equals(any.reason, "b");
  assert_true(nested.aborted, "a dependent of a dependent follows the source");
  assert_equals(nested.reason, "b");
  assert_equals(fired, 1);
  a.abort("a");
  assert_equals(any.reason, "b", "the first abort wins");
  const already = AbortSignal.any([AbortSignal.abort("x"), new AbortController().signal]);
  assert_true(already.aborted);
  assert_equals(already.reason, "x");
  assert_false(AbortSignal.any([]).aborted);
  assert_throws_js(TypeError, () => AbortSignal.any([{}]));
}, "AbortSignal.any()");

async_test(t => {
  const signal = AbortSignal.timeout(10);
  assert_false(signal.aborted);
  signal.onabort = t.step_func_done(() => {
    assert_true(signal.aborted);
    assert_equals(signal.reason.name, "TimeoutError");
  });
}, "AbortSignal.timeout() aborts with a TimeoutError");

test(() => {
  assert_throws_js(TypeError, () => AbortSignal.timeout(-1), "[EnforceRange]");
}, "AbortSignal.timeout() enforces its range");

test(() => {
  const target = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  target.addEventListener("x", () => calls++, { signal: controller.signal });
  target.dispatchEvent(new Event("x"));
  controller.abort();
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 1, "aborting the signal removes the listener");
  target.addEventListener("x", () => calls++, { signal: controller.signal });
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 1, "an aborted signal adds no listener");
  assert_throws_js(TypeError, () => target.addEventListener("x", () => {}, { signal: {} }));
}, "addEventListener's signal option");

test(() => {
  // Regression: the abort algorithm that removes a listener used to trace the listener's
  // callback a second time, and QuickJS's garbage collector aborted the process.
  const controller = new AbortController();
  const target = new EventTarget();
  let calls = 0;
  for (let i = 0; i < 2000; i++) target.addEventListener("x", () => calls++, { signal: controller.signal });
  let garbage = [];
  for (let i = 0; i < 100000; i++) garbage.push({ i, a: [i] });
  garbage = null;
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 2000);
  controller.abort();
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 2000, "all removed");
}, "Listeners with a signal survive garbage collection");

async_test(t => {
  const signal = AbortSignal.timeout(20);
  // "Run steps after a timeout" is not a setTimeout timer: no id the page could clear.
  for (let id = -50; id < 1000; id++) clearTimeout(id);
  signal.onabort = t.step_func_done(() => assert_equals(signal.reason.name, "TimeoutError"));
}, "clearTimeout cannot cancel AbortSignal.timeout()");
