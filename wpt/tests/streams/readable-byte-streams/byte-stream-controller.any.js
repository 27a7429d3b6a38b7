// META: title=Readable byte streams: ReadableByteStreamController, default readers, autoAllocateChunkSize (Streams §4.7, §4.10)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const flush = () => new Promise(resolve => setTimeout(resolve, 0));
const bytes = (...values) => new Uint8Array(values);

test(() => {
  for (const name of ["ReadableByteStreamController", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest"]) {
    assert_equals(typeof self[name], "function", name);
  }
  assert_throws_js(TypeError, () => new ReadableByteStreamController(), "no constructor");
  assert_throws_js(TypeError, () => new ReadableStreamBYOBRequest(), "no constructor");
  assert_throws_js(RangeError, () => new ReadableStream({ type: "bytes" }, { size() { return 1; } }),
                   "a byte stream's strategy has no size");
  assert_throws_js(TypeError, () => new ReadableStream({ type: "bytes", autoAllocateChunkSize: 0 }),
                   "autoAllocateChunkSize 0");
  assert_throws_js(TypeError, () => new ReadableStream({ type: "bytes", autoAllocateChunkSize: -1 }),
                   "[EnforceRange]");
}, "The interfaces and the constructor's checks");

test(() => {
  let controller;
  new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  assert_true(controller instanceof ReadableByteStreamController, "a byte stream controller");
  assert_false(controller instanceof ReadableStreamDefaultController);
  assert_equals(controller.desiredSize, 0, "the default high-water mark is 0");
  assert_equals(controller.byobRequest, null, "no BYOB request without a read");
  let withHwm;
  new ReadableStream({ type: "bytes", start(c) { withHwm = c; } }, { highWaterMark: 16 });
  assert_equals(withHwm.desiredSize, 16);
  withHwm.enqueue(new Uint8Array(10));
  assert_equals(withHwm.desiredSize, 6, "the desired size counts bytes");
}, "A stream of type 'bytes' has a ReadableByteStreamController");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const chunk = new Uint16Array([0x0102, 0x0304]);
  const buffer = chunk.buffer;
  controller.enqueue(chunk);
  assert_equals(buffer.byteLength, 0, "enqueue() transfers the chunk's buffer");
  assert_equals(chunk.length, 0, "the enqueued view is detached");
  const reader = rs.getReader();
  assert_true(reader instanceof ReadableStreamDefaultReader);
  const { value, done } = await reader.read();
  assert_false(done);
  assert_true(value instanceof Uint8Array, "a default reader reads Uint8Arrays");
  assert_equals(value.byteLength, 4);
  assert_not_equals(value.buffer, buffer, "a new buffer");
  assert_array_equals(value, new Uint8Array(new Uint16Array([0x0102, 0x0304]).buffer));
  controller.close();
  assert_true((await reader.read()).done);
}, "enqueue() and a default reader's read()");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader();
  const read = reader.read();
  controller.enqueue(bytes(1, 2, 3));
  const { value, done } = await read;
  assert_false(done);
  assert_array_equals(value, [1, 2, 3], "a pending read gets the chunk");
}, "enqueue() fulfils a pending default read");

promise_test(async () => {
  let pulls = 0;
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) {
      pulls++;
      c.enqueue(bytes(pulls));
      if (pulls === 3) c.close();
    },
  });
  const reader = rs.getReader({ mode: "byob" });
  assert_true(reader instanceof ReadableStreamBYOBReader);
  const view = new Uint8Array(4);
  const first = await reader.read(view);
  assert_false(first.done);
  assert_true(first.value instanceof Uint8Array);
  assert_equals(view.byteLength, 0, "the view's buffer is transferred");
  assert_equals(first.value.buffer.byteLength, 4, "the same bytes come back, in a new buffer");
  assert_equals(first.value.byteLength, 1);
  assert_array_equals(first.value, [1]);
  const second = await reader.read(new Uint8Array(first.value.buffer));
  assert_array_equals(second.value, [2]);
}, "A BYOB read fills the caller's view from enqueued chunks");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  controller.enqueue(bytes(1, 2));
  controller.enqueue(bytes(3, 4, 5));
  const reader = rs.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint8Array(4));
  assert_array_equals(value, [1, 2, 3, 4], "bytes of several chunks in one view");
  const rest = await reader.read(new Uint8Array(4));
  assert_array_equals(rest.value, [5], "the rest of the queue");
}, "A BYOB read takes bytes from several queued chunks");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  let settled = false;
  const read = reader.read(new Uint8Array(6), { min: 4 }).then(r => { settled = true; return r; });
  controller.enqueue(bytes(1, 2));
  await flush();
  assert_false(settled, "fewer than min bytes: still pending");
  controller.enqueue(bytes(3, 4, 5));
  const { value, done } = await read;
  assert_false(done);
  assert_array_equals(value, [1, 2, 3, 4, 5]);
}, "read(view, { min }) waits for min elements");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  controller.enqueue(bytes(1, 2, 3));
  const reader = rs.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint16Array(4), { min: 1 });
  assert_true(value instanceof Uint16Array, "the view's type is kept");
  assert_equals(value.length, 1, "whole elements only");
  const rest = await reader.read(new Uint8Array(2));
  assert_array_equals(rest.value, [3], "the partial element stays queued");
}, "A BYOB read of a Uint16Array returns whole elements");

promise_test(async t => {
  const rs = new ReadableStream({ type: "bytes" });
  const reader = rs.getReader({ mode: "byob" });
  await promise_rejects_js(t, TypeError, reader.read(new Uint8Array(0)), "an empty view");
  await promise_rejects_js(t, TypeError, reader.read(new Uint8Array(new ArrayBuffer(0))), "an empty buffer");
  const detached = new Uint8Array(4);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  await promise_rejects_js(t, TypeError, reader.read(detached), "a detached buffer");
  await promise_rejects_js(t, TypeError, reader.read(new Uint8Array(4), { min: 0 }), "min 0");
  await promise_rejects_js(t, RangeError, reader.read(new Uint8Array(4), { min: 5 }), "min above the length");
  await promise_rejects_js(t, RangeError, reader.read(new Uint16Array(2), { min: 3 }), "min counts elements");
  await promise_rejects_js(t, RangeError, reader.read(new DataView(new ArrayBuffer(3)), { min: 4 }), "a DataView's bytes");
  await promise_rejects_js(t, TypeError, reader.read(new Uint8Array(4), { min: -1 }), "[EnforceRange]");
  assert_throws_js(TypeError, () => new ReadableStream().getReader({ mode: "byob" }), "a BYOB reader of a default stream");
  assert_throws_js(TypeError, () => new ReadableStreamBYOBReader(new ReadableStream()), "the constructor too");
  assert_throws_js(TypeError, () => rs.getReader({ mode: "byob" }), "a locked stream");
}, "BYOB read() argument errors");

test(() => {
  let controller;
  new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  assert_throws_js(TypeError, () => controller.enqueue(new Uint8Array(0)), "an empty view");
  assert_throws_js(TypeError, () => controller.enqueue(new Uint8Array(new ArrayBuffer(0))), "an empty buffer");
  const detached = new Uint8Array(4);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  assert_throws_js(TypeError, () => controller.enqueue(detached), "a detached buffer");
  assert_throws_js(TypeError, () => controller.enqueue("not a view"));
  controller.close();
  assert_throws_js(TypeError, () => controller.enqueue(new Uint8Array(1)), "enqueue() after close()");
  assert_throws_js(TypeError, () => controller.close(), "close() twice");
}, "enqueue() and close() errors");

promise_test(async () => {
  let byobRequest;
  let pullCount = 0;
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) {
      pullCount++;
      byobRequest = c.byobRequest;
      assert_true(byobRequest instanceof ReadableStreamBYOBRequest);
      assert_equals(c.byobRequest, byobRequest, "the same request while it is pending");
      const v = byobRequest.view;
      assert_true(v instanceof Uint8Array, "the view is a Uint8Array");
      assert_equals(byobRequest.view, v, "the same view");
      assert_equals(v.byteOffset, 2, "the view starts at the caller's offset");
      assert_equals(v.byteLength, 4);
      v[0] = 10;
      v[1] = 11;
      byobRequest.respond(2);
      assert_equals(c.byobRequest, null, "answered: no request");
      assert_equals(byobRequest.view, null, "answered: no view");
    },
  });
  const reader = rs.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint8Array(new ArrayBuffer(8), 2, 4));
  assert_equals(pullCount, 1);
  assert_equals(value.byteOffset, 2);
  assert_array_equals(value, [10, 11]);
  assert_throws_js(TypeError, () => byobRequest.respond(1), "an invalidated request");
  assert_throws_js(TypeError, () => byobRequest.respondWithNewView(new Uint8Array(1)), "an invalidated request");
}, "byobRequest.respond()");

promise_test(async () => {
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) {
      const v = c.byobRequest.view;
      assert_throws_js(RangeError, () => c.byobRequest.respond(v.byteLength + 1), "more than the view");
      assert_throws_js(TypeError, () => c.byobRequest.respond(0), "0 on a readable stream");
      const transferred = structuredClone(v.buffer, { transfer: [v.buffer] });
      const view = new Uint8Array(transferred, v.byteOffset, 3);
      view.set([7, 8, 9]);
      assert_throws_js(RangeError, () => c.byobRequest.respondWithNewView(new Uint8Array(transferred, 1, 3)),
                       "a view at another offset");
      assert_throws_js(RangeError, () => c.byobRequest.respondWithNewView(new Uint8Array(16)),
                       "a buffer of another length");
      assert_throws_js(TypeError, () => c.byobRequest.respondWithNewView(new Uint8Array(transferred, 0, 0)),
                       "an empty view while readable");
      c.byobRequest.respondWithNewView(view);
    },
  });
  const reader = rs.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint8Array(5));
  assert_array_equals(value, [7, 8, 9]);
  assert_equals(value.buffer.byteLength, 5);
}, "byobRequest.respondWithNewView() and its errors");

promise_test(async () => {
  const views = [];
  const rs = new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: 8,
    pull(c) {
      const request = c.byobRequest;
      assert_not_equals(request, null, "a default read gets a BYOB request");
      views.push(request.view.byteLength);
      request.view.set([1, 2, 3]);
      request.respond(3);
    },
  });
  const reader = rs.getReader();
  const { value, done } = await reader.read();
  assert_false(done);
  assert_equals(views.length, 1);
  assert_equals(views[0], 8, "a view of autoAllocateChunkSize bytes");
  assert_true(value instanceof Uint8Array);
  assert_array_equals(value, [1, 2, 3]);
  assert_equals(value.buffer.byteLength, 8);
}, "autoAllocateChunkSize gives a default read a BYOB request");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  const buffer = new ArrayBuffer(4);
  const read = reader.read(new Uint8Array(buffer, 1, 2));
  await flush();
  controller.close();
  controller.byobRequest.respond(0);
  const { value, done } = await read;
  assert_true(done, "done");
  assert_true(value instanceof Uint8Array);
  assert_equals(value.byteLength, 0, "an empty view");
  assert_equals(value.byteOffset, 1, "at the caller's offset");
  assert_equals(value.buffer.byteLength, 4, "of the caller's buffer (transferred)");
  await reader.closed;
  const again = await reader.read(new Uint16Array(2));
  assert_true(again.done);
  assert_true(again.value instanceof Uint16Array, "a closed stream gives back an empty view of the same type");
  assert_equals(again.value.length, 0);
}, "close() with a pending BYOB read: done, with an empty view of the same buffer");

promise_test(async t => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  const read = reader.read(new Uint16Array(2));
  await flush();
  controller.byobRequest.view[0] = 1;
  controller.byobRequest.respond(1);
  assert_throws_js(TypeError, () => controller.close(), "half an element filled");
  await promise_rejects_js(t, TypeError, read);
  await promise_rejects_js(t, TypeError, reader.closed, "the stream is errored");
}, "close() with a partially filled element errors the stream");

promise_test(async t => {
  const error = new Error("boom");
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  const read = reader.read(new Uint8Array(4));
  controller.error(error);
  await promise_rejects_exactly(t, error, read);
  await promise_rejects_exactly(t, error, reader.closed);
  assert_equals(controller.desiredSize, null);
  assert_throws_js(TypeError, () => controller.enqueue(new Uint8Array(1)), "enqueue() once errored");
  assert_throws_js(TypeError, () => controller.close(), "close() once errored");
  await promise_rejects_exactly(t, error, reader.read(new Uint8Array(1)));
}, "error() rejects pending BYOB reads");

promise_test(async t => {
  const rs = new ReadableStream({ type: "bytes", pull() { return new Promise(() => {}); } });
  const reader = rs.getReader({ mode: "byob" });
  const read1 = reader.read(new Uint8Array(4));
  const read2 = reader.read(new Uint8Array(4));
  reader.releaseLock();
  await promise_rejects_js(t, TypeError, read1, "a pending read rejects");
  await promise_rejects_js(t, TypeError, read2);
  await promise_rejects_js(t, TypeError, reader.closed);
  assert_false(rs.locked);
  await promise_rejects_js(t, TypeError, reader.read(new Uint8Array(1)), "a released reader");
  const defaultReader = rs.getReader();
  const read3 = defaultReader.read();
  defaultReader.releaseLock();
  await promise_rejects_js(t, TypeError, read3, "a default reader's pending read rejects too");
}, "releaseLock() with pending reads rejects them");

promise_test(async () => {
  let controller;
  let calls = 0;
  const rs = new ReadableStream({
    type: "bytes",
    start(c) { controller = c; },
    pull() { calls++; },
  });
  const reader = rs.getReader({ mode: "byob" });
  const read = reader.read(new Uint8Array(8));
  await flush();
  assert_equals(calls, 1);
  reader.releaseLock();
  const request = controller.byobRequest;
  assert_not_equals(request, null, "the pending pull-into stays after release");
  request.view.set([4, 5]);
  request.respond(2);
  await read.catch(() => {});
  const { value } = await rs.getReader().read();
  assert_array_equals(value, [4, 5], "what was written reaches the next reader");
}, "After releaseLock(), a response to the pending BYOB request is queued");

promise_test(async () => {
  let cancelReason;
  const rs = new ReadableStream({ type: "bytes", cancel(reason) { cancelReason = reason; } });
  const reader = rs.getReader({ mode: "byob" });
  const read = reader.read(new Uint8Array(4));
  await reader.cancel("why");
  assert_equals(cancelReason, "why");
  const { value, done } = await read;
  assert_true(done);
  assert_equals(value, undefined, "a canceled BYOB read gives no view");
  await reader.closed;
}, "cancel() with a pending BYOB read");

promise_test(async () => {
  const requests = [];
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) {
      const v = c.byobRequest.view;
      requests.push([v.byteOffset, v.byteLength, v.buffer.byteLength]);
      if (requests.length === 1) {
        v.set([1, 2]);
        c.byobRequest.respond(2);
      } else {
        v[0] = 3;
        c.byobRequest.respond(1);
      }
    },
  });
  const reader = rs.getReader({ mode: "byob" });
  const { value } = await reader.read(new Uint8Array(3), { min: 3 });
  assert_array_equals(value, [1, 2, 3]);
  assert_array_equals(requests[0], [0, 3, 3], "the first request covers the whole view");
  assert_array_equals(requests[1], [2, 1, 3], "the second request covers what is left");
}, "read(view, { min }) keeps asking the source until min bytes are there");

promise_test(async () => {
  let pulls = 0;
  const rs = new ReadableStream({
    type: "bytes",
    pull(c) {
      pulls++;
      if (pulls === 1) {
        c.byobRequest.view[0] = 9;
        c.byobRequest.respond(1);
      } else {
        c.close();
        c.byobRequest.respond(0);
      }
    },
  });
  const reader = rs.getReader({ mode: "byob" });
  const { value, done } = await reader.read(new Uint8Array(3), { min: 3 });
  assert_true(done, "closed before min was reached: done");
  assert_array_equals(value, [9], "with the bytes that were filled");
  assert_equals(value.buffer.byteLength, 3);
  await reader.closed;
}, "read(view, { min }) on a stream closed before the view is filled");

promise_test(async () => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  const read = reader.read(new Uint8Array(4));
  await new Promise(resolve => setTimeout(resolve, 0));
  const request = controller.byobRequest;
  controller.enqueue(bytes(7, 8));
  assert_equals(request.view, null, "enqueue() invalidates the BYOB request");
  assert_equals(controller.byobRequest, null);
  assert_throws_js(TypeError, () => request.respond(1), "respond() after enqueue()");
  const { value } = await read;
  assert_array_equals(value, [7, 8], "the enqueued bytes fill the pending read");
  assert_equals(value.buffer.byteLength, 4, "in the reader's buffer");
}, "enqueue() while a BYOB request is pending");

promise_test(async () => {
  const saved = { Uint8Array: self.Uint8Array, ArrayBuffer: self.ArrayBuffer, DataView: self.DataView };
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const chunk = new Uint8Array([1, 2, 3]);
  try {
    self.Uint8Array = function() { throw new Error("patched Uint8Array"); };
    self.ArrayBuffer = function() { throw new Error("patched ArrayBuffer"); };
    self.DataView = function() { throw new Error("patched DataView"); };
    controller.enqueue(chunk);
    const reader = rs.getReader({ mode: "byob" });
    const result = await reader.read(new saved.DataView(new saved.ArrayBuffer(2)));
    assert_true(result.value instanceof saved.DataView);
    assert_equals(result.value.getUint8(1), 2);
  } finally {
    Object.assign(self, saved);
  }
}, "Byte streams use the realm's original constructors, not the globals script replaced");
