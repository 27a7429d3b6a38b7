// META: title=Background fetch requests bypass the HTTP cache
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

promise_test(async t => {
  const manager = await cacheWorker(t);
  const id = uniqueId();
  t.add_cleanup(() => caches.delete(id));
  const key = "bf-hc-" + Math.random().toString(36).slice(2);
  const url = new URL(`/_faults/body?size=4096&seed=3&key=${key}&cache_control=max-age%3D3600`,
                      location.href).href;
  // fetch() stores the fresh response, and uses it.
  await (await fetch(url)).arrayBuffer();
  await (await fetch(url)).arrayBuffer();
  const count = async () =>
    (await (await fetch("/_faults/stats?key=" + key, { cache: "no-store" })).json()).requests;
  assert_equals(await count(), 1, "fetch() used the HTTP cache");
  const stored = nextMessage();
  await manager.fetch(id, [url]);
  assert_equals((await stored).count, 1);
  assert_equals(await count(), 2, "the background fetch went to the network");
  const response = await (await caches.open(id)).match(url);
  assert_equals((await response.arrayBuffer()).byteLength, 4096);
}, "a background fetch of a URL the HTTP cache holds fresh still asks the server");
