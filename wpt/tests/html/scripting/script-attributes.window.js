// META: title=The charset, for and event attributes of script elements (HTML §4.12.1.1 steps 16-18)
"use strict";

function load(setup) {
  const s = document.createElement("script");
  setup(s);
  document.head.appendChild(s);
  return new Promise(resolve => { s.onload = () => resolve("load"); s.onerror = () => resolve("error"); });
}

promise_test(async () => {
  self.latin1Text = undefined;
  await load(s => { s.setAttribute("charset", "windows-1252"); s.src = "resources/latin1.js"; });
  assert_equals(self.latin1Text, "caf\u00e9", "decoded with the charset attribute");
  self.latin1Text = undefined;
  await load(s => { s.src = "resources/latin1.js?2"; });
  assert_equals(self.latin1Text, "caf\ufffd", "UTF-8 by default: an invalid byte is U+FFFD");
}, "The charset attribute picks the script's encoding");

test(() => {
  self.forEventLog = [];
  const add = (attrs, text) => {
    const s = document.createElement("script");
    for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
    s.textContent = text;
    document.head.appendChild(s);
  };
  add({ for: "window", event: "onload" }, "forEventLog.push('window onload');");
  add({ for: " WINDOW ", event: "onload()" }, "forEventLog.push('window onload()');");
  add({ for: "document", event: "onload" }, "forEventLog.push('document');");
  add({ for: "window", event: "onclick" }, "forEventLog.push('onclick');");
  add({ for: "document" }, "forEventLog.push('for without event');");
  assert_array_equals(forEventLog, ["window onload", "window onload()", "for without event"]);
}, "Scripts with for and event attributes run only for window onload");
