// META: title=Referer and User-Agent on the wire (Fetch: main fetch "determine request's referrer", HTTP-network-or-cache fetch; Referrer Policy)
// META: global=window,worker
"use strict";

const REMOTE = location.protocol + "//{{hosts[alt][]}}" + (location.port ? ":" + location.port : "");

async function sent(input, init) {
  return (await fetch(input, init)).json();
}

promise_test(async () => {
  const headers = await sent("/_faults/headers");
  assert_equals(headers["referer"], location.href, "same origin: the full URL");
  assert_equals(headers["user-agent"], navigator.userAgent);
}, "A same-origin fetch sends the client's URL as Referer, and the default User-Agent");

promise_test(async () => {
  const headers = await sent(REMOTE + "/_faults/headers");
  assert_equals(headers["referer"], location.origin + "/",
    "strict-origin-when-cross-origin: the origin only");
}, "A cross-origin fetch sends only the origin (the default policy)");

promise_test(async () => {
  assert_false("referer" in await sent("/_faults/headers", { referrerPolicy: "no-referrer" }));
  assert_false("referer" in await sent("/_faults/headers", { referrer: "" }));
  const origin = await sent("/_faults/headers", { referrerPolicy: "origin" });
  assert_equals(origin["referer"], location.origin + "/");
  const chosen = new URL("/some/page?x=1#frag", location.href).href;
  const explicit = await sent("/_faults/headers", { referrer: chosen });
  assert_equals(explicit["referer"], chosen.replace("#frag", ""), "the fragment is stripped");
}, "referrerPolicy and referrer decide the Referer");

promise_test(async () => {
  const target = new URL("/_faults/headers", location.href).href;
  const pipe = "status(302)|header(Location," + target.replace(/[\\,()]/g, "\\$&") +
    ")|header(Referrer-Policy,no-referrer)";
  const headers = await sent("resources/data.txt?pipe=" + encodeURIComponent(pipe));
  assert_false("referer" in headers, "the redirect's Referrer-Policy applies to the next hop");
}, "A redirect's Referrer-Policy header changes the policy for the next hop");

promise_test(async () => {
  const headers = await sent("/_faults/headers", { headers: { "User-Agent": "mine/1.0" } });
  assert_equals(headers["user-agent"], "mine/1.0");
}, "A request that sets User-Agent keeps its own");
