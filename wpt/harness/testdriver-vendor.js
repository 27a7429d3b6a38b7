// test_driver_internal for the bgfetch WPT runner (written for this project): the calls
// testdriver.js forwards go to the engine's embedder through functions the runner installs.
(function () {
  "use strict";
  var internal = self.test_driver_internal || (self.test_driver_internal = {});
  if (typeof self.__wptSetPermission === "function") {
    // test_driver.set_permission(descriptor, state, context) arrives here as
    // ({descriptor, state}, context) and sets the state in the engine's permission store,
    // for the test's origin, or when context is the WindowProxy of one of this page's
    // iframes (possibly cross-origin), for the origin of that frame's src.
    internal.set_permission = function (permission_params, context) {
      return new Promise(function (resolve, reject) {
        var params = { descriptor: permission_params.descriptor, state: permission_params.state };
        if (context && context !== self) {
          var frames = self.document ? self.document.querySelectorAll("iframe") : [];
          for (var i = 0; i < frames.length; i++) {
            if (frames[i].contentWindow === context) {
              params.origin = new URL(frames[i].src, self.location.href).origin;
            }
          }
          if (!params.origin) {
            reject(new Error("set_permission: the context is none of this page's frames"));
            return;
          }
        }
        self.__wptSetPermission(JSON.stringify(params));
        resolve();
      });
    };
  }
  if (typeof self.__wptActivate === "function") {
    // test_driver.click(element): the engine gives the page user activation (as a real
    // click would, HTML "activation notification"), then a click event reaches element.
    internal.click = function (element, coords) {
      self.__wptActivate("");
      return new Promise(function (resolve) {
        // The activation arrives as a task; the click follows it.
        setTimeout(function () {
          element.dispatchEvent(new Event("click", { bubbles: true, cancelable: true, composed: true }));
          resolve();
        }, 0);
      });
    };
  }
})();
