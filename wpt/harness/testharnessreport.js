// testharnessreport.js of the bgfetch WPT runner (written for this project, not WPT's):
// no HTML output; the results go to the runner through __wptReport, a function the runner
// installs in every global it creates. Timeouts are the runner's (explicit_timeout), which
// calls timeout() when a test file runs out of time.
(function () {
  "use strict";
  setup({ output: false, explicit_timeout: true });
  add_completion_callback(function (tests, status) {
    var report = {
      status: status.status,
      message: status.message === undefined ? null : status.message,
      stack: status.stack === undefined ? null : status.stack,
      tests: tests.map(function (t) {
        return {
          name: t.name,
          status: t.status,
          message: t.message === undefined ? null : t.message,
          stack: t.stack === undefined ? null : t.stack,
        };
      }),
    };
    if (typeof self.__wptReport === "function") {
      self.__wptReport(JSON.stringify(report));
    }
  });
})();
