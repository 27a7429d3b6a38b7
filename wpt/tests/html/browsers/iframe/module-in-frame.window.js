// META: title=A frame loads module scripts in its own realm
"use strict";
promise_test(async t => {
  const frame = document.createElement("iframe");
  t.add_cleanup(() => frame.remove());
  const loaded = new Promise(resolve => frame.addEventListener("load", resolve, { once: true }));
  frame.src = "resources/module-child.html";
  document.body.append(frame);
  await loaded;
  const w = frame.contentWindow;
  await new Promise(resolve => {
    const check = () => w.dynamicSame !== undefined ? resolve() : t.step_timeout(check, 10);
    check();
  });
  assert_equals(w.moduleValue, "from a module of the frame");
  assert_equals(w.moduleUrl, new URL("resources/module-child.html", location.href).href,
                "import.meta.url of an inline module is its document's URL");
  assert_true(w.dynamicSame, "import() in the frame gives the frame's module instance");
  assert_equals(window.moduleValue, undefined, "nothing leaked into the parent's global");
}, "A frame's <script type=module> imports, import() and import.meta.url run in the frame's realm");
