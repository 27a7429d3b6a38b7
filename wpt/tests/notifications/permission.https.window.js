// META: title=Notification permission and non-persistent notifications in a window (Notifications API §3)
"use strict";

function next(target, type) {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

promise_test(async t => {
  await test_driver.set_permission({ name: "notifications" }, "denied");
  assert_equals(Notification.permission, "denied");
  let called = null;
  assert_equals(await Notification.requestPermission(p => (called = p)), "denied",
                "a decided state is the answer, without asking");
  assert_equals(called, "denied", "the deprecated callback");
  await test_driver.set_permission({ name: "notifications" }, "granted");
  assert_equals(Notification.permission, "granted");
  assert_equals(await Notification.requestPermission(), "granted");
}, "Notification.permission and requestPermission() follow the permission store");

promise_test(async t => {
  await test_driver.set_permission({ name: "notifications" }, "granted");
  const n = new Notification("shown", { tag: "window-tag" });
  await next(n, "show");
  const closed = next(n, "close");
  n.close();
  await closed;
  // A second one with the same tag replaces the first: the first gets close.
  const a = new Notification("first", { tag: "same" });
  await next(a, "show");
  const aClosed = next(a, "close");
  const b = new Notification("second", { tag: "same", renotify: true });
  await next(b, "show");
  await aClosed;
  b.close();
}, "With permission: show, close(), and replacement by tag");
