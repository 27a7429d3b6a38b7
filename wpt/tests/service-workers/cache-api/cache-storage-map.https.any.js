// META: title=CacheStorage: the name to cache map (Service Workers §5.5)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

// Each test works in caches named after it and deletes them afterwards.
function names(t, ...list) {
  const prefix = `${t.name}-${self.constructor.name}-`;
  const full = list.map(n => prefix + n);
  t.add_cleanup(() => Promise.all(full.map(n => caches.delete(n))));
  return full;
}

test(() => {
  assert_true(self.caches instanceof CacheStorage);
  assert_equals(self.caches, self.caches, "[SameObject]");
  assert_equals(typeof CacheStorage.prototype.match, "function");
  assert_throws_js(TypeError, () => new CacheStorage(), "no constructor");
  assert_throws_js(TypeError, () => new Cache(), "no constructor");
}, "caches is this global's CacheStorage");

promise_test(async t => {
  const [a, b] = names(t, "a", "b");
  assert_false(await caches.has(a), "not there before open()");
  const cache = await caches.open(a);
  assert_true(cache instanceof Cache);
  assert_true(await caches.has(a));
  assert_not_equals(await caches.open(a), cache, "each open() gives a new Cache object");
  await caches.open(b);
  const keys = await caches.keys();
  assert_true(Array.isArray(keys));
  assert_less_than(keys.indexOf(a), keys.indexOf(b), "keys() in creation order");
  assert_true(await caches.delete(a));
  assert_false(await caches.delete(a), "delete() of a missing cache is false");
  assert_false(await caches.has(a));
  assert_false((await caches.keys()).includes(a));
}, "open(), has(), keys() and delete()");

promise_test(async t => {
  const [first, second] = names(t, "first", "second");
  const c1 = await caches.open(first);
  const c2 = await caches.open(second);
  const url = new URL(`resources/entry-${t.name}`, location.href).href;
  await c2.put(url, new Response("from the second"));
  await c1.put(url, new Response("from the first"));
  assert_equals(await (await caches.match(url)).text(), "from the first",
                "without cacheName, caches are searched in creation order");
  assert_equals(await (await caches.match(url, { cacheName: second })).text(), "from the second");
  assert_equals(await caches.match(url, { cacheName: `${first}-missing` }), undefined,
                "a cacheName with no cache matches nothing");
  assert_equals(await caches.match(url + "?other"), undefined);
  assert_equals(await (await caches.match(url + "?q", { ignoreSearch: true })).text(), "from the first");
}, "match() across caches, and with cacheName");

promise_test(async t => {
  const [name] = names(t, "kept");
  const cache = await caches.open(name);
  const url = new URL(`resources/deleted-${t.name}`, location.href).href;
  await cache.put(url, new Response("still readable"));
  const response = await cache.match(url);
  assert_true(await caches.delete(name));
  assert_equals(await response.text(), "still readable",
                "a Response taken before delete() stays readable");
}, "a cache's objects stay usable after delete()");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, caches.match("http://[bad"), "a URL that does not parse");
}, "match() with a bad URL rejects with a TypeError");
