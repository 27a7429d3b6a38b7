// META: title=Readable byte streams: script run while a read settles (a patched Object.prototype.then) re-entering the stream
// META: global=window,dedicatedworker
"use strict";

function withThenGetter(t, getter) {
  Object.defineProperty(Object.prototype, "then", { configurable: true, get: getter });
  t.add_cleanup(() => { delete Object.prototype.then; });
}

promise_test(async t => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const reader = rs.getReader({ mode: "byob" });
  const read1 = reader.read(new Uint8Array(4));
  const read2 = reader.read(new Uint8Array(4));
  read2.catch(() => {});
  let calls = 0;
  withThenGetter(t, () => {
    calls++;
    if (calls === 1) {
      // Re-enter while the first read's result is being resolved.
      try { controller.enqueue(new Uint8Array([9])); } catch (e) {}
      try { reader.releaseLock(); } catch (e) {}
      try { controller.error(new Error("inside")); } catch (e) {}
    }
    return undefined;
  });
  controller.enqueue(new Uint8Array([1, 2]));
  delete Object.prototype.then;
  const r1 = await read1;
  assert_array_equals(r1.value, [1, 2]);
  await read2.then(() => {}, () => {});
  assert_greater_than(calls, 0, "the getter ran");
}, "Re-entering a byte stream while a BYOB read is being fulfilled does not crash");

promise_test(async t => {
  let controller;
  const rs = new ReadableStream({ type: "bytes", start(c) { controller = c; } });
  const [a, b] = rs.tee();
  const ra = a.getReader({ mode: "byob" });
  const rb = b.getReader();
  const readA = ra.read(new Uint8Array(4));
  const readB = rb.read();
  readA.catch(() => {});
  readB.catch(() => {});
  await new Promise(resolve => setTimeout(resolve, 0));
  let calls = 0;
  withThenGetter(t, () => {
    calls++;
    if (calls < 3) {
      try { ra.releaseLock(); } catch (e) {}
      try { rb.releaseLock(); b.cancel().catch(() => {}); } catch (e) {}
      try { controller.close(); } catch (e) {}
    }
    return undefined;
  });
  try { controller.byobRequest.view[0] = 1; controller.byobRequest.respond(1); } catch (e) {}
  await new Promise(resolve => setTimeout(resolve, 0));
  delete Object.prototype.then;
  await Promise.allSettled([readA, readB]);
}, "Re-entering a byte stream's tee while it settles reads does not crash");
