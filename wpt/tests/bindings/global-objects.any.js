// META: title=Global objects and interface exposure (WebIDL §3.7 Exposed, §3.8 Global; HTML §8.1.3)
// META: global=window,worker
"use strict";

const kind = (() => {
  if (GLOBAL.isWindow()) return "window";
  if ("ServiceWorkerGlobalScope" in self) return "service";
  if ("SharedWorkerGlobalScope" in self) return "shared";
  return "dedicated";
})();

test(() => {
  assert_equals(self, globalThis, "self is the global object");
  const d = Object.getOwnPropertyDescriptor(kind === "window" ? Window.prototype : WorkerGlobalScope.prototype, "self")
    || Object.getOwnPropertyDescriptor(self, "self");
  assert_not_equals(d, undefined, "self is an attribute");
  if (kind === "window") {
    assert_equals(window, self);
  } else {
    assert_false("window" in self, "workers have no window");
  }
}, "self and window");

test(() => {
  const chains = {
    window: ["Window", "EventTarget"],
    dedicated: ["DedicatedWorkerGlobalScope", "WorkerGlobalScope", "EventTarget"],
    shared: ["SharedWorkerGlobalScope", "WorkerGlobalScope", "EventTarget"],
    service: ["ServiceWorkerGlobalScope", "WorkerGlobalScope", "EventTarget"],
  }[kind];
  let proto = Object.getPrototypeOf(self);
  for (const name of chains) {
    assert_equals(proto, self[name].prototype, name + ".prototype in the chain");
    proto = Object.getPrototypeOf(proto);
  }
  assert_equals(proto, Object.prototype, "the chain ends at Object.prototype");
}, "The global's prototype chain follows the interface inheritance");

test(() => {
  const everywhere = ["EventTarget", "Event", "CustomEvent", "ErrorEvent", "PromiseRejectionEvent",
                      "DOMException", "QuotaExceededError"];
  for (const name of everywhere) {
    assert_equals(typeof self[name], "function", name);
    const d = Object.getOwnPropertyDescriptor(self, name);
    assert_true(d.writable, name + " writable");
    assert_false(d.enumerable, name + " not enumerable");
    assert_true(d.configurable, name + " configurable");
  }
  const only = {
    Window: kind === "window",
    WorkerGlobalScope: kind !== "window",
    DedicatedWorkerGlobalScope: kind === "dedicated",
    SharedWorkerGlobalScope: kind === "shared",
    ServiceWorkerGlobalScope: kind === "service",
    ExtendableEvent: kind === "service",
  };
  for (const [name, exposed] of Object.entries(only)) {
    assert_equals(name in self, exposed, name + (exposed ? " exposed" : " not exposed"));
  }
}, "Interfaces are exposed exactly where their [Exposed] says");

test(() => {
  for (const name of ["Window", "WorkerGlobalScope", "EventTarget"]) {
    if (!(name in self)) continue;
    if (name === "EventTarget") continue;
    assert_throws_js(TypeError, () => new self[name](), name);
    assert_throws_js(TypeError, () => self[name](), name + " called");
  }
  assert_equals(Object.prototype.toString.call(self),
    { window: "[object Window]", dedicated: "[object DedicatedWorkerGlobalScope]",
      shared: "[object SharedWorkerGlobalScope]", service: "[object ServiceWorkerGlobalScope]" }[kind]);
}, "Global interfaces cannot be constructed, and the global's tag names it");

test(() => {
  assert_equals(typeof self.isSecureContext, "boolean");
  assert_regexp_match(self.origin, /^https?:\/\/web-platform\.test:\d+$/);
  // web-platform.test is not potentially trustworthy over http, only over https.
  assert_equals(self.isSecureContext, self.origin.startsWith("https:"));
}, "isSecureContext and origin");

test(() => {
  // Window is [Global]: its (and its mixins') operations are own properties of the global.
  // WorkerGlobalScope is not: in workers they live on WorkerGlobalScope.prototype, and
  // nothing (such as an engine built-in) may shadow them on the global itself.
  for (const name of ["atob", "btoa", "queueMicrotask", "setTimeout", "reportError"]) {
    const holder = kind === "window" ? self : WorkerGlobalScope.prototype;
    const d = Object.getOwnPropertyDescriptor(holder, name);
    assert_not_equals(d, undefined, name + " is defined where WebIDL puts it");
    assert_true(d.writable && d.enumerable && d.configurable, name + " is a regular operation");
    if (kind !== "window") {
      assert_false(Object.prototype.hasOwnProperty.call(self, name), name + " is not shadowed");
    }
  }
}, "Operations of the WindowOrWorkerGlobalScope mixin are where WebIDL puts them");
