// META: title=Dedicated workers (HTML §10.2.6 the Worker interface)
// META: global=window,dedicatedworker,sharedworker
"use strict";

// The next `type` event at `target`.
function next(target, type = "message") {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}
function delay(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
const here = new URL(location.href);
const resources = new URL("resources/", here).href;

test(() => {
  assert_equals(typeof Worker, "function");
  assert_equals(Worker.length, 1);
  assert_throws_js(TypeError, () => Worker("resources/echo.js"), "called without new");
  assert_throws_js(TypeError, () => new Worker(), "no URL");
  assert_throws_dom("SyntaxError", () => new Worker("http://["), "a URL that does not parse");
  assert_true(Worker.prototype instanceof EventTarget);
  for (const name of ["onmessage", "onmessageerror", "onerror"]) {
    assert_true(name in Worker.prototype, name);
  }
}, "The Worker interface");

promise_test(async t => {
  const w = new Worker("resources/echo.js", { name: "my worker" });
  t.add_cleanup(() => w.terminate());
  const sent = { list: [1, 2], map: new Map([["k", "v"]]) };
  w.postMessage(sent);
  const e = await next(w);
  assert_true(e instanceof MessageEvent);
  assert_true(e.isTrusted);
  assert_equals(e.target, w);
  const r = e.data;
  assert_array_equals(r.data.list, [1, 2], "the worker got a clone");
  assert_equals(r.data.map.get("k"), "v");
  assert_equals(r.name, "my worker");
  assert_equals(r.href, resources + "echo.js", "the worker's location is its URL");
  assert_true(r.isDedicated, "a DedicatedWorkerGlobalScope");
  assert_true(r.trusted);
  assert_equals(r.origin, "", "port messages have an empty origin");
  assert_equals(r.source, null);
  assert_equals(e.origin, "");
  assert_equals(e.source, null);
}, "postMessage() both ways, name and location");

promise_test(async t => {
  const w = new Worker("resources/early.js");
  t.add_cleanup(() => w.terminate());
  const got = [];
  w.onmessage = e => got.push(e.data);
  w.postMessage(1);
  w.postMessage(2);
  w.postMessage(3);
  while (got.length < 3) await delay(10);
  assert_array_equals(got.map(x => x.join()), ["1", "1,2", "1,2,3"]);
}, "Messages sent before the worker's script ran arrive after it, in order");

promise_test(async t => {
  const w = new Worker("resources/echo.js");
  t.add_cleanup(() => w.terminate());
  const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
  w.postMessage(buffer, [buffer]);
  assert_equals(buffer.byteLength, 0, "detached here");
  const e = await next(w);
  assert_equals(e.data.buffer, 4, "arrived whole in the worker");
}, "Transferring an ArrayBuffer to a worker");

promise_test(async t => {
  const w = new Worker("resources/echo.js");
  t.add_cleanup(() => w.terminate());
  const { port1, port2 } = new MessageChannel();
  w.postMessage("hello", [port2]);
  port1.start();
  const e = await next(port1);
  assert_equals(e.data, "via the port: hello", "the worker answered through the port");
}, "A MessagePort transferred to a worker works across threads");

promise_test(async t => {
  const w = new Worker("resources/does-not-exist.js");
  const e = await next(w, "error");
  assert_equals(e.constructor, Event, "a simple event");
  assert_true(e.isTrusted);
  assert_false(e.bubbles);
  assert_false(e.cancelable);
}, "A script that fails to load fires error at the Worker");

promise_test(async t => {
  const w = new Worker("../fetch/api/resources/data.txt");
  await next(w, "error");
}, "A script that is not served as JavaScript fires error");

promise_test(async t => {
  const w = new Worker(location.protocol + "//www1." + location.host + "/workers/resources/echo.js");
  await next(w, "error");
}, "A cross-origin worker script fires error, no exception");

promise_test(async t => {
  const w = new Worker("resources/throws.js");
  t.add_cleanup(() => w.terminate());
  const e = await new Promise(resolve => {
    w.onerror = e => { e.preventDefault(); resolve(e); };
  });
  assert_true(e instanceof ErrorEvent, "an ErrorEvent");
  assert_true(e.cancelable);
  assert_true(e.message.includes("boom from the worker"), e.message);
  assert_equals(e.filename, resources + "throws.js");
  assert_equals(e.lineno, 2);
  assert_equals(e.error, null, "the error object stays in the worker");
}, "An uncaught error in the worker fires an ErrorEvent at the Worker");

promise_test(async t => {
  const w = new Worker("resources/throws-handled.js");
  t.add_cleanup(() => w.terminate());
  let errors = 0;
  w.onerror = e => { errors++; e.preventDefault(); };
  assert_equals((await next(w)).data, "handled in the worker");
  await delay(50);
  assert_equals(errors, 0);
}, "An error the worker's onerror handles does not reach the Worker");

promise_test(async t => {
  const w = new Worker("resources/ticker.js");
  await next(w);
  w.terminate();
  let after = 0;
  w.onmessage = () => after++;
  await delay(80);
  assert_equals(after, 0, "no message after terminate()");
  w.terminate();
  w.postMessage("ignored");
}, "terminate() stops the worker and its messages");

promise_test(async t => {
  const w = new Worker("resources/echo.js");
  const got = [];
  w.onmessage = e => got.push(e.data);
  w.postMessage("close");
  while (!got.length) await delay(10);
  w.postMessage("anyone there?");
  await delay(80);
  assert_array_equals(got, ["closed"],
                      "a message sent after close() in the same task arrives; timers and later messages do not");
}, "self.close() ends the worker after the current task");

promise_test(async t => {
  const w = new Worker("resources/imports.js");
  t.add_cleanup(() => w.terminate());
  const r = (await next(w)).data;
  assert_equals(r.order, "a,b,a", "scripts run in order, the same one twice if asked");
  assert_equals(r.badUrl, "SyntaxError (DOMException)");
  assert_equals(r.afterBadUrl, "a,b,a", "nothing is fetched when a URL does not parse");
  assert_equals(r.missing, "NetworkError (DOMException)", "a 404");
  assert_equals(r.notJs, "NetworkError (DOMException)", "not a JavaScript MIME type");
  assert_equals(r.throws, "RangeError", "the script's exception is rethrown");
  assert_equals(r.syntax, "SyntaxError", "a parse error is the JS SyntaxError");
  assert_equals(r.stopsAtFailure, "NetworkError (DOMException)");
  assert_equals(r.afterFailure, "a,b,a", "later scripts do not run after a failure");
  assert_equals(r.noArgs, "ok");
}, "importScripts()");

promise_test(async t => {
  const w = new Worker("resources/nested.js");
  t.add_cleanup(() => w.terminate());
  w.postMessage("deep");
  const r = (await next(w)).data.relayed;
  assert_equals(r.data, "deep");
  assert_equals(r.name, "inner");
  assert_equals(r.href, resources + "echo.js", "resolved against the outer worker's URL");
}, "A worker can start a worker");
