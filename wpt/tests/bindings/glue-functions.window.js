// META: title=The function objects of WebIDL operations, accessors and interface objects
"use strict";

test(() => {
  const getter = Object.getOwnPropertyDescriptor(Event.prototype, "bubbles").get;
  const method = EventTarget.prototype.addEventListener;
  for (const [f, name, length] of [[getter, "get bubbles", 0], [method, "addEventListener", 2],
                                    [Event, "Event", 1]]) {
    assert_equals(typeof f, "function", name);
    assert_true(f instanceof Function, `${name} instanceof Function`);
    assert_equals(Object.getPrototypeOf(f), Function.prototype, `${name}'s prototype`);
    assert_array_equals(Object.getOwnPropertyNames(f).slice(0, 2), ["length", "name"], name);
    for (const [key, value] of [["length", length], ["name", name]]) {
      const d = Object.getOwnPropertyDescriptor(f, key);
      assert_equals(d.value, value, `${name}.${key}`);
      assert_false(d.writable, `${name}.${key} writable`);
      assert_false(d.enumerable, `${name}.${key} enumerable`);
      assert_true(d.configurable, `${name}.${key} configurable`);
    }
    assert_regexp_match(Function.prototype.toString.call(f),
      /^function [^(]*\(\)\s*\{\s*\[native code\]\s*\}$/, `${name}.toString()`);
  }
  assert_throws_js(TypeError, () => new getter(), "a getter is no constructor");
  assert_throws_js(TypeError, () => new method(), "an operation is no constructor");
  assert_throws_js(TypeError, () => Reflect.construct(Object, [], method), "nor a new.target");
  const e = new Event("x", { bubbles: true });
  assert_true(getter.call(e), "call");
  assert_true(getter.apply(e, []), "apply");
  assert_true(getter.bind(e)(), "bind");
  assert_true(Reflect.apply(getter, e, []), "Reflect.apply");
}, "Glue functions are ordinary-looking built-in functions");

test(t => {
  const frame = document.createElement("iframe");
  t.add_cleanup(() => frame.remove());
  document.body.append(frame);
  const w = frame.contentWindow;
  const getter = Object.getOwnPropertyDescriptor(w.Event.prototype, "bubbles").get;
  assert_equals(Object.getPrototypeOf(getter), w.Function.prototype,
                "the prototype is the function's realm's Function.prototype");
  for (const [what, f] of [
    ["a failed brand check", () => getter.call({})],
    ["a missing argument", () => new w.Event()],
    ["a constructor called without new", () => w.Event()],
    ["an interface without a constructor (new)", () => new w.Node()],
    ["an interface without a constructor (call)", () => w.Node()],
  ]) {
    let thrown;
    try { f(); } catch (e) { thrown = e; }
    assert_true(thrown instanceof w.TypeError, `${what}: a TypeError of the function's realm`);
  }
  // `new` on a non-constructor fails in the caller, before the function runs.
  assert_throws_js(TypeError, () => new getter(), "new on a getter of another realm");
  // A nested call into another realm's function leaves the outer one's realm in place.
  const blob = new w.Blob([{ toString() { new Event("inner"); return "a"; } }]);
  assert_equals(Object.getPrototypeOf(blob), w.Blob.prototype);
}, "Glue functions of another realm work in their own realm");
