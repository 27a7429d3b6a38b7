// META: title=fetch() decodes gzip, deflate and br content codings (Fetch "handle content codings")
// META: global=window,worker
"use strict";

const R = "/fetch/content-encoding/resources/";
const EXPECTED = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join("");

for (const [file, coding] of [["lines.gz", "gzip"], ["lines.deflate", "deflate"], ["lines.br", "br"]]) {
  promise_test(async () => {
    const response = await fetch(R + file);
    assert_equals(response.headers.get("content-encoding"), coding, "the header stays");
    const text = await response.text();
    assert_equals(text.length, EXPECTED.length);
    assert_equals(text, EXPECTED);
  }, `A ${coding} body is decoded`);
}

promise_test(async t => {
  const response = await fetch(R + "truncated.gz");
  assert_equals(response.status, 200);
  await promise_rejects_js(t, TypeError, response.text(), "a truncated coding is a network error");
}, "A truncated gzip body errors");
