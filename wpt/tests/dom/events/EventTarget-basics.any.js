// META: title=EventTarget: add, remove and dispatch (DOM §2.7-2.9)
"use strict";

test(() => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  target.addEventListener("x", listener);
  target.addEventListener("x", listener);
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 1, "the same listener is added once");
  target.removeEventListener("x", listener);
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 1, "removed");
}, "A listener is added once and can be removed");

test(() => {
  const target = new EventTarget();
  const order = [];
  target.addEventListener("x", () => order.push("bubble"));
  target.addEventListener("x", () => order.push("capture"), true);
  target.dispatchEvent(new Event("x"));
  assert_array_equals(order, ["capture", "bubble"]);
}, "At the target, capturing listeners run first");

test(() => {
  const target = new EventTarget();
  let calls = 0;
  target.addEventListener("x", () => calls++, { once: true });
  target.dispatchEvent(new Event("x"));
  target.dispatchEvent(new Event("x"));
  assert_equals(calls, 1);
}, "once listeners run once");

test(() => {
  const target = new EventTarget();
  const event = new Event("x", { cancelable: true });
  target.addEventListener("x", e => e.preventDefault(), { passive: true });
  assert_true(target.dispatchEvent(event), "a passive listener cannot cancel");
  assert_false(event.defaultPrevented);
}, "passive listeners cannot cancel");

test(() => {
  const target = new EventTarget();
  const event = new Event("x", { cancelable: true });
  target.addEventListener("x", e => e.preventDefault());
  assert_false(target.dispatchEvent(event));
  assert_true(event.defaultPrevented);
}, "preventDefault on a cancelable event makes dispatchEvent return false");

test(() => {
  const target = new EventTarget();
  const seen = [];
  target.addEventListener("x", function (e) {
    seen.push(this === target, e.target === target, e.currentTarget === target,
              e.eventPhase === Event.AT_TARGET, e.isTrusted);
  });
  const event = new Event("x");
  target.dispatchEvent(event);
  assert_array_equals(seen, [true, true, true, true, false]);
  assert_equals(event.currentTarget, null, "currentTarget is reset");
  assert_equals(event.eventPhase, Event.NONE, "eventPhase is reset");
  assert_equals(event.target, target, "target stays");
}, "Listeners see this, target, currentTarget and the phase");

test(() => {
  const target = new EventTarget();
  const event = new Event("x");
  target.addEventListener("x", () => {
    assert_throws_dom("InvalidStateError", () => target.dispatchEvent(event));
  });
  target.dispatchEvent(event);
  const uninitialized = document_less_event();
  function document_less_event() { return new Event("y"); }
  assert_true(target.dispatchEvent(uninitialized));
}, "Dispatching an event that is being dispatched throws InvalidStateError");

test(() => {
  const target = new EventTarget();
  const order = [];
  target.addEventListener("x", e => { order.push(1); e.stopImmediatePropagation(); });
  target.addEventListener("x", () => order.push(2));
  target.dispatchEvent(new Event("x"));
  assert_array_equals(order, [1]);
}, "stopImmediatePropagation stops the remaining listeners");

test(() => {
  const target = new EventTarget();
  let called = false;
  target.addEventListener("x", { handleEvent(e) { called = this !== target && e.type === "x"; } });
  target.dispatchEvent(new Event("x"));
  assert_true(called, "handleEvent is called with the listener object as this");
}, "An object with handleEvent is a listener");

test(() => {
  const target = new EventTarget();
  assert_throws_js(TypeError, () => target.dispatchEvent({}));
  assert_throws_js(TypeError, () => target.addEventListener("x", 5));
  target.addEventListener("x", null);
}, "Bad arguments are TypeErrors; a null listener is ignored");

test(() => {
  class Sub extends EventTarget {}
  const s = new Sub();
  assert_true(s instanceof EventTarget);
  let fired = false;
  s.addEventListener("x", () => fired = true);
  s.dispatchEvent(new Event("x"));
  assert_true(fired);
}, "EventTarget can be subclassed");
