// META: title=Service worker registration, installation and activation (Service Workers §3.2, §3.4, Appendix A)
"use strict";

const resources = new URL("resources/", location.href).href;

// The next `type` event at `target`.
function next(target, type) {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

// Resolves once `worker.state` is `state`, recording every statechange on the way.
function stateOf(worker, state, log = []) {
  return new Promise(resolve => {
    if (worker.state === state) return resolve(log);
    worker.addEventListener("statechange", function listener() {
      log.push(worker.state);
      if (worker.state === state) {
        worker.removeEventListener("statechange", listener);
        resolve(log);
      }
    });
  });
}

// Resolves once `condition()` holds, checking after each task (the registration's slots
// and its workers' states arrive as separate tasks).
async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return condition();
}

// Registers `script` at `scope` after removing whatever was registered there; unregisters
// when the test ends.
async function freshRegistration(t, script, scope) {
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register(script, { scope });
  t.add_cleanup(() => registration.unregister());
  return registration;
}

test(() => {
  assert_true(navigator.serviceWorker instanceof ServiceWorkerContainer);
  assert_equals(navigator.serviceWorker, navigator.serviceWorker, "[SameObject]");
  assert_true(ServiceWorkerContainer.prototype instanceof EventTarget);
  assert_equals(navigator.serviceWorker.controller, null, "nothing controls this page");
  for (const name of ["oncontrollerchange", "onmessage", "onmessageerror"]) {
    assert_true(name in ServiceWorkerContainer.prototype, name);
  }
  assert_equals(ServiceWorkerContainer.prototype.register.length, 1);
  assert_equals(ServiceWorkerContainer.prototype.getRegistration.length, 0);
  assert_throws_js(TypeError, () => new ServiceWorkerContainer(), "no constructor");
  assert_throws_js(TypeError, () => new ServiceWorker(), "no constructor");
}, "navigator.serviceWorker is the page's ServiceWorkerContainer");

promise_test(async t => {
  const scope = resources + "scope/lifecycle";
  const registration = await freshRegistration(t, "resources/lifecycle-sw.js", scope);
  assert_true(registration instanceof ServiceWorkerRegistration);
  assert_equals(registration.scope, scope);
  assert_equals(registration.updateViaCache, "imports");
  // The promise resolves during Install: the new worker is installing.
  const worker = registration.installing;
  assert_true(worker instanceof ServiceWorker, "installing is a ServiceWorker");
  assert_equals(worker.scriptURL, resources + "lifecycle-sw.js");
  assert_equals(worker.state, "installing");
  assert_equals(registration.waiting, null);
  assert_equals(registration.active, null);
  const log = await stateOf(worker, "activated");
  assert_array_equals(log, ["installed", "activating", "activated"],
    "statechange for every state, in order");
  assert_equals(registration.installing, null);
  assert_equals(registration.waiting, null);
  assert_equals(registration.active, worker, "the same object becomes active");
  // The registration is found again, as the same object.
  assert_equals(await navigator.serviceWorker.getRegistration(scope), registration);
  assert_equals(await navigator.serviceWorker.getRegistration(scope + "/below/x.html"),
    registration, "a URL under the scope matches it");
  assert_equals(await navigator.serviceWorker.getRegistration(resources + "other"), undefined);
  const all = await navigator.serviceWorker.getRegistrations();
  assert_true(Object.isFrozen(all), "a frozen array");
  assert_true(all.includes(registration));
}, "register() installs and activates a worker: states, statechange, the registration's slots");

promise_test(async t => {
  const scope = resources + "scope/lifecycle-events";
  const registration = await freshRegistration(t, "resources/lifecycle-sw.js", scope);
  await stateOf(registration.installing, "activated");
  const channel = new MessageChannel();
  registration.active.postMessage({ hello: [1, 2] }, [channel.port2]);
  const replied = next(channel.port1, "message");
  channel.port1.start();
  const reply = (await replied).data;
  channel.port1.close();
  assert_array_equals(reply.seen,
    ["install:true:true:InstallEvent", "activate:true:ExtendableEvent"],
    "install (an InstallEvent) then activate, trusted ExtendableEvents");
  assert_equals(reply.eventInterface, "ExtendableMessageEvent");
  assert_equals(reply.origin, location.origin);
  assert_equals(reply.sourceInterface, "WindowClient");
  assert_equals(reply.sourceType, "window");
  assert_equals(reply.sourceUrl, location.href);
  assert_equals(reply.sourceFrameType, "top-level");
  assert_true(reply.registrationSame, "self.registration is [SameObject]");
  assert_equals(reply.registrationScope, scope);
  assert_true(reply.activeIsSelf, "registration.active === self.serviceWorker");
  assert_equals(reply.state, "activated");
  assert_equals(reply.scriptURL, resources + "lifecycle-sw.js");
  assert_true(reply.clientsSame, "self.clients is [SameObject]");
  assert_array_equals(reply.data.hello, [1, 2], "the message is structured-cloned");
}, "The service worker's global: lifecycle events, registration, serviceWorker, message source");

promise_test(async t => {
  const scope = resources + "scope/messages";
  const registration = await freshRegistration(t, "resources/lifecycle-sw.js", scope);
  await stateOf(registration.installing, "activated");
  const arrived = next(navigator.serviceWorker, "message");
  registration.active.postMessage("reply to the container");
  const e = await arrived;
  assert_true(e instanceof MessageEvent);
  assert_true(e.isTrusted);
  assert_equals(e.source, registration.active, "the source is this page's ServiceWorker object");
  assert_equals(e.origin, location.origin);
  assert_equals(e.data.data, "reply to the container");
}, "Client.postMessage() reaches navigator.serviceWorker as a MessageEvent from the ServiceWorker");

promise_test(async t => {
  const scope = resources + "scope/again";
  const registration = await freshRegistration(t, "resources/same-sw.js", scope);
  await stateOf(registration.installing, "activated");
  let updatefound = 0;
  registration.addEventListener("updatefound", () => updatefound++);
  const again = await navigator.serviceWorker.register("resources/same-sw.js", { scope });
  assert_equals(again, registration, "the same registration object");
  assert_equals(again.installing, null, "nothing new installs");
  const updated = await registration.update();
  assert_equals(updated, registration, "update() resolves with the registration");
  assert_equals(registration.installing, null, "the same bytes install nothing");
  assert_equals(updatefound, 0);
}, "Registering the same script again, or updating to the same bytes, changes nothing");

promise_test(async t => {
  const scope = resources + "scope/changing";
  const registration = await freshRegistration(t, "resources/changing-sw.sub.js", scope);
  const first = registration.installing;
  await stateOf(first, "activated");
  const found = next(registration, "updatefound");
  await registration.update();
  await found;
  const second = registration.installing;
  assert_not_equals(second, null, "new bytes install a new worker");
  assert_not_equals(second, first);
  const log = [];
  await Promise.all([stateOf(second, "activated", log), stateOf(first, "redundant")]);
  assert_equals(registration.active, second);
  assert_equals(first.state, "redundant", "the old worker is replaced");
}, "update() with new bytes installs a new worker and the old one becomes redundant");

promise_test(async t => {
  const scope = resources + "scope/unregister";
  const registration = await freshRegistration(t, "resources/same-sw.js", scope);
  const worker = registration.installing;
  await stateOf(worker, "activated");
  assert_true(await registration.unregister(), "the first unregister() finds it");
  assert_equals(await navigator.serviceWorker.getRegistration(scope), undefined);
  await stateOf(worker, "redundant");
  // Clear Registration's registration-state task follows its worker-state task.
  assert_true(await until(() => registration.active === null),
    "no client uses it, so it is cleared");
  assert_false(await registration.unregister(), "the second finds nothing");
  await promise_rejects_dom(t, "InvalidStateError", registration.update(),
    "update() without a worker");
}, "unregister() removes the registration and its workers become redundant");

promise_test(async t => {
  const scope = new URL("./", location.href).href;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old && old.scope === scope) await old.unregister();
  // The script's directory is below the scope: Service-Worker-Allowed widens the maximum.
  const script = "resources/same-sw.js?pipe=header(Service-Worker-Allowed," +
    new URL(scope).pathname + ")";
  const registration = await navigator.serviceWorker.register(script, { scope });
  t.add_cleanup(() => registration.unregister());
  const ready = await navigator.serviceWorker.ready;
  assert_equals(ready, registration, "ready resolves with the registration for this page");
  assert_not_equals(ready.active, null, "once it has an active worker");
  assert_equals(navigator.serviceWorker.ready, navigator.serviceWorker.ready,
    "the same promise every time");
}, "ready resolves when a registration whose scope covers the page has an active worker");

promise_test(async t => {
  const scope = resources + "scope/reject";
  const registration = await freshRegistration(t, "resources/install-rejects-sw.js", scope);
  const worker = registration.installing;
  await stateOf(worker, "redundant");
  assert_equals(await navigator.serviceWorker.getRegistration(scope), undefined,
    "a registration whose first install failed is removed");
  // Update Registration State's task follows Update Worker State's.
  assert_true(await until(() => registration.installing === null), "installing is cleared");
  assert_equals(registration.active, null);
}, "A rejected install waitUntil() makes the worker redundant and removes the new registration");

promise_test(async t => {
  const scope = resources + "scope/hold";
  const registration = await freshRegistration(t, "resources/hold-sw.sub.js", scope);
  const first = registration.installing;
  await stateOf(first, "activated");
  const reply = () => next(navigator.serviceWorker, "message").then(e => e.data);
  let answered = reply();
  first.postMessage("hold");
  assert_equals(await answered, "ok:hold");
  // The new worker skips waiting, but the active worker still has a pending event.
  await registration.update();
  const second = registration.installing;
  await stateOf(second, "installed");
  await new Promise(resolve => t.step_timeout(resolve, 200));
  assert_equals(registration.waiting, second, "the new worker waits");
  assert_equals(first.state, "activated", "the old worker stays active");
  answered = reply();
  first.postMessage("release");
  assert_equals(await answered, "ok:release");
  await stateOf(second, "activated");
  assert_equals(registration.active, second);
  assert_equals(first.state, "redundant");
}, "Activation waits until the active worker has no pending extendable events (Try Activate)");
