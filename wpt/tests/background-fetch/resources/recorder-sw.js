// A service worker that reports every background fetch event to the page that set it up:
// the event's type and registration, and each record's response (or why it has none).
"use strict";
let page = null;

self.addEventListener("message", e => {
  page = e.source;
  e.source.postMessage({ type: "ready" });
});

async function describe(record) {
  try {
    const response = await record.responseReady;
    const size = (await response.clone().arrayBuffer()).byteLength;
    return {
      url: response.url, status: response.status, size, text: await response.text(),
      contentLength: response.headers.get("content-length"),
    };
  } catch (e) {
    return { error: e.name };
  }
}

async function report(e) {
  const r = e.registration;
  const copy = {};
  for (const key in r) {
    if (typeof r[key] !== "function") copy[key] = r[key];
  }
  const records = await r.matchAll();
  const message = {
    type: e.type,
    eventInterface: e.constructor.name,
    trusted: e.isTrusted,
    registration: copy,
    isRegistration: r instanceof BackgroundFetchRegistration,
    results: await Promise.all(records.map(describe)),
  };
  if (e.type !== "backgroundfetchabort") {
    try {
      await e.updateUI({ title: "done" });
      message.updateUI = "ok";
    } catch (err) {
      message.updateUI = err.name;
    }
    try {
      await e.updateUI({ title: "again" });
      message.secondUpdateUI = "ok";
    } catch (err) {
      message.secondUpdateUI = err.name;
    }
  }
  page.postMessage(message);
}

for (const type of ["backgroundfetchsuccess", "backgroundfetchfail", "backgroundfetchabort"]) {
  self.addEventListener(type, e => e.waitUntil(report(e)));
}
