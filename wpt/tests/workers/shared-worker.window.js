// META: title=Shared workers (HTML §10.2.6.4 the SharedWorker interface)
"use strict";

function next(target, type = "message") {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

test(() => {
  assert_equals(SharedWorker.length, 1);
  assert_throws_js(TypeError, () => SharedWorker("resources/shared.js"), "called without new");
  assert_throws_dom("SyntaxError", () => new SharedWorker("http://["));
  assert_true("onerror" in SharedWorker.prototype);
  assert_false("postMessage" in SharedWorker.prototype);
}, "The SharedWorker interface");

promise_test(async () => {
  const w = new SharedWorker("resources/shared.js", "first");
  assert_true(w.port instanceof MessagePort);
  assert_equals(w.port, w.port);
  w.port.start();
  const e = await next(w.port);
  assert_equals(e.data.connections, 1);
  assert_equals(e.data.name, "first");
  assert_true(e.data.sourceIsPort, "connect's source is the port in ports");
  assert_equals(e.data.data, "", "connect's data is the empty string");
  assert_equals(e.data.type, "MessageEvent");
  assert_true(e.data.isShared);
  w.port.postMessage("hi");
  assert_equals((await next(w.port)).data, "echo: hi");
}, "connect gives the worker a port to this SharedWorker");

promise_test(async () => {
  const a = new SharedWorker("resources/shared.js", { name: "shared-by-two" });
  a.port.start();
  assert_equals((await next(a.port)).data.connections, 1);
  const b = new SharedWorker("resources/shared.js", "shared-by-two");
  b.port.onmessage = null;
  b.port.start();
  assert_equals((await next(b.port)).data.connections, 2, "the same worker");
  const c = new SharedWorker("resources/shared.js", "another name");
  c.port.start();
  assert_equals((await next(c.port)).data.connections, 1, "another name, another worker");
}, "The same URL and name share one worker");

promise_test(async () => {
  const w = new SharedWorker("resources/does-not-exist.js");
  const e = await next(w, "error");
  assert_equals(e.constructor, Event);
}, "A shared worker script that fails to load fires error at the SharedWorker");

promise_test(async () => {
  const a = new SharedWorker("resources/shared.js", "closing");
  a.port.start();
  await next(a.port);
  a.port.postMessage("close");
  await new Promise(r => setTimeout(r, 50));
  const b = new SharedWorker("resources/shared.js", "closing");
  b.port.start();
  assert_equals((await next(b.port)).data.connections, 1, "a closed worker is replaced");
}, "A shared worker that closed itself is started again");
