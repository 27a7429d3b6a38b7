// Shared by the isolation tests: "actors" that perform the operations of ops.js for one
// origin in one kind of global, and resolve with the result (or reject with the error).
//
// - thisWindow: this test page (the test's origin);
// - thisWorker(t): a dedicated worker of the test's origin;
// - otherOrigin(t): a frame of another origin (the www1. host of the same server) running
//   other-origin.html, with .window and .worker actors (the frame's own dedicated worker).
"use strict";

const CROSS_ORIGIN = self.origin.replace("://", "://www1.");
const HERE = "/isolation/resources/";

function unwrap(reply, who, op) {
  if ("error" in reply) throw new Error(`${who}: ${op} failed: ${reply.error}`);
  return reply.result;
}

const thisWindow = {
  name: "a window of this origin",
  origin: self.origin,
  run: async (op, args) => unwrap(await perform({ op, args }), "this window", op),
};

let nextRequest = 0;

async function thisWorker(t) {
  const worker = new Worker(HERE + "worker.js");
  t.add_cleanup(() => worker.terminate());
  const actor = {
    name: "a dedicated worker of this origin",
    origin: self.origin,
    run: (op, args) => new Promise((resolve, reject) => {
      const id = nextRequest++;
      worker.addEventListener("message", function listener(e) {
        if (e.data.id !== id) return;
        worker.removeEventListener("message", listener);
        try {
          resolve(unwrap(e.data, "this origin's worker", op));
        } catch (err) {
          reject(err);
        }
      });
      worker.postMessage({ id, op, args });
    }),
  };
  assert_equals(await actor.run("origin"), self.origin, "the worker is of this origin");
  return actor;
}

// A frame of the other origin; resolves once it said it is ready. `{frame, window, worker,
// cleanup(fn)}`: functions given to cleanup() run when the test ends, before the frame goes.
async function otherOrigin(t) {
  const frame = document.createElement("iframe");
  const cleanups = [];
  t.add_cleanup(async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
    frame.remove();
  });
  const ready = new Promise((resolve, reject) => {
    const timer = t.step_timeout(() => reject(new Error("the other origin's frame never said it is ready")), 5000);
    window.addEventListener("message", function listener(e) {
      if (e.origin !== CROSS_ORIGIN || !e.data || !e.data.ready) return;
      window.removeEventListener("message", listener);
      clearTimeout(timer);
      resolve(e);
    });
  });
  frame.src = CROSS_ORIGIN + HERE + "other-origin.html";
  document.body.append(frame);
  const readyEvent = await ready;
  assert_equals(readyEvent.data.origin, CROSS_ORIGIN);
  assert_not_equals(CROSS_ORIGIN, self.origin);
  const actor = (where, name) => ({
    name,
    origin: CROSS_ORIGIN,
    run: (op, args) => new Promise((resolve, reject) => {
      const id = nextRequest++;
      window.addEventListener("message", function listener(e) {
        if (e.origin !== CROSS_ORIGIN || e.source !== frame.contentWindow || !e.data || e.data.id !== id) return;
        window.removeEventListener("message", listener);
        try {
          resolve(unwrap(e.data, name, op));
        } catch (err) {
          reject(err);
        }
      });
      frame.contentWindow.postMessage({ id, op, args, where }, CROSS_ORIGIN);
    }),
  });
  const other = {
    frame,
    window: actor("window", "the other origin's frame"),
    worker: actor("worker", "the other origin's dedicated worker"),
    cleanup: fn => cleanups.push(fn),
  };
  assert_equals(await other.worker.run("origin"), CROSS_ORIGIN, "the frame's worker is of the other origin");
  return other;
}

// Resolves after `ms` milliseconds.
function delay(t, ms) {
  return new Promise(resolve => t.step_timeout(resolve, ms));
}
