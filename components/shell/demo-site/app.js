// The demo page: a podcast with one episode to keep for offline listening. startEpisode()
// registers the service worker and starts the background fetch; `bgfetch demo` calls it
// (the button does the same in a browser). It resolves to a JSON string, or rejects with
// what went wrong.

// Rejects if the worker ends up redundant (its script threw, or its install event failed).
function installFailure(worker) {
  return new Promise((_, reject) => {
    const check = () => {
      if (worker.state === "redundant") {
        reject(new Error("the service worker failed to install"));
      }
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

async function startEpisode(episode) {
  const registration = await navigator.serviceWorker.register("/sw.js");
  const worker = registration.installing || registration.waiting || registration.active;
  await Promise.race([navigator.serviceWorker.ready, installFailure(worker)]);
  const existing = await registration.backgroundFetch.get(episode.id);
  if (existing) {
    return JSON.stringify({ id: existing.id, existing: true });
  }
  const bgFetch = await registration.backgroundFetch.fetch(episode.id, [episode.url], {
    title: episode.title,
    icons: episode.icons,
    downloadTotal: episode.size,
  });
  bgFetch.addEventListener("progress", () => {
    const p = document.querySelector("#progress");
    if (p) p.textContent = `${bgFetch.downloaded} of ${bgFetch.downloadTotal} bytes`;
  });
  return JSON.stringify({ id: bgFetch.id, downloadTotal: bgFetch.downloadTotal });
}

document.querySelector("#download").addEventListener("click", () => {
  startEpisode({
    id: "episode-1",
    url: "/_faults/body?size=1048576&key=episode",
    size: 1048576,
    title: "Episode 1: Fetching in the background",
    icons: [{ src: "/artwork-96.png", sizes: "96x96", type: "image/png" }],
  }).catch(e => console.error(`${e}`));
});
