// META: title=Dynamically inserted script elements (HTML §4.12.1.1 "prepare the script element")
"use strict";

const R = "/html/scripting/resources/";

function script(src, { async } = {}) {
  const s = document.createElement("script");
  if (async !== undefined) s.async = async;
  s.src = src;
  return s;
}

function loaded(s) {
  return new Promise((resolve, reject) => {
    s.onload = () => resolve("load");
    s.onerror = () => resolve("error");
  });
}

test(() => {
  const s = document.createElement("script");
  assert_true(s.async, "a script made by script is async (force async)");
  s.async = false;
  assert_false(s.async);
  assert_false(s.hasAttribute("async"));
  s.async = true;
  assert_true(s.hasAttribute("async"));
  s.defer = true;
  assert_equals(s.getAttribute("defer"), "");
  assert_equals(s.src, "");
  s.src = "a.js";
  assert_equals(s.src, new URL("a.js", location.href).href, "src is a URL");
  assert_equals(s.crossOrigin, null);
  s.crossOrigin = "bogus";
  assert_equals(s.crossOrigin, "anonymous", "invalid value default");
  s.setAttribute("crossorigin", "USE-CREDENTIALS");
  assert_equals(s.crossOrigin, "use-credentials");
  assert_true(HTMLScriptElement.supports("classic"));
  assert_false(HTMLScriptElement.supports("text/javascript"));
}, "IDL attributes of HTMLScriptElement");

promise_test(async t => {
  self.scriptLog = [];
  // "a" is slower than "b"; with async = false they still run in insertion order.
  const a = script(R + "log.js?name=a&pipe=trickle(d0.3)", { async: false });
  const b = script(R + "log.js?name=b", { async: false });
  const done = Promise.all([loaded(a), loaded(b)]);
  document.head.append(a, b);
  assert_array_equals(self.scriptLog, [], "external scripts never run synchronously");
  assert_array_equals(await done, ["load", "load"]);
  assert_array_equals(self.scriptLog, ["a", "b"]);
  t.add_cleanup(() => { a.remove(); b.remove(); });
}, "async = false scripts run in insertion order");

promise_test(async t => {
  self.scriptLog = [];
  const a = script(R + "log.js?name=slow&pipe=trickle(d0.3)");
  const b = script(R + "log.js?name=fast");
  const done = Promise.all([loaded(a), loaded(b)]);
  document.head.append(a, b);
  await done;
  assert_array_equals(self.scriptLog, ["fast", "slow"], "as soon as possible");
  t.add_cleanup(() => { a.remove(); b.remove(); });
}, "async scripts run as soon as each is ready");

promise_test(async t => {
  self.scriptLog = [];
  const missing = script(R + "does-not-exist.js");
  const empty = document.createElement("script");
  empty.setAttribute("src", "");
  const results = Promise.all([loaded(missing), loaded(empty)]);
  document.head.append(missing, empty);
  assert_array_equals(await results, ["error", "error"]);
  assert_array_equals(self.scriptLog, []);
  t.add_cleanup(() => { missing.remove(); empty.remove(); });
}, "A 404 or an empty src fires error, not load");

test(t => {
  // This test runs inside the test file's own (parser-inserted) script.
  const outer = document.currentScript;
  assert_true(outer instanceof HTMLScriptElement, "the test's own script element");
  self.inlineRan = 0;
  const s = document.createElement("script");
  s.textContent = "self.inlineRan++; self.inlineCurrent = document.currentScript;";
  assert_equals(self.inlineRan, 0, "not run while detached");
  document.body.appendChild(s);
  assert_equals(self.inlineRan, 1, "an inline script runs when it is inserted");
  assert_equals(self.inlineCurrent, s, "currentScript is the element while it runs");
  assert_equals(document.currentScript, outer, "and restored after");
  s.remove();
  document.body.appendChild(s);
  assert_equals(self.inlineRan, 1, "a script runs once (already started)");
  const plain = document.createElement("script");
  plain.type = "text/plain";
  plain.textContent = "self.inlineRan = 100;";
  document.body.appendChild(plain);
  assert_equals(self.inlineRan, 1, "a data block does not run");
  const empty = document.createElement("script");
  document.body.appendChild(empty);
  empty.textContent = "self.inlineRan = 2;";
  assert_equals(self.inlineRan, 2, "text added to a connected empty script runs it");
  t.add_cleanup(() => { s.remove(); plain.remove(); empty.remove(); });
}, "Inline scripts");

promise_test(async t => {
  self.scriptLog = [];
  const s = document.createElement("script");
  document.head.appendChild(s);
  const result = loaded(s);
  s.src = R + "log.js?name=late-src";
  assert_equals(await result, "load", "setting src on a connected script that had none prepares it");
  assert_array_equals(self.scriptLog, ["late-src"]);
  t.add_cleanup(() => s.remove());
}, "A src set after insertion loads the script");

promise_test(async t => {
  // A script's load delays the document's load event only while the page loads; here the
  // page has loaded, and a new script's onload still fires.
  await new Promise(r => { if (document.readyState === "complete") r(); else addEventListener("load", r); });
  self.scriptLog = [];
  const s = script(R + "log.js?name=after-load");
  const result = loaded(s);
  document.body.appendChild(s);
  assert_equals(await result, "load");
  assert_array_equals(self.scriptLog, ["after-load"]);
  t.add_cleanup(() => s.remove());
}, "Scripts inserted after the load event");
