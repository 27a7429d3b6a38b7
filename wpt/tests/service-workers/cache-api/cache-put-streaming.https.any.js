// META: title=Cache: put() and addAll() of fetched responses whose bodies are still arriving (Service Workers §5.4)
// META: global=window,serviceworker
"use strict";

// A fetch() response is put before its body has arrived: the body goes to the cache storage
// as it arrives. What is stored must be every byte the server sent; a body that fails on
// the way stores nothing, in put() and in addAll() (all or nothing).
// https://w3c.github.io/ServiceWorker/#cache-put
// https://w3c.github.io/ServiceWorker/#cache-addAll

async function openCache(t) {
  const name = `${t.name}-${self.constructor.name}`;
  await caches.delete(name);
  t.add_cleanup(() => caches.delete(name));
  return caches.open(name);
}

const body = (size, extra = "") =>
  new URL(`/_faults/body?size=${size}&seed=11${extra}`, location.href).href;

function assert_same_bytes(actual, expected, what) {
  assert_equals(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      assert_unreached(`${what}: byte ${i} is ${actual[i]}, not ${expected[i]}`);
    }
  }
}

promise_test(async t => {
  const cache = await openCache(t);
  const size = 4 * 1024 * 1024 + 17;
  // Slowed down, so that most of the body arrives after put() was called.
  const url = body(size, "&rate=40000000&chunk=65536");
  const response = await fetch(url);
  const put = cache.put(url, response);
  assert_true(response.bodyUsed, "put() disturbs the body at once");
  await put;
  const stored = new Uint8Array(await (await cache.match(url)).arrayBuffer());
  const sent = new Uint8Array(await (await fetch(url)).arrayBuffer());
  assert_same_bytes(stored, sent, "the stored body");
}, "put() of a response still arriving stores every byte the server sent");

promise_test(async t => {
  const cache = await openCache(t);
  const url = body(1024 * 1024, "&reset_after=300000");
  const response = await fetch(url);
  await promise_rejects_js(t, TypeError, cache.put(url, response),
                           "a body cut by the network rejects");
  assert_equals(await cache.match(url), undefined, "nothing was stored");
  assert_equals((await cache.keys()).length, 0);
}, "put() of a response whose body fails on the way rejects and stores nothing");

promise_test(async t => {
  const cache = await openCache(t);
  const url = body(0);
  await cache.put(url, await fetch(url));
  const stored = await cache.match(url);
  assert_equals((await stored.arrayBuffer()).byteLength, 0);
}, "put() of a fetched empty body stores an empty body");

promise_test(async t => {
  const cache = await openCache(t);
  const good = body(2 * 1024 * 1024, "&key=good");
  const cut = body(2 * 1024 * 1024, "&reset_after=100000&key=cut");
  await promise_rejects_js(t, TypeError, cache.addAll([good, cut]));
  assert_equals((await cache.keys()).length, 0, "all or nothing");
  await cache.addAll([good, body(1000)]);
  const stored = new Uint8Array(await (await cache.match(good)).arrayBuffer());
  const sent = new Uint8Array(await (await fetch(good)).arrayBuffer());
  assert_same_bytes(stored, sent, "addAll()'s stored body");
  assert_equals((await cache.keys()).length, 2);
}, "addAll() stores every body whole, or nothing when one fails on the way");

promise_test(async t => {
  const cache = await openCache(t);
  const url = body(100000);
  const response = await fetch(url);
  const copy = response.clone();
  await cache.put(url, response);
  const fromCopy = new Uint8Array(await copy.arrayBuffer());
  const stored = new Uint8Array(await (await cache.match(url)).arrayBuffer());
  assert_same_bytes(stored, fromCopy, "the clone read what the put stored");
}, "A clone of a response put() streams still reads the whole body");

// Cache.put reads the body "with reader": an aborted fetch errors its stream with the abort
// reason, and put() rejects with it (an AbortError); nothing is stored.
promise_test(async t => {
  const cache = await openCache(t);
  const url = body(1000000, "&chunk=10000&rate=100000&key=abort-put");
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const put = cache.put(url, response);
  await new Promise(resolve => t.step_timeout(resolve, 50));
  controller.abort();
  await promise_rejects_dom(t, "AbortError", put);
  assert_equals(await cache.match(url), undefined, "nothing stored");
}, "put() of a response whose fetch is aborted rejects with an AbortError");
