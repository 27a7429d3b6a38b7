// META: title=The Request class (Fetch §5.4)
// META: global=window,worker
"use strict";

test(() => {
  const r = new Request("https://example.com/a?b#c");
  assert_equals(r.method, "GET");
  assert_equals(r.url, "https://example.com/a?b#c");
  assert_equals(r.mode, "cors");
  assert_equals(r.credentials, "same-origin");
  assert_equals(r.cache, "default");
  assert_equals(r.redirect, "follow");
  assert_equals(r.referrer, "about:client");
  assert_equals(r.referrerPolicy, "");
  assert_equals(r.integrity, "");
  assert_equals(r.destination, "");
  assert_equals(r.duplex, "half");
  assert_false(r.keepalive);
  assert_false(r.isReloadNavigation);
  assert_false(r.isHistoryNavigation);
  assert_false(r.bodyUsed);
  assert_true(r.headers instanceof Headers);
  assert_equals(r.headers, r.headers, "[SameObject]");
  const rel = new Request("x/y");
  assert_equals(new URL(rel.url).pathname.endsWith("/x/y"), true, "relative to the global's URL");
}, "Defaults");

test(() => {
  assert_throws_js(TypeError, () => new Request("https://user:pw@example.com/"), "credentials in the URL");
  assert_throws_js(TypeError, () => new Request("http://[bad"), "an invalid URL");
  assert_throws_js(TypeError, () => new Request("https://a.test/", { mode: "navigate" }));
  assert_throws_js(TypeError, () => new Request("https://a.test/", { method: "bad method" }));
  for (const m of ["CONNECT", "trace", "Track"]) {
    assert_throws_js(TypeError, () => new Request("https://a.test/", { method: m }), m);
  }
  assert_throws_js(TypeError, () => new Request("https://a.test/", { body: "x" }), "GET with a body");
  assert_throws_js(TypeError, () => new Request("https://a.test/", { method: "HEAD", body: "x" }));
  assert_throws_js(TypeError, () => new Request("https://a.test/", { mode: "no-cors", method: "PUT" }));
  assert_throws_js(TypeError, () => new Request("https://a.test/", { cache: "only-if-cached" }));
  assert_throws_js(TypeError, () => new Request("https://a.test/", { window: {} }), "window must be null");
  assert_throws_js(TypeError, () => new Request("https://a.test/", { mode: "sideways" }), "an enum");
  new Request("https://a.test/", { window: null });
  new Request("https://a.test/", { cache: "only-if-cached", mode: "same-origin" });
}, "Constructor validation");

test(() => {
  assert_equals(new Request("https://a.test/", { method: "post" }).method, "POST", "normalized");
  assert_equals(new Request("https://a.test/", { method: "patch" }).method, "patch", "not upper-cased");
  const r = new Request("https://a.test/", {
    method: "POST", mode: "same-origin", credentials: "include", cache: "no-store",
    redirect: "manual", integrity: "sha256-x", keepalive: true, referrerPolicy: "no-referrer",
    referrer: "",
  });
  assert_equals(r.mode, "same-origin");
  assert_equals(r.credentials, "include");
  assert_equals(r.cache, "no-store");
  assert_equals(r.redirect, "manual");
  assert_equals(r.integrity, "sha256-x");
  assert_true(r.keepalive);
  assert_equals(r.referrerPolicy, "no-referrer");
  assert_equals(r.referrer, "", "the empty string is no-referrer");
  assert_equals(new Request("https://a.test/", { referrer: "https://elsewhere.test/" }).referrer,
    "about:client", "a cross-origin referrer becomes client");
}, "RequestInit members");

test(() => {
  const r = new Request("https://a.test/", { headers: { "X-A": "1", "Cookie": "c=1", "Sec-Foo": "2" } });
  assert_equals(r.headers.get("x-a"), "1");
  assert_false(r.headers.has("cookie"), "forbidden request headers are dropped");
  assert_false(r.headers.has("sec-foo"));
  r.headers.set("Host", "x");
  assert_false(r.headers.has("host"), "the request guard");
  const nc = new Request("https://a.test/", { mode: "no-cors", headers: { "X-A": "1", "Accept": "a/b" } });
  assert_false(nc.headers.has("x-a"), "no-cors keeps safelisted headers only");
  assert_equals(nc.headers.get("accept"), "a/b");
}, "Headers guards");

promise_test(async t => {
  const r = new Request("https://a.test/", { method: "POST", body: "hello" });
  assert_equals(r.headers.get("content-type"), "text/plain;charset=UTF-8");
  const copy = new Request(r);
  assert_true(r.bodyUsed, "the input's body is taken");
  assert_equals(await copy.text(), "hello");
  assert_throws_js(TypeError, () => new Request(r), "a used body");
  const fresh = new Request("https://a.test/", { method: "POST", body: "x", headers: { "content-type": "a/b" } });
  assert_equals(fresh.headers.get("content-type"), "a/b", "an explicit Content-Type stays");
  const c = fresh.clone();
  assert_equals(await c.text(), "x");
  assert_equals(await fresh.text(), "x", "clone shares the bytes, not the used flag");
  assert_throws_js(TypeError, () => fresh.clone(), "clone of a used body");
  await promise_rejects_js(t, TypeError, fresh.text(), "reading twice");
}, "Bodies: taking over, clone, bodyUsed");

test(() => {
  const base = new Request("https://a.test/x", { method: "PUT", body: "b", headers: { "X-Keep": "1" } });
  const r = new Request(base, { method: "POST" });
  assert_equals(r.url, "https://a.test/x");
  assert_equals(r.method, "POST");
  assert_equals(r.headers.get("x-keep"), "1", "headers carry over");
}, "A Request from a Request");
