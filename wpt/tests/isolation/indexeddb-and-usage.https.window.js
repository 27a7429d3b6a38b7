// META: title=Isolation: one origin cannot list or open another origin's IndexedDB databases, nor count its bytes in estimate() (IndexedDB §4.1; Storage Standard §4)
// META: script=resources/ops.js
// META: script=resources/helpers.js
"use strict";

// Databases belong to the storage key: databases() lists the caller's, open() of the same
// name in another origin is a new database (oldVersion 0). estimate()'s usage is the
// storage key's bytes only.
// https://w3c.github.io/IndexedDB/#dom-idbfactory-databases
// https://w3c.github.io/IndexedDB/#open-a-database-connection
// https://storage.spec.whatwg.org/#dom-storagemanager-estimate

const BYTES = 300 * 1024;

for (const [otherKind, observerKind] of [["window", "window"], ["worker", "worker"], ["window", "worker"]]) {
  promise_test(async t => {
    const other = await otherOrigin(t);
    const actor = other[otherKind];
    const observer = observerKind === "window" ? thisWindow : await thisWorker(t);
    const name = `isolation-db-${otherKind}-${observerKind}`;
    other.cleanup(() => actor.run("idb-delete", { name }));
    t.add_cleanup(() => thisWindow.run("idb-delete", { name }));

    const usageBefore = await observer.run("usage");
    const otherUsageBefore = await actor.run("usage");
    const names = await actor.run("idb-create", { name, bytes: BYTES });
    // The positive controls: the other origin lists its database and counts its bytes.
    if (names !== "unsupported") assert_true(names.includes(name), "the other origin lists its database");
    const reopened = await actor.run("idb-open", { name });
    assert_equals(reopened.oldVersion, null, "the other origin opens its existing database (no upgrade)");
    assert_array_equals(reopened.storesNow, ["store"]);

    const ownNames = await observer.run("idb-names");
    if (ownNames !== "unsupported") {
      assert_false(ownNames.includes(name), `${observer.name}: databases() lacks the other origin's database`);
    }
    if (usageBefore !== "unsupported") {
      assert_greater_than_equal(await actor.run("usage") - otherUsageBefore, BYTES,
                                "the other origin's estimate() counts its bytes");
      assert_equals(await observer.run("usage"), usageBefore,
                    `${observer.name}: estimate() usage does not move with the other origin's bytes`);
    }

    // open() of the same name here: a new database, without the other origin's store.
    const opened = await observer.run("idb-open", { name });
    assert_equals(opened.oldVersion, 0, "a new database: upgradeneeded from version 0");
    assert_array_equals(opened.stores, [], "no object store of the other origin's database");
    assert_equals(opened.version, 1);
    if (ownNames !== "unsupported") {
      assert_true((await observer.run("idb-names")).includes(name), "now this origin has its own");
    }
    // Deleting this origin's leaves the other's.
    assert_true(await observer.run("idb-delete", { name }));
    const still = await actor.run("idb-open", { name });
    assert_equals(still.oldVersion, null, "the other origin's database survives this origin's deleteDatabase()");
    assert_array_equals(still.storesNow, ["store"]);
  }, `The other origin's database (made in its ${otherKind}) is invisible to this origin's ${observerKind}, and its bytes do not count here`);
}

promise_test(async t => {
  const other = await otherOrigin(t);
  const name = "isolation-usage-cache";
  const usageBefore = await thisWindow.run("usage");
  assert_not_equals(usageBefore, "unsupported", "navigator.storage.estimate() exists");
  const workerUsageBefore = await (await thisWorker(t)).run("usage");
  assert_equals(workerUsageBefore, usageBefore, "this origin's window and worker agree");
  const otherBefore = await other.window.run("usage");
  const text = "x".repeat(BYTES);
  other.cleanup(() => other.window.run("cache-delete", { name }));
  await other.window.run("cache-put", { name, url: CROSS_ORIGIN + HERE + "big", text });
  assert_greater_than_equal(await other.worker.run("usage") - otherBefore, BYTES,
                            "the other origin counts its cached body");
  assert_equals(await thisWindow.run("usage"), usageBefore, "this origin's window");
  assert_equals(await (await thisWorker(t)).run("usage"), usageBefore, "this origin's worker");
}, "estimate() of this origin does not count the other origin's cached bytes");
