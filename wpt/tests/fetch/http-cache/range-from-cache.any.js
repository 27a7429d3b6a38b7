// META: title=fetch() with a Range header and the HTTP cache: a single range served from a stored whole response
// META: global=window,worker
"use strict";

// A resource of /_faults/body with its own request counter.
function resource(params = {}) {
  const key = "hr-" + Math.random().toString(36).slice(2);
  const query = new URLSearchParams({ size: "1000", seed: "9", key, ...params });
  return { key, url: "/_faults/body?" + query };
}

async function stats(key) {
  return (await fetch("/_faults/stats?key=" + key, { cache: "no-store" })).json();
}

async function bytesOf(response) {
  return new Uint8Array(await response.arrayBuffer());
}

// Stores the resource's whole body in the cache and returns it.
async function stored(url) {
  const whole = await fetch(url);
  assert_equals(whole.status, 200);
  return bytesOf(whole);
}

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  const whole = await stored(url);
  const part = await fetch(url, { headers: { Range: "bytes=100-199" } });
  assert_equals(part.status, 206);
  assert_equals(part.headers.get("Content-Range"), "bytes 100-199/1000");
  assert_equals(part.headers.get("Content-Length"), "100");
  assert_array_equals(await bytesOf(part), whole.slice(100, 200));
  assert_equals((await stats(key)).requests, 1, "no request for the range");
}, "a byte range of a fresh stored response comes from the cache");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  const whole = await stored(url);
  const open = await fetch(url, { headers: { Range: "bytes=990-" } });
  assert_equals(open.status, 206);
  assert_equals(open.headers.get("Content-Range"), "bytes 990-999/1000");
  assert_array_equals(await bytesOf(open), whole.slice(990));
  const suffix = await fetch(url, { headers: { Range: "bytes=-5" } });
  assert_equals(suffix.status, 206);
  assert_equals(suffix.headers.get("Content-Range"), "bytes 995-999/1000");
  assert_array_equals(await bytesOf(suffix), whole.slice(995));
  const past = await fetch(url, { headers: { Range: "bytes=500-5000" } });
  assert_equals(past.headers.get("Content-Range"), "bytes 500-999/1000");
  assert_equals((await bytesOf(past)).length, 500);
  assert_equals((await stats(key)).requests, 1);
}, "open, suffix and overlong ranges are cut to the stored body");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await stored(url);
  // Not satisfiable from the stored body, several ranges, or a malformed one: the server
  // answers.
  const unsatisfiable = await fetch(url, { headers: { Range: "bytes=2000-" } });
  assert_equals(unsatisfiable.status, 416);
  await unsatisfiable.arrayBuffer();
  await (await fetch(url, { headers: { Range: "bytes=0-1,5-6" } })).arrayBuffer();
  await (await fetch(url, { headers: { Range: "bytes=x-" } })).arrayBuffer();
  assert_equals((await stats(key)).requests, 4);
  // And a range response is never stored as the whole one.
  const again = await fetch(url);
  assert_equals(again.status, 200);
  assert_equals((await bytesOf(again)).length, 1000);
  assert_equals((await stats(key)).requests, 4);
}, "ranges the stored body cannot answer go to the server and are not stored");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=3600" });
  await stored(url);
  const reload = await fetch(url, { headers: { Range: "bytes=0-9" }, cache: "reload" });
  assert_equals(reload.status, 206);
  await reload.arrayBuffer();
  const noCache = await fetch(url, { headers: { Range: "bytes=0-9", "Cache-Control": "no-cache" } });
  await noCache.arrayBuffer();
  assert_equals((await stats(key)).requests, 3, "both went to the server");
}, "reload mode and a request's no-cache send a range request to the server");

promise_test(async () => {
  const { key, url } = resource({ cache_control: "max-age=0" });
  await stored(url);
  const stale = await fetch(url, { headers: { Range: "bytes=0-9" } });
  assert_equals(stale.status, 206);
  await stale.arrayBuffer();
  assert_equals((await stats(key)).requests, 2, "a stale response is not used for a range");
  const forced = await fetch(url, { headers: { Range: "bytes=0-9" }, cache: "force-cache" });
  assert_equals(forced.status, 206);
  assert_equals((await bytesOf(forced)).length, 10);
  assert_equals((await stats(key)).requests, 2, "force-cache takes the stale one");
}, "a stale stored response answers a range only in force-cache mode");
