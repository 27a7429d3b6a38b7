// META: title=BackgroundFetchManager from a same-origin iframe: the frame's registration objects, one set of fetches per origin (Background Fetch; HTML iframe)
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

// A same-origin frame reaches the page's service worker registration through its own
// ServiceWorkerContainer; its ServiceWorkerRegistration, BackgroundFetchManager and
// BackgroundFetchRegistration objects belong to the frame's realm, but the fetches are the
// registration's: the page sees what the frame started and the other way round, and a fetch
// outlives the frame that started it.
// https://wicg.github.io/background-fetch/#background-fetch-manager-fetch
// https://wicg.github.io/background-fetch/#get-a-backgroundfetchregistration-instance

// The scope recorder() (resources/helpers.js) registers at.
const SCOPE = new URL("resources/scope" + location.pathname, location.href).href;
const FRAME_URL = new URL("resources/frame.html", location.href).href;

function within(ms, what, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(
    () => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))]);
}

// Appends an iframe loading `url` to the body; resolves with it after its load event. The
// caller removes it (t.add_cleanup).
function with_iframe(url) {
  const frame = document.createElement("iframe");
  const loaded = within(4000, `the load event of the iframe of ${url}`,
    new Promise(resolve => frame.addEventListener("load", resolve, { once: true })));
  frame.src = url;
  document.body.append(frame);
  return loaded.then(() => frame);
}

// The recorder's registration as the frame's realm sees it.
async function frameRegistration(frame) {
  const w = frame.contentWindow;
  const registration = await w.navigator.serviceWorker.getRegistration(SCOPE);
  assert_not_equals(registration, undefined, "the frame finds the registration");
  assert_true(registration instanceof w.ServiceWorkerRegistration, "an object of the frame's realm");
  assert_equals(registration.scope, SCOPE);
  return registration;
}

// Polls until `condition()` holds (at most 2 s).
async function eventually(t, condition) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => t.step_timeout(resolve, 10));
  }
}

promise_test(async t => {
  const manager = await recorder(t);
  const frame = await with_iframe(FRAME_URL);
  t.add_cleanup(() => frame.remove());
  const w = frame.contentWindow;
  const registration = await frameRegistration(frame);
  const frameManager = registration.backgroundFetch;
  assert_true(frameManager instanceof w.BackgroundFetchManager);
  assert_not_equals(frameManager, manager, "not the page's manager");

  const id = uniqueId();
  const url = body(1000000, "&chunk=10000&rate=50000&key=from-frame");  // 20 s: aborted below
  const fetched = await frameManager.fetch(id, [url]);
  assert_true(fetched instanceof w.BackgroundFetchRegistration,
              "a BackgroundFetchRegistration of the frame's realm");
  assert_false(fetched instanceof BackgroundFetchRegistration);
  assert_equals(fetched.id, id);
  assert_equals(fetched.result, "");

  const seen = await manager.get(id);
  assert_not_equals(seen, undefined, "the page's manager finds the frame's fetch");
  assert_true(seen instanceof BackgroundFetchRegistration, "in the page's realm");
  assert_not_equals(seen, fetched);
  assert_equals(seen.id, id);
  assert_true((await manager.getIds()).includes(id));
  assert_true((await frameManager.getIds()).includes(id));
  assert_equals(await frameManager.get(id), fetched, "the frame's get() finds its own instance");

  const messaged = nextMessage();
  assert_true(await seen.abort(), "the page aborts the frame's fetch");
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchabort");
  assert_equals(message.registration.id, id);
  assert_equals(seen.failureReason, "aborted");
  await eventually(t, () => fetched.failureReason === "aborted");
  assert_equals(fetched.result, "failure", "the frame's instance is updated too");
  assert_equals(fetched.failureReason, "aborted");
  assert_false((await manager.getIds()).includes(id));
}, "A fetch started with the frame's objects is the page's too (get(), getIds(), abort())");

promise_test(async t => {
  const manager = await recorder(t);
  const frame = await with_iframe(FRAME_URL);
  t.add_cleanup(() => frame.remove());
  const w = frame.contentWindow;
  const frameManager = (await frameRegistration(frame)).backgroundFetch;

  const id = uniqueId();
  const mine = await manager.fetch(id, body(1000000, "&chunk=10000&rate=50000&key=from-page"));
  const theirs = await frameManager.get(id);
  assert_not_equals(theirs, undefined, "the frame's manager finds the page's fetch");
  assert_true(theirs instanceof w.BackgroundFetchRegistration);
  assert_equals(theirs.id, id);
  const messaged = nextMessage();
  assert_true(await theirs.abort(), "the frame aborts the page's fetch");
  assert_equals((await messaged).type, "backgroundfetchabort");
  await eventually(t, () => mine.failureReason === "aborted");
  assert_equals(mine.failureReason, "aborted", "the page's instance is updated");
}, "The frame sees and aborts a fetch the page started");

promise_test(async t => {
  const manager = await recorder(t);
  const frame = await with_iframe(FRAME_URL);
  t.add_cleanup(() => frame.remove());
  const frameManager = (await frameRegistration(frame)).backgroundFetch;

  const id = uniqueId();
  const url = body(50000, "&chunk=5000&rate=100000&key=outlives");  // about half a second
  const messaged = nextMessage();
  await frameManager.fetch(id, [url]);
  frame.remove();
  assert_true((await manager.getIds()).includes(id), "still active after the frame is gone");
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchsuccess", "the fetch finished without the frame");
  assert_equals(message.registration.id, id);
  assert_equals(message.results.length, 1);
  assert_equals(message.results[0].size, 50000);
}, "A fetch started from a frame continues after the frame is removed");
