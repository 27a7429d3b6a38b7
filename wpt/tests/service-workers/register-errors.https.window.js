// META: title=register() rejections (Service Workers, Start Register / Register / Update)
"use strict";

const resources = new URL("resources/", location.href).href;
const sw = navigator.serviceWorker;

promise_test(async t => {
  await promise_rejects_js(t, TypeError, sw.register("http://["), "a URL that does not parse");
  await promise_rejects_js(t, TypeError, sw.register("data:text/javascript,0"),
    "not http(s)");
  await promise_rejects_js(t, TypeError, sw.register("resources/a%2fb.js"), "%2f in the path");
  await promise_rejects_js(t, TypeError, sw.register("resources/a%5Cb.js"), "%5c in the path");
  await promise_rejects_js(t, TypeError,
    sw.register("resources/same-sw.js", { scope: "http://[" }), "a scope that does not parse");
  await promise_rejects_js(t, TypeError,
    sw.register("resources/same-sw.js", { scope: "blob:" + location.origin + "/x" }),
    "a scope that is not http(s)");
  await promise_rejects_js(t, TypeError,
    sw.register("resources/same-sw.js", { scope: "resources/%2F" }), "%2f in the scope");
  await promise_rejects_js(t, TypeError,
    sw.register("resources/same-sw.js", { updateViaCache: "sometimes" }),
    "an updateViaCache that is not an enum value");
}, "Start Register: TypeError for URLs that do not parse, are not http(s) or hide slashes");

promise_test(async t => {
  const other = location.protocol + "//www1." + location.host + "/service-workers/resources/same-sw.js";
  await promise_rejects_dom(t, "SecurityError", sw.register(other),
    "a cross-origin script");
  await promise_rejects_dom(t, "SecurityError",
    sw.register("resources/same-sw.js", { scope: other.replace("same-sw.js", "") }),
    "a cross-origin scope");
  await promise_rejects_dom(t, "SecurityError",
    sw.register("resources/same-sw.js", { scope: "./" }),
    "a scope above the script's directory without Service-Worker-Allowed");
  await promise_rejects_dom(t, "SecurityError",
    sw.register("resources/not-javascript.txt", { scope: resources + "scope/text" }),
    "a script that is not served as JavaScript");
  assert_equals(await sw.getRegistration(resources + "scope/text"), undefined,
    "the failed registration is gone");
}, "Register and Update: SecurityError for other origins, scopes above the maximum, non-JavaScript");

promise_test(async t => {
  await promise_rejects_js(t, TypeError,
    sw.register("resources/missing-sw.js", { scope: resources + "scope/missing" }),
    "a 404");
  await promise_rejects_js(t, TypeError,
    sw.register("resources/throws-sw.js", { scope: resources + "scope/throws" }),
    "a script that throws");
  assert_equals(await sw.getRegistration(resources + "scope/missing"), undefined);
  assert_equals(await sw.getRegistration(resources + "scope/throws"), undefined);
}, "Update: TypeError when the script cannot be fetched or throws, and no registration remains");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, sw.getRegistration("http://["));
  await promise_rejects_dom(t, "SecurityError",
    sw.getRegistration(location.protocol + "//www1." + location.host + "/"));
}, "getRegistration(): TypeError for a bad URL, SecurityError for another origin");
