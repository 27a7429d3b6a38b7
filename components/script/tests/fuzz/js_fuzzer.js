// The JS-side fuzzer (issue 16): random calls with random arguments against every
// interface a global exposes. `setUp(seed)` collects the targets once; `batch(n)` makes n
// calls and returns how many it made. Every exception is expected and swallowed: what the
// Rust side checks is that the engine never panics or aborts, and that the global still
// works afterwards.
"use strict";
(() => {
  let s = 0;
  const rand = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  const pick = (a) => a[Math.floor(rand() * a.length)];

  // ECMAScript's own globals: not platform interfaces.
  const BUILTINS = new Set(Object.getOwnPropertyNames(globalThis).filter((n) => [
    "Object", "Function", "Array", "Number", "Boolean", "String", "Symbol", "Date", "RegExp",
    "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError",
    "URIError", "AggregateError", "InternalError", "Map", "Set", "WeakMap", "WeakSet",
    "WeakRef", "FinalizationRegistry", "Promise", "Proxy", "Reflect", "JSON", "Math",
    "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "BigInt", "Iterator",
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array",
    "BigUint64Array", "AsyncFunction", "GeneratorFunction", "eval", "globalThis",
  ].includes(n)));
  // Members whose effect would end or block the global under test rather than exercise it.
  const SKIP = new Set(["close", "stop", "print", "importScripts", "alert", "confirm",
    "prompt", "setInterval", "skipWaiting", "terminate"]);

  const values = [];
  const interfaces = [];
  const instances = [];
  let reentrant = null;
  const stats = { calls: 0, returned: 0, threw: 0 };
  let depth = 0;

  function makeValues() {
    const huge = "\u{1F600}x".repeat(1 << 17);
    const throwing = {
      get foo() { throw new Error("getter"); },
      valueOf() { throw new Error("valueOf"); },
      toString() { throw new Error("toString"); },
      [Symbol.toPrimitive]() { throw new Error("toPrimitive"); },
      get then() { throw new Error("then"); },
      get length() { throw new Error("length"); },
    };
    const trap = () => { throw new Error("proxy trap"); };
    const hostile = new Proxy({}, { get: trap, has: trap, ownKeys: trap,
      getOwnPropertyDescriptor: trap, getPrototypeOf: trap, set: trap });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const detached = new ArrayBuffer(16);
    try { structuredClone(detached, { transfer: [detached] }); } catch (e) { /* no clone */ }
    let revokedUrl = "blob:null/none";
    try {
      revokedUrl = URL.createObjectURL(new Blob(["x"]));
      URL.revokeObjectURL(revokedUrl);
    } catch (e) { /* no blob URLs here */ }
    const reenter = {
      valueOf() {
        if (reentrant && depth < 3) {
          depth++;
          try { reentrant(); } catch (e) { /* expected */ } finally { depth--; }
        }
        return 1;
      },
    };
    const deep = [];
    let d = deep;
    for (let i = 0; i < 2000; i++) { const n = []; d.push(n); d = n; }
    values.push(undefined, null, true, false, 0, -0, 1, -1, 2 ** 31, 2 ** 53, -(2 ** 63),
      NaN, Infinity, -Infinity, 1e308, 0.5, 10n, -(2n ** 64n), "", "a", huge, "\0\uD800",
      "https://a.test/x", "about:blank", "data:,x", revokedUrl, "GET", "bytes", "byob",
      Symbol("s"), {}, [], [1, "a", null], deep, throwing, hostile, revocable.proxy, reenter,
      detached, new Uint8Array(4), new DataView(new ArrayBuffer(2)),
      () => 1, function thrower() { throw new Error("callback"); },
      async () => { throw new Error("async callback"); }, new Error("e"), new Date(NaN),
      /x/g, new Map([[1, 2]]), new Set([1]), Object.create(null));
  }

  function collect() {
    for (const name of Object.getOwnPropertyNames(globalThis)) {
      if (BUILTINS.has(name) || !/^[A-Z]/.test(name)) continue;
      let ctor;
      try { ctor = globalThis[name]; } catch (e) { continue; }
      if (typeof ctor !== "function" || typeof ctor.prototype !== "object") continue;
      const members = [];
      for (let proto = ctor.prototype; proto && proto !== Object.prototype;
           proto = Object.getPrototypeOf(proto)) {
        for (const key of Reflect.ownKeys(proto)) {
          if (key === "constructor" || SKIP.has(key)) continue;
          const desc = Object.getOwnPropertyDescriptor(proto, key);
          if (typeof desc.value === "function") members.push({ kind: "call", f: desc.value });
          if (desc.get) members.push({ kind: "get", f: desc.get });
          if (desc.set) members.push({ kind: "set", f: desc.set });
        }
      }
      for (const key of Reflect.ownKeys(ctor)) {
        if (SKIP.has(key)) continue;
        const desc = Object.getOwnPropertyDescriptor(ctor, key);
        if (desc && typeof desc.value === "function") {
          members.push({ kind: "static", f: desc.value, self: ctor });
        }
      }
      interfaces.push({ name, ctor, members });
    }
    // The global's own members.
    const own = [];
    for (const key of Reflect.ownKeys(globalThis)) {
      if (typeof key === "string" && (BUILTINS.has(key) || SKIP.has(key) || /^[A-Z]/.test(key))) continue;
      const desc = Object.getOwnPropertyDescriptor(globalThis, key);
      if (desc && typeof desc.value === "function") own.push({ kind: "static", f: desc.value, self: globalThis });
    }
    interfaces.push({ name: "global", ctor: null, members: own });
    instances.push(globalThis);
    if (typeof document === "object") {
      instances.push(document, document.documentElement || document);
      for (const tag of ["div", "a", "input", "form", "select", "iframe", "template", "img",
                         "video", "progress", "dialog", "button", "textarea", "script"]) {
        try { instances.push(document.createElement(tag)); } catch (e) { /* none */ }
      }
    }
  }

  function args() {
    const n = Math.floor(rand() * 4);
    const a = [];
    for (let i = 0; i < n; i++) a.push(rand() < 0.25 && instances.length ? pick(instances) : pick(values));
    return a;
  }

  function settle(r) {
    // A promise's rejection is expected: mark it handled (without touching a hostile object).
    if (r instanceof Promise) Promise.prototype.catch.call(r, () => {});
    else if (r !== null && (typeof r === "object" || typeof r === "function") && instances.length < 400) {
      instances.push(r);
    }
  }

  function one() {
    const iface = pick(interfaces);
    if (iface.ctor && (rand() < 0.2 || !iface.members.length)) {
      try { settle(Reflect.construct(iface.ctor, args())); } catch (e) { /* expected */ }
      return;
    }
    if (!iface.members.length) return;
    const m = pick(iface.members);
    const a = m.kind === "get" ? [] : m.kind === "set" ? [pick(values)] : args();
    const self = m.kind === "static" ? (rand() < 0.8 ? m.self : pick(values)) : pick(instances);
    const call = () => Reflect.apply(m.f, self, a);
    reentrant = call;
    stats.calls++;
    try {
      settle(call());
      stats.returned++;
    } catch (e) {
      stats.threw++;
    }
    reentrant = null;
  }

  globalThis.__fuzz = {
    setUp(seed) {
      s = seed >>> 0 || 1;
      makeValues();
      collect();
      return interfaces.length;
    },
    stats() {
      return JSON.stringify(stats);
    },
    batch(n) {
      for (let i = 0; i < n; i++) one();
      // Timers a call set would otherwise keep running: clear them.
      if (typeof clearTimeout === "function") for (let id = 0; id < 2000; id++) clearTimeout(id);
      return n;
    },
  };
})();
