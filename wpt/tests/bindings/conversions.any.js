// META: title=WebIDL argument conversion, seen through the DOM's constructors (WebIDL §3.2)
// META: global=window,worker
"use strict";

test(() => {
  assert_throws_js(TypeError, () => new Event(), "a required argument is missing");
  assert_throws_js(TypeError, () => new Event(Symbol("x")), "Symbol to DOMString");
  assert_equals(new Event(123).type, "123", "ToString");
  assert_equals(new Event(null).type, "null");
  assert_equals(new Event(undefined).type, "undefined");
  assert_equals(new Event({ toString() { return "custom"; } }).type, "custom");
  assert_throws_js(RangeError, () => new Event({ toString() { throw new RangeError("from toString"); } }),
    "an exception from toString propagates");
}, "DOMString arguments");

test(() => {
  assert_true(new Event("x", { bubbles: 1 }).bubbles, "truthy number");
  assert_false(new Event("x", { bubbles: "" }).bubbles, "empty string");
  assert_true(new Event("x", { cancelable: {} }).cancelable, "object");
  assert_false(new Event("x", {}).bubbles, "default false");
  assert_false(new Event("x", undefined).bubbles, "undefined dictionary");
  assert_false(new Event("x", null).bubbles, "null dictionary");
  assert_throws_js(TypeError, () => new Event("x", 5), "a number is not a dictionary");
  assert_throws_js(TypeError, () => new Event("x", "str"), "a string is not a dictionary");
}, "Dictionary arguments and boolean members");

test(() => {
  const seen = [];
  const init = {};
  for (const key of ["bubbles", "cancelable", "composed"]) {
    Object.defineProperty(init, key, { get() { seen.push(key); return false; } });
  }
  new Event("x", init);
  // Dictionary members are read in lexicographical order.
  assert_array_equals(seen, ["bubbles", "cancelable", "composed"]);
}, "Dictionary members are read in order, each once");

test(() => {
  const detail = { a: 1 };
  assert_equals(new CustomEvent("x", { detail }).detail, detail, "any keeps the object");
  assert_equals(new CustomEvent("x").detail, null, "the default is null");
}, "any members");

test(() => {
  assert_throws_js(TypeError, () => new QuotaExceededError("", { quota: NaN }), "NaN");
  assert_throws_js(TypeError, () => new QuotaExceededError("", { quota: Infinity }), "Infinity");
  assert_equals(new QuotaExceededError("", { quota: "12" }).quota, 12, "ToNumber");
}, "double (restricted) members");

test(() => {
  const target = new EventTarget();
  let calls = 0;
  const listener = () => calls++;
  target.addEventListener("y", listener, true);
  target.removeEventListener("y", listener, { capture: true });
  target.dispatchEvent(new Event("y"));
  assert_equals(calls, 0, "true and {capture: true} name the same listener");
  target.addEventListener("y", listener, { capture: 0 });
  target.removeEventListener("y", listener, false);
  target.dispatchEvent(new Event("y"));
  assert_equals(calls, 0, "{capture: 0} and false name the same listener");
}, "(AddEventListenerOptions or boolean) unions");

test(() => {
  assert_equals(new Blob(["ab", "c"]).size, 3, "an Array");
  assert_equals(new Blob(new Set(["ab", "c"])).size, 3, "any iterable");
  const own = ["a"];
  own[Symbol.iterator] = function* () { yield "xyz"; };
  assert_equals(new Blob(own).size, 3, "an Array's own @@iterator");

  const values = Array.prototype[Symbol.iterator];
  Array.prototype[Symbol.iterator] = function* () { yield "wxyz"; };
  try {
    assert_equals(new Blob(["a"]).size, 4, "a replaced Array.prototype[@@iterator]");
  } finally {
    Array.prototype[Symbol.iterator] = values;
  }

  const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
  const next = ArrayIteratorPrototype.next;
  let calls = 0;
  ArrayIteratorPrototype.next = function () { calls++; return next.call(this); };
  try {
    assert_equals(new Blob(["ab", "c"]).size, 3);
    assert_equals(calls, 3, "a replaced %ArrayIteratorPrototype%.next runs once per step");
  } finally {
    ArrayIteratorPrototype.next = next;
  }
  const d = Object.getOwnPropertyDescriptor(ArrayIteratorPrototype, "next");
  let gets = 0;
  Object.defineProperty(ArrayIteratorPrototype, "next", {
    get() { gets++; return next; }, configurable: true,
  });
  try {
    assert_equals(new Blob(["ab", "c"]).size, 3);
    assert_equals(gets, 1, "`next` is got once per conversion");
  } finally {
    Object.defineProperty(ArrayIteratorPrototype, "next", d);
  }
}, "Sequence arguments use the iterator protocol, replaced parts included");

test(() => {
  const grows = ["a"];
  Object.defineProperty(grows, 0, { get() { grows.push("bc"); return "a"; } });
  assert_equals(new Blob(grows).size, 3, "an element added while iterating is seen");
  const shrinks = ["a", "b", "c"];
  Object.defineProperty(shrinks, 0, { get() { shrinks.length = 1; return "a"; } });
  assert_equals(new Blob(shrinks).size, 1, "the length is read at every step");
  Array.prototype[1] = "xy";
  try {
    assert_equals(new Blob(["a", , "b"]).size, 4, "a hole reads Array.prototype");
  } finally {
    delete Array.prototype[1];
  }
}, "Sequence arguments from an Array read its length and elements as its iterator does");

test(() => {
  // A sparse Array of length 2^32 - 1 (or an endless iterator) is not converted until
  // memory runs out: past the supported length a sequence conversion throws a RangeError.
  const huge = [];
  huge.length = 2 ** 32 - 1;
  assert_throws_js(RangeError, () => new Blob(huge));
  const endless = { *[Symbol.iterator]() { for (;;) yield "x"; } };
  assert_throws_js(RangeError, () => new Blob(endless));
  // Ordinary lengths are fine.
  assert_equals(new Blob(new Array(1000).fill("ab")).size, 2000);
}, "sequences past the supported length throw a RangeError instead of exhausting memory");
