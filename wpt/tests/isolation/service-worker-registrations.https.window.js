// META: title=Isolation: one origin cannot enumerate, get or unregister another origin's service worker registrations (Service Workers §3.4)
// META: script=resources/ops.js
// META: script=resources/helpers.js
"use strict";

// getRegistrations() lists the registrations of the client's storage key only;
// getRegistration(clientURL) rejects with a SecurityError when clientURL's origin is not the
// client's origin.
// https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistrations
// https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistration (step 4)

const SCOPE_PATH = HERE + "scope/registrations";
const SW = HERE + "isolation-sw.js";

promise_test(async t => {
  const other = await otherOrigin(t);
  const otherScope = CROSS_ORIGIN + SCOPE_PATH;
  const ownScope = self.origin + SCOPE_PATH;
  assert_equals(await other.window.run("sw-register", { script: SW, scope: otherScope }), otherScope);
  other.cleanup(() => other.window.run("sw-unregister", { scope: otherScope }));

  // The positive control, in the other origin's window and worker.
  for (const actor of [other.window, other.worker]) {
    assert_true((await actor.run("sw-scopes")).includes(otherScope), `${actor.name} lists its registration`);
    assert_equals(await actor.run("sw-get", { url: otherScope }), otherScope, `${actor.name} gets its registration`);
  }

  for (const observer of [thisWindow, await thisWorker(t)]) {
    const scopes = await observer.run("sw-scopes");
    assert_false(scopes.some(s => s.startsWith(CROSS_ORIGIN)), `${observer.name}: getRegistrations() has none of the other origin's: ${scopes}`);
    assert_equals(await observer.run("sw-get", { url: otherScope }), "rejected: SecurityError",
                  `${observer.name}: getRegistration(the other origin's scope)`);
    assert_equals(await observer.run("sw-get", { url: CROSS_ORIGIN + SCOPE_PATH + "/page.html" }), "rejected: SecurityError",
                  `${observer.name}: getRegistration(a URL in the other origin's scope)`);
    assert_equals(await observer.run("sw-get", { url: ownScope }), "undefined",
                  `${observer.name}: getRegistration() of the same path on this origin`);
  }

  // This origin registers at the same path: its own registration; the other origin's stays
  // the only one it sees, and survives this origin's unregister().
  assert_equals(await thisWindow.run("sw-register", { script: SW, scope: ownScope }), ownScope);
  t.add_cleanup(() => thisWindow.run("sw-unregister", { scope: ownScope }).catch(() => {}));
  for (const observer of [thisWindow, await thisWorker(t)]) {
    const scopes = await observer.run("sw-scopes");
    assert_true(scopes.includes(ownScope), `${observer.name} lists its own registration`);
    assert_false(scopes.some(s => s.startsWith(CROSS_ORIGIN)), `${observer.name}: still none of the other origin's`);
    assert_equals(await observer.run("sw-get", { url: ownScope }), ownScope);
  }
  for (const actor of [other.window, other.worker]) {
    const scopes = await actor.run("sw-scopes");
    assert_false(scopes.some(s => s.startsWith(self.origin + "/")), `${actor.name}: none of this origin's: ${scopes}`);
    assert_equals(await actor.run("sw-get", { url: ownScope }), "rejected: SecurityError");
  }
  assert_true(await thisWindow.run("sw-unregister", { scope: ownScope }));
  assert_equals(await other.window.run("sw-get", { url: otherScope }), otherScope,
                "the other origin's registration outlives this origin's unregister()");
  assert_equals(await thisWindow.run("sw-get", { url: ownScope }), "undefined");
}, "Service worker registrations: each origin (window and dedicated worker) sees only its own, even at the same path");
