// META: title=IndexedDB: IDBDatabase name, version, objectStoreNames, createObjectStore(), deleteObjectStore(), transaction(), close()
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

promise_test(async t => {
  const name = idbName(t);
  let during;
  const db = await createDb(t, (db, tx) => {
    during = { name: db.name, version: db.version, stores: db.objectStoreNames.length };
    assert_equals(tx.db, db);
  }, { name, version: 3 });
  assert_true(db instanceof IDBDatabase);
  assert_true(db instanceof EventTarget);
  assert_equals(during.name, name);
  assert_equals(during.version, 3, "the new version during the upgrade");
  assert_equals(during.stores, 0);
  assert_equals(db.name, name);
  assert_equals(db.version, 3);
  db.close();
  assert_equals(db.name, name, "name stays after close()");
  assert_equals(db.version, 3, "version stays after close()");
  assert_throws_js(TypeError, () => new IDBDatabase(), "no constructor");
}, "name and version");

promise_test(async t => {
  let before, afterFirst;
  const db = await createDb(t, db => {
    before = db.objectStoreNames;
    db.createObjectStore("b");
    afterFirst = db.objectStoreNames;
    db.createObjectStore("a");
    db.createObjectStore("B");
    db.createObjectStore("\u00e4");
    db.createObjectStore("");
  });
  assert_true(before instanceof DOMStringList);
  assert_equals(before.length, 0, "an earlier list does not change");
  assert_array_equals(Array.from(afterFirst), ["b"]);
  const names = db.objectStoreNames;
  assert_array_equals(Array.from(names), ["", "B", "a", "b", "\u00e4"], "sorted by code units");
  assert_equals(names.length, 5);
  assert_equals(names.item(1), "B");
  assert_equals(names[3], "b");
  assert_equals(names.item(5), null);
  assert_true(names.contains("a"));
  assert_false(names.contains("A"));
}, "objectStoreNames is a DOMStringList of the store names in code unit order, updated synchronously");

promise_test(async t => {
  let stores, upgradeTx;
  const db = await createDb(t, (db, tx) => {
    upgradeTx = tx;
    stores = {
      plain: db.createObjectStore("plain"),
      inline: db.createObjectStore("inline", { keyPath: "id" }),
      nested: db.createObjectStore("nested", { keyPath: "a.b.c", autoIncrement: true }),
      compound: db.createObjectStore("compound", { keyPath: ["x", "y"] }),
      generated: db.createObjectStore("generated", { autoIncrement: true }),
      emptyPath: db.createObjectStore("emptyPath", { keyPath: "" }),
      nullPath: db.createObjectStore("nullPath", { keyPath: null }),
    };
  });
  const { plain, inline, nested, compound, generated, emptyPath, nullPath } = stores;
  assert_true(plain instanceof IDBObjectStore);
  assert_equals(plain.name, "plain");
  assert_equals(plain.keyPath, null);
  assert_false(plain.autoIncrement);
  assert_equals(plain.transaction, upgradeTx);
  assert_true(plain.indexNames instanceof DOMStringList);
  assert_equals(plain.indexNames.length, 0);
  assert_equals(inline.keyPath, "id");
  assert_false(inline.autoIncrement);
  assert_equals(nested.keyPath, "a.b.c");
  assert_true(nested.autoIncrement);
  assert_true(Array.isArray(compound.keyPath));
  assert_array_equals(compound.keyPath, ["x", "y"]);
  assert_equals(compound.keyPath, compound.keyPath, "the same Array each time");
  assert_equals(generated.keyPath, null);
  assert_true(generated.autoIncrement);
  assert_equals(emptyPath.keyPath, "");
  assert_equals(nullPath.keyPath, null);

  const tx = db.transaction(["compound"]);
  const later = tx.objectStore("compound");
  assert_array_equals(later.keyPath, ["x", "y"], "stored key path");
}, "createObjectStore() returns an IDBObjectStore with the given name, keyPath and autoIncrement");

promise_test(async t => {
  await createDb(t, db => {
    const path = ["a", "b"];
    const store = db.createObjectStore("s", { keyPath: path });
    path.push("c");
    assert_array_equals(store.keyPath, ["a", "b"], "the key path was copied");
    store.keyPath.push("d");
    assert_array_equals(store.keyPath, ["a", "b", "d"],
                        "the same Array instance is returned each time");
  });
}, "createObjectStore() copies an array keyPath; keyPath returns one Array object");

promise_test(async t => {
  await createDb(t, db => {
    assert_throws_dom("InvalidAccessError",
                      () => db.createObjectStore("a", { keyPath: "", autoIncrement: true }),
                      "empty key path with a key generator");
    assert_throws_dom("InvalidAccessError",
                      () => db.createObjectStore("b", { keyPath: ["x"], autoIncrement: true }),
                      "array key path with a key generator");
    assert_throws_dom("InvalidAccessError",
                      () => db.createObjectStore("c", { keyPath: ["x", "y"], autoIncrement: true }));
    assert_equals(db.objectStoreNames.length, 0, "nothing was created");
    db.createObjectStore("d", { keyPath: "x", autoIncrement: true });
  });
}, "createObjectStore() with autoIncrement and an empty or array keyPath throws InvalidAccessError");

promise_test(async t => {
  await createDb(t, db => {
    db.createObjectStore("s");
    assert_throws_dom("ConstraintError", () => db.createObjectStore("s"));
    assert_throws_dom("ConstraintError", () => db.createObjectStore("s", { keyPath: "k" }));
    db.createObjectStore("S");
    assert_array_equals(Array.from(db.objectStoreNames), ["S", "s"], "names are case-sensitive");
  });
}, "createObjectStore() with an existing name throws ConstraintError");

promise_test(async t => {
  await createDb(t, db => {
    for (const bad of ["a b", " a", "a.", ".a", "a..b", "1a", "a-b", "a.1", "[a]", "a\u3000b",
                       ["a", "b c"], ["a", 1.5], [], ["a", "a."]]) {
      assert_throws_dom("SyntaxError", () => db.createObjectStore("s", { keyPath: bad }),
                        "key path " + JSON.stringify(bad));
    }
    assert_equals(db.objectStoreNames.length, 0);
    // Valid: IdentifierName includes reserved words, $, _ and non-ASCII letters.
    for (const good of ["if", "$", "_x", "a.b.c", "\u00e9t\u00e9", "a.if.$", ["a", "b.c"]]) {
      db.createObjectStore("s" + JSON.stringify(good), { keyPath: good });
    }
  });
}, "createObjectStore() with an invalid key path throws SyntaxError");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  assert_throws_dom("InvalidStateError", () => db.createObjectStore("t"), "outside an upgrade");
  assert_throws_dom("InvalidStateError", () => db.deleteObjectStore("s"), "outside an upgrade");
  const tx = db.transaction("s", "readwrite");
  assert_throws_dom("InvalidStateError", () => db.createObjectStore("t"),
                    "a readwrite transaction is no upgrade");
  await transactionDone(tx);
  assert_array_equals(Array.from(db.objectStoreNames), ["s"]);
}, "createObjectStore() and deleteObjectStore() outside an upgrade transaction throw InvalidStateError");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => {
    db.createObjectStore("a");
    db.createObjectStore("b").put("value", 1);
    db.createObjectStore("c");
  }, { name });
  db.close();
  const db2 = await openDb(t, name, 2, (db2, tx) => {
    assert_throws_dom("NotFoundError", () => db2.deleteObjectStore("missing"));
    assert_throws_dom("NotFoundError", () => db2.deleteObjectStore("B"));
    const names = db2.objectStoreNames;
    db2.deleteObjectStore("b");
    assert_array_equals(Array.from(db2.objectStoreNames), ["a", "c"], "synchronously");
    assert_array_equals(Array.from(names), ["a", "b", "c"], "an earlier list does not change");
    assert_throws_dom("NotFoundError", () => tx.objectStore("b"));
    db2.createObjectStore("b");
  });
  assert_array_equals(Array.from(db2.objectStoreNames), ["a", "b", "c"]);
  const count = await requestToPromise(db2.transaction("b").objectStore("b").count());
  assert_equals(count, 0, "the re-created store does not have the deleted one's records");
}, "deleteObjectStore() removes the store and its records; unknown names throw NotFoundError");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("s");
    db.createObjectStore("t");
  });
  assert_throws_dom("InvalidAccessError", () => db.transaction([]), "empty scope");
  assert_throws_dom("NotFoundError", () => db.transaction("missing"));
  assert_throws_dom("NotFoundError", () => db.transaction(["s", "missing"]));
  assert_throws_dom("NotFoundError", () => db.transaction("S"), "names are case-sensitive");
  assert_throws_js(TypeError, () => db.transaction("s", "bogus"), "not an IDBTransactionMode");
  assert_throws_js(TypeError, () => db.transaction("s", "versionchange"),
                   "versionchange transactions cannot be created");
  assert_throws_js(TypeError, () => db.transaction(), "storeNames is required");
  assert_throws_dom("NotFoundError", () => db.transaction("missing", "versionchange"),
                    "the scope is checked before the mode");
}, "transaction(): empty scope InvalidAccessError, unknown store NotFoundError, bad mode TypeError");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("s");
    db.createObjectStore("t");
  });
  const single = db.transaction("s");
  assert_true(single instanceof IDBTransaction);
  assert_equals(single.mode, "readonly", "the default mode");
  assert_array_equals(Array.from(single.objectStoreNames), ["s"]);
  const both = db.transaction(["t", "s", "t"], "readwrite");
  assert_equals(both.mode, "readwrite");
  assert_array_equals(Array.from(both.objectStoreNames), ["s", "t"], "unique names, sorted");
  assert_equals(both.db, db);
  assert_not_equals(db.transaction("s"), single, "[NewObject]");
  await Promise.all([transactionDone(single), transactionDone(both)]);
}, "transaction() with a name or a list of names and a mode");

promise_test(async t => {
  let thrown;
  await createDb(t, (db, tx) => {
    db.createObjectStore("s");
    try {
      db.transaction("s");
    } catch (e) {
      thrown = e;
    }
    assert_equals(tx.mode, "versionchange");
  });
  assert_true(thrown instanceof DOMException, "threw");
  assert_equals(thrown.name, "InvalidStateError");
}, "transaction() during an upgrade throws InvalidStateError");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  const pending = db.transaction("s", "readwrite");
  const put = pending.objectStore("s").put("kept", 1);
  db.close();
  assert_throws_dom("InvalidStateError", () => db.transaction("s"), "after close()");
  db.close();  // A second close() does nothing.
  assert_throws_dom("InvalidStateError", () => db.transaction("s"));
  // A transaction created before close() still runs to its end.
  await transactionDone(pending);
  assert_equals(put.result, 1);
}, "close(): transaction() then throws InvalidStateError; transactions already created complete");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  assert_equals(db.transaction("s").durability, "default");
  assert_equals(db.transaction("s", "readwrite", {}).durability, "default");
  assert_equals(db.transaction("s", "readwrite", { durability: "default" }).durability, "default");
  assert_equals(db.transaction("s", "readonly", { durability: "relaxed" }).durability, "relaxed");
  const strict = db.transaction("s", "readwrite", { durability: "strict" });
  assert_equals(strict.durability, "strict");
  assert_throws_js(TypeError, () => db.transaction("s", "readwrite", { durability: "bogus" }));
  strict.objectStore("s").put("v", 1);
  await transactionDone(strict);
  const value = await requestToPromise(db.transaction("s").objectStore("s").get(1));
  assert_equals(value, "v", "a strict transaction commits");
}, "The durability option sets IDBTransaction.durability; an unknown value throws TypeError");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => db.createObjectStore("s"), { name });
  db.close();
  const request = indexedDB.open(name, 2);
  cleanupOpenRequest(t, request);
  const events = [];
  let upgradeDb, upgradeTx;
  request.onupgradeneeded = t.step_func(() => {
    upgradeDb = request.result;
    upgradeTx = request.transaction;
    upgradeTx.onabort = () => events.push("abort");
    upgradeDb.createObjectStore("new");
    upgradeDb.deleteObjectStore("s");
    assert_equals(upgradeDb.version, 2);
    upgradeTx.abort();
    assert_equals(upgradeDb.version, 1, "the connection's version is reverted by abort()");
    assert_array_equals(Array.from(upgradeDb.objectStoreNames), ["s"],
                        "the connection's object store names are reverted by abort()");
  });
  request.onsuccess = t.unreached_func("the upgrade was aborted");
  await nextEvent(request, "error");
  events.push("error");
  assert_array_equals(events, ["abort", "error"]);
  assert_equals(upgradeTx.error, null, "abort() leaves the transaction's error null");
  assert_equals(request.error.name, "AbortError");
  assert_equals(request.result, undefined);
  assert_equals(request.transaction, null);

  const reopened = await openDb(t, name);
  assert_equals(reopened.version, 1, "the version change was rolled back");
  assert_array_equals(Array.from(reopened.objectStoreNames), ["s"], "the store changes were rolled back");
}, "Aborting the upgrade transaction rolls back the version and the object stores");
