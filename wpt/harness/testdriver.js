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
  if (!internal.click) {
    internal.click = function () {
      return Promise.reject(new Error("test_driver_internal.click is not available"));
    };
  }
  self.test_driver = {
    set_permission: function (descriptor, state, context) {
      return self.test_driver_internal.set_permission(
        { descriptor: descriptor, state: state }, context === undefined ? null : context);
    },
    // A user's click on element: the page gets user activation, then element a click.
    click: function (element) {
      return self.test_driver_internal.click(element, { x: 0, y: 0 });
    },
    // As WPT's bless(): action (if any) runs in the handler of a user's click.
    bless: function (intent, action) {
      var button = document.createElement("button");
      button.textContent = "Click to " + intent;
      var done = new Promise(function (resolve, reject) {
        button.addEventListener("click", function () {
          try {
            resolve(action ? action() : undefined);
          } catch (e) {
            reject(e);
          } finally {
            button.remove();
          }
        }, { once: true });
      });
      document.body.appendChild(button);
      return self.test_driver.click(button).then(function () { return done; });
    },
  };
})();
