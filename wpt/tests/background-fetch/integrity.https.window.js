// META: title=Subresource Integrity for fetch() and background fetch (Fetch main fetch "integrity metadata"; SRI "do bytes match metadataList")
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

// resources/hello.txt is "Hello, world." (13 bytes, no newline).
const HELLO = new URL("resources/hello.txt", location.href).href;
const SHA256 = "sha256-+MO/YqmqPm/BYZwlDkir51GTc9Pt9BvmLrXcRRma8u8=";
const SHA512 = "sha512-rQw3wx1psxXzqB8TyM3nAQlK2RcluhsNwxmcqXE2YbgoDW735o8TPmIR4uWpoxUERddvFwjgRSGw7gNPCwuvJg==";
const WRONG256 = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

promise_test(async t => {
  assert_equals(await (await fetch(HELLO, { integrity: SHA256 })).text(), "Hello, world.");
  assert_equals(await (await fetch(HELLO, { integrity: SHA512 + "?option" })).text(),
    "Hello, world.", "options after ? are ignored");
  assert_equals(await (await fetch(HELLO, { integrity: "md5-AAAA sha1-BBBB" })).text(),
    "Hello, world.", "no valid metadata: nothing to check");
  assert_equals(await (await fetch(HELLO, { integrity: WRONG256 + " " + SHA256 })).text(),
    "Hello, world.", "any item of the strongest algorithm may match");
}, "fetch(): a body that matches its integrity metadata is handed over");

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch(HELLO, { integrity: WRONG256 }));
  await promise_rejects_js(t, TypeError, fetch(HELLO, { integrity: SHA256 + " sha512-AAAA" }),
    "the strongest algorithm decides");
  await promise_rejects_js(t, TypeError, fetch(body(100), { integrity: SHA256 }));
}, "fetch(): a body that does not match is a network error");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(),
    [new Request(HELLO, { integrity: SHA256 }), new Request(body(10), { integrity: "" })]);
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchsuccess");
  assert_equals(message.results.find(r => r.url === HELLO).text, "Hello, world.");
  assert_equals(registration.downloaded, 23);
}, "Background fetch: a record whose body matches succeeds");

promise_test(async t => {
  const manager = await recorder(t);
  const registration =
    await manager.fetch(uniqueId(), new Request(HELLO, { integrity: WRONG256 }));
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(message.registration.failureReason, "fetch-error");
  assert_equals(message.results[0].error, "TypeError", "the record has no response");
  assert_equals(registration.failureReason, "fetch-error");
  assert_equals(registration.downloaded, 0, "nothing of the body is kept");
}, "Background fetch: a record whose body does not match is a fetch-error and keeps nothing");
