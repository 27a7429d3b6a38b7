// META: title=navigator.storage: estimate(), persisted(), persist() (Storage Standard §4)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

test(() => {
  assert_true(navigator.storage instanceof StorageManager);
  assert_equals(navigator.storage, navigator.storage, "[SameObject]");
  assert_equals(typeof navigator.storage.persist, self.Window ? "function" : "undefined",
                "persist() is [Exposed=Window]");
}, "navigator.storage");

promise_test(async t => {
  const before = await navigator.storage.estimate();
  assert_equals(typeof before.usage, "number");
  assert_equals(typeof before.quota, "number");
  assert_true(before.quota > 0);
  assert_true(before.usage <= before.quota);
  const name = "estimate-" + Math.random();
  const cache = await caches.open(name);
  t.add_cleanup(() => caches.delete(name));
  await cache.put("/storage-estimate-entry", new Response(new Uint8Array(200 * 1024)));
  const after = await navigator.storage.estimate();
  assert_greater_than_equal(after.usage - before.usage, 200 * 1024, "the cached body counts");
  assert_equals(after.quota, before.quota);
  // (A deleted cache's bytes count until the profile reopens: Cache objects of it keep
  // working until then.)
}, "estimate() counts what the origin stores, against its quota");

promise_test(async () => {
  assert_true(await navigator.storage.persisted(), "a profile's storage is persistent");
  if (self.Window) assert_true(await navigator.storage.persist());
}, "persisted() and persist()");
