// META: title=HTMLHyperlinkElementUtils on a and area (HTML §4.6.4)
"use strict";

test(() => {
  const a = document.createElement("a");
  assert_equals(a.href, "", "no href attribute");
  assert_equals(a.protocol, ":");
  assert_equals(a.host, "");
  a.setAttribute("href", "episodes/1.mp3?x=1#t");
  const expected = new URL("episodes/1.mp3?x=1#t", document.baseURI);
  assert_equals(a.href, expected.href, "resolved against the document");
  assert_equals(String(a), expected.href, "stringifier");
  assert_equals(a.origin, expected.origin);
  assert_equals(a.protocol, expected.protocol);
  assert_equals(a.host, expected.host);
  assert_equals(a.hostname, expected.hostname);
  assert_equals(a.port, expected.port);
  assert_equals(a.pathname, expected.pathname);
  assert_equals(a.search, "?x=1");
  assert_equals(a.hash, "#t");
}, "the getters");

test(() => {
  const a = document.createElement("a");
  a.href = "https://user:pw@example.com:8443/p?q#h";
  assert_equals(a.username, "user");
  assert_equals(a.password, "pw");
  a.pathname = "/other path";
  assert_equals(a.getAttribute("href"), "https://user:pw@example.com:8443/other%20path?q#h");
  a.search = "a=b";
  a.hash = "frag";
  a.port = "443";
  assert_equals(a.href, "https://user:pw@example.com/other%20path?a=b#frag", "the default port is dropped");
  a.protocol = "http";
  a.hostname = "example.org";
  assert_equals(a.href, "http://user:pw@example.org/other%20path?a=b#frag");
  a.host = "example.net:81";
  a.username = "";
  a.password = "";
  assert_equals(a.href, "http://example.net:81/other%20path?a=b#frag");
}, "the setters update href");

test(() => {
  const a = document.createElement("a");
  a.setAttribute("href", "http://[invalid");
  assert_equals(a.href, "http://[invalid", "an href that does not parse is returned as it is");
  assert_equals(a.pathname, "");
  a.pathname = "/x";
  assert_equals(a.getAttribute("href"), "http://[invalid", "setters do nothing without a URL");
}, "an href that does not parse");

test(() => {
  const area = document.createElement("area");
  area.href = "/map";
  assert_equals(area.pathname, "/map");
  assert_equals(area.href, new URL("/map", document.baseURI).href);
  const a = document.createElement("a");
  a.download = "episode.mp3";
  a.textContent = "Download";
  assert_equals(a.getAttribute("download"), "episode.mp3");
  assert_equals(a.text, "Download");
  assert_equals(a.referrerPolicy, "");
  a.setAttribute("referrerpolicy", "NO-REFERRER");
  assert_equals(a.referrerPolicy, "no-referrer");
}, "area, download, text, referrerPolicy");

test(() => {
  document.body.insertAdjacentHTML("beforeend", '<div id="links"><a href="/1">1</a><a>none</a><area href="/2"></div>');
  const links = document.links;
  assert_equals(links.length, 2);
  assert_equals(document.links, links, "[SameObject]");
  document.getElementById("links").remove();
  assert_equals(links.length, 0, "live");
}, "document.links");
