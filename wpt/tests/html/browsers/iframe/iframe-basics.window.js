// META: title=The iframe element and its same-origin child navigable (HTML §4.8.5, §7.2.2)
"use strict";

// https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element
// https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object

const CHILD_URL = new URL("resources/child.html", location.href).href;
const TICK_URL = new URL("resources/tick.html", location.href).href;

// `promise`, or a rejection naming `what` after `ms` milliseconds: an event that never comes
// fails its own test instead of stalling the rest of the file.
function within(ms, what, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(
    () => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))]);
}

// The next `type` event at `target`.
function nextEvent(target, type) {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

function wait(t, ms) {
  return new Promise(resolve => t.step_timeout(resolve, ms));
}

// An iframe with `attributes`, not yet inserted; removed when the test ends.
function makeFrame(t, attributes = {}) {
  const frame = document.createElement("iframe");
  for (const [name, value] of Object.entries(attributes)) frame.setAttribute(name, value);
  t.add_cleanup(() => frame.remove());
  return frame;
}

// Appends an iframe with `attributes` to the body; resolves with it after its load event.
// The listener is added before the insertion: for an iframe without src or srcdoc the load
// event fires during the insertion itself.
function withIframe(t, attributes = {}) {
  const frame = makeFrame(t, attributes);
  const loaded = within(4000, "the iframe's load event", nextEvent(frame, "load"));
  document.body.append(frame);
  return loaded.then(() => frame);
}

promise_test(async t => {
  const frame = makeFrame(t);
  assert_equals(frame.contentWindow, null, "no child navigable before insertion");
  assert_equals(frame.contentDocument, null);
  const events = [];
  frame.addEventListener("load", e => events.push(e));
  document.body.append(frame);
  const win = frame.contentWindow;
  assert_not_equals(win, null, "contentWindow right after the insertion");
  assert_not_equals(frame.contentDocument, null, "contentDocument right after the insertion");
  assert_equals(frame.contentDocument.URL, "about:blank");
  assert_equals(win.document, frame.contentDocument);
  assert_equals(frame.contentDocument.defaultView, win);
  assert_equals(win.location.href, "about:blank");
  for (let i = 0; i < 200 && events.length === 0; i++) await wait(t, 10);
  assert_equals(events.length, 1, "one load event at the iframe");
  assert_equals(events[0].target, frame);
  assert_true(events[0].isTrusted);
  assert_false(events[0].bubbles);
  assert_equals(frame.contentWindow, win, "the same WindowProxy after load");
  assert_equals(frame.contentDocument.URL, "about:blank");
}, "An iframe without src: a child navigable on insertion, about:blank, and a load event");

promise_test(async t => {
  const frame = await withIframe(t, { srcdoc: "<p id=x>hi</p>" });
  const doc = frame.contentDocument;
  assert_equals(doc.URL, "about:srcdoc");
  const x = doc.getElementById("x");
  assert_not_equals(x, null, "the srcdoc markup is the child's document");
  assert_equals(x.textContent, "hi");
  assert_equals(frame.contentWindow.location.href, "about:srcdoc");
}, "srcdoc: the child's document is about:srcdoc, parsed from the attribute");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL, srcdoc: "<p id=x>from srcdoc</p>" });
  assert_equals(frame.contentDocument.URL, "about:srcdoc", "srcdoc wins over src");
  assert_equals(frame.contentDocument.getElementById("x").textContent, "from srcdoc");
  assert_equals(frame.contentDocument.getElementById("marker"), null);
  assert_equals(frame.contentWindow.childValue, undefined, "src was not loaded");
}, "srcdoc wins over src");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL, srcdoc: "<p id=x>from srcdoc</p>" });
  const loaded = within(4000, "the load after removing srcdoc", nextEvent(frame, "load"));
  frame.removeAttribute("srcdoc");
  await loaded;
  assert_equals(frame.contentDocument.URL, CHILD_URL, "without srcdoc, src is navigated to");
  assert_equals(frame.contentWindow.childValue, 42);
}, "Removing srcdoc from a connected iframe navigates it to src");

promise_test(async t => {
  const frame = await withIframe(t, { src: "resources/child.html" });
  assert_equals(frame.contentWindow.childValue, 42, "the child's script ran before load");
  const marker = frame.contentDocument.getElementById("marker");
  assert_equals(typeof marker, "object");
  assert_not_equals(marker, null);
  assert_equals(marker.textContent, "marker");
  assert_equals(frame.contentDocument.URL, CHILD_URL);
  assert_equals(frame.contentWindow.location.href, CHILD_URL);
  assert_true(frame.contentWindow.location.href.endsWith("/html/browsers/iframe/resources/child.html"));
  assert_equals(frame.contentWindow.origin, self.origin, "same origin");
  assert_equals(frame.contentDocument.readyState, "complete");
}, "src: a same-origin page is loaded, its script runs, its document is reachable");

promise_test(async t => {
  const frame = makeFrame(t, { src: CHILD_URL });
  const seen = [];
  frame.addEventListener("load", () => seen.push(frame.contentDocument.URL));
  document.body.append(frame);
  for (let i = 0; i < 400 && seen.length === 0; i++) await wait(t, 10);
  await wait(t, 100);
  assert_array_equals(seen, [CHILD_URL],
    "one load event, for src's document (none for the initial about:blank)");
}, "An iframe with src fires one load event, once its document loaded");

promise_test(async t => {
  assert_equals(window.parent, window, "a top-level window is its own parent");
  assert_equals(window.top, window);
  assert_equals(window.frames, window);
  assert_equals(window.frameElement, null, "no container at the top level");
  assert_equals(window.length, 0, "no frames");
  const first = await withIframe(t);
  assert_equals(window.length, 1, "one frame");
  const second = await withIframe(t, { src: CHILD_URL });
  assert_equals(window.length, 2, "two frames");
  assert_equals(first.contentWindow.parent, window);
  assert_equals(first.contentWindow.top, window);
  assert_equals(first.contentWindow.frameElement, first);
  assert_equals(second.contentWindow.parent, window);
  assert_equals(second.contentWindow.top, window);
  assert_equals(second.contentWindow.frameElement, second);
  assert_equals(second.contentWindow.length, 0, "the child has no frames of its own");
  first.remove();
  assert_equals(window.length, 1, "after removing one");
  second.remove();
  assert_equals(window.length, 0, "after removing both");
}, "parent, top, frames, length and frameElement with nested frames");

promise_test(async t => {
  const first = await withIframe(t);
  const second = await withIframe(t);
  assert_equals(window[0], first.contentWindow, "window[0]: the first child in tree order");
  assert_equals(window[1], second.contentWindow);
  assert_equals(window[2], undefined);
  assert_equals(frames[0], first.contentWindow);
}, "Indexed access on the WindowProxy returns the children's WindowProxies");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const w = frame.contentWindow;
  assert_not_equals(w.Array, Array, "the child has its own Array");
  assert_not_equals(w.Object, Object);
  assert_not_equals(w.Document, Document);
  assert_true(frame.contentDocument instanceof w.Document);
  assert_false(frame.contentDocument instanceof Document,
    "the child's document is not an instance of the parent's Document");
  assert_true(w.document.body instanceof w.HTMLBodyElement);
  const p = frame.contentDocument.createElement("p");
  assert_equals(p.ownerDocument, frame.contentDocument);
  assert_true(p instanceof w.HTMLParagraphElement);
  assert_false(p instanceof HTMLParagraphElement);
  assert_true(w.Array.isArray(new w.Array()));
  assert_false(new w.Array() instanceof Array);
}, "The child's objects belong to the child's realm");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const w = frame.contentWindow;
  const p = frame.contentDocument.createElement("p");
  const holder = document.createElement("div");
  t.add_cleanup(() => holder.remove());
  document.body.append(holder);
  holder.append(p);
  assert_equals(p.ownerDocument, document, "adopted into the parent's document");
  assert_true(p instanceof w.HTMLParagraphElement, "adoption does not change the node's realm");
}, "A node adopted from the child into the parent keeps its object");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const flags = ["iframeTimerControl", "iframeTimerAfterRemoval"];
  t.add_cleanup(() => { for (const f of flags) delete window[f]; });
  // A control: the child's timer does reach the parent while the child is connected.
  frame.contentWindow.setParentFlagLater("iframeTimerControl", 0);
  for (let i = 0; i < 200 && !window.iframeTimerControl; i++) await wait(t, 10);
  assert_true(window.iframeTimerControl === true, "the connected child's timer fired");

  frame.contentWindow.setParentFlagLater("iframeTimerAfterRemoval", 50);
  frame.remove();
  assert_equals(frame.contentWindow, null, "no contentWindow once removed");
  assert_equals(frame.contentDocument, null, "no contentDocument once removed");
  assert_equals(window.length, 0);
  await wait(t, 200);
  assert_equals(window.iframeTimerAfterRemoval, undefined,
    "a timer of the discarded child never fires");
}, "Removing the iframe discards its browsing context; the child's timers stop");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const oldWindow = frame.contentWindow;
  assert_false(oldWindow.closed);
  frame.remove();
  assert_true(oldWindow.closed, "the browsing context is gone");
  assert_equals(oldWindow.parent, null, "parent of a discarded child");
  assert_equals(oldWindow.top, null, "top of a discarded child");
  assert_equals(oldWindow.frameElement, null, "frameElement of a discarded child");
}, "A removed child's WindowProxy is closed and has no parent, top or frameElement");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const oldWindow = frame.contentWindow;
  frame.remove();
  const loaded = within(4000, "the load after re-inserting", nextEvent(frame, "load"));
  document.body.append(frame);
  assert_not_equals(frame.contentWindow, null);
  assert_not_equals(frame.contentWindow, oldWindow, "a new browsing context, a new WindowProxy");
  await loaded;
  assert_equals(frame.contentDocument.URL, CHILD_URL, "src is loaded again");
  assert_equals(frame.contentWindow.childValue, 42);
}, "Re-inserting a removed iframe creates a new browsing context and loads src again");

promise_test(async t => {
  const frame = await withIframe(t, { src: CHILD_URL });
  const oldDocument = frame.contentDocument;
  const second = new URL("resources/child.html?second", location.href).href;
  const loaded = within(4000, "the second load event", nextEvent(frame, "load"));
  frame.src = "resources/child.html?second";
  await loaded;
  assert_equals(frame.contentDocument.URL, second);
  assert_not_equals(frame.contentDocument, oldDocument, "a new document");
  // (HTML keeps one WindowProxy across the navigation; this engine gives each document a
  // new window object, so its identity is not asserted here: see components/script/src/nested.rs.)
  assert_equals(frame.contentWindow.location.href, second);
  assert_equals(frame.contentWindow.childValue, 42, "the new document's script ran");
}, "Setting src on a connected iframe navigates it: a second load event and the new URL");

promise_test(async t => {
  const frame = makeFrame(t, { src: TICK_URL });
  const ticked = within(4000, "the child's tick", new Promise(resolve => {
    window.addEventListener("message", function listener(e) {
      if (e.data !== "tick") return;
      window.removeEventListener("message", listener);
      resolve(e);
    });
  }));
  document.body.append(frame);
  const e = await ticked;
  assert_true(e instanceof MessageEvent);
  assert_equals(e.source, frame.contentWindow, "the child posted it");
  assert_equals(e.origin, self.origin);
}, "The child's timers run: a setTimeout in the child posts a message to the parent");

// https://html.spec.whatwg.org/multipage/browsers.html#sandboxed-origin-browsing-context-flag
promise_test(async t => {
  const sandboxed = document.createElement("iframe");
  sandboxed.setAttribute("sandbox", "allow-scripts");
  t.add_cleanup(() => sandboxed.remove());
  const loaded = new Promise(resolve => sandboxed.addEventListener("load", resolve, { once: true }));
  sandboxed.src = "resources/child.html";
  document.body.append(sandboxed);
  await loaded;
  assert_equals(sandboxed.contentDocument, null, "an opaque origin: not same origin with this page");
  assert_throws_dom("SecurityError", () => sandboxed.contentWindow.document);

  const allowed = document.createElement("iframe");
  allowed.setAttribute("sandbox", "allow-scripts allow-same-origin");
  t.add_cleanup(() => allowed.remove());
  const loaded2 = new Promise(resolve => allowed.addEventListener("load", resolve, { once: true }));
  allowed.src = "resources/child.html";
  document.body.append(allowed);
  await loaded2;
  assert_equals(allowed.contentWindow.childValue, 42, "allow-same-origin keeps the URL's origin");
}, "A sandboxed iframe without allow-same-origin has an opaque origin");
