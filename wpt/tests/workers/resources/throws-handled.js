// The worker's own onerror handles its error: nothing reaches the Worker object.
self.onerror = () => { postMessage("handled in the worker"); return true; };
throw new Error("handled");
