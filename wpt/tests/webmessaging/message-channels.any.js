// META: title=MessageChannel and MessagePort (HTML §9.4 channel messaging)
// META: global=window,worker
"use strict";

// Resolves with the next `type` event at `target`.
function next(target, type = "message") {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}
// Resolves after `ms` milliseconds (to show that something did not happen).
function delay(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

test(() => {
  const c = new MessageChannel();
  assert_true(c.port1 instanceof MessagePort);
  assert_true(c.port2 instanceof MessagePort);
  assert_true(c.port1 instanceof EventTarget);
  assert_not_equals(c.port1, c.port2);
  assert_equals(c.port1, c.port1, "port1 is the same object every time");
  assert_throws_js(TypeError, () => MessageChannel(), "called without new");
  assert_throws_js(TypeError, () => new MessagePort(), "MessagePort has no constructor");
  assert_equals(MessagePort.prototype.postMessage.length, 1);
  assert_equals(c.port1.onmessage, null);
  assert_equals(c.port1.onmessageerror, null);
  assert_equals(c.port1.onclose, null);
}, "MessageChannel creates two ports");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const sent = { text: "hi", list: [1, 2, 3], when: new Date(5) };
  port1.postMessage(sent);
  port2.start();
  const e = await next(port2);
  assert_true(e instanceof MessageEvent, "a MessageEvent");
  assert_true(e.isTrusted);
  assert_equals(e.target, port2);
  assert_false(e.bubbles);
  assert_false(e.cancelable);
  assert_not_equals(e.data, sent, "the data is a clone");
  assert_equals(e.data.text, "hi");
  assert_array_equals(e.data.list, [1, 2, 3]);
  assert_equals(e.data.when.getTime(), 5);
  assert_equals(e.origin, "");
  assert_equals(e.lastEventId, "");
  assert_equals(e.source, null);
  assert_equals(e.ports.length, 0);
  assert_true(Object.isFrozen(e.ports));
}, "A message arrives as a trusted MessageEvent with a clone of the data");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.addEventListener("message", e => got.push(e.data));
  port1.postMessage(1);
  port1.postMessage(2);
  await delay(50);
  assert_array_equals(got, [], "nothing arrives before start()");
  port2.start();
  port1.postMessage(3);
  await delay(50);
  assert_array_equals(got, [1, 2, 3], "queued messages arrive in order after start()");
}, "The port message queue is disabled until start()");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.onmessage = e => got.push(e.data);
  port1.postMessage("a");
  port2.postMessage("b");
  await delay(50);
  assert_array_equals(got, ["a"], "setting onmessage started port2 only");
}, "Setting onmessage enables the port message queue");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const order = [];
  port2.onmessage = e => {
    order.push("message " + e.data);
    Promise.resolve().then(() => order.push("microtask " + e.data));
  };
  port1.postMessage(1);
  port1.postMessage(2);
  await delay(50);
  assert_array_equals(order, ["message 1", "microtask 1", "message 2", "microtask 2"]);
}, "Each message is its own task (microtasks run in between)");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  port1.postMessage({ buffer }, [buffer]);
  assert_equals(buffer.byteLength, 0, "the sender's buffer is detached");
  port2.start();
  const e = await next(port2);
  assert_array_equals(new Uint8Array(e.data.buffer), [1, 2, 3]);
  assert_equals(e.ports.length, 0, "an ArrayBuffer is not a port");
}, "postMessage(message, transfer) transfers ArrayBuffers");

promise_test(async () => {
  const a = new MessageChannel();
  const b = new MessageChannel();
  a.port1.postMessage("carrying a port", { transfer: [b.port2] });
  a.port2.start();
  const e = await next(a.port2);
  assert_equals(e.data, "carrying a port");
  assert_equals(e.ports.length, 1);
  const moved = e.ports[0];
  assert_true(moved instanceof MessagePort);
  assert_not_equals(moved, b.port2, "the receiver gets a new MessagePort object");
  // The moved port is still entangled with b.port1, both ways.
  b.port1.postMessage("to the moved port");
  moved.start();
  assert_equals((await next(moved)).data, "to the moved port");
  moved.postMessage("back");
  b.port1.start();
  assert_equals((await next(b.port1)).data, "back");
}, "A transferred port stays entangled");

promise_test(async () => {
  const a = new MessageChannel();
  const b = new MessageChannel();
  b.port1.postMessage("early 1");
  b.port1.postMessage("early 2");
  a.port1.postMessage(null, [b.port2]);
  a.port2.start();
  const moved = (await next(a.port2)).ports[0];
  const got = [];
  moved.onmessage = e => got.push(e.data);
  await delay(50);
  assert_array_equals(got, ["early 1", "early 2"]);
}, "Messages queued on a port move with it");

promise_test(async () => {
  const a = new MessageChannel();
  const b = new MessageChannel();
  a.port1.postMessage(null, [b.port2]);
  const got = [];
  b.port2.onmessage = e => got.push(e.data);
  b.port1.postMessage("after transfer");
  b.port2.postMessage("from the old object");
  assert_throws_dom("DataCloneError", () => a.port1.postMessage(null, [b.port2]),
                    "a transferred port is detached");
  a.port2.start();
  const moved = (await next(a.port2)).ports[0];
  moved.start();
  assert_equals((await next(moved)).data, "after transfer");
  await delay(30);
  assert_array_equals(got, [], "the old object receives nothing");
}, "The transferred port's old object is detached");

test(() => {
  const { port1, port2 } = new MessageChannel();
  const other = new MessageChannel();
  assert_throws_dom("DataCloneError", () => port1.postMessage(null, [port1]), "itself");
  assert_throws_dom("DataCloneError", () => port1.postMessage(other.port1), "a port not transferred");
  assert_throws_dom("DataCloneError", () => port1.postMessage(null, [other.port1, other.port1]),
                    "listed twice");
  assert_throws_dom("DataCloneError", () => port1.postMessage(null, [{}]), "not transferable");
  assert_throws_dom("DataCloneError", () => port1.postMessage(() => {}), "a function");
  assert_throws_js(TypeError, () => port1.postMessage(), "no message");
  assert_throws_js(TypeError, () => port1.postMessage(1, 5), "transfer not a sequence");
  // None of the failures transferred anything.
  port1.postMessage(null, [other.port1]);
}, "postMessage() errors");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const other = new MessageChannel();
  port1.postMessage("doomed", [port2, other.port1]);
  const closed = next(other.port2, "close");
  other.port2.start();
  await closed;
  const got = [];
  other.port2.onmessage = e => got.push(e.data);
  await delay(30);
  assert_array_equals(got, []);
}, "Posting a port's entangled port through it loses the message and the ports it carried");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.onmessage = e => got.push(e.data);
  const closed = next(port2, "close");
  port1.postMessage("before close");
  port1.close();
  port1.postMessage("after close");
  const e = await closed;
  assert_true(e.isTrusted);
  assert_equals(e.constructor, Event);
  assert_array_equals(got, ["before close"], "messages sent before close() still arrive first");
  port2.postMessage("to a closed port");
  port1.close();
  assert_throws_dom("DataCloneError", () => new MessageChannel().port1.postMessage(null, [port1]),
                    "a closed port is detached");
}, "close() disentangles: the other port gets a close event");

test(() => {
  const { port1, port2 } = new MessageChannel();
  const clone = structuredClone(port2, { transfer: [port2] });
  assert_true(clone instanceof MessagePort);
  assert_not_equals(clone, port2);
  assert_throws_dom("DataCloneError", () => structuredClone(port1), "ports are not serializable");
}, "structuredClone() can transfer a port");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const clone = structuredClone(port2, { transfer: [port2] });
  port1.postMessage("to the clone");
  clone.start();
  assert_equals((await next(clone)).data, "to the clone");
}, "A port transferred by structuredClone() receives its messages");

test(() => {
  const { port1 } = new MessageChannel();
  for (const name of ["postMessage", "start", "close"]) {
    assert_throws_js(TypeError, () => MessagePort.prototype[name].call({}, 1), name);
  }
  const get = Object.getOwnPropertyDescriptor(MessageChannel.prototype, "port1").get;
  assert_throws_js(TypeError, () => get.call(port1));
}, "Brand checks");
