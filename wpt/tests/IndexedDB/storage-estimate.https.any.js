// META: title=IndexedDB values count in the origin's storage usage (Storage Standard estimate())
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
"use strict";

promise_test(async t => {
  const before = await navigator.storage.estimate();
  const db = await createDb(t, db => db.createObjectStore("s"));
  const tx = db.transaction("s", "readwrite");
  tx.objectStore("s").put(new Uint8Array(300 * 1024), "bytes");
  tx.objectStore("s").put(new Blob([new Uint8Array(200 * 1024)]), "blob");
  await transactionDone(tx);
  const after = await navigator.storage.estimate();
  assert_greater_than_equal(after.usage - before.usage, 500 * 1024,
                            "a value's bytes and a Blob's bytes count");
  assert_equals(after.quota, before.quota);
}, "estimate() counts what IndexedDB stores");
