// META: title=Background fetch requests carry the origin's cookies
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

promise_test(async t => {
  const manager = await cacheWorker(t);
  const id = uniqueId();
  t.add_cleanup(() => caches.delete(id));
  const name = "bf-token-" + Math.random().toString(36).slice(2);
  document.cookie = `${name}=abc; Path=/`;
  t.add_cleanup(() => { document.cookie = `${name}=; Max-Age=0; Path=/`; });
  const url = new URL("/cookies/resources/echo-cookie.sub.txt?bf", location.href).href;
  const stored = nextMessage();
  await manager.fetch(id, [url]);
  assert_equals((await stored).count, 1);
  const response = await (await caches.open(id)).match(url);
  assert_true((await response.text()).split("; ").includes(`${name}=abc`),
              "the record's request sent the cookie");
}, "a same-origin background fetch sends the user's cookies");
