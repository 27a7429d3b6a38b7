// META: title=BackgroundFetchManager.fetch() end to end (Background Fetch §"fetch()", "perform a background fetch", "update background fetch instances")
// META: script=/resources/testdriver.js
// META: script=/resources/testdriver-vendor.js
// META: script=resources/helpers.js
"use strict";

promise_test(async t => {
  const manager = await recorder(t);
  const id = uniqueId();
  const registration = await manager.fetch(id, body(5000), { title: "five thousand" });
  // (Listening from the task that resolved fetch(): the worker's message cannot come first.)
  const messaged = nextMessage();
  assert_true(registration instanceof BackgroundFetchRegistration);
  assert_equals(registration.id, id);
  assert_equals(registration.uploadTotal, 0);
  assert_equals(registration.downloadTotal, 0);
  assert_equals(registration.result, "");
  assert_equals(registration.failureReason, "");
  assert_true(registration.recordsAvailable);
  let progress = 0;
  registration.onprogress = () => progress++;
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchsuccess");
  assert_equals(message.eventInterface, "BackgroundFetchUpdateUIEvent");
  assert_true(message.trusted);
  assert_true(message.isRegistration);
  assert_equals(message.registration.id, id);
  assert_equals(message.registration.result, "success");
  assert_equals(message.registration.downloaded, 5000);
  assert_equals(message.results.length, 1);
  assert_equals(message.results[0].status, 200);
  assert_equals(message.results[0].size, 5000);
  assert_equals(message.results[0].contentLength, null,
    "a record's response has no Content-Length (create record objects)");
  assert_equals(message.updateUI, "ok");
  assert_equals(message.secondUpdateUI, "InvalidStateError", "updateUI() once per event");
  // The page's object settled before the worker's message could arrive.
  assert_equals(registration.result, "success");
  assert_equals(registration.downloaded, 5000);
  assert_greater_than(progress, 0, "progress fired at the page's registration");
  // Once the event's promises settled, the records are gone.
  for (let i = 0; i < 200 && registration.recordsAvailable; i++) {
    await new Promise(resolve => t.step_timeout(resolve, 10));
  }
  assert_false(registration.recordsAvailable);
  await promise_rejects_dom(t, "InvalidStateError", registration.matchAll());
}, "A background fetch succeeds: progress, the success event, the stored response");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(), [body(100), body(50, "&status=404")]);
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(message.registration.result, "failure");
  assert_equals(message.registration.failureReason, "bad-status");
  const statuses = message.results.map(r => r.status).sort();
  assert_array_equals(statuses, [200, 404]);
  const notFound = message.results.find(r => r.status === 404);
  assert_equals(notFound.text, "", "a bad-status response's body is not stored");
  assert_equals(registration.failureReason, "bad-status");
}, "A not-ok status fails the fetch with bad-status");

promise_test(async t => {
  const manager = await recorder(t);
  await promise_rejects_js(t, TypeError, manager.fetch(uniqueId(), []), "no requests");
  for (const url of ["wss://example.test/", "file:///etc/hosts", "data:text/plain,x",
                     "foo://bar/", "https://" + location.hostname + ":587/"]) {
    await promise_rejects_js(t, TypeError, manager.fetch(uniqueId(), url), url);
  }
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), new Request("/x", { mode: "no-cors" })), "no-cors");
  await promise_rejects_js(t, TypeError,
    manager.fetch(uniqueId(), "https://user:pass@" + location.host + "/"), "credentials");
}, "fetch() refuses requests that could never be fetched with a TypeError");

promise_test(async t => {
  const manager = await recorder(t);
  const id = uniqueId();
  const slow = body(20000, "&chunk=1000&rate=20000&key=dup");
  const first = await manager.fetch(id, slow);
  const messaged = nextMessage();
  await promise_rejects_js(t, TypeError, manager.fetch(id, slow),
    "an id already active in this registration");
  assert_equals(await manager.get(id), first, "get() finds the same instance");
  assert_true((await manager.getIds()).includes(id));
  await promise_rejects_js(t, TypeError, manager.get(""));
  assert_equals(await manager.get("no such id"), undefined);
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchsuccess");
  assert_false((await manager.getIds()).includes(id), "a settled fetch is no longer active");
}, "Ids are unique among active fetches; get() and getIds() see the active ones");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(), body(1000000, "&chunk=10000&rate=50000&key=abort"));
  const messaged = nextMessage();
  const record = await registration.match(body(1000000, "&chunk=10000&rate=50000&key=abort"));
  assert_true(record instanceof BackgroundFetchRecord);
  assert_equals(record.request.method, "GET");
  const ready = record.responseReady;
  assert_equals(record.responseReady, ready, "the same promise every time");
  // The record is aborted mid-transfer: its response may have arrived, its body errors.
  const outcome = ready.then(
    response => response.arrayBuffer().then(() => "read", e => e.name),
    e => e.name);
  assert_true(await registration.abort(), "the first abort() aborts");
  assert_false(await registration.abort(), "the second finds nothing to abort");
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchabort");
  assert_equals(message.eventInterface, "BackgroundFetchEvent");
  assert_equals(message.registration.failureReason, "aborted");
  assert_equals(registration.result, "failure");
  assert_equals(registration.failureReason, "aborted");
  assert_equals(await outcome, "AbortError");
}, "abort(): true once, the abort event, and aborted records");

promise_test(async t => {
  const manager = await recorder(t);
  const text = "Background Fetch!";
  const registration = await manager.fetch(uniqueId(),
    [new Request("/_faults/echo", { method: "POST", body: text }), body(10)]);
  const messaged = nextMessage();
  assert_equals(registration.uploadTotal, text.length);
  const records = await registration.matchAll();
  assert_equals(records.length, 2);
  const posted = await registration.match("/_faults/echo", { ignoreMethod: true });
  assert_equals(posted.request.method, "POST");
  assert_equals(await posted.request.text(), text, "the request body is kept");
  assert_equals(await registration.match("/_faults/echo"), undefined,
    "a GET does not match the POST without ignoreMethod");
  const query = new Request("/_faults/echo", { method: "POST", body: "query" });
  assert_equals(await registration.match(query), undefined,
    "a non-GET query matches nothing without ignoreMethod (Request Matches Cached Item)");
  assert_not_equals(await registration.match(query, { ignoreMethod: true }), undefined);
  assert_false(query.bodyUsed, "matching does not read the query's body");
  const message = await messaged;
  assert_equals(message.type, "backgroundfetchsuccess");
  assert_equals(registration.uploaded, text.length, "uploaded counts the request body");
  // The service worker read the responses while its event was active (afterwards the
  // records are gone): the server received the whole body.
  const echoed = message.results.map(r => r.text).find(t => typeof t === "string" && t.startsWith("{"));
  assert_not_equals(echoed, undefined, JSON.stringify(message.results));
  assert_equals(JSON.parse(echoed).received, text.length);
}, "Request bodies are uploaded and counted; match()/matchAll() from the page");

promise_test(async t => {
  const manager = await recorder(t);
  const registration = await manager.fetch(uniqueId(), body(5000), { downloadTotal: 1000 });
  const message = await nextMessage();
  assert_equals(message.type, "backgroundfetchfail");
  assert_equals(registration.failureReason, "download-total-exceeded");
  const e = await manager.fetch(uniqueId(), body(10),
    { downloadTotal: Number.MAX_SAFE_INTEGER }).then(
      () => assert_unreached("a download total past the quota registers"), e => e);
  assert_equals(e.constructor, QuotaExceededError);
  assert_equals(e.name, "QuotaExceededError");
  assert_equals(e.quota, null);
  assert_equals(e.requested, null);
}, "downloadTotal: exceeding it fails the fetch; more than the quota is a QuotaExceededError");

promise_test(async t => {
  const manager = await recorder(t);
  await test_driver.set_permission({ name: "background-fetch" }, "denied");
  await promise_rejects_dom(t, "NotAllowedError", manager.fetch(uniqueId(), body(10)));
}, "A denied background-fetch permission rejects with NotAllowedError");

promise_test(async t => {
  const manager = await recorder(t);
  const registration =
    await manager.fetch(uniqueId(), body(1000000, "&chunk=10000&rate=50000&key=unregister"));
  const settled = new Promise(resolve => registration.addEventListener("progress", () => {
    if (registration.result !== "") resolve();
  }));
  const scope = new URL("resources/scope" + location.pathname, location.href).href;
  const swRegistration = await navigator.serviceWorker.getRegistration(scope);
  assert_true(await swRegistration.unregister());
  await settled;
  assert_equals(registration.result, "failure");
  assert_equals(registration.failureReason, "aborted");
  assert_array_equals(await manager.getIds(), [], "nothing is left active");
}, "A cleared service worker registration takes its background fetches with it (as in Chromium)");
