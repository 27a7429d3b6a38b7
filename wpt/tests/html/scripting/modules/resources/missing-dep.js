import "./does-not-exist.js";
self.missingDepRan = true;
