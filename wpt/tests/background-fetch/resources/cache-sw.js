// A service worker that stores every record of a successful background fetch in the cache
// named after the fetch, without reading a body itself (cache.put takes the record's
// response as it is), and tells the page how many it stored.
"use strict";
self.addEventListener("message", e => e.source.postMessage({ type: "ready" }));

self.addEventListener("backgroundfetchsuccess", e => e.waitUntil((async () => {
  const cache = await caches.open(e.registration.id);
  const records = await e.registration.matchAll();
  for (const record of records) {
    await cache.put(record.request, await record.responseReady);
  }
  const clients_ = await clients.matchAll({ includeUncontrolled: true });
  for (const c of clients_) c.postMessage({ type: "stored", count: records.length });
})()));
