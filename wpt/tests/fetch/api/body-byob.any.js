// META: title=Body streams and Blob.stream() read with BYOB readers (Fetch "extract a body", "set up with byte reading support"; File API "get stream")
// META: global=window,worker
"use strict";

// Bytes 0, 1, ... 255, 0, 1, ... (n of them).
function pattern(n, seed = 0) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i + seed) & 0xff;
  return bytes;
}

function assert_pattern(bytes, from, seed, message) {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== ((from + i + seed) & 0xff)) {
      assert_unreached(`${message}: byte ${from + i} is ${bytes[i]}`);
    }
  }
}

function assert_same_bytes(actual, expected, message) {
  assert_equals(actual.byteLength, expected.byteLength, `${message}: the length`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) assert_unreached(`${message}: byte ${i} differs`);
  }
}

// Reads the whole stream with a BYOB reader into views of `size` bytes (a new buffer each
// time, the old one being transferred); returns every byte read and how many reads.
async function readAllByob(stream, size = 16, min = undefined) {
  const reader = stream.getReader({ mode: "byob" });
  const chunks = [];
  let reads = 0;
  let buffer = new ArrayBuffer(size);
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer), min === undefined ? {} : { min });
    reads++;
    if (done) {
      assert_true(value instanceof Uint8Array, "done gives the view back");
      // (With min, the last read can end done with the bytes that were left.)
      if (min === undefined) assert_equals(value.byteLength, 0, "done gives an empty view back");
      if (value.byteLength > 0) chunks.push(value.slice());
      break;
    }
    assert_true(value instanceof Uint8Array);
    assert_greater_than(value.byteLength, 0);
    assert_less_than_equal(value.byteLength, size);
    chunks.push(value.slice());
    buffer = value.buffer;
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return { bytes: all, reads };
}

promise_test(async t => {
  const response = new Response(pattern(100));
  const reader = response.body.getReader({ mode: "byob" });
  assert_true(reader instanceof ReadableStreamBYOBReader);
  assert_true(response.bodyUsed === false, "getting a reader does not use the body");
  const view = new Uint8Array(new ArrayBuffer(40), 10, 20);
  const { value, done } = await reader.read(view);
  assert_false(done);
  assert_equals(value.byteOffset, 10, "the bytes are written at the view's offset");
  assert_equals(value.byteLength, 20);
  assert_equals(value.buffer.byteLength, 40);
  assert_equals(view.byteLength, 0, "the view's buffer was transferred");
  assert_pattern(value, 0, 0, "the first 20 bytes");
  assert_true(response.bodyUsed);
  const rest = await reader.read(new Uint8Array(1000));
  assert_false(rest.done);
  assert_equals(rest.value.byteLength, 80, "what is left, in a view larger than it");
  assert_pattern(rest.value, 20, 0, "the last 80 bytes");
  const end = await reader.read(new Uint8Array(8));
  assert_true(end.done);
  assert_equals(end.value.byteLength, 0);
}, "response.body of bytes: BYOB reads into partial views");

promise_test(async t => {
  const response = new Response(pattern(10));
  const reader = response.body.getReader({ mode: "byob" });
  const first = await reader.read(new Uint16Array(2));
  assert_false(first.done);
  assert_true(first.value instanceof Uint16Array, "the view's type is kept");
  assert_equals(first.value.length, 2);
  assert_pattern(new Uint8Array(first.value.buffer), 0, 0, "two elements");
  const withMin = await reader.read(new Uint8Array(10), { min: 6 });
  assert_false(withMin.done);
  assert_equals(withMin.value.byteLength, 6, "the six bytes left, meeting min");
  assert_pattern(withMin.value, 4, 0, "the rest");
  const end = await reader.read(new Uint8Array(4), { min: 4 });
  assert_true(end.done);
}, "response.body: typed array views and min");

promise_test(async t => {
  const response = new Response(pattern(5));
  const reader = response.body.getReader({ mode: "byob" });
  const { value, done } = await reader.read(new Uint8Array(8), { min: 8 });
  assert_true(done, "the body ends before min is met");
  assert_equals(value.byteLength, 5, "the bytes there were");
  assert_pattern(value, 0, 0, "all five");
}, "response.body: min larger than the body gives what there is, done");

promise_test(async t => {
  const request = new Request("/", { method: "POST", body: pattern(300, 7) });
  const { bytes, reads } = await readAllByob(request.body, 64);
  assert_equals(bytes.byteLength, 300);
  assert_pattern(bytes, 0, 7, "the request body");
  assert_equals(reads, 6, "five reads of at most 64 bytes and the end");
  assert_true(request.bodyUsed);
  await promise_rejects_js(t, TypeError, request.text(), "a used body");
}, "request.body: read whole with a BYOB reader");

promise_test(async t => {
  const size = 1024 * 1024;
  const response = new Response(pattern(size, 3));
  const reader = response.body.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(64 * 1024);
  let at = 0;
  let reads = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer));
    if (done) break;
    reads++;
    assert_equals(value.byteLength, 64 * 1024, "each read fills the view");
    assert_equals(value.buffer.byteLength, 64 * 1024, "the same 64 KiB buffer, transferred");
    assert_pattern(value, at, 3, "1 MiB body");
    at += value.byteLength;
    buffer = value.buffer;
  }
  assert_equals(at, size);
  assert_equals(reads, 16);
}, "a 1 MiB body read into one 64 KiB view repeatedly");

promise_test(async t => {
  const size = 1024 * 1024 + 5;
  const blob = new Blob([pattern(size, 11)]);
  const stream = blob.stream();
  const reader = stream.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(64 * 1024);
  let at = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer));
    if (done) break;
    assert_pattern(value, at, 11, "the blob's bytes");
    assert_equals(value.byteLength, Math.min(64 * 1024, size - at), "the view is filled");
    at += value.byteLength;
    buffer = value.buffer;
  }
  assert_equals(at, size);
}, "blob.stream(): a 1 MiB blob read into one 64 KiB view repeatedly");

promise_test(async t => {
  const blob = new Blob([pattern(50)]);
  const reader = blob.stream().getReader({ mode: "byob" });
  const a = await reader.read(new Uint8Array(new ArrayBuffer(32), 4, 8));
  assert_equals(a.value.byteOffset, 4);
  assert_equals(a.value.byteLength, 8);
  assert_pattern(a.value, 0, 0, "the first 8");
  const b = await reader.read(new Uint8Array(100), { min: 42 });
  assert_false(b.done);
  assert_equals(b.value.byteLength, 42);
  assert_pattern(b.value, 8, 0, "the rest");
  const c = await reader.read(new Uint8Array(1));
  assert_true(c.done);
  // A default reader still reads a blob's stream.
  const text = await new Response(new Blob(["abc"]).stream()).text();
  assert_equals(text, "abc");
}, "blob.stream(): partial views and min");

promise_test(async t => {
  const reader = new Blob([]).stream().getReader({ mode: "byob" });
  const { value, done } = await reader.read(new Uint8Array(4));
  assert_true(done);
  assert_equals(value.byteLength, 0);
  const empty = new Response("").body.getReader({ mode: "byob" });
  assert_true((await empty.read(new Uint8Array(4))).done, "an empty body");
  assert_equals(new Response(null).body, null, "a null body has no stream");
}, "empty blobs and bodies end a BYOB read at once");

promise_test(async t => {
  const response = new Response(pattern(1000, 5));
  const [a, b] = response.body.tee();
  const [ra, rb] = await Promise.all([readAllByob(a, 100), readAllByob(b, 333)]);
  assert_equals(ra.bytes.byteLength, 1000);
  assert_equals(rb.bytes.byteLength, 1000);
  assert_pattern(ra.bytes, 0, 5, "the first branch");
  assert_pattern(rb.bytes, 0, 5, "the second branch");
}, "response.body.tee(): both branches are byte streams read with BYOB readers");

promise_test(async t => {
  const response = new Response(pattern(200000, 9));
  const clone = response.clone();
  const [mine, theirs] = await Promise.all([
    readAllByob(response.body, 4096),
    readAllByob(clone.body, 65536, 1),
  ]);
  assert_equals(mine.bytes.byteLength, 200000);
  assert_equals(theirs.bytes.byteLength, 200000);
  assert_pattern(mine.bytes, 0, 9, "the original");
  assert_pattern(theirs.bytes, 0, 9, "the clone");
  assert_true(response.bodyUsed);
  assert_true(clone.bodyUsed);
}, "response.clone(): the original and the clone both read with BYOB readers");

promise_test(async t => {
  const response = new Response(pattern(64));
  const stream = response.body;
  const clone = response.clone();
  assert_not_equals(response.body, stream, "cloning tees the body stream");
  const text = await clone.arrayBuffer();
  assert_equals(text.byteLength, 64);
  const { bytes } = await readAllByob(response.body, 10);
  assert_pattern(bytes, 0, 0, "the original after the clone was read whole");
}, "response.clone() of a body whose stream was asked for: one read whole, one BYOB");

promise_test(async t => {
  const response = await fetch("/fetch/api/resources/data.txt");
  const expected = new Uint8Array(await (await fetch("/fetch/api/resources/data.txt")).arrayBuffer());
  const { bytes } = await readAllByob(response.body, 7);
  assert_same_bytes(bytes, expected, "the network body");
}, "a fetched response's body read with a BYOB reader");

promise_test(async t => {
  const url = "/_faults/body?size=300000&seed=2";
  const expected = new Uint8Array(await (await fetch(url)).arrayBuffer());
  assert_equals(expected.byteLength, 300000);
  const response = await fetch(url);
  const clone = response.clone();
  const [mine, theirs] = await Promise.all([
    readAllByob(response.body, 64 * 1024),
    readAllByob(clone.body, 1000, 500),
  ]);
  assert_same_bytes(mine.bytes, expected, "the body");
  assert_same_bytes(theirs.bytes, expected, "the clone's body");
}, "a larger fetched body and its clone read with BYOB readers");

promise_test(async t => {
  const response = new Response(pattern(100));
  const reader = response.body.getReader({ mode: "byob" });
  const read = await reader.read(new Uint8Array(10));
  assert_false(read.done);
  await reader.cancel("no more");
  const after = await reader.read(new Uint8Array(10));
  assert_true(after.done, "a canceled body is done");
  reader.releaseLock();
  await promise_rejects_js(t, TypeError, response.text(), "the body was used");
}, "canceling a BYOB read body");

promise_test(async t => {
  // A body arriving slowly: reads wait for the network, each filled up to min.
  const url = "/_faults/body?size=40000&seed=4&rate=200000&chunk=3000";
  const expected = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const response = await fetch(url);
  const reader = response.body.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(5000);
  let at = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer), { min: 5000 });
    if (value.byteLength > 0) {
      assert_same_bytes(value, expected.subarray(at, at + value.byteLength), `bytes from ${at}`);
    }
    at += value.byteLength;
    if (done) break;
    assert_equals(value.byteLength, 5000, "min is met before the read settles");
    buffer = value.buffer;
  }
  assert_equals(at, 40000);
}, "a body arriving in pieces smaller than min: each BYOB read waits until min is met");

promise_test(async t => {
  const response = await fetch("/_faults/body?size=100000&seed=5&rate=20000&chunk=1000");
  const reader = response.body.getReader({ mode: "byob" });
  const first = await reader.read(new Uint8Array(10));
  assert_false(first.done);
  const pending = reader.read(new Uint8Array(100000), { min: 100000 });
  await reader.cancel("enough");
  const { value, done } = await pending;
  assert_true(done, "a read waiting when the body is canceled is done");
  assert_equals(value, undefined, "with no view");
}, "canceling a fetched body while a BYOB read waits");

promise_test(async t => {
  const response = await fetch("/_faults/body?size=50000&seed=6&rate=50000&chunk=2000");
  const expected = new Uint8Array(await (await fetch("/_faults/body?size=50000&seed=6")).arrayBuffer());
  const stream = response.body;
  const byob = stream.getReader({ mode: "byob" });
  const first = await byob.read(new Uint8Array(100));
  assert_false(first.done);
  const pending = byob.read(new Uint8Array(50000), { min: 50000 });
  byob.releaseLock();
  await promise_rejects_js(t, TypeError, pending, "a read waiting when the lock is released");
  // The bytes that went into the released read's view are not lost: a default reader
  // gets them and the rest.
  const reader = stream.getReader();
  const chunks = [first.value];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  assert_same_bytes(all, expected, "every byte once, in order");
}, "releasing a BYOB reader while its read waits on the network, then reading on with a default reader");

promise_test(async t => {
  const blob = new Blob([pattern(200000)]);
  const stream = blob.stream();
  const reader = stream.getReader({ mode: "byob" });
  await reader.read(new Uint8Array(10));
  await reader.cancel();
  const { done } = await reader.read(new Uint8Array(10));
  assert_true(done);
  // A body made from a byte stream body: script's stream passes through.
  const r = new Response(new Blob(["pass through"]).stream());
  const inner = new Response(r.body);
  assert_equals(await inner.text(), "pass through");
}, "blob.stream() canceled after a BYOB read; a body of another body's byte stream");

promise_test(async t => {
  const controller = new AbortController();
  const response = await fetch("/_faults/body?size=100000&seed=8&rate=20000&chunk=1000",
    { signal: controller.signal });
  const reader = response.body.getReader({ mode: "byob" });
  const pending = reader.read(new Uint8Array(100000), { min: 100000 });
  controller.abort();
  await promise_rejects_dom(t, "AbortError", pending, "the waiting BYOB read");
  await promise_rejects_dom(t, "AbortError", reader.closed);
}, "aborting a fetch while a BYOB read of its body waits");
