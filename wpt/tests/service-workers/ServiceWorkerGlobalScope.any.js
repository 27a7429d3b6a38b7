// META: title=The service worker's global (Service Workers §4.1, §4.6)
// META: global=serviceworker
"use strict";

// While the script first runs, the service worker is "parsed" (Update runs it before Install).
const stateWhileParsing = self.serviceWorker.state;
const installed = new Promise(resolve => self.addEventListener("install", resolve));

test(() => {
  assert_true(self instanceof ServiceWorkerGlobalScope);
  assert_true(self.registration instanceof ServiceWorkerRegistration);
  assert_equals(self.registration, self.registration, "[SameObject]");
  assert_true(self.serviceWorker instanceof ServiceWorker);
  assert_equals(self.serviceWorker, self.serviceWorker, "[SameObject]");
  assert_equals(self.serviceWorker.scriptURL, location.href);
  assert_equals(stateWhileParsing, "parsed");
  assert_true(self.clients instanceof Clients);
  assert_equals(self.clients, self.clients, "[SameObject]");
  assert_true(self.registration.scope.endsWith("/does/not/exist"),
    "the wrapper page's scope: " + self.registration.scope);
  for (const name of ["oninstall", "onactivate", "onfetch", "onmessage", "onmessageerror"]) {
    assert_true(name in self, name);
  }
  assert_throws_js(TypeError, () => new Clients(), "Clients has no constructor");
  assert_throws_js(TypeError, () => new Client(), "Client has no constructor");
  assert_throws_js(TypeError, () => new WindowClient(), "WindowClient has no constructor");
  assert_true(WindowClient.prototype instanceof Client);
}, "registration, serviceWorker and clients of the global");

promise_test(async () => {
  await installed;
  assert_equals(self.registration.installing, self.serviceWorker);
  assert_equals(self.serviceWorker.state, "installing");
  assert_equals(await self.skipWaiting(), undefined);
}, "During install the worker is the registration's installing worker; skipWaiting() resolves");

test(() => {
  const e = new ExtendableMessageEvent("message");
  assert_true(e instanceof ExtendableEvent);
  assert_equals(e.data, null);
  assert_equals(e.origin, "");
  assert_equals(e.lastEventId, "");
  assert_equals(e.source, null);
  assert_array_equals(e.ports, []);
  assert_true(Object.isFrozen(e.ports));
  assert_equals(e.ports, e.ports, "the same frozen array");
  assert_false(e.isTrusted);
  const channel = new MessageChannel();
  const f = new ExtendableMessageEvent("m", {
    data: { a: 1 }, origin: "https://x.test", lastEventId: "7", source: channel.port1,
    ports: [channel.port2], bubbles: true,
  });
  assert_equals(f.data.a, 1);
  assert_equals(f.origin, "https://x.test");
  assert_equals(f.lastEventId, "7");
  assert_equals(f.source, channel.port1);
  assert_equals(f.ports[0], channel.port2);
  assert_true(f.bubbles);
  assert_throws_js(TypeError, () => new ExtendableMessageEvent("m", { source: {} }),
    "a source that is not a Client, ServiceWorker or MessagePort");
  assert_throws_js(TypeError, () => new ExtendableMessageEvent("m", { ports: [1] }));
  assert_throws_dom("InvalidStateError", () => f.waitUntil(Promise.resolve()),
    "untrusted: waitUntil() throws");
}, "ExtendableMessageEvent's constructor");

promise_test(async () => {
  const e = await installed;
  assert_true(e instanceof InstallEvent, "install is an InstallEvent");
  assert_equals(Object.getPrototypeOf(InstallEvent.prototype), ExtendableEvent.prototype);
  const made = new InstallEvent("install");
  assert_false(made.isTrusted);
  assert_throws_dom("InvalidStateError", () => made.waitUntil(Promise.resolve()));
}, "The install event is a trusted InstallEvent");
