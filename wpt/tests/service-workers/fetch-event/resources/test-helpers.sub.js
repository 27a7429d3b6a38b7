// Shared by the fetch event tests (service-workers/fetch-event/): register a service worker
// that controls this page, build URLs for resources/fetch-sw.js, and talk to it.
"use strict";

// This origin and another one (the "alt" host of the test server, same scheme and port).
function get_host_info() {
  const port = location.port ? ":" + location.port : "";
  return {
    ORIGIN: location.origin,
    REMOTE_ORIGIN: location.protocol + "//{{hosts[alt][]}}" + port,
  };
}

// A scope unique to this test file that covers its page: the page URL up to the first dot of
// its file name (".../fetch-event/control" for ".../fetch-event/control.https.window.html").
// The worker scripts live in resources/, so they are served with a Service-Worker-Allowed
// header (resources/*.js.headers) that allows scopes in the folder above.
const SCOPE = (() => {
  const page = location.href.split(/[?#]/)[0];
  const dot = page.indexOf(".", page.lastIndexOf("/"));
  return dot === -1 ? page + "-scope" : page.slice(0, dot);
})();

const RESOURCES = new URL("resources/", location.href).href;
const NETWORK_URL = RESOURCES + "network.txt";
const NETWORK_TEXT = "from the network\n";

// `promise`, or a rejection naming `what` after `ms` milliseconds: a missing event fails its
// test instead of stalling every later test of the file until the file's timeout.
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

// Registers `script` at `scope`; the worker claims this page when it activates. Resolves with
// the registration once the page is controlled (controllerchange) and the worker activated.
// The registration is unregistered when the file's tests are done.
async function register_and_claim(script, scope = SCOPE) {
  const container = navigator.serviceWorker;
  const old = await container.getRegistration(scope);
  if (old && old.scope === scope) await old.unregister();
  const changed = new Promise(resolve =>
    container.addEventListener("controllerchange", resolve, { once: true }));
  const registration = await container.register(script, { scope });
  add_completion_callback(() => { registration.unregister(); });
  const worker = registration.installing || registration.waiting || registration.active;
  await within(4000, "controllerchange and an activated worker",
               Promise.all([changed, workerState(worker, "activated")]));
  return registration;
}

// One registration per file, made by the first test that needs it.
let registered = null;
function controlled(script = "resources/fetch-sw.js") {
  if (!registered) registered = register_and_claim(script);
  return registered;
}

let lastToken = 0;
function newToken() {
  return String(++lastToken);
}

// A URL of `base` (network.txt by default) with the parameters fetch-sw.js reads: `sw` says
// what the service worker does; arrays give repeated parameters.
function swUrl(kind, params = {}, base = NETWORK_URL) {
  const url = new URL(base, location.href);
  url.searchParams.set("sw", kind);
  for (const [name, value] of Object.entries(params)) {
    for (const v of [].concat(value)) url.searchParams.append(name, v);
  }
  return url.href;
}

// The next message from the service worker that carries `token` (within 2 s).
function messageWithToken(token) {
  navigator.serviceWorker.startMessages();
  return within(2000, `the worker's message ${token}`, new Promise(resolve => {
    navigator.serviceWorker.addEventListener("message", function listener(e) {
      if (e.data && e.data.token === token) {
        navigator.serviceWorker.removeEventListener("message", listener);
        resolve(e.data);
      }
    });
  }));
}

// Fetches `kind` with a fresh token; resolves with [the fetch's outcome, the worker's report].
// The outcome is {response} or {error}.
async function fetchAndReport(kind, params = {}, init = {}, base = NETWORK_URL) {
  const token = newToken();
  const reported = messageWithToken(token);
  reported.catch(() => {});  // awaited below, after the fetch
  const outcome = await fetch(swUrl(kind, Object.assign({ token }, params), base), init).then(
    response => ({ response }), error => ({ error }));
  return [outcome, await reported];
}

// The Response of a fetchAndReport() outcome (a failed assertion if the fetch rejected).
function responseOf(outcome) {
  assert_true("response" in outcome, `the fetch resolves (it rejected: ${outcome.error})`);
  return outcome.response;
}

// This page's client id, as the service worker sees it (the source of a message).
let clientIdPromise = null;
function pageClientId() {
  if (!clientIdPromise) {
    const token = newToken();
    const answered = messageWithToken(token);
    navigator.serviceWorker.controller.postMessage({ ask: "whoami", token });
    clientIdPromise = answered.then(answer => answer.id);
  }
  return clientIdPromise;
}

// fetch() then json().
async function fetchJson(url, init) {
  const response = await fetch(url, init);
  assert_equals(response.status, 200, `the status of ${url}`);
  return response.json();
}
