// A shared worker counting its connections; each port echoes.
let connections = 0;
self.onconnect = e => {
  connections++;
  const port = e.ports[0];
  port.postMessage({
    connections,
    name: self.name,
    sourceIsPort: e.source === port,
    data: e.data,
    type: e.constructor.name,
    isShared: self instanceof SharedWorkerGlobalScope,
  });
  port.onmessage = m => {
    if (m.data === "close") { close(); return; }
    port.postMessage("echo: " + m.data);
  };
};
