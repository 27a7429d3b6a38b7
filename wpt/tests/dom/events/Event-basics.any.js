// META: title=Event and CustomEvent (DOM §2.2, §2.4)
// META: global=window,worker
"use strict";

test(() => {
  const e = new Event("hello");
  assert_equals(e.type, "hello");
  assert_false(e.bubbles);
  assert_false(e.cancelable);
  assert_false(e.composed);
  assert_false(e.defaultPrevented);
  assert_false(e.isTrusted);
  assert_equals(e.target, null);
  assert_equals(e.currentTarget, null);
  assert_equals(e.srcElement, null);
  assert_equals(e.eventPhase, Event.NONE);
  assert_true(e.returnValue);
  assert_false(e.cancelBubble);
  assert_equals(typeof e.timeStamp, "number");
  assert_greater_than(e.timeStamp, 0);
  assert_array_equals(e.composedPath(), []);
}, "A new Event's state");

test(() => {
  assert_equals(Event.NONE, 0);
  assert_equals(Event.CAPTURING_PHASE, 1);
  assert_equals(Event.AT_TARGET, 2);
  assert_equals(Event.BUBBLING_PHASE, 3);
  assert_equals(Event.prototype.AT_TARGET, 2);
  const d = Object.getOwnPropertyDescriptor(Event, "AT_TARGET");
  assert_false(d.writable, "constants are read-only");
  assert_true(d.enumerable, "constants are enumerable");
  assert_false(d.configurable, "constants are not configurable");
}, "Phase constants");

test(() => {
  const e = new Event("x");
  const d = Object.getOwnPropertyDescriptor(e, "isTrusted");
  assert_not_equals(d, undefined, "isTrusted is an own property ([LegacyUnforgeable])");
  assert_false(d.configurable);
  assert_equals(Object.getOwnPropertyDescriptor(Event.prototype, "isTrusted"), undefined);
  assert_not_equals(Object.getOwnPropertyDescriptor(new Event("y"), "isTrusted").get, undefined);
}, "isTrusted is unforgeable");

test(() => {
  const e = new Event("x", { cancelable: true });
  e.preventDefault();
  assert_true(e.defaultPrevented, "the canceled flag is set outside dispatch too");
  assert_false(e.returnValue);
  const plain = new Event("x");
  plain.preventDefault();
  assert_false(plain.defaultPrevented, "not cancelable");
  plain.returnValue = false;
  assert_false(plain.defaultPrevented, "returnValue = false on a non-cancelable event");
  const c = new Event("x", { cancelable: true });
  c.returnValue = false;
  assert_true(c.defaultPrevented, "returnValue = false cancels");
  c.returnValue = true;
  assert_true(c.defaultPrevented, "returnValue = true does not undo it");
}, "preventDefault and returnValue");

test(() => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener("x", e => { order.push(1); e.cancelBubble = true; });
  t.addEventListener("x", e => { order.push(2); assert_true(e.cancelBubble); });
  t.dispatchEvent(new Event("x"));
  assert_array_equals(order, [1, 2], "cancelBubble stops propagation, not the target's listeners");
  const e = new Event("y");
  e.cancelBubble = true;
  e.cancelBubble = false;
  assert_true(e.cancelBubble, "cancelBubble cannot be reset to false");
}, "cancelBubble");

test(() => {
  const t = new EventTarget();
  const e = new Event("x", { bubbles: true });
  let during;
  t.addEventListener("x", ev => {
    during = { target: ev.target, current: ev.currentTarget, phase: ev.eventPhase, path: ev.composedPath() };
  });
  t.dispatchEvent(e);
  assert_equals(during.target, t);
  assert_equals(during.current, t);
  assert_equals(during.phase, Event.AT_TARGET);
  assert_array_equals(during.path, [t]);
  assert_equals(e.currentTarget, null, "currentTarget is cleared after dispatch");
  assert_equals(e.eventPhase, Event.NONE);
  assert_equals(e.target, t, "target stays");
  assert_array_equals(e.composedPath(), []);
}, "State during and after dispatch");

test(() => {
  const e = new Event("x");
  e.initEvent("renamed", true, true);
  assert_equals(e.type, "renamed");
  assert_true(e.bubbles && e.cancelable);
  const t = new EventTarget();
  let inner;
  t.addEventListener("renamed", ev => { ev.initEvent("again", false, false); inner = ev.type; });
  t.dispatchEvent(e);
  assert_equals(inner, "renamed", "initEvent does nothing during dispatch");
}, "initEvent");

test(() => {
  const detail = [1, 2];
  const e = new CustomEvent("c", { detail, bubbles: true });
  assert_true(e instanceof Event);
  assert_equals(e.detail, detail);
  assert_true(e.bubbles);
  assert_equals(Object.getPrototypeOf(CustomEvent.prototype), Event.prototype);
  assert_equals(Object.getPrototypeOf(CustomEvent), Event);
  e.initCustomEvent("d", false, false, 5);
  assert_equals(e.type, "d");
  assert_equals(e.detail, 5);
}, "CustomEvent");

test(() => {
  class MyEvent extends Event {
    constructor() { super("mine", { cancelable: true }); this.extra = 1; }
  }
  const e = new MyEvent();
  assert_true(e instanceof MyEvent);
  assert_equals(e.type, "mine");
  assert_true(e.cancelable);
  const t = new EventTarget();
  let got;
  t.addEventListener("mine", ev => got = ev);
  t.dispatchEvent(e);
  assert_equals(got, e);
}, "Event can be subclassed");
