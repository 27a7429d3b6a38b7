// META: title=The Headers class (Fetch §5.2)
// META: global=window,worker
"use strict";

test(() => {
  const h = new Headers();
  assert_false(h.has("a"));
  h.append("Content-Type", " text/plain \t");
  assert_equals(h.get("content-type"), "text/plain", "values are normalized, names match any case");
  h.append("X-Multi", "1");
  h.append("x-multi", "2");
  assert_equals(h.get("X-MULTI"), "1, 2", "combined");
  h.set("x-multi", "3");
  assert_equals(h.get("x-multi"), "3", "set replaces");
  h.delete("X-Multi");
  assert_false(h.has("x-multi"));
  assert_equals(h.get("nope"), null);
}, "append, get, set, has, delete");

test(() => {
  assert_equals(new Headers([["a", "1"], ["b", "2"]]).get("b"), "2", "pairs");
  assert_equals(new Headers({ a: "1", B: "2" }).get("b"), "2", "a record");
  const copy = new Headers(new Headers({ c: "3" }));
  assert_equals(copy.get("c"), "3", "another Headers (iterated as pairs)");
  assert_throws_js(TypeError, () => new Headers([["a"]]), "a pair of one");
  assert_throws_js(TypeError, () => new Headers([["a", "1", "2"]]), "a pair of three");
  assert_throws_js(TypeError, () => new Headers({ "bad name": "x" }), "a bad name");
  assert_throws_js(TypeError, () => new Headers(5), "not a sequence or record");
}, "Constructor forms");

test(() => {
  const h = new Headers();
  for (const bad of ["", "a b", "a:b", "é", "a\u0000"]) {
    assert_throws_js(TypeError, () => h.append(bad, "v"), "name " + JSON.stringify(bad));
    assert_throws_js(TypeError, () => h.get(bad), "get " + JSON.stringify(bad));
  }
  for (const bad of ["a\nb", "a\rb", "a\u0000b"]) {
    assert_throws_js(TypeError, () => h.append("x", bad), "value " + JSON.stringify(bad));
  }
  assert_throws_js(TypeError, () => h.append("x", "\u0100"), "ByteString conversion");
  h.append("x", "  a\tb  ");
  assert_equals(h.get("x"), "a\tb", "inner whitespace stays");
}, "Names and values are validated");

test(() => {
  const h = new Headers([["b", "2"], ["A", "1"], ["Set-Cookie", "x=1"], ["b", "3"], ["set-cookie", "y=2"]]);
  assert_array_equals([...h.keys()], ["a", "b", "set-cookie", "set-cookie"], "sorted, lower-case");
  assert_array_equals([...h.values()], ["1", "2, 3", "x=1", "y=2"], "combined, Set-Cookie apart");
  assert_array_equals(h.getSetCookie(), ["x=1", "y=2"]);
  assert_equals(h.get("set-cookie"), "x=1, y=2");
  const seen = [];
  h.forEach((value, name) => seen.push(name + "=" + value));
  assert_array_equals(seen, ["a=1", "b=2, 3", "set-cookie=x=1", "set-cookie=y=2"]);
  assert_equals(Object.prototype.toString.call(h.entries()), "[object Headers Iterator]");
}, "Iteration: sort and combine");
