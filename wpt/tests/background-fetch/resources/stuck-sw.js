// A service worker whose success handler extends the event with a promise that never
// settles and keeps no reference to the event or the promise; then it makes garbage, so
// the collector runs, and tells the page.
"use strict";
let page = null;

self.addEventListener("message", e => {
  page = e.source;
  e.source.postMessage({ type: "ready" });
});

function makeGarbage() {
  let garbage = [];
  for (let i = 0; i < 200000; i++) garbage.push({ i, a: [i] });
  garbage = null;
}

self.addEventListener("backgroundfetchsuccess", e => {
  e.waitUntil(new Promise(() => {}));
  setTimeout(() => {
    makeGarbage();
    page.postMessage({ type: "extended" });
  }, 0);
});
