// META: title=A DOMString keeps every code unit, lone surrogates included (WebIDL §3.2.10 DOMString; USVString replaces them)
// META: global=window,worker
"use strict";

const LEAD = "\uD800", TRAIL = "\uDC00";

test(() => {
  const event = new Event(LEAD);
  assert_equals(event.type, LEAD);
  assert_not_equals(new Event(TRAIL).type, event.type);
  assert_equals(new Event("a\uFDD0b").type, "a\uFDD0b", "U+FDD0 itself is kept");
  assert_equals(new Event(LEAD + "\uFDD0" + TRAIL).type, LEAD + "\uFDD0" + TRAIL);
}, "DOMString arguments and attributes round-trip lone surrogates");

test(() => {
  const target = new EventTarget();
  let calls = "";
  target.addEventListener(LEAD, () => calls += "lead");
  target.addEventListener(TRAIL, () => calls += "trail");
  target.dispatchEvent(new Event(TRAIL));
  assert_equals(calls, "trail", "event types that differ in a lone surrogate are different keys");
}, "DOMString keys that differ only in a lone surrogate stay different");

test(() => {
  assert_equals(new URLSearchParams("a=" + encodeURIComponent("x")).get("a"), "x");
  const params = new URLSearchParams();
  params.append("k", LEAD);
  assert_equals(params.get("k"), "\uFFFD", "a USVString replaces lone surrogates");
}, "USVString arguments still replace lone surrogates with U+FFFD");

promise_test(async t => {
  const names = [LEAD, TRAIL];
  for (const name of names) await caches.delete(name);
  t.add_cleanup(() => Promise.all(names.map(n => caches.delete(n))));
  await caches.open(LEAD);
  await caches.open(TRAIL);
  const keys = (await caches.keys()).filter(k => names.includes(k));
  assert_array_equals(keys, names, "two caches, named by their code units");
  assert_true(await caches.has(TRAIL));
}, "Cache names that differ in a lone surrogate are two caches");

if (self.document) {
  test(() => {
    const text = document.createTextNode("a" + LEAD + "b");
    assert_equals(text.data, "a" + LEAD + "b");
    assert_equals(text.length, 3);
    assert_equals(text.substringData(1, 1), LEAD);
    text.appendData("\uDE00");
    assert_equals(text.data, "a" + LEAD + "b\uDE00");
    const pair = document.createTextNode("\uD83D");
    pair.appendData("\uDE00");
    assert_equals(pair.data, "\u{1F600}", "two halves appended make a pair");
    assert_equals(pair.length, 2);
    const rest = pair.splitText(1);
    assert_equals(pair.data, "\uD83D");
    assert_equals(rest.data, "\uDE00");
  }, "CharacterData counts and keeps code units, lone surrogates included");
}
