// META: title=Timers and microtasks (HTML §8.6, §8.7)
"use strict";

async_test(t => {
  const order = [];
  setTimeout(t.step_func(() => order.push("timeout 10")), 10);
  setTimeout(t.step_func((a, b) => order.push("timeout 0:" + a + b)), 0, "x", "y");
  queueMicrotask(t.step_func(() => order.push("microtask")));
  const id = setTimeout(t.unreached_func("cleared"), 5);
  clearTimeout(id);
  setTimeout(t.step_func_done(() => {
    assert_array_equals(order, ["microtask", "timeout 0:xy", "timeout 10"]);
  }), 30);
}, "Timers fire in order with their arguments; microtasks come first");

async_test(t => {
  let n = 0;
  const id = setInterval(t.step_func(() => {
    n++;
    if (n === 3) {
      clearInterval(id);
      setTimeout(t.step_func_done(() => assert_equals(n, 3)), 20);
    }
  }), 1);
}, "setInterval repeats until cleared");

test(() => {
  const a = setTimeout(() => {});
  const b = setTimeout(() => {});
  assert_greater_than(a, 0);
  assert_not_equals(a, b);
  clearTimeout(a);
  clearTimeout(b);
  clearTimeout(null);
  clearTimeout();
  clearInterval("nonsense");
}, "Timer ids are positive and distinct; clearing anything is harmless");

promise_test(async () => {
  const order = [];
  await new Promise(resolve => {
    setTimeout(() => {
      Promise.resolve().then(() => order.push("promise"));
      queueMicrotask(() => order.push("microtask"));
      order.push("task");
    }, 0);
    setTimeout(resolve, 0);
  });
  assert_array_equals(order, ["task", "promise", "microtask"]);
}, "A task's microtasks run before the next task");

test(() => {
  assert_throws_js(TypeError, () => queueMicrotask("not a function"));
  assert_throws_js(TypeError, () => queueMicrotask());
}, "queueMicrotask needs a function");
