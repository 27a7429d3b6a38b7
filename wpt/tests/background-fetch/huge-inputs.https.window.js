// META: title=Huge inputs from a page are handled or refused, never a crash (issue 16)
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
// META: timeout=long
"use strict";

// (Ids, titles and icons past the documented limits: hostile-edges.https.window.js. A
// 256 MiB / 1 GiB Blob request body: the request_body benchmark, peak RSS 0.8 MiB above
// the Blob.)

promise_test(async t => {
  const manager = await recorder(t, "resources/count-sw.js");
  const N = 100000;
  // Each response waits 3 s: the fetch is aborted long before any could finish.
  const urls = Array.from({ length: N }, (_, i) => body(1, `&seed=${i % 7}&delay_ms=3000`));
  const id = uniqueId();
  const registration = await manager.fetch(id, urls);
  assert_equals(registration.id, id);
  assert_array_equals(await manager.getIds(), [id], "stored and listed");
  assert_true(await registration.abort());
  const event = await nextMessage();
  assert_equals(event.type, "backgroundfetchabort");
  assert_equals(event.records, N, "the event's matchAll() has every record");
  assert_equals(registration.result, "failure");
  assert_equals(registration.failureReason, "aborted");
  assert_array_equals(await manager.getIds(), []);
}, "a fetch of 100,000 requests is stored, listed and aborted");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(), body(64 << 10));
  const N = 10000;
  const calls = new Uint32Array(N);
  for (let i = 0; i < N; i++) {
    registration.addEventListener("progress", () => { calls[i]++; });
  }
  assert_equals((await nextMessage()).type, "backgroundfetchsuccess");
  await new Promise(resolve => step_timeout(resolve, 100));
  assert_greater_than(calls[0], 0, "the first listener ran");
  assert_true(calls.every(c => c === calls[0]), "every listener ran as often as the first");
}, "10,000 progress listeners on one registration all run");

test(() => {
  let deep = {};
  const top = deep;
  for (let i = 0; i < 100000; i++) {
    deep.next = {};
    deep = deep.next;
  }
  assert_throws_js(RangeError, () => structuredClone(top));
  assert_equals(structuredClone({ a: [1] }).a[0], 1, "the global still works");
}, "a value nested 100,000 deep is refused by the structured clone with a RangeError");
