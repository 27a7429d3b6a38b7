// META: title=IndexedDB: IDBObjectStore get(), getKey(), getAll(), getAllKeys(), count(), delete(), clear()
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

// A store "s" with keys 1..10 and values { n: key }.
function createNumbers(t) {
  const records = [];
  for (let n = 1; n <= 10; n++) records.push([{ n }, n]);
  return createDbWithStore(t, "s", undefined, records);
}

function readStore(db) {
  return db.transaction("s").objectStore("s");
}

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const results = await Promise.all([
    store.get(3), store.get(IDBKeyRange.lowerBound(7, true)), store.get(IDBKeyRange.bound(4.5, 20)),
    store.get(42), store.get(IDBKeyRange.lowerBound(11)), store.get("3"),
  ].map(requestToPromise));
  assert_equals(results[0].n, 3);
  assert_equals(results[1].n, 8, "the first record in the range");
  assert_equals(results[2].n, 5);
  assert_equals(results[3], undefined, "no record: undefined");
  assert_equals(results[4], undefined);
  assert_equals(results[5], undefined, "keys are typed: \"3\" is not 3");
}, "get() with a key or a key range returns the first matching value, or undefined");

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const first = store.get(1);
  const second = store.get(1);
  const [a, b] = await Promise.all([first, second].map(requestToPromise));
  assert_not_equals(a, b, "each request deserializes its own copy");
  assert_equals(a.n, b.n);
  assert_throws_js(TypeError, () => store.get(), "the query is required");
  assert_throws_dom("DataError", () => store.get(null), "null is not a query for get()");
  assert_throws_dom("DataError", () => store.get(undefined));
  assert_throws_dom("DataError", () => store.get({}));
  assert_throws_dom("DataError", () => store.get(NaN));
  assert_throws_dom("DataError", () => store.getKey(null));
  assert_throws_dom("DataError", () => store.getKey(true));
}, "get() returns a new copy each time; null, undefined and invalid keys throw DataError");

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const results = await Promise.all([
    store.getKey(4), store.getKey(IDBKeyRange.bound(2, 9, true, true)),
    store.getKey(IDBKeyRange.upperBound(0)), store.getKey(11),
  ].map(requestToPromise));
  assert_equals(results[0], 4);
  assert_equals(results[1], 3);
  assert_equals(results[2], undefined);
  assert_equals(results[3], undefined);
}, "getKey() returns the first matching key, or undefined");

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const values = list => list.map(v => v.n);
  const [all, undef, nul, range, limited, zero, single, missing, limitedRange] =
    await Promise.all([
      store.getAll(), store.getAll(undefined), store.getAll(null),
      store.getAll(IDBKeyRange.bound(3, 6)), store.getAll(null, 3), store.getAll(undefined, 0),
      store.getAll(5), store.getAll(50), store.getAll(IDBKeyRange.lowerBound(8), 2),
    ].map(requestToPromise));
  assert_true(Array.isArray(all));
  assert_array_equals(values(all), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "in key order");
  assert_array_equals(values(undef), values(all));
  assert_array_equals(values(nul), values(all));
  assert_array_equals(values(range), [3, 4, 5, 6]);
  assert_array_equals(values(limited), [1, 2, 3], "count limits the result");
  assert_array_equals(values(zero), values(all), "a count of 0 is no limit");
  assert_array_equals(values(single), [5]);
  assert_array_equals(missing, []);
  assert_array_equals(values(limitedRange), [8, 9]);
  assert_throws_js(TypeError, () => store.getAll(null, -1), "[EnforceRange] count");
  assert_throws_js(TypeError, () => store.getAll(null, 2 ** 32));
  assert_throws_dom("DataError", () => store.getAll(NaN));
}, "getAll() with no query, a key, a range, and a count");

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const [all, range, limited, single, none] = await Promise.all([
    store.getAllKeys(), store.getAllKeys(IDBKeyRange.bound(3, 6, false, true)),
    store.getAllKeys(IDBKeyRange.lowerBound(5, true), 3), store.getAllKeys(2),
    store.getAllKeys(IDBKeyRange.only(0)),
  ].map(requestToPromise));
  assert_array_equals(all, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert_array_equals(range, [3, 4, 5]);
  assert_array_equals(limited, [6, 7, 8]);
  assert_array_equals(single, [2]);
  assert_array_equals(none, []);
}, "getAllKeys() with no query, a key, a range, and a count");

promise_test(async t => {
  const db = await createNumbers(t);
  const store = readStore(db);
  const counts = await Promise.all([
    store.count(), store.count(null), store.count(undefined), store.count(4), store.count(40),
    store.count(IDBKeyRange.bound(2, 5)), store.count(IDBKeyRange.upperBound(5, true)),
  ].map(requestToPromise));
  assert_array_equals(counts, [10, 10, 10, 1, 0, 4, 4]);
  assert_throws_dom("DataError", () => store.count({}));
}, "count() of all records, a key, and a key range");

promise_test(async t => {
  const db = await createNumbers(t);
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const deleteOne = store.delete(2);
  const deleteMissing = store.delete(200);
  const deleteRange = store.delete(IDBKeyRange.bound(5, 8));
  const [one, missing, range] =
    await Promise.all([deleteOne, deleteMissing, deleteRange].map(requestToPromise));
  assert_equals(one, undefined, "delete() results in undefined");
  assert_equals(missing, undefined, "deleting a missing key is no error");
  assert_equals(range, undefined);
  assert_throws_dom("DataError", () => store.delete(null), "delete() refuses null");
  assert_throws_dom("DataError", () => store.delete(undefined));
  assert_throws_dom("DataError", () => store.delete({}));
  assert_throws_js(TypeError, () => store.delete());
  await transactionDone(tx);
  const keys = await requestToPromise(readStore(db).getAllKeys());
  assert_array_equals(keys, [1, 3, 4, 9, 10]);
}, "delete() with a key or a key range; null throws DataError");

promise_test(async t => {
  const db = await createNumbers(t);
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const [cleared, countAfter] = await Promise.all([
    store.clear(), store.count(), store.put({ n: 99 }, 99),
  ].map(requestToPromise));
  assert_equals(cleared, undefined, "clear() results in undefined");
  assert_equals(countAfter, 0, "requests run in order");
  await transactionDone(tx);
  const keys = await requestToPromise(readStore(db).getAllKeys());
  assert_array_equals(keys, [99]);
}, "clear() removes every record; later requests see the result");

promise_test(async t => {
  const db = await createNumbers(t);
  const tx = db.transaction("s");
  const store = tx.objectStore("s");
  assert_throws_dom("ReadOnlyError", () => store.delete(1));
  assert_throws_dom("ReadOnlyError", () => store.clear());
  await transactionDone(tx);
  for (const [label, call] of [
    ["get", () => store.get(1)], ["getKey", () => store.getKey(1)],
    ["getAll", () => store.getAll()], ["getAllKeys", () => store.getAllKeys()],
    ["count", () => store.count()], ["delete", () => store.delete(1)],
    ["clear", () => store.clear()], ["openCursor", () => store.openCursor()],
  ]) {
    assert_throws_dom("TransactionInactiveError", call, label + " after the transaction finished");
  }
}, "delete() and clear() in readonly throw ReadOnlyError; every request after the end throws TransactionInactiveError");

promise_test(async t => {
  const keys = [
    [[]], ["b"], [1, 2], [1],
    new Uint8Array([2]), new Uint8Array([1, 0]),
    "b", "a", "",
    new Date(10), new Date(-10),
    Infinity, 5, -5, -Infinity,
  ];
  const db = await createDb(t, db => {
    const store = db.createObjectStore("s");
    keys.forEach((key, i) => store.put(i, key));
  });
  const got = await requestToPromise(readStore(db).getAllKeys());
  const expected = [
    -Infinity, -5, 5, Infinity,
    new Date(-10), new Date(10),
    "", "a", "b",
    new Uint8Array([1, 0]), new Uint8Array([2]),
    [1], [1, 2], ["b"], [[]],
  ];
  assert_equals(got.length, expected.length);
  got.forEach((key, i) => assert_keys_equal(key, expected[i], "key " + i));
  assert_true(got[4] instanceof Date, "date keys come back as Dates");
  assert_true(got[9] instanceof ArrayBuffer, "binary keys come back as ArrayBuffers");
  assert_true(Array.isArray(got[11]));
  const values = await requestToPromise(readStore(db).getAll());
  assert_array_equals(values, [14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
}, "Records of mixed key types are ordered numbers < dates < strings < binary < arrays");

promise_test(async t => {
  const db = await createNumbers(t);
  const tx = db.transaction("s");
  const store = tx.objectStore("s");
  assert_equals(tx.objectStore("s"), store, "objectStore() returns the same object each time");
  const request = store.get(1);
  assert_equals(request.source, store);
  assert_equals(request.transaction, tx);
  await requestToPromise(request);
  assert_throws_dom("NotFoundError", () => store.index("none"));
  await transactionDone(tx);
  assert_throws_dom("InvalidStateError", () => store.index("none"),
                    "index() after the transaction finished");
}, "Requests name their store as source and its transaction");
