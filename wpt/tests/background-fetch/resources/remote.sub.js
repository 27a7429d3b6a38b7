// Another origin of the test server (its "alt" host, same scheme and port), and a URL of this
// origin that redirects to `target` with `status` (a static file with a wptserve pipe).
"use strict";

const REMOTE_ORIGIN =
  location.protocol + "//{{hosts[alt][]}}" + (location.port ? ":" + location.port : "");

function redirectTo(target, status = 302) {
  const escaped = String(target).replace(/[\\,()]/g, "\\$&");
  const pipe = "status(" + status + ")|header(Location," + escaped + ")";
  return new URL("resources/helpers.js?pipe=" + encodeURIComponent(pipe), location.href).href;
}
