// META: title=worker-src governs new Worker and new SharedWorker (CSP3 §6.1.13)
"use strict";

const R = "/content-security-policy/resources/";

async_test(t => {
  const w = new Worker(R + "echo-worker.js");
  w.onmessage = t.unreached_func("the worker must not run");
  w.onerror = t.step_func_done(e => {
    assert_equals(e.type, "error");
    assert_false(e instanceof ErrorEvent, "a script fetch failure is a plain Event");
  });
}, "A dedicated worker blocked by worker-src 'none' fires error and never runs");

async_test(t => {
  const w = new SharedWorker(R + "echo-worker.js", "csp-blocked");
  w.port.onmessage = t.unreached_func("the worker must not run");
  w.onerror = t.step_func_done();
}, "A shared worker blocked by worker-src 'none' fires error");
