// A worker that starts a worker and relays its answer.
const inner = new Worker("echo.js", { name: "inner" });
inner.onmessage = e => postMessage({ relayed: e.data });
self.onmessage = e => inner.postMessage(e.data);
