// META: title=element.style and getComputedStyle (CSSOM §6.6, §6.7)
"use strict";

test(() => {
  const div = document.createElement("div");
  const style = div.style;
  assert_true(style instanceof CSSStyleDeclaration);
  assert_equals(div.style, style, "[SameObject]");
  assert_equals(style.display, "");
  style.display = "none";
  assert_equals(div.getAttribute("style"), "display: none;");
  assert_equals(style.display, "none");
  style.backgroundColor = "red";
  assert_equals(style["background-color"], "red", "the dashed attribute");
  assert_equals(style.getPropertyValue("background-color"), "red");
  assert_equals(style.length, 2);
  assert_equals(style[0], "display");
  assert_equals(style.item(1), "background-color");
  assert_equals(style[2], undefined);
  style.display = "";
  assert_equals(div.getAttribute("style"), "background-color: red;", "the empty string removes");
}, "camel-cased and dashed attributes write the style attribute");

test(() => {
  const div = document.createElement("div");
  div.setAttribute("style", "width:10px;  COLOR : blue !important; nonsense-prop: 1; height:");
  assert_equals(div.style.width, "10px");
  assert_equals(div.style.color, "blue");
  assert_equals(div.style.getPropertyPriority("color"), "important");
  assert_equals(div.style.length, 2, "unknown properties and empty values are dropped");
  assert_equals(div.style.cssText, "width: 10px; color: blue !important;");
  div.setAttribute("style", "margin-top: 3px");
  assert_equals(div.style.marginTop, "3px", "reading follows the attribute");
}, "the style attribute is parsed");

test(() => {
  const div = document.createElement("div");
  const s = div.style;
  s.setProperty("opacity", "0.5", "important");
  assert_equals(s.cssText, "opacity: 0.5 !important;");
  s.setProperty("opacity", "1", "bogus");
  assert_equals(s.opacity, "0.5", "an invalid priority is ignored");
  s.setProperty("--accent", " #f00 ");
  assert_equals(s.getPropertyValue("--accent"), "#f00");
  s.setProperty("unknown-thing", "1");
  assert_equals(s.getPropertyValue("unknown-thing"), "");
  assert_equals(s.removeProperty("opacity"), "0.5");
  assert_equals(s.opacity, "");
  s.cssText = "float: left; top: 0";
  assert_equals(s.cssFloat, "left");
  assert_equals(s.top, "0");
  s.cssFloat = "right";
  assert_equals(div.getAttribute("style"), "float: right; top: 0;");
}, "setProperty, removeProperty, cssText, cssFloat, custom properties");

test(t => {
  const div = document.body.appendChild(document.createElement("div"));
  const span = document.body.appendChild(document.createElement("span"));
  t.add_cleanup(() => { div.remove(); span.remove(); });
  assert_equals(getComputedStyle(div).display, "block");
  assert_equals(getComputedStyle(span).display, "inline");
  span.style.display = "none";
  const cs = getComputedStyle(span);
  assert_equals(cs.display, "none");
  assert_equals(cs.getPropertyValue("display"), "none");
  assert_throws_dom("NoModificationAllowedError", () => cs.setProperty("display", "block"));
  div.hidden = true;
  assert_equals(getComputedStyle(div).display, "none", "hidden elements are display: none");
  assert_equals(getComputedStyle(document.createElement("li")).display, "list-item");
}, "getComputedStyle: inline style and the user agent's display");

test(() => {
  const div = document.createElement("div");
  const s = div.style;
  s.color = "not a color";
  s.width = "-10px";
  s.display = "sideways";
  s.zIndex = "1.5";
  assert_false(div.hasAttribute("style"), "invalid values are ignored and write nothing");
  s.color = "#ABC";
  s.width = "calc(100% - 2em)";
  s.display = "inline flex";
  s.zIndex = "-2";
  s.backgroundColor = "rgb(1 2 3 / 50%)";
  s.marginLeft = "-4px";
  assert_equals(s.cssText, "color: #ABC; width: calc(100% - 2em); display: inline flex; z-index: -2; background-color: rgb(1 2 3 / 50%); margin-left: -4px;");
  s.width = "var(--w)";
  assert_equals(s.width, "var(--w)", "var() is checked when computed");
  s.cssText = "padding-left: 1px !important; padding-left: 2px; top: 0";
  assert_equals(s.paddingLeft, "1px", "an !important declaration wins over a later normal one");
}, "values are checked against the property's grammar");
