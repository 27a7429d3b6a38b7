// META: title=Reflected IDL attributes generated from [Reflect] (HTML §2.6.1)
"use strict";

test(() => {
  const a = document.createElement("a");
  assert_equals(a.target, "", "missing: empty string");
  a.target = "_blank";
  assert_equals(a.getAttribute("target"), "_blank");
  a.setAttribute("target", "x");
  assert_equals(a.target, "x");
  a.target = null;
  assert_equals(a.getAttribute("target"), "null", "DOMString: null is 'null'");
  const m = document.createElement("meta");
  m.httpEquiv = "refresh";
  assert_equals(m.getAttribute("http-equiv"), "refresh", "[Reflect=name] names the content attribute");
  assert_true(Object.getOwnPropertyDescriptor(HTMLAnchorElement.prototype, "target").get !== undefined);
}, "DOMString");

test(() => {
  const img = document.createElement("img");
  assert_equals(img.src, "", "missing: empty string");
  img.setAttribute("src", "pic.png");
  assert_equals(img.src, new URL("pic.png", document.baseURI).href, "resolved against the document");
  img.setAttribute("src", "http://[bad");
  assert_equals(img.src, "http://[bad", "a URL that does not parse is returned as it is");
  img.src = "/a b";
  assert_equals(img.getAttribute("src"), "/a b");
}, "USVString URL ([ReflectURL])");

test(() => {
  const input = document.createElement("input");
  assert_false(input.required);
  input.required = true;
  assert_equals(input.getAttribute("required"), "");
  input.setAttribute("required", "false");
  assert_true(input.required, "present means true whatever the value");
  input.required = false;
  assert_false(input.hasAttribute("required"));
}, "boolean");

test(() => {
  const form = document.createElement("form");
  assert_equals(form.method, "get", "missing value default");
  form.setAttribute("method", "POST");
  assert_equals(form.method, "post", "canonical keyword, case-insensitively");
  form.setAttribute("method", "bogus");
  assert_equals(form.method, "get", "invalid value default");
  form.method = "Dialog";
  assert_equals(form.getAttribute("method"), "Dialog", "the setter sets the attribute as given");
  assert_equals(form.method, "dialog");
  const div = document.createElement("div");
  assert_equals(div.dir, "");
  div.setAttribute("dir", "RTL");
  assert_equals(div.dir, "rtl");
  div.setAttribute("dir", "sideways");
  assert_equals(div.dir, "", "limited to only known values");
}, "enumerated");

test(() => {
  const img = document.createElement("img");
  assert_equals(img.crossOrigin, null, "missing: no state is null");
  img.setAttribute("crossorigin", "");
  assert_equals(img.crossOrigin, "anonymous", "empty value default");
  img.setAttribute("crossorigin", "USE-CREDENTIALS");
  assert_equals(img.crossOrigin, "use-credentials");
  img.setAttribute("crossorigin", "x");
  assert_equals(img.crossOrigin, "anonymous", "invalid value default");
  img.crossOrigin = null;
  assert_false(img.hasAttribute("crossorigin"), "null removes the attribute");
}, "nullable enumerated");

test(() => {
  const ol = document.createElement("ol");
  assert_equals(ol.start, 1, "[ReflectDefault]");
  ol.setAttribute("start", "  -7x");
  assert_equals(ol.start, -7, "rules for parsing integers");
  ol.setAttribute("start", "4294967296");
  assert_equals(ol.start, 1, "out of the long range: the default");
  const input = document.createElement("input");
  assert_equals(input.maxLength, -1, "limited to only non-negative numbers: -1 by default");
  input.setAttribute("maxlength", "-5");
  assert_equals(input.maxLength, -1);
  input.maxLength = 10;
  assert_equals(input.getAttribute("maxlength"), "10");
  assert_throws_dom("IndexSizeError", () => { input.maxLength = -1; });
}, "long");

test(() => {
  const input = document.createElement("input");
  assert_equals(input.size, 20, "default");
  input.setAttribute("size", "0");
  assert_equals(input.size, 20, "limited to only positive numbers with fallback");
  input.size = 0;
  assert_equals(input.getAttribute("size"), "20", "0 sets the default with fallback");
  input.size = 2147483648;
  assert_equals(input.getAttribute("size"), "20", "out of range sets the default");
  const img = document.createElement("img");
  img.hspace = 5;
  assert_equals(img.getAttribute("hspace"), "5");
  img.setAttribute("hspace", "-1");
  assert_equals(img.hspace, 0);
}, "unsigned long");

test(() => {
  const p = document.createElement("progress");
  assert_equals(p.max, 1, "[ReflectDefault=1.0]");
  p.max = 0;
  assert_false(p.hasAttribute("max"), "limited to only positive numbers: 0 is ignored");
  p.max = 2.5;
  assert_equals(p.getAttribute("max"), "2.5");
  p.setAttribute("max", "1e2");
  assert_equals(p.max, 100);
  p.setAttribute("max", "-3");
  assert_equals(p.max, 1);
}, "double");

test(() => {
  const a = document.createElement("a");
  const list = a.relList;
  assert_true(list instanceof DOMTokenList);
  assert_equals(a.relList, list, "[SameObject]");
  a.rel = "noopener nofollow";
  assert_array_equals([...list], ["noopener", "nofollow"]);
  list.add("external");
  assert_equals(a.getAttribute("rel"), "noopener nofollow external");
  a.relList = "x y";
  assert_equals(a.rel, "x y", "[PutForwards=value]");
}, "DOMTokenList");

test(() => {
  const iframe = document.createElement("iframe");
  assert_true(iframe instanceof HTMLIFrameElement);
  iframe.src = "/x";
  assert_equals(iframe.src, new URL("/x", document.baseURI).href);
  iframe.sandbox = "allow-scripts allow-forms";
  assert_array_equals([...iframe.sandbox], ["allow-scripts", "allow-forms"]);
  assert_equals(iframe.loading, "eager");
  assert_equals(iframe.contentWindow, null, "no nested browsing contexts yet");
  assert_equals(iframe.contentDocument, null);
}, "HTMLIFrameElement's reflected attributes");
