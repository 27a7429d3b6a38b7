// META: title=A frame of another origin: cross-origin WindowProxy objects and postMessage (HTML §7.2.3, §9.3)
"use strict";
// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-windowproxy-exotic-object
// https://html.spec.whatwg.org/multipage/nav-history-apis.html#crossoriginproperties-(-o-)
// https://html.spec.whatwg.org/multipage/web-messaging.html#window-post-message-steps

// The same server under another host name: another origin.
const CROSS_ORIGIN = self.origin.replace("://", "://www1.");
const CHILD = CROSS_ORIGIN + "/html/browsers/iframe/resources/cross-origin-child.html";

// Appends an iframe of `src`; resolves with it once its page said it is ready.
function crossOriginFrame(t) {
  const frame = document.createElement("iframe");
  t.add_cleanup(() => frame.remove());
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the frame never said it is ready")), 4000);
    window.addEventListener("message", function listener(e) {
      if (!e.data || !e.data.ready) return;
      window.removeEventListener("message", listener);
      clearTimeout(timer);
      resolve(e);
    });
  });
  frame.src = CHILD;
  document.body.append(frame);
  return ready.then(e => ({ frame, readyEvent: e }));
}

function nextMessage() {
  return new Promise(resolve => window.addEventListener("message", e => resolve(e), { once: true }));
}

promise_test(async t => {
  const { frame, readyEvent } = await crossOriginFrame(t);
  const w = frame.contentWindow;
  assert_not_equals(w, null, "a WindowProxy for a cross-origin frame");
  assert_equals(frame.contentWindow, w, "the same object each time");
  assert_equals(frame.contentDocument, null, "no document of another origin");
  assert_equals(readyEvent.origin, CROSS_ORIGIN, "the message's origin is the frame's");
  assert_equals(readyEvent.source, w, "the message's source is the frame's WindowProxy");
  assert_equals(readyEvent.data.origin, CROSS_ORIGIN);
}, "A cross-origin frame has a WindowProxy, no contentDocument, and messages from it carry its origin");

promise_test(async t => {
  const { frame } = await crossOriginFrame(t);
  const w = frame.contentWindow;
  assert_equals(w.window, w, "window");
  assert_equals(w.self, w, "self");
  assert_equals(w.frames, w, "frames");
  assert_equals(w.parent, window, "its parent is this window");
  assert_equals(w.top, window, "its top is this window");
  assert_false(w.closed);
  assert_equals(w.length, 0);
  assert_equals(w.opener, null);
  assert_equals(typeof w.postMessage, "function");
  assert_equals(w.then, undefined, "then is undefined (so it is no thenable)");
  for (const name of ["document", "location.href", "name", "localStorage", "eval", "Array", "childValue"]) {
    const [first] = name.split(".");
    assert_throws_dom("SecurityError", () => w[first], `reading ${first}`);
  }
  assert_throws_dom("SecurityError", () => { w.foo = 1; }, "setting a property");
  assert_throws_dom("SecurityError", () => Object.defineProperty(w, "x", { value: 1 }));
  assert_throws_dom("SecurityError", () => "document" in w);
  assert_equals(Object.getPrototypeOf(w), null, "no prototype to climb");
  assert_true(Object.getOwnPropertyNames(w).includes("postMessage"));
  assert_false(Object.getOwnPropertyNames(w).includes("document"));
}, "A cross-origin WindowProxy exposes only HTML's CrossOriginProperties; anything else is a SecurityError");

promise_test(async t => {
  const { frame } = await crossOriginFrame(t);
  const w = frame.contentWindow;
  const reply = nextMessage();
  w.postMessage("hello", CROSS_ORIGIN);
  const e = await reply;
  assert_equals(e.origin, CROSS_ORIGIN);
  assert_equals(e.source, w);
  assert_equals(e.data.echo, "hello");
  assert_equals(e.data.origin, self.origin, "the frame saw this page's origin");
  assert_equals(e.data.selfOrigin, CROSS_ORIGIN);
  assert_true(e.data.sourceIsParent, "in the frame, the event's source is its parent's WindowProxy");
  assert_true(e.data.parentIsTop);
  assert_equals(e.data.documentAccess, "SecurityError", "the frame cannot read this page's document");
  assert_equals(e.data.frameElement, null, "frameElement is null across origins");
}, "postMessage to a cross-origin frame and back; the frame cannot reach this page's objects");

promise_test(async t => {
  const { frame } = await crossOriginFrame(t);
  const w = frame.contentWindow;
  const got = [];
  const listener = e => got.push(e.data.echo);
  window.addEventListener("message", listener);
  t.add_cleanup(() => window.removeEventListener("message", listener));
  w.postMessage("to this origin: dropped", self.origin);
  w.postMessage("with slash: dropped", "/");
  w.postMessage("matching", CROSS_ORIGIN);
  await new Promise(resolve => {
    const check = () => got.length ? resolve() : setTimeout(check, 10);
    check();
  });
  await new Promise(resolve => setTimeout(resolve, 100));
  assert_array_equals(got, ["matching"], "only the message whose targetOrigin matches arrives");
}, "A message to a cross-origin frame is dropped unless its targetOrigin is the frame's origin");

promise_test(async t => {
  const { frame } = await crossOriginFrame(t);
  const w = frame.contentWindow;
  frame.remove();
  assert_equals(frame.contentWindow, null);
  assert_true(w.closed, "the removed frame's WindowProxy is closed");
  assert_equals(w.parent, null);
  assert_equals(w.top, null);
}, "A removed cross-origin frame's WindowProxy is closed");
