// META: title=FormData (XMLHttpRequest §5)
// META: global=window,worker
"use strict";

promise_test(async () => {
  const fd = new FormData();
  fd.append("a", "1");
  fd.append("a", "2");
  fd.append("b", new Blob(["x"], { type: "text/plain" }));
  fd.append("c", new File(["y"], "orig.txt"), "renamed.txt");
  assert_equals(fd.get("a"), "1");
  assert_array_equals(fd.getAll("a"), ["1", "2"]);
  assert_true(fd.has("b"));
  const b = fd.get("b");
  assert_true(b instanceof File, "a Blob becomes a File");
  assert_equals(b.name, "blob");
  assert_equals(b.type, "text/plain");
  assert_equals(fd.get("c").name, "renamed.txt");
  assert_equals(await fd.get("c").text(), "y");
  fd.set("a", "3");
  assert_array_equals(fd.getAll("a"), ["3"]);
  fd.delete("b");
  assert_false(fd.has("b"));
  assert_equals(fd.get("zzz"), null);
  assert_array_equals([...fd.keys()], ["a", "c"]);
  assert_equals(Object.prototype.toString.call(fd.entries()), "[object FormData Iterator]");
  assert_throws_js(TypeError, () => fd.append("x", {}, "name"), "not a Blob with a filename");
}, "The entry list");
