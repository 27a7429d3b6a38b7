// META: title=HTMLCollection and NodeList are live legacy platform objects with indexed properties (DOM §4.2.10, WebIDL §3.9)
"use strict";

function fresh() {
  const root = document.createElement("div");
  document.body.appendChild(root);
  return root;
}

test(t => {
  const root = fresh();
  t.add_cleanup(() => root.remove());
  const children = root.children;
  const spans = root.getElementsByTagName("span");
  assert_equals(children, root.children, "children is [SameObject]");
  assert_equals(children.length, 0);
  const a = document.createElement("span");
  root.append(a, "text", document.createElement("b"));
  assert_equals(children.length, 2, "live: element children only");
  assert_equals(spans.length, 1, "getElementsByTagName is live");
  assert_equals(children[0], a);
  assert_equals(children[1].localName, "b");
  assert_equals(children[2], undefined);
  a.remove();
  assert_equals(children.length, 1);
  assert_equals(spans.length, 0);
  assert_equals(spans[0], undefined);
}, "HTMLCollections are live");

test(t => {
  const root = fresh();
  t.add_cleanup(() => root.remove());
  const nodes = root.childNodes;
  assert_true(nodes instanceof NodeList);
  assert_equals(nodes, root.childNodes, "[SameObject]");
  root.append("a", document.createElement("i"), document.createComment("c"));
  assert_equals(nodes.length, 3);
  assert_equals(nodes[0].data, "a");
  assert_equals(nodes.item(1).localName, "i");
  assert_equals(nodes.item(3), null);
  assert_equals(nodes[3], undefined);
  root.firstChild.remove();
  assert_equals(nodes.length, 2, "live");
  assert_equals(nodes[0].localName, "i");
}, "childNodes is a live NodeList");

test(t => {
  const root = fresh();
  t.add_cleanup(() => root.remove());
  root.append(document.createElement("p"), document.createElement("p"));
  const c = root.children;
  const d = Object.getOwnPropertyDescriptor(c, 0);
  assert_equals(d.value, root.firstChild);
  assert_false(d.writable, "indexed properties are read-only");
  assert_true(d.enumerable);
  assert_true(d.configurable);
  assert_equals(Object.getOwnPropertyDescriptor(c, 2), undefined);
  assert_true(0 in c && 1 in c);
  assert_false(2 in c);
  assert_true("item" in c, "prototype members are found");
  assert_array_equals(Object.keys(c), ["0", "1"]);
  assert_array_equals(Object.getOwnPropertyNames(root.childNodes), ["0", "1"]);
  assert_throws_js(TypeError, () => { delete c[0]; }, "a supported index cannot be deleted");
  assert_true(delete c[5]);
  // Sloppy-mode code: [[Delete]] and [[Set]] of an index return false.
  const sloppy = new Function("c", "return [delete c[0], (c[0] = 'x', c[0])];");
  const [deleted, after] = sloppy(c);
  assert_false(deleted);
  assert_equals(after, root.firstChild, "writing an index does nothing");
  c.expando = 1;
  assert_equals(c.expando, 1, "other properties work as on ordinary objects");
  assert_equals(String(c), "[object HTMLCollection]");
  assert_equals(Object.prototype.toString.call(root.childNodes), "[object NodeList]");
  assert_equals(c.length, 2, "accessors on the prototype see the collection");
}, "Indexed properties and the prototype chain");

test(t => {
  const root = fresh();
  t.add_cleanup(() => root.remove());
  root.append(document.createElement("a"), "t", document.createElement("b"));
  assert_equals(HTMLCollection.prototype[Symbol.iterator], Array.prototype.values);
  assert_equals(NodeList.prototype[Symbol.iterator], Array.prototype.values);
  assert_array_equals([...root.children].map(e => e.localName), ["a", "b"]);
  assert_equals([...root.childNodes].length, 3);
  assert_equals(Array.from(root.childNodes)[1].data, "t");
  const named = document.createElement("x-y");
  named.id = "the-id";
  root.append(named);
  assert_equals(root.children.namedItem("the-id"), named);
  assert_equals(root.children.namedItem(""), null);
}, "Iteration and namedItem");
