// A service worker whose install fails: its waitUntil promise rejects.
self.addEventListener("install", e => e.waitUntil(Promise.reject(new Error("no"))));
