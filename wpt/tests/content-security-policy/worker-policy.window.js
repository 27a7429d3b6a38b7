// META: title=A worker enforces the CSP of its own script's response (HTML "initialize worker policy container")
"use strict";

promise_test(async () => {
  const page = await fetch("/fetch/api/resources/data.txt");
  assert_equals(page.status, 200, "the page itself has no policy");
  const w = new Worker("/content-security-policy/resources/fetching-worker.js");
  const answer = new Promise(r => { w.onmessage = e => r(e.data); });
  w.postMessage("go");
  assert_equals(await answer, "TypeError", "connect-src 'none' from the worker's response");
  w.terminate();
}, "connect-src from a worker script's response header blocks the worker's fetch()");
