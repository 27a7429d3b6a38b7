// META: title=A same-origin iframe in a service worker's scope is its controlled client (Service Workers, Handle Fetch; HTML iframe navigation)
"use strict";

// The test page is outside the scope, so it stays uncontrolled; an iframe it loads from the
// scope is a non-subresource request that Handle Fetch sends to the registration's active
// worker, and the frame's environment becomes a controlled window client whose frame type is
// "nested". The frame's own ServiceWorkerContainer, registration and controller objects
// belong to the frame's realm; its fetch() goes to the worker.
// https://w3c.github.io/ServiceWorker/#on-fetch-request-algorithm
// https://w3c.github.io/ServiceWorker/#clients-matchall
// https://w3c.github.io/ServiceWorker/#client-frametype
// https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element

const SCOPE = new URL("resources/iframe-client-scope/", location.href).href;
const FRAME_URL = SCOPE + "frame.html";
const WORKER_URL = new URL("resources/iframe-client-worker.js", location.href).href;

function within(ms, what, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(
    () => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))]);
}

// Resolves once `worker.state` is `state`.
function workerState(worker, state) {
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

// Appends an iframe loading `url` to the body; resolves with it after its load event. The
// caller removes it (t.add_cleanup).
function with_iframe(url) {
  const frame = document.createElement("iframe");
  const loaded = within(4000, `the load event of the iframe of ${url}`,
    new Promise(resolve => frame.addEventListener("load", resolve, { once: true })));
  frame.src = url;
  document.body.append(frame);
  return loaded.then(() => frame);
}

// One registration for the file, made by the first test, unregistered when the file is done.
let registered = null;
function activeRegistration() {
  if (!registered) {
    registered = (async () => {
      const container = navigator.serviceWorker;
      const old = await container.getRegistration(SCOPE);
      if (old && old.scope === SCOPE) await old.unregister();
      const registration = await container.register(WORKER_URL, { scope: SCOPE });
      add_completion_callback(() => { registration.unregister(); });
      const worker = registration.installing || registration.waiting || registration.active;
      await within(4000, "an activated worker", workerState(worker, "activated"));
      return registration;
    })();
  }
  return registered;
}

let lastToken = 0;
function newToken() {
  return "iframe-client-" + ++lastToken;
}

// A frame URL in the scope, unique to the caller (the worker's records tell them apart).
function frameUrl() {
  return FRAME_URL + "?" + newToken();
}

// Asks the active worker `question`; resolves with its answer's value.
async function ask(question) {
  const registration = await activeRegistration();
  const token = newToken();
  const container = navigator.serviceWorker;
  container.startMessages();
  const answered = within(3000, `the worker's answer to ${question.ask}`,
    new Promise(resolve => {
      container.addEventListener("message", function listener(e) {
        if (!e.data || e.data.token !== token) return;
        container.removeEventListener("message", listener);
        resolve(e.data);
      });
    }));
  registration.active.postMessage(Object.assign({ token }, question));
  const answer = await answered;
  if (answer.error) throw new Error(answer.error);
  return answer.value;
}

promise_test(async t => {
  const registration = await activeRegistration();
  assert_equals(navigator.serviceWorker.controller, null, "the test page is not in the scope");
  const url = frameUrl();
  const frame = await with_iframe(url);
  t.add_cleanup(() => frame.remove());
  const w = frame.contentWindow;
  assert_equals(frame.contentDocument.URL, url);
  assert_equals(frame.contentDocument.getElementById("marker").textContent, "in scope",
                "the page came from the network");
  const controller = w.navigator.serviceWorker.controller;
  assert_not_equals(controller, null, "the frame is controlled");
  assert_true(controller instanceof w.ServiceWorker, "a ServiceWorker of the frame's realm");
  assert_false(controller instanceof ServiceWorker);
  assert_not_equals(controller, registration.active, "not the test page's object");
  assert_equals(controller.scriptURL, WORKER_URL);
  assert_equals(controller.state, "activated");
}, "An iframe navigated to a URL in the scope is controlled by the active worker");

promise_test(async t => {
  await activeRegistration();
  const url = frameUrl();
  const frame = await with_iframe(url);
  t.add_cleanup(() => frame.remove());
  const navigations = await ask({ ask: "navigations" });
  const mine = navigations.filter(n => n.url === url);
  assert_equals(mine.length, 1, "one fetch event for the frame's navigation");
  assert_equals(mine[0].mode, "navigate");
  assert_equals(mine[0].destination, "iframe");
  assert_not_equals(mine[0].resultingClientId, "", "the frame's reserved client");
  const clients = await ask({ ask: "matchAll" });
  const frameClient = clients.find(c => c.url === url);
  assert_not_equals(frameClient, undefined, "the frame is a client");
  assert_equals(mine[0].resultingClientId, frameClient.id,
                "the navigation's resultingClientId is the frame's client id");
}, "The frame's navigation is a fetch event with destination iframe");

promise_test(async t => {
  await activeRegistration();
  const url = frameUrl();
  const frame = await with_iframe(url);
  t.add_cleanup(() => frame.remove());
  const controlled = await ask({ ask: "matchAll" });
  const mine = controlled.filter(c => c.url === url);
  assert_equals(mine.length, 1, "the frame is a controlled client");
  assert_equals(controlled.filter(c => c.url === location.href).length, 0,
                "the uncontrolled test page is not listed by default");
  const c = mine[0];
  assert_equals(c.type, "window");
  assert_equals(c.frameType, "nested");
  assert_equals(c.interface, "WindowClient");
  assert_array_equals(c.ancestorOrigins, [location.origin], "the parent's origin");
  const all = await ask({ ask: "matchAll", options: { includeUncontrolled: true } });
  const page = all.filter(c => c.url === location.href);
  assert_equals(page.length, 1, "with includeUncontrolled, the test page too");
  assert_equals(page[0].frameType, "top-level");
  assert_equals(all.filter(c => c.url === url).length, 1);
  assert_equals(all.find(c => c.url === url).frameType, "nested");
}, "clients.matchAll() lists the frame as a nested window client");

promise_test(async t => {
  await activeRegistration();
  const url = frameUrl();
  const frame = await with_iframe(url);
  t.add_cleanup(() => frame.remove());
  frame.remove();
  const clients = await ask({ ask: "matchAll", options: { includeUncontrolled: true } });
  assert_equals(clients.filter(c => c.url === url).length, 0, "a removed frame is no client");
}, "A removed frame is no longer a client");

promise_test(async t => {
  const registration = await activeRegistration();
  const frame = await with_iframe(frameUrl());
  t.add_cleanup(() => frame.remove());
  const w = frame.contentWindow;
  const container = w.navigator.serviceWorker;
  assert_true(container instanceof w.ServiceWorkerContainer);
  assert_not_equals(container, navigator.serviceWorker, "the frame has its own container");
  const found = await container.getRegistration();
  assert_not_equals(found, undefined, "the registration of the frame's URL");
  assert_true(found instanceof w.ServiceWorkerRegistration, "an object of the frame's realm");
  assert_false(found instanceof ServiceWorkerRegistration);
  assert_not_equals(found, registration);
  assert_equals(found.scope, SCOPE);
  assert_equals(found.scope, registration.scope);
  assert_equals(found.active.scriptURL, WORKER_URL);
  assert_equals(found.active, container.controller, "one ServiceWorker object per realm");
  assert_equals(await container.getRegistration(SCOPE + "elsewhere"), found,
                "one registration object per realm");
  assert_equals(await within(3000, "ready", container.ready), found,
                "ready: the registration of the controlled frame");
}, "The frame's navigator.serviceWorker.getRegistration() finds the registration, in the frame's realm");

promise_test(async t => {
  await activeRegistration();
  const url = frameUrl();
  const frame = await with_iframe(url);
  t.add_cleanup(() => frame.remove());
  const w = frame.contentWindow;
  const response = await w.fetch("x?intercept");
  assert_true(response instanceof w.Response);
  assert_equals(response.status, 200);
  assert_equals(await response.text(), "intercepted", "the worker answered");
  const who = await (await w.fetch("x?whoami")).json();
  assert_not_equals(who.client, null, "the worker found the request's client");
  assert_equals(who.client.url, url, "the request's client is the frame");
  assert_equals(who.client.frameType, "nested");
  const own = await fetch(SCOPE + "x?intercept");
  assert_equals(own.status, 404, "the uncontrolled test page's fetch goes to the network");
}, "A fetch() from the frame goes to the worker's fetch handler");

// https://w3c.github.io/ServiceWorker/#client-navigate
promise_test(async t => {
  await activeRegistration();
  const frame = await with_iframe(frameUrl());
  t.add_cleanup(() => frame.remove());
  const who = await (await frame.contentWindow.fetch("x?whoami")).json();
  const oldId = who.client.id;
  const target = frameUrl();
  const loaded = within(4000, "the navigated frame's load event",
    new Promise(resolve => frame.addEventListener("load", resolve, { once: true })));
  const navigated = await ask({ ask: "navigate", id: oldId, url: target });
  await loaded;
  assert_not_equals(navigated, null, "a same-origin navigation resolves with a client");
  assert_equals(navigated.url, target, "the new client's URL");
  assert_equals(navigated.interface, "WindowClient");
  assert_equals(navigated.frameType, "nested");
  assert_not_equals(navigated.id, oldId, "a new document, a new client");
  assert_equals(frame.contentDocument.URL, target, "the frame shows the new document");
  assert_not_equals(frame.contentWindow.navigator.serviceWorker.controller, null,
                    "the new document is controlled");
  const navigations = await ask({ ask: "navigations" });
  assert_equals(navigations.filter(n => n.url === target).length, 1,
                "the navigation went through the worker's fetch event");
  const clients = await ask({ ask: "matchAll" });
  assert_equals(clients.filter(c => c.id === oldId).length, 0, "the old client is gone");
}, "Client.navigate() navigates a controlled frame and resolves with its new client");

promise_test(async t => {
  await activeRegistration();
  const frame = await with_iframe(frameUrl());
  t.add_cleanup(() => frame.remove());
  const who = await (await frame.contentWindow.fetch("x?whoami")).json();
  await ask({ ask: "navigate", id: who.client.id, url: "about:blank" }).then(
    () => assert_unreached("about:blank is refused"),
    e => assert_true(e.message.startsWith("TypeError"), e.message));
  await ask({ ask: "navigate", id: who.client.id, url: "http://[" }).then(
    () => assert_unreached("a URL that does not parse is refused"),
    e => assert_true(e.message.startsWith("TypeError"), e.message));
  assert_equals(frame.contentDocument.URL, who.client.url, "the frame did not navigate");
}, "Client.navigate() rejects about:blank and URLs that do not parse with a TypeError");
