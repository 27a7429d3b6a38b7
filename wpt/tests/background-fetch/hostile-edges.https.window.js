// META: title=Background fetch and fetch() at the edges a hostile page or server reaches (Fetch: HTTP-redirect fetch; Background Fetch: create record objects)
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
// META: script=resources/remote.sub.js
"use strict";

// A URL of the other origin with credentials in it, that allows CORS.
function remoteWithCredentials(size) {
  const url = new URL(REMOTE_ORIGIN + body(size, "&acao=*"));
  url.username = "user";
  url.password = "pass";
  return url.href;
}

// https://fetch.spec.whatwg.org/#http-redirect-fetch step 7: the request's mode is "cors",
// the location includes credentials and is not same origin with the request's origin. The
// first hop is same origin, so the response tainting is still "basic" when it is checked.
promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch(redirectTo(remoteWithCredentials(10))));
  // The same redirect to this origin's URL with credentials is followed.
  const own = new URL(body(10), location.href);
  own.username = "user";
  const response = await fetch(redirectTo(own.href));
  assert_equals((await response.arrayBuffer()).byteLength, 10);
}, "fetch(): a CORS request is not redirected to another origin's URL with credentials");

promise_test(async t => {
  const manager = await recorder(t);
  const registration =
    await manager.fetch(uniqueId(), redirectTo(remoteWithCredentials(10)));
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(message.registration.failureReason, "fetch-error");
  assert_equals(message.results[0].error, "TypeError", "the record has no response");
  assert_equals(registration.failureReason, "fetch-error");
}, "Background fetch: a record redirected to another origin's URL with credentials is a fetch-error");

// https://wicg.github.io/background-fetch/#create-record-objects: the record's response is
// the filtered response; an opaque-redirect filtered response has a null body, so reading it
// gives nothing (it does not reject).
promise_test(async t => {
  const manager = await recorder(t);
  const request = new Request(redirectTo(body(10)), { redirect: "manual" });
  await manager.fetch(uniqueId(), request);
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(message.registration.failureReason, "bad-status");
  const result = message.results[0];
  assert_equals(result.error, undefined, "the body reads: " + JSON.stringify(result));
  assert_equals(result.status, 0);
  assert_equals(result.size, 0);
  assert_equals(result.text, "");
}, "Background fetch: an opaque-redirect record's body reads as empty");

// This implementation's documented limits (net_traits::background_fetch::limits): each one
// refused with a TypeError when fetch() is called.
promise_test(async t => {
  const manager = await recorder(t);
  const MiB = 1 << 20;
  await promise_rejects_js(t, TypeError, manager.fetch("i".repeat(MiB + 1), body(10)), "id");
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), body(10), { title: "t".repeat(MiB + 1) }), "title");
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), body(10), { icons: Array(257).fill({ src: "icon.png" }) }),
    "icon count");
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), body(10), { icons: [{ src: "icon.png", sizes: "1x1 ".repeat(20000) }] }),
    "icon sizes");
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), body(10), { icons: [{ src: "icon.png", label: "l".repeat(65537) }] }),
    "icon label");
  assert_array_equals(await manager.getIds(), [], "nothing was registered");
  // At the limits, it is accepted.
  const registration = await manager.fetch(uniqueId(), body(10),
    { title: "t".repeat(MiB), icons: Array(256).fill({ src: "icon.png", sizes: "32x32" }) });
  assert_equals((await nextMessage()).type, "backgroundfetchsuccess");
  assert_equals(registration.result, "success");
}, "fetch(): ids, titles and icons past the limits are refused with a TypeError");

promise_test(async t => {
  const manager = await recorder(t, "resources/update-ui-sw.js");
  await manager.fetch(uniqueId(), body(10));
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchsuccess");
  assert_equals(message.tooLong, "TypeError");
  assert_equals(message.tooManyIcons, "TypeError");
  assert_equals(message.good, "ok", "the refused calls did not use up the one updateUI()");
  assert_equals(message.again, "InvalidStateError");
}, "updateUI(): a call refused for its options does not count as the event's one call");

// https://w3c.github.io/ServiceWorker/#extendableevent-active: an event with a pending
// extend lifetime promise stays active whatever script keeps of it; only the user agent's
// lifetime limit ends it, so the records stay available.
promise_test(async t => {
  const manager = await recorder(t, "resources/stuck-sw.js");
  const registration = await manager.fetch(uniqueId(), body(10));
  assert_equals((await nextMessage()).type, "extended");
  await new Promise(resolve => t.step_timeout(resolve, 700));
  assert_true(registration.recordsAvailable, "the event is still active");
  assert_equals((await registration.matchAll()).length, 1);
}, "A pending waitUntil() keeps the event active after the event object is unreachable");

// An id is a DOMString: ids that differ only in a lone surrogate are different ids, and
// come back with their code units.
promise_test(async t => {
  const manager = await recorder(t);
  const slow = body(20000, "&chunk=1000&rate=20000&key=surrogates");
  const lead = await manager.fetch("\uD800", slow);
  const trail = await manager.fetch("\uDC00", slow);
  assert_equals(lead.id, "\uD800");
  assert_equals(trail.id, "\uDC00");
  assert_array_equals((await manager.getIds()).sort(), ["\uD800", "\uDC00"]);
  assert_equals(await manager.get("\uDC00"), trail);
  assert_equals(await manager.get("\uFFFD"), undefined);
  await lead.abort();
  await trail.abort();
}, "Ids keep lone surrogates: '\\uD800' and '\\uDC00' are two fetches");
