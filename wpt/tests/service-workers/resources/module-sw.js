// A module service worker: its imports are fetched while it installs and kept in its
// script resource map.
import { greeting } from "./module-sw-dep.js";

let importScriptsError = null;
try {
  importScripts("./same-sw.js");
} catch (e) {
  importScriptsError = e.name;
}

self.addEventListener("message", async e => {
  let dynamicImport = "resolved";
  try {
    await import("./module-sw-dep.js");
  } catch (err) {
    dynamicImport = err.name;
  }
  e.ports[0].postMessage({
    greeting,
    meta: import.meta.url,
    importScriptsError,
    dynamicImport,
    strict: (function () { return this === undefined; })(),
  });
});
