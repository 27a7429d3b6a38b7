// META: title=Transferable streams: ReadableStream and WritableStream through postMessage (Streams §"Transferable streams")
"use strict";
// https://streams.spec.whatwg.org/#rs-transfer
// https://streams.spec.whatwg.org/#ws-transfer
// https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformreadable
// https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformwritable

// Posts `value` to this window, transferring `transfer`; resolves with the message's data.
function roundTrip(value, transfer) {
  return new Promise((resolve, reject) => {
    window.addEventListener("message", e => resolve(e.data), { once: true });
    window.postMessage(value, "*", transfer);
    setTimeout(() => reject(new Error("no message")), 3000);
  });
}

async function readAll(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

promise_test(async () => {
  const original = new ReadableStream({
    start(c) {
      c.enqueue("a");
      c.enqueue({ b: [1, 2] });
      c.close();
    },
  });
  const received = await roundTrip(original, [original]);
  assert_true(received instanceof ReadableStream, "a ReadableStream arrives");
  assert_not_equals(received, original);
  assert_true(original.locked, "the original is locked by its pipe");
  const chunks = await readAll(received);
  assert_equals(chunks.length, 2);
  assert_equals(chunks[0], "a");
  assert_array_equals(chunks[1].b, [1, 2], "an object chunk arrives as a clone");
}, "A transferred ReadableStream gives the original's chunks, in order, then closes");

promise_test(async () => {
  let pulls = 0;
  const original = new ReadableStream({
    pull(c) {
      pulls++;
      c.enqueue(pulls);
      if (pulls === 5) c.close();
    },
  }, { highWaterMark: 0 });
  const received = await roundTrip(original, [original]);
  const chunks = await readAll(received);
  assert_array_equals(chunks, [1, 2, 3, 4, 5], "chunks pulled on demand");
}, "A transferred ReadableStream pulls from the original as it is read");

promise_test(async () => {
  let cancelled;
  const original = new ReadableStream({
    start(c) { c.enqueue(1); },
    cancel(reason) { cancelled = reason; },
  });
  const received = await roundTrip(original, [original]);
  const reader = received.getReader();
  assert_equals((await reader.read()).value, 1);
  await reader.cancel("enough");
  await new Promise(resolve => {
    const check = () => cancelled !== undefined ? resolve() : setTimeout(check, 10);
    check();
  });
  assert_equals(cancelled, "enough", "the original's source is cancelled with the reason");
}, "Cancelling a transferred ReadableStream cancels the original with the reason");

promise_test(async t => {
  const original = new ReadableStream({
    start(c) { c.error(new RangeError("broken")); },
  });
  const received = await roundTrip(original, [original]);
  const reader = received.getReader();
  const e = await reader.read().then(() => null, e => e);
  assert_not_equals(e, null, "the read rejects");
  assert_equals(e.name, "RangeError", "with a clone of the original's error");
  assert_equals(e.message, "broken");
}, "An errored original errors the transferred ReadableStream with a clone of its error");

test(() => {
  const rs = new ReadableStream();
  rs.getReader();
  assert_throws_dom("DataCloneError", () => window.postMessage(rs, "*", [rs]),
                    "a locked stream");
  const other = new ReadableStream();
  assert_throws_dom("DataCloneError", () => window.postMessage(other, "*"),
                    "a stream that is not transferred cannot be cloned");
  assert_false(other.locked, "a failed postMessage leaves the stream alone");
}, "A locked stream cannot be transferred; a stream is not serializable");

promise_test(async () => {
  const written = [];
  let closed = false;
  const original = new WritableStream({
    write(chunk) { written.push(chunk); },
    close() { closed = true; },
  });
  const received = await roundTrip(original, [original]);
  assert_true(received instanceof WritableStream, "a WritableStream arrives");
  assert_true(original.locked, "the original is locked by its pipe");
  const writer = received.getWriter();
  await writer.write("x");
  await writer.write({ y: 2 });
  await writer.close();
  await new Promise(resolve => {
    const check = () => closed ? resolve() : setTimeout(check, 10);
    check();
  });
  assert_equals(written.length, 2);
  assert_equals(written[0], "x");
  assert_equals(written[1].y, 2);
}, "Writes to a transferred WritableStream reach the original's sink, then close it");

promise_test(async () => {
  let aborted;
  const original = new WritableStream({ abort(reason) { aborted = reason; } });
  const received = await roundTrip(original, [original]);
  await received.getWriter().abort("stop");
  await new Promise(resolve => {
    const check = () => aborted !== undefined ? resolve() : setTimeout(check, 10);
    check();
  });
  assert_equals(aborted, "stop");
}, "Aborting a transferred WritableStream aborts the original with the reason");

promise_test(async () => {
  const { port1, port2 } = new MessageChannel();
  const original = new ReadableStream({
    start(c) { c.enqueue(7); c.close(); },
  });
  const arrived = new Promise(resolve => { port2.onmessage = e => resolve(e.data); });
  port1.postMessage({ stream: original }, [original]);
  const data = await arrived;
  assert_true(data.stream instanceof ReadableStream, "a stream inside a message");
  assert_array_equals(await readAll(data.stream), [7]);
}, "A stream transferred through a MessagePort, inside an object");

promise_test(async () => {
  const worker = new Worker("resources/sum-worker.js");
  const stream = new ReadableStream({
    start(c) { for (const n of [1, 2, 3, 4]) c.enqueue(n); c.close(); },
  });
  const answer = new Promise(resolve => { worker.onmessage = e => resolve(e.data); });
  worker.postMessage(stream, [stream]);
  assert_equals((await answer).sum, 10, "the worker read the whole stream");
  const got = [];
  let closed;
  const done = new Promise(resolve => { closed = resolve; });
  const writable = new WritableStream({ write(n) { got.push(n); }, close() { closed(); } });
  worker.postMessage({ writable }, [writable]);
  await done;
  assert_array_equals(got, [1, 2, 3], "the worker wrote to the page's sink");
  worker.terminate();
}, "Streams transferred to a dedicated worker: it reads one and writes to the other");

promise_test(async () => {
  const original = new TransformStream({
    transform(chunk, c) { c.enqueue(chunk * 2); },
  });
  const received = await roundTrip(original, [original]);
  assert_true(received instanceof TransformStream, "a TransformStream arrives");
  assert_true(original.readable.locked && original.writable.locked,
              "both of the original's sides are piped");
  const writer = received.writable.getWriter();
  const reader = received.readable.getReader();
  writer.write(21);
  assert_equals((await reader.read()).value, 42, "through the original's transformer");
  writer.close();
  assert_true((await reader.read()).done);
}, "A transferred TransformStream runs the original's transformer");

test(() => {
  const ts = new TransformStream();
  ts.readable.getReader();
  assert_throws_dom("DataCloneError", () => window.postMessage(ts, "*", [ts]));
}, "A TransformStream with a locked side cannot be transferred");
