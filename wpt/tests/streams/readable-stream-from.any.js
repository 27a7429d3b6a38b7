// META: title=ReadableStream.from() (Streams Standard)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

promise_test(async () => {
  const stream = ReadableStream.from([1, 2, 3]);
  assert_true(stream instanceof ReadableStream);
  assert_array_equals(await readAll(stream), [1, 2, 3]);
}, "from() a sync iterable (an array)");

promise_test(async () => {
  async function* gen() {
    yield "a";
    await null;
    yield "b";
  }
  assert_array_equals(await readAll(ReadableStream.from(gen())), ["a", "b"]);
}, "from() an async generator");

promise_test(async () => {
  const values = [Promise.resolve(1), 2];
  assert_array_equals(await readAll(ReadableStream.from(values)), [1, 2],
                      "promises from a sync iterator are awaited");
}, "from() awaits the values of a sync iterator");

test(() => {
  assert_throws_js(TypeError, () => ReadableStream.from(1));
  assert_throws_js(TypeError, () => ReadableStream.from({}));
  assert_throws_js(TypeError, () => ReadableStream.from({ [Symbol.asyncIterator]: () => 1 }));
}, "from() of something not iterable throws TypeError");

promise_test(async () => {
  let pulled = 0;
  const iterable = {
    [Symbol.asyncIterator]() {
      return { next() { pulled++; return Promise.resolve({ value: pulled, done: false }); } };
    },
  };
  const stream = ReadableStream.from(iterable);
  await Promise.resolve();
  await Promise.resolve();
  assert_equals(pulled, 0, "a high water mark of 0: nothing is pulled before a read");
  const reader = stream.getReader();
  assert_equals((await reader.read()).value, 1);
}, "from() pulls only when read");

promise_test(async () => {
  let returned;
  const iterable = {
    [Symbol.asyncIterator]() {
      return {
        next: () => Promise.resolve({ value: "x", done: false }),
        return(reason) { returned = reason; return Promise.resolve({ done: true }); },
      };
    },
  };
  const reader = ReadableStream.from(iterable).getReader();
  await reader.read();
  await reader.cancel("stop");
  assert_equals(returned, "stop", "cancel() calls the iterator's return() with the reason");
}, "cancelling the stream returns the iterator");

promise_test(async t => {
  const iterable = {
    [Symbol.asyncIterator]() { return { next: () => Promise.resolve(42) }; },
  };
  const reader = ReadableStream.from(iterable).getReader();
  await promise_rejects_js(t, TypeError, reader.read(), "a next() result that is not an object errors the stream");
}, "an iterator result that is not an object errors the stream");
