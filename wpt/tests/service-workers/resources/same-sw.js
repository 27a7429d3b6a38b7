// The same bytes on every fetch: update() finds nothing new.
self.addEventListener("install", () => {});
