// META: title=ExtendableEvent (Service Workers §4.4)
// META: global=serviceworker
"use strict";

// The install event the service worker gets is trusted; capture it before it fires.
let installEvent;
const installed = new Promise(resolve => {
  self.addEventListener("install", e => {
    installEvent = e;
    const extended = new Promise(r => setTimeout(r, 20));
    e.waitUntil(extended);
    resolve({ event: e, extended });
  });
});

test(() => {
  const e = new ExtendableEvent("x");
  assert_true(e instanceof Event);
  assert_equals(Object.getPrototypeOf(ExtendableEvent.prototype), Event.prototype);
  assert_equals(ExtendableEvent.prototype.waitUntil.length, 1);
  assert_throws_dom("InvalidStateError", () => e.waitUntil(Promise.resolve()),
    "an untrusted event");
  const t = new EventTarget();
  let threw;
  t.addEventListener("x", ev => {
    try { ev.waitUntil(Promise.resolve()); } catch (err) { threw = err; }
  });
  t.dispatchEvent(e);
  assert_equals(threw && threw.name, "InvalidStateError", "untrusted, even while dispatched");
}, "waitUntil on an untrusted event throws InvalidStateError (add lifetime promise step 1)");

promise_test(async () => {
  const { event, extended } = await installed;
  assert_true(event.isTrusted, "install is trusted");
  assert_true(event instanceof ExtendableEvent, "install is an ExtendableEvent");
  // The event has a pending lifetime promise, so it is still active after dispatch.
  event.waitUntil(Promise.resolve("more"));
  await extended;
  // Let the settled promises' bookkeeping run (a microtask, then a task).
  await new Promise(r => setTimeout(r, 0));
  assert_throws_dom("InvalidStateError", () => event.waitUntil(Promise.resolve()),
    "no longer active once every lifetime promise settled");
}, "A trusted event stays active while a lifetime promise is pending");
