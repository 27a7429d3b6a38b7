// META: title=IndexedDB keys nested too deep are invalid, never a crash
// META: global=window,dedicatedworker
// META: script=resources/support.js
"use strict";

function nested(depth) {
  let a = [1];
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}

test(() => {
  assert_throws_dom("DataError", () => indexedDB.cmp(nested(200000), 1));
  assert_throws_dom("DataError", () => IDBKeyRange.only(nested(5000)));
}, "an array key nested thousands deep is invalid (DataError)");

test(() => {
  assert_equals(indexedDB.cmp(nested(1500), nested(1500)), 0);
  assert_equals(indexedDB.cmp(nested(1500), 1), 1, "an array sorts after a number");
}, "an array key nested 1500 deep is still a key");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s").createIndex("i", "k"));
  // (The value holds the key too: a structured clone refuses deep nesting sooner.)
  const key = nested(300);
  const tx = db.transaction("s", "readwrite");
  tx.objectStore("s").put({ k: key }, key);
  await transactionDone(tx);
  const read = db.transaction("s").objectStore("s");
  const value = await requestToPromise(read.index("i").get(key));
  assert_equals(indexedDB.cmp(value.k, key), 0, "stored, indexed and read back");
}, "a record whose key and index key nest 300 deep is stored and found");
