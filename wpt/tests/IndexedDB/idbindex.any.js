// META: title=IndexedDB: IDBIndex createIndex(), deleteIndex(), unique and multiEntry indexes, queries, rename
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

// Store "people" (key path "id") with an index "by_group" on "g" (not unique) and an index
// "by_name" on "name" (unique).
const PEOPLE = [
  { id: 1, g: "a", name: "ann" },
  { id: 2, g: "b", name: "bob" },
  { id: 3, g: "a", name: "cat" },
  { id: 4, g: "c", name: "dan" },
  { id: 5, g: "b", name: "eve" },
  { id: 6, name: "fay" },  // no group: not in by_group
];

function createPeople(t) {
  return createDb(t, db => {
    const store = db.createObjectStore("people", { keyPath: "id" });
    store.createIndex("by_group", "g");
    store.createIndex("by_name", "name", { unique: true });
    for (const person of PEOPLE) store.put(person);
  });
}

promise_test(async t => {
  let created, upgradeStore;
  const db = await createDb(t, db => {
    upgradeStore = db.createObjectStore("s", { keyPath: "id" });
    created = {
      plain: upgradeStore.createIndex("plain", "a"),
      unique: upgradeStore.createIndex("unique", "b.c", { unique: true }),
      multi: upgradeStore.createIndex("multi", "tags", { multiEntry: true }),
      compound: upgradeStore.createIndex("compound", ["a", "b"]),
    };
    assert_array_equals(Array.from(upgradeStore.indexNames), ["compound", "multi", "plain", "unique"],
                        "indexNames is sorted and updated synchronously");
    assert_equals(upgradeStore.index("plain"), upgradeStore.index("plain"),
                  "index() returns the same object each time");
  });
  const { plain, unique, multi, compound } = created;
  assert_true(plain instanceof IDBIndex);
  assert_equals(plain.name, "plain");
  assert_equals(plain.objectStore, upgradeStore);
  assert_equals(plain.keyPath, "a");
  assert_false(plain.unique);
  assert_false(plain.multiEntry);
  assert_equals(unique.keyPath, "b.c");
  assert_true(unique.unique);
  assert_true(multi.multiEntry);
  assert_false(multi.unique);
  assert_array_equals(compound.keyPath, ["a", "b"]);
  assert_equals(compound.keyPath, compound.keyPath, "the same Array each time");

  const store = db.transaction("s").objectStore("s");
  assert_true(store.indexNames instanceof DOMStringList);
  assert_array_equals(Array.from(store.indexNames), ["compound", "multi", "plain", "unique"]);
  const index = store.index("unique");
  assert_equals(index.objectStore, store);
  assert_true(index.unique);
  assert_throws_dom("NotFoundError", () => store.index("Plain"));
}, "createIndex() returns an IDBIndex with the given name, keyPath, unique and multiEntry");

promise_test(async t => {
  await createDb(t, db => {
    const store = db.createObjectStore("s");
    store.createIndex("i", "a");
    assert_throws_dom("ConstraintError", () => store.createIndex("i", "b"), "duplicate name");
    assert_throws_dom("InvalidAccessError",
                      () => store.createIndex("m", ["a", "b"], { multiEntry: true }),
                      "multiEntry with an array key path");
    for (const bad of ["a b", "a.", "1", "a..b", ["a", "b c"]]) {
      assert_throws_dom("SyntaxError", () => store.createIndex("x", bad),
                        "key path " + JSON.stringify(bad));
    }
    assert_throws_dom("SyntaxError", () => store.createIndex("x", []), "an empty array");
    assert_throws_js(TypeError, () => store.createIndex("x"), "the key path is required");
    assert_array_equals(Array.from(store.indexNames), ["i"]);
    store.createIndex("empty", "", { unique: true });
  });
}, "createIndex(): duplicate name ConstraintError, multiEntry array InvalidAccessError, bad key path SyntaxError");

promise_test(async t => {
  const db = await createPeople(t);
  const tx = db.transaction("people", "readwrite");
  const store = tx.objectStore("people");
  assert_throws_dom("InvalidStateError", () => store.createIndex("x", "x"), "outside an upgrade");
  assert_throws_dom("InvalidStateError", () => store.deleteIndex("by_group"), "outside an upgrade");
  const index = store.index("by_group");
  assert_throws_dom("InvalidStateError", () => { index.name = "renamed"; }, "rename outside an upgrade");
  assert_equals(index.name, "by_group");
  await transactionDone(tx);
}, "createIndex(), deleteIndex() and renaming outside an upgrade throw InvalidStateError");

promise_test(async t => {
  const db = await createPeople(t);
  const tx = db.transaction("people", "readwrite");
  const store = tx.objectStore("people");
  const same = requestToPromise(store.put({ id: 1, g: "z", name: "ann" }));
  const clash = store.put({ id: 7, name: "bob" });
  const error = new Promise(resolve => { clash.onerror = resolve; });
  clash.onsuccess = t.unreached_func("the unique index refuses a second \"bob\"");
  const aborted = transactionAborted(tx);
  assert_equals(await same, 1, "replacing a record keeps its own index key");
  await error;
  assert_equals(clash.error.name, "ConstraintError");
  await aborted;
  assert_equals(tx.error.name, "ConstraintError");
  const count = await requestToPromise(db.transaction("people").objectStore("people").count());
  assert_equals(count, PEOPLE.length, "nothing was added");
}, "A put() that would duplicate a unique index key fails with ConstraintError");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s");
    store.put({ v: "same" }, 1);
    store.put({ v: "same" }, 2);
  }, { name });
  db.close();
  const request = indexedDB.open(name, 2);
  cleanupOpenRequest(t, request);
  let upgradeTx, index;
  const events = [];
  request.onupgradeneeded = t.step_func(() => {
    upgradeTx = request.transaction;
    upgradeTx.onabort = () => events.push("abort");
    upgradeTx.oncomplete = () => events.push("complete");
    index = upgradeTx.objectStore("s").createIndex("v", "v", { unique: true });
    assert_true(index instanceof IDBIndex, "createIndex() itself does not throw");
  });
  request.onsuccess = t.unreached_func("the upgrade aborts");
  await nextEvent(request, "error");
  events.push("error");
  assert_array_equals(events, ["abort", "error"]);
  assert_equals(upgradeTx.error.name, "ConstraintError", "the upgrade transaction's error");
  assert_equals(request.error.name, "AbortError", "the open request's error");

  const reopened = await openDb(t, name);
  assert_equals(reopened.version, 1);
  assert_equals(reopened.transaction("s").objectStore("s").indexNames.length, 0);
}, "A unique index over existing duplicates aborts the upgrade with ConstraintError; open() fails with AbortError");

promise_test(async t => {
  const db = await createPeople(t);
  const index = db.transaction("people").objectStore("people").index("by_group");
  const results = await Promise.all([
    index.get("b"), index.getKey("b"), index.get("zz"), index.getKey("zz"),
    index.get(IDBKeyRange.lowerBound("b", true)), index.getKey(IDBKeyRange.bound("a", "c")),
    index.getAll("a"), index.getAllKeys("b"), index.getAll(), index.getAllKeys(),
    index.getAllKeys(IDBKeyRange.bound("a", "b"), 3), index.getAll(null, 2),
    index.count(), index.count("a"), index.count(IDBKeyRange.upperBound("b", true)),
  ].map(requestToPromise));
  assert_equals(results[0].name, "bob", "get(): the value of the lowest primary key");
  assert_equals(results[1], 2, "getKey(): the primary key");
  assert_equals(results[2], undefined);
  assert_equals(results[3], undefined);
  assert_equals(results[4].id, 4);
  assert_equals(results[5], 1);
  assert_array_equals(results[6].map(p => p.id), [1, 3]);
  assert_array_equals(results[7], [2, 5], "getAllKeys() results in primary keys");
  assert_array_equals(results[8].map(p => p.id), [1, 3, 2, 5, 4],
                      "index key order, then primary key order; records without the key are skipped");
  assert_array_equals(results[9], [1, 3, 2, 5, 4]);
  assert_array_equals(results[10], [1, 3, 2]);
  assert_array_equals(results[11].map(p => p.id), [1, 3]);
  assert_array_equals(results.slice(12), [5, 2, 2]);
  assert_throws_dom("DataError", () => index.get(null));
  assert_throws_dom("DataError", () => index.getKey({}));
  assert_throws_dom("DataError", () => index.count(NaN));
}, "IDBIndex get(), getKey(), getAll(), getAllKeys(), count()");

promise_test(async t => {
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s", { keyPath: "id" });
    store.createIndex("tags", "tags", { multiEntry: true });
    store.createIndex("whole", "tags");
    store.put({ id: 1, tags: ["a", "b"] });
    store.put({ id: 2, tags: ["b", "c", "b"] });
    store.put({ id: 3, tags: "a" });
    store.put({ id: 4, tags: [] });
    store.put({ id: 5, tags: ["x", {}, null, ["n", 1]] });
    store.put({ id: 6 });
  });
  const store = db.transaction("s").objectStore("s");
  const tags = store.index("tags");
  const whole = store.index("whole");
  const [count, keysA, keysB, all, nested, wholeKeys, wholeCount] = await Promise.all([
    tags.count(), tags.getAllKeys("a"), tags.getAllKeys("b"), tags.getAllKeys(),
    tags.getKey(["n", 1]), whole.getAllKeys(["a", "b"]), whole.count(),
  ].map(requestToPromise));
  assert_equals(count, 7, "a(1) a(3) b(1) b(2) c(2) x(5) [n,1](5)");
  assert_array_equals(keysA, [1, 3]);
  assert_array_equals(keysB, [1, 2], "duplicates within one array are indexed once");
  assert_array_equals(all, [1, 3, 1, 2, 2, 5, 5]);
  assert_equals(nested, 5, "a nested array is one key, not flattened");
  assert_array_equals(wholeKeys, [1], "without multiEntry the array is the key");
  assert_equals(wholeCount, 4, "records 1, 2, 3 and 4: record 5's array is not a valid key");
}, "multiEntry indexes index each valid element of an array value once");

promise_test(async t => {
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s");
    store.createIndex("tags", "tags", { multiEntry: true, unique: true });
    store.put({ tags: ["a", "b"] }, 1);
  });
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const ok = store.put({ tags: ["c", "d"] }, 2);
  const clash = store.put({ tags: ["e", "b"] }, 3);
  clash.onerror = e => e.preventDefault();
  const [okResult, clashError] = await Promise.all([
    requestToPromise(ok), requestToPromise(clash).then(() => null, e => e),
  ]);
  assert_equals(okResult, 2);
  assert_not_equals(clashError, null, "the clashing put() fails");
  assert_equals(clashError.name, "ConstraintError");
  await transactionDone(tx);
  const keys = await requestToPromise(db.transaction("s").objectStore("s").index("tags").getAllKeys());
  assert_array_equals(keys, [1, 1, 2, 2], "the failed put() left nothing behind");
}, "A unique multiEntry index refuses a value sharing any element with another record");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s", { keyPath: "id" });
    store.put({ id: 1, v: 10 });
    store.put({ id: 2, v: 20 });
  }, { name });
  db.close();
  let indexCount;
  const db2 = await openDb(t, name, 2, (db2, tx) => {
    const index = tx.objectStore("s").createIndex("v", "v");
    const request = index.count();
    request.onsuccess = () => { indexCount = request.result; };
  });
  assert_equals(indexCount, 2, "an index created over existing records includes them");
  const got = await requestToPromise(db2.transaction("s").objectStore("s").index("v").get(20));
  assert_equals(got.id, 2);
}, "createIndex() on a store with records indexes them");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s");
    store.createIndex("old", "a");
    store.createIndex("other", "b");
    store.put({ a: 1 }, 1);
  }, { name });
  db.close();
  const db2 = await openDb(t, name, 2, (db2, tx) => {
    const store = tx.objectStore("s");
    const index = store.index("old");
    index.name = "new";
    assert_equals(index.name, "new");
    assert_array_equals(Array.from(store.indexNames), ["new", "other"]);
    assert_equals(store.index("new").keyPath, "a");
    assert_throws_dom("NotFoundError", () => store.index("old"));
    assert_throws_dom("ConstraintError", () => { index.name = "other"; });
    index.name = "new";  // Its own name: nothing happens.
    assert_equals(index.name, "new");
  });
  const index = db2.transaction("s").objectStore("s").index("new");
  assert_equals(index.keyPath, "a");
  assert_equals(await requestToPromise(index.getKey(1)), 1, "the renamed index keeps its records");
}, "Renaming an index in an upgrade; a name in use throws ConstraintError");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s");
    store.createIndex("a", "a");
    store.createIndex("b", "b");
  }, { name });
  db.close();
  const db2 = await openDb(t, name, 2, (db2, tx) => {
    const store = tx.objectStore("s");
    const names = store.indexNames;
    assert_throws_dom("NotFoundError", () => store.deleteIndex("missing"));
    store.deleteIndex("a");
    assert_array_equals(Array.from(store.indexNames), ["b"], "synchronously");
    assert_array_equals(Array.from(names), ["a", "b"], "an earlier list does not change");
    assert_throws_dom("NotFoundError", () => store.index("a"));
    assert_throws_dom("NotFoundError", () => store.deleteIndex("a"), "already deleted");
  });
  const store = db2.transaction("s").objectStore("s");
  assert_array_equals(Array.from(store.indexNames), ["b"]);
}, "deleteIndex() removes the index; an unknown name throws NotFoundError");
