// A service worker that reads every record's response.body of a successful background fetch
// with a BYOB reader (one 64 KiB buffer, read into again and again), inside its
// backgroundfetchsuccess handler, and tells the page what it read: each body's size, a
// checksum of its bytes, how many reads it took and the largest read. The first record is
// also cloned, and the clone read with a BYOB reader with `min`.
"use strict";
self.addEventListener("message", e => e.source.postMessage({ type: "ready" }));

// FNV-1a over the bytes, continued from `hash`.
function fnv(hash, bytes) {
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash;
}

async function readByob(stream, size, min) {
  const reader = stream.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(size);
  let total = 0;
  let reads = 0;
  let largest = 0;
  let hash = 2166136261;
  let sameBuffer = true;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer), min ? { min } : {});
    if (done) break;
    reads++;
    total += value.byteLength;
    largest = Math.max(largest, value.byteLength);
    sameBuffer = sameBuffer && value.buffer.byteLength === size;
    hash = fnv(hash, value);
    buffer = value.buffer;
  }
  return { size: total, hash, reads, largest, sameBuffer };
}

self.addEventListener("backgroundfetchsuccess", e => e.waitUntil((async () => {
  const results = [];
  let clone = null;
  try {
    const records = await e.registration.matchAll();
    for (const [i, record] of records.entries()) {
      const response = await record.responseReady;
      if (i === 0) {
        const copy = response.clone();
        const [mine, theirs] = await Promise.all([
          readByob(response.body, 64 * 1024),
          readByob(copy.body, 10000, 3000),
        ]);
        results.push({ url: response.url, ...mine });
        clone = theirs;
      } else {
        results.push({ url: response.url, ...(await readByob(response.body, 64 * 1024)) });
      }
    }
  } catch (err) {
    results.push({ error: `${err.name}: ${err.message}` });
  }
  const clients_ = await clients.matchAll({ includeUncontrolled: true });
  for (const c of clients_) c.postMessage({ type: "byob", results, clone });
})()));
