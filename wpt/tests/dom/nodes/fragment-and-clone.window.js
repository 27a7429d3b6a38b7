// META: title=DocumentFragment, cloneNode, importNode and isEqualNode (DOM §4.2.3, §4.4, §4.7)
"use strict";

test(() => {
  const f = document.createDocumentFragment();
  assert_true(f instanceof DocumentFragment);
  assert_equals(f.nodeType, Node.DOCUMENT_FRAGMENT_NODE);
  assert_equals(f.nodeName, "#document-fragment");
  assert_equals(f.ownerDocument, document);
  assert_equals(new DocumentFragment().ownerDocument, document);
  const a = document.createElement("a");
  a.id = "in-fragment";
  f.append(a, "text", document.createElement("b"));
  assert_equals(f.childElementCount, 2);
  assert_equals(f.getElementById("in-fragment"), a);
  assert_equals(f.textContent, "text");
  assert_equals(f.children.length, 2);
}, "A DocumentFragment holds nodes");

test(t => {
  const f = document.createDocumentFragment();
  const a = document.createElement("a");
  const b = document.createElement("b");
  f.append(a, b);
  const parent = document.createElement("div");
  parent.append(document.createElement("x"));
  parent.insertBefore(f, parent.firstChild);
  assert_array_equals([...parent.children].map(e => e.localName), ["a", "b", "x"],
                      "inserting a fragment inserts its children in order");
  assert_false(f.hasChildNodes(), "and empties it");
  assert_equals(a.parentNode, parent);
  const empty = parent.appendChild(document.createDocumentFragment());
  assert_equals(parent.childNodes.length, 3, "an empty fragment inserts nothing");
  assert_true(empty instanceof DocumentFragment, "appendChild returns the fragment");
}, "Inserting a fragment");

test(() => {
  const doc = new Document();
  const two = doc.createDocumentFragment();
  two.append(doc.createElement("a"), doc.createElement("b"));
  assert_throws_dom("HierarchyRequestError", () => doc.appendChild(two), "two elements into a document");
  const text = doc.createDocumentFragment();
  text.append("t");
  assert_throws_dom("HierarchyRequestError", () => doc.appendChild(text), "text into a document");
  const one = doc.createDocumentFragment();
  one.append(doc.createElement("root"));
  doc.appendChild(one);
  assert_equals(doc.documentElement.localName, "root");
  const another = doc.createDocumentFragment();
  another.append(doc.createElement("second"));
  assert_throws_dom("HierarchyRequestError", () => doc.appendChild(another), "a second element");
  assert_throws_dom("HierarchyRequestError", () => one.appendChild(doc), "a document into a fragment");
}, "Fragment insertion into a document is checked as a whole");

test(() => {
  const div = document.createElement("div");
  div.setAttribute("data-a", "1");
  div.id = "orig";
  const span = document.createElement("span");
  span.textContent = "inner";
  div.append(span, document.createComment("c"));
  const shallow = div.cloneNode();
  assert_not_equals(shallow, div);
  assert_equals(shallow.localName, "div");
  assert_equals(shallow.getAttribute("data-a"), "1");
  assert_equals(shallow.id, "orig");
  assert_false(shallow.hasChildNodes(), "a shallow clone has no children");
  const deep = div.cloneNode(true);
  assert_equals(deep.childNodes.length, 2);
  assert_not_equals(deep.firstChild, span);
  assert_equals(deep.firstChild.textContent, "inner");
  assert_equals(deep.lastChild.nodeType, Node.COMMENT_NODE);
  assert_true(deep.isEqualNode(div));
  assert_false(deep.isSameNode(div));
  deep.firstChild.textContent = "changed";
  assert_false(deep.isEqualNode(div));
  assert_false(div.isEqualNode(null));
  assert_true(document.doctype.isEqualNode(document.doctype.cloneNode()));
  const text = new Text("t");
  assert_equals(text.cloneNode().data, "t");
}, "cloneNode and isEqualNode");

test(() => {
  const s = document.createElement("script");
  s.textContent = "self.clonedScriptRan = (self.clonedScriptRan || 0) + 1;";
  document.head.appendChild(s);
  assert_equals(self.clonedScriptRan, 1);
  document.head.appendChild(s.cloneNode(true));
  assert_equals(self.clonedScriptRan, 1, "a clone of a started script is already started");
  const fresh = document.createElement("script");
  fresh.textContent = "self.clonedScriptRan++;";
  document.head.appendChild(fresh.cloneNode(true));
  assert_equals(self.clonedScriptRan, 2, "a clone of an unstarted script runs");
}, "Cloning script elements copies 'already started'");

test(() => {
  const other = new Document();
  const el = document.createElement("p");
  el.textContent = "x";
  const imported = other.importNode(el, true);
  assert_equals(imported.ownerDocument, other);
  assert_equals(imported.firstChild.ownerDocument, other);
  assert_equals(el.ownerDocument, document, "the original stays");
  assert_false(other.importNode(el).hasChildNodes(), "shallow by default");
  assert_false(other.importNode(el, { selfOnly: true }).hasChildNodes());
  assert_true(other.importNode(el, {}).hasChildNodes(), "selfOnly defaults to false");
  assert_throws_dom("NotSupportedError", () => other.importNode(document));
  const copy = document.cloneNode(true);
  assert_true(copy instanceof Document);
  assert_not_equals(copy, document);
  assert_equals(copy.URL, document.URL);
  assert_equals(copy.defaultView, null, "a clone has no browsing context");
  assert_equals(copy.documentElement.ownerDocument, copy);
  assert_equals(copy.body.localName, "body");
}, "importNode, and cloning a document");
