// META: title=Cache: add() and addAll() (Service Workers §5.4.3-5.4.4)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

async function openCache(t) {
  const name = `${t.name}-${self.constructor.name}`;
  await caches.delete(name);
  t.add_cleanup(() => caches.delete(name));
  return caches.open(name);
}

const url = path => new URL(`resources/${path}`, location.href).href;
const faults = (key, size) => new URL(`/_faults/body?size=${size}&seed=3&key=${key}`, location.href).href;

promise_test(async t => {
  const cache = await openCache(t);
  assert_equals(await cache.add(url("simple.txt")), undefined);
  const r = await cache.match(url("simple.txt"));
  assert_equals(r.status, 200);
  assert_equals(await r.text(), "a simple text resource\n");
}, "add() fetches and stores");

promise_test(async t => {
  const cache = await openCache(t);
  await cache.addAll([url("simple.txt"), new Request(faults("a", 5000))]);
  assert_equals((await cache.keys()).length, 2);
  const body = new Uint8Array(await (await cache.match(faults("a", 5000))).arrayBuffer());
  assert_equals(body.length, 5000);
}, "addAll() stores every response");

promise_test(async t => {
  const cache = await openCache(t);
  await cache.put(url("simple.txt"), new Response("kept"));
  await promise_rejects_js(t, TypeError,
    cache.addAll([faults("b", 10), url("does-not-exist.txt")]), "a 404 among them");
  assert_equals((await cache.keys()).length, 1, "nothing of the batch is stored");
  assert_equals(await (await cache.match(url("simple.txt"))).text(), "kept");
  await promise_rejects_js(t, TypeError, cache.add(faults("c", 10) + "&status=500"), "a 500");
}, "addAll() is all or nothing: one failed response rejects and stores nothing");

promise_test(async t => {
  const cache = await openCache(t);
  await promise_rejects_js(t, TypeError,
    cache.addAll([new Request(url("simple.txt"), { method: "POST", body: "x" })]), "a POST");
  await promise_rejects_js(t, TypeError, cache.add("data:text/plain,x"), "a data: URL");
  await promise_rejects_dom(t, "InvalidStateError", cache.addAll([url("simple.txt"), url("simple.txt")]),
                            "the same request twice in one batch");
  assert_equals((await cache.keys()).length, 0);
}, "addAll() refuses non-GET and non-http(s) requests, and duplicates in one batch");
