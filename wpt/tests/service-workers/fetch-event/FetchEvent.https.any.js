// META: title=FetchEvent: the interface, its constructor and respondWith() outside a fetch (Service Workers §4.6)
// META: global=serviceworker
"use strict";

// FetchEvent as script sees it in the service worker global, without a real fetch: the
// constructor and FetchEventInit, the attributes' initial values, and respondWith() on an
// event the user agent did not dispatch.
// https://w3c.github.io/ServiceWorker/#fetchevent-interface
// https://w3c.github.io/ServiceWorker/#fetch-event-respondwith

const request = () => new Request("resources/network.txt");

// Whether `promise` is still pending after a task.
function isPending(promise) {
  const marker = {};
  const later = new Promise(resolve => setTimeout(() => resolve(marker), 0));
  return Promise.race([promise, later]).then(value => value === marker, () => false);
}

test(() => {
  assert_equals(typeof FetchEvent, "function");
  assert_equals(Object.getPrototypeOf(FetchEvent.prototype), ExtendableEvent.prototype);
  assert_equals(FetchEvent.length, 2, "eventInitDict is not optional (a required member)");
  assert_equals(FetchEvent.prototype.respondWith.length, 1);
  for (const name of ["request", "preloadResponse", "clientId", "resultingClientId",
                      "replacesClientId", "handled"]) {
    assert_true(name in FetchEvent.prototype, name);
  }
  assert_true("onfetch" in self, "onfetch");
  assert_equals(self.onfetch, null, "onfetch is null until set");
  const handler = () => {};
  self.onfetch = handler;
  assert_equals(self.onfetch, handler);
  self.onfetch = null;
  assert_equals(self.onfetch, null);
}, "FetchEvent extends ExtendableEvent; the global has an onfetch event handler");

test(() => {
  assert_throws_js(TypeError, () => new FetchEvent("fetch"), "no FetchEventInit");
  assert_throws_js(TypeError, () => new FetchEvent("fetch", {}), "no request");
  assert_throws_js(TypeError, () => new FetchEvent("fetch", { request: null }), "null");
  assert_throws_js(TypeError, () => new FetchEvent("fetch", { request: "resources/network.txt" }),
                   "a URL is not a Request");
  assert_throws_js(TypeError, () => new FetchEvent("fetch", { request: new Response("") }),
                   "a Response is not a Request");
  assert_throws_js(TypeError, () => FetchEvent("fetch", { request: request() }), "without new");
}, "The constructor needs a Request: FetchEventInit's request is required");

promise_test(async () => {
  const r = request();
  const e = new FetchEvent("fetch", { request: r });
  assert_true(e instanceof FetchEvent);
  assert_true(e instanceof ExtendableEvent);
  assert_equals(e.type, "fetch");
  assert_equals(e.request, r, "the Request it was given");
  assert_equals(e.request, e.request, "[SameObject]");
  assert_equals(e.clientId, "");
  assert_equals(e.resultingClientId, "");
  assert_equals(e.replacesClientId, "");
  assert_false(e.isTrusted);
  assert_false(e.cancelable, "EventInit's default");
  assert_false(e.bubbles);
  assert_true(e.preloadResponse instanceof Promise, "preloadResponse is a promise");
  assert_equals(e.preloadResponse, e.preloadResponse, "the same promise every time");
  assert_equals(await e.preloadResponse, undefined, "resolved with undefined");
  assert_true(e.handled instanceof Promise, "handled is a promise");
  assert_equals(e.handled, e.handled, "the same promise every time");
  assert_true(await isPending(e.handled), "handled is a pending promise");
}, "A constructed FetchEvent: empty client ids, preloadResponse resolved with undefined, handled pending");

promise_test(async () => {
  const e = new FetchEvent("custom", {
    request: request(), clientId: "client", resultingClientId: "resulting",
    replacesClientId: "replaced", cancelable: true, bubbles: true,
    preloadResponse: Promise.resolve("preloaded"), handled: Promise.resolve("ignored"),
  });
  assert_equals(e.type, "custom");
  assert_equals(e.clientId, "client");
  assert_equals(e.resultingClientId, "resulting");
  assert_equals(e.replacesClientId, "replaced");
  assert_true(e.cancelable);
  assert_true(e.bubbles);
  assert_equals(await e.preloadResponse, "preloaded");
  assert_true(e.handled instanceof Promise);
  assert_false(await isPending(e.handled), "the promise it was given (settled)");
  const plain = new FetchEvent("fetch", { request: request(), preloadResponse: 42 });
  assert_true(plain.preloadResponse instanceof Promise, "a value becomes a promise (Promise<any>)");
  assert_equals(await plain.preloadResponse, 42);
}, "FetchEventInit's members initialize the attributes");

test(() => {
  const e = new FetchEvent("fetch", { request: request(), cancelable: true });
  assert_throws_dom("InvalidStateError", () => e.respondWith(new Response("x")),
                    "a Response");
  assert_throws_dom("InvalidStateError", () => e.respondWith(Promise.resolve(new Response("x"))),
                    "a promise");
  assert_throws_js(TypeError, () => e.respondWith(), "no argument (WebIDL)");
  assert_throws_dom("InvalidStateError", () => e.waitUntil(Promise.resolve()), "waitUntil()");
  assert_throws_dom("InvalidStateError", () => e.respondWith(new Response("x")),
                    "still InvalidStateError: the earlier calls changed nothing");
}, "respondWith() on an event that is not being dispatched throws InvalidStateError");

test(() => {
  const e = new FetchEvent("fetch", { request: request(), cancelable: true });
  const target = new EventTarget();
  const thrown = [];
  let laterListener = false;
  target.addEventListener("fetch", ev => {
    for (let i = 0; i < 2; i++) {
      try {
        ev.respondWith(new Response("x"));
        thrown.push("no exception");
      } catch (err) {
        thrown.push(err instanceof DOMException ? err.name : String(err));
      }
    }
  });
  target.addEventListener("fetch", () => { laterListener = true; });
  target.dispatchEvent(e);
  assert_array_equals(thrown, ["InvalidStateError", "InvalidStateError"],
                      "untrusted: add lifetime promise throws, every time");
  assert_true(laterListener,
              "it threw before setting the stop propagation flags: the next listener ran");
  assert_false(e.defaultPrevented);
}, "respondWith() on an untrusted event during its dispatch throws InvalidStateError");
