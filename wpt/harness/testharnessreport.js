// testharnessreport.js of the bgfetch WPT runner (written for this project, not WPT's):
// no HTML output; the results go to the runner through __wptReport, a function the runner
// installs in every global it creates. Timeouts are the runner's (explicit_timeout), which
// calls timeout() when a test file runs out of time.
(function () {
  "use strict";
  setup({ output: false, explicit_timeout: true });
  // Lone surrogates would make the JSON unreadable on the Rust side; wptrunner's wptreport
  // formatter writes them as "U+d800", and so do we.
  function clean(s) {
    if (typeof s !== "string") return s === undefined ? null : s;
    return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      function (c) { return "U+" + c.charCodeAt(0).toString(16); });
  }
  add_completion_callback(function (tests, status) {
    var report = {
      status: status.status,
      message: clean(status.message),
      stack: clean(status.stack),
      tests: tests.map(function (t) {
        return {
          name: clean(t.name),
          status: t.status,
          message: clean(t.message),
          stack: clean(t.stack),
        };
      }),
    };
    if (typeof self.__wptReport === "function") {
      self.__wptReport(JSON.stringify(report));
    }
  });
})();
