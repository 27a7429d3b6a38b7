// META: title=ReadableStream: default controllers and readers, tee, async iteration, strategies (Streams §4, §7)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

test(() => {
  assert_equals(typeof ReadableStream, "function");
  assert_equals(ReadableStream.length, 0);
  for (const name of ["cancel", "getReader", "tee", "values"]) {
    assert_equals(typeof ReadableStream.prototype[name], "function", name);
  }
  assert_equals(ReadableStream.prototype[Symbol.asyncIterator], ReadableStream.prototype.values);
  assert_throws_js(TypeError, () => new ReadableStream({ type: "nonsense" }), "an unknown type");
  assert_throws_js(RangeError, () => new ReadableStream({}, { highWaterMark: -1 }));
  assert_throws_js(RangeError, () => new ReadableStream({}, { highWaterMark: NaN }));
  assert_throws_js(TypeError, () => new ReadableStream({ start: 1 }), "start must be callable");
  const thrown = new Error("from start");
  assert_throws_exactly(thrown, () => new ReadableStream({ start() { throw thrown; } }));
  assert_throws_js(TypeError, () => new ReadableStream().getReader({ mode: "byob" }), "no byte stream");
  assert_throws_js(TypeError, () => ReadableStreamDefaultController.prototype.close.call({}));
}, "The interfaces and their argument checks");

promise_test(async t => {
  const log = [];
  let controller;
  const rs = new ReadableStream({
    start(c) {
      controller = c;
      log.push("start:" + c.desiredSize);
      c.enqueue("a");
      log.push("after enqueue:" + c.desiredSize);
    },
    pull(c) {
      log.push("pull");
      c.enqueue("b");
      c.close();
    },
    cancel() { log.push("cancel"); },
  }, { highWaterMark: 1 });
  assert_false(rs.locked);
  const reader = rs.getReader();
  assert_true(rs.locked);
  assert_throws_js(TypeError, () => rs.getReader(), "one reader at a time");
  assert_throws_js(TypeError, () => new ReadableStreamDefaultReader(rs));
  assert_object_equals(await reader.read(), { value: "a", done: false });
  assert_object_equals(await reader.read(), { value: "b", done: false });
  assert_object_equals(await reader.read(), { value: undefined, done: true });
  assert_equals(await reader.closed, undefined);
  assert_array_equals(log, ["start:1", "after enqueue:0", "pull"]);
  assert_equals(controller.desiredSize, 0, "closed");
  assert_throws_js(TypeError, () => controller.enqueue("late"));
  reader.releaseLock();
  assert_false(rs.locked);
  await promise_rejects_js(t, TypeError, reader.read(), "a released reader");
}, "Chunks, pull, close and the reader's closed promise");

promise_test(async t => {
  const e = new Error("boom");
  const rs = new ReadableStream({ start(c) { c.error(e); } });
  const reader = rs.getReader();
  await promise_rejects_exactly(t, e, reader.read());
  await promise_rejects_exactly(t, e, reader.closed);
  reader.releaseLock();
  await promise_rejects_exactly(t, e, rs.cancel(), "cancel() of an errored stream");
}, "An errored stream rejects reads and closed");

promise_test(async t => {
  let cancelled;
  const rs = new ReadableStream({ cancel(reason) { cancelled = reason; } });
  await promise_rejects_js(t, TypeError, (rs.getReader(), rs.cancel()), "a locked stream");
  const rs2 = new ReadableStream({ cancel(reason) { cancelled = reason; return delay(1); } });
  assert_equals(await rs2.cancel("why"), undefined);
  assert_equals(cancelled, "why");
  const reader = new ReadableStream({ start(c) { c.enqueue(1); } }).getReader();
  const pending = new ReadableStream().getReader();
  const read = pending.read();
  pending.releaseLock();
  await promise_rejects_js(t, TypeError, read, "releasing the lock rejects pending reads");
  await promise_rejects_js(t, TypeError, pending.closed);
  assert_equals(await reader.cancel(), undefined);
  assert_object_equals(await reader.read(), { value: undefined, done: true }, "cancel closes");
}, "cancel() and releaseLock()");

promise_test(async () => {
  const sizes = [];
  const rs = new ReadableStream({
    start(c) {
      c.enqueue("abc");
      sizes.push(c.desiredSize);
      c.enqueue("de");
      sizes.push(c.desiredSize);
    },
  }, { highWaterMark: 10, size: chunk => chunk.length });
  assert_array_equals(sizes, [7, 5], "the strategy's size counts");
  const byteLength = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
  assert_equals(byteLength.highWaterMark, 16);
  assert_equals(byteLength.size(new Uint8Array(5)), 5);
  assert_equals(byteLength.size, new ByteLengthQueuingStrategy({ highWaterMark: 1 }).size, "one size function per realm");
  const count = new CountQueuingStrategy({ highWaterMark: 2 });
  assert_equals(count.size(), 1);
  assert_equals(count.size.length, 0);
  assert_equals(byteLength.size.length, 1);
  assert_equals(count.size.name, "size");
  const counted = new ReadableStream({}, count);
  const reader = rs.getReader();
  assert_equals((await reader.read()).value, "abc");
  assert_throws_js(RangeError, () => new ReadableStream({ start(c) { c.enqueue(1); } }, { size: () => -1 }));
  assert_equals(typeof counted.locked, "boolean");
}, "Queuing strategies");

promise_test(async () => {
  const rs = new ReadableStream({
    start(c) {
      c.enqueue({ n: 1 });
      c.enqueue({ n: 2 });
      c.close();
    },
  });
  const [a, b] = rs.tee();
  assert_true(rs.locked, "the original is locked");
  const ra = a.getReader(), rb = b.getReader();
  const a1 = await ra.read(), b1 = await rb.read();
  assert_equals(a1.value, b1.value, "the same chunk objects");
  assert_equals((await ra.read()).value.n, 2);
  assert_true((await ra.read()).done);
  assert_equals((await rb.read()).value.n, 2);
  assert_true((await rb.read()).done);
}, "tee() gives both branches every chunk");

promise_test(async () => {
  let cancelled = null;
  const make = () => new ReadableStream({
    start(c) { for (const x of [1, 2, 3]) c.enqueue(x); c.close(); },
    cancel(r) { cancelled = r; },
  });
  const seen = [];
  for await (const x of make()) seen.push(x);
  assert_array_equals(seen, [1, 2, 3]);
  const rs = make();
  for await (const x of rs) {
    if (x === 2) break;
  }
  assert_equals(cancelled, undefined, "break cancels the stream (reason undefined)");
  assert_false(rs.locked, "and releases it");
  cancelled = null;
  const kept = make();
  for await (const x of kept.values({ preventCancel: true })) {
    break;
  }
  assert_equals(cancelled, null, "preventCancel");
  assert_false(kept.locked);
  const it = make().values();
  assert_equals(Object.prototype.toString.call(it), "[object ReadableStream AsyncIterator]");
  assert_object_equals(await it.next(), { value: 1, done: false });
  assert_object_equals(await it.return("r"), { value: "r", done: true });
}, "Async iteration, break (cancel), preventCancel");

promise_test(async () => {
  // A source pulled only as the reader reads: the queue stays at the high-water mark.
  let pulls = 0;
  const rs = new ReadableStream({
    pull(c) {
      pulls++;
      c.enqueue(pulls);
      if (pulls === 100) c.close();
    },
  }, { highWaterMark: 2 });
  await delay(10);
  assert_equals(pulls, 2, "filled to the high-water mark, no further");
  const reader = rs.getReader();
  await reader.read();
  await delay(10);
  assert_equals(pulls, 3, "one more for the chunk read");
}, "Backpressure: pull follows the reader");
