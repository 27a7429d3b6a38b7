// META: title=Module service workers: register(url, {type: "module"}) (Service Workers §3.4.3, Update, Run Service Worker)
"use strict";

const resources = new URL("resources/", location.href).href;

function stateOf(worker, state) {
  return new Promise(resolve => {
    if (worker.state === state) return resolve();
    worker.addEventListener("statechange", function listener() {
      if (worker.state === state) {
        worker.removeEventListener("statechange", listener);
        resolve();
      }
    });
  });
}

async function fresh(t, script, options) {
  const old = await navigator.serviceWorker.getRegistration(options.scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register(script, options);
  t.add_cleanup(() => registration.unregister());
  return registration;
}

function ask(worker) {
  const channel = new MessageChannel();
  const reply = new Promise(resolve => (channel.port1.onmessage = e => resolve(e.data)));
  worker.postMessage("?", [channel.port2]);
  return reply;
}

promise_test(async t => {
  const scope = resources + "module-scope/";
  const registration = await fresh(t, "resources/module-sw.js", { scope, type: "module" });
  const worker = registration.installing;
  assert_equals(worker.scriptURL, resources + "module-sw.js");
  await stateOf(worker, "activated");
  const reply = await ask(registration.active);
  assert_equals(reply.greeting, "hello from a module", "a static import");
  assert_equals(reply.meta, resources + "module-sw.js", "import.meta.url");
  assert_equals(reply.importScriptsError, "TypeError", "importScripts() throws in a module service worker");
  assert_equals(reply.dynamicImport, "TypeError", "import() is not allowed in a service worker");
  assert_true(reply.strict, "module code is strict");
}, "A module service worker installs, activates and runs with its imports");

promise_test(async t => {
  const scope = resources + "module-scope-2/";
  const registration = await fresh(t, "resources/module-sw.js", { scope, type: "module" });
  await stateOf(registration.installing, "activated");
  const same = await navigator.serviceWorker.register("resources/module-sw.js", { scope, type: "module" });
  assert_equals(same, registration);
  assert_equals(same.installing, null, "the same script and type: no new worker");
  // The same script URL as a classic script is an update (the type changed); as a classic
  // script, its import statement is a syntax error, so that update fails.
  await promise_rejects_js(t, TypeError,
    navigator.serviceWorker.register("resources/module-sw.js", { scope }));
  assert_equals(registration.active.scriptURL, resources + "module-sw.js", "the module worker stays");
}, "The worker type is part of the registration: changing it is an update");

promise_test(async t => {
  const scope = resources + "module-scope-3/";
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  await promise_rejects_js(t, TypeError,
    navigator.serviceWorker.register("resources/module-sw-broken.js", { scope, type: "module" }));
  assert_equals(await navigator.serviceWorker.getRegistration(scope), undefined);
}, "A module service worker whose graph cannot be fetched is not registered");
