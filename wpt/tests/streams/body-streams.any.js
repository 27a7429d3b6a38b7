// META: title=Bodies as streams: Response.body, Request.body, new Response(stream), Blob.stream() (Fetch §5, File API)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

async function readAll(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const concat = chunks => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
};

promise_test(async t => {
  const response = new Response("héllo");
  const body = response.body;
  assert_true(body instanceof ReadableStream);
  assert_equals(response.body, body, "the same stream each time");
  assert_false(response.bodyUsed);
  const chunks = await readAll(body);
  assert_true(chunks.every(c => c instanceof Uint8Array), "Uint8Array chunks");
  assert_equals(new TextDecoder().decode(concat(chunks)), "héllo");
  assert_true(response.bodyUsed, "reading the stream uses the body");
  await promise_rejects_js(t, TypeError, response.text(), "a used body");
  assert_equals(new Response(null).body, null, "a null body");
  assert_equals(new Response().body, null);
}, "Response.body reads the bytes");

promise_test(async t => {
  const response = new Response("text");
  await response.text();
  assert_throws_js(TypeError, () => response.body.getReader(), "consuming locked the stream");
  const locked = new Response("x");
  locked.body.getReader();
  await promise_rejects_js(t, TypeError, locked.arrayBuffer(), "a locked body is unusable");
  assert_throws_js(TypeError, () => locked.clone());
}, "Consuming reads through the stream, which stays locked");

promise_test(async t => {
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode("one "));
      c.enqueue(new TextEncoder().encode("two"));
      c.close();
    },
  });
  const response = new Response(stream, { headers: { "content-type": "text/plain" } });
  assert_equals(response.body, stream, "the stream script gave is the body");
  assert_equals(await response.text(), "one two");
  await promise_rejects_js(t, TypeError, new Response(new ReadableStream({
    start(c) { c.enqueue("not bytes"); c.close(); },
  })).text(), "chunks must be Uint8Arrays");
  const used = new ReadableStream();
  used.getReader();
  assert_throws_js(TypeError, () => new Response(used), "a locked stream");
}, "new Response(stream)");

promise_test(async () => {
  const original = new Response("shared bytes");
  const clone = original.clone();
  const [a, b] = await Promise.all([original.text(), clone.text()]);
  assert_equals(a, "shared bytes");
  assert_equals(b, "shared bytes");
  const streamed = new Response(new ReadableStream({
    start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); },
  }));
  const copy = streamed.clone();
  const [x, y] = await Promise.all([readAll(streamed.body), readAll(copy.body)]);
  assert_array_equals(Array.from(x[0]), [1, 2, 3]);
  assert_not_equals(x[0], y[0], "the clone's chunks are copies");
  assert_array_equals(Array.from(y[0]), [1, 2, 3]);
}, "clone() tees the body");

promise_test(async t => {
  const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65])); c.close(); } });
  assert_throws_js(TypeError, () => new Request("https://example.com/", { method: "POST", body: stream }),
                   "a stream body needs duplex");
  const request = new Request("https://example.com/", { method: "POST", body: stream, duplex: "half" });
  assert_true(request.body instanceof ReadableStream);
  assert_equals(await request.text(), "A");
  assert_equals(new Request("https://example.com/").body, null);
  const post = new Request("https://example.com/", { method: "POST", body: "abc" });
  assert_equals(new TextDecoder().decode(concat(await readAll(post.body))), "abc");
}, "Request bodies as streams");

promise_test(async () => {
  const bytes = new Uint8Array(200 * 1024).map((_, i) => i % 251);
  const blob = new Blob([bytes]);
  const stream = blob.stream();
  assert_true(stream instanceof ReadableStream);
  assert_not_equals(blob.stream(), stream, "[NewObject]");
  const chunks = await readAll(stream);
  assert_true(chunks.length > 1, "several chunks");
  assert_true(chunks.every(c => c.length <= 64 * 1024), "of at most 64 KiB");
  const all = concat(chunks);
  assert_equals(all.length, bytes.length);
  assert_true(all.every((b, i) => b === i % 251));
  assert_array_equals(await readAll(new Blob([]).stream()), [], "an empty blob closes at once");
}, "Blob.stream()");

promise_test(async () => {
  const response = await fetch(location.href);
  let total = 0;
  for await (const chunk of response.body) {
    assert_true(chunk instanceof Uint8Array);
    total += chunk.length;
  }
  assert_true(total > 0);
  assert_true(response.bodyUsed);
}, "A fetch() response's body, read with for await");

promise_test(async () => {
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    start(c) {
      c.enqueue(encoder.encode("streamed "));
      c.enqueue(encoder.encode("upload"));
      c.close();
    },
  });
  const response = await fetch("/_faults/echo", { method: "POST", body, duplex: "half" });
  assert_equals((await response.json()).received, 15, "every byte of the stream was sent");
  assert_true(body.locked, "fetch() read the stream");
}, "fetch() uploads a stream body (read whole, then sent)");
