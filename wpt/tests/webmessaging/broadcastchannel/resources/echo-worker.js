// Echoes every message on the channel named by the worker's name (or "cross-global").
const channel = new BroadcastChannel(self.name || "cross-global");
channel.onmessage = e => channel.postMessage({ echo: e.data, from: self.constructor.name });
if (typeof postMessage === "function") {
  postMessage("ready");
} else {
  self.onconnect = e => e.ports[0].postMessage("ready");
}
