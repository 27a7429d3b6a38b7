// META: title=A sandboxed iframe without allow-same-origin has an opaque origin (HTML sandboxing, Cache API)
"use strict";
// https://html.spec.whatwg.org/multipage/browsers.html#sandboxed-origin-browsing-context-flag
// https://w3c.github.io/ServiceWorker/#cachestorage (an opaque origin has no storage bottle)

function sandboxedFrame(t, sandbox) {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", sandbox);
  t.add_cleanup(() => frame.remove());
  const report = new Promise(resolve => window.addEventListener("message", function listener(e) {
    if (e.source !== frame.contentWindow) return;
    window.removeEventListener("message", listener);
    resolve(e);
  }));
  frame.src = "resources/sandbox-child.html";
  document.body.append(frame);
  return report;
}

promise_test(async t => {
  const e = await sandboxedFrame(t, "allow-scripts");
  assert_equals(e.origin, "null", "the message comes from an opaque origin");
  assert_equals(e.data.origin, "null", "self.origin in the frame");
  assert_equals(e.data.caches, "SecurityError", "no Cache API for an opaque origin");
}, "Without allow-same-origin: an opaque origin, and the Cache API rejects with SecurityError");

promise_test(async t => {
  const e = await sandboxedFrame(t, "allow-scripts allow-same-origin");
  assert_equals(e.origin, self.origin);
  assert_equals(e.data.caches, "allowed");
}, "With allow-same-origin: the URL's origin, and the Cache API works");
