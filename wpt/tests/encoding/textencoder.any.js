// META: title=TextEncoder (Encoding Standard §7.4)
// META: global=window,worker
"use strict";

test(() => {
  const e = new TextEncoder();
  assert_equals(e.encoding, "utf-8");
  assert_array_equals(e.encode("A€😀"), [0x41, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80]);
  const empty = e.encode();
  assert_true(empty instanceof Uint8Array);
  assert_equals(empty.length, 0, "the default is the empty string");
  assert_array_equals(e.encode("\uD800"), [0xEF, 0xBF, 0xBD], "a lone surrogate is U+FFFD (USVString)");
  assert_not_equals(e.encode("a"), e.encode("a"), "[NewObject]");
}, "encode()");

test(() => {
  const e = new TextEncoder();
  let dest = new Uint8Array(5);
  let r = e.encodeInto("A€😀", dest);
  assert_equals(r.read, 2, "'A' and '€' fit, the emoji does not");
  assert_equals(r.written, 4);
  assert_array_equals(dest, [0x41, 0xE2, 0x82, 0xAC, 0]);
  dest = new Uint8Array(8);
  r = e.encodeInto("A€😀", dest);
  assert_equals(r.read, 4, "read counts UTF-16 code units");
  assert_equals(r.written, 8);
  const buffer = new ArrayBuffer(10);
  r = e.encodeInto("xyz", new Uint8Array(buffer, 7, 2));
  assert_equals(r.written, 2);
  assert_array_equals(new Uint8Array(buffer, 7), [0x78, 0x79, 0], "written at the view's offset");
  assert_throws_js(TypeError, () => e.encodeInto("a", new Uint16Array(2)), "a Uint8Array only");
  assert_throws_js(TypeError, () => e.encodeInto("a"), "the destination is required");
}, "encodeInto()");
