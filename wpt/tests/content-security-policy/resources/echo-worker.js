// Answers every message with "echo:" + data (dedicated and shared workers).
self.onmessage = e => postMessage("echo:" + e.data);
self.onconnect = e => { e.ports[0].onmessage = m => e.ports[0].postMessage("echo:" + m.data); };
