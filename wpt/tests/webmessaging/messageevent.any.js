// META: title=MessageEvent (HTML §9.3.1 the MessageEvent interface)
// META: global=window,worker
"use strict";

test(() => {
  const e = new MessageEvent("message");
  assert_equals(e.type, "message");
  assert_equals(e.data, null);
  assert_equals(e.origin, "");
  assert_equals(e.lastEventId, "");
  assert_equals(e.source, null);
  assert_false(e.bubbles);
  assert_false(e.cancelable);
  assert_false(e.isTrusted);
  assert_true(e instanceof Event);
}, "The constructor's defaults");

test(() => {
  const e = new MessageEvent("message");
  assert_true(Array.isArray(e.ports), "an array");
  assert_equals(e.ports.length, 0);
  assert_true(Object.isFrozen(e.ports), "frozen");
  assert_equals(e.ports, e.ports, "the same object every time");
}, "ports is a FrozenArray");

test(() => {
  const data = { a: [1, 2] };
  const { port1, port2 } = new MessageChannel();
  const e = new MessageEvent("x", {
    data, origin: "https://example.org", lastEventId: "17", source: port1,
    ports: [port1, port2], bubbles: true, cancelable: true,
  });
  assert_equals(e.data, data, "data is not cloned");
  assert_equals(e.origin, "https://example.org");
  assert_equals(e.lastEventId, "17");
  assert_equals(e.source, port1);
  assert_array_equals(e.ports, [port1, port2]);
  assert_true(Object.isFrozen(e.ports));
  assert_true(e.bubbles);
  assert_true(e.cancelable);
}, "The constructor's dictionary");

test(() => {
  assert_throws_js(TypeError, () => new MessageEvent("x", { ports: [1] }), "a non-port in ports");
  assert_throws_js(TypeError, () => new MessageEvent("x", { ports: 7 }), "ports not iterable");
  assert_throws_js(TypeError, () => new MessageEvent("x", { source: {} }), "a plain object as source");
  assert_throws_js(TypeError, () => new MessageEvent(), "no type");
  assert_throws_js(TypeError, () => MessageEvent("x"), "called without new");
}, "The constructor rejects bad arguments");

test(() => {
  const e = new MessageEvent("a");
  const { port1 } = new MessageChannel();
  assert_equals(MessageEvent.prototype.initMessageEvent.length, 1);
  const before = e.ports;
  e.initMessageEvent("b", true, true, 42, "null", "id", port1, [port1]);
  assert_equals(e.type, "b");
  assert_true(e.bubbles);
  assert_true(e.cancelable);
  assert_equals(e.data, 42);
  assert_equals(e.origin, "null");
  assert_equals(e.lastEventId, "id");
  assert_equals(e.source, port1);
  assert_array_equals(e.ports, [port1]);
  assert_not_equals(e.ports, before, "a new frozen array");
  assert_true(Object.isFrozen(e.ports));
  e.initMessageEvent("c");
  assert_equals(e.data, null, "the defaults apply again");
  assert_equals(e.source, null);
  assert_equals(e.ports.length, 0);
}, "initMessageEvent()");

test(() => {
  const e = new MessageEvent("a", { data: 1 });
  // initMessageEvent does nothing while the event is dispatched.
  const target = new EventTarget();
  target.addEventListener("a", () => {
    e.initMessageEvent("changed", false, false, 2);
  });
  target.dispatchEvent(e);
  assert_equals(e.type, "a");
  assert_equals(e.data, 1);
}, "initMessageEvent() during dispatch does nothing");

test(() => {
  const get = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data").get;
  assert_throws_js(TypeError, () => get.call(new Event("x")));
  assert_throws_js(TypeError, () => MessageEvent.prototype.initMessageEvent.call({}, "x"));
}, "Brand checks");
