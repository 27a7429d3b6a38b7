// META: title=IndexedDB: IDBRequest readyState, result, error, source, transaction; event propagation
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

function createStore(t) {
  return createDb(t, db => {
    const store = db.createObjectStore("s");
    store.createIndex("i", "k");
    store.put({ k: "one" }, 1);
  });
}

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s");
  const store = tx.objectStore("s");
  const request = store.get(1);
  assert_true(request instanceof IDBRequest);
  assert_true(request instanceof EventTarget);
  assert_false(request instanceof IDBOpenDBRequest);
  assert_equals(request.readyState, "pending");
  assert_throws_dom("InvalidStateError", () => request.result, "result while pending");
  assert_throws_dom("InvalidStateError", () => request.error, "error while pending");
  assert_equals(request.source, store);
  assert_equals(request.transaction, tx);
  const e = await nextEvent(request, "success");
  assert_equals(e.constructor, Event);
  assert_equals(e.target, request);
  assert_false(e.bubbles);
  assert_false(e.cancelable);
  assert_true(e.isTrusted);
  assert_equals(request.readyState, "done");
  assert_equals(request.result.k, "one");
  assert_equals(request.error, null, "no error after success");
  assert_equals(request.transaction, tx, "the transaction stays");
  assert_throws_js(TypeError, () => new IDBRequest(), "no constructor");
}, "readyState is pending, then done; result and error throw InvalidStateError until done");

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s", "readwrite");
  const request = tx.objectStore("s").add({ k: "dup" }, 1);
  const e = await nextEvent(request, "error");
  e.preventDefault();
  assert_equals(e.constructor, Event);
  assert_true(e.bubbles);
  assert_true(e.cancelable);
  assert_true(e.isTrusted);
  assert_equals(request.readyState, "done");
  assert_equals(request.result, undefined, "result is undefined after an error");
  assert_true(request.error instanceof DOMException);
  assert_equals(request.error.name, "ConstraintError");
  await transactionDone(tx);
}, "A failed request: result undefined, error a DOMException");

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const index = store.index("i");
  const storeRequest = store.count();
  const indexRequest = index.get("one");
  const cursorRequest = store.openCursor();
  assert_equals(storeRequest.source, store);
  assert_equals(indexRequest.source, index);
  assert_equals(indexRequest.transaction, tx);
  assert_equals(cursorRequest.source, store, "openCursor()'s request has the store as source");
  const updateSource = await onNextSuccess(cursorRequest, cursor => {
    const update = cursor.update({ k: "updated" });
    assert_equals(update.transaction, tx);
    cursor.continue();
    assert_equals(cursorRequest.source, store, "continue() reuses the request");
    return update.source;
  });
  assert_true(updateSource instanceof IDBCursor);
  await transactionDone(tx);
}, "source is the store, index or cursor the request was made on");

promise_test(async t => {
  const name = idbName(t);
  await deleteDb(name);
  const request = indexedDB.open(name, 1);
  cleanupOpenRequest(t, request, name);
  assert_equals(request.source, null);
  assert_equals(request.transaction, null);
  let upgradeTx, duringComplete;
  request.onupgradeneeded = t.step_func(() => {
    upgradeTx = request.transaction;
    upgradeTx.oncomplete = () => { duringComplete = request.transaction; };
    assert_not_equals(upgradeTx, null);
    assert_equals(upgradeTx.mode, "versionchange");
    assert_equals(request.source, null);
    request.result.createObjectStore("s");
    assert_array_equals(Array.from(upgradeTx.objectStoreNames), ["s"],
                        "an upgrade transaction's scope is every store");
  });
  await requestToPromise(request);
  assert_equals(duringComplete, upgradeTx, "still set while complete fires");
  assert_equals(request.transaction, null, "null once the upgrade has finished");
}, "An open request's transaction is the upgrade transaction while it is live");

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s", "readwrite");
  const request = tx.objectStore("s").add({ k: "dup" }, 1);
  const path = [];
  const record = label => t.step_func(e => {
    path.push(label);
    assert_equals(e.target, request, label + ": target");
  });
  db.addEventListener("error", record("db capture"), true);
  tx.addEventListener("error", record("transaction capture"), true);
  request.addEventListener("error", record("request"));
  tx.addEventListener("error", record("transaction bubble"));
  db.addEventListener("error", record("db bubble"));
  await nextEvent(db, "abort");
  assert_array_equals(path, ["db capture", "transaction capture", "request",
                             "transaction bubble", "db bubble"]);
}, "Error events propagate request → transaction → database");

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s", "readwrite");
  const request = tx.objectStore("s").add({ k: "dup" }, 1);
  const targets = [];
  db.onabort = t.step_func(e => {
    targets.push("db");
    assert_equals(e.target, tx, "the abort event's target is the transaction");
    assert_equals(e.currentTarget, db);
  });
  tx.onabort = () => targets.push("transaction");
  await transactionAborted(tx);
  await new Promise(resolve => t.step_timeout(resolve, 0));
  assert_array_equals(targets, ["transaction", "db"], "abort bubbles to the database");
  assert_equals(tx.error, request.error);
}, "An unhandled error aborts the transaction; its abort event bubbles to the database");

promise_test(async t => {
  const db = await createStore(t);
  for (const where of ["request", "transaction", "db"]) {
    const tx = db.transaction("s", "readwrite");
    const store = tx.objectStore("s");
    const failing = store.add({ k: "dup" }, 1);
    const later = store.put({ k: "later" }, where);
    const target = { request: failing, transaction: tx, db }[where];
    const listener = e => e.preventDefault();
    target.addEventListener("error", listener);
    await transactionDone(tx).then(
      () => {},
      error => assert_unreached(`preventDefault() at the ${where} should keep the transaction: ${error}`));
    target.removeEventListener("error", listener);
    assert_equals(failing.error.name, "ConstraintError");
    assert_equals(later.result, where, "the next request still ran");
    assert_equals(tx.error, null);
  }
  const keys = await requestToPromise(db.transaction("s").objectStore("s").getAllKeys());
  assert_array_equals(keys, [1, "db", "request", "transaction"]);
}, "preventDefault() on the error event, at any point of its path, keeps the transaction from aborting");

promise_test(async t => {
  const db = await createStore(t);
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const failing = store.add({ k: "dup" }, 1);
  const events = [];
  failing.onerror = e => {
    events.push("error");
    e.stopPropagation();
  };
  tx.onerror = () => events.push("transaction saw the error");
  await transactionAborted(tx);
  assert_array_equals(events, ["error"], "stopPropagation() stops it at the request");
  assert_equals(tx.error.name, "ConstraintError", "not cancelled: the transaction still aborts");
}, "stopPropagation() without preventDefault() still aborts the transaction");
