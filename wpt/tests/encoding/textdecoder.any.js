// META: title=TextDecoder (Encoding Standard §7.2)
// META: global=window,worker
"use strict";

test(() => {
  const d = new TextDecoder();
  assert_equals(d.encoding, "utf-8");
  assert_false(d.fatal);
  assert_false(d.ignoreBOM);
  assert_equals(new TextDecoder(" Latin1 ").encoding, "windows-1252", "labels, trimmed");
  assert_equals(new TextDecoder("utf-16").encoding, "utf-16le");
  assert_equals(new TextDecoder("UTF-16BE").encoding, "utf-16be");
  assert_throws_js(RangeError, () => new TextDecoder("no such encoding"));
  assert_throws_js(RangeError, () => new TextDecoder("iso-2022-kr"), "the replacement encoding");
  const f = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  assert_true(f.fatal && f.ignoreBOM);
}, "Construction and labels");

test(() => {
  const d = new TextDecoder();
  const bytes = [0x41, 0xE2, 0x82, 0xAC];
  assert_equals(d.decode(new Uint8Array(bytes)), "A€");
  assert_equals(d.decode(new Uint8Array(bytes).buffer), "A€", "an ArrayBuffer");
  assert_equals(d.decode(new DataView(new Uint8Array(bytes).buffer, 1)), "€", "a DataView");
  assert_equals(d.decode(), "", "no input");
  assert_equals(d.decode(new Uint8Array([0xFF, 0x41])), "\uFFFDA", "replacement");
  assert_throws_js(TypeError, () => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xFF])));
  assert_equals(new TextDecoder("windows-1252").decode(new Uint8Array([0x80, 0xE9])), "€é");
  assert_equals(new TextDecoder("utf-16le").decode(new Uint8Array([0x3D, 0xD8, 0x00, 0xDE])), "😀");
}, "decode()");

test(() => {
  const bom = [0xEF, 0xBB, 0xBF, 0x41];
  assert_equals(new TextDecoder().decode(new Uint8Array(bom)), "A", "the BOM is removed");
  assert_equals(new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(bom)), "\uFEFFA");
  assert_equals(new TextDecoder("utf-16le").decode(new Uint8Array([0xFE, 0xFF, 0x41, 0])), "\uFFFEA",
    "another encoding's BOM is not removed and does not switch the encoding");
}, "Byte order marks");

test(() => {
  const d = new TextDecoder();
  const euro = [0xE2, 0x82, 0xAC];
  assert_equals(d.decode(new Uint8Array(euro.slice(0, 2)), { stream: true }), "");
  assert_equals(d.decode(new Uint8Array(euro.slice(2)), { stream: true }), "€", "completed across calls");
  assert_equals(d.decode(new Uint8Array([0xE2])), "\uFFFD", "an incomplete sequence at the end");
  assert_equals(d.decode(new Uint8Array([0x41])), "A", "a new stream after flushing");
}, "Streaming");
