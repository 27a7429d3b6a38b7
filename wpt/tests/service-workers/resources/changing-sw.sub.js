// Different bytes on every fetch ({{uuid()}}), so update() always installs a new worker.
self.addEventListener("message", e => e.source.postMessage("{{uuid()}}"));
