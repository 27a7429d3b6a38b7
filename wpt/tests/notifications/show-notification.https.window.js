// META: title=ServiceWorkerRegistration.showNotification() and getNotifications() (Notifications API §4)
"use strict";

async function activeRegistration(t) {
  const scope = new URL("resources/notify-scope/", location.href).href;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register("resources/notify-sw.js", { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => worker.addEventListener("statechange", () => worker.state === "activated" && resolve()));
  return registration;
}

function ask(worker, message) {
  const channel = new MessageChannel();
  const reply = new Promise(resolve => (channel.port1.onmessage = e => resolve(e.data)));
  worker.postMessage(message, [channel.port2]);
  return reply;
}

promise_test(async t => {
  await test_driver.set_permission({ name: "notifications" }, "denied");
  const registration = await activeRegistration(t);
  await promise_rejects_js(t, TypeError, registration.showNotification("denied"));
  assert_object_equals(await ask(registration.active, { show: "denied" }), { error: "TypeError" });
  assert_object_equals(await ask(registration.active, { construct: true }), { error: "TypeError" },
                       "new Notification() throws in a service worker");
}, "showNotification() without permission rejects with TypeError");

promise_test(async t => {
  await test_driver.set_permission({ name: "notifications" }, "granted");
  const registration = await activeRegistration(t);
  await promise_rejects_js(t, TypeError, registration.showNotification("x", { renotify: true }));
  assert_equals(await registration.showNotification("From the page", {
    body: "one", tag: "a", data: { id: 1 }, actions: [{ action: "open", title: "Open" }, { action: "b", title: "B" }, { action: "c", title: "C" }],
  }), undefined);
  assert_object_equals(await ask(registration.active, { show: "From the worker", options: { body: "two", tag: "b" } }), { shown: true });
  let all = await registration.getNotifications();
  assert_array_equals(all.map(n => n.title), ["From the page", "From the worker"], "creation order");
  assert_true(all[0] instanceof Notification);
  assert_equals(all[0].body, "one");
  assert_equals(all[0].data.id, 1);
  assert_array_equals(all[0].actions.map(a => a.action), ["open", "b"], "at most maxActions actions");
  assert_equals(all[0].actions[0].title, "Open");
  const again = await registration.getNotifications();
  assert_not_equals(again[0], all[0], "new objects each time");
  assert_array_equals((await registration.getNotifications({ tag: "b" })).map(n => n.title), ["From the worker"]);
  // The same tag replaces (in place).
  await registration.showNotification("Replacement", { tag: "a" });
  all = await registration.getNotifications();
  assert_array_equals(all.map(n => n.title), ["From the worker", "Replacement"],
                      "the replacement is the newest notification");
  const seen = await ask(registration.active, { list: "" });
  assert_equals(seen.length, 2, "the worker sees the same list");
  // close() on any object representing it removes it.
  for (const n of all) n.close();
  assert_array_equals(await registration.getNotifications(), []);
}, "showNotification() shows persistent notifications that getNotifications() lists");
