// META: title=A top-level window's browsing context properties (HTML §7.2)
"use strict";

test(() => {
  assert_equals(window.window, window);
  assert_equals(self, window);
  assert_equals(frames, window);
  assert_equals(parent, window, "a top-level window is its own parent");
  assert_equals(top, window);
  assert_equals(length, 0, "no child navigables");
  assert_equals(frameElement, null);
  assert_false(closed);
}, "window, self, frames, parent, top, length, frameElement, closed");

test(() => {
  assert_equals(opener, null, "not opened by another browsing context");
  window.opener = null;
  assert_equals(opener, null);
  window.opener = 42;
  assert_equals(opener, 42, "setting a non-null value replaces it");
}, "opener");

test(() => {
  assert_equals(typeof name, "string");
  name = "a name";
  assert_equals(window.name, "a name");
  name = "";
}, "name");

test(() => {
  assert_equals(document.defaultView, window);
  const d = Object.getOwnPropertyDescriptor(window, "document");
  assert_equals(typeof d.get, "function", "[LegacyUnforgeable]: an own accessor");
  assert_false(d.configurable);
  assert_equals(location.href, document.URL);
  assert_equals(origin, location.origin);
  assert_true(isSecureContext === (location.protocol === "https:" || location.hostname === "127.0.0.1"),
              "isSecureContext");
}, "document, location and origin");
