// META: title=The page's Referrer-Policy header is its requests' default (Fetch main fetch: the policy container's referrer policy)
"use strict";

// This page is served with `Referrer-Policy: origin` (the .headers file).
promise_test(async () => {
  const headers = await (await fetch("/_faults/headers")).json();
  assert_equals(headers["referer"], location.origin + "/");
  const chosen = await (await fetch("/_faults/headers", { referrerPolicy: "unsafe-url" })).json();
  assert_equals(chosen["referer"], location.href, "the request's own policy wins");
}, "A fetch from a page with Referrer-Policy: origin sends the origin only");

promise_test(async () => {
  const url = location.origin + "/_faults/headers";
  const code = `fetch(${JSON.stringify(url)}).then(r => r.json())
    .then(h => postMessage(h.referer), e => postMessage(e.name));`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  const referer = await new Promise(resolve => worker.onmessage = e => resolve(e.data));
  worker.terminate();
  // Determine request's referrer: a worker's referrer source is its creation URL, and a
  // blob: URL (a local scheme) strips to no referrer.
  assert_equals(referer, undefined, "no Referer");
}, "A blob: worker's fetch sends no Referer (its creation URL is a blob: URL)");
