// META: title=fetch() and the profile's HTTP cache: freshness, validation, cache modes
// META: global=window,worker
"use strict";

// A resource of /_faults/body with its own request counter.
function resource(params = {}) {
  const key = "hc-" + Math.random().toString(36).slice(2);
  const query = new URLSearchParams({ size: "2048", seed: "7", key, ...params });
  return { key, url: "/_faults/body?" + query };
}

async function stats(key) {
  return (await fetch("/_faults/stats?key=" + key, { cache: "no-store" })).json();
}

// The index of the first byte where `a` and `b` differ, -1 if none (a plain loop:
// assert_array_equals over a megabyte is slow in a debug build).
function firstDifference(a, b) {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

// The deterministic body /_faults/body sends (wpt::faults::body_byte).
async function assertBody(response, size, seed) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert_equals(bytes.length, size, "body length");
  // Checked against a second copy fetched around the cache.
  const reference = new Uint8Array(await (await fetch(
    `/_faults/body?size=${size}&seed=${seed}&key=reference`, { cache: "no-store" })).arrayBuffer());
  assert_array_equals(bytes, reference, "the body is the server's");
}

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  const first = await fetch(url);
  await assertBody(first, 2048, 7);
  const second = await fetch(url);
  assert_equals(second.status, 200);
  await assertBody(second, 2048, 7);
  assert_equals((await stats(key)).requests, 1, "the second response came from the cache");
}, "a fresh response is used from the cache without a request");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600", size: "1048576" });
  await (await fetch(url)).arrayBuffer();
  const cached = await fetch(url);
  const bytes = new Uint8Array(await cached.arrayBuffer());
  assert_equals(bytes.length, 1048576);
  const reference = new Uint8Array(await (await fetch(
    "/_faults/body?size=1048576&seed=7&key=reference", { cache: "no-store" })).arrayBuffer());
  assert_equals(firstDifference(bytes, reference), -1, "the first byte that differs");
  assert_equals((await stats(key)).requests, 1);
}, "a 1 MiB body comes back from the cache whole");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "no-store" });
  await (await fetch(url)).arrayBuffer();
  await (await fetch(url)).arrayBuffer();
  assert_equals((await stats(key)).requests, 2);
}, "a no-store response is not stored");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=0", etag: "v1" });
  await (await fetch(url)).arrayBuffer();
  const revalidated = await fetch(url);
  assert_equals(revalidated.status, 200, "a 304 is the stored response to script");
  await assertBody(revalidated, 2048, 7);
  const s = await stats(key);
  assert_equals(s.requests, 2);
  assert_equals(s.conditional, 1, "the stale response was revalidated with its ETag");
}, "a stale response is revalidated and a 304 gives the stored body");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await (await fetch(url, { cache: "no-store" })).arrayBuffer();
  await (await fetch(url)).arrayBuffer();
  assert_equals((await stats(key)).requests, 2, "no-store neither used nor filled the cache");
  await (await fetch(url, { cache: "no-store" })).arrayBuffer();
  assert_equals((await stats(key)).requests, 3);
}, "cache: 'no-store' goes around the cache");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await (await fetch(url)).arrayBuffer();
  await (await fetch(url, { cache: "reload" })).arrayBuffer();
  assert_equals((await stats(key)).requests, 2, "reload went to the network");
  await (await fetch(url)).arrayBuffer();
  assert_equals((await stats(key)).requests, 2, "and its response was stored");
}, "cache: 'reload' goes to the network and stores the response");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600", etag: "v1" });
  await (await fetch(url)).arrayBuffer();
  const response = await fetch(url, { cache: "no-cache" });
  await assertBody(response, 2048, 7);
  const s = await stats(key);
  assert_equals(s.requests, 2, "no-cache asked the server");
  assert_equals(s.conditional, 1, "with the stored ETag");
}, "cache: 'no-cache' revalidates even a fresh response");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=0" });
  await (await fetch(url)).arrayBuffer();
  const response = await fetch(url, { cache: "force-cache" });
  await assertBody(response, 2048, 7);
  assert_equals((await stats(key)).requests, 1, "the stale response was used as it is");
}, "cache: 'force-cache' uses a stale response");

promise_test(async t => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await promise_rejects_js(t, TypeError,
    fetch(url, { cache: "only-if-cached", mode: "same-origin" }), "nothing stored yet");
  assert_equals((await stats(key)).requests, 0, "only-if-cached never asks the network");
  await (await fetch(url)).arrayBuffer();
  const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
  await assertBody(response, 2048, 7);
  assert_equals((await stats(key)).requests, 1);
}, "cache: 'only-if-cached' answers from the cache or fails");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await (await fetch(url)).arrayBuffer();
  await (await fetch(url, { method: "POST", body: "x" })).arrayBuffer();
  await (await fetch(url)).arrayBuffer();
  assert_equals((await stats(key)).requests, 3, "the POST invalidated the stored response");
}, "a successful unsafe request invalidates the stored response");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600", vary: "X-Variant" });
  await (await fetch(url, { headers: { "X-Variant": "a" } })).arrayBuffer();
  await (await fetch(url, { headers: { "X-Variant": "a" } })).arrayBuffer();
  assert_equals((await stats(key)).requests, 1, "the same variant came from the cache");
  await (await fetch(url, { headers: { "X-Variant": "b" } })).arrayBuffer();
  assert_equals((await stats(key)).requests, 2, "another variant went to the network");
}, "Vary selects stored responses by the named request headers");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await (await fetch(url, { headers: { "If-None-Match": '"zzz"' } })).arrayBuffer();
  await (await fetch(url)).arrayBuffer();
  assert_equals((await stats(key)).requests, 2,
                "a conditional request in default mode did not fill the cache");
}, "a request with conditional headers in default mode goes around the cache");
