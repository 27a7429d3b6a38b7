// META: title=Cache.put of opaque responses (Service Workers §5.4.6 put(), step 5)
// META: global=window,serviceworker
"use strict";

const REMOTE = location.protocol + "//{{hosts[alt][]}}" + (location.port ? ":" + location.port : "");

promise_test(async t => {
  const cache = await caches.open("opaque-" + self.constructor.name);
  t.add_cleanup(() => caches.delete("opaque-" + self.constructor.name));
  const partial = new Request(REMOTE + "/_faults/body?size=10&status=206", { mode: "no-cors" });
  const response = await fetch(partial);
  assert_equals(response.type, "opaque");
  assert_equals(response.status, 0, "script sees no status");
  await promise_rejects_js(t, TypeError, cache.put(partial, response),
    "the response behind the opaque one is a 206");
  const whole = new Request(REMOTE + "/_faults/body?size=10", { mode: "no-cors" });
  await cache.put(whole, await fetch(whole));
  const stored = await cache.match(whole);
  assert_equals(stored.type, "opaque", "an opaque 200 is stored and stays opaque");
}, "put() refuses an opaque response whose internal status is 206, and keeps other opaque ones");
