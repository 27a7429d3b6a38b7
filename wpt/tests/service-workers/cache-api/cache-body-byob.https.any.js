// META: title=Cache: a matched response's body read with a BYOB reader (Fetch "set up with byte reading support")
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

async function openCache(t) {
  const name = `${t.name}-${self.constructor.name}`;
  await caches.delete(name);
  t.add_cleanup(() => caches.delete(name));
  return caches.open(name);
}

const url = path => new URL(`resources/${path}`, location.href).href;

promise_test(async t => {
  const cache = await openCache(t);
  // Larger than one piece read from the profile (256 KiB), not a multiple of the view.
  const bytes = new Uint8Array(600000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + 5) & 255;
  await cache.put(url("byob"), new Response(bytes));
  const found = await cache.match(url("byob"));
  const reader = found.body.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(64 * 1024);
  let at = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer), { min: 1000 });
    for (let i = 0; i < value.byteLength; i++) {
      if (value[i] !== bytes[at + i]) assert_unreached(`byte ${at + i} differs`);
    }
    at += value.byteLength;
    if (done) break;
    assert_greater_than_equal(value.byteLength, 1000, "min is met");
    assert_equals(value.buffer.byteLength, 64 * 1024, "the same buffer, transferred");
    buffer = value.buffer;
  }
  assert_equals(at, bytes.length, "every byte, once");
  assert_true(found.bodyUsed);
}, "a cached body read from the profile with a BYOB reader into one 64 KiB view");

promise_test(async t => {
  const cache = await openCache(t);
  await cache.put(url("byob-clone"), new Response(new Uint8Array(300000).fill(7)));
  const found = await cache.match(url("byob-clone"));
  const clone = found.clone();
  const readAll = async (stream, size) => {
    const reader = stream.getReader({ mode: "byob" });
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(size));
      if (done) return total;
      assert_true(value.every(b => b === 7));
      total += value.byteLength;
    }
  };
  const [a, b] = await Promise.all([readAll(found.body, 4096), readAll(clone.body, 100000)]);
  assert_equals(a, 300000);
  assert_equals(b, 300000);
}, "a cached response and its clone both read with BYOB readers");
