// META: title=IndexedDB: IDBFactory open(), deleteDatabase(), databases(), cmp(); versionchange and blocked
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

test(() => {
  assert_true(self.indexedDB instanceof IDBFactory);
  assert_equals(self.indexedDB, self.indexedDB, "[SameObject]");
  assert_throws_js(TypeError, () => new IDBFactory(), "no constructor");
  assert_throws_js(TypeError, () => indexedDB.open(), "the name is required");
}, "indexedDB is an IDBFactory");

promise_test(async t => {
  const name = idbName(t);
  await deleteDb(name);
  const request = indexedDB.open(name);
  cleanupOpenRequest(t, request, name);
  assert_true(request instanceof IDBOpenDBRequest);
  assert_equals(request.readyState, "pending");
  assert_equals(request.source, null, "an open request has no source");
  assert_equals(request.transaction, null, "no transaction before upgradeneeded");
  assert_throws_dom("InvalidStateError", () => request.result, "result while pending");
  assert_throws_dom("InvalidStateError", () => request.error, "error while pending");

  const events = [];
  await new Promise((resolve, reject) => {
    request.onupgradeneeded = t.step_func(e => {
      events.push("upgradeneeded");
      assert_true(e instanceof IDBVersionChangeEvent);
      assert_equals(e.oldVersion, 0, "oldVersion");
      assert_equals(e.newVersion, 1, "newVersion");
      assert_false(e.bubbles, "bubbles");
      assert_false(e.cancelable, "cancelable");
      assert_equals(e.target, request);
      assert_equals(request.readyState, "done");
      assert_true(request.result instanceof IDBDatabase);
      assert_equals(request.result.version, 1, "the connection's version during the upgrade");
      assert_true(request.transaction instanceof IDBTransaction);
      assert_equals(request.transaction.mode, "versionchange");
      assert_equals(request.transaction.db, request.result);
    });
    request.onsuccess = t.step_func(e => {
      events.push("success");
      assert_equals(e.constructor, Event, "a plain Event");
      assert_false(e.bubbles);
      assert_false(e.cancelable);
      resolve();
    });
    request.onerror = () => reject(request.error);
  });
  assert_array_equals(events, ["upgradeneeded", "success"]);
  const db = request.result;
  assert_true(db instanceof IDBDatabase);
  assert_equals(db.name, name);
  assert_equals(db.version, 1);
  assert_equals(request.error, null);
  assert_equals(request.transaction, null, "the upgrade transaction is gone after success");
}, "open() of a new database: upgradeneeded (oldVersion 0, newVersion 1), then success with an IDBDatabase");

promise_test(async t => {
  const name = idbName(t);
  const first = await createDb(t, db => db.createObjectStore("s"), { name, version: 3 });
  first.close();
  const request = indexedDB.open(name);
  cleanupOpenRequest(t, request);
  request.onupgradeneeded = t.unreached_func("no upgrade without a higher version");
  const db = await requestToPromise(request);
  assert_equals(db.version, 3);
  assert_array_equals(Array.from(db.objectStoreNames), ["s"]);
}, "open() without a version opens the existing database at its version");

promise_test(async t => {
  const name = idbName(t);
  const first = await createDb(t, undefined, { name, version: 2 });
  first.close();
  let upgrade;
  const request = indexedDB.open(name, 7);
  cleanupOpenRequest(t, request);
  request.onupgradeneeded = e => { upgrade = e; };
  const db = await requestToPromise(request);
  assert_equals(upgrade.oldVersion, 2);
  assert_equals(upgrade.newVersion, 7);
  assert_equals(db.version, 7);
  const again = indexedDB.open(name, 7);
  cleanupOpenRequest(t, again);
  again.onupgradeneeded = t.unreached_func("same version: no upgrade");
  assert_equals((await requestToPromise(again)).version, 7);
}, "open() with a higher version upgrades from the stored version; the same version does not");

promise_test(async t => {
  const name = idbName(t);
  cleanupDb(t, name);
  for (const bad of [0, -1, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64, 0.5, "one"]) {
    assert_throws_js(TypeError, () => indexedDB.open(name, bad), "version " + String(bad));
  }
  const databases = await indexedDB.databases();
  assert_false(databases.some(info => info.name === name), "nothing was created");

  const request = indexedDB.open(name, 2 ** 53 - 1);
  cleanupOpenRequest(t, request);
  let newVersion;
  request.onupgradeneeded = e => { newVersion = e.newVersion; };
  const db = await requestToPromise(request);
  assert_equals(newVersion, 2 ** 53 - 1);
  assert_equals(db.version, 2 ** 53 - 1, "the largest [EnforceRange] unsigned long long");
}, "open() version: 0, negative, NaN, infinite, above 2^53-1 throw TypeError; 2^53-1 is accepted");

promise_test(async t => {
  const name = idbName(t);
  const request = indexedDB.open(name, 2.9);
  cleanupOpenRequest(t, request, name);
  const db = await requestToPromise(request);
  assert_equals(db.version, 2, "[EnforceRange] truncates");
}, "open() truncates a fractional version");

promise_test(async t => {
  const name = idbName(t);
  const first = await createDb(t, undefined, { name, version: 5 });
  first.close();
  const request = indexedDB.open(name, 4);
  cleanupOpenRequest(t, request);
  request.onupgradeneeded = t.unreached_func("no upgradeneeded");
  request.onsuccess = t.unreached_func("no success");
  const e = await nextEvent(request, "error");
  assert_equals(e.constructor, Event);
  assert_true(e.bubbles, "bubbles");
  assert_true(e.cancelable, "cancelable");
  assert_equals(e.target, request);
  assert_equals(request.readyState, "done");
  assert_true(request.error instanceof DOMException);
  assert_equals(request.error.name, "VersionError");
  assert_equals(request.result, undefined);
}, "open() with a lower version than the database's fails with VersionError");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, db => db.createObjectStore("s"), { name, version: 3 });
  db.close();
  const request = indexedDB.deleteDatabase(name);
  assert_true(request instanceof IDBOpenDBRequest);
  assert_equals(request.source, null);
  const e = await nextEvent(request, "success");
  assert_true(e instanceof IDBVersionChangeEvent);
  assert_equals(e.oldVersion, 3, "oldVersion");
  assert_equals(e.newVersion, null, "newVersion");
  assert_equals(request.result, undefined);
  assert_equals(request.error, null);

  const databases = await indexedDB.databases();
  assert_false(databases.some(info => info.name === name), "databases() no longer lists it");

  const reopen = indexedDB.open(name);
  cleanupOpenRequest(t, reopen, name);
  let oldVersion;
  reopen.onupgradeneeded = e => { oldVersion = e.oldVersion; };
  const fresh = await requestToPromise(reopen);
  assert_equals(oldVersion, 0, "the database is created anew");
  assert_equals(fresh.objectStoreNames.length, 0);
}, "deleteDatabase(): success is an IDBVersionChangeEvent (oldVersion, newVersion null); the data is gone");

promise_test(async t => {
  const name = idbName(t);
  const e = await deleteDb(name);
  assert_equals(e.type, "success");
  assert_equals(e.oldVersion, 0);
  assert_equals(e.newVersion, null);
}, "deleteDatabase() of a database that does not exist succeeds with oldVersion 0");

promise_test(async t => {
  const nameA = idbName(t);
  const nameB = idbName(t);
  const a = await createDb(t, undefined, { name: nameA, version: 4 });
  await createDb(t, undefined, { name: nameB });
  const promise = indexedDB.databases();
  assert_true(promise instanceof Promise);
  const list = await promise;
  assert_true(Array.isArray(list));
  const infoA = list.find(info => info.name === nameA);
  const infoB = list.find(info => info.name === nameB);
  assert_not_equals(infoA, undefined, "lists the first database");
  assert_not_equals(infoB, undefined, "lists the second database");
  assert_equals(infoA.version, 4);
  assert_equals(infoB.version, 1);
  assert_array_equals(Object.keys(infoA).sort(), ["name", "version"]);

  a.close();
  await deleteDb(nameA);
  const after = await indexedDB.databases();
  assert_false(after.some(info => info.name === nameA), "not listed after deletion");
  assert_true(after.some(info => info.name === nameB));
}, "databases() lists name and version of each database, not deleted ones");

test(() => {
  assert_equals(indexedDB.cmp(1, 2), -1);
  assert_equals(indexedDB.cmp(2, 1), 1);
  assert_equals(indexedDB.cmp(1, 1), 0);
  assert_equals(indexedDB.cmp(-0, 0), 0, "-0 equals 0");
  assert_equals(indexedDB.cmp(new Date(5), new Date(5)), 0, "dates by time value");
  assert_equals(indexedDB.cmp("abc", "abc"), 0);
  assert_equals(indexedDB.cmp([1, "a"], [1, "a"]), 0);
  assert_equals(indexedDB.cmp(new Uint8Array([1, 2]), new Uint8Array([1, 2]).buffer), 0,
                "a view and a buffer with the same bytes");
  assert_equals(indexedDB.cmp(new Int8Array([-1]), new Uint8Array([255])), 0,
                "bytes compare unsigned");
  assert_equals(indexedDB.cmp(new DataView(new Uint8Array([7]).buffer), new Uint8Array([7])), 0);
  assert_equals(indexedDB.cmp(5, new Date(5)), -1, "a number and a date never equal");
  assert_throws_js(TypeError, () => indexedDB.cmp(1), "two arguments are required");
}, "cmp() returns -1, 0 or 1; equal keys of the same type compare 0");

test(() => {
  const ordered = [
    -Infinity, -1e10, -1, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 1, 1e10, Infinity,
    new Date(-1e10), new Date(0), new Date(1e10),
    "", "A", "a", "aa", "b", "\u00e9", "\ud800", "\uffff",
    new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 0]), new Uint8Array([1]),
    new Uint8Array([127]), new Uint8Array([128]), new Uint8Array([255]),
    [], [-Infinity], [0], [0, 0], [0, "a"], [1], [new Date(0)], ["a"], [new Uint8Array([0])],
    [[]], [[0]], [[0], 0], [[1]],
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const expected = i < j ? -1 : i > j ? 1 : 0;
      assert_equals(indexedDB.cmp(ordered[i], ordered[j]), expected,
                    `cmp(${keyToString(ordered[i])}, ${keyToString(ordered[j])})`);
    }
  }
}, "cmp() orders numbers < dates < strings (code units) < binary (bytes) < arrays (element-wise, then length)");

test(() => {
  const cyclic = [1];
  cyclic.push(cyclic);
  const sparse = [1, , 3];
  const invalid = [
    undefined, null, NaN, true, {}, { length: 0 }, /re/, Symbol("s"), () => {},
    new Date(NaN), [undefined], [1, null], [NaN], [{}], [new Date(NaN)], [[[{}]]],
    cyclic, sparse,
  ];
  for (const value of invalid) {
    const label = keyToString(value);
    assert_throws_dom("DataError", () => indexedDB.cmp(value, 1), "first: " + label);
    assert_throws_dom("DataError", () => indexedDB.cmp(1, value), "second: " + label);
  }
  const detached = new ArrayBuffer(4);
  structuredClone(detached, { transfer: [detached] });
  assert_throws_dom("DataError", () => indexedDB.cmp(detached, 1), "a detached buffer");
}, "cmp() throws DataError for values that are not valid keys");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, undefined, { name });
  const events = [];
  db.onversionchange = t.step_func(e => {
    events.push("versionchange");
    assert_true(e instanceof IDBVersionChangeEvent);
    assert_equals(e.target, db);
    assert_equals(e.oldVersion, 1);
    assert_equals(e.newVersion, 2);
    db.close();
  });
  const request = indexedDB.open(name, 2);
  cleanupOpenRequest(t, request);
  request.onblocked = () => events.push("blocked");
  request.onupgradeneeded = () => events.push("upgradeneeded");
  const db2 = await requestToPromise(request);
  events.push("success");
  assert_array_equals(events, ["versionchange", "upgradeneeded", "success"],
                      "closing in versionchange leaves nothing to block on");
  assert_equals(db2.version, 2);
  assert_equals(db.version, 1, "the closed connection keeps its version");
}, "An open connection gets versionchange when another open() asks for a higher version; closing it avoids blocked");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, undefined, { name });
  const events = [];
  db.onversionchange = () => events.push("versionchange");
  const request = indexedDB.open(name, 2);
  cleanupOpenRequest(t, request);
  request.onblocked = t.step_func(e => {
    events.push("blocked");
    assert_true(e instanceof IDBVersionChangeEvent);
    assert_equals(e.oldVersion, 1);
    assert_equals(e.newVersion, 2);
    assert_equals(request.readyState, "pending");
    // Let the request wait a little before unblocking it.
    t.step_timeout(() => {
      events.push("close");
      db.close();
    }, 50);
  });
  request.onupgradeneeded = () => events.push("upgradeneeded");
  await requestToPromise(request);
  events.push("success");
  assert_array_equals(events, ["versionchange", "blocked", "close", "upgradeneeded", "success"]);
}, "open() of a higher version is blocked until an open connection that ignores versionchange closes");

promise_test(async t => {
  const name = idbName(t);
  const db = await createDb(t, undefined, { name, version: 3 });
  const events = [];
  db.onversionchange = t.step_func(e => {
    events.push("versionchange");
    assert_equals(e.oldVersion, 3);
    assert_equals(e.newVersion, null, "null for a deletion");
  });
  const request = indexedDB.deleteDatabase(name);
  request.onblocked = t.step_func(e => {
    events.push("blocked");
    assert_equals(e.oldVersion, 3);
    assert_equals(e.newVersion, null);
    db.close();
  });
  const success = await nextEvent(request, "success");
  events.push("success");
  assert_equals(success.oldVersion, 3);
  assert_array_equals(events, ["versionchange", "blocked", "success"]);
}, "deleteDatabase() with an open connection: versionchange (newVersion null), blocked, then success once it closes");
