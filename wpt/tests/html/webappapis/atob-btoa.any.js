// META: title=atob() and btoa() (HTML §8.3, Infra forgiving-base64)
// META: global=window,worker
"use strict";

test(() => {
  assert_equals(btoa(""), "");
  assert_equals(btoa("Hello, world"), "SGVsbG8sIHdvcmxk");
  assert_equals(btoa("\xFF\x00\x80"), "/wCA");
  assert_equals(btoa(42), "NDI=", "ToString");
  assert_throws_dom("InvalidCharacterError", () => btoa("€"));
  assert_throws_js(TypeError, () => btoa(), "an argument is required");
}, "btoa()");

test(() => {
  assert_equals(atob("SGVsbG8sIHdvcmxk"), "Hello, world");
  assert_equals(atob(" SGVs bG8=\n"), "Hello", "whitespace");
  assert_equals(atob("SGVsbG8"), "Hello", "padding is optional");
  assert_equals(atob("/wCA"), "\xFF\x00\x80", "a byte string");
  for (const bad of ["a", "SGVsbG8==", "ab=c", "é", "ab*d"]) {
    assert_throws_dom("InvalidCharacterError", () => atob(bad), bad);
  }
  assert_equals(atob(btoa("\x01\xFE")), "\x01\xFE");
}, "atob()");
