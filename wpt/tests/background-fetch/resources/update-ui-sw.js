// A service worker whose success handler calls updateUI() with a title over the limit, then
// with a good one, and tells the page what each call did.
"use strict";
let page = null;

self.addEventListener("message", e => {
  page = e.source;
  e.source.postMessage({ type: "ready" });
});

async function attempt(event, options) {
  try {
    await event.updateUI(options);
    return "ok";
  } catch (e) {
    return e.name;
  }
}

self.addEventListener("backgroundfetchsuccess", e => e.waitUntil((async () => {
  const tooLong = await attempt(e, { title: "x".repeat((1 << 20) + 1) });
  const tooManyIcons = await attempt(e, { icons: Array(257).fill({ src: "icon.png" }) });
  const good = await attempt(e, { title: "done" });
  const again = await attempt(e, { title: "again" });
  page.postMessage({ type: e.type, tooLong, tooManyIcons, good, again });
})()));
