// META: title=Cache: put(), match(), matchAll(), keys(), delete() (Service Workers §5.4)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

async function openCache(t) {
  const name = `${t.name}-${self.constructor.name}`;
  await caches.delete(name);
  t.add_cleanup(() => caches.delete(name));
  return caches.open(name);
}

const url = path => new URL(`resources/${path}`, location.href).href;

promise_test(async t => {
  const cache = await openCache(t);
  const response = new Response("hello, cache", {
    status: 201, statusText: "Made", headers: { "X-Thing": "1", "Content-Type": "text/x-test" },
  });
  await cache.put(url("a"), response);
  assert_true(response.bodyUsed, "put() reads the body");
  const found = await cache.match(url("a"));
  assert_true(found instanceof Response);
  assert_equals(found.status, 201);
  assert_equals(found.statusText, "Made");
  assert_equals(found.headers.get("X-Thing"), "1");
  assert_equals(found.headers.get("Content-Type"), "text/x-test");
  assert_throws_js(TypeError, () => found.headers.set("X-Thing", "2"), "immutable headers");
  assert_equals(await found.text(), "hello, cache");
  const again = await cache.match(new Request(url("a")));
  assert_not_equals(again, found, "a new Response each time");
  assert_equals(await again.text(), "hello, cache");
  assert_equals(await cache.match(url("b")), undefined, "no match: undefined");
}, "put() then match() gives a new Response with the stored status, headers and body");

promise_test(async t => {
  const cache = await openCache(t);
  const bytes = new Uint8Array(300000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 255;
  await cache.put(url("big"), new Response(bytes));
  const read = new Uint8Array(await (await cache.match(url("big"))).arrayBuffer());
  assert_equals(read.length, bytes.length);
  assert_true(read.every((b, i) => b === bytes[i]), "every byte");
  await cache.put(url("empty"), new Response(null, { status: 204 }));
  const empty = await cache.match(url("empty"));
  assert_equals(empty.status, 204);
  assert_equals(await empty.text(), "");
}, "bodies of any size (read a piece at a time), and a null body");

promise_test(async t => {
  const cache = await openCache(t);
  await cache.put(url("x"), new Response("first"));
  await cache.put(url("x"), new Response("second"));
  const all = await cache.matchAll(url("x"));
  assert_equals(all.length, 1, "put() replaces a matching entry");
  assert_equals(await all[0].text(), "second");
  await cache.put(url("y?q=1"), new Response("y1"));
  await cache.put(url("y?q=2"), new Response("y2"));
  const every = await cache.matchAll();
  assert_true(Object.isFrozen(every), "a frozen array");
  assert_equals(every.length, 3);
  assert_array_equals(await Promise.all(every.map(r => r.text())), ["second", "y1", "y2"],
                      "in insertion order");
  assert_equals((await cache.matchAll(url("y"), { ignoreSearch: true })).length, 2);
  const keys = await cache.keys();
  assert_array_equals(keys.map(r => r.url), [url("x"), url("y?q=1"), url("y?q=2")]);
  assert_true(keys.every(r => r instanceof Request && r.method === "GET"));
  assert_array_equals((await cache.keys(url("y?q=2"))).map(r => r.url), [url("y?q=2")]);
  assert_true(await cache.delete(url("y"), { ignoreSearch: true }));
  assert_false(await cache.delete(url("y"), { ignoreSearch: true }), "nothing left to delete");
  assert_array_equals((await cache.keys()).map(r => r.url), [url("x")]);
}, "matchAll(), keys() and delete(), with ignoreSearch");

promise_test(async t => {
  const cache = await openCache(t);
  await cache.put(url("m"), new Response("m"));
  const post = new Request(url("m"), { method: "POST", body: "x" });
  assert_equals(await cache.match(post), undefined, "a POST query matches nothing");
  assert_equals((await cache.matchAll(post)).length, 0);
  assert_equals((await cache.keys(post)).length, 0);
  assert_false(await cache.delete(post));
  assert_equals(await (await cache.match(post, { ignoreMethod: true })).text(), "m");
  assert_true(await cache.delete(post, { ignoreMethod: true }));
}, "ignoreMethod");

promise_test(async t => {
  const cache = await openCache(t);
  const english = new Request(url("v"), { headers: { "Accept-Language": "en" } });
  const french = new Request(url("v"), { headers: { "Accept-Language": "fr" } });
  await cache.put(english, new Response("hello", { headers: { Vary: "Accept-Language" } }));
  assert_equals(await (await cache.match(english)).text(), "hello");
  assert_equals(await cache.match(french), undefined, "Vary: another language does not match");
  assert_equals(await cache.match(url("v")), undefined, "no header is another value");
  assert_equals(await (await cache.match(french, { ignoreVary: true })).text(), "hello");
  await cache.put(french, new Response("bonjour", { headers: { Vary: "Accept-Language" } }));
  assert_equals((await cache.matchAll(url("v"), { ignoreVary: true })).length, 2,
                "a put only replaces what its request matches");
}, "Vary and ignoreVary");

promise_test(async t => {
  const cache = await openCache(t);
  await promise_rejects_js(t, TypeError,
    cache.put(new Request(url("p"), { method: "POST", body: "b" }), new Response("r")),
    "a POST request");
  await promise_rejects_js(t, TypeError, cache.put("data:text/plain,x", new Response("r")),
                           "a non-http(s) URL");
  await promise_rejects_js(t, TypeError, cache.put(url("p"), new Response("r", { status: 206 })),
                           "a partial response");
  await promise_rejects_js(t, TypeError,
    cache.put(url("p"), new Response("r", { headers: { Vary: "Accept, *" } })), "Vary: *");
  const used = new Response("used");
  await used.text();
  await promise_rejects_js(t, TypeError, cache.put(url("p"), used), "a used body");
  await promise_rejects_js(t, TypeError, cache.put("http://[bad", new Response("r")),
                           "a URL that does not parse");
  assert_equals((await cache.keys()).length, 0, "none of them stored anything");
}, "put() refuses what the spec refuses, with a TypeError");

promise_test(async t => {
  const cache = await openCache(t);
  const fetched = await fetch(url("simple.txt"));
  await cache.put(url("simple.txt"), fetched.clone());
  const stored = await cache.match(url("simple.txt"));
  assert_equals(await stored.text(), await fetched.text());
  assert_equals(stored.headers.get("Content-Type"), fetched.headers.get("Content-Type"));
  const copy = await cache.match(url("simple.txt"));
  await cache.put(url("copy.txt"), copy);
  assert_equals(await (await cache.match(url("copy.txt"))).text(), "a simple text resource\n",
                "a cached response stored again");
}, "put() of a fetched response and of a cached response");
