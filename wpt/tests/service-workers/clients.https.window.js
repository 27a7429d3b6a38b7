// META: title=Clients and Client (Service Workers §4.2, §4.3)
"use strict";

const resources = new URL("resources/", location.href).href;

// Registers clients-sw.js (which skips waiting) at a scope covering this page, through
// Service-Worker-Allowed; resolves with its active worker.
async function activeWorker(t) {
  const scope = new URL("./", location.href).href;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old && old.scope === scope) await old.unregister();
  const registration = await navigator.serviceWorker.register(
    "resources/clients-sw.js?pipe=header(Service-Worker-Allowed," + new URL(scope).pathname + ")",
    { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
    });
  });
  return worker;
}

// Asks the service worker a question; resolves with its answer (or rejects with its error).
function ask(worker, question) {
  return new Promise((resolve, reject) => {
    navigator.serviceWorker.addEventListener("message", e => {
      if (e.data.error) reject(new Error(e.data.error));
      else resolve(e.data.value);
    }, { once: true });
    worker.postMessage(question);
  });
}

promise_test(async t => {
  const worker = await activeWorker(t);
  const none = await ask(worker, { ask: "matchAll", options: {} });
  assert_array_equals(none.clients, [], "this page is not controlled");
  const all = await ask(worker, { ask: "matchAll", options: { includeUncontrolled: true } });
  assert_true(all.frozen, "matchAll() resolves with a frozen array");
  const me = all.clients.filter(c => c.sameAsSource);
  assert_equals(me.length, 1, "this page is one of its clients");
  assert_equals(me[0].url, location.href);
  assert_equals(me[0].type, "window");
  assert_equals(me[0].frameType, "top-level");
  assert_equals(me[0].interface, "WindowClient");
  assert_equals(me[0].visibilityState, "visible");
  assert_false(me[0].focused);
  assert_array_equals(me[0].ancestorOrigins, []);
  const workers = await ask(worker,
    { ask: "matchAll", options: { includeUncontrolled: true, type: "worker" } });
  assert_array_equals(workers.clients, [], "no dedicated worker clients");
}, "clients.matchAll(): controlled clients by default, every window with includeUncontrolled");

promise_test(async t => {
  const worker = await activeWorker(t);
  const dedicated = new Worker("resources/../../workers/resources/echo.js");
  t.add_cleanup(() => dedicated.terminate());
  // The worker is a client once it runs.
  await new Promise(resolve => {
    dedicated.onmessage = resolve;
    dedicated.postMessage("ping");
  });
  const all = await ask(worker,
    { ask: "matchAll", options: { includeUncontrolled: true, type: "all" } });
  const types = all.clients.map(c => c.type);
  assert_true(types.includes("window") && types.includes("worker"), types.join());
  assert_equals(types.indexOf("window"), 0, "window clients come first");
  const w = all.clients.find(c => c.type === "worker");
  assert_equals(w.interface, "Client");
  assert_equals(w.frameType, "none");
}, "clients.matchAll({type: 'all'}) lists dedicated worker clients after windows");

promise_test(async t => {
  const worker = await activeWorker(t);
  const found = await ask(worker, { ask: "get", id: "self" });
  assert_equals(found.url, location.href);
  assert_equals(await ask(worker, { ask: "get", id: "no such client" }), "undefined");
}, "clients.get() finds a client by id, or resolves with undefined");

promise_test(async t => {
  const worker = await activeWorker(t);
  await ask(worker, { ask: "openWindow", url: "http://[" }).then(
    () => assert_unreached("a URL that does not parse opens"),
    e => assert_true(e.message.startsWith("TypeError"), e.message));
  await ask(worker, { ask: "openWindow", url: "about:blank" }).then(
    () => assert_unreached("about:blank opens"),
    e => assert_true(e.message.startsWith("TypeError"), e.message));
  await ask(worker, { ask: "openWindow", url: "/" }).then(
    () => assert_unreached("a window opens"),
    e => assert_true(e.message.startsWith("InvalidAccessError"), e.message));
  await ask(worker, { ask: "focus" }).then(
    () => assert_unreached("a window takes focus"),
    e => assert_true(e.message.startsWith("InvalidAccessError"), e.message));
  await ask(worker, { ask: "navigate", url: "/" }).then(
    () => assert_unreached("an uncontrolled client navigates"),
    e => assert_true(e.message.startsWith("TypeError") && e.message.includes("does not control"),
                     e.message));
  assert_equals(await ask(worker, { ask: "skipWaiting" }), "undefined");
}, "openWindow() and focus() need user activation; navigate() needs a controlled client");

// Last: afterwards this page stays controlled.
promise_test(async t => {
  const worker = await activeWorker(t);
  assert_equals(navigator.serviceWorker.controller, null);
  const changed = new Promise(r => navigator.serviceWorker.addEventListener(
    "controllerchange", r, { once: true }));
  assert_equals(await ask(worker, { ask: "claim" }), "undefined");
  await changed;
  const controller = navigator.serviceWorker.controller;
  assert_true(controller instanceof ServiceWorker);
  assert_equals(controller.scriptURL, worker.scriptURL);
  assert_equals(controller, worker, "the same ServiceWorker object");
  const controlled = await ask(worker, { ask: "matchAll", options: {} });
  assert_equals(controlled.clients.length, 1, "now the page is a controlled client");
}, "clients.claim() makes the service worker control the page: controller and controllerchange");
