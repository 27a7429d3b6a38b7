// test_driver_internal for the bgfetch WPT runner (written for this project): the calls
// testdriver.js forwards go to the engine's embedder through functions the runner installs.
(function () {
  "use strict";
  var internal = self.test_driver_internal || (self.test_driver_internal = {});
  if (typeof self.__wptSetPermission === "function") {
    // test_driver.set_permission(descriptor, state, context) arrives here as
    // ({descriptor, state}, context) and sets the state in the engine's permission store.
    internal.set_permission = function (permission_params, context) {
      return new Promise(function (resolve) {
        self.__wptSetPermission(JSON.stringify(permission_params));
        resolve();
      });
    };
  }
})();
