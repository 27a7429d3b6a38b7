// META: title=A worker's uncaught error, not canceled at the Worker, is reported at the window
"use strict";
setup({ allow_uncaught_exception: true });

promise_test(async t => {
  const w = new Worker("resources/throws.js");
  t.add_cleanup(() => w.terminate());
  let atWorker = null;
  w.onerror = e => { atWorker = e; };
  const e = await new Promise(resolve => {
    self.addEventListener("error", e => { e.preventDefault(); resolve(e); }, { once: true });
  });
  assert_not_equals(atWorker, null, "the Worker saw it first");
  assert_true(e instanceof ErrorEvent);
  assert_true(e.message.includes("boom from the worker"), e.message);
  assert_true(e.filename.endsWith("/workers/resources/throws.js"), e.filename);
  assert_equals(e.lineno, 2);
}, "Reported again at the window");

promise_test(async t => {
  const w = new Worker("resources/throws.js");
  t.add_cleanup(() => w.terminate());
  let atWindow = 0;
  const listener = () => atWindow++;
  self.addEventListener("error", listener);
  t.add_cleanup(() => self.removeEventListener("error", listener));
  await new Promise(resolve => {
    w.onerror = e => { e.preventDefault(); setTimeout(resolve, 50); };
  });
  assert_equals(atWindow, 0);
}, "Not reported at the window when canceled at the Worker");
