// META: title=fetch() stores Set-Cookie and sends Cookie as the credentials mode says
// META: global=window,dedicatedworker,sharedworker,serviceworker
"use strict";

const echo = "/cookies/resources/echo-cookie.sub.txt";

function setCookie(value) {
  return `${echo}?pipe=header(Set-Cookie,${encodeURIComponent(value).replace(/%2C/g, "\\,")})`;
}

async function sent(options = {}) {
  return (await (await fetch(echo, options)).text()).split("; ");
}

promise_test(async t => {
  const name = "fc-" + Math.random().toString(36).slice(2);
  t.add_cleanup(() => fetch(setCookie(`${name}=; Max-Age=0; Path=/`)));
  await fetch(setCookie(`${name}=v1; Path=/`));
  assert_true((await sent()).includes(`${name}=v1`), "same-origin requests send it");
  assert_false((await sent({ credentials: "omit" })).includes(`${name}=v1`),
               "credentials: 'omit' sends no cookie");
  if (self.document) {
    assert_true(document.cookie.split("; ").includes(`${name}=v1`),
                "document.cookie sees a cookie set by a response");
  }
}, "a response's Set-Cookie is stored and sent with later requests");

promise_test(async t => {
  const name = "fc-http-" + Math.random().toString(36).slice(2);
  t.add_cleanup(() => fetch(setCookie(`${name}=; Max-Age=0; Path=/`)));
  await fetch(setCookie(`${name}=secret; Path=/; HttpOnly`));
  assert_true((await sent()).includes(`${name}=secret`), "HttpOnly cookies go with requests");
  if (self.document) {
    assert_false(document.cookie.includes(name), "but document.cookie does not show them");
  }
}, "HttpOnly cookies are sent but not exposed to script");

promise_test(async t => {
  const name = "fc-omit-" + Math.random().toString(36).slice(2);
  await fetch(setCookie(`${name}=1; Path=/`), { credentials: "omit" });
  assert_false((await sent()).includes(`${name}=1`),
               "a response to a request without credentials stores nothing");
}, "credentials: 'omit' ignores Set-Cookie");
