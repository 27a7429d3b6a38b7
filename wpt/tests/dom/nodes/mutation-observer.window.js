// META: title=MutationObserver and MutationRecord (DOM §4.3)
"use strict";

function observed(t, options, mutate) {
  const root = document.createElement("div");
  document.body.append(root);
  t.add_cleanup(() => root.remove());
  return new Promise(resolve => {
    const mo = new MutationObserver((records, observer) => {
      assert_equals(observer, mo, "the observer is the second argument");
      mo.disconnect();
      resolve(records);
    });
    mo.observe(root, options);
    mutate(root);
  });
}

promise_test(async t => {
  const records = await observed(t, { attributes: true, attributeOldValue: true }, root => {
    root.id = "a";
    root.id = "b";
    root.removeAttribute("id");
  });
  assert_array_equals(records.map(r => r.type), ["attributes", "attributes", "attributes"]);
  assert_array_equals(records.map(r => r.attributeName), ["id", "id", "id"]);
  assert_array_equals(records.map(r => r.oldValue), [null, "a", "b"]);
  assert_equals(records[0].attributeNamespace, null);
  assert_equals(records[0].addedNodes.length, 0);
}, "Attribute records, with old values");

promise_test(async t => {
  let a, b;
  const records = await observed(t, { childList: true }, root => {
    a = document.createElement("a");
    b = document.createElement("b");
    root.append(a);
    root.append(b);
    a.remove();
  });
  assert_equals(records.length, 3);
  assert_equals(records[0].type, "childList");
  assert_equals(records[0].addedNodes[0], a);
  assert_equals(records[1].previousSibling, a);
  assert_equals(records[2].removedNodes[0], a);
  assert_equals(records[2].nextSibling, b);
  assert_equals(records[2].previousSibling, null);
}, "childList records with siblings");

promise_test(async t => {
  const records = await observed(t, { childList: true }, root => {
    root.append("x", "y");
    root.textContent = "z";
  });
  assert_equals(records.length, 2, "a multi-node append and a replace-all are one record each");
  assert_equals(records[0].addedNodes.length, 2);
  assert_equals(records[1].removedNodes.length, 2);
  assert_equals(records[1].addedNodes.length, 1);
}, "One record per DOM operation");

promise_test(async t => {
  const records = await observed(t, { characterData: true, characterDataOldValue: true, subtree: true }, root => {
    const text = new Text("one");
    root.append(text);
    text.data = "two";
    text.appendData("!");
  });
  assert_array_equals(records.map(r => r.type), ["characterData", "characterData"]);
  assert_array_equals(records.map(r => r.oldValue), ["one", "two"]);
}, "characterData records on a subtree");

promise_test(async t => {
  const root = document.createElement("div");
  const child = document.createElement("p");
  root.append(child);
  document.body.append(root);
  t.add_cleanup(() => root.remove());
  const seen = [];
  const mo = new MutationObserver(records => seen.push(...records.map(r => r.attributeName)));
  mo.observe(root, { attributes: true, subtree: true });
  child.remove();
  child.title = "after removal";
  await Promise.resolve();
  assert_array_equals(seen, ["title"], "a transient observer sees the removed subtree until delivery");
  child.lang = "later";
  await Promise.resolve();
  assert_array_equals(seen, ["title"], "and not after");
  mo.disconnect();
}, "Transient registered observers");

test(t => {
  const root = document.createElement("div");
  const mo = new MutationObserver(t.unreached_func("not called after takeRecords"));
  assert_throws_js(TypeError, () => mo.observe(root, {}), "nothing to observe");
  assert_throws_js(TypeError, () => mo.observe(root, { attributes: false, attributeOldValue: true }));
  assert_throws_js(TypeError, () => mo.observe(root, { characterData: false, characterDataOldValue: true }));
  assert_throws_js(TypeError, () => mo.observe(root, { attributes: false, attributeFilter: ["a"] }));
  mo.observe(root, { attributeFilter: ["lang"] });
  root.title = "ignored";
  root.lang = "en";
  const records = mo.takeRecords();
  assert_equals(records.length, 1, "attributeFilter (implying attributes)");
  assert_equals(records[0].attributeName, "lang");
  assert_equals(mo.takeRecords().length, 0);
  root.lang = "fr";
  mo.disconnect();
  assert_equals(mo.takeRecords().length, 0, "disconnect empties the queue");
}, "observe() validation, attributeFilter, takeRecords, disconnect");
