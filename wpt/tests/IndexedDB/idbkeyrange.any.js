// META: title=IndexedDB: IDBKeyRange only(), lowerBound(), upperBound(), bound(), includes()
// META: global=window,dedicatedworker,sharedworker,serviceworker
// META: script=resources/support.js
// META: timeout=long
"use strict";

function assertRange(range, lower, upper, lowerOpen, upperOpen, label) {
  assert_true(range instanceof IDBKeyRange, label + ": an IDBKeyRange");
  if (lower === undefined) assert_equals(range.lower, undefined, label + ": lower");
  else assert_keys_equal(range.lower, lower, label + ": lower");
  if (upper === undefined) assert_equals(range.upper, undefined, label + ": upper");
  else assert_keys_equal(range.upper, upper, label + ": upper");
  assert_equals(range.lowerOpen, lowerOpen, label + ": lowerOpen");
  assert_equals(range.upperOpen, upperOpen, label + ": upperOpen");
}

test(() => {
  assert_throws_js(TypeError, () => new IDBKeyRange(), "no constructor");
  assert_throws_js(TypeError, () => IDBKeyRange.only(), "a key is required");
  assert_throws_js(TypeError, () => IDBKeyRange.bound(1), "two keys are required");
  const range = IDBKeyRange.only(1);
  assert_not_equals(IDBKeyRange.only(1), range, "[NewObject]");
}, "IDBKeyRange has no constructor; its static methods need their arguments");

test(() => {
  assertRange(IDBKeyRange.only(3), 3, 3, false, false, "only(3)");
  assertRange(IDBKeyRange.only("a"), "a", "a", false, false, "only(\"a\")");
  assertRange(IDBKeyRange.only([1, [2]]), [1, [2]], [1, [2]], false, false, "only(array)");
  const date = new Date(42);
  const range = IDBKeyRange.only(date);
  assert_true(range.lower instanceof Date, "a date bound is a Date");
  assert_equals(range.lower.getTime(), 42);
  const binary = IDBKeyRange.only(new Uint8Array([1, 2]));
  assert_true(binary.lower instanceof ArrayBuffer, "a binary bound is an ArrayBuffer");
  assert_array_equals(Array.from(new Uint8Array(binary.lower)), [1, 2]);
  const array = [1, 2];
  const arrayRange = IDBKeyRange.only(array);
  array.push(3);
  assert_array_equals(arrayRange.lower, [1, 2], "the key was converted when the range was made");
  assert_not_equals(arrayRange.lower, array);
}, "only() makes a closed range with equal bounds");

test(() => {
  assertRange(IDBKeyRange.lowerBound(5), 5, undefined, false, true, "lowerBound(5)");
  assertRange(IDBKeyRange.lowerBound(5, true), 5, undefined, true, true, "lowerBound(5, true)");
  assertRange(IDBKeyRange.lowerBound("x", false), "x", undefined, false, true, "lowerBound(x, false)");
  assertRange(IDBKeyRange.upperBound(5), undefined, 5, true, false, "upperBound(5)");
  assertRange(IDBKeyRange.upperBound(5, true), undefined, 5, true, true, "upperBound(5, true)");
  assertRange(IDBKeyRange.upperBound([]), undefined, [], true, false, "upperBound([])");
}, "lowerBound() and upperBound(): the missing bound is undefined and open");

test(() => {
  assertRange(IDBKeyRange.bound(1, 2), 1, 2, false, false, "bound(1, 2)");
  assertRange(IDBKeyRange.bound(1, 2, true), 1, 2, true, false, "bound(1, 2, true)");
  assertRange(IDBKeyRange.bound(1, 2, false, true), 1, 2, false, true, "bound(1, 2, false, true)");
  assertRange(IDBKeyRange.bound(1, 2, true, true), 1, 2, true, true, "bound(1, 2, true, true)");
  assertRange(IDBKeyRange.bound(1, 1), 1, 1, false, false, "bound(1, 1)");
  assertRange(IDBKeyRange.bound(-Infinity, [[]]), -Infinity, [[]], false, false,
              "bounds of different types");
  assertRange(IDBKeyRange.bound(1, 2, 0, "yes"), 1, 2, false, true, "the flags are booleans");
}, "bound() with each combination of open flags");

test(() => {
  assert_throws_dom("DataError", () => IDBKeyRange.bound(2, 1));
  assert_throws_dom("DataError", () => IDBKeyRange.bound("a", 1), "a string is above every number");
  assert_throws_dom("DataError", () => IDBKeyRange.bound([], "z"));
  assert_throws_dom("DataError", () => IDBKeyRange.bound(new Date(2), new Date(1)));
  assert_throws_dom("DataError", () => IDBKeyRange.bound(2, 1, true, true));
}, "bound() with lower greater than upper throws DataError");

test(() => {
  // IndexedDB 1.0 required this; every engine still throws.
  assert_throws_dom("DataError", () => IDBKeyRange.bound(1, 1, true, false));
  assert_throws_dom("DataError", () => IDBKeyRange.bound(1, 1, false, true));
  assert_throws_dom("DataError", () => IDBKeyRange.bound("a", "a", true, true));
}, "bound() with equal bounds and an open flag throws DataError");

test(() => {
  const cyclic = [];
  cyclic.push(cyclic);
  const invalid = [undefined, null, NaN, true, {}, Symbol("s"), new Date(NaN), [undefined],
                   [NaN], [1, {}], cyclic];
  for (const value of invalid) {
    const label = keyToString(value);
    assert_throws_dom("DataError", () => IDBKeyRange.only(value), "only(" + label + ")");
    assert_throws_dom("DataError", () => IDBKeyRange.lowerBound(value), "lowerBound(" + label + ")");
    assert_throws_dom("DataError", () => IDBKeyRange.upperBound(value), "upperBound(" + label + ")");
    assert_throws_dom("DataError", () => IDBKeyRange.bound(value, 1), "bound(" + label + ", 1)");
    assert_throws_dom("DataError", () => IDBKeyRange.bound(1, value), "bound(1, " + label + ")");
    assert_throws_dom("DataError", () => IDBKeyRange.only(1).includes(value),
                      "includes(" + label + ")");
  }
  assert_throws_js(TypeError, () => IDBKeyRange.only(1).includes(), "includes() needs a key");
}, "Invalid keys throw DataError from every method");

test(() => {
  const closed = IDBKeyRange.bound(2, 5);
  assert_false(closed.includes(1));
  assert_true(closed.includes(2));
  assert_true(closed.includes(3.5));
  assert_true(closed.includes(5));
  assert_false(closed.includes(5.0001));
  assert_false(closed.includes("3"), "a string is above every number");

  const open = IDBKeyRange.bound(2, 5, true, true);
  assert_false(open.includes(2));
  assert_true(open.includes(2.5));
  assert_false(open.includes(5));

  assert_true(IDBKeyRange.only("a").includes("a"));
  assert_false(IDBKeyRange.only("a").includes("A"));
  assert_true(IDBKeyRange.only([1, "a"]).includes([1, "a"]));
  assert_false(IDBKeyRange.only([1, "a"]).includes([1, "a", 0]));

  const lower = IDBKeyRange.lowerBound(10, true);
  assert_false(lower.includes(10));
  assert_true(lower.includes(Infinity));
  assert_true(lower.includes(new Date(0)), "dates are above every number");
  assert_true(lower.includes([]), "arrays are above everything");

  const upper = IDBKeyRange.upperBound("m");
  assert_true(upper.includes(-Infinity));
  assert_true(upper.includes(new Date(1e12)));
  assert_true(upper.includes("m"));
  assert_false(upper.includes("ma"));
  assert_false(upper.includes(new Uint8Array([0])), "binary is above every string");

  const mixed = IDBKeyRange.bound(1, "a");
  assert_true(mixed.includes(new Date(5)));
  assert_true(mixed.includes(""));
  assert_false(mixed.includes("b"));
}, "includes() tests a key against the bounds and open flags");
