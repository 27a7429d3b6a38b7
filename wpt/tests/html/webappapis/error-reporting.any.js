// META: title=Reporting exceptions and unhandled rejections (HTML §8.1.4.6, §8.1.4.7)
// META: global=window,worker
"use strict";
setup({ allow_uncaught_exception: true });

async_test(t => {
  const thrown = new RangeError("from a timer");
  // Tests here run side by side: each listener looks only at its own error.
  self.addEventListener("error", t.step_func(function listener(e) {
    if (e.error !== thrown) return;
    self.removeEventListener("error", listener);
    assert_true(e instanceof ErrorEvent, "an ErrorEvent");
    assert_true(e.isTrusted, "trusted");
    assert_true(e.cancelable, "cancelable");
    assert_equals(e.error, thrown, "error is the thrown value");
    assert_true(e.message.includes("from a timer"), "message: " + e.message);
    assert_equals(typeof e.filename, "string");
    assert_equals(typeof e.lineno, "number");
    assert_equals(typeof e.colno, "number");
    e.preventDefault();
    t.done();
  }));
  setTimeout(() => { throw thrown; }, 0);
}, "An exception in a timer fires error on the global");

test(() => {
  const seen = [];
  const listener = e => { seen.push(e.error); e.preventDefault(); };
  self.addEventListener("error", listener);
  const value = { not: "an Error" };
  self.reportError(value);
  self.reportError(42);
  self.removeEventListener("error", listener);
  assert_array_equals(seen, [value, 42], "reported synchronously, in order");
}, "reportError fires error synchronously with any value");

async_test(t => {
  const prev = self.onerror;
  const thrown = new Error("via onerror");
  self.onerror = t.step_func(function (message, filename, lineno, colno, error) {
    if (error !== thrown) return false;
    assert_equals(arguments.length, 5, "onerror gets five arguments");
    assert_true(String(message).includes("via onerror"));
    assert_equals(error.message, "via onerror");
    self.onerror = prev;
    t.done();
    return true;
  });
  setTimeout(() => { throw thrown; }, 0);
}, "onerror is an OnErrorEventHandler with five arguments");

async_test(t => {
  const reason = new Error("nobody catches this");
  let p;
  self.addEventListener("unhandledrejection", t.step_func(function listener(e) {
    if (e.promise !== p) return;
    self.removeEventListener("unhandledrejection", listener);
    assert_true(e instanceof PromiseRejectionEvent);
    assert_true(e.isTrusted);
    assert_true(e.cancelable);
    assert_equals(e.reason, reason);
    e.preventDefault();
    // Handling it later fires rejectionhandled.
    self.addEventListener("rejectionhandled", t.step_func_done(function handled(e2) {
      if (e2.promise !== p) return;
      self.removeEventListener("rejectionhandled", handled);
      assert_false(e2.cancelable, "rejectionhandled is not cancelable");
      assert_equals(e2.reason, reason);
    }));
    setTimeout(() => p.catch(() => {}), 0);
  }));
  p = Promise.reject(reason);
}, "unhandledrejection, then rejectionhandled when it is handled later");

async_test(t => {
  let p;
  const listener = t.step_func(e => {
    if (e.promise === p) assert_unreached("a promise handled in the same task is not reported");
  });
  self.addEventListener("unhandledrejection", listener);
  p = Promise.reject(new Error("caught soon"));
  Promise.resolve().then(() => p.catch(() => {}));
  setTimeout(t.step_func_done(() => self.removeEventListener("unhandledrejection", listener)), 50);
}, "A rejection handled by a microtask of the same task is not reported");

test(() => {
  const p = Promise.resolve();
  const e = new PromiseRejectionEvent("unhandledrejection", { promise: p, reason: 1 });
  assert_equals(e.promise, p);
  assert_equals(e.reason, 1);
  assert_false(e.isTrusted);
  assert_throws_js(TypeError, () => new PromiseRejectionEvent("x", {}), "promise is required");
  const ee = new ErrorEvent("error", { message: "m", lineno: 3 });
  assert_equals(ee.message, "m");
  assert_equals(ee.lineno, 3);
  assert_equals(ee.filename, "");
  assert_equals(ee.error, undefined);
}, "The event constructors");
