// META: title=IndexedDB: IDBCursor directions, continue(), continuePrimaryKey(), advance(), update(), delete()
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

// Store "s" (out-of-line keys 1..5, values "v1".."v5") and store "people" (key path "id")
// with an index "by_group" on "g" holding duplicates:
// (a,1) (a,3) (b,2) (b,5) (c,4) in index order.
function createCursorDb(t) {
  return createDb(t, db => {
    const s = db.createObjectStore("s");
    for (let i = 1; i <= 5; i++) s.put("v" + i, i);
    const people = db.createObjectStore("people", { keyPath: "id" });
    people.createIndex("by_group", "g");
    for (const [id, g] of [[1, "a"], [2, "b"], [3, "a"], [4, "c"], [5, "b"]]) {
      people.put({ id, g });
    }
  });
}

const withValue = cursor => [cursor.key, cursor.primaryKey, cursor.value];

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  const [next, nextunique, prev, prevunique, dflt] = await Promise.all([
    collectCursor(store.openCursor(null, "next"), withValue),
    collectCursor(store.openCursor(null, "nextunique"), withValue),
    collectCursor(store.openCursor(null, "prev"), withValue),
    collectCursor(store.openCursor(null, "prevunique"), withValue),
    collectCursor(store.openCursor(), withValue),
  ]);
  const forward = [[1, 1, "v1"], [2, 2, "v2"], [3, 3, "v3"], [4, 4, "v4"], [5, 5, "v5"]];
  const flat = list => list.map(entry => entry.join(":"));
  assert_array_equals(flat(next), flat(forward));
  assert_array_equals(flat(dflt), flat(forward), "the default direction is next");
  assert_array_equals(flat(nextunique), flat(forward), "keys in a store are unique");
  assert_array_equals(flat(prev), flat(forward.slice().reverse()));
  assert_array_equals(flat(prevunique), flat(forward.slice().reverse()));
  assert_throws_js(TypeError, () => store.openCursor(null, "backwards"), "not an IDBCursorDirection");
}, "Object store cursors in all four directions");

promise_test(async t => {
  const db = await createCursorDb(t);
  const index = db.transaction("people").objectStore("people").index("by_group");
  const pair = cursor => cursor.key + cursor.primaryKey;
  const [next, nextunique, prev, prevunique, keyNext, keyPrevunique] = await Promise.all([
    collectCursor(index.openCursor(null, "next"), pair),
    collectCursor(index.openCursor(null, "nextunique"), pair),
    collectCursor(index.openCursor(null, "prev"), pair),
    collectCursor(index.openCursor(null, "prevunique"), pair),
    collectCursor(index.openKeyCursor(), pair),
    collectCursor(index.openKeyCursor(null, "prevunique"), pair),
  ]);
  assert_array_equals(next, ["a1", "a3", "b2", "b5", "c4"]);
  assert_array_equals(nextunique, ["a1", "b2", "c4"],
                      "the first record (lowest primary key) of each index key");
  assert_array_equals(prev, ["c4", "b5", "b2", "a3", "a1"]);
  assert_array_equals(prevunique, ["c4", "b2", "a1"],
                      "prevunique also picks the lowest primary key of each index key");
  assert_array_equals(keyNext, next);
  assert_array_equals(keyPrevunique, prevunique);
}, "Index cursors in all four directions over duplicate keys");

promise_test(async t => {
  const db = await createCursorDb(t);
  const tx = db.transaction("people");
  const store = tx.objectStore("people");
  const index = store.index("by_group");
  const storeRequest = store.openCursor(IDBKeyRange.lowerBound(2), "prev");
  const keyRequest = index.openKeyCursor("b");
  const [storeCursor, keyCursor] = await Promise.all([storeRequest, keyRequest].map(requestToPromise));

  assert_true(storeCursor instanceof IDBCursorWithValue);
  assert_equals(storeCursor.source, store);
  assert_equals(storeCursor.direction, "prev");
  assert_equals(storeCursor.key, 5);
  assert_equals(storeCursor.primaryKey, 5);
  assert_equals(storeCursor.value.id, 5);
  assert_equals(storeCursor.value, storeCursor.value, "value is the same object until the cursor moves");
  assert_equals(storeCursor.request, storeRequest);
  assert_equals(storeRequest.source, store);

  assert_true(keyCursor instanceof IDBCursor);
  assert_false(keyCursor instanceof IDBCursorWithValue, "a key cursor has no value");
  assert_false("value" in keyCursor);
  assert_equals(keyCursor.source, index);
  assert_equals(keyCursor.direction, "next");
  assert_equals(keyCursor.key, "b");
  assert_equals(keyCursor.primaryKey, 2);
  assert_equals(keyCursor.request, keyRequest);
  assert_equals(keyRequest.source, index);
}, "Cursor attributes: source, direction, key, primaryKey, value, request");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  const request = store.openCursor(IDBKeyRange.bound(2, 4));
  const emptyPromise = requestToPromise(store.openCursor(IDBKeyRange.bound(10, 20)));
  const singlePromise = collectCursor(store.openKeyCursor(3), c => c.key);
  const seen = [];
  let cursorObject;
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (cursorObject === undefined) cursorObject = cursor;
      if (cursor === null) {
        resolve();
        return;
      }
      assert_equals(cursor, cursorObject, "the same cursor object every step");
      seen.push(cursor.key);
      cursor.continue();
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(seen, [2, 3, 4]);
  assert_equals(request.result, null, "null at the end");
  assert_equals(request.readyState, "done");
  assert_equals(await emptyPromise, null, "no record in range: result null");
  assert_array_equals(await singlePromise, [3], "a key as the query");
}, "Iterating to the end: the same request and cursor each step, then result null");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  const request = store.openCursor();
  const seen = [];
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (!cursor) return resolve();
      seen.push(cursor.key);
      if (cursor.key === 1) cursor.continue(3);
      else if (cursor.key === 3) cursor.continue(4.5);
      else cursor.continue(100);
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(seen, [1, 3, 5], "continue(key) goes to the first key at or after it");

  const index = db.transaction("people").objectStore("people").index("by_group");
  const prevSeen = [];
  const prevRequest = index.openCursor(null, "prev");
  await new Promise((resolve, reject) => {
    prevRequest.onsuccess = t.step_func(() => {
      const cursor = prevRequest.result;
      if (!cursor) return resolve();
      prevSeen.push(cursor.key + cursor.primaryKey);
      if (cursor.key === "c") cursor.continue("a");
      else cursor.continue();
    });
    prevRequest.onerror = () => reject(prevRequest.error);
  });
  assert_array_equals(prevSeen, ["c4", "a3", "a1"],
                      "backwards, continue(key) goes to the last record at or before it");
}, "continue(key) in forward and backward directions");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  await Promise.all([
    onNextSuccess(store.openCursor(IDBKeyRange.lowerBound(3)), forward => {
      assert_equals(forward.key, 3);
      assert_throws_dom("DataError", () => forward.continue(3), "the current key");
      assert_throws_dom("DataError", () => forward.continue(2), "a key behind");
      assert_throws_dom("DataError", () => forward.continue({}), "not a key");
      assert_throws_dom("DataError", () => forward.continue(null));
    }),
    onNextSuccess(store.openCursor(null, "prevunique"), backward => {
      assert_equals(backward.key, 5);
      assert_throws_dom("DataError", () => backward.continue(5));
      assert_throws_dom("DataError", () => backward.continue(6));
      backward.continue(2);
      assert_throws_dom("InvalidStateError", () => backward.continue(1), "already continuing");
    }),
  ]);
}, "continue() with a key not past the current position throws DataError");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("people").objectStore("people");
  const index = store.index("by_group");
  const request = index.openCursor();
  const seen = [];
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (!cursor) return resolve();
      seen.push(cursor.key + cursor.primaryKey);
      if (seen.length === 1) {
        // At (a,1).
        assert_throws_dom("DataError", () => cursor.continuePrimaryKey("a", 1), "the current position");
        assert_throws_dom("DataError", () => cursor.continuePrimaryKey("a", 0), "behind in primary key");
        assert_throws_dom("DataError", () => cursor.continuePrimaryKey("0", 9), "behind in key");
        assert_throws_dom("DataError", () => cursor.continuePrimaryKey("b", {}), "not a key");
        cursor.continuePrimaryKey("b", 3);
      } else if (seen.length === 2) {
        // At (b,5).
        assert_throws_dom("DataError", () => cursor.continuePrimaryKey("b", 5), "the current position");
        cursor.continuePrimaryKey("c", 0);
      } else {
        cursor.continue();
      }
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(seen, ["a1", "b5", "c4"]);
}, "continuePrimaryKey() moves to the first record at or after (key, primaryKey)");

promise_test(async t => {
  const db = await createCursorDb(t);
  const tx = db.transaction(["s", "people"]);
  const index = tx.objectStore("people").index("by_group");
  await Promise.all([
    onNextSuccess(tx.objectStore("s").openCursor(), cursor => {
      assert_throws_dom("InvalidAccessError", () => cursor.continuePrimaryKey(2, 2), "a store cursor");
    }),
    onNextSuccess(index.openCursor(null, "nextunique"), cursor => {
      assert_throws_dom("InvalidAccessError", () => cursor.continuePrimaryKey("b", 2),
                        "a nextunique cursor");
    }),
    onNextSuccess(index.openCursor(null, "prevunique"), cursor => {
      assert_throws_dom("InvalidAccessError", () => cursor.continuePrimaryKey("a", 1),
                        "a prevunique cursor");
    }),
  ]);
}, "continuePrimaryKey() on a store cursor or a unique direction throws InvalidAccessError");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  const request = store.openCursor();
  const seen = [];
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (!cursor) return resolve();
      seen.push(cursor.key);
      if (seen.length === 1) {
        assert_throws_js(TypeError, () => cursor.advance(0), "advance(0)");
        assert_throws_js(TypeError, () => cursor.advance(-1), "[EnforceRange]");
        assert_throws_js(TypeError, () => cursor.advance(2 ** 32));
        cursor.advance(2);
      } else {
        cursor.advance(3);
      }
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(seen, [1, 3], "advance(3) from 3 runs past the end");
}, "advance(n) skips n - 1 records; advance(0) throws TypeError");

promise_test(async t => {
  const db = await createCursorDb(t);
  const store = db.transaction("s").objectStore("s");
  const cursor = await onNextSuccess(store.openCursor(), cursor => {
    cursor.continue();
    assert_throws_dom("InvalidStateError", () => cursor.continue(), "continue() twice");
    assert_throws_dom("InvalidStateError", () => cursor.advance(1), "advance() while continuing");
    assert_throws_dom("InvalidStateError", () => cursor.continue(5), "continue(key) while continuing");
    assert_equals(cursor.request.readyState, "pending", "the request is pending again");
    assert_throws_dom("InvalidStateError", () => cursor.request.result);
    return cursor;
  });
  const next = await requestToPromise(cursor.request);
  assert_equals(next, cursor);
  assert_equals(cursor.key, 2);
}, "Calling continue() or advance() again before the next result throws InvalidStateError");

promise_test(async t => {
  const db = await createCursorDb(t);
  const tx = db.transaction(["s", "people"], "readwrite");
  const request = tx.objectStore("s").openCursor();
  const updates = [];
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (!cursor) return resolve();
      if (cursor.key % 2 === 0) {
        const update = cursor.update(cursor.value + " updated");
        assert_equals(update.source, cursor, "the request's source is the cursor");
        updates.push(requestToPromise(update));
      } else if (cursor.key === 3) {
        const del = cursor.delete();
        assert_equals(del.source, cursor);
        updates.push(requestToPromise(del));
      }
      cursor.continue();
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(await Promise.all(updates), [2, undefined, 4],
                      "update() results in the key, delete() in undefined");
  await transactionDone(tx);
  const values = await requestToPromise(db.transaction("s").objectStore("s").getAll());
  assert_array_equals(values, ["v1", "v2 updated", "v4 updated", "v5"]);
}, "cursor.update() replaces and cursor.delete() removes the current record");

promise_test(async t => {
  const db = await createCursorDb(t);
  const readonly = db.transaction(["s", "people"]);
  const tx = db.transaction("s", "readwrite");
  const tx2 = db.transaction("people", "readwrite");
  await Promise.all([
    onNextSuccess(readonly.objectStore("s").openCursor(), cursor => {
      assert_throws_dom("ReadOnlyError", () => cursor.update("x"));
      assert_throws_dom("ReadOnlyError", () => cursor.delete());
    }),
    onNextSuccess(tx.objectStore("s").openKeyCursor(), keyCursor => {
      assert_throws_dom("InvalidStateError", () => keyCursor.update("x"), "a key cursor");
      assert_throws_dom("InvalidStateError", () => keyCursor.delete(), "a key cursor");
    }),
    onNextSuccess(tx2.objectStore("people").openCursor(), inline => {
      assert_throws_dom("DataError", () => inline.update({ id: 99, g: "a" }), "the key would change");
      assert_throws_dom("DataError", () => inline.update({ g: "a" }), "the key would be missing");
      assert_throws_dom("DataCloneError", () => inline.update({ id: 1, f() {} }));
    }),
  ]);
}, "cursor.update()/delete(): ReadOnlyError, InvalidStateError for key cursors, DataError for a changed in-line key");

promise_test(async t => {
  const db = await createCursorDb(t);
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const request = store.openCursor();
  const seen = [];
  await new Promise((resolve, reject) => {
    request.onsuccess = t.step_func(() => {
      const cursor = request.result;
      if (!cursor) return resolve();
      seen.push(cursor.key);
      if (cursor.key === 1) {
        store.delete(3);
        store.put("v6", 6);
        store.put("v0", 0);
      }
      cursor.continue();
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(seen, [1, 2, 4, 5, 6],
                      "the cursor moves by key: it sees records added ahead, not deleted or behind ones");
  await transactionDone(tx);
}, "A cursor sees changes made to the store while it iterates");
