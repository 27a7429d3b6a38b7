// New bytes on every fetch ({{uuid()}}); skips waiting; a "hold" message keeps its event
// active (waitUntil) until a "release" message.
"use strict";
self.addEventListener("install", () => self.skipWaiting());
let release = () => {};
self.addEventListener("message", e => {
  if (e.data === "hold") e.waitUntil(new Promise(resolve => { release = resolve; }));
  if (e.data === "release") release();
  e.source.postMessage("ok:" + e.data);
});
