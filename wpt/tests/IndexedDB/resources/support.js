// Shared by the IndexedDB tests: uniquely named databases that are closed and deleted when
// the test ends, promises for requests and transactions, and cursor iteration.
// Every helper that registers a cleanup must be used from a promise_test (a cleanup may
// return a promise only there).
"use strict";

let idbNextNameId = 0;

// Calls fn(event) for the next event of `type` at `target` only.
function listenOnce(target, type, fn) {
  const listener = e => {
    target.removeEventListener(type, listener);
    fn(e);
  };
  target.addEventListener(type, listener);
}

// A database name no other test (or earlier run) uses.
function idbName(t) {
  return "idb:" + self.location.pathname + ":" + (t ? t.name : "") + ":" + idbNextNameId++ +
    ":" + Math.random().toString(36).slice(2);
}

// Resolves with request.result on "success", rejects with request.error on "error".
// (The error event is not cancelled: a failed request still aborts its transaction.)
function requestToPromise(request) {
  return new Promise((resolve, reject) => {
    listenOnce(request, "success", () => resolve(request.result));
    listenOnce(request, "error", () => reject(request.error));
  });
}

// Resolves with the next event of `type` at `target`.
function nextEvent(target, type) {
  return new Promise(resolve => listenOnce(target, type, resolve));
}

// Resolves on "complete"; rejects with tx.error (or an Error naming the event) on "abort".
function transactionDone(tx) {
  return new Promise((resolve, reject) => {
    listenOnce(tx, "complete", () => resolve());
    listenOnce(tx, "abort", () => reject(tx.error || new Error("transaction aborted")));
  });
}

// Resolves with the abort event; rejects if the transaction completes instead.
function transactionAborted(tx) {
  return new Promise((resolve, reject) => {
    listenOnce(tx, "abort", resolve);
    listenOnce(tx, "complete", () => reject(new Error("transaction completed")));
  });
}

// Deletes the database `name`. Resolves with the success event (an IDBVersionChangeEvent),
// or with the blocked event if other connections keep it from going ahead (it then finishes
// once they close); rejects with the request's error.
function deleteDb(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = e => resolve(e);
    request.onblocked = e => resolve(e);
    request.onerror = () => reject(request.error);
  });
}

// At the end of the test: close the connection `request` opened (if it did), then delete
// the database `name`.
function cleanupOpenRequest(t, request, name) {
  t.add_cleanup(() => {
    let result;
    try { result = request.result; } catch (e) { /* still pending */ }
    if (result instanceof IDBDatabase) result.close();
    if (name !== undefined) return deleteDb(name).catch(() => {});
  });
}

// Deletes `name` when the test ends.
function cleanupDb(t, name) {
  t.add_cleanup(() => deleteDb(name).catch(() => {}));
}

// Deletes then opens a uniquely named database (options.name overrides) at options.version
// (default 1), calling upgrade(db, transaction, event) from upgradeneeded. Resolves with the
// connection; it is closed and the database deleted when the test ends. If `upgrade`
// throws, the upgrade is aborted and the promise rejects with what it threw.
async function createDb(t, upgrade, options = {}) {
  const name = options.name !== undefined ? options.name : idbName(t);
  const version = options.version !== undefined ? options.version : 1;
  await deleteDb(name);
  return openDb(t, name, version, upgrade);
}

// Opens `name` (at `version` if given), calling upgrade(db, transaction, event) from
// upgradeneeded if that fires. Resolves with the connection, which is closed (and the
// database deleted) when the test ends. Rejects with the open request's error, or with
// what `upgrade` threw.
function openDb(t, name, version, upgrade) {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    cleanupOpenRequest(t, request, name);
    let thrown;
    request.onupgradeneeded = e => {
      try {
        if (upgrade) upgrade(request.result, request.transaction, e);
      } catch (err) {
        thrown = err;
        try { request.transaction.abort(); } catch (ignored) { /* already finished */ }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = e => {
      e.preventDefault();
      reject(thrown !== undefined ? thrown : request.error);
    };
  });
}

// Creates a database with one object store `storeName` (created with `storeOptions`) holding
// `records`, a list of [value, key] pairs (key omitted or undefined: in-line or generated).
async function createDbWithStore(t, storeName, storeOptions, records = []) {
  return createDb(t, db => {
    const store = db.createObjectStore(storeName, storeOptions);
    for (const [value, key] of records) {
      if (key === undefined) store.put(value);
      else store.put(value, key);
    }
  });
}

// Runs fn(request.result) from the request's next success event, while its transaction is
// active. Resolves with what fn returns; rejects with what it throws or the request's error.
function onNextSuccess(request, fn) {
  return new Promise((resolve, reject) => {
    listenOnce(request, "success", () => {
      try {
        resolve(fn(request.result));
      } catch (e) {
        reject(e);
      }
    });
    listenOnce(request, "error", () => reject(request.error));
  });
}

// Iterates the cursor `request` opened to its end, continuing after each step. Resolves with
// the list of map(cursor) for every record it visited.
function collectCursor(request, map = cursor => [cursor.key, cursor.primaryKey]) {
  return new Promise((resolve, reject) => {
    const visited = [];
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) {
        resolve(visited);
        return;
      }
      try {
        visited.push(map(cursor));
        cursor.continue();
      } catch (e) {
        reject(e);
      }
    };
    request.onerror = () => reject(request.error);
  });
}

// Compares two lists of keys (numbers, strings, Dates, ArrayBuffers, arrays of those) with
// indexedDB.cmp(), so that Dates and binary keys compare by value.
function assert_keys_equal(actual, expected, description) {
  assert_equals(indexedDB.cmp(actual, expected), 0,
                (description ? description + ": " : "") + "expected " + keyToString(expected) +
                ", got " + keyToString(actual));
}

function keyToString(key, seen = []) {
  if (typeof key === "symbol") return "Symbol";
  if (Array.isArray(key)) {
    if (seen.includes(key)) return "<cycle>";
    return "[" + Array.from(key, k => keyToString(k, seen.concat([key]))).join(", ") + "]";
  }
  if (key instanceof Date) return "Date(" + key.getTime() + ")";
  if (key instanceof ArrayBuffer) return "Binary(" + Array.from(new Uint8Array(key)) + ")";
  if (ArrayBuffer.isView(key)) {
    return "Binary(" + Array.from(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)) + ")";
  }
  if (typeof key === "string") return JSON.stringify(key);
  if (key !== null && typeof key === "object") return Object.prototype.toString.call(key);
  return String(key);
}
