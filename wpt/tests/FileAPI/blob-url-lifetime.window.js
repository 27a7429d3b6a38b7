// META: title=Blob URLs are shared between globals of the origin and end with the global that made them (FileAPI §8.3)
"use strict";

promise_test(async t => {
  const source = "const url = URL.createObjectURL(new Blob(['from the worker'])); postMessage(url);";
  const w = new Worker(URL.createObjectURL(new Blob([source])));
  const url = await new Promise(r => { w.onmessage = e => r(e.data); });
  assert_equals(await (await fetch(url)).text(), "from the worker", "the page can fetch the worker's URL");
  w.terminate();
  // The worker's environment is gone: its blob URLs are revoked (termination is asynchronous).
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
    } catch (e) {
      assert_equals(e.name, "TypeError");
      return;
    }
    await new Promise(r => t.step_timeout(r, 20));
  }
  assert_unreached("the URL outlived its worker");
}, "A worker's blob URLs work in the page, and are revoked when the worker ends");
