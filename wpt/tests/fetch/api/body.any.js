// META: title=Body mixin: extracting and consuming bodies (Fetch §5.3)
// META: global=window,worker
"use strict";

promise_test(async t => {
  const bytes = new Uint8Array([0xE2, 0x82, 0xAC, 0x21]);
  assert_equals(await new Response(bytes).text(), "€!", "a typed array");
  assert_equals(await new Response(bytes.buffer).text(), "€!", "an ArrayBuffer");
  assert_equals(await new Response(new DataView(bytes.buffer, 3)).text(), "!", "a DataView");
  const blob = new Blob(["blob!"], { type: "text/x-mine" });
  const fromBlob = new Response(blob);
  assert_equals(fromBlob.headers.get("content-type"), "text/x-mine");
  assert_equals(await fromBlob.text(), "blob!");
  const params = new URLSearchParams("a=1&b=2 3");
  const fromParams = new Response(params);
  assert_equals(fromParams.headers.get("content-type"), "application/x-www-form-urlencoded;charset=UTF-8");
  assert_equals(await fromParams.text(), "a=1&b=2+3");
  assert_equals(new Response(new ArrayBuffer(1)).headers.get("content-type"), null, "no type for bytes");
}, "Extracting bodies");

promise_test(async t => {
  assert_equals((await new Response("{\"x\": [1]}").json()).x[0], 1);
  await promise_rejects_js(t, SyntaxError, new Response("{nope").json());
  const ab = await new Response("ab").arrayBuffer();
  assert_true(ab instanceof ArrayBuffer);
  assert_equals(ab.byteLength, 2);
  const u8 = await new Response("ab").bytes();
  assert_true(u8 instanceof Uint8Array);
  assert_array_equals(u8, [0x61, 0x62]);
  const b = await new Response("x", { headers: { "Content-Type": "Text/Plain; Charset=UTF-8" } }).blob();
  assert_true(b instanceof Blob);
  assert_equals(b.type, "text/plain;charset=UTF-8");
  assert_equals(await b.text(), "x");
}, "Consuming bodies");

promise_test(async t => {
  const fd = new FormData();
  fd.append("field", "line1\nline2");
  fd.append("quote\"name", "v");
  fd.append("file", new Blob(["\x00\xFFdata"], { type: "application/x-bin" }), "f\".bin");
  const r = new Response(fd);
  const type = r.headers.get("content-type");
  const boundary = type.match(/^multipart\/form-data; boundary=(.+)$/)[1];
  const bytes = new Uint8Array(await r.clone().arrayBuffer());
  const expected =
    `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nline1\r\nline2\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="quote%22name"\r\n\r\nv\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f%22.bin"\r\n` +
    `Content-Type: application/x-bin\r\n\r\n`;
  const head = new TextEncoder().encode(expected);
  assert_array_equals(bytes.slice(0, head.length), head, "the multipart head");
  const data = new TextEncoder().encode("\x00\xFFdata");
  assert_array_equals(bytes.slice(head.length, head.length + data.length), data, "the file's bytes, unchanged");
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  assert_array_equals(bytes.slice(head.length + data.length), tail, "the end");
  // And back.
  const parsed = await r.formData();
  assert_equals(parsed.get("field"), "line1\r\nline2");
  assert_equals(parsed.get("quote\"name"), "v");
  const file = parsed.get("file");
  assert_true(file instanceof File);
  assert_equals(file.name, "f\".bin");
  assert_equals(file.type, "application/x-bin");
  assert_equals(await file.text(), "\x00\xFFdata", "the same bytes back");
}, "FormData bodies are multipart, byte-exact, and parse back");

promise_test(async t => {
  const fd = await new Response("a=1&b=%20", { headers: { "Content-Type": "application/x-www-form-urlencoded" } }).formData();
  assert_equals(fd.get("b"), " ");
  await promise_rejects_js(t, TypeError, new Response("x").formData(), "text/plain cannot be parsed");
}, "formData() of urlencoded bodies");
