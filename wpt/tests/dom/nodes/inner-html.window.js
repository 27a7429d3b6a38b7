// META: title=innerHTML and outerHTML: the HTML fragment parsing and serialization algorithms (HTML §13.3, §13.4)
"use strict";

test(() => {
  const d = document.createElement("div");
  d.innerHTML = '<p class="a&quot;b">x &amp; y<br><!--c-->&nbsp;</p><b>t</b>';
  assert_equals(d.childNodes.length, 2);
  assert_equals(d.firstChild.getAttribute("class"), 'a"b');
  assert_equals(d.querySelector("b").textContent, "t");
  assert_equals(d.innerHTML, '<p class="a&quot;b">x &amp; y<br><!--c-->&nbsp;</p><b>t</b>',
                "serialization escapes &, nbsp, < > in text and \" in attributes");
  d.innerHTML = "";
  assert_false(d.hasChildNodes());
  d.innerHTML = null;
  assert_equals(d.innerHTML, "", "[LegacyNullToEmptyString]");
  d.textContent = "<not markup>";
  assert_equals(d.innerHTML, "&lt;not markup&gt;");
}, "innerHTML parses and serializes");

test(t => {
  self.innerHTMLScriptRan = false;
  const d = document.createElement("div");
  d.innerHTML = "<script>self.innerHTMLScriptRan = true<\/script>";
  document.body.appendChild(d);
  t.add_cleanup(() => d.remove());
  assert_false(self.innerHTMLScriptRan, "scripts from the fragment parser are already started");
  const s = d.querySelector("script");
  assert_equals(s.innerHTML, "self.innerHTMLScriptRan = true", "raw text is not escaped");
}, "Scripts inserted with innerHTML do not run");

test(() => {
  const table = document.createElement("table");
  table.innerHTML = "<tr><td>1</td></tr>";
  assert_equals(table.innerHTML, "<tbody><tr><td>1</td></tr></tbody>", "the context element's insertion mode");
  const template = document.createElement("template");
  template.innerHTML = "<td>cell</td>";
  assert_equals(template.childNodes.length, 0, "a template's innerHTML sets its contents");
  assert_equals(template.content.firstChild.localName, "td");
  assert_equals(template.innerHTML, "<td>cell</td>");
  const outer = document.createElement("div");
  outer.appendChild(template);
  assert_equals(outer.innerHTML, "<template><td>cell</td></template>");
}, "The context element decides how markup parses");

test(() => {
  const d = document.createElement("div");
  d.innerHTML = "<b>1</b><i>2</i>";
  assert_equals(d.firstChild.outerHTML, "<b>1</b>");
  d.firstChild.outerHTML = "<u>a</u><u>b</u>";
  assert_equals(d.innerHTML, "<u>a</u><u>b</u><i>2</i>");
  const lone = document.createElement("span");
  lone.outerHTML = "<p>ignored</p>";
  assert_equals(lone.localName, "span", "no parent: nothing happens");
  assert_throws_dom("NoModificationAllowedError", () => { document.documentElement.outerHTML = "<html></html>"; });
  const br = document.createElement("br");
  assert_equals(br.outerHTML, "<br>", "void elements have no end tag");
}, "outerHTML");

test(() => {
  const parent = document.createElement("div");
  const target = document.createElement("p");
  target.textContent = "t";
  parent.appendChild(target);
  target.insertAdjacentHTML("beforebegin", "<a>1</a>");
  target.insertAdjacentHTML("afterbegin", "<b>2</b>");
  target.insertAdjacentHTML("beforeend", "<i>3</i>");
  target.insertAdjacentHTML("afterend", "<u>4</u>");
  assert_equals(parent.innerHTML, "<a>1</a><p><b>2</b>t<i>3</i></p><u>4</u>");
  assert_throws_dom("SyntaxError", () => target.insertAdjacentHTML("middle", "x"));
  const lone = document.createElement("p");
  assert_throws_dom("NoModificationAllowedError", () => lone.insertAdjacentHTML("afterend", "x"));
  const e = document.createElement("em");
  assert_equals(target.insertAdjacentElement("afterbegin", e), e);
  assert_equals(target.firstChild, e);
  assert_equals(lone.insertAdjacentElement("beforebegin", e), null, "no parent: nothing inserted");
  target.insertAdjacentText("beforeend", "!");
  assert_equals(target.lastChild.data, "!");
  assert_throws_dom("SyntaxError", () => target.insertAdjacentText("nowhere", "x"));
}, "insertAdjacentHTML, insertAdjacentElement, insertAdjacentText");
