// META: title=default-src from a header is the fallback of connect-src and script-src-elem (CSP3 §6.8.3)
"use strict";

const PATH = "/fetch/api/resources/data.txt";
const CROSS_ORIGIN = self.origin.replace("://", "://www1.");

promise_test(async t => {
  assert_equals((await fetch(PATH)).status, 200);
  await promise_rejects_js(t, TypeError, fetch(CROSS_ORIGIN + PATH));
}, "default-src 'self' governs fetch() when there is no connect-src");

promise_test(async t => {
  self.scriptLog = [];
  const load = src => {
    const s = document.createElement("script");
    s.src = src;
    document.head.appendChild(s);
    t.add_cleanup(() => s.remove());
    return new Promise(r => { s.onload = () => r("load"); s.onerror = () => r("error"); });
  };
  assert_equals(await load("/html/scripting/resources/log.js?name=same"), "load");
  assert_equals(await load(CROSS_ORIGIN + "/html/scripting/resources/log.js?name=cross"), "error");
  assert_array_equals(self.scriptLog, ["same"]);
}, "default-src 'self' governs script elements when there is no script-src");

test(t => {
  self.inlineRan = false;
  const s = document.createElement("script");
  s.textContent = "self.inlineRan = true;";
  document.head.appendChild(s);
  t.add_cleanup(() => s.remove());
  assert_false(self.inlineRan, "no 'unsafe-inline'");
}, "default-src without 'unsafe-inline' blocks inline scripts");
