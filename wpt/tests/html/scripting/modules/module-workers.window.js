// META: title=Module workers: new Worker(url, {type: "module"}), SharedWorker, importScripts (HTML §10.2.6, §10.2.4)
"use strict";

const resources = new URL("resources/", location.href).href;

function next(target, type = "message") {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

promise_test(async t => {
  const w = new Worker("resources/worker-main.js", { type: "module" });
  t.add_cleanup(() => w.terminate());
  const { data } = await next(w);
  assert_equals(data.sum, 5, "a static import");
  assert_equals(data.meta, resources + "worker-main.js", "import.meta.url");
  assert_array_equals(data.log, ["worker"]);
  assert_equals(data.importScriptsError, "TypeError", "importScripts() throws in a module worker");
  assert_equals(data.dynamic, "dynamic", "import() after top-level await");
}, "A dedicated module worker imports modules; importScripts throws TypeError");

promise_test(async t => {
  const w = new SharedWorker("resources/worker-main.js", { type: "module", name: "module" });
  const message = next(w.port);
  w.port.start();
  const { data } = await message;
  assert_equals(data.sum, 5);
  assert_equals(data.importScriptsError, "TypeError");
  assert_equals(data.dynamic, "dynamic");
}, "A shared module worker");

promise_test(async t => {
  const w = new Worker("resources/worker-missing-dep.js", { type: "module" });
  t.add_cleanup(() => w.terminate());
  let message = false;
  w.onmessage = () => (message = true);
  const e = await next(w, "error");
  assert_equals(e.constructor, Event, "a plain error event, as for a script that failed to load");
  assert_false(message);
}, "A module worker whose graph cannot be fetched fires error at the Worker object");

promise_test(async t => {
  const w = new Worker("resources/not-javascript.txt", { type: "module" });
  t.add_cleanup(() => w.terminate());
  await next(w, "error");
}, "A module worker's script must be of a JavaScript MIME type");

promise_test(async t => {
  const source = "import('" + resources + "dynamic-target.js').then(m => postMessage(m.value));";
  const w = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  t.add_cleanup(() => w.terminate());
  const { data } = await next(w);
  assert_equals(data, "dynamic");
}, "Dynamic import() in a classic worker");
