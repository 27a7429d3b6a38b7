// META: title=probe
"use strict";
const log = (...a) => console.log("PROBE", ...a);
test(() => {
  const frame = document.createElement("iframe");
  document.body.append(frame);
  const w = frame.contentWindow;
  for (const [what, f] of [["new Node", () => new w.Node()], ["Node()", () => w.Node()],
       ["Event()", () => w.Event()], ["new Event()", () => new w.Event()],
       ["blob seq", () => new w.Blob(5)], ["EventTarget.add", () => w.EventTarget.prototype.addEventListener.call(1)]]) {
    try { f(); log(what, "no throw"); } catch (e) { log(what, e.constructor.name, e instanceof w.TypeError ? "callee realm" : e instanceof TypeError ? "caller realm" : "?", e.message); }
  }
  frame.remove();
}, "probe");
