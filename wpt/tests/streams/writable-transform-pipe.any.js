// META: title=WritableStream, TransformStream, pipeTo/pipeThrough, TextEncoderStream/TextDecoderStream (Streams §5-6, Encoding §7)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

promise_test(async () => {
  const written = [];
  let closed = false;
  const ws = new WritableStream({
    write(chunk) { written.push(chunk); return delay(1); },
    close() { closed = true; },
  }, { highWaterMark: 2 });
  const writer = ws.getWriter();
  assert_true(ws.locked);
  assert_equals(writer.desiredSize, 2);
  await writer.ready;
  const writes = [writer.write("a"), writer.write("b"), writer.write("c")];
  assert_true(writer.desiredSize <= 0, "backpressure once the queue is full");
  await Promise.all(writes);
  await writer.close();
  assert_array_equals(written, ["a", "b", "c"]);
  assert_true(closed);
  await writer.closed;
  writer.releaseLock();
  assert_false(ws.locked);
}, "A WritableStream writes in order, applies backpressure and closes");

promise_test(async t => {
  const e = new Error("sink failed");
  const ws = new WritableStream({ write() { throw e; } });
  const writer = ws.getWriter();
  await promise_rejects_exactly(t, e, writer.write("x"));
  await promise_rejects_exactly(t, e, writer.closed);
  let aborted;
  const ws2 = new WritableStream({ abort(reason) { aborted = reason; } });
  await ws2.abort("stop");
  assert_equals(aborted, "stop");
  const signalled = new WritableStream({
    write(_, controller) {
      return new Promise((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason)));
    },
  });
  const w = signalled.getWriter();
  const pending = w.write("slow");
  await delay(1);
  const abort = w.abort("abort reason");
  await promise_rejects_exactly(t, "abort reason", pending, "the controller's signal aborts the write");
  await abort;
}, "Errors, abort(), and the controller's AbortSignal");

promise_test(async () => {
  const upper = new TransformStream({
    transform(chunk, controller) { controller.enqueue(chunk.toUpperCase()); },
    flush(controller) { controller.enqueue("!"); },
  });
  const source = new ReadableStream({
    start(c) { for (const s of ["a", "b"]) c.enqueue(s); c.close(); },
  });
  const out = [];
  await source.pipeThrough(upper).pipeTo(new WritableStream({ write(c) { out.push(c); } }));
  assert_array_equals(out, ["A", "B", "!"]);
  const identity = new TransformStream();
  const writer = identity.writable.getWriter();
  writer.write(1);
  writer.close();
  const reader = identity.readable.getReader();
  assert_equals((await reader.read()).value, 1);
  assert_true((await reader.read()).done);
}, "TransformStream, pipeThrough() and pipeTo()");

promise_test(async t => {
  const e = new Error("source failed");
  const source = new ReadableStream({ start(c) { c.error(e); } });
  let abortReason;
  const dest = new WritableStream({ abort(r) { abortReason = r; } });
  await promise_rejects_exactly(t, e, source.pipeTo(dest));
  assert_equals(abortReason, e, "the error propagates forward");
  const controller = new AbortController();
  const slow = new ReadableStream({ pull() { return delay(5); } });
  const piping = slow.pipeTo(new WritableStream(), { signal: controller.signal });
  controller.abort();
  await promise_rejects_dom(t, "AbortError", piping, "a signal aborts the pipe");
  await promise_rejects_js(t, TypeError, new ReadableStream().pipeTo({}), "not a WritableStream");
}, "Pipes propagate errors and stop on their signal");

promise_test(async () => {
  const bytes = new TextEncoder().encode("héllo wörld 🎉");
  const chunks = [bytes.slice(0, 2), bytes.slice(2, 9), bytes.slice(9, 15), bytes.slice(15)];
  const text = await new Response(new ReadableStream({
    start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); },
  }).pipeThrough(new TextDecoderStream()).pipeThrough(new TextEncoderStream())).text();
  assert_equals(text, "héllo wörld 🎉", "split characters come out whole, both ways");
  const decoder = new TextDecoderStream("utf-16le", { fatal: true });
  assert_equals(decoder.encoding, "utf-16le");
  assert_true(decoder.fatal);
  assert_equals(new TextEncoderStream().encoding, "utf-8");
  const surrogates = new TextEncoderStream();
  const w = surrogates.writable.getWriter();
  w.write("a\uD83C");
  w.write("\uDF89b");
  w.close();
  const encoded = await new Response(surrogates.readable).text();
  assert_equals(encoded, "a🎉b", "a surrogate pair split across chunks");
}, "TextDecoderStream and TextEncoderStream");

promise_test(async () => {
  // A body read as text through the encoding streams, as apps decode downloads.
  const response = new Response("line one\nline two\n");
  let text = "";
  for await (const piece of response.body.pipeThrough(new TextDecoderStream())) text += piece;
  assert_equals(text, "line one\nline two\n");
}, "A response body decoded with pipeThrough(new TextDecoderStream())");
