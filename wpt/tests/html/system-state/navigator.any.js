// META: title=Navigator and WorkerNavigator (HTML §8.9.1)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const isWindow = typeof Window === "function" && self instanceof Window;

test(() => {
  const N = isWindow ? Navigator : WorkerNavigator;
  assert_true(navigator instanceof N);
  assert_equals(navigator, self.navigator, "the same object every time");
  if (isWindow) {
    assert_equals(clientInformation, navigator, "clientInformation is navigator");
    assert_equals(typeof WorkerNavigator, "undefined");
  } else {
    assert_equals(typeof Navigator, "undefined");
  }
}, "navigator is a " + (isWindow ? "Navigator" : "WorkerNavigator"));

test(() => {
  assert_equals(navigator.appCodeName, "Mozilla");
  assert_equals(navigator.appName, "Netscape");
  assert_equals(navigator.product, "Gecko");
  assert_equals(typeof navigator.userAgent, "string");
  assert_true(navigator.userAgent.startsWith("Mozilla/5.0 "), navigator.userAgent);
  assert_equals("Mozilla/" + navigator.appVersion, navigator.userAgent,
                "appVersion is the user agent without its leading Mozilla/");
  assert_equals(typeof navigator.platform, "string");
  if (isWindow) {
    assert_equals(navigator.vendorSub, "");
    assert_false(navigator.taintEnabled());
    assert_equals(typeof navigator.productSub, "string");
  } else {
    for (const name of ["productSub", "vendor", "vendorSub", "taintEnabled", "oscpu"]) {
      assert_false(name in navigator, name + " is [Exposed=Window]");
    }
  }
}, "NavigatorID");

test(() => {
  assert_equals(typeof navigator.language, "string");
  const languages = navigator.languages;
  assert_true(Array.isArray(languages));
  assert_true(Object.isFrozen(languages), "a frozen array");
  assert_equals(navigator.languages, languages, "the same array until it changes");
  assert_equals(languages[0], navigator.language);
}, "NavigatorLanguage");

test(() => {
  assert_equals(typeof navigator.onLine, "boolean");
  const c = navigator.hardwareConcurrency;
  assert_true(Number.isInteger(c) && c >= 1, String(c));
}, "NavigatorOnLine and NavigatorConcurrentHardware");

test(() => {
  const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(navigator), "onLine");
  assert_equals(typeof d.get, "function");
  assert_equals(d.set, undefined, "readonly");
  assert_throws_js(TypeError, () => d.get.call({}), "brand check");
}, "Attributes are accessors on the prototype with brand checks");
