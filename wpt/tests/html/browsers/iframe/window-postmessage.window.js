// META: title=window.postMessage(): the window post message steps, to itself and between a parent and a same-origin child (HTML §9.3.3)
"use strict";

// https://html.spec.whatwg.org/multipage/web-messaging.html#posting-messages

const ECHO_URL = new URL("resources/echo.html", location.href).href;

function within(ms, what, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(
    () => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))]);
}

function wait(t, ms) {
  return new Promise(resolve => t.step_timeout(resolve, ms));
}

let lastToken = 0;
function newToken() {
  return "token-" + ++lastToken;
}

// The next message event at `target` for which `accept(event)` is true (within 3 s).
function nextMessage(target, accept, what = "the message") {
  return within(3000, what, new Promise(resolve => {
    target.addEventListener("message", function listener(e) {
      if (!accept(e)) return;
      target.removeEventListener("message", listener);
      resolve(e);
    });
  }));
}

// The next message to this window whose data is `data`, or an object whose token is `data`.
function messageFor(data) {
  return nextMessage(window, e => e.data === data || (e.data && e.data.token === data),
                     `the message ${data}`);
}

// Appends an iframe loading `url`; resolves with it after its load event.
function withIframe(t, url) {
  const frame = document.createElement("iframe");
  t.add_cleanup(() => frame.remove());
  const loaded = within(4000, "the iframe's load event",
    new Promise(resolve => frame.addEventListener("load", resolve, { once: true })));
  frame.src = url;
  document.body.append(frame);
  return loaded.then(() => frame);
}

promise_test(async t => {
  const token = newToken();
  let during = null;
  const listener = e => { if (e.data === token) during = e; };
  window.addEventListener("message", listener);
  t.add_cleanup(() => window.removeEventListener("message", listener));
  const received = messageFor(token);
  window.postMessage(token, "*");
  assert_equals(during, null, "not dispatched during the call");
  const e = await received;
  assert_true(e instanceof MessageEvent);
  assert_equals(e.type, "message");
  assert_true(e.isTrusted);
  assert_false(e.bubbles);
  assert_false(e.cancelable);
  assert_equals(e.target, window);
  assert_equals(e.data, token);
  assert_equals(e.origin, location.origin);
  assert_equals(e.origin, self.origin);
  assert_equals(e.source, window, "the WindowProxy of the poster");
  assert_equals(e.ports.length, 0);
  assert_equals(e.lastEventId, "");
}, "postMessage(data, '*') to itself: a MessageEvent, later, with data, origin and source");

promise_test(async () => {
  const viaOptions = newToken();
  const viaSlash = newToken();
  const viaDefault = newToken();
  const viaDefaultOptions = newToken();
  const viaUrl = newToken();
  const received = Promise.all([viaOptions, viaSlash, viaDefault, viaDefaultOptions, viaUrl]
    .map(messageFor));
  window.postMessage(viaOptions, { targetOrigin: "/" });
  window.postMessage(viaSlash, "/");
  window.postMessage(viaDefault);
  window.postMessage(viaDefaultOptions, {});
  // An absolute URL stands for its origin; its path and query do not matter.
  window.postMessage(viaUrl, location.origin + "/some/other/path?q#f");
  const events = await received;
  assert_array_equals(events.map(e => e.data),
    [viaOptions, viaSlash, viaDefault, viaDefaultOptions, viaUrl]);
}, "The options form, '/', the default target origin (same origin) and a same-origin URL deliver");

promise_test(async t => {
  const token = newToken();
  const kinds = [];
  const listener = e => { if (e.data && e.data.token === token) kinds.push(e.data.kind); };
  window.addEventListener("message", listener);
  t.add_cleanup(() => window.removeEventListener("message", listener));
  const other = location.protocol === "https:" ? "http:" : "https:";
  window.postMessage({ token, kind: "other host" }, "https://example.invalid");
  window.postMessage({ token, kind: "other scheme" }, other + "//" + location.host);
  window.postMessage({ token, kind: "other host (options)" },
                     { targetOrigin: "https://example.invalid/" });
  window.postMessage({ token, kind: "match" }, location.origin);
  for (let i = 0; i < 300 && kinds.length === 0; i++) await wait(t, 10);
  await wait(t, 100);
  assert_array_equals(kinds, ["match"], "only the matching message arrives");
}, "A target origin other than the window's drops the message silently");

test(() => {
  assert_throws_dom("SyntaxError", () => window.postMessage("x", "not a url"));
  assert_throws_dom("SyntaxError", () => window.postMessage("x", { targetOrigin: "not a url" }));
  assert_throws_dom("SyntaxError", () => window.postMessage("x", "http://["));
  assert_throws_dom("SyntaxError", () => window.postMessage(() => {}, "not a url"),
    "the target origin is checked before the message is serialized");
}, "An invalid target origin throws a SyntaxError");

promise_test(async () => {
  const token = newToken();
  const sent = { token, a: [1, 2], m: new Map([[1, 2]]) };
  const received = messageFor(token);
  window.postMessage(sent, "*");
  const data = (await received).data;
  assert_not_equals(data, sent, "a clone, not the object");
  assert_not_equals(data.a, sent.a);
  assert_array_equals(data.a, [1, 2]);
  assert_true(data.m instanceof Map);
  assert_not_equals(data.m, sent.m);
  assert_equals(data.m.size, 1);
  assert_equals(data.m.get(1), 2);
}, "The message is structured-cloned");

test(() => {
  assert_throws_dom("DataCloneError", () => window.postMessage(() => {}, "*"));
  assert_throws_dom("DataCloneError", () => window.postMessage({ f() {} }, "*"));
  assert_throws_dom("DataCloneError", () => window.postMessage(() => {}, "https://example.invalid"),
    "serialized even when the target origin will not match");
  const { port1 } = new MessageChannel();
  assert_throws_dom("DataCloneError", () => window.postMessage("x", "*", [port1, port1]),
    "a port listed twice");
}, "A value that cannot be cloned throws a DataCloneError synchronously");

promise_test(async t => {
  const token = newToken();
  const { port1, port2 } = new MessageChannel();
  t.add_cleanup(() => port1.close());
  const received = messageFor(token);
  window.postMessage({ token }, "*", [port2]);
  assert_throws_dom("DataCloneError", () => window.postMessage("again", "*", [port2]),
    "a transferred port is detached");
  const e = await received;
  assert_equals(e.ports.length, 1);
  const port = e.ports[0];
  assert_true(port instanceof MessagePort);
  assert_true(Object.isFrozen(e.ports));
  const through = within(3000, "the message through the port",
    new Promise(resolve => { port.onmessage = resolve; }));
  port1.postMessage("through the port");
  assert_equals((await through).data, "through the port");
  port.close();
}, "A transferred MessagePort arrives in ports and is entangled with its partner");

promise_test(async t => {
  const token = newToken();
  const { port1, port2 } = new MessageChannel();
  t.add_cleanup(() => port1.close());
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  const received = messageFor(token);
  window.postMessage({ token, buffer }, { transfer: [port2, buffer] });
  assert_equals(buffer.byteLength, 0, "the sender's ArrayBuffer is detached");
  const e = await received;
  assert_equals(e.ports.length, 1);
  assert_array_equals(Array.from(new Uint8Array(e.data.buffer)), [1, 2, 3]);
}, "postMessage(data, {transfer}) transfers ports and ArrayBuffers (default target origin)");

promise_test(async t => {
  const ready = nextMessage(window, e => e.data && e.data.ready === ECHO_URL,
                            "the child's message to its parent");
  const frame = await withIframe(t, ECHO_URL);
  const e = await ready;
  assert_equals(e.source, frame.contentWindow, "source is the child's WindowProxy");
  assert_equals(e.origin, location.origin);
  assert_equals(e.target, window);
}, "A child's parent.postMessage() reaches the parent with the child as source");

promise_test(async t => {
  const frame = await withIframe(t, ECHO_URL);
  const token = newToken();
  const reply = nextMessage(window, e => e.data && e.data.echo && e.data.echo.token === token,
                            "the child's echo");
  frame.contentWindow.postMessage({ token, list: [1, 2, 3] }, "*");
  const e = await reply;
  assert_equals(e.source, frame.contentWindow);
  assert_equals(e.data.echo.token, token);
  assert_array_equals(e.data.echo.list, [1, 2, 3]);
  assert_equals(e.data.origin, location.origin, "the child saw the parent's origin");
  assert_true(e.data.sourceIsParent, "the child saw the parent's WindowProxy as source");
}, "The parent posts to frame.contentWindow and the child answers through event.source");

promise_test(async t => {
  const frame = await withIframe(t, ECHO_URL);
  const delivered = newToken();
  const dropped = newToken();
  const replies = [];
  const listener = e => { if (e.data && e.data.echo) replies.push(e.data.echo); };
  window.addEventListener("message", listener);
  t.add_cleanup(() => window.removeEventListener("message", listener));
  frame.contentWindow.postMessage(dropped, "https://example.invalid");
  frame.contentWindow.postMessage(delivered, "/");
  for (let i = 0; i < 300 && replies.length === 0; i++) await wait(t, 10);
  await wait(t, 100);
  assert_array_equals(replies, [delivered],
    "'/' is the poster's origin, which is the child's; another origin is dropped");
}, "The target origin is checked against the child's origin");

promise_test(async t => {
  const frame = await withIframe(t, ECHO_URL);
  const w = frame.contentWindow;
  frame.remove();
  // Its document is no longer fully active: the message is never delivered, and posting is
  // not an error.
  w.postMessage("to a discarded window", "*");
  w.postMessage("to a discarded window", "/");
}, "Posting to the WindowProxy of a removed iframe does not throw");
