// META: title=An exception in a dynamically loaded script is reported, and the script still loads (HTML §8.1.4.6)
"use strict";

setup({ allow_uncaught_exception: true });

const R = "/html/scripting/resources/";

promise_test(async t => {
  self.scriptLog = [];
  const errors = [];
  const onerror = e => { errors.push(e.filename); e.preventDefault(); };
  window.addEventListener("error", onerror);
  t.add_cleanup(() => window.removeEventListener("error", onerror));
  const s = document.createElement("script");
  s.src = R + "throws.js";
  const result = new Promise(resolve => {
    s.onload = () => resolve("load");
    s.onerror = () => resolve("error");
  });
  document.head.append(s);
  assert_equals(await result, "load", "a script that throws still loads");
  assert_array_equals(self.scriptLog, ["throws"]);
  assert_equals(errors.length, 1);
  assert_true(errors[0].endsWith("throws.js"), errors[0]);
}, "An exception in a loaded script is reported at the window");

