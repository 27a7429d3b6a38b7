// META: title=Fetch events that end in a network error (Service Workers, respondWith and Create Fetch Event and Dispatch; Fetch, HTTP fetch)
// META: script=resources/test-helpers.sub.js
"use strict";

// When the page's fetch() rejects with a TypeError because of the service worker: respondWith()
// with a rejected promise or something that is not a usable Response, a canceled event without
// respondWith(), and the checks HTTP fetch makes on the worker's response (type "error"; a
// "cors" response to a "same-origin" request; an "opaque" response to a request whose mode is
// not "no-cors"; an "opaqueredirect" response when the redirect mode is not "manual"; a
// redirected response when the redirect mode is not "follow").
// https://w3c.github.io/ServiceWorker/#fetch-event-respondwith
// https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch-algorithm
// https://fetch.spec.whatwg.org/#http-fetch

const REDIRECTING = RESOURCES + "network.txt?pipe=status(302)|header(Location,network.txt)";

promise_test(async t => {
  await controlled();
  await promise_rejects_js(t, TypeError, fetch(swUrl("reject")));
}, "respondWith(a rejected promise): the fetch rejects with a TypeError");

promise_test(async t => {
  await controlled();
  for (const value of ["string", "object", "undefined", "cache-miss"]) {
    await promise_rejects_js(t, TypeError, fetch(swUrl("value", { value })), value);
  }
}, "respondWith(something that is not a Response): the fetch rejects with a TypeError");

promise_test(async t => {
  await controlled();
  await promise_rejects_js(t, TypeError, fetch(swUrl("used-body")));
}, "respondWith(a Response whose body was already read): the fetch rejects with a TypeError");

promise_test(async t => {
  await controlled();
  await promise_rejects_js(t, TypeError, fetch(swUrl("error")));
}, "respondWith(Response.error()): the fetch rejects with a TypeError");

promise_test(async t => {
  await controlled();
  await promise_rejects_js(t, TypeError, fetch(swUrl("cancel")));
}, "preventDefault() without respondWith(): the fetch rejects with a TypeError");

promise_test(async t => {
  await controlled();
  const opaque = { url: get_host_info().REMOTE_ORIGIN + "/_faults/body?size=16&seed=3", mode: "no-cors" };
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", opaque)), "a cors request");
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", opaque), { mode: "same-origin" }),
                           "a same-origin request");
  const r = await fetch(swUrl("fetch", opaque), { mode: "no-cors" });
  assert_equals(r.type, "opaque", "a no-cors request takes it");
  assert_equals(r.status, 0);
  assert_equals(await r.text(), "");
}, "An opaque response only answers a no-cors request");

promise_test(async t => {
  await controlled();
  const cors = { url: get_host_info().REMOTE_ORIGIN + "/_faults/body?size=16&seed=4&acao=*" };
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", cors), { mode: "same-origin" }));
  const r = await fetch(swUrl("fetch", cors));
  assert_equals(r.type, "cors", "a cors request takes it");
  await r.arrayBuffer();
}, "A CORS response does not answer a same-origin request");

promise_test(async t => {
  await controlled();
  const manual = { url: REDIRECTING, redirect: "manual" };
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", manual)), "redirect: follow");
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", manual), { redirect: "error" }),
                           "redirect: error");
  const r = await fetch(swUrl("fetch", manual), { redirect: "manual" });
  assert_equals(r.type, "opaqueredirect", "a manual request takes it");
}, "An opaqueredirect response only answers a request whose redirect mode is manual");

promise_test(async t => {
  await controlled();
  const followed = { url: REDIRECTING };
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", followed), { redirect: "error" }),
                           "redirect: error");
  await promise_rejects_js(t, TypeError, fetch(swUrl("fetch", followed), { redirect: "manual" }),
                           "redirect: manual");
  const r = await fetch(swUrl("fetch", followed));
  assert_true(r.redirected, "a follow request takes it");
  assert_equals(await r.text(), NETWORK_TEXT);
}, "A response with more than one URL only answers a request whose redirect mode is follow");

promise_test(async t => {
  await controlled();
  await promise_rejects_js(t, TypeError,
    fetch(swUrl("redirect", { to: NETWORK_URL }), { redirect: "error" }));
}, "respondWith(Response.redirect()) to a request whose redirect mode is error");

promise_test(async () => {
  await controlled();
  const r = await fetch(swUrl("synth"));
  assert_equals(await r.text(), "synthesized");
}, "After all these network errors the worker still answers");
