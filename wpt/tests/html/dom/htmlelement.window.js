// META: title=HTMLElement: hidden, dataset, tabIndex, focus, click(), innerText (HTML §3.2.6, §6.6)
"use strict";

test(() => {
  const div = document.createElement("div");
  assert_false(div.hidden);
  div.hidden = true;
  assert_equals(div.getAttribute("hidden"), "");
  div.title = "t";
  div.lang = "fr";
  assert_equals(div.outerHTML, '<div hidden="" title="t" lang="fr"></div>');
  assert_false(div.inert);
  assert_true(div.translate);
  div.translate = false;
  assert_equals(div.getAttribute("translate"), "no");
  const child = div.appendChild(document.createElement("span"));
  assert_false(child.translate, "inherited from the parent");
  assert_equals(div.popover, null);
  div.setAttribute("popover", "");
  assert_equals(div.popover, "auto");
}, "reflected HTMLElement attributes");

test(() => {
  const div = document.createElement("div");
  div.setAttribute("data-episode-url", "/ep1.mp3");
  div.setAttribute("data-x", "1");
  div.setAttribute("data-Upper", "no");
  const ds = div.dataset;
  assert_true(ds instanceof DOMStringMap);
  assert_equals(div.dataset, ds, "[SameObject]");
  assert_equals(ds.episodeUrl, "/ep1.mp3");
  assert_equals(ds["episode-url"], undefined);
  assert_array_equals(Object.keys(ds), ["episodeUrl", "x", "upper"], "setAttribute lowercases the name in an HTML document");
  assert_true("x" in ds);
  ds.fooBar = "baz";
  assert_equals(div.getAttribute("data-foo-bar"), "baz");
  ds.n = 5;
  assert_equals(div.getAttribute("data-n"), "5", "values are converted to strings");
  delete ds.x;
  assert_false(div.hasAttribute("data-x"));
  assert_throws_dom("SyntaxError", () => { ds["a-b"] = "1"; });
  assert_equals(JSON.stringify(Object.assign({}, ds)), '{"episodeUrl":"/ep1.mp3","upper":"no","fooBar":"baz","n":"5"}');
}, "dataset");

test(() => {
  assert_equals(document.createElement("div").tabIndex, -1);
  assert_equals(document.createElement("button").tabIndex, 0);
  const a = document.createElement("a");
  assert_equals(a.tabIndex, -1, "a link without href is not focusable by default");
  a.href = "x";
  assert_equals(a.tabIndex, 0);
  const d = document.createElement("div");
  d.tabIndex = 3;
  assert_equals(d.getAttribute("tabindex"), "3");
}, "tabIndex");

test(t => {
  const input = document.body.appendChild(document.createElement("input"));
  const button = document.body.appendChild(document.createElement("button"));
  t.add_cleanup(() => { input.remove(); button.remove(); });
  const events = [];
  for (const el of [input, button]) {
    for (const type of ["focus", "blur", "focusin", "focusout"]) {
      el.addEventListener(type, e => events.push(`${type}:${el.localName}:${e.isTrusted}`));
    }
  }
  assert_equals(document.activeElement, document.body);
  input.focus();
  assert_equals(document.activeElement, input);
  button.focus();
  assert_equals(document.activeElement, button);
  button.blur();
  assert_equals(document.activeElement, document.body);
  assert_array_equals(events, [
    "focus:input:true", "focusin:input:true",
    "blur:input:true", "focusout:input:true", "focus:button:true", "focusin:button:true",
    "blur:button:true", "focusout:button:true",
  ]);
  const div = document.body.appendChild(document.createElement("div"));
  div.focus();
  assert_equals(document.activeElement, document.body, "a div is not focusable");
  div.tabIndex = 0;
  div.focus();
  assert_equals(document.activeElement, div);
  div.remove();
  assert_equals(document.activeElement, document.body, "removal unfocuses");
}, "focus() and blur()");

test(t => {
  const div = document.body.appendChild(document.createElement("div"));
  t.add_cleanup(() => div.remove());
  let event;
  document.body.addEventListener("click", e => { event = e; }, { once: true });
  div.click();
  assert_equals(event.type, "click");
  assert_equals(event.target, div);
  assert_false(event.isTrusted);
  assert_true(event.bubbles && event.cancelable && event.composed);
}, "click() fires a synthetic click that bubbles");

test(t => {
  const box = document.body.appendChild(document.createElement("input"));
  box.type = "checkbox";
  t.add_cleanup(() => box.remove());
  const seen = [];
  box.addEventListener("click", () => seen.push("click:" + box.checked));
  box.addEventListener("input", () => seen.push("input"));
  box.addEventListener("change", () => seen.push("change"));
  box.click();
  assert_true(box.checked);
  assert_array_equals(seen, ["click:true", "input", "change"]);
  box.addEventListener("click", e => e.preventDefault(), { once: true });
  box.click();
  assert_true(box.checked, "a canceled click restores the checkedness");
  box.disabled = true;
  box.click();
  assert_true(box.checked, "a disabled control ignores click()");
}, "click() on a checkbox: legacy-pre-activation and activation behaviour");

test(t => {
  const label = document.body.appendChild(document.createElement("label"));
  const input = label.appendChild(document.createElement("input"));
  input.type = "checkbox";
  t.add_cleanup(() => label.remove());
  assert_equals(label.control, input);
  label.click();
  assert_true(input.checked, "clicking a label clicks its control");
}, "label activation");

test(() => {
  const div = document.createElement("div");
  div.innerHTML = "<p>Episode  one</p><p>Episode\ntwo</p><script>x()</script><span hidden>no</span>a<br>b";
  document.body.appendChild(div);
  assert_equals(div.innerText, "Episode one\n\nEpisode two\n\na\nb");
  div.remove();
  div.innerText = "x\ny";
  assert_equals(div.innerHTML, "x<br>y");
  const outer = document.createElement("div");
  outer.innerHTML = "a<b>b</b>c";
  outer.querySelector("b").outerText = "B";
  assert_equals(outer.childNodes.length, 1, "outerText merges the text nodes");
  assert_equals(outer.textContent, "aBc");
}, "innerText and outerText");

test(() => {
  const div = document.createElement("div");
  assert_equals(div.contentEditable, "inherit");
  div.contentEditable = "true";
  assert_true(div.isContentEditable);
  assert_throws_dom("SyntaxError", () => { div.contentEditable = "yes"; });
  div.setAttribute("inputmode", "NUMERIC");
  assert_equals(div.inputMode, "numeric");
}, "ElementContentEditable");
