// importScripts() in a worker: order, errors, and what they throw.
function attempt(f) {
  try { f(); return "ok"; } catch (e) { return e.name + (e.constructor === DOMException ? " (DOMException)" : ""); }
}
const results = {};
importScripts();
importScripts("import-a.js", "import-b.js", "import-a.js");
results.order = self.order.join(",");
results.badUrl = attempt(() => importScripts("import-b.js", "http://["));
results.afterBadUrl = self.order.join(",");
results.missing = attempt(() => importScripts("does-not-exist.js"));
results.notJs = attempt(() => importScripts("../../fetch/api/resources/data.txt"));
results.throws = attempt(() => importScripts("import-throws.js"));
results.syntax = attempt(() => importScripts("import-syntax-error.js"));
results.stopsAtFailure = attempt(() => importScripts("does-not-exist.js", "import-b.js"));
results.afterFailure = self.order.join(",");
results.noArgs = attempt(() => importScripts());
postMessage(results);
