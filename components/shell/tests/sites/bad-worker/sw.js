addEventListener("install", event => event.waitUntil(Promise.reject(new Error("no room"))));
