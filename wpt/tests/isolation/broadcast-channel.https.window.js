// META: title=Isolation: BroadcastChannel messages never cross origins, even on the same channel name (HTML §9.5)
// META: script=resources/ops.js
// META: script=resources/helpers.js
"use strict";

// postMessage() delivers to the BroadcastChannel objects whose relevant settings object's
// storage key equals the sender's and whose name is the same.
// https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage

const NAME = "isolation-channel";

// Waits until `actor`'s channel `key` received `count` messages (at most 2 s), then a
// little longer for any that should not come.
async function received(t, actor, key, count) {
  let got = [];
  for (let i = 0; i < 100; i++) {
    got = await actor.run("bc-received", { key });
    if (got.length >= count) break;
    await delay(t, 20);
  }
  await delay(t, 200);
  return actor.run("bc-received", { key });
}

promise_test(async t => {
  const other = await otherOrigin(t);
  const worker = await thisWorker(t);
  // Two channels of the same name in each origin: a window's and a worker's, plus a second
  // one in each window that only listens.
  const ends = [
    [thisWindow, "a"], [thisWindow, "listener"], [worker, "a"],
    [other.window, "a"], [other.window, "listener"], [other.worker, "a"],
  ];
  for (const [actor, key] of ends) await actor.run("bc-open", { key, name: NAME });

  await thisWindow.run("bc-post", { key: "a", data: "from this window" });
  await worker.run("bc-post", { key: "a", data: "from this worker" });
  await other.window.run("bc-post", { key: "a", data: "from the other window" });
  await other.worker.run("bc-post", { key: "a", data: "from the other worker" });

  // The positive controls: each origin's channels get their own origin's messages.
  const sorted = async (actor, key, count) => (await received(t, actor, key, count)).sort();
  assert_array_equals(await sorted(thisWindow, "listener", 2), ["from this window", "from this worker"],
                      "this origin's listener gets this origin's messages only");
  assert_array_equals(await sorted(thisWindow, "a", 1), ["from this worker"], "this window's sender");
  assert_array_equals(await sorted(worker, "a", 1), ["from this window"], "this worker's channel");
  assert_array_equals(await sorted(other.window, "listener", 2), ["from the other window", "from the other worker"],
                      "the other origin's listener gets its origin's messages only");
  assert_array_equals(await sorted(other.window, "a", 1), ["from the other worker"]);
  assert_array_equals(await sorted(other.worker, "a", 1), ["from the other window"]);
  for (const [actor, key] of ends) await actor.run("bc-close", { key });
}, "Channels of the same name in two origins (windows and dedicated workers): no message crosses");
