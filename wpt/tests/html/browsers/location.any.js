// META: title=location: Location in windows, WorkerLocation in workers (HTML §7.10, §10.3.3)
// META: global=window,worker
"use strict";

test(() => {
  const isWindow = GLOBAL.isWindow();
  const L = isWindow ? Location : WorkerLocation;
  assert_true(location instanceof L);
  assert_equals(location, self.location, "the same object every time");
  assert_equals(isWindow ? typeof WorkerLocation : typeof Location, "undefined", "the other is not exposed");
  const url = new URL(location.href);
  assert_equals(location.origin, self.origin);
  assert_equals(location.protocol, url.protocol);
  assert_equals(location.host, url.host);
  assert_equals(location.hostname, url.hostname);
  assert_equals(location.port, url.port);
  assert_equals(location.pathname, url.pathname);
  assert_equals(location.search, url.search);
  assert_equals(location.hash, url.hash);
  assert_equals(String(location), location.href, "stringifier");
  // A window is at its page; a worker at its script.
  assert_true(location.pathname.endsWith(isWindow ? "/location.any.html" : "/location.any.worker.js"),
    location.pathname);
}, "location describes the global's URL");

test(() => {
  if (!GLOBAL.isWindow()) return;
  // [LegacyUnforgeable]: own properties of the Location object, not on the prototype.
  const d = Object.getOwnPropertyDescriptor(location, "href");
  assert_not_equals(d, undefined, "href is an own property");
  assert_false(d.configurable);
  assert_equals(Object.getOwnPropertyDescriptor(Location.prototype, "href"), undefined);
  const w = Object.getOwnPropertyDescriptor(self, "location");
  assert_false(w.configurable, "window.location is unforgeable");
}, "Location's members are unforgeable");
