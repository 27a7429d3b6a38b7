// META: title=Form controls: values, checkedness, select, form submission events, FormData(form) (HTML §4.10)
"use strict";

function makeForm(html) {
  const form = document.createElement("form");
  form.innerHTML = html;
  document.body.appendChild(form);
  return form;
}

test(() => {
  const input = document.createElement("input");
  assert_equals(input.type, "text");
  input.type = "NUMBER";
  assert_equals(input.type, "number");
  input.setAttribute("type", "bogus");
  assert_equals(input.type, "text", "invalid: text");
  input.defaultValue = "a";
  assert_equals(input.value, "a", "clean: the value follows the attribute");
  input.value = "b\nc";
  assert_equals(input.value, "bc", "text sanitization strips newlines");
  input.defaultValue = "z";
  assert_equals(input.value, "bc", "dirty: the attribute no longer matters");
  assert_equals(input.getAttribute("value"), "z");
}, "input value and the dirty value flag");

test(() => {
  const n = document.createElement("input");
  n.type = "number";
  n.value = "12.5";
  assert_equals(n.valueAsNumber, 12.5);
  n.value = "abc";
  assert_equals(n.value, "", "invalid numbers sanitize to the empty string");
  n.valueAsNumber = 3;
  assert_equals(n.value, "3");
  const c = document.createElement("input");
  c.type = "color";
  assert_equals(c.value, "#000000");
  c.value = "#ABCDEF";
  assert_equals(c.value, "#abcdef");
  const f = document.createElement("input");
  f.type = "file";
  assert_throws_dom("InvalidStateError", () => { f.value = "x"; });
  const t = document.createElement("input");
  assert_throws_dom("InvalidStateError", () => { t.valueAsNumber = 1; });
}, "number, color and file inputs");

test(t => {
  const form = makeForm('<input type=radio name=r value=a checked><input type=radio name=r value=b><input type=checkbox name=c>');
  t.add_cleanup(() => form.remove());
  const [a, b, c] = form.querySelectorAll("input");
  assert_true(a.checked);
  b.checked = true;
  assert_false(a.checked, "checking one radio button unchecks its group");
  assert_equals(c.value, "on");
  c.defaultChecked = true;
  assert_true(c.checked, "clean checkedness follows the checked attribute");
  c.checked = false;
  c.defaultChecked = true;
  assert_false(c.checked, "dirty checkedness does not");
  form.reset();
  assert_true(a.checked && !b.checked && c.checked, "reset restores the defaults");
}, "checkedness and radio button groups");

test(t => {
  const form = makeForm('<select name=s><option>One</option><option value=2 selected>Two</option><optgroup><option disabled>Three</option></optgroup></select>');
  t.add_cleanup(() => form.remove());
  const s = form.querySelector("select");
  assert_equals(s.type, "select-one");
  assert_equals(s.length, 3);
  assert_equals(s.options.length, 3);
  assert_equals(s.selectedIndex, 1);
  assert_equals(s.value, "2");
  s.value = "One";
  assert_equals(s.selectedIndex, 0);
  assert_equals(s.selectedOptions[0].text, "One");
  s.selectedIndex = 2;
  assert_equals(s.value, "Three");
  assert_equals(s.options[2].index, 2);
  assert_equals(s.options[1].form, form);
}, "select and option");

test(() => {
  const ta = document.createElement("textarea");
  ta.textContent = "a\r\nb";
  assert_equals(ta.defaultValue, "a\r\nb");
  assert_equals(ta.value, "a\nb");
  ta.value = "x";
  assert_equals(ta.textLength, 1);
  assert_equals(ta.type, "textarea");
}, "textarea");

test(t => {
  const form = makeForm('<input name=a value=1><button name=go value=yes>Go</button><fieldset disabled><input name=off value=x></fieldset><select name=s><option selected>o</option></select><input type=checkbox name=c checked><input type=checkbox name=u><textarea name=t>txt</textarea><input name="" value=noname>');
  t.add_cleanup(() => form.remove());
  const outside = document.body.appendChild(document.createElement("input"));
  outside.name = "outside";
  outside.value = "o";
  form.id = "f1";
  outside.setAttribute("form", "f1");
  t.add_cleanup(() => outside.remove());
  assert_equals(outside.form, form, "the form attribute names the form owner");
  assert_equals(form.elements.length, 10);
  assert_equals(form.length, 10);
  const fd = new FormData(form, form.querySelector("button"));
  assert_array_equals([...fd].map(([k, v]) => `${k}=${v}`), ["a=1", "go=yes", "s=o", "c=on", "t=txt", "outside=o"]);
  assert_array_equals([...new FormData(form)].map(([k]) => k), ["a", "s", "c", "t", "outside"], "no submitter: no button");
  assert_throws_js(TypeError, () => new FormData(form, document.createElement("div")));
  const other = document.createElement("button");
  assert_throws_dom("NotFoundError", () => new FormData(form, other));
}, "form.elements and FormData(form, submitter)");

test(t => {
  const form = makeForm('<input name=q required><button id=b>Search</button>');
  t.add_cleanup(() => form.remove());
  const events = [];
  form.addEventListener("submit", e => { events.push(["submit", e.submitter && e.submitter.id, e instanceof SubmitEvent]); e.preventDefault(); });
  form.querySelector("input").addEventListener("invalid", () => events.push(["invalid"]));
  form.requestSubmit();
  assert_array_equals(events.map(String), ["invalid"], "an invalid form is not submitted");
  form.querySelector("input").value = "episodes";
  form.requestSubmit();
  assert_equals(String(events[1]), "submit,,true");
  form.querySelector("button").click();
  assert_equals(String(events[2]), "submit,b,true", "a submit button's activation submits with it as submitter");
  form.submit();
  assert_equals(events.length, 3, "submit() fires no submit event");
  assert_throws_js(TypeError, () => form.requestSubmit(form.querySelector("input")));
}, "requestSubmit, submit buttons and the submit event");

test(t => {
  const form = makeForm('<input id=i value=a><button type=reset>r</button>');
  t.add_cleanup(() => form.remove());
  const i = form.querySelector("#i");
  i.value = "changed";
  let resets = 0;
  form.addEventListener("reset", () => resets++);
  form.querySelector("button").click();
  assert_equals(resets, 1);
  assert_equals(i.value, "a");
}, "reset buttons");

test(() => {
  const p = document.createElement("progress");
  assert_equals(p.position, -1, "indeterminate");
  assert_equals(p.value, 0);
  p.value = 0.25;
  assert_equals(p.getAttribute("value"), "0.25");
  assert_equals(p.position, 0.25);
  p.max = 200;
  p.value = 50;
  assert_equals(p.position, 0.25);
  p.value = 500;
  assert_equals(p.value, 200, "clamped to max");
  const m = document.createElement("meter");
  assert_equals(m.max, 1);
  m.setAttribute("min", "10");
  assert_equals(m.max, 10, "max is at least min");
  m.value = 3;
  assert_equals(m.value, 10, "value is clamped to the range");
  assert_equals(m.optimum, 10);
}, "progress and meter");

test(() => {
  const o = document.createElement("output");
  o.textContent = "default";
  o.value = "now";
  assert_equals(o.defaultValue, "default");
  assert_equals(o.textContent, "now");
  const d = document.createElement("dialog");
  document.body.appendChild(d);
  d.show();
  assert_true(d.open);
  assert_throws_dom("InvalidStateError", () => d.showModal());
  d.close("done");
  assert_false(d.open);
  assert_equals(d.returnValue, "done");
  d.showModal();
  assert_throws_dom("InvalidStateError", () => d.show());
  d.remove();
}, "output and dialog");

async_test(t => {
  const d = document.body.appendChild(document.createElement("dialog"));
  d.show();
  d.addEventListener("close", t.step_func_done(() => {
    assert_false(d.open);
    d.remove();
  }));
  d.close();
}, "dialog close event");

test(t => {
  const form = makeForm('<input type=file name=upload><input type=file name=none>');
  t.add_cleanup(() => form.remove());
  const [upload, none] = form.querySelectorAll("input");
  const list = upload.files;
  assert_true(list instanceof FileList);
  assert_equals(upload.files, list, "the same FileList until it changes");
  assert_equals(list.length, 0);
  assert_equals(document.createElement("input").files, null, "not a file input");
  const fd = new FormData(form);
  const entries = [...fd];
  assert_equals(entries.length, 2);
  assert_true(entries[0][1] instanceof File, "no file selected: an empty File");
  assert_equals(entries[0][1].name, "");
  assert_equals(entries[0][1].type, "application/octet-stream");
  upload.value = "";
  assert_throws_dom("InvalidStateError", () => { upload.value = "C:\\fakepath\\x"; });
}, "file inputs: files, value and their FormData entries");

test(t => {
  const form = makeForm('<label for=e>Email</label><input id=e type=email name=e><input id=n type=number min=1 max=10 step=2 name=n><input id=p pattern="[a-z]+" name=p><select id=s required><option value="">Pick</option><option>A</option></select><fieldset disabled><input id=off required></fieldset>');
  t.add_cleanup(() => form.remove());
  const e = form.querySelector("#e"), n = form.querySelector("#n"), p = form.querySelector("#p"), s = form.querySelector("#s"), off = form.querySelector("#off");
  assert_true(e.validity instanceof ValidityState);
  assert_equals(e.validity, e.validity, "[SameObject]");
  assert_true(e.validity.valid, "empty is valid");
  e.value = "not-an-email";
  assert_true(e.validity.typeMismatch);
  assert_equals(e.validationMessage, "Please enter an email address.");
  e.value = "ada@example.com";
  assert_true(e.validity.valid);
  n.value = "0";
  assert_true(n.validity.rangeUnderflow);
  n.value = "11";
  assert_true(n.validity.rangeOverflow);
  n.value = "4";
  assert_true(n.validity.stepMismatch, "the step base is min (1)");
  n.value = "5";
  assert_true(n.validity.valid);
  p.value = "abc1";
  assert_true(p.validity.patternMismatch);
  p.value = "abc";
  assert_true(p.validity.valid);
  assert_true(s.validity.valueMissing, "the placeholder option does not count");
  assert_false(off.willValidate, "disabled by its fieldset");
  assert_true(off.validity.valid);
  assert_false(form.checkValidity());
  s.value = "A";
  assert_true(form.checkValidity());
  e.setCustomValidity("taken");
  assert_true(e.validity.customError);
  assert_equals(e.validationMessage, "taken");
  let invalid = 0;
  e.addEventListener("invalid", () => invalid++);
  assert_false(e.reportValidity());
  assert_equals(invalid, 1);
  e.setCustomValidity("");
  assert_true(e.checkValidity());
  assert_equals(e.labels.length, 1);
  assert_equals(e.labels[0].textContent, "Email");
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  assert_equals(hidden.labels, null);
  assert_equals(form.querySelector("fieldset").elements.length, 1);
}, "constraint validation: ValidityState, validationMessage, setCustomValidity, labels");

test(() => {
  const input = document.createElement("input");
  input.value = "episode";
  assert_equals(input.selectionStart, 7, "setting the value moves the cursor to the end");
  input.setSelectionRange(1, 3, "backward");
  assert_array_equals([input.selectionStart, input.selectionEnd, input.selectionDirection], [1, 3, "backward"]);
  input.setRangeText("XY");
  assert_equals(input.value, "eXYsode");
  input.setRangeText("!", 0, 0, "end");
  assert_equals(input.value, "!eXYsode");
  assert_equals(input.selectionStart, 1);
  input.setSelectionRange(10, 20);
  assert_array_equals([input.selectionStart, input.selectionEnd], [8, 8], "clamped");
  input.setSelectionRange(5, 2);
  assert_array_equals([input.selectionStart, input.selectionEnd], [2, 2], "a start after the end is the end");
  input.select();
  assert_array_equals([input.selectionStart, input.selectionEnd], [0, 8]);
  assert_throws_dom("IndexSizeError", () => input.setRangeText("a", 3, 1));
  const number = document.createElement("input");
  number.type = "number";
  assert_equals(number.selectionStart, null, "not a text type");
  assert_throws_dom("InvalidStateError", () => number.setSelectionRange(0, 0));
  const ta = document.createElement("textarea");
  ta.value = "ab";
  ta.setRangeText("c", 1, 1, "select");
  assert_equals(ta.value, "acb");
  assert_array_equals([ta.selectionStart, ta.selectionEnd], [1, 2]);
}, "text selection APIs");

test(() => {
  const n = document.createElement("input");
  n.type = "number";
  n.min = "1";
  n.max = "10";
  n.step = "3";
  n.stepUp();
  assert_equals(n.value, "1", "from 0 (no value): to the first aligned value above min");
  n.stepUp(2);
  assert_equals(n.value, "7");
  n.stepUp(5);
  assert_equals(n.value, "10", "clamped to the largest aligned value not above max");
  n.stepDown();
  assert_equals(n.value, "7");
  n.step = "any";
  assert_throws_dom("InvalidStateError", () => n.stepUp());
  assert_throws_dom("InvalidStateError", () => document.createElement("input").stepUp());
}, "stepUp and stepDown");

test(() => {
  const d = document.createElement("input");
  d.type = "date";
  d.value = "2026-02-29";
  assert_equals(d.value, "", "not a valid date");
  d.value = "2028-02-29";
  assert_equals(d.value, "2028-02-29");
  const dt = document.createElement("input");
  dt.type = "datetime-local";
  dt.value = "2026-12-06 17:05:00.000";
  assert_equals(dt.value, "2026-12-06T17:05", "normalized");
  const w = document.createElement("input");
  w.type = "week";
  w.value = "2026-W53";
  assert_equals(w.value, "2026-W53", "2026 has 53 weeks");
  w.value = "2027-W53";
  assert_equals(w.value, "");
}, "date and time value sanitization");

test(() => {
  const o = new Option("Episode 2", "e2", true, false);
  assert_true(o instanceof HTMLOptionElement);
  assert_equals(o.text, "Episode 2");
  assert_equals(o.value, "e2");
  assert_true(o.defaultSelected);
  assert_false(o.selected);
  const s = document.createElement("select");
  s.appendChild(new Option("a"));
  s.appendChild(o);
  assert_equals(s.length, 2);
  const input = document.createElement("input");
  input.value = "changed";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = true;
  assert_equals(input.cloneNode().value, "changed", "cloning keeps the dirty value");
  assert_true(box.cloneNode().checked, "cloning keeps the checkedness");
}, "Option() and the cloning steps of form controls");
