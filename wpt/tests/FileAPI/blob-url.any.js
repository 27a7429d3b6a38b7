// META: title=Blob URLs: URL.createObjectURL, revokeObjectURL, fetching blob: URLs (FileAPI §8)
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const isServiceWorker = "ServiceWorkerGlobalScope" in self && self instanceof ServiceWorkerGlobalScope;

if (isServiceWorker) {
  test(() => {
    assert_equals(URL.createObjectURL, undefined);
    assert_equals(URL.revokeObjectURL, undefined);
  }, "Service workers have no createObjectURL/revokeObjectURL");
} else {
  test(() => {
    const url = URL.createObjectURL(new Blob(["x"]));
    const prefix = "blob:" + self.origin + "/";
    assert_true(url.startsWith(prefix), url);
    assert_regexp_match(url.slice(prefix.length), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert_not_equals(URL.createObjectURL(new Blob(["x"])), url, "a new UUID every time");
    assert_throws_js(TypeError, () => URL.createObjectURL("not a blob"));
    assert_throws_js(TypeError, () => URL.createObjectURL());
    URL.revokeObjectURL("not a URL at all");
    URL.revokeObjectURL("https://example.com/");
  }, "createObjectURL makes blob:<origin>/<uuid>; revokeObjectURL ignores other URLs");

  promise_test(async () => {
    const blob = new Blob(["hello ", "blob"], { type: "Text/Plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const r = await fetch(url);
    assert_equals(r.status, 200);
    assert_equals(r.type, "basic");
    assert_equals(r.url, url);
    assert_equals(r.headers.get("content-type"), "text/plain;charset=utf-8");
    assert_equals(r.headers.get("content-length"), "10");
    assert_equals(await r.text(), "hello blob");
    const withFragment = await fetch(url + "#part");
    assert_equals(await withFragment.text(), "hello blob", "the fragment is ignored");
    URL.revokeObjectURL(url);
  }, "fetch() of a blob URL gives the blob's bytes and type");

  promise_test(async t => {
    const url = URL.createObjectURL(new Blob(["gone"]));
    URL.revokeObjectURL(url);
    await promise_rejects_js(t, TypeError, fetch(url), "a revoked URL is a network error");
    const live = URL.createObjectURL(new Blob(["b"]));
    await promise_rejects_js(t, TypeError, fetch(live, { method: "POST" }), "only GET");
    await promise_rejects_js(t, TypeError, fetch("blob:" + self.origin + "/00000000-0000-4000-8000-000000000000"));
  }, "Revoked and unknown blob URLs, and non-GET methods, fail");

  promise_test(async () => {
    const source = "onmessage = e => postMessage('worker got ' + e.data);";
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const w = new Worker(url);
    const reply = new Promise(r => { w.onmessage = e => r(e.data); });
    w.postMessage("hi");
    assert_equals(await reply, "worker got hi");
    w.terminate();
  }, "A dedicated worker runs from a blob URL");
}
