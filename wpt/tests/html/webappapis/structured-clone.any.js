// META: title=structuredClone() (HTML §2.7 structured serialization)
// META: global=window,worker
"use strict";

test(() => {
  for (const v of [undefined, null, true, false, 0, -0, 1.5, NaN, Infinity, "", "str", "\uD800", 10n]) {
    assert_true(Object.is(structuredClone(v), v), String(v));
  }
}, "Primitives");

test(() => {
  const b = structuredClone(new Boolean(false));
  assert_equals(typeof b, "object");
  assert_equals(b.valueOf(), false);
  assert_equals(structuredClone(new Number(5)).valueOf(), 5);
  assert_equals(structuredClone(new String("s")).valueOf(), "s");
  assert_equals(structuredClone(Object(7n)).valueOf(), 7n);
  const d = new Date(1234567);
  const dc = structuredClone(d);
  assert_true(dc instanceof Date);
  assert_not_equals(dc, d);
  assert_equals(dc.getTime(), 1234567);
  const r = structuredClone(/ab+c/gi);
  assert_true(r instanceof RegExp);
  assert_equals(r.source, "ab+c");
  assert_equals(r.flags, "gi");
  assert_equals(r.lastIndex, 0);
}, "Wrapper objects, Date and RegExp");

test(() => {
  const o = { a: 1, nested: { b: [1, 2, { c: "d" }] } };
  Object.defineProperty(o, "hidden", { value: 1, enumerable: false });
  o[Symbol("s")] = 1;
  const c = structuredClone(o);
  assert_not_equals(c, o);
  assert_equals(JSON.stringify(c), '{"a":1,"nested":{"b":[1,2,{"c":"d"}]}}');
  assert_false("hidden" in c, "non-enumerable properties are not copied");
  assert_equals(Object.getOwnPropertySymbols(c).length, 0, "symbol keys are not copied");
  const arr = [1, , 3];
  arr.extra = "x";
  const ac = structuredClone(arr);
  assert_true(Array.isArray(ac));
  assert_equals(ac.length, 3);
  assert_false(1 in ac, "holes stay holes");
  assert_equals(ac.extra, "x", "extra properties of arrays");
  class K { constructor() { this.x = 1; } }
  assert_equals(Object.getPrototypeOf(structuredClone(new K())), Object.prototype, "prototypes are not kept");
}, "Objects and arrays");

test(() => {
  const shared = { s: 1 };
  const o = { a: shared, b: shared };
  o.self = o;
  const c = structuredClone(o);
  assert_equals(c.a, c.b, "shared references stay shared");
  assert_equals(c.self, c, "cycles");
  const m = new Map([[1, "one"], [{ k: 1 }, new Set([1, 2])]]);
  m.set("me", m);
  const mc = structuredClone(m);
  assert_true(mc instanceof Map);
  assert_equals(mc.get(1), "one");
  assert_equals(mc.get("me"), mc);
  const [, setValue] = [...mc.values()];
  assert_true(setValue instanceof Set);
  assert_array_equals([...setValue], [1, 2]);
}, "Shared references, cycles, Map and Set");

test(() => {
  const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
  const view = new Uint8Array(buffer, 1, 2);
  const dv = new DataView(buffer, 2);
  const c = structuredClone({ buffer, view, dv, f: new Float64Array([1.5]) });
  assert_true(c.buffer instanceof ArrayBuffer);
  assert_array_equals(new Uint8Array(c.buffer), [1, 2, 3, 4]);
  assert_equals(c.view.buffer, c.buffer, "a view and its buffer stay together");
  assert_equals(c.view.byteOffset, 1);
  assert_array_equals(c.view, [2, 3]);
  assert_true(c.dv instanceof DataView);
  assert_equals(c.dv.getUint8(0), 3);
  assert_equals(c.f[0], 1.5);
  assert_equals(buffer.byteLength, 4, "copied, not moved");
}, "ArrayBuffers and views");

test(() => {
  const buffer = new Uint8Array([9, 8]).buffer;
  const c = structuredClone(buffer, { transfer: [buffer] });
  assert_array_equals(new Uint8Array(c), [9, 8]);
  assert_equals(buffer.byteLength, 0, "the source is detached");
  assert_throws_dom("DataCloneError", () => structuredClone(buffer, { transfer: [buffer] }),
    "a detached buffer cannot be transferred");
  const b2 = new ArrayBuffer(1);
  assert_throws_dom("DataCloneError", () => structuredClone(b2, { transfer: [b2, b2] }), "listed twice");
  assert_throws_dom("DataCloneError", () => structuredClone(1, { transfer: [{}] }), "not transferable");
}, "Transferring ArrayBuffers");

test(() => {
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
    const c = structuredClone(new E("msg"));
    assert_true(c instanceof E, E.name);
    assert_equals(c.message, "msg");
  }
  const custom = new Error("x");
  custom.name = "CustomError";
  assert_equals(structuredClone(custom).name, "Error", "unknown names become Error");
  const noMessage = structuredClone(new TypeError());
  assert_false(Object.prototype.hasOwnProperty.call(noMessage, "message"));
}, "Errors");

promise_test(async () => {
  const blob = structuredClone(new Blob(["abc"], { type: "text/x" }));
  assert_true(blob instanceof Blob);
  assert_equals(blob.type, "text/x");
  assert_equals(await blob.text(), "abc");
  const file = structuredClone(new File(["z"], "n.txt", { lastModified: 5 }));
  assert_true(file instanceof File);
  assert_equals(file.name, "n.txt");
  assert_equals(file.lastModified, 5);
  const e = structuredClone(new DOMException("m", "AbortError"));
  assert_true(e instanceof DOMException);
  assert_equals(e.name, "AbortError");
  assert_equals(e.code, 20);
}, "Serializable platform objects");

test(() => {
  for (const [what, v] of [["a function", () => 1], ["a symbol", Symbol()], ["a promise", Promise.resolve()],
                           ["a WeakMap", new WeakMap()], ["an EventTarget", new EventTarget()],
                           ["a nested function", { f() {} }], ["a Headers", new Headers()]]) {
    assert_throws_dom("DataCloneError", () => structuredClone(v), what);
  }
  assert_throws_js(TypeError, () => structuredClone(), "a value is required");
}, "Values that cannot be cloned");
