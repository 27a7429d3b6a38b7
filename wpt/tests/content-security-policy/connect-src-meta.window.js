// META: title=A Content-Security-Policy <meta> inserted by script applies connect-src to fetch() (CSP3 §4.2, HTML §4.2.5.3)
"use strict";

const SAME = "/fetch/api/resources/data.txt";

function meta(content) {
  const m = document.createElement("meta");
  m.httpEquiv = "Content-Security-Policy";
  m.content = content;
  return m;
}

promise_test(async t => {
  const inBody = meta("connect-src 'none'");
  document.body.appendChild(inBody);
  t.add_cleanup(() => inBody.remove());
  const empty = meta("");
  document.head.appendChild(empty);
  t.add_cleanup(() => empty.remove());
  const r = await fetch(SAME);
  assert_equals(r.status, 200, "a policy <meta> outside <head>, or an empty one, is ignored");
}, "Only a <meta> in <head> with content sets a policy");

promise_test(async t => {
  const m = meta("connect-src 'none'");
  document.head.appendChild(m);
  await promise_rejects_js(t, TypeError, fetch(SAME), "same origin");
  await promise_rejects_js(t, TypeError, fetch(new Request(SAME)), "a Request");
  m.remove();
  await promise_rejects_js(t, TypeError, fetch(SAME), "removing the <meta> does not lift the policy");
}, "connect-src 'none' from an inserted <meta> blocks fetch() with a TypeError");
