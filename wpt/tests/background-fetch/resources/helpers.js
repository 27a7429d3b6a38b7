// Shared by the background fetch tests: a registered, activated recorder service worker at
// a scope unique to the test page, and the messages it sends.
"use strict";

let nextId = 0;
function uniqueId() {
  return "fetch-" + nextId++;
}

// The next message the service worker posts to this page.
function nextMessage() {
  return new Promise(resolve => navigator.serviceWorker.addEventListener(
    "message", e => resolve(e.data), { once: true }));
}

// Registers resources/recorder-sw.js (or `script`, which answers "hello" the same way),
// waits for it to be active and ready, and resolves with its registration's
// BackgroundFetchManager. Unregisters when the test ends.
async function recorder(t, script = "resources/recorder-sw.js") {
  await test_driver.set_permission({ name: "background-fetch" }, "granted");
  const scope = "resources/scope" + location.pathname;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register(script, { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => worker.addEventListener("statechange", () => {
    if (worker.state === "activated") resolve();
  }));
  const ready = nextMessage();
  registration.active.postMessage("hello");
  assert_equals((await ready).type, "ready");
  return registration.backgroundFetch;
}

// A deterministic body of `size` bytes from the test server (see wpt/README.md, /_faults/).
function body(size, more = "") {
  return `/_faults/body?size=${size}${more}`;
}

// A service worker (resources/cache-sw.js) that puts each successful fetch's records in a
// cache named after the fetch and posts how many it stored; resolves with the manager.
async function cacheWorker(t) {
  await test_driver.set_permission({ name: "background-fetch" }, "granted");
  const scope = "resources/scope/cache" + location.pathname;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register("resources/cache-sw.js", { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => worker.addEventListener("statechange", () => {
    if (worker.state === "activated") resolve();
  }));
  return registration.backgroundFetch;
}
