// META: title=Background Fetch interfaces follow the WebIDL ECMAScript binding
// META: global=window,worker
"use strict";

const isServiceWorker = "ServiceWorkerGlobalScope" in self && self instanceof ServiceWorkerGlobalScope;

test(() => {
  for (const name of ["BackgroundFetchManager", "BackgroundFetchRegistration", "BackgroundFetchRecord"]) {
    assert_equals(typeof self[name], "function", name);
    const d = Object.getOwnPropertyDescriptor(self, name);
    assert_true(d.writable && !d.enumerable && d.configurable, name + " property");
    assert_throws_js(TypeError, () => new self[name](), name + " has no constructor");
  }
}, "The interfaces exposed in every global have interface objects and no constructors");

test(() => {
  assert_equals(typeof self.BackgroundFetchEvent, isServiceWorker ? "function" : "undefined");
  assert_equals(typeof self.BackgroundFetchUpdateUIEvent, isServiceWorker ? "function" : "undefined");
}, "BackgroundFetchEvent and BackgroundFetchUpdateUIEvent exist only in service workers");

test(() => {
  const proto = BackgroundFetchRegistration.prototype;
  assert_equals(Object.getPrototypeOf(proto), EventTarget.prototype);
  for (const attr of ["id", "uploadTotal", "uploaded", "downloadTotal", "downloaded",
                      "result", "failureReason", "recordsAvailable", "onprogress"]) {
    const d = Object.getOwnPropertyDescriptor(proto, attr);
    assert_equals(typeof d.get, "function", attr + " getter");
    assert_true(d.enumerable && d.configurable, attr + " is enumerable and configurable");
    assert_equals(d.get.name, "get " + attr);
    assert_throws_js(TypeError, () => d.get.call({}), attr + " brand check");
  }
  assert_equals(Object.getOwnPropertyDescriptor(proto, "id").set, undefined, "id is readonly");
  assert_equals(typeof Object.getOwnPropertyDescriptor(proto, "onprogress").set, "function");
}, "BackgroundFetchRegistration's attributes are accessors on its prototype");

test(() => {
  const m = BackgroundFetchManager.prototype;
  assert_equals(m.fetch.length, 2);
  assert_equals(m.get.length, 1);
  assert_equals(m.getIds.length, 0);
  const r = BackgroundFetchRegistration.prototype;
  assert_equals(r.abort.length, 0);
  assert_equals(r.match.length, 1);
  assert_equals(r.matchAll.length, 0);
  assert_equals(m[Symbol.toStringTag], "BackgroundFetchManager");
}, "Operations have the right length and prototypes their tag");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, BackgroundFetchManager.prototype.fetch.call({}, "id", "x"));
  await promise_rejects_js(t, TypeError, BackgroundFetchManager.prototype.getIds.call(5));
  await promise_rejects_js(t, TypeError, BackgroundFetchRegistration.prototype.abort.call(null));
}, "Promise-returning operations reject on a bad this instead of throwing");
