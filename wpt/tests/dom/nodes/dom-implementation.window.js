// META: title=DOMImplementation, XMLDocument and createElementNS (DOM §4.5.1, "validate and extract")
"use strict";

test(() => {
  const impl = document.implementation;
  assert_true(impl instanceof DOMImplementation);
  assert_equals(document.implementation, impl, "[SameObject]");
  assert_true(impl.hasFeature());
  const doc = impl.createHTMLDocument("A title");
  assert_true(doc instanceof Document);
  assert_false(doc instanceof XMLDocument);
  assert_equals(doc.URL, "about:blank");
  assert_equals(doc.contentType, "text/html");
  assert_equals(doc.doctype.name, "html");
  assert_equals(doc.title, "A title");
  assert_equals(doc.body.localName, "body");
  assert_equals(doc.defaultView, null, "no browsing context");
  assert_equals(impl.createHTMLDocument().getElementsByTagName("title").length, 0, "no title given: none made");
}, "createHTMLDocument");

test(() => {
  const impl = document.implementation;
  const doctype = impl.createDocumentType("svg:svg", "-//W3C//DTD SVG 1.1//EN", "");
  assert_equals(doctype.publicId, "-//W3C//DTD SVG 1.1//EN");
  const doc = impl.createDocument("http://www.w3.org/2000/svg", "svg:svg", doctype);
  assert_true(doc instanceof XMLDocument);
  assert_equals(doc.contentType, "image/svg+xml");
  assert_equals(doc.firstChild, doctype);
  const root = doc.documentElement;
  assert_equals(root.namespaceURI, "http://www.w3.org/2000/svg");
  assert_equals(root.prefix, "svg");
  assert_equals(root.localName, "svg");
  assert_equals(root.tagName, "svg:svg", "not uppercased outside the HTML namespace");
  assert_equals(impl.createDocument(null, "").documentElement, null, "an empty name makes no element");
  assert_equals(impl.createDocument(null, null).contentType, "application/xml");
  assert_throws_dom("InvalidCharacterError", () => impl.createDocumentType("a b", "", ""));
  assert_throws_dom("InvalidCharacterError", () => impl.createDocumentType("a>b", "", ""));
}, "createDocument and createDocumentType");

test(() => {
  const html = document.createElementNS("http://www.w3.org/1999/xhtml", "p");
  assert_true(html instanceof HTMLElement);
  assert_equals(html.tagName, "P");
  const kept = document.createElementNS("http://www.w3.org/1999/xhtml", "DIV");
  assert_equals(kept.localName, "DIV", "createElementNS does not lowercase");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  assert_false(svg instanceof HTMLElement);
  assert_equals(svg.namespaceURI, "http://www.w3.org/2000/svg");
  const none = document.createElementNS(null, "x");
  assert_equals(none.namespaceURI, null);
  assert_equals(document.createElementNS("", "x").namespaceURI, null, "the empty string is null");
  assert_throws_dom("NamespaceError", () => document.createElementNS(null, "a:b"), "a prefix needs a namespace");
  assert_throws_dom("NamespaceError", () => document.createElementNS("urn:x", "xml:b"));
  assert_throws_dom("NamespaceError", () => document.createElementNS("urn:x", "xmlns"));
  assert_throws_dom("NamespaceError", () => document.createElementNS("http://www.w3.org/2000/xmlns/", "a"));
  assert_throws_dom("InvalidCharacterError", () => document.createElementNS("urn:x", ":a"));
  assert_throws_dom("InvalidCharacterError", () => document.createElementNS("urn:x", "a b"));
  assert_equals(document.createElementNS("http://www.w3.org/XML/1998/namespace", "xml:lang").prefix, "xml");
}, "createElementNS and validate-and-extract");

test(() => {
  const xml = document.implementation.createDocument(null, "root");
  const cdata = xml.createCDATASection("a<b");
  assert_true(cdata instanceof CDATASection);
  assert_true(cdata instanceof Text);
  assert_equals(cdata.nodeType, Node.CDATA_SECTION_NODE);
  assert_equals(cdata.nodeName, "#cdata-section");
  xml.documentElement.append(cdata);
  assert_equals(xml.documentElement.textContent, "a<b", "CDATA sections are Text nodes");
  assert_throws_dom("NotSupportedError", () => document.createCDATASection("x"), "not in HTML documents");
  assert_throws_dom("InvalidCharacterError", () => xml.createCDATASection("]]>"));
  const pi = document.createProcessingInstruction("xml-stylesheet", 'href="a.css"');
  assert_true(pi instanceof ProcessingInstruction);
  assert_true(pi instanceof CharacterData);
  assert_equals(pi.nodeType, Node.PROCESSING_INSTRUCTION_NODE);
  assert_equals(pi.nodeName, "xml-stylesheet");
  assert_equals(pi.target, "xml-stylesheet");
  assert_equals(pi.data, 'href="a.css"');
  assert_true(pi.cloneNode().isEqualNode(pi));
  assert_throws_dom("InvalidCharacterError", () => document.createProcessingInstruction("1x", ""));
  assert_throws_dom("InvalidCharacterError", () => document.createProcessingInstruction("x", "?>"));
  const div = document.createElement("div");
  div.append(pi);
  assert_equals(div.innerHTML, '<?xml-stylesheet href="a.css">');
}, "CDATASection and ProcessingInstruction");
