// Echoes every message on the "from-sw" channel; answers a ping on its message event so the
// page knows the channel exists.
const channel = new BroadcastChannel("from-sw");
channel.onmessage = e => channel.postMessage({ echo: e.data, from: "ServiceWorkerGlobalScope" });
self.addEventListener("message", e => e.ports[0].postMessage("ready"));
