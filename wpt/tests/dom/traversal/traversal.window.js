// META: title=TreeWalker, NodeIterator and NodeFilter (DOM §6)
"use strict";

function tree() {
  const root = document.createElement("div");
  root.innerHTML = "<p id=a>one<b id=b>two</b></p><!--c--><p id=d>three</p>";
  return root;
}

test(() => {
  assert_equals(NodeFilter.SHOW_ELEMENT, 1);
  assert_equals(NodeFilter.FILTER_SKIP, 3);
  assert_equals(NodeFilter.SHOW_ALL, 0xFFFFFFFF);
  assert_throws_js(TypeError, () => NodeFilter());
}, "NodeFilter's constants");

test(() => {
  const root = tree();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  assert_equals(walker.root, root);
  assert_equals(walker.currentNode, root);
  const ids = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) ids.push(n.id);
  assert_array_equals(ids, ["a", "b", "d"]);
  assert_equals(walker.previousNode().id, "b");
  assert_equals(walker.parentNode().id, "a");
  assert_equals(walker.nextSibling().id, "d");
  assert_equals(walker.previousSibling().id, "a");
  assert_equals(walker.firstChild().id, "b");
  const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.data === "two" ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT,
  });
  const seen = [];
  while (texts.nextNode()) seen.push(texts.currentNode.data);
  assert_array_equals(seen, ["one", "three"]);
}, "TreeWalker walks with whatToShow and a filter");

test(() => {
  const root = tree();
  const it = document.createNodeIterator(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT);
  assert_true(it.pointerBeforeReferenceNode);
  const seen = [];
  for (let n = it.nextNode(); n; n = it.nextNode()) seen.push(n.nodeType === 8 ? "#comment" : n.localName);
  assert_array_equals(seen, ["div", "p", "b", "#comment", "p"]);
  assert_equals(it.previousNode().id, "d");
  // Removing the reference node moves the iterator.
  const it2 = document.createNodeIterator(root, NodeFilter.SHOW_ELEMENT);
  it2.nextNode();
  it2.nextNode();
  assert_equals(it2.referenceNode.id, "a");
  root.querySelector("#a").remove();
  assert_equals(it2.referenceNode, root, "the reference moved to the previous node");
  assert_equals(it2.nextNode().id, "d");
  const thrower = document.createNodeIterator(root, NodeFilter.SHOW_ALL, () => { throw new RangeError("x"); });
  assert_throws_js(RangeError, () => thrower.nextNode(), "the filter's exception is rethrown");
}, "NodeIterator, and its pre-removing steps");
