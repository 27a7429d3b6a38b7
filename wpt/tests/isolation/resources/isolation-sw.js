// The service worker each origin registers in the isolation tests: nothing but a worker
// to hold background fetches (no fetch handler, so pages are not controlled).
"use strict";
self.addEventListener("install", () => self.skipWaiting());
