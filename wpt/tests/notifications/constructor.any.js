// META: title=new Notification(): options, permission, events (Notifications API §2, §3)
// META: global=window,dedicatedworker,sharedworker
"use strict";

function next(target, type) {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

test(() => {
  assert_equals(typeof Notification, "function");
  assert_true(Notification.prototype instanceof EventTarget);
  assert_equals(Notification.maxActions, 2);
  for (const name of ["onclick", "onshow", "onerror", "onclose"]) {
    assert_true(name in Notification.prototype, name);
  }
  assert_equals(typeof Notification.requestPermission, self.Window ? "function" : "undefined",
                "requestPermission is [Exposed=Window]");
}, "The Notification interface");

test(() => {
  assert_throws_js(TypeError, () => new Notification("t", { renotify: true }), "renotify without a tag");
  assert_throws_js(TypeError, () => new Notification("t", { silent: true, vibrate: [100] }), "silent with vibrate");
  assert_throws_js(TypeError, () => new Notification("t", { actions: [{ action: "a", title: "A" }] }),
                   "actions need a persistent notification");
  assert_throws_dom("DataCloneError", () => new Notification("t", { data: () => 1 }));
}, "Invalid options throw");

test(t => {
  const data = { list: [1, 2], map: new Map([["k", "v"]]) };
  const n = new Notification("Title", {
    body: "Body", tag: "tag-1", lang: "en", dir: "rtl", icon: "icon.png", image: "/image.png",
    badge: "http://[", vibrate: [100, 200, 20000, 300], timestamp: 1234, requireInteraction: true,
    data,
  });
  t.add_cleanup(() => n.close());
  assert_equals(n.title, "Title");
  assert_equals(n.body, "Body");
  assert_equals(n.tag, "tag-1");
  assert_equals(n.lang, "en");
  assert_equals(n.dir, "rtl");
  assert_equals(n.icon, new URL("icon.png", location.href).href, "resolved against the base URL");
  assert_equals(n.image, new URL("/image.png", location.href).href);
  assert_equals(n.badge, "", "a URL that does not parse is unset");
  assert_array_equals(n.vibrate, [100, 200, 10000], "normalized: odd length, at most 10 s each");
  assert_equals(n.vibrate, n.vibrate, "[SameObject]");
  assert_true(Object.isFrozen(n.vibrate));
  assert_equals(n.timestamp, 1234);
  assert_true(n.requireInteraction);
  assert_false(n.renotify);
  assert_equals(n.silent, null);
  assert_not_equals(n.data, data, "a structured clone");
  assert_equals(n.data, n.data, "[SameObject]");
  assert_equals(n.data.map.get("k"), "v");
  assert_array_equals(n.actions, []);
  const now = Date.now();
  const m = new Notification("No timestamp");
  t.add_cleanup(() => m.close());
  assert_approx_equals(m.timestamp, now, 1000, "the timestamp defaults to now");
  assert_equals(m.body, "");
  assert_equals(m.dir, "auto");
  assert_equals(m.data, null);
}, "The attributes reflect the options");

promise_test(async () => {
  assert_equals(Notification.permission, "default", "nobody decided yet");
  const n = new Notification("not allowed");
  const e = await next(n, "error");
  assert_true(e.isTrusted);
}, "Without permission, a new notification fires error");
