// Answers every message with what it saw; "close" closes the worker.
self.onmessage = e => {
  if (e.data === "close") {
    setTimeout(() => postMessage("a timer after close() fired"), 0);
    close();
    postMessage("closed");
    return;
  }
  if (e.ports.length) {
    e.ports[0].postMessage("via the port: " + e.data);
    return;
  }
  postMessage({
    data: e.data,
    name: self.name,
    href: location.href,
    isDedicated: self instanceof DedicatedWorkerGlobalScope,
    trusted: e.isTrusted,
    origin: e.origin,
    source: e.source,
    buffer: e.data instanceof ArrayBuffer ? e.data.byteLength : null,
  });
};
