// META: title=querySelector, querySelectorAll, matches and closest (DOM §4.2.6, §4.9; Selectors 4)
"use strict";

function tree(t) {
  const root = document.createElement("section");
  root.id = "sel-root";
  root.className = "box  Big";
  const make = (name, attrs = {}, text) => {
    const e = document.createElement(name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const p1 = make("p", { class: "first" });
  const a = make("a", { href: "#x", lang: "en-US" }, "link");
  const p2 = make("p", { "data-k": "v-1" }, "text");
  const input = make("input", { disabled: "" });
  const checkbox = make("input", { type: "checkbox", checked: "" });
  const ul = make("ul");
  ul.append(make("li", {}, "1"), make("li", {}, "2"), make("li", {}, "3"));
  root.append(p1, a, p2, input, checkbox, ul);
  document.body.appendChild(root);
  t.add_cleanup(() => root.remove());
  return { root, p1, a, p2, input, checkbox, ul };
}

test(t => {
  const { root, p1, a, p2 } = tree(t);
  assert_equals(document.querySelector("#sel-root"), root);
  assert_equals(document.querySelector("section.box.Big"), root);
  assert_equals(document.querySelector("section.big"), null, "classes are case-sensitive");
  assert_equals(document.querySelector("SECTION"), root, "HTML type selectors are case-insensitive");
  assert_equals(root.querySelector("p"), p1, "the first match in tree order");
  assert_equals(root.querySelector("p + a"), a);
  assert_equals(root.querySelector("p ~ p"), p2);
  assert_equals(root.querySelector("section > p:first-child"), p1);
  assert_equals(root.querySelector("[data-k]"), p2);
  assert_equals(root.querySelector("[data-k|=v]"), p2);
  assert_equals(root.querySelector("[data-k^=v-]"), p2);
  assert_equals(root.querySelector("[data-k$='-1']"), p2);
  assert_equals(root.querySelector("[href='#x' i]"), a);
  assert_equals(root.querySelector("[lang|=en]"), a);
  assert_equals(root.querySelector("li:nth-child(2)").textContent, "2");
  assert_equals(root.querySelector("li:last-child").textContent, "3");
  assert_equals(root.querySelector("li:nth-last-child(3)").textContent, "1");
  assert_equals(root.querySelector(":is(a, p):not(.first)"), a);
  assert_equals(document.querySelector("section:has(> ul li)"), root);
  assert_equals(document.querySelector("html:root"), document.documentElement);
  assert_equals(root.querySelector(":scope > p"), p1, ":scope is the context node");
  assert_equals(root.querySelector("body p"), p1, "ancestors outside the context count");
  assert_equals(root.querySelector("section p"), p1);
}, "querySelector with type, id, class, attribute, structural and logical selectors");

test(t => {
  const { root, a, input, checkbox } = tree(t);
  assert_equals(root.querySelector("a:link"), a);
  assert_equals(root.querySelector("a:any-link"), a);
  assert_equals(root.querySelector(":visited"), null);
  assert_equals(root.querySelector(":hover, :focus, :active"), null, "nobody interacts with this page");
  assert_equals(root.querySelector("input:disabled"), input);
  assert_equals(root.querySelector("input:enabled"), checkbox);
  assert_equals(root.querySelector(":checked"), checkbox);
  assert_equals(root.querySelector("p:empty").className, "first");
  assert_true(root.matches(":defined"));
}, "Pseudo-classes");

test(t => {
  const { root } = tree(t);
  const all = root.querySelectorAll("li");
  assert_true(all instanceof NodeList);
  assert_equals(all.length, 3);
  assert_array_equals([...all].map(li => li.textContent), ["1", "2", "3"]);
  root.querySelector("ul").append(document.createElement("li"));
  assert_equals(all.length, 3, "querySelectorAll is static");
  assert_not_equals(root.querySelectorAll("li"), all, "[NewObject]");
  assert_equals(root.querySelectorAll("nothing-matches").length, 0);
  assert_equals(document.querySelectorAll("#sel-root, #sel-root").length, 1, "each element once");
  const fragment = document.createDocumentFragment();
  fragment.append(document.createElement("b"));
  assert_equals(fragment.querySelector("b"), fragment.firstChild, "fragments are ParentNodes");
}, "querySelectorAll is a static NodeList in tree order");

test(t => {
  const { root, p2 } = tree(t);
  assert_true(p2.matches("p"));
  assert_true(p2.matches("section > p:nth-child(3)"));
  assert_false(p2.matches("a"));
  assert_true(p2.webkitMatchesSelector("[data-k]"));
  assert_equals(p2.closest("section.box"), root);
  assert_equals(p2.closest("p"), p2, "closest is inclusive");
  assert_equals(p2.closest("table"), null);
  const detached = document.createElement("div");
  const inner = document.createElement("span");
  detached.append(inner);
  assert_true(detached.matches("div"), "a parentless element matches itself");
  assert_equals(inner.closest("div"), detached);
  assert_true(inner.matches("div > span"));
}, "matches, webkitMatchesSelector and closest");

test(t => {
  const { root } = tree(t);
  for (const bad of ["", " ", "p:unknown-pseudo", "::before", "p[", "#", "a >", ">>", "p::nope", ":nth-child(x)"]) {
    assert_throws_dom("SyntaxError", () => root.querySelector(bad), JSON.stringify(bad));
    assert_throws_dom("SyntaxError", () => root.querySelectorAll(bad), JSON.stringify(bad));
    assert_throws_dom("SyntaxError", () => root.matches(bad), JSON.stringify(bad));
    assert_throws_dom("SyntaxError", () => root.closest(bad), JSON.stringify(bad));
  }
}, "Invalid selectors throw a SyntaxError DOMException");
