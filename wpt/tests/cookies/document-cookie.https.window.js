// META: title=document.cookie (HTML "cookie" attribute, RFC 6265bis non-HTTP API)
"use strict";

function cookieNamed(name) {
  return document.cookie.split("; ").find(c => c.startsWith(name + "="));
}

function remove(name, path = "/") {
  document.cookie = `${name}=; Max-Age=0; Path=${path}`;
}

test(t => {
  t.add_cleanup(() => remove("dc-a"));
  assert_equals(typeof document.cookie, "string");
  document.cookie = "dc-a=1; Path=/";
  assert_equals(cookieNamed("dc-a"), "dc-a=1");
  document.cookie = "dc-a=2; Path=/";
  assert_equals(cookieNamed("dc-a"), "dc-a=2", "the same name, domain and path replace");
  remove("dc-a");
  assert_equals(cookieNamed("dc-a"), undefined, "Max-Age=0 removes it");
}, "document.cookie sets, replaces and removes a cookie");

test(t => {
  document.cookie = "dc-http=1; Path=/; HttpOnly";
  assert_equals(cookieNamed("dc-http"), undefined, "a non-HTTP API cannot set HttpOnly cookies");
}, "an HttpOnly cookie cannot be set through document.cookie");

test(t => {
  t.add_cleanup(() => remove("dc-path", "/elsewhere/"));
  document.cookie = "dc-path=1; Path=/elsewhere/";
  assert_equals(cookieNamed("dc-path"), undefined, "a cookie for another path is not this document's");
}, "document.cookie has the cookies of the document's URL only");

test(t => {
  t.add_cleanup(() => remove("dc-x"));
  t.add_cleanup(() => remove("dc-y"));
  document.cookie = "dc-x=1; Path=/";
  document.cookie = "dc-y=2; Path=/";
  const pairs = document.cookie.split("; ");
  assert_true(pairs.includes("dc-x=1") && pairs.includes("dc-y=2"), document.cookie);
}, "document.cookie joins its cookies with '; '");

test(() => {
  const doc = document.implementation.createHTMLDocument("");
  doc.cookie = "dc-averse=1";
  assert_equals(doc.cookie, "", "a document without a browsing context is cookie-averse");
  assert_equals(cookieNamed("dc-averse"), undefined);
}, "a cookie-averse document has no cookies");
