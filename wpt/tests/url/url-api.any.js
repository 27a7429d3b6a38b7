// META: title=The URL class (URL Standard §6.1)
// META: global=window,worker
"use strict";

test(() => {
  const u = new URL("https://user:pw@example.com:8080/a/b?x=1&y=2#frag");
  assert_equals(u.href, "https://user:pw@example.com:8080/a/b?x=1&y=2#frag");
  assert_equals(u.origin, "https://example.com:8080");
  assert_equals(u.protocol, "https:");
  assert_equals(u.username, "user");
  assert_equals(u.password, "pw");
  assert_equals(u.host, "example.com:8080");
  assert_equals(u.hostname, "example.com");
  assert_equals(u.port, "8080");
  assert_equals(u.pathname, "/a/b");
  assert_equals(u.search, "?x=1&y=2");
  assert_equals(u.hash, "#frag");
  assert_equals(String(u), u.href, "stringifier");
  assert_equals(u.toJSON(), u.href);
  assert_equals(JSON.stringify({ u }), '{"u":"' + u.href + '"}');
}, "Components of a parsed URL");

test(() => {
  assert_equals(new URL("../c?q", "https://example.com/a/b/").href, "https://example.com/a/c?q");
  assert_equals(new URL("//other.test/x", "http://example.com").href, "http://other.test/x");
  assert_equals(new URL("HTTPS://EXAMPLE.COM:443/").href, "https://example.com/", "default port dropped");
  assert_equals(new URL("https://example.com/a b").pathname, "/a%20b");
  assert_equals(new URL("https://xn--n3h.example/").hostname, "xn--n3h.example");
  assert_equals(new URL("https://☃.example/").hostname, "xn--n3h.example", "IDNA");
}, "Relative resolution and serialization");

test(() => {
  assert_throws_js(TypeError, () => new URL("not a url"));
  assert_throws_js(TypeError, () => new URL("/path"), "relative without base");
  assert_throws_js(TypeError, () => new URL("/path", "also not a url"), "bad base");
  assert_throws_js(TypeError, () => new URL(), "a URL is required");
  assert_true(URL.canParse("https://a.test/"));
  assert_false(URL.canParse("/x"));
  assert_true(URL.canParse("/x", "https://a.test/"));
  assert_equals(URL.parse("nope"), null);
  const p = URL.parse("/x", "https://a.test/");
  assert_true(p instanceof URL);
  assert_equals(p.href, "https://a.test/x");
  assert_equals(URL.canParse.length, 1);
  assert_equals(URL.length, 1);
}, "Parse failures, URL.parse and URL.canParse");

test(() => {
  const u = new URL("https://example.com/");
  u.protocol = "http";
  assert_equals(u.protocol, "http:");
  u.protocol = "not a scheme!";
  assert_equals(u.protocol, "http:", "a bad scheme is ignored");
  u.username = "me";
  u.password = "secret";
  assert_equals(u.href, "http://me:secret@example.com/");
  u.host = "other.test:81";
  assert_equals(u.host, "other.test:81");
  u.hostname = "third.test";
  assert_equals(u.host, "third.test:81");
  u.port = "";
  assert_equals(u.port, "");
  u.port = "99999999";
  assert_equals(u.port, "", "an out-of-range port is ignored");
  u.pathname = "/p q";
  assert_equals(u.pathname, "/p%20q");
  u.hash = "h";
  assert_equals(u.hash, "#h");
  u.hash = "";
  assert_equals(u.href, "http://me:secret@third.test/p%20q");
  assert_throws_js(TypeError, () => { u.href = "::bad"; }, "href setter throws on failure");
  u.href = "https://new.test/?a=b";
  assert_equals(u.hostname, "new.test");
}, "Setters");

test(() => {
  const u = new URL("https://example.com/?a=1&b=2");
  const params = u.searchParams;
  assert_equals(u.searchParams, params, "[SameObject]");
  assert_true(params instanceof URLSearchParams);
  assert_equals(params.get("a"), "1");
  params.append("c", "3 4");
  assert_equals(u.search, "?a=1&b=2&c=3+4", "the params update the URL");
  params.delete("a");
  assert_equals(u.href, "https://example.com/?b=2&c=3+4");
  u.search = "?z=9";
  assert_equals(params.get("z"), "9", "the URL updates the params");
  assert_false(params.has("b"));
  u.href = "https://example.com/?w=1";
  assert_equals(params.get("w"), "1", "href updates the params too");
  params.delete("w");
  assert_equals(u.href, "https://example.com/", "an empty list removes the query");
}, "searchParams follows the URL and the URL follows it");

test(() => {
  assert_equals(new URL("blob:https://a.test/uuid").origin, "https://a.test");
  assert_equals(new URL("data:text/plain,x").origin, "null");
  assert_equals(new URL("file:///tmp/x").origin, "null");
}, "Origins of special and opaque URLs");
