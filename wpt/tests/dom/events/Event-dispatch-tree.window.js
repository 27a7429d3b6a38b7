// META: title=Event dispatch over the node tree: capture, target, bubble (DOM §2.9)
"use strict";

function tree() {
  const outer = document.createElement("div");
  const inner = document.createElement("span");
  outer.appendChild(inner);
  document.body.appendChild(outer);
  return { outer, inner };
}

test(t => {
  const { outer, inner } = tree();
  t.add_cleanup(() => outer.remove());
  const log = [];
  const listen = (target, name) => {
    target.addEventListener("x", e => log.push(`${name}:capture:${e.eventPhase}`), true);
    target.addEventListener("x", e => log.push(`${name}:bubble:${e.eventPhase}`));
  };
  listen(window, "window");
  listen(document, "document");
  listen(document.body, "body");
  listen(outer, "outer");
  listen(inner, "inner");
  t.add_cleanup(() => { /* listeners on window/document only react to "x" */ });
  const e = new Event("x", { bubbles: true });
  inner.dispatchEvent(e);
  assert_array_equals(log, [
    "window:capture:1", "document:capture:1", "body:capture:1", "outer:capture:1",
    "inner:capture:2", "inner:bubble:2",
    "outer:bubble:3", "body:bubble:3", "document:bubble:3", "window:bubble:3",
  ]);
  assert_equals(e.target, inner);
  assert_equals(e.eventPhase, Event.NONE, "the phase is reset after dispatch");
  assert_equals(e.currentTarget, null);
}, "The path goes from the window through the document to the target and back");

test(t => {
  const { outer, inner } = tree();
  t.add_cleanup(() => outer.remove());
  const log = [];
  outer.addEventListener("y", () => log.push("outer capture"), true);
  outer.addEventListener("y", () => log.push("outer bubble"));
  inner.addEventListener("y", () => log.push("inner"));
  inner.dispatchEvent(new Event("y"));
  assert_array_equals(log, ["outer capture", "inner"], "no bubbling phase when bubbles is false");
}, "A non-bubbling event still has a capturing phase");

test(t => {
  const { outer, inner } = tree();
  t.add_cleanup(() => outer.remove());
  const log = [];
  let path;
  outer.addEventListener("z", e => { log.push("outer"); e.stopPropagation(); }, true);
  inner.addEventListener("z", () => log.push("inner"));
  document.addEventListener("z", e => { path = e.composedPath(); }, true);
  inner.dispatchEvent(new Event("z", { bubbles: true }));
  assert_array_equals(log, ["outer"], "stopPropagation in capture stops before the target");
  assert_array_equals(path, [inner, outer, document.body, document.documentElement, document, window]);
}, "stopPropagation and composedPath over the tree");

test(t => {
  const { outer, inner } = tree();
  t.add_cleanup(() => outer.remove());
  let target, current;
  outer.onclick = function (e) { target = e.target; current = this; };
  inner.dispatchEvent(new Event("click", { bubbles: true }));
  assert_equals(target, inner);
  assert_equals(current, outer, "event handler's this is the current target");
  assert_equals(typeof outer.onclick, "function");
  assert_true("onclick" in HTMLElement.prototype, "an IDL attribute of GlobalEventHandlers");
}, "on* handlers of elements receive bubbling events");

test(t => {
  const detached = document.createElement("div");
  const child = document.createElement("p");
  detached.appendChild(child);
  const log = [];
  document.addEventListener("w", () => log.push("document"));
  detached.addEventListener("w", () => log.push("detached"));
  child.dispatchEvent(new Event("w", { bubbles: true }));
  assert_array_equals(log, ["detached"], "a detached tree's path ends at its root");
}, "Events in a tree that is not in the document do not reach the document");

test(t => {
  const log = [];
  const onWindow = e => log.push("window");
  window.addEventListener("load", onWindow);
  t.add_cleanup(() => window.removeEventListener("load", onWindow));
  document.dispatchEvent(new Event("load", { bubbles: true }));
  assert_array_equals(log, [], "a document's parent is not the window for load events");
  document.dispatchEvent(new Event("notload", { bubbles: true }));
}, "load events at the document do not propagate to the window");

async_test(t => {
  const el = document.createElement("div");
  el.addEventListener("custom", t.step_func_done(e => {
    assert_false(e.isTrusted, "dispatchEvent makes untrusted events");
  }));
  el.dispatchEvent(new CustomEvent("custom"));
}, "isTrusted is false for script-dispatched events at elements");

test(t => {
  assert_own_property(window, "event", "a [Global] interface's attribute is on the global");
  assert_equals(window.event, undefined, "undefined outside dispatch");
  const target = document.createElement("div");
  const seen = [];
  target.addEventListener("outer", e => {
    seen.push(window.event === e);
    target.dispatchEvent(new Event("inner"));
    seen.push(window.event === e, "restored");
  });
  target.addEventListener("inner", e => seen.push(window.event === e, "inner"));
  target.dispatchEvent(new Event("outer"));
  assert_array_equals(seen, [true, true, "inner", true, "restored"]);
  assert_equals(window.event, undefined);
}, "window.event is the event being dispatched, restored after nested dispatches");
