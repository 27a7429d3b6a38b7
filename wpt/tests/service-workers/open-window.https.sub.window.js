// META: title=clients.openWindow() and WindowClient.focus() with user activation (Service Workers §4.3.4, §4.2.11; HTML user activation)
"use strict";

const resources = new URL("resources/", location.href).href;

async function activeWorker(t) {
  const scope = resources + "open-window-scope/";
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register("resources/open-window-sw.js", { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => {
    worker.addEventListener("statechange", () => worker.state === "activated" && resolve());
  });
  return worker;
}

function ask(worker, message) {
  const channel = new MessageChannel();
  const reply = new Promise(resolve => (channel.port1.onmessage = e => resolve(e.data)));
  worker.postMessage(message, [channel.port2]);
  return reply;
}

promise_test(async t => {
  assert_true(navigator.userActivation instanceof UserActivation);
  assert_equals(navigator.userActivation, navigator.userActivation, "[SameObject]");
  assert_false(navigator.userActivation.hasBeenActive, "no activation yet");
  assert_false(navigator.userActivation.isActive);
  const worker = await activeWorker(t);
  assert_object_equals(await ask(worker, { open: "opened-window.html" }), { error: "InvalidAccessError" });
  assert_object_equals(await ask(worker, { open: "about:blank" }), { error: "TypeError" }, "about:blank");
  assert_object_equals(await ask(worker, { open: "http://[" }), { error: "TypeError" }, "a URL that does not parse");
  // (Uncontrolled, this window is still a client of the worker's origin.)
  assert_object_equals(await ask(worker, { focus: true }), { error: "InvalidAccessError" }, "focus()");
}, "openWindow() and focus() without user activation reject with InvalidAccessError (first: nothing activated this window yet)");

promise_test(async t => {
  const worker = await activeWorker(t);
  // The user clicks in this window: a window of the worker's origin has transient
  // activation, so the worker may open one.
  const reply = await test_driver.bless("open a window", () => {
    assert_true(navigator.userActivation.isActive, "transient activation in the click");
    assert_true(navigator.userActivation.hasBeenActive, "sticky activation");
    return ask(worker, { open: "opened-window.html?x=1" });
  });
  assert_equals(reply.client.url, resources + "opened-window.html?x=1");
  assert_equals(reply.client.type, "window");
  assert_equals(reply.client.frameType, "top-level");
  assert_true(reply.client.isWindowClient, "a WindowClient");
  assert_true(reply.client.focused, "a window opened for the user has focus");
  assert_true(reply.matched, "the new window is one of the worker's clients");
}, "openWindow() with user activation opens a window and resolves with its WindowClient");

promise_test(async t => {
  const worker = await activeWorker(t);
  const reply = await test_driver.bless("open a window", () =>
    ask(worker, { open: "https://{{hosts[alt][]}}:{{ports[https][0]}}/service-workers/resources/opened-window.html" }));
  assert_equals(reply.client, null);
}, "openWindow() of another origin resolves with null");

promise_test(async t => {
  const worker = await activeWorker(t);
  const reply = await test_driver.bless("focus", () => ask(worker, { focus: true }));
  assert_object_equals(reply, { focused: true, same: true });
}, "WindowClient.focus() with user activation focuses the window");
