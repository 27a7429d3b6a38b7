// META: title=classList (DOMTokenList), getElementsByClassName, NodeList iteration (DOM §4.2.10, §7.1)
"use strict";

test(() => {
  const e = document.createElement("div");
  const list = e.classList;
  assert_true(list instanceof DOMTokenList);
  assert_equals(e.classList, list, "[SameObject]");
  assert_equals(list.length, 0);
  list.add("a", "b", "a");
  assert_equals(e.className, "a b", "add appends new tokens once");
  assert_equals(list.length, 2);
  assert_equals(list[1], "b");
  assert_equals(list.item(2), null);
  assert_true(list.contains("a"));
  assert_true(list.toggle("c"));
  assert_false(list.toggle("a"));
  assert_equals(e.className, "b c");
  assert_true(list.toggle("b", true), "force true keeps it");
  assert_false(list.toggle("z", false), "force false does not add");
  assert_true(list.replace("b", "c"));
  assert_equals(e.className, "c", "replace drops the duplicate");
  assert_false(list.replace("nope", "x"));
  assert_equals(String(list), "c", "stringifier");
  e.classList = "x  y x";
  assert_equals(e.className, "x  y x", "[PutForwards=value] sets the attribute as is");
  assert_equals(list.length, 2, "tokens are an ordered set");
  assert_array_equals([...list], ["x", "y"]);
  const seen = [];
  list.forEach((t, i) => seen.push(i + t));
  assert_array_equals(seen, ["0x", "1y"], "iterable<DOMString>");
}, "DOMTokenList over the class attribute");

test(() => {
  const e = document.createElement("p");
  assert_throws_dom("SyntaxError", () => e.classList.add(""));
  assert_throws_dom("InvalidCharacterError", () => e.classList.add("a b"));
  assert_throws_dom("SyntaxError", () => e.classList.toggle(""));
  assert_throws_dom("InvalidCharacterError", () => e.classList.replace("a", "b c"));
  assert_throws_js(TypeError, () => e.classList.supports("a"), "class has no supported tokens");
  e.classList.remove("missing");
  assert_false(e.hasAttribute("class"), "an update with no tokens and no attribute adds none");
}, "DOMTokenList errors");

test(t => {
  const root = document.createElement("div");
  const a = document.createElement("span");
  a.className = "x y";
  const b = document.createElement("span");
  b.className = "y";
  root.append(a, b);
  document.body.append(root);
  t.add_cleanup(() => root.remove());
  const ys = root.getElementsByClassName("y");
  assert_equals(ys.length, 2);
  assert_equals(root.getElementsByClassName(" y   x ")[0], a, "all the classes, any order");
  assert_equals(document.getElementsByClassName("").length, 0);
  b.classList.remove("y");
  assert_equals(ys.length, 1, "live");
}, "getElementsByClassName");

test(() => {
  const p = document.createElement("p");
  p.append("a", document.createElement("b"));
  const nodes = p.childNodes;
  assert_equals(NodeList.prototype.forEach, Array.prototype.forEach);
  assert_equals(NodeList.prototype.entries, Array.prototype.entries);
  assert_array_equals([...nodes.keys()], [0, 1]);
  const names = [];
  nodes.forEach(n => names.push(n.nodeName));
  assert_array_equals(names, ["#text", "B"]);
}, "NodeList is iterable<Node>");
