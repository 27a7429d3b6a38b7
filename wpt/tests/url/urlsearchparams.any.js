// META: title=URLSearchParams (URL Standard §6.2)
// META: global=window,worker
"use strict";

test(() => {
  assert_equals(new URLSearchParams().toString(), "");
  assert_equals(new URLSearchParams("?a=1&b=2").toString(), "a=1&b=2", "leading ? removed");
  assert_equals(new URLSearchParams("a=1&&b=%20x+y").get("b"), " x y", "decoding");
  assert_equals(new URLSearchParams([["a", "1"], ["a", "2"]]).getAll("a").join(), "1,2");
  assert_equals(new URLSearchParams({ x: "1", y: "2" }).toString(), "x=1&y=2", "a record");
  assert_throws_js(TypeError, () => new URLSearchParams([["a"]]), "a pair needs two items");
  assert_throws_js(TypeError, () => new URLSearchParams([["a", "b", "c"]]));
  const copy = new URLSearchParams(new URLSearchParams("k=v"));
  assert_equals(copy.get("k"), "v", "another URLSearchParams is iterated as pairs");
  assert_equals(new URLSearchParams("\uD83D\uDE00=%F0%9F%98%80").toString(), "%F0%9F%98%80=%F0%9F%98%80");
}, "Constructor forms");

test(() => {
  const p = new URLSearchParams("a=1&b=2&a=3");
  assert_equals(p.size, 3);
  assert_equals(p.get("a"), "1");
  assert_equals(p.get("zz"), null);
  assert_array_equals(p.getAll("a"), ["1", "3"]);
  assert_true(p.has("b"));
  assert_true(p.has("a", "3"));
  assert_false(p.has("a", "2"));
  p.set("a", "x");
  assert_equals(p.toString(), "a=x&b=2", "set replaces the first and removes the rest");
  p.set("c", "y");
  assert_equals(p.toString(), "a=x&b=2&c=y");
  p.append("a", "z");
  p.delete("a", "x");
  assert_equals(p.toString(), "b=2&c=y&a=z", "delete with a value");
  p.delete("a");
  assert_equals(p.toString(), "b=2&c=y");
}, "get, getAll, has, set, append, delete and size");

test(() => {
  const p = new URLSearchParams("z=1&a=2&\uFFFD=3&\uD83D\uDE00=4&a=1");
  p.sort();
  assert_array_equals([...p.keys()], ["a", "a", "z", "\uD83D\uDE00", "\uFFFD"],
    "stable sort in code unit order");
  assert_array_equals(p.getAll("a"), ["2", "1"], "stable");
}, "sort()");

test(() => {
  const p = new URLSearchParams("a=1&b=2");
  assert_array_equals([...p].map(e => e.join("=")), ["a=1", "b=2"], "@@iterator");
  assert_array_equals([...p.entries()].map(e => e.join("=")), ["a=1", "b=2"]);
  assert_array_equals([...p.keys()], ["a", "b"]);
  assert_array_equals([...p.values()], ["1", "2"]);
  const seen = [];
  p.forEach((value, key, obj) => seen.push(key + value + (obj === p)));
  assert_array_equals(seen, ["a1true", "b2true"]);
  assert_equals(Object.prototype.toString.call(p.entries()), "[object URLSearchParams Iterator]");
}, "Iteration");

test(() => {
  const p = new URLSearchParams();
  p.append("a b", "c&d=e");
  p.append("€", "~*'()!");
  assert_equals(p.toString(), "a+b=c%26d%3De&%E2%82%AC=%7E*%27%28%29%21");
  assert_equals(String(p), p.toString(), "stringifier");
}, "application/x-www-form-urlencoded serialization");
