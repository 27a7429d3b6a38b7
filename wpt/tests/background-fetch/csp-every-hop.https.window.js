// META: title=connect-src on every hop: redirects and blob: workers (Fetch main fetch step 7; CSP3 "should request be blocked"; HTML "initialize a worker global scope's policy container")
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
// META: script=resources/remote.sub.js
"use strict";

// This page runs under `connect-src 'self'` (csp-every-hop.https.window.js.headers).
const BLOCKED = () => REMOTE_ORIGIN + body(10, "&acao=*");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch(BLOCKED()), "the other origin itself");
  const own = await fetch(redirectTo(new URL(body(10), location.href).href));
  assert_equals((await own.arrayBuffer()).byteLength, 10, "a same-origin redirect is followed");
  await promise_rejects_js(t, TypeError, fetch(redirectTo(BLOCKED())));
  await promise_rejects_js(t, TypeError, fetch(redirectTo(BLOCKED(), 307)));
}, "fetch(): a same-origin redirect to a blocked origin is blocked");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(), redirectTo(BLOCKED(), 301));
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(message.registration.failureReason, "fetch-error");
  assert_equals(message.results[0].error, "TypeError", "the record has no response");
  assert_equals(registration.downloaded, 0, "nothing of the blocked origin was stored");
}, "Background fetch: a record redirected to a blocked origin is a fetch-error");

// A dedicated worker from a blob: URL, which reports what its fetch() and background
// fetch() of `url` did.
function blobWorker(t, url, scope) {
  const code = `
    (async () => {
      const result = {};
      try { await fetch(${JSON.stringify(url)}); result.fetch = "loaded"; }
      catch (e) { result.fetch = e.name; }
      if (self.navigator.serviceWorker) {
        const registration = await navigator.serviceWorker.getRegistration(${JSON.stringify(scope)});
        try {
          await registration.backgroundFetch.fetch("from-blob-worker", ${JSON.stringify(url)});
          result.backgroundFetch = "registered";
        } catch (e) { result.backgroundFetch = e.name; }
      }
      postMessage(result);
    })();`;
  const blobUrl = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  t.add_cleanup(() => URL.revokeObjectURL(blobUrl));
  const worker = new Worker(blobUrl);
  t.add_cleanup(() => worker.terminate());
  return new Promise(resolve => worker.onmessage = e => resolve(e.data));
}

promise_test(async t => {
  await recorder(t);
  const scope = new URL("resources/scope" + location.pathname, location.href).href;
  const result = await blobWorker(t, BLOCKED(), scope);
  assert_equals(result.fetch, "TypeError", "the worker's fetch() is blocked");
  assert_equals(result.backgroundFetch, "TypeError",
    "the worker's background fetch() is refused (as the page's is)");
}, "A blob: worker runs under its creator's connect-src");
