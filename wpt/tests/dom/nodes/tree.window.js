// META: title=The node tree: Document, Element, Text, Comment and the mutation algorithms (DOM §4)
"use strict";

test(() => {
  assert_true(document instanceof Document);
  assert_true(document instanceof Node);
  assert_true(document instanceof EventTarget);
  assert_equals(document.nodeType, Node.DOCUMENT_NODE);
  assert_equals(document.nodeName, "#document");
  assert_equals(document.ownerDocument, null, "a document has no owner document");
  assert_equals(document.parentNode, null);
  assert_equals(document.URL, location.href);
  assert_equals(document.documentURI, location.href);
  assert_equals(document.characterSet, "UTF-8");
  assert_equals(document.contentType, "text/html");
  assert_equals(document.compatMode, "CSS1Compat", "the wrapper page has a doctype");
  assert_equals(document.defaultView, window);
  assert_equals(document.location, location);
  assert_in_array(document.readyState, ["loading", "interactive", "complete"]);
}, "The window's document");

test(() => {
  const html = document.documentElement;
  assert_true(html instanceof HTMLHtmlElement);
  assert_equals(html.tagName, "HTML");
  assert_equals(html.localName, "html");
  assert_equals(html.namespaceURI, "http://www.w3.org/1999/xhtml");
  assert_equals(html.prefix, null);
  assert_true(document.head instanceof HTMLHeadElement);
  assert_true(document.body instanceof HTMLBodyElement);
  assert_equals(document.head.parentNode, html);
  assert_equals(document.body.parentElement, html);
  assert_equals(html.firstElementChild, document.head);
  assert_equals(html.lastElementChild, document.body);
  assert_equals(document.head.nextElementSibling, document.body);
  assert_equals(document.body.previousElementSibling, document.head);
  assert_true(document.doctype instanceof DocumentType);
  assert_equals(document.doctype.name, "html");
  assert_equals(document.firstChild, document.doctype);
  assert_equals(document.childElementCount, 1);
}, "The parsed page's tree: doctype, html, head, body");

test(() => {
  const div = document.createElement("DIV");
  assert_true(div instanceof HTMLElement);
  assert_equals(div.localName, "div", "createElement lowercases in an HTML document");
  assert_equals(div.tagName, "DIV");
  assert_equals(div.ownerDocument, document);
  assert_equals(div.parentNode, null);
  assert_false(div.isConnected);
  const custom = document.createElement("x-foo");
  assert_true(custom instanceof HTMLElement, "a valid custom element name");
  assert_false(custom instanceof HTMLUnknownElement, "is not unknown");
  assert_true(document.createElement("foo") instanceof HTMLUnknownElement, "unknown names");
  assert_false(document.createElement("div") instanceof HTMLUnknownElement, "known names");
  assert_true(document.createElement("script") instanceof HTMLScriptElement);
  assert_true(document.createElement("meta") instanceof HTMLMetaElement);
  for (const bad of ["", "1a", "a b", "a>b", "<a>"]) {
    assert_throws_dom("InvalidCharacterError", () => document.createElement(bad), JSON.stringify(bad));
  }
}, "createElement");

test(() => {
  const el = document.createElement("div");
  assert_false(el.hasAttributes());
  assert_equals(el.getAttribute("data-x"), null);
  el.setAttribute("Data-X", "1");
  assert_equals(el.getAttribute("data-x"), "1", "names are lowercased for HTML elements");
  assert_equals(el.getAttribute("DATA-X"), "1");
  assert_true(el.hasAttribute("data-x"));
  assert_array_equals(el.getAttributeNames(), ["data-x"]);
  el.setAttribute("data-x", "2");
  assert_array_equals(el.getAttributeNames(), ["data-x"], "set changes the value in place");
  assert_equals(el.getAttribute("data-x"), "2");
  el.id = "the-id";
  assert_equals(el.getAttribute("id"), "the-id", "id reflects the attribute");
  el.className = "a b";
  assert_equals(el.getAttribute("class"), "a b");
  assert_true(el.toggleAttribute("hidden"));
  assert_equals(el.getAttribute("hidden"), "");
  assert_true(el.toggleAttribute("hidden", true), "force true keeps it");
  assert_false(el.toggleAttribute("hidden"));
  assert_false(el.hasAttribute("hidden"));
  el.removeAttribute("data-x");
  assert_equals(el.getAttribute("data-x"), null);
  el.removeAttribute("never-there");
  assert_throws_dom("InvalidCharacterError", () => el.setAttribute("", "v"));
  assert_throws_dom("InvalidCharacterError", () => el.setAttribute("a=b", "v"));
  assert_throws_dom("InvalidCharacterError", () => el.toggleAttribute("a b"));
}, "Attributes");

test(t => {
  const parent = document.createElement("div");
  const a = document.createElement("span");
  const b = document.createElement("span");
  assert_equals(parent.appendChild(a), a, "appendChild returns the node");
  assert_equals(parent.insertBefore(b, a), b);
  assert_equals(parent.firstChild, b);
  assert_equals(parent.lastChild, a);
  assert_equals(b.nextSibling, a);
  assert_equals(a.previousSibling, b);
  assert_true(parent.hasChildNodes());
  assert_true(parent.contains(a));
  assert_true(parent.contains(parent), "contains is inclusive");
  assert_false(a.contains(parent));
  assert_false(parent.contains(null));
  // Appending a node that is already in a tree moves it.
  parent.appendChild(b);
  assert_equals(parent.lastChild, b);
  assert_equals(parent.childElementCount, 2);
  assert_equals(parent.removeChild(a), a);
  assert_equals(a.parentNode, null);
  assert_throws_dom("NotFoundError", () => parent.removeChild(a));
  assert_throws_dom("NotFoundError", () => parent.insertBefore(a, document.body));
  assert_throws_dom("HierarchyRequestError", () => b.appendChild(parent), "an ancestor");
  assert_throws_dom("HierarchyRequestError", () => parent.appendChild(parent), "itself");
  assert_throws_dom("HierarchyRequestError", () => parent.appendChild(document));
  assert_throws_dom("HierarchyRequestError", () => document.appendChild(document.createElement("p")),
                    "a second document element");
  assert_throws_dom("HierarchyRequestError", () => document.appendChild(document.createTextNode("t")),
                    "text in a document");
  assert_throws_dom("HierarchyRequestError", () => document.createTextNode("t").appendChild(a),
                    "children of a Text node");
  assert_throws_js(TypeError, () => parent.appendChild("not a node"));
  assert_equals(parent.replaceChild(a, b), b, "replaceChild returns the old child");
  assert_equals(parent.firstChild, a);
  assert_equals(b.parentNode, null);
}, "appendChild, insertBefore, removeChild, replaceChild and their errors");

test(() => {
  const parent = document.createElement("div");
  const a = document.createElement("a");
  const b = document.createElement("b");
  parent.append("x", a, "y");
  assert_equals(parent.textContent, "xy");
  assert_equals(parent.firstChild.nodeType, Node.TEXT_NODE);
  parent.prepend(b);
  assert_equals(parent.firstChild, b);
  a.before("1");
  a.after("2");
  assert_equals(parent.textContent, "x12y");
  b.replaceWith(a);
  assert_equals(parent.firstChild, a);
  assert_equals(b.parentNode, null);
  a.remove();
  assert_equals(a.parentNode, null);
  a.remove();  // no parent: nothing happens
  parent.replaceChildren("only");
  assert_equals(parent.firstChild.data, "only");
  assert_equals(parent.firstChild, parent.lastChild);
}, "ParentNode and ChildNode: append, prepend, before, after, replaceWith, remove, replaceChildren");

test(() => {
  const div = document.createElement("div");
  div.textContent = "hello";
  assert_equals(div.textContent, "hello");
  assert_equals(div.firstChild.data, "hello");
  const span = document.createElement("span");
  span.textContent = " world";
  div.appendChild(span);
  div.appendChild(document.createComment("not text"));
  assert_equals(div.textContent, "hello world", "descendant Text nodes only");
  div.textContent = "";
  assert_false(div.hasChildNodes(), "the empty string removes all children");
  div.textContent = null;
  assert_false(div.hasChildNodes());
  assert_equals(document.textContent, null, "a document's textContent is null");
  assert_equals(document.doctype.textContent, null);
  const text = document.createTextNode("abc");
  assert_equals(text.textContent, "abc");
  assert_equals(text.nodeValue, "abc");
  text.textContent = "xyz";
  assert_equals(text.data, "xyz");
  assert_equals(div.nodeValue, null);
}, "textContent and nodeValue");

test(() => {
  const t = new Text("héllo");
  assert_equals(t.ownerDocument, document, "new Text() belongs to the current document");
  assert_equals(t.nodeName, "#text");
  assert_equals(t.length, 5);
  assert_equals(t.substringData(1, 3), "éll");
  t.appendData("!");
  t.insertData(0, ">");
  t.deleteData(1, 1);
  t.replaceData(0, 1, "<<");
  assert_equals(t.data, "<<éllo!");
  assert_equals(t.substringData(2, 100), "éllo!", "count is clamped");
  assert_throws_dom("IndexSizeError", () => t.substringData(100, 1));
  assert_throws_dom("IndexSizeError", () => t.insertData(100, "x"));
  const emoji = new Text("a😀b");
  assert_equals(emoji.length, 4, "lengths are in UTF-16 code units");
  assert_equals(emoji.substringData(3, 1), "b");
  const c = new Comment("c");
  assert_equals(c.nodeType, Node.COMMENT_NODE);
  assert_equals(c.nodeName, "#comment");
  const parent = document.createElement("p");
  parent.append(new Text("a"), new Text("b"), document.createElement("br"), new Text("c"));
  assert_equals(parent.firstChild.wholeText, "ab", "wholeText joins adjacent Text nodes");
  assert_equals(parent.lastChild.wholeText, "c");
}, "CharacterData, Text and Comment");

test(() => {
  const container = document.createElement("div");
  container.id = "tree-test-container";
  document.body.appendChild(container);
  assert_true(container.isConnected);
  const a = document.createElement("section");
  a.id = "sec";
  const b = document.createElement("section");
  b.id = "sec";
  container.append(a, b);
  assert_equals(document.getElementById("sec"), a, "the first in tree order");
  assert_equals(document.getElementById(""), null);
  assert_equals(document.getElementById("nope"), null);
  const all = document.getElementsByTagName("SECTION");
  assert_true(all instanceof HTMLCollection);
  assert_equals(all.length, 2);
  assert_equals(all[0], a);
  assert_equals(all.item(1), b);
  assert_equals(all.item(2), null);
  assert_equals(all.namedItem("sec"), a);
  assert_equals(container.getElementsByTagName("*").length, 2);
  assert_equals(document.getElementsByTagName("head")[0], document.head);
  assert_true(document.getElementsByTagName("script").length >= 2, "the page's scripts");
  container.remove();
  assert_false(container.isConnected);
  assert_equals(document.getElementById("sec"), null, "removed from the document");
}, "getElementById and getElementsByTagName");

test(() => {
  const other = new Document();
  assert_equals(other.contentType, "application/xml");
  assert_equals(other.URL, "about:blank");
  assert_equals(other.documentElement, null);
  assert_equals(other.defaultView, null);
  assert_equals(other.location, null);
  const el = document.createElement("div");
  assert_equals(other.adoptNode(el), el);
  assert_equals(el.ownerDocument, other);
  other.appendChild(el);
  assert_equals(other.documentElement, el);
  assert_throws_dom("NotSupportedError", () => document.adoptNode(other));
  document.body.appendChild(el);
  assert_equals(el.ownerDocument, document, "inserting adopts");
  el.remove();
}, "new Document() and adoptNode");

test(() => {
  const old = document.title;
  document.title = "  a   new\ttitle ";
  assert_equals(document.title, "a new title", "whitespace is stripped and collapsed");
  assert_equals(document.getElementsByTagName("title").length, 1);
  document.title = old;
  assert_true(document.createElement("title") instanceof HTMLTitleElement);
}, "document.title");

test(() => {
  const e = document.createEvent("Event");
  assert_true(e instanceof Event);
  assert_equals(e.type, "");
  assert_throws_dom("InvalidStateError", () => document.dispatchEvent(e), "not initialized");
  e.initEvent("x", true, true);
  assert_true(document.dispatchEvent(e));
  assert_true(document.createEvent("CustomEvent") instanceof CustomEvent);
  assert_throws_dom("NotSupportedError", () => document.createEvent("NoSuchEvent"));
}, "createEvent");

test(() => {
  const names = p => [...p.children].map(e => e.localName).join("");
  const p = document.createElement("p");
  const [a, b, c] = ["a", "b", "c"].map(n => document.createElement(n));
  p.append(a, b, c);
  p.prepend(a, b);
  assert_equals(names(p), "abc", "prepend of existing children keeps their order");
  c.before(a, b);
  assert_equals(names(p), "abc", "before() with the nodes already in place");
  a.after(c, b);
  assert_equals(names(p), "acb");
  b.replaceWith(b, a);
  assert_equals(names(p), "cba", "replaceWith including this");
  const doc = new Document();
  const html = doc.appendChild(doc.createElement("html"));
  const other = doc.createElement("html");
  html.replaceWith(other);
  assert_equals(doc.documentElement, other, "replaceWith uses the replace checks");
  assert_throws_dom("HierarchyRequestError",
                    () => doc.append(doc.createElement("x"), doc.createElement("y")));
  assert_equals(doc.childNodes.length, 1, "a failed append inserts nothing");
}, "ParentNode/ChildNode convert their nodes first (DOM 'converting nodes into a node')");

test(t => {
  self.seenSibling = null;
  const s = document.createElement("script");
  s.textContent = "self.seenSibling = !!document.getElementById('after-the-script');";
  const after = document.createElement("span");
  after.id = "after-the-script";
  document.body.append(s, after);
  t.add_cleanup(() => { s.remove(); after.remove(); });
  assert_true(self.seenSibling, "post-connection steps run once every node is inserted");
}, "A script inserted with later siblings sees them when it runs");

test(() => {
  const root = document.createElement("div");
  let cur = root;
  for (let i = 0; i < 3000; i++) cur = cur.appendChild(document.createElement("i"));
  cur.textContent = "end";
  assert_equals(root.textContent, "end");
  assert_equals(root.querySelectorAll("i").length, 3000);
  assert_true(root.cloneNode(true).isEqualNode(root));
  assert_equals(cur.closest("div"), root);
}, "Deep trees are walked without recursion");

test(() => {
  const p = document.createElement("p");
  p.append("a", "", "b", document.createElement("br"), "", "c");
  const inner = document.createElement("span");
  inner.append("x", "y");
  p.append(inner);
  p.normalize();
  assert_equals(p.childNodes.length, 4, "a+b merged, empty texts removed");
  assert_equals(p.firstChild.data, "ab");
  assert_equals(p.childNodes[2].data, "c");
  assert_equals(inner.childNodes.length, 1, "descendants too");
  assert_equals(inner.firstChild.data, "xy");
}, "normalize()");

test(() => {
  const p = document.createElement("p");
  const t = new Text("hello world");
  p.append(t, document.createElement("br"));
  const rest = t.splitText(5);
  assert_equals(t.data, "hello");
  assert_equals(rest.data, " world");
  assert_equals(t.nextSibling, rest, "inserted after this");
  assert_equals(p.childNodes.length, 3);
  assert_throws_dom("IndexSizeError", () => t.splitText(6));
  const alone = new Text("ab");
  assert_equals(alone.splitText(1).parentNode, null);
  assert_equals(alone.data, "a");
}, "Text.splitText()");

test(() => {
  const root = document.createElement("div");
  const a = document.createElement("a");
  const b = document.createElement("b");
  const inner = document.createElement("i");
  a.append(inner);
  root.append(a, b);
  assert_equals(a.compareDocumentPosition(a), 0);
  assert_equals(a.compareDocumentPosition(b), Node.DOCUMENT_POSITION_FOLLOWING);
  assert_equals(b.compareDocumentPosition(a), Node.DOCUMENT_POSITION_PRECEDING);
  assert_equals(inner.compareDocumentPosition(root),
                Node.DOCUMENT_POSITION_CONTAINS | Node.DOCUMENT_POSITION_PRECEDING);
  assert_equals(root.compareDocumentPosition(inner),
                Node.DOCUMENT_POSITION_CONTAINED_BY | Node.DOCUMENT_POSITION_FOLLOWING);
  assert_equals(inner.compareDocumentPosition(b), Node.DOCUMENT_POSITION_FOLLOWING);
  const other = document.createElement("x");
  const there = a.compareDocumentPosition(other);
  const back = other.compareDocumentPosition(a);
  assert_true(!!(there & Node.DOCUMENT_POSITION_DISCONNECTED));
  assert_true(!!(there & Node.DOCUMENT_POSITION_IMPLEMENTATION_SPECIFIC));
  assert_not_equals(there & 6, back & 6, "a consistent order either way");
}, "compareDocumentPosition()");
