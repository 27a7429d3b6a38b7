// META: title=BroadcastChannel across the globals of a profile: windows, workers, service workers (HTML §9.5)
"use strict";

function nextMessage(target) {
  return new Promise(resolve => target.addEventListener("message", resolve, { once: true }));
}

promise_test(async t => {
  const w = new Worker("resources/echo-worker.js", { name: "to-dedicated" });
  t.add_cleanup(() => w.terminate());
  await nextMessage(w);
  const channel = new BroadcastChannel("to-dedicated");
  t.add_cleanup(() => channel.close());
  const reply = nextMessage(channel);
  channel.postMessage("hello");
  const e = await reply;
  assert_object_equals(e.data, { echo: "hello", from: "DedicatedWorkerGlobalScope" });
  assert_equals(e.origin, location.origin);
}, "A dedicated worker's channel");

promise_test(async t => {
  const w = new SharedWorker("resources/echo-worker.js", "to-shared");
  const ready = nextMessage(w.port);
  w.port.start();
  await ready;
  const channel = new BroadcastChannel("to-shared");
  t.add_cleanup(() => channel.close());
  const reply = nextMessage(channel);
  channel.postMessage([1, 2]);
  assert_object_equals((await reply).data, { echo: [1, 2], from: "SharedWorkerGlobalScope" });
}, "A shared worker's channel");

promise_test(async t => {
  const scope = new URL("resources/bc-scope/", location.href).href;
  const old = await navigator.serviceWorker.getRegistration(scope);
  if (old) await old.unregister();
  const registration = await navigator.serviceWorker.register("resources/echo-sw.js", { scope });
  t.add_cleanup(() => registration.unregister());
  const worker = registration.installing;
  await new Promise(resolve => worker.addEventListener("statechange", () => worker.state === "activated" && resolve()));
  const mc = new MessageChannel();
  const ready = new Promise(resolve => (mc.port1.onmessage = resolve));
  worker.postMessage("ping", [mc.port2]);
  await ready;
  const channel = new BroadcastChannel("from-sw");
  t.add_cleanup(() => channel.close());
  const reply = nextMessage(channel);
  channel.postMessage({ fetch: "movie" });
  assert_object_equals((await reply).data, { echo: { fetch: "movie" }, from: "ServiceWorkerGlobalScope" });
}, "A service worker's channel (as apps tell their pages about a background fetch)");

promise_test(async t => {
  const w = new Worker("resources/echo-worker.js", { name: "closed-worker" });
  await nextMessage(w);
  w.terminate();
  const channel = new BroadcastChannel("closed-worker");
  t.add_cleanup(() => channel.close());
  let got = false;
  channel.onmessage = () => (got = true);
  channel.postMessage("anyone?");
  await new Promise(resolve => t.step_timeout(resolve, 50));
  assert_false(got, "a terminated worker's channel is gone");
}, "A terminated worker's channels receive nothing");
