// META: title=Readable byte streams: tee (ReadableByteStreamTee), async iteration and pipes (Streams §4.9)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const bytes = (...values) => new Uint8Array(values);

function byteSource(chunks) {
  return new ReadableStream({
    type: "bytes",
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
}

promise_test(async () => {
  const [a, b] = byteSource([bytes(1, 2), bytes(3)]).tee();
  for (const branch of [a, b]) {
    assert_true(branch instanceof ReadableStream);
    // Each branch is a byte stream: a BYOB reader works.
    assert_true(branch.getReader({ mode: "byob" }) instanceof ReadableStreamBYOBReader);
  }
}, "Both branches of a byte stream's tee are byte streams");

promise_test(async () => {
  const rs = byteSource([bytes(1, 2), bytes(3)]);
  const [a, b] = rs.tee();
  assert_true(rs.locked);
  const ra = a.getReader();
  const rb = b.getReader();
  const a1 = await ra.read();
  const b1 = await rb.read();
  assert_array_equals(a1.value, [1, 2]);
  assert_array_equals(b1.value, [1, 2]);
  assert_not_equals(a1.value, b1.value, "not the same object");
  assert_not_equals(a1.value.buffer, b1.value.buffer, "nor the same buffer");
  a1.value[0] = 99;
  assert_equals(b1.value[0], 1, "writing one branch's chunk does not change the other's");
  assert_array_equals((await ra.read()).value, [3]);
  assert_array_equals((await rb.read()).value, [3]);
  assert_true((await ra.read()).done);
  assert_true((await rb.read()).done);
}, "tee() of a byte stream: both branches get the bytes, in chunks not shared");

promise_test(async () => {
  const [a, b] = byteSource([bytes(1, 2, 3, 4)]).tee();
  const ra = a.getReader({ mode: "byob" });
  const first = await ra.read(new Uint8Array(2));
  assert_array_equals(first.value, [1, 2]);
  const second = await ra.read(new Uint8Array(8));
  assert_array_equals(second.value, [3, 4]);
  const rb = b.getReader();
  // The other branch gets what the BYOB reads took from the source, as they took it.
  assert_array_equals((await rb.read()).value, [1, 2]);
  assert_array_equals((await rb.read()).value, [3, 4]);
  assert_true((await rb.read()).done);
}, "tee() branches read with BYOB readers");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const [a, b] = rs.tee();
  const ra = a.getReader({ mode: "byob" });
  const rb = b.getReader({ mode: "byob" });
  const readA = ra.read(new Uint8Array(4));
  const readB = rb.read(new Uint8Array(4));
  await new Promise(resolve => setTimeout(resolve, 0));
  const request = controller.byobRequest;
  assert_not_equals(request, null, "a BYOB read of a branch reaches the source as a BYOB request");
  request.view.set([5, 6]);
  request.respond(2);
  assert_array_equals((await readA).value, [5, 6]);
  assert_array_equals((await readB).value, [5, 6]);
}, "tee(): a BYOB read of a branch is a BYOB read of the source");

promise_test(async t => {
  const error = new Error("source error");
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const [a, b] = rs.tee();
  const ra = a.getReader();
  const rb = b.getReader({ mode: "byob" });
  controller.error(error);
  await promise_rejects_exactly(t, error, ra.closed);
  await promise_rejects_exactly(t, error, rb.closed);
}, "tee(): an error of the source errors both branches");

promise_test(async () => {
  let reason;
  const rs = new ReadableStream({ type: "bytes", cancel(r) { reason = r; } });
  const [a, b] = rs.tee();
  const ca = a.cancel("a");
  const cb = b.cancel("b");
  await Promise.all([ca, cb]);
  assert_array_equals(reason, ["a", "b"], "the source is canceled with both reasons");
}, "tee(): cancelling both branches cancels the source");

promise_test(async () => {
  const rs = byteSource([bytes(1), bytes(2, 3), bytes(4, 5, 6)]);
  const seen = [];
  for await (const chunk of rs) {
    assert_true(chunk instanceof Uint8Array);
    seen.push(...chunk);
  }
  assert_array_equals(seen, [1, 2, 3, 4, 5, 6]);
  assert_false(rs.locked, "released at the end");
}, "Async iteration of a byte stream");

promise_test(async () => {
  let cancelled = false;
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) { c.enqueue(bytes(1)); },
    cancel() { cancelled = true; },
  });
  for await (const chunk of rs) {
    assert_array_equals(chunk, [1]);
    break;
  }
  assert_true(cancelled, "break cancels the stream");
}, "Breaking out of async iteration of a byte stream cancels it");

promise_test(async () => {
  const written = [];
  const ws = new WritableStream({ write(chunk) { written.push(...chunk); } });
  await byteSource([bytes(1, 2), bytes(3)]).pipeTo(ws);
  assert_array_equals(written, [1, 2, 3]);
}, "pipeTo() from a byte stream");
