// META: title=Blob and File (File API §3, §4)
// META: global=window,worker
"use strict";

promise_test(async () => {
  const b = new Blob(["ab", new Uint8Array([0x63, 0x64]), new Blob(["e"]), new Uint16Array([0x6766]).buffer]);
  assert_equals(b.size, 7);
  assert_equals(b.type, "");
  assert_equals(await b.text(), "abcdefg");
  const bytes = await b.bytes();
  assert_true(bytes instanceof Uint8Array);
  assert_array_equals(bytes, [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67]);
  const ab = await b.arrayBuffer();
  assert_true(ab instanceof ArrayBuffer);
  assert_equals(ab.byteLength, 7);
  assert_equals(new Blob().size, 0);
  assert_equals(await new Blob(["€"]).text(), "€", "strings are UTF-8");
  assert_equals(await new Blob([new Uint8Array([0xEF, 0xBB, 0xBF, 0x41, 0xFF])]).text(), "A\uFFFD",
    "text() is UTF-8 decode: BOM removed, errors replaced");
}, "Blob parts and reading");

test(() => {
  assert_equals(new Blob([], { type: "Text/HTML" }).type, "text/html", "lower-cased");
  assert_equals(new Blob([], { type: "a\u00E9" }).type, "", "non-printable ASCII: empty");
  assert_throws_js(TypeError, () => new Blob("abc"), "a string is not a sequence of parts");
  assert_throws_js(TypeError, () => new Blob([], { endings: "windows" }), "a bad EndingType");
}, "Types and bad arguments");

promise_test(async () => {
  assert_equals(await new Blob(["a\r\nb\rc"], { endings: "native" }).text(), "a\nb\nc");
  assert_equals(await new Blob(["a\r\nb"]).text(), "a\r\nb", "transparent by default");
}, "Line endings");

promise_test(async () => {
  const b = new Blob(["0123456789"], { type: "text/plain" });
  assert_equals(await b.slice(2, 5).text(), "234");
  assert_equals(await b.slice(-3).text(), "789");
  assert_equals(await b.slice(5, 2).text(), "", "end before start");
  assert_equals(await b.slice(0, 100).text(), "0123456789");
  assert_equals(b.slice(0, 1).type, "", "the slice's type is its argument");
  assert_equals(b.slice(0, 1, "A/B").type, "a/b");
  assert_not_equals(b.slice(), b, "[NewObject]");
}, "slice()");

promise_test(async () => {
  const f = new File(["x", "y"], "name.txt", { type: "text/plain", lastModified: 42 });
  assert_true(f instanceof Blob);
  assert_equals(Object.getPrototypeOf(File.prototype), Blob.prototype);
  assert_equals(f.name, "name.txt");
  assert_equals(f.lastModified, 42);
  assert_equals(f.type, "text/plain");
  assert_equals(await f.text(), "xy");
  const before = Date.now();
  const g = new File([], "n");
  assert_true(g.lastModified >= before && g.lastModified <= Date.now(), "defaults to now");
  assert_throws_js(TypeError, () => new File(["x"]), "a name is required");
  assert_equals(await new Blob([f]).text(), "xy", "a File is a Blob part");
}, "File");
