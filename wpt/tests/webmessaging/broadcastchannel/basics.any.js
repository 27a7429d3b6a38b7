// META: title=BroadcastChannel in one global (HTML §9.5)
// META: global=window,dedicatedworker,sharedworker
"use strict";

function nextMessage(channel) {
  return new Promise(resolve => channel.addEventListener("message", resolve, { once: true }));
}

test(() => {
  assert_throws_js(TypeError, () => BroadcastChannel("x"), "called without new");
  assert_throws_js(TypeError, () => new BroadcastChannel(), "no name");
  const c = new BroadcastChannel("basics");
  assert_equals(c.name, "basics");
  assert_equals(new BroadcastChannel(42).name, "42", "the name is a DOMString");
  assert_true(c instanceof EventTarget);
  assert_equals(c.onmessage, null);
  assert_equals(c.onmessageerror, null);
  c.close();
  c.close();
  assert_throws_dom("InvalidStateError", () => c.postMessage("after close"));
}, "The BroadcastChannel interface; postMessage() after close() throws InvalidStateError");

test(() => {
  const c = new BroadcastChannel("clone");
  assert_throws_dom("DataCloneError", () => c.postMessage(() => {}));
  assert_throws_dom("DataCloneError", () => c.postMessage(Symbol("s")));
  c.close();
}, "A message that cannot be serialized throws DataCloneError");

promise_test(async t => {
  const a = new BroadcastChannel("pair");
  const b = new BroadcastChannel("pair");
  const c = new BroadcastChannel("pair");
  const other = new BroadcastChannel("another name");
  t.add_cleanup(() => [a, b, c, other].forEach(x => x.close()));
  const received = [];
  for (const [label, channel] of [["a", a], ["b", b], ["c", c], ["other", other]]) {
    channel.onmessage = e => received.push(label + ":" + e.data.n);
  }
  const last = nextMessage(c);
  a.postMessage({ n: 1 });
  b.postMessage({ n: 2 });
  const e = await last;
  await new Promise(resolve => t.step_timeout(resolve, 20));
  assert_true(e instanceof MessageEvent);
  assert_true(e.isTrusted);
  assert_equals(e.origin, self.origin, "origin");
  assert_equals(e.source, null);
  assert_array_equals(e.ports, []);
  assert_equals(e.target, c);
  // Not to itself, not to another name; in creation order for each message, messages in
  // the order they were sent.
  assert_array_equals(received, ["b:1", "c:1", "a:2", "c:2"]);
}, "Messages reach every other channel of the name, in order, never the sender");

promise_test(async t => {
  const a = new BroadcastChannel("closing");
  const b = new BroadcastChannel("closing");
  const c = new BroadcastChannel("closing");
  t.add_cleanup(() => [a, c].forEach(x => x.close()));
  let bGot = false;
  b.onmessage = () => (bGot = true);
  const got = nextMessage(c);
  a.postMessage("one");
  b.close();
  assert_equals((await got).data, "one");
  assert_false(bGot, "a channel closed before delivery gets nothing");
}, "A channel closed after the message was sent does not receive it");

promise_test(async t => {
  const a = new BroadcastChannel("structured");
  const b = new BroadcastChannel("structured");
  t.add_cleanup(() => [a, b].forEach(x => x.close()));
  const got = nextMessage(b);
  const value = { map: new Map([[1, "one"]]), bytes: new Uint8Array([1, 2, 3]), date: new Date(5) };
  a.postMessage(value);
  const { data } = await got;
  assert_not_equals(data, value);
  assert_equals(data.map.get(1), "one");
  assert_array_equals(Array.from(data.bytes), [1, 2, 3]);
  assert_equals(data.date.getTime(), 5);
}, "Messages are structured clones");
