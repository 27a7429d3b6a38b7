// META: title=Element references reflected (Element?, FrozenArray<Element>?) and the ARIA mixin
"use strict";

function setup_tree(t) {
  const root = document.createElement("div");
  root.innerHTML = `<button id="b" aria-controls="x y missing" aria-activedescendant="x"></button>
                    <div id="x"></div><div id="y"></div><div id="x"></div>`;
  document.body.append(root);
  t.add_cleanup(() => root.remove());
  return {
    root,
    b: root.querySelector("#b"),
    x: root.querySelectorAll("#x")[0],
    x2: root.querySelectorAll("#x")[1],
    y: root.querySelector("#y"),
  };
}

test(t => {
  const e = document.createElement("div");
  assert_equals(e.ariaLabel, null, "missing attribute");
  assert_equals(e.role, null);
  e.ariaLabel = "Download";
  assert_equals(e.getAttribute("aria-label"), "Download");
  e.setAttribute("role", "progressbar");
  assert_equals(e.role, "progressbar");
  e.ariaValueNow = "42";
  assert_equals(e.getAttribute("aria-valuenow"), "42");
  e.ariaLabel = null;
  assert_false(e.hasAttribute("aria-label"), "null removes the attribute");
  assert_true("ariaBusy" in Element.prototype && "role" in Element.prototype);
}, "ARIA string attributes reflect their aria-* content attributes, null when missing");

test(t => {
  const { b, x, x2, y } = setup_tree(t);
  assert_equals(b.ariaActiveDescendantElement, x, "the first element with the ID in tree order");
  x.id = "other";
  assert_equals(b.ariaActiveDescendantElement, x2, "the ID now names the second one");
  b.ariaActiveDescendantElement = y;
  assert_equals(b.getAttribute("aria-activedescendant"), "", "an explicit element empties the attribute");
  assert_equals(b.ariaActiveDescendantElement, y);
  y.id = "renamed";
  assert_equals(b.ariaActiveDescendantElement, y, "an explicit element does not depend on its ID");
  b.setAttribute("aria-activedescendant", "other");
  assert_equals(b.ariaActiveDescendantElement, x, "setting the attribute forgets the explicit element");
  b.ariaActiveDescendantElement = null;
  assert_false(b.hasAttribute("aria-activedescendant"));
  assert_equals(b.ariaActiveDescendantElement, null);
}, "Element? reflection: by ID, explicitly set, and null");

test(t => {
  const { b } = setup_tree(t);
  const elsewhere = document.createElement("span");
  b.ariaActiveDescendantElement = elsewhere;
  assert_equals(b.ariaActiveDescendantElement, null, "an element outside the tree is not returned");
  document.body.append(elsewhere);
  t.add_cleanup(() => elsewhere.remove());
  assert_equals(b.ariaActiveDescendantElement, elsewhere, "once in the same tree, it is");
  elsewhere.remove();
  assert_equals(b.ariaActiveDescendantElement, null);
  assert_throws_js(TypeError, () => { b.ariaActiveDescendantElement = "x"; });
}, "Element? reflection: an explicitly set element counts only while in scope");

test(t => {
  const { b, x, y } = setup_tree(t);
  const controls = b.ariaControlsElements;
  assert_array_equals(controls, [x, y], "IDs that name no element are skipped");
  assert_true(Object.isFrozen(controls));
  assert_equals(b.ariaControlsElements, controls, "the same array while the elements stay the same");
  y.id = "gone";
  const after = b.ariaControlsElements;
  assert_not_equals(after, controls, "a new array once they change");
  assert_array_equals(after, [x]);
  assert_equals(b.ariaOwnsElements, null, "missing attribute");
}, "FrozenArray<Element>? reflection by IDs, with a cached frozen array");

test(t => {
  const { b, x, y } = setup_tree(t);
  const outside = document.createElement("p");
  b.ariaDescribedByElements = [y, outside, x];
  assert_equals(b.getAttribute("aria-describedby"), "");
  assert_array_equals(b.ariaDescribedByElements, [y, x], "only the elements in scope, in the given order");
  b.ariaDescribedByElements = [];
  assert_array_equals(b.ariaDescribedByElements, []);
  assert_true(b.hasAttribute("aria-describedby"));
  b.ariaDescribedByElements = null;
  assert_false(b.hasAttribute("aria-describedby"));
  assert_equals(b.ariaDescribedByElements, null);
  assert_throws_js(TypeError, () => { b.ariaDescribedByElements = [x, "y"]; });
}, "FrozenArray<Element>? reflection: explicitly set elements");

test(t => {
  const { root, b } = setup_tree(t);
  const pop = document.createElement("div");
  pop.id = "menu";
  pop.popover = "auto";
  root.append(pop);
  b.setAttribute("popovertarget", "menu");
  assert_equals(b.popoverTargetElement, pop);
  assert_equals(b.popoverTargetAction, "toggle", "missing value default");
  b.popoverTargetAction = "show";
  assert_equals(b.getAttribute("popovertargetaction"), "show");
  b.setAttribute("popovertargetaction", "bogus");
  assert_equals(b.popoverTargetAction, "toggle", "invalid value default");
  const input = document.createElement("input");
  root.append(input);
  input.popoverTargetElement = pop;
  assert_equals(input.popoverTargetElement, pop);
  assert_equals(input.getAttribute("popovertarget"), "");
}, "popoverTargetElement and popoverTargetAction on buttons and inputs");
