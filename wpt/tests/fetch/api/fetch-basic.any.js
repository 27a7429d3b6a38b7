// META: title=fetch() (Fetch §5.6)
// META: global=window,worker
"use strict";

const DATA = "/fetch/api/resources/data.txt";
// The same server under another host name: cross-origin.
const CROSS = self.origin.replace("://", "://www1.");

promise_test(async () => {
  const r = await fetch(DATA);
  assert_true(r instanceof Response);
  assert_equals(r.status, 200);
  assert_true(r.ok);
  assert_equals(r.statusText, "OK");
  assert_equals(r.type, "basic");
  assert_equals(r.url, self.origin + DATA);
  assert_false(r.redirected);
  assert_equals(r.headers.get("x-custom"), "yes");
  assert_equals(r.headers.get("content-type"), "text/plain; charset=utf-8");
  assert_throws_js(TypeError, () => r.headers.set("a", "b"), "immutable headers");
  assert_equals(await r.text(), "hello from the server\n");
  assert_true(r.bodyUsed);
}, "A same-origin GET");

promise_test(async () => {
  const r = await fetch("/fetch/api/resources/missing.txt");
  assert_equals(r.status, 404);
  assert_false(r.ok);
  await r.text();
}, "A 404 is a response, not an error");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch("http://web-platform.test:1/"), "a bad port");
  await promise_rejects_js(t, TypeError, fetch("https://user:pw@web-platform.test/"), "credentials in the URL");
  await promise_rejects_js(t, TypeError, fetch(DATA, { method: "GET", body: "x" }), "GET with a body");
  await promise_rejects_js(t, TypeError, fetch("file:///etc/hostname"), "file: is a network error");
  await promise_rejects_js(t, TypeError, fetch("ftp://web-platform.test/x"), "an unknown scheme");
}, "Network errors and Request errors reject with a TypeError");

promise_test(async () => {
  const body = new Uint8Array([0, 1, 2, 255]);
  const r = await fetch("/background-fetch/resources/upload.py", {
    method: "POST", body, headers: { "Content-Type": "application/x-test" },
  });
  assert_equals(r.headers.get("content-type"), "application/x-test");
  assert_array_equals(new Uint8Array(await r.arrayBuffer()), [0, 1, 2, 255]);
  const fd = new FormData();
  fd.append("k", "v");
  const echoed = await fetch("/background-fetch/resources/upload.py", { method: "POST", body: fd });
  assert_equals((await echoed.formData()).get("k"), "v", "multipart round trip through the network");
}, "Request bodies go out");

promise_test(async () => {
  const target = encodeURIComponent(DATA);
  const r = await fetch(DATA + "?pipe=status(302)|header(Location," + DATA + ")");
  assert_true(r.redirected);
  assert_equals(r.status, 200);
  assert_equals(await r.text(), "hello from the server\n");
  const manual = await fetch(DATA + "?pipe=status(302)|header(Location," + DATA + ")", { redirect: "manual" });
  assert_equals(manual.type, "opaqueredirect");
  assert_equals(manual.status, 0);
  assert_true(target.length > 0);
}, "Redirects");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch(CROSS + DATA), "no Access-Control-Allow-Origin");
  const ok = await fetch(CROSS + DATA + "?pipe=header(Access-Control-Allow-Origin,*)");
  assert_equals(ok.type, "cors");
  assert_equals(ok.headers.get("content-type"), "text/plain; charset=utf-8", "safelisted");
  assert_equals(ok.headers.get("x-custom"), null, "not exposed");
  const exposed = await fetch(CROSS + DATA + "?pipe=header(Access-Control-Allow-Origin,*)|header(Access-Control-Expose-Headers,X-Custom)");
  assert_equals(exposed.headers.get("x-custom"), "yes");
  const opaque = await fetch(CROSS + DATA, { mode: "no-cors" });
  assert_equals(opaque.type, "opaque");
  assert_equals(opaque.status, 0);
  assert_equals(await opaque.text(), "", "an opaque body is empty to script");
  await promise_rejects_js(t, TypeError, fetch(CROSS + DATA, { mode: "same-origin" }));
}, "CORS and modes");
