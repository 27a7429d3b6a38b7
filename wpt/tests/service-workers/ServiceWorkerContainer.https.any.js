// META: title=navigator.serviceWorker in windows and workers (Service Workers §3.3, §3.4)
// META: global=window,dedicatedworker,sharedworker
"use strict";

test(() => {
  assert_true(navigator.serviceWorker instanceof ServiceWorkerContainer);
  assert_equals(navigator.serviceWorker, navigator.serviceWorker, "[SameObject]");
  assert_equals(navigator.serviceWorker.controller, null);
}, "navigator.serviceWorker");

promise_test(async t => {
  const before = await navigator.serviceWorker.getRegistrations();
  assert_true(Array.isArray(before) && Object.isFrozen(before));
  const scope = new URL("resources/scope/from-" + self.constructor.name, location.href).href;
  const registration = await navigator.serviceWorker.register("resources/same-sw.js", { scope });
  t.add_cleanup(() => registration.unregister());
  assert_equals(registration.scope, scope);
  assert_true(registration.installing instanceof ServiceWorker);
  assert_equals(await navigator.serviceWorker.getRegistration(scope), registration);
  const after = await navigator.serviceWorker.getRegistrations();
  assert_true(after.includes(registration));
  assert_true(await registration.unregister());
}, "register(), getRegistration() and getRegistrations() from this global");

test(() => {
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.startMessages();
}, "startMessages() can be called more than once");
