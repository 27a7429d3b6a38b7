// META: title=DOMParser: HTML and XML documents from strings (HTML §8.5.1)
"use strict";

test(() => {
  const doc = new DOMParser().parseFromString(
    "<!doctype html><title>t</title><p id=a>one</p><script>window.ranFromDOMParser = true</script><noscript><b>no</b></noscript>",
    "text/html");
  assert_true(doc instanceof Document);
  assert_not_equals(doc, document);
  assert_equals(doc.contentType, "text/html");
  assert_equals(doc.title, "t");
  assert_equals(doc.getElementById("a").textContent, "one");
  assert_equals(doc.URL, document.URL, "the URL of the parser's document");
  assert_equals(window.ranFromDOMParser, undefined, "scripts never run");
  assert_equals(doc.querySelector("noscript b").textContent, "no", "scripting is disabled: noscript is parsed");
  assert_equals(doc.compatMode, "CSS1Compat");
}, "parseFromString(text/html)");

test(() => {
  const feed = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Podcast</title>
  <item><title>Episode 1</title><enclosure url="https://example.com/e1.mp3" length="123" type="audio/mpeg"/></item>
  <item><title>Episode 2</title><enclosure url="https://example.com/e2.mp3" length="456" type="audio/mpeg"/></item>
</channel></rss>`;
  const doc = new DOMParser().parseFromString(feed, "application/xml");
  assert_equals(doc.contentType, "application/xml");
  assert_equals(doc.documentElement.localName, "rss");
  const urls = Array.from(doc.getElementsByTagName("enclosure")).map(e => e.getAttribute("url"));
  assert_array_equals(urls, ["https://example.com/e1.mp3", "https://example.com/e2.mp3"]);
  assert_equals(doc.querySelector("channel > title").textContent, "Podcast");
}, "parseFromString(application/xml): an RSS feed's enclosures");

test(() => {
  const doc = new DOMParser().parseFromString("<a><b></a>", "text/xml");
  assert_equals(doc.documentElement.localName, "parsererror");
  assert_equals(doc.documentElement.namespaceURI, "http://www.mozilla.org/newlayout/xml/parsererror.xml");
  assert_throws_js(TypeError, () => new DOMParser().parseFromString("x", "text/plain"));
}, "XML that is not well-formed gives a parsererror document; unsupported types throw");
