// The demo's service worker. When the background fetch succeeds it stores the episode and
// changes the display's title and icon (updateUI). It tells `bgfetch demo` what happened on
// the console: lines "bgfetch-demo {json}".

const report = (event, details) =>
  console.log("bgfetch-demo " + JSON.stringify(Object.assign({ event }, details)));

self.addEventListener("install", event => event.waitUntil(self.skipWaiting()));
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

// The "store the records" step: each record's response goes into the "episodes" cache, its
// body streamed into the profile by the Cache API (never read into memory here).
async function storeRecords(registration) {
  const records = await registration.matchAll();
  const cache = await caches.open("episodes");
  const stored = [];
  for (const record of records) {
    const response = await record.responseReady;
    await cache.put(record.request, response);
    stored.push({ url: record.request.url, status: response.status });
  }
  return { records: stored, cache: "episodes" };
}

self.addEventListener("backgroundfetchsuccess", event => {
  event.waitUntil((async () => {
    const stored = await storeRecords(event.registration);
    await event.updateUI({
      title: "Episode 1: ready to play offline",
      icons: [{ src: "/artwork-done-96.png", sizes: "96x96", type: "image/png" }],
    });
    report("backgroundfetchsuccess", Object.assign({
      id: event.registration.id,
      downloaded: event.registration.downloaded,
    }, stored));
  })().catch(e => {
    report("error", { message: `${e}` });
    throw e;
  }));
});

self.addEventListener("backgroundfetchfail", event => {
  report("backgroundfetchfail", {
    id: event.registration.id,
    failureReason: event.registration.failureReason,
  });
});

self.addEventListener("backgroundfetchabort", event => {
  report("backgroundfetchabort", { id: event.registration.id });
});

// The user clicked the display: report it, and open the episode's page (a click allows
// the worker one window).
self.addEventListener("backgroundfetchclick", event => {
  report("backgroundfetchclick", {
    id: event.registration.id,
    result: event.registration.result,
  });
  event.waitUntil(clients.openWindow("/index.html").catch(e => report("error", { message: `${e}` })));
});
