// A service worker that tells the page which background fetch event came and how many
// records it has, without reading any of them (for fetches of very many records).
"use strict";
let page = null;

self.addEventListener("message", e => {
  page = e.source;
  e.source.postMessage({ type: "ready" });
});

for (const type of ["backgroundfetchsuccess", "backgroundfetchfail", "backgroundfetchabort"]) {
  self.addEventListener(type, e => e.waitUntil((async () => {
    const records = await e.registration.matchAll();
    if (page) page.postMessage({ type, records: records.length });
  })()));
}
