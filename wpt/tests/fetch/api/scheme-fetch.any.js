// META: title=fetch() of data: and about: URLs (Fetch "scheme fetch", the data: URL processor)
// META: global=window,worker
"use strict";

promise_test(async () => {
  const r = await fetch("data:,Hello%2C%20World!");
  assert_equals(r.status, 200);
  assert_equals(r.statusText, "OK");
  assert_equals(r.type, "basic");
  assert_equals(r.url, "data:,Hello%2C%20World!");
  assert_equals(r.headers.get("content-type"), "text/plain;charset=US-ASCII");
  assert_equals(await r.text(), "Hello, World!");
}, "A data: URL with no type is percent-decoded text/plain;charset=US-ASCII");

promise_test(async () => {
  const r = await fetch("data:application/octet-stream;BASE64,AAECAw==#fragment");
  assert_equals(r.headers.get("content-type"), "application/octet-stream");
  assert_array_equals([...new Uint8Array(await r.arrayBuffer())], [0, 1, 2, 3]);
  const t = await fetch("data:Text/HTML;Charset=UTF-8,%3Cp%3E");
  assert_equals(t.headers.get("content-type"), "text/html;charset=UTF-8");
  assert_equals(await t.text(), "<p>");
}, "base64 data: URLs decode; the MIME type is parsed and serialized");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch("data:text/plain"), "no comma");
  await promise_rejects_js(t, TypeError, fetch("data:;base64,%%%"), "invalid base64");
}, "Invalid data: URLs are network errors");

promise_test(async t => {
  const r = await fetch("about:blank");
  assert_equals(r.status, 200);
  assert_equals(r.headers.get("content-type"), "text/html;charset=utf-8");
  assert_equals(await r.text(), "");
  await promise_rejects_js(t, TypeError, fetch("about:srcdoc"));
}, "about:blank is an empty HTML response; other about: URLs are network errors");
