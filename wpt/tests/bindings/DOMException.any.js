// META: title=DOMException and QuotaExceededError (WebIDL §2.8, §3.14)
"use strict";

test(() => {
  const e = new DOMException();
  assert_equals(e.name, "Error");
  assert_equals(e.message, "");
  assert_equals(e.code, 0);
  assert_true(e instanceof Error, "inherits Error.prototype");
  assert_equals(Object.prototype.toString.call(e), "[object DOMException]");
}, "The default DOMException");

test(() => {
  const names = { IndexSizeError: 1, NotFoundError: 8, InvalidStateError: 11,
                  AbortError: 20, QuotaExceededError: 22, DataCloneError: 25,
                  NotAllowedError: 0, EncodingError: 0 };
  for (const [name, code] of Object.entries(names)) {
    assert_equals(new DOMException("m", name).code, code, name);
  }
  assert_equals(DOMException.INVALID_STATE_ERR, 11);
  assert_equals(DOMException.prototype.ABORT_ERR, 20);
}, "Legacy codes of the names, and the constants");

test(() => {
  const proto = DOMException.prototype;
  for (const attr of ["name", "message", "code"]) {
    const d = Object.getOwnPropertyDescriptor(proto, attr);
    assert_equals(typeof d.get, "function", attr);
    assert_true(d.enumerable && d.configurable, attr);
  }
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(proto, "name").get.call({}));
}, "name, message and code are accessors with brand checks");

test(() => {
  const e = new QuotaExceededError("full", { quota: 10, requested: 20 });
  assert_equals(e.name, "QuotaExceededError");
  assert_equals(e.message, "full");
  assert_equals(e.code, 22);
  assert_equals(e.quota, 10);
  assert_equals(e.requested, 20);
  assert_true(e instanceof DOMException);
  const empty = new QuotaExceededError();
  assert_equals(empty.quota, null);
  assert_equals(empty.requested, null);
}, "QuotaExceededError carries quota and requested");

test(() => {
  assert_throws_js(RangeError, () => new QuotaExceededError("", { quota: -1 }));
  assert_throws_js(RangeError, () => new QuotaExceededError("", { requested: -1 }));
  assert_throws_js(RangeError, () => new QuotaExceededError("", { quota: 5, requested: 4 }));
}, "QuotaExceededError validates its options");
