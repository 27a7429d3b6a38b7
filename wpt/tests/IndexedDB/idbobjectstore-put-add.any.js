// META: title=IndexedDB: IDBObjectStore put(), add(), key paths, key generators, structured clone
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const value = { name: "first" };
  const put = store.put(value, 1);
  assert_true(put instanceof IDBRequest);
  const add = store.add("second", "b");
  const replace = store.put({ name: "replaced" }, 1);
  const dateKey = store.put("dated", new Date(10));
  const arrayKey = store.put("array", [1, "x"]);
  const results = await Promise.all([put, add, replace, dateKey, arrayKey].map(requestToPromise));
  assert_equals(results[0], 1, "put() results in the key");
  assert_equals(results[1], "b", "add() results in the key");
  assert_equals(results[2], 1);
  assert_true(results[3] instanceof Date, "a date key comes back as a Date");
  assert_equals(results[3].getTime(), 10);
  assert_array_equals(results[4], [1, "x"]);
  await transactionDone(tx);

  const read = db.transaction("s").objectStore("s");
  const got = await Promise.all([read.get(1), read.get("b"), read.get(new Date(10)),
                                 read.get([1, "x"]), read.count()].map(requestToPromise));
  assert_equals(got[0].name, "replaced", "put() replaces the record with the same key");
  assert_not_equals(got[0], value);
  assert_equals(got[1], "second");
  assert_equals(got[2], "dated");
  assert_equals(got[3], "array");
  assert_equals(got[4], 4);
}, "put() and add() with out-of-line keys; put() replaces an existing record");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("flat", { keyPath: "id" });
    db.createObjectStore("nested", { keyPath: "a.b" });
    db.createObjectStore("compound", { keyPath: ["x", "y.z"] });
  });
  const tx = db.transaction(["flat", "nested", "compound"], "readwrite");
  const flat = tx.objectStore("flat");
  const nested = tx.objectStore("nested");
  const compound = tx.objectStore("compound");
  const keys = await Promise.all([
    flat.put({ id: 5, v: "five" }),
    flat.add({ id: "s", v: "string" }),
    nested.put({ a: { b: [1, 2] } }),
    compound.put({ x: 1, y: { z: "q" } }),
  ].map(requestToPromise));
  assert_equals(keys[0], 5);
  assert_equals(keys[1], "s");
  assert_array_equals(keys[2], [1, 2]);
  assert_array_equals(keys[3], [1, "q"]);
  assert_throws_dom("DataError", () => flat.put({ id: 6 }, 6),
                    "a key argument with in-line keys");
  assert_throws_dom("DataError", () => flat.add({ id: 6 }, 7));
  await transactionDone(tx);
  const got = await requestToPromise(db.transaction("compound").objectStore("compound").get([1, "q"]));
  assert_equals(got.y.z, "q");
}, "put() and add() with in-line keys take the key from the value's key path");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("flat", { keyPath: "id" });
    db.createObjectStore("nested", { keyPath: "a.b" });
    db.createObjectStore("compound", { keyPath: ["x", "y"] });
  });
  const tx = db.transaction(["flat", "nested", "compound"], "readwrite");
  const flat = tx.objectStore("flat");
  assert_throws_dom("DataError", () => flat.put({ other: 1 }), "no such property");
  assert_throws_dom("DataError", () => flat.put({ id: undefined }), "undefined property");
  assert_throws_dom("DataError", () => flat.put({ id: null }), "null is not a key");
  assert_throws_dom("DataError", () => flat.put({ id: NaN }));
  assert_throws_dom("DataError", () => flat.put({ id: {} }));
  assert_throws_dom("DataError", () => flat.put({ id: true }));
  assert_throws_dom("DataError", () => flat.put("a string"), "a primitive has no id");
  assert_throws_dom("DataError", () => flat.put(Object.create({ id: 1 })),
                    "inherited properties do not count");
  const nested = tx.objectStore("nested");
  assert_throws_dom("DataError", () => nested.put({ a: 1 }));
  assert_throws_dom("DataError", () => nested.put({ a: { c: 1 } }));
  const compound = tx.objectStore("compound");
  assert_throws_dom("DataError", () => compound.put({ x: 1 }), "one member missing");
  assert_throws_dom("DataError", () => compound.put({ x: 1, y: {} }));
  const ok = requestToPromise(flat.put({ id: 1 }));
  assert_equals(await ok, 1, "the transaction is still usable");
  await transactionDone(tx);
}, "A key path that does not yield a valid key from the value throws DataError");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("a", { autoIncrement: true });
    db.createObjectStore("b", { autoIncrement: true });
  });
  const tx = db.transaction(["a", "b"], "readwrite");
  const a = tx.objectStore("a");
  const b = tx.objectStore("b");
  const requests = [
    a.put("one"), a.put("two"), a.add("three"),
    b.put("b-one"),
    a.put("ten", 10), a.put("eleven"),
    a.put("five", 5), a.put("twelve"),
    a.put("float", 20.5), a.put("twenty-one"),
    a.put("string key", "100"), a.put("date key", new Date(500)), a.put("array key", [1000]),
    a.put("negative", -7), a.put("twenty-two"),
    b.put("b-two"),
  ];
  const keys = await Promise.all(requests.map(requestToPromise));
  assert_equals(keys[0], 1);
  assert_equals(keys[1], 2);
  assert_equals(keys[2], 3);
  assert_equals(keys[3], 1, "each store has its own generator");
  assert_equals(keys[4], 10);
  assert_equals(keys[5], 11, "an explicit numeric key above the current number raises it");
  assert_equals(keys[7], 12, "a lower explicit key does not lower it");
  assert_equals(keys[8], 20.5);
  assert_equals(keys[9], 21, "a fractional key raises it to floor(key) + 1");
  assert_equals(keys[14], 22, "string, date, array and negative keys do not change it");
  assert_equals(keys[15], 2);
  await transactionDone(tx);
}, "autoIncrement generates 1, 2, 3...; explicit numeric keys bump the generator");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s", { autoIncrement: true }));
  let tx = db.transaction("s", "readwrite");
  let store = tx.objectStore("s");
  const first = requestToPromise(store.put("a"));
  store.delete(1);
  const second = requestToPromise(store.put("b"));
  store.clear();
  const third = requestToPromise(store.put("c"));
  assert_array_equals(await Promise.all([first, second, third]), [1, 2, 3],
                      "delete() and clear() do not reset the generator");
  await transactionDone(tx);

  tx = db.transaction("s", "readwrite");
  store = tx.objectStore("s");
  store.put("x");
  store.put("y", 100);
  tx.abort();
  await transactionAborted(tx);
  tx = db.transaction("s", "readwrite");
  const afterAbort = await requestToPromise(tx.objectStore("s").put("d"));
  assert_equals(afterAbort, 4, "an aborted transaction's generator changes are rolled back");
}, "The key generator is not reset by delete()/clear() and is rolled back by abort");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("flat", { keyPath: "id", autoIncrement: true });
    db.createObjectStore("nested", { keyPath: "a.b.c", autoIncrement: true });
  });
  const tx = db.transaction(["flat", "nested"], "readwrite");
  const flat = tx.objectStore("flat");
  const nested = tx.objectStore("nested");
  const value = { v: "one" };
  const keys = await Promise.all([
    flat.put(value), flat.put({ id: 7, v: "seven" }), flat.put({ v: "eight" }),
    nested.put({}), nested.put({ a: { other: true } }),
  ].map(requestToPromise));
  assert_array_equals(keys, [1, 7, 8, 1, 2]);
  assert_false("id" in value, "the key is injected into the stored clone, not the argument");
  assert_throws_dom("DataError", () => flat.put("primitive"), "no object to inject into");
  assert_throws_dom("DataError", () => nested.put({ a: 1 }), "cannot inject below a number");
  assert_throws_dom("DataError", () => flat.put({ v: 1 }, 1), "a key argument with in-line keys");
  await transactionDone(tx);

  const read = db.transaction(["flat", "nested"]);
  const got = await Promise.all([
    read.objectStore("flat").get(1), read.objectStore("flat").get(8),
    read.objectStore("nested").get(1), read.objectStore("nested").get(2),
  ].map(requestToPromise));
  assert_equals(got[0].id, 1, "the generated key is in the value");
  assert_equals(got[0].v, "one");
  assert_equals(got[1].id, 8);
  assert_equals(got[2].a.b.c, 1, "missing objects on the path are created");
  assert_equals(got[3].a.b.c, 2);
  assert_true(got[3].a.other, "existing properties stay");
}, "autoIncrement with an in-line key path injects the generated key into the value");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s").put("original", 1));
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  const events = [];
  const add = store.add("duplicate", 1);
  const later = store.put("later", 2);
  add.onsuccess = t.unreached_func("add() of an existing key fails");
  later.onsuccess = () => events.push("later success");
  later.onerror = e => events.push("later error " + later.error.name);
  const errorEvent = new Promise(resolve => {
    add.onerror = e => {
      events.push("add error");
      resolve(e);
    };
  });
  tx.oncomplete = t.unreached_func("the transaction aborts");
  const abort = new Promise(resolve => {
    tx.onabort = e => {
      events.push("abort");
      resolve(e);
    };
  });
  const e = await errorEvent;
  assert_true(e.bubbles);
  assert_true(e.cancelable);
  assert_equals(add.error.name, "ConstraintError");
  assert_equals(add.result, undefined);
  await abort;
  assert_equals(tx.error, add.error, "the transaction's error is the request's error");
  assert_array_equals(events, ["add error", "later error AbortError", "abort"]);
  const value = await requestToPromise(db.transaction("s").objectStore("s").get(1));
  assert_equals(value, "original");
}, "add() of an existing key: error event with ConstraintError, then the transaction aborts with it");

promise_test(async t => {
  const db = await createDb(t, db => {
    db.createObjectStore("s");
    db.createObjectStore("generated", { autoIncrement: true });
  });
  const tx = db.transaction(["s", "generated"], "readwrite");
  const store = tx.objectStore("s");
  const cyclic = [];
  cyclic.push(cyclic);
  for (const key of [null, NaN, {}, true, new Date(NaN), [undefined], [1, {}], cyclic, /x/]) {
    assert_throws_dom("DataError", () => store.put("v", key), "put key " + keyToString(key));
    assert_throws_dom("DataError", () => store.add("v", key), "add key " + keyToString(key));
  }
  assert_throws_dom("DataError", () => store.put("v"), "no key and no key generator");
  assert_throws_dom("DataError", () => tx.objectStore("generated").put("v", NaN),
                    "an explicit key must be valid even with a key generator");
  assert_throws_js(TypeError, () => store.put(), "the value is required");
  assert_equals(await requestToPromise(tx.objectStore("generated").put("v", undefined)), 1,
                "an undefined key counts as not given");
  await transactionDone(tx);
}, "put() and add() with an invalid key throw DataError synchronously");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  const tx = db.transaction("s");
  const store = tx.objectStore("s");
  assert_throws_dom("ReadOnlyError", () => store.put("v", 1));
  assert_throws_dom("ReadOnlyError", () => store.add("v", 1));
  assert_throws_dom("ReadOnlyError", () => store.put("v", NaN),
                    "ReadOnlyError is checked before the key");
  await transactionDone(tx);
  assert_throws_dom("TransactionInactiveError", () => store.put("v", 1),
                    "TransactionInactiveError is checked before ReadOnlyError");
}, "put() and add() in a readonly transaction throw ReadOnlyError");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  const blob = new Blob(["blob contents"], { type: "text/plain" });
  const original = {
    date: new Date(1234567),
    array: [1, "two", [3]],
    map: new Map([["k", { deep: 1 }], [2, "two"]]),
    set: new Set([1, "a"]),
    blob,
    nested: { a: { b: { c: [null, undefined, -0, Infinity] } } },
    bytes: new Uint8Array([1, 2, 255]),
    regexp: /ab+c/gi,
    bigint: 10n,
    string: new String("boxed"),
  };
  original.self = original;
  const tx = db.transaction("s", "readwrite");
  tx.objectStore("s").put(original, 1);
  original.array.push("added after put()");
  await transactionDone(tx);

  const got = await requestToPromise(db.transaction("s").objectStore("s").get(1));
  assert_not_equals(got, original);
  assert_equals(got.self, got, "cycles are preserved");
  assert_true(got.date instanceof Date);
  assert_equals(got.date.getTime(), 1234567);
  assert_equals(got.array.length, 3, "the value was cloned when put() was called");
  assert_array_equals(got.array[2], [3]);
  assert_true(got.map instanceof Map);
  assert_equals(got.map.get("k").deep, 1);
  assert_equals(got.map.get(2), "two");
  assert_true(got.set instanceof Set);
  assert_true(got.set.has("a"));
  assert_equals(got.nested.a.b.c.length, 4);
  assert_equals(got.nested.a.b.c[0], null);
  assert_true(1 in got.nested.a.b.c && got.nested.a.b.c[1] === undefined);
  assert_true(Object.is(got.nested.a.b.c[2], -0), "-0 is kept in values");
  assert_true(got.bytes instanceof Uint8Array);
  assert_array_equals(Array.from(got.bytes), [1, 2, 255]);
  assert_true(got.regexp instanceof RegExp);
  assert_equals(got.regexp.source, "ab+c");
  assert_equals(got.regexp.flags, "gi");
  assert_equals(got.bigint, 10n);
  assert_equals(got.string.valueOf(), "boxed");
  assert_true(got.blob instanceof Blob);
  assert_not_equals(got.blob, blob);
  assert_equals(got.blob.type, "text/plain");
  assert_equals(got.blob.size, 13);
  assert_equals(await got.blob.text(), "blob contents");
}, "Values are stored as structured clones: Date, Array, Map, Set, Blob, typed arrays, nested objects, cycles");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s"));
  const cases = [
    ["a function", store => store.put(() => {}, 1)],
    ["an object with a method", store => store.put({ f() {} }, 2)],
    ["a symbol", store => store.add(Symbol("s"), 3)],
    ["a WeakMap in an array", store => store.put([new WeakMap()], 4)],
  ];
  // (Each in its own transaction: what the failed clone leaves the transaction's state
  // at is not what this test is about.)
  for (const [label, call] of cases) {
    const tx = db.transaction("s", "readwrite");
    assert_throws_dom("DataCloneError", () => call(tx.objectStore("s")), label);
    await new Promise(resolve => { tx.oncomplete = tx.onabort = resolve; });
  }
  const count = await requestToPromise(db.transaction("s").objectStore("s").count());
  assert_equals(count, 0, "nothing was stored");
}, "put() and add() of a value that cannot be cloned throw DataCloneError");

promise_test(async t => {
  const db = await createDb(t, db => db.createObjectStore("s", { keyPath: "id" }));
  const tx = db.transaction("s", "readwrite");
  const store = tx.objectStore("s");
  let getterCalls = 0;
  const value = {
    id: 1,
    get computed() {
      getterCalls++;
      assert_throws_dom("TransactionInactiveError", () => store.put({ id: 2 }),
                        "the transaction is inactive while the value is cloned");
      return "from getter";
    },
  };
  const put = requestToPromise(store.put(value));
  assert_equals(getterCalls, 1, "the value is cloned during put()");
  assert_equals(await put, 1);
  await transactionDone(tx);
  const got = await requestToPromise(db.transaction("s").objectStore("s").getAll());
  assert_equals(got.length, 1, "only the outer put() stored a record");
  assert_equals(got[0].computed, "from getter");
}, "The transaction is inactive while put() clones the value");
