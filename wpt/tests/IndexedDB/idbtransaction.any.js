// META: title=IndexedDB: IDBTransaction lifetime, auto-commit, commit(), abort(), scheduling
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

// One subtest throws from an IDBRequest event listener on purpose; the exception is reported
// to the global as any uncaught exception is.
setup({ allow_uncaught_exception: true });

function createStores(t) {
  return createDb(t, db => {
    db.createObjectStore("a").put("a1", 1);
    db.createObjectStore("b");
    db.createObjectStore("c");
  });
}

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction(["b", "a"]);
  assert_true(tx instanceof IDBTransaction);
  assert_true(tx instanceof EventTarget);
  assert_equals(tx.mode, "readonly");
  assert_equals(tx.db, db);
  assert_equals(tx.error, null, "no error while live");
  assert_equals(tx.durability, "default");
  assert_true(tx.objectStoreNames instanceof DOMStringList);
  assert_array_equals(Array.from(tx.objectStoreNames), ["a", "b"]);
  assert_equals(tx.objectStore("a"), tx.objectStore("a"), "the same IDBObjectStore each time");
  assert_equals(tx.objectStore("a").transaction, tx);
  assert_throws_dom("NotFoundError", () => tx.objectStore("c"), "a store outside the scope");
  assert_throws_dom("NotFoundError", () => tx.objectStore("missing"));
  assert_not_equals(db.transaction("a").objectStore("a"), tx.objectStore("a"),
                    "each transaction has its own IDBObjectStore");
  await transactionDone(tx);
  assert_equals(tx.error, null, "no error after complete");
  assert_throws_dom("InvalidStateError", () => tx.objectStore("a"), "objectStore() after the end");
  assert_throws_js(TypeError, () => new IDBTransaction(), "no constructor");
}, "IDBTransaction attributes; objectStore() of a store outside the scope throws NotFoundError");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("b", "readwrite");
  const store = tx.objectStore("b");
  const events = [];
  const first = store.put("one", 1);
  first.onsuccess = () => {
    events.push("first success");
    // Requests made from a success handler belong to the same transaction.
    const second = store.put("two", 2);
    second.onsuccess = () => events.push("second success");
  };
  tx.oncomplete = t.step_func(e => {
    events.push("complete");
    assert_false(e.bubbles, "complete does not bubble");
  });
  await transactionDone(tx);
  assert_array_equals(events, ["first success", "second success", "complete"]);
  const values = await requestToPromise(db.transaction("b").objectStore("b").getAll());
  assert_array_equals(values, ["one", "two"]);
}, "A transaction commits on its own after its last request's success event");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("a", "readwrite");
  const store = tx.objectStore("a");
  await transactionDone(tx);
  assert_throws_dom("TransactionInactiveError", () => store.put("x", 2));
  assert_throws_dom("TransactionInactiveError", () => store.get(1));
  assert_throws_dom("InvalidStateError", () => tx.abort(), "abort() after the end");
  assert_throws_dom("InvalidStateError", () => tx.commit(), "commit() after the end");
}, "Requests after the transaction finished throw TransactionInactiveError");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("a", "readwrite");
  const store = tx.objectStore("a");
  const thrown = await new Promise(resolve => t.step_timeout(() => {
    try {
      store.put("late", 2);
      resolve(null);
    } catch (e) {
      resolve(e);
    }
  }, 0));
  assert_true(thrown instanceof DOMException, "put() from a later task throws");
  assert_equals(thrown.name, "TransactionInactiveError");
  assert_throws_dom("InvalidStateError", () => tx.commit(), "commit() of an inactive transaction");
  const value = await requestToPromise(db.transaction("a").objectStore("a").get(2));
  assert_equals(value, undefined);
}, "A transaction is inactive once the task that created it ends");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction(["a", "b"], "readwrite");
  const a = tx.objectStore("a");
  const b = tx.objectStore("b");
  const events = [];
  const put = b.put("b-value", 1);
  const del = a.delete(1);
  const get = a.get(1);
  for (const [label, request] of [["put", put], ["delete", del], ["get", get]]) {
    request.onsuccess = () => events.push(label + " success");
    request.onerror = t.step_func(e => {
      events.push(label + " error");
      assert_equals(request.error.name, "AbortError", label);
      assert_equals(request.result, undefined, label);
      assert_true(e.bubbles);
    });
  }
  tx.oncomplete = () => events.push("complete");
  tx.abort();
  assert_throws_dom("TransactionInactiveError", () => b.put("after", 2),
                    "no requests after abort()");
  const abortEvent = await nextEvent(tx, "abort");
  events.push("abort");
  assert_true(abortEvent.bubbles, "abort bubbles");
  assert_false(abortEvent.cancelable);
  assert_equals(tx.error, null, "abort() leaves the error null");
  assert_array_equals(events, ["put error", "delete error", "get error", "abort"],
                      "each pending request fails with AbortError before abort fires");
  assert_throws_dom("InvalidStateError", () => tx.abort(), "abort() twice");

  const check = db.transaction(["a", "b"]);
  const [aValue, bCount] = await Promise.all([
    check.objectStore("a").get(1), check.objectStore("b").count(),
  ].map(requestToPromise));
  assert_equals(aValue, "a1", "the delete was rolled back");
  assert_equals(bCount, 0, "the put was rolled back");
}, "abort(): pending requests get AbortError error events, then abort fires; changes are rolled back");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("b", "readwrite");
  const store = tx.objectStore("b");
  const events = [];
  const put = store.put("v", 1);
  put.onsuccess = () => {
    events.push("success");
    try {
      store.put("w", 2);
      events.push("request in success after commit() accepted");
    } catch (e) {
      events.push("request in success after commit() " + e.name);
    }
  };
  tx.commit();
  assert_throws_dom("TransactionInactiveError", () => store.put("x", 3), "after commit()");
  assert_throws_dom("InvalidStateError", () => tx.commit(), "commit() twice");
  await transactionDone(tx);
  events.push("complete");
  assert_array_equals(events, ["success", "request in success after commit() TransactionInactiveError",
                               "complete"]);
  const keys = await requestToPromise(db.transaction("b").objectStore("b").getAllKeys());
  assert_array_equals(keys, [1]);
}, "commit(): pending requests still succeed, no new requests are accepted, then complete");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("b", "readwrite");
  const store = tx.objectStore("b");
  const request = store.put("v", 1);
  request.onsuccess = () => {
    throw new Error("thrown from a success listener on purpose");
  };
  const abortEvent = await transactionAborted(tx);
  assert_equals(abortEvent.target, tx);
  assert_true(tx.error instanceof DOMException);
  assert_equals(tx.error.name, "AbortError");
  const count = await requestToPromise(db.transaction("b").objectStore("b").count());
  assert_equals(count, 0, "the put was rolled back");
}, "An exception thrown from a success listener aborts the transaction with AbortError");

promise_test(async t => {
  const db = await createStores(t);
  const tx = db.transaction("a", "readwrite");
  const request = tx.objectStore("a").add("dup", 1);
  request.onerror = e => {
    e.preventDefault();
    throw new Error("thrown from an error listener on purpose");
  };
  await transactionAborted(tx);
  assert_equals(tx.error.name, "AbortError",
                "AbortError, not the request's ConstraintError, even though the event was cancelled");
}, "An exception thrown from an error listener aborts the transaction with AbortError");

promise_test(async t => {
  const db = await createStores(t);
  const order = [];
  const first = db.transaction(["a", "b"], "readwrite");
  const second = db.transaction("a", "readwrite");
  const third = db.transaction(["a", "c"], "readwrite");
  first.objectStore("a").put("from first", 1);
  second.objectStore("a").put("from second", 1);
  const seen = requestToPromise(third.objectStore("a").get(1));
  first.oncomplete = () => order.push("first");
  second.oncomplete = () => order.push("second");
  third.oncomplete = () => order.push("third");
  await Promise.all([first, second, third].map(transactionDone));
  assert_array_equals(order, ["first", "second", "third"]);
  assert_equals(await seen, "from second", "a later transaction sees the earlier ones' writes");
}, "readwrite transactions with overlapping scopes run in the order they were created");

promise_test(async t => {
  const db = await createStores(t);
  const writer = db.transaction("a", "readwrite");
  const reader = db.transaction("a");
  writer.objectStore("a").put("written", 1);
  const read = requestToPromise(reader.objectStore("a").get(1));
  const order = [];
  writer.oncomplete = () => order.push("writer");
  reader.oncomplete = () => order.push("reader");
  await Promise.all([transactionDone(writer), transactionDone(reader)]);
  assert_equals(await read, "written", "a readonly transaction created later waits for the writer");
  assert_array_equals(order, ["writer", "reader"]);
}, "A readonly transaction created after an overlapping readwrite one sees its changes");
