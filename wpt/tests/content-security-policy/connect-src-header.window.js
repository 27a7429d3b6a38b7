// META: title=connect-src from a Content-Security-Policy header (CSP3 §6.1.2)
"use strict";

const PATH = "/fetch/api/resources/data.txt";
// The same server under another host name: cross-origin.
const CROSS = self.origin.replace("://", "://www1.") + PATH;

promise_test(async () => {
  const r = await fetch(PATH);
  assert_equals(r.status, 200, "'self' allows the page's origin");
}, "A same-origin fetch is allowed by connect-src 'self'");

promise_test(t => promise_rejects_js(t, TypeError, fetch(CROSS, { mode: "cors" })),
             "A cross-origin fetch is blocked by connect-src 'self'");

promise_test(async t => {
  self.scriptLog = [];
  const s = document.createElement("script");
  s.src = self.origin.replace("://", "://www1.") + "/html/scripting/resources/log.js?name=cross";
  const result = new Promise(r => { s.onload = () => r("load"); s.onerror = () => r("error"); });
  document.head.appendChild(s);
  t.add_cleanup(() => s.remove());
  assert_equals(await result, "load");
  assert_array_equals(self.scriptLog, ["cross"]);
}, "connect-src does not govern scripts");
