// META: title=The Response class (Fetch §5.5)
// META: global=window,worker
"use strict";

promise_test(async () => {
  const r = new Response();
  assert_equals(r.status, 200);
  assert_true(r.ok);
  assert_equals(r.statusText, "");
  assert_equals(r.type, "default");
  assert_equals(r.url, "");
  assert_false(r.redirected);
  assert_false(r.bodyUsed);
  assert_equals(await r.text(), "");
  assert_false(r.bodyUsed, "a null body is never used");
  const s = new Response("body", { status: 404, statusText: "Not Found", headers: { "X-A": "1" } });
  assert_equals(s.status, 404);
  assert_false(s.ok);
  assert_equals(s.statusText, "Not Found");
  assert_equals(s.headers.get("x-a"), "1");
  assert_equals(s.headers.get("content-type"), "text/plain;charset=UTF-8");
}, "Construction");

test(() => {
  assert_throws_js(RangeError, () => new Response("", { status: 199 }));
  assert_throws_js(RangeError, () => new Response("", { status: 600 }));
  assert_throws_js(TypeError, () => new Response("", { statusText: "a\nb" }));
  for (const status of [204, 205, 304]) {
    assert_throws_js(TypeError, () => new Response("x", { status }), "a null body status: " + status);
    new Response(null, { status });
  }
  const r = new Response(null, { headers: { "Set-Cookie": "a=b", "X": "1" } });
  assert_false(r.headers.has("set-cookie"), "the response guard drops Set-Cookie");
}, "Validation");

promise_test(async () => {
  const e = Response.error();
  assert_equals(e.type, "error");
  assert_equals(e.status, 0);
  assert_throws_js(TypeError, () => e.headers.set("a", "b"), "immutable headers");
  const r = Response.redirect("https://a.test/next", 301);
  assert_equals(r.status, 301);
  assert_equals(r.headers.get("location"), "https://a.test/next");
  assert_equals(Response.redirect("https://a.test/").status, 302, "the default status");
  assert_throws_js(RangeError, () => Response.redirect("https://a.test/", 200));
  assert_throws_js(TypeError, () => Response.redirect("http://[bad"));
  const j = Response.json({ a: [1, "x"] }, { status: 201 });
  assert_equals(j.status, 201);
  assert_equals(j.headers.get("content-type"), "application/json");
  assert_equals(await j.text(), '{"a":[1,"x"]}');
  assert_throws_js(TypeError, () => Response.json(undefined), "not serializable");
  assert_not_equals(Response.json, Response.prototype.json, "static and Body json are different");
}, "error(), redirect() and json()");

promise_test(async () => {
  const r = new Response("abc");
  const c = r.clone();
  assert_equals(await r.text(), "abc");
  assert_true(r.bodyUsed);
  assert_equals(await c.text(), "abc");
  assert_throws_js(TypeError, () => r.clone());
}, "clone()");
