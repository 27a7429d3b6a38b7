// A minimal test_driver for the project's own suite (written for this project; upstream runs
// use WPT's own testdriver.js from the checkout): the calls our tests make, forwarded to
// test_driver_internal, which testdriver-vendor.js provides.
(function () {
  "use strict";
  var internal = self.test_driver_internal || (self.test_driver_internal = {});
  if (!internal.set_permission) {
    internal.set_permission = function () {
      return Promise.reject(new Error("test_driver_internal.set_permission is not available"));
    };
  }
  self.test_driver = {
    set_permission: function (descriptor, state, context) {
      return self.test_driver_internal.set_permission(
        { descriptor: descriptor, state: state }, context === undefined ? null : context);
    },
  };
})();
