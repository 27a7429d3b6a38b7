// Records messages that arrived while the script ran (none can: the queue is disabled).
const seen = [];
self.onmessage = e => { seen.push(e.data); postMessage(seen.slice()); };
let spin = Date.now() + 50;
while (Date.now() < spin) {}
