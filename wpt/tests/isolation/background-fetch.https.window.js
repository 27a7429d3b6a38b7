// META: title=Isolation: one origin cannot see, get, match, abort or enumerate another origin's background fetches (Background Fetch; Storage Standard storage keys)
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/ops.js
// META: script=resources/helpers.js
// META: timeout=long
"use strict";

// Another origin registers its own service worker at the same path as this origin's and
// starts a background fetch with a known id. Background fetches belong to a service worker
// registration, and a registration to its origin's storage key: this origin's registration
// at the same path is another registration, whose active fetches never include that one.
// https://wicg.github.io/background-fetch/#background-fetch-manager-getIds
// https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-get
// https://w3c.github.io/ServiceWorker/#dfn-scope-to-registration-map (keyed by storage key)

const SCOPE_PATH = HERE + "scope/bgf";
const SW = HERE + "isolation-sw.js";
// A slow body (20 s at 50 kB/s): the fetches stay active while the test looks.
const SLOW = "/_faults/body?size=1000000&chunk=10000&rate=50000&key=";

// The other origin's frame, its registration at SCOPE_PATH and a fetch `id` started by
// `starter` (the frame's window or its worker); the test's origin registers at the same
// path. Aborts what is still running at the end.
async function setUp(t, id, starter = "window") {
  const other = await otherOrigin(t);
  await test_driver.set_permission({ name: "background-fetch" }, "granted", other.frame.contentWindow);
  await test_driver.set_permission({ name: "background-fetch" }, "granted");
  const otherScope = CROSS_ORIGIN + SCOPE_PATH;
  const ownScope = self.origin + SCOPE_PATH;
  assert_equals(await other.window.run("sw-register", { script: SW, scope: otherScope }), otherScope);
  const started = await other[starter].run("bgf-fetch", {
    scope: otherScope, id, url: CROSS_ORIGIN + SLOW + "other-" + id, downloadTotal: 1000000,
  });
  assert_equals(started.id, id);
  assert_equals(started.result, "");
  assert_equals(await thisWindow.run("sw-register", { script: SW, scope: ownScope }), ownScope);
  other.cleanup(async () => {
    await other.window.run("bgf-abort", { scope: otherScope, id }).catch(() => {});
    await thisWindow.run("bgf-abort", { scope: ownScope, id }).catch(() => {});
    await other.window.run("sw-unregister", { scope: otherScope }).catch(() => {});
    await thisWindow.run("sw-unregister", { scope: ownScope }).catch(() => {});
  });
  return { other, otherScope, ownScope };
}

// The positive control: the other origin sees its fetch, still running, with its record.
async function assertOtherStillHas(other, otherScope, id, message) {
  for (const actor of [other.window, other.worker]) {
    const state = await actor.run("bgf-state", { scope: otherScope, id });
    assert_true(state.ids.includes(id), `${message}: ${actor.name} lists its fetch`);
    assert_not_equals(state.fetch, null, `${message}: ${actor.name} gets its fetch`);
    assert_equals(state.fetch.result, "", `${message}: still running for ${actor.name}`);
    assert_equals(state.fetch.downloadTotal, 1000000);
    assert_array_equals(state.records, [CROSS_ORIGIN + SLOW + "other-" + id],
                        `${message}: ${actor.name} matches its own record only`);
    const own = await actor.run("bgf-state", { scope: otherScope, id, match: self.origin + SLOW + "own-" + id });
    assert_equals(own.matched, "none", `${message}: ${actor.name}'s match() of this origin's request`);
  }
}

for (const starter of ["window", "worker"]) {
  promise_test(async t => {
    const id = "iso-" + starter;
    const { other, otherScope, ownScope } = await setUp(t, id, starter);
    await assertOtherStillHas(other, otherScope, id, "before");

    for (const observer of [thisWindow, await thisWorker(t)]) {
      const state = await observer.run("bgf-state", { scope: ownScope, id });
      assert_array_equals(state.ids, [], `${observer.name}: getIds() of its own registration is empty`);
      assert_equals(state.fetch, null, `${observer.name}: get() of the same id is undefined`);
      assert_equals(await observer.run("bgf-abort", { scope: ownScope, id }), "none",
                    `${observer.name}: nothing to abort`);
      // This origin has no registration at the other origin's scope: getRegistration()
      // of that URL is refused, so its background fetches are out of reach.
      assert_equals(await observer.run("sw-get", { url: otherScope }), "rejected: SecurityError",
                    `${observer.name}: getRegistration() of the other origin's scope`);
    }
    await assertOtherStillHas(other, otherScope, id, "after this origin looked");
  }, `A background fetch the other origin's ${starter} started is invisible to this origin's window and worker (getIds(), get(), abort())`);
}

promise_test(async t => {
  const id = "same-id";
  const { other, otherScope, ownScope } = await setUp(t, id);

  // This origin starts a fetch with the same id in its own registration: no "already
  // exists" error, a fetch of its own.
  const mine = await thisWindow.run("bgf-fetch", {
    scope: ownScope, id, url: self.origin + SLOW + "own-" + id, downloadTotal: 1000000 - 1,
  });
  assert_equals(mine.id, id);
  assert_equals(mine.result, "");
  for (const observer of [thisWindow, await thisWorker(t)]) {
    const state = await observer.run("bgf-state", { scope: ownScope, id, match: CROSS_ORIGIN + SLOW + "other-" + id });
    assert_equals(state.matched, "none", `${observer.name}: match() of the other origin's request finds nothing`);
    assert_equals((await observer.run("bgf-state", { scope: ownScope, id, match: self.origin + SLOW + "own-" + id })).matched,
                  self.origin + SLOW + "own-" + id, `${observer.name}: match() finds its own record`);
    assert_array_equals(state.ids, [id], `${observer.name}: its own fetch only`);
    assert_equals(state.fetch.downloadTotal, 1000000 - 1, `${observer.name}: its own fetch's total`);
    assert_array_equals(state.records, [self.origin + SLOW + "own-" + id],
                        `${observer.name}: matchAll() gives its own record, none of the other origin's`);
  }
  await assertOtherStillHas(other, otherScope, id, "after this origin's fetch of the same id");

  // Aborting its own fetch leaves the other origin's alone, and the other way round.
  assert_true(await thisWindow.run("bgf-abort", { scope: ownScope, id }), "this origin aborts its fetch");
  await assertOtherStillHas(other, otherScope, id, "after this origin aborted its fetch");
  const again = await thisWindow.run("bgf-fetch", {
    scope: ownScope, id, url: self.origin + SLOW + "own2-" + id,
  });
  assert_equals(again.id, id, "the id is free again in this origin");
  assert_true(await other.window.run("bgf-abort", { scope: otherScope, id }), "the other origin aborts its fetch");
  const state = await thisWindow.run("bgf-state", { scope: ownScope, id });
  assert_array_equals(state.ids, [id], "this origin's second fetch is still active");
  assert_equals(state.fetch.result, "");
  assert_array_equals(state.records, [self.origin + SLOW + "own2-" + id]);
}, "The same id in both origins: two independent fetches; each origin matches and aborts only its own");

promise_test(async t => {
  const id = "registrations";
  const { other, otherScope, ownScope } = await setUp(t, id);
  for (const observer of [thisWindow, await thisWorker(t)]) {
    const scopes = await observer.run("sw-scopes");
    assert_true(scopes.includes(ownScope), `${observer.name}: its own registration is listed`);
    assert_false(scopes.some(s => s.startsWith(CROSS_ORIGIN)),
                 `${observer.name}: none of the other origin's registrations: ${scopes}`);
  }
  for (const actor of [other.window, other.worker]) {
    const scopes = await actor.run("sw-scopes");
    assert_true(scopes.includes(otherScope), `${actor.name}: its own registration is listed`);
    assert_false(scopes.some(s => s.startsWith(self.origin + "/")), `${actor.name}: none of this origin's`);
    assert_equals(await actor.run("sw-get", { url: ownScope }), "rejected: SecurityError");
  }
}, "The registrations that hold the fetches: each origin enumerates only its own");

promise_test(async t => {
  const id = "usage";
  const { other } = await setUp(t, id);
  const worker = await thisWorker(t);
  const usage = await thisWindow.run("usage");
  assert_equals(await worker.run("usage"), usage, "this origin's window and worker agree");
  // The positive control: the other origin's usage grows as its fetch downloads.
  const otherStart = await other.window.run("usage");
  let otherNow = otherStart;
  for (let i = 0; i < 100 && otherNow - otherStart < 100000; i++) {
    await delay(t, 50);
    otherNow = await other.worker.run("usage");
  }
  assert_greater_than_equal(otherNow - otherStart, 100000, "the other origin's estimate() counts its downloaded bytes");
  assert_equals(await thisWindow.run("usage"), usage, "this window's estimate() did not move");
  assert_equals(await worker.run("usage"), usage, "this worker's estimate() did not move");
}, "estimate() of this origin does not count the bytes the other origin's background fetch downloads");
