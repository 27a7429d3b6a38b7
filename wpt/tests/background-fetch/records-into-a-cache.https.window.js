// META: title=Background fetch records stored with the Cache API
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

async function sameBytes(response, url) {
  const stored = new Uint8Array(await response.arrayBuffer());
  const fresh = new Uint8Array(await (await fetch(url)).arrayBuffer());
  return stored.length === fresh.length && stored.every((b, i) => b === fresh[i]);
}

promise_test(async t => {
  const manager = await cacheWorker(t);
  const id = uniqueId();
  t.add_cleanup(() => caches.delete(id));
  const urls = [body(200000, "&seed=4"), body(1000, "&seed=5"), body(0, "&seed=6")]
    .map(u => new URL(u, location.href).href);
  const stored = nextMessage();
  await manager.fetch(id, urls);
  assert_equals((await stored).count, 3);
  const cache = await caches.open(id);
  assert_array_equals((await cache.keys()).map(r => r.url), urls);
  for (const url of urls) {
    const response = await cache.match(url);
    assert_equals(response.status, 200);
    assert_true(await sameBytes(response, url), `the bytes of ${url}`);
  }
}, "a service worker puts every record of a successful fetch in a cache, bytes intact");

promise_test(async t => {
  const manager = await cacheWorker(t);
  const id = uniqueId();
  const name = id + "-page";
  t.add_cleanup(() => caches.delete(name));
  // The first record is still downloading when put() is called; the second one keeps the
  // fetch going well after the first completed.
  const url = new URL(body(60000, "&seed=7&rate=120000&chunk=4000"), location.href).href;
  const slower = new URL(body(60000, "&seed=8&rate=15000&chunk=4000"), location.href).href;
  const registration = await manager.fetch(id, [url, slower]);
  const record = await registration.match(url);
  const response = await record.responseReady;
  const cache = await caches.open(name);
  await cache.put(record.request, response);
  assert_equals(registration.result, "", "put() waited for the record, not for the fetch");
  assert_true(await sameBytes(await cache.match(url), url), "every byte of the record");
  assert_true(await registration.abort());
}, "put() of a record still downloading waits for its whole body");
