import { add } from "./exports.js";
import { note } from "./log.js";
note("worker");
// A shared worker's connect event may come while the top-level await below is pending.
let ready;
const result = new Promise(resolve => (ready = resolve));
if (typeof postMessage !== "function") {
  self.onconnect = async e => e.ports[0].postMessage(await result);
}
let importScriptsError = null;
try {
  importScripts("./exports.js");
} catch (e) {
  importScriptsError = e.name;
}
const dynamic = await import("./dynamic-target.js");
ready({
  sum: add(2, 3),
  meta: import.meta.url,
  log: self.moduleLog,
  importScriptsError,
  dynamic: dynamic.value,
});
if (typeof postMessage === "function") {
  postMessage(await result);
}
