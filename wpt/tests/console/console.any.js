// META: title=The console namespace (Console Standard §1)
// META: global=window,worker
"use strict";

test(() => {
  const d = Object.getOwnPropertyDescriptor(self, "console");
  assert_true(d.writable && !d.enumerable && d.configurable, "console property");
  assert_equals(Object.getPrototypeOf(console), Object.getPrototypeOf({}) === null ? null :
    Object.getPrototypeOf(console), "an object");
  assert_equals(typeof console, "object");
  assert_equals(console[Symbol.toStringTag], "console");
  assert_throws_js(TypeError, () => new console.log(), "operations are not constructors");
}, "console is a namespace object");

test(() => {
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "assert", "dir",
                      "table", "group", "groupEnd", "count", "countReset", "time", "timeEnd"]) {
    assert_equals(typeof console[name], "function", name);
    const d = Object.getOwnPropertyDescriptor(console, name);
    assert_true(d.writable && d.enumerable && d.configurable, name + " is a regular operation");
  }
}, "console's operations");

test(() => {
  assert_equals(console.log("a", 1, { b: 2 }, Symbol("s")), undefined);
  assert_equals(console.assert(true, "never printed"), undefined);
  assert_equals(console.assert(false), undefined);
  const cyclic = {}; cyclic.self = cyclic;
  console.log(cyclic);
  console.error(new Error("printed, not thrown"));
}, "Logging any values never throws");
