// META: title=A background fetch record's response.body read with a BYOB reader in the service worker (Fetch "set up with byte reading support"; Background Fetch "create record objects")
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

// What resources/byob-sw.js computes over a body's bytes.
function fnv(bytes) {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash;
}

// Registers resources/byob-sw.js at a scope of its own and resolves with its
// BackgroundFetchManager once it is ready.
async function byobWorker(t) {
  return recorder(t, "resources/byob-sw.js");
}

promise_test(async t => {
  const manager = await byobWorker(t);
  const id = uniqueId();
  const sizes = [1024 * 1024, 100000, 0];
  const urls = sizes.map((size, i) => new URL(body(size, `&seed=${20 + i}`), location.href).href);
  const registration = await manager.fetch(id, urls);
  const message = await nextMessage();
  assert_equals(message.type, "byob");
  assert_equals(message.results.length, 3, JSON.stringify(message.results));
  for (const [i, url] of urls.entries()) {
    const result = message.results[i];
    assert_equals(result.error, undefined, "no exception");
    assert_equals(result.url, url);
    assert_equals(result.size, sizes[i], `the size of ${url}`);
    const expected = new Uint8Array(await (await fetch(url)).arrayBuffer());
    assert_equals(result.hash, fnv(expected), `the bytes of ${url}`);
    assert_true(result.sameBuffer, "one 64 KiB buffer, transferred from read to read");
    assert_less_than_equal(result.largest, 64 * 1024);
    if (sizes[i] > 0) {
      assert_greater_than_equal(result.reads, Math.ceil(sizes[i] / (64 * 1024)));
    } else {
      assert_equals(result.reads, 0, "an empty body is done at once");
    }
  }
  // The clone of the first record's response, read with min: 3000.
  assert_equals(message.clone.size, sizes[0], "the clone's size");
  const first = new Uint8Array(await (await fetch(urls[0])).arrayBuffer());
  assert_equals(message.clone.hash, fnv(first), "the clone's bytes");
  assert_equals(registration.result, "success");
}, "backgroundfetchsuccess: each record's response.body read with a BYOB reader, and a clone");
