// META: title=FileReader, FileReaderSync and ProgressEvent (FileAPI §6, XHR §3.2)
// META: global=window,dedicatedworker,sharedworker
"use strict";

function read(method, blob, ...args) {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    const events = [];
    for (const type of ["loadstart", "progress", "load", "loadend", "error", "abort"]) {
      fr.addEventListener(type, e => {
        events.push(type);
        assert_true(e instanceof ProgressEvent, type);
      });
    }
    fr.onloadend = () => resolve({ result: fr.result, events, state: fr.readyState });
    fr[method](blob, ...args);
    assert_equals(fr.readyState, FileReader.LOADING, "loading at once");
    assert_equals(fr.result, null);
  });
}

promise_test(async () => {
  const blob = new Blob(["h\u00e9llo"], { type: "text/plain;charset=utf-8" });
  const text = await read("readAsText", blob);
  assert_equals(text.result, "h\u00e9llo");
  assert_array_equals(text.events, ["loadstart", "progress", "load", "loadend"]);
  assert_equals(text.state, FileReader.DONE);
  const latin1 = await read("readAsText", new Blob([new Uint8Array([0xe9])]), "latin1");
  assert_equals(latin1.result, "\u00e9", "the encoding argument");
  const bom = await read("readAsText", new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41])]));
  assert_equals(bom.result, "A", "a BOM is removed");
  const buffer = await read("readAsArrayBuffer", new Blob([new Uint8Array([1, 2, 3])]));
  assert_true(buffer.result instanceof ArrayBuffer);
  assert_array_equals([...new Uint8Array(buffer.result)], [1, 2, 3]);
  const binary = await read("readAsBinaryString", new Blob([new Uint8Array([0, 255])]));
  assert_equals(binary.result, "\u0000\u00ff");
  const url = await read("readAsDataURL", new Blob(["hi"], { type: "text/plain" }));
  assert_equals(url.result, "data:text/plain;base64,aGk=");
  const untyped = await read("readAsDataURL", new Blob(["hi"]));
  assert_equals(untyped.result, "data:application/octet-stream;base64,aGk=");
}, "The read methods, their results and events");

async_test(t => {
  const fr = new FileReader();
  const events = [];
  for (const type of ["loadstart", "load", "abort", "loadend"]) fr.addEventListener(type, () => events.push(type));
  fr.readAsText(new Blob(["x"]));
  assert_throws_dom("InvalidStateError", () => fr.readAsText(new Blob(["y"])), "one read at a time");
  fr.abort();
  assert_equals(fr.readyState, FileReader.DONE);
  assert_equals(fr.result, null);
  assert_array_equals(events, ["abort", "loadend"], "abort and loadend fire synchronously");
  t.step_timeout(() => {
    assert_array_equals(events, ["abort", "loadend"], "the aborted read fires nothing more");
    t.done();
  }, 50);
}, "abort() stops a read");

test(() => {
  const e = new ProgressEvent("progress", { lengthComputable: true, loaded: 5, total: 10, bubbles: true });
  assert_true(e instanceof Event);
  assert_true(e.lengthComputable);
  assert_equals(e.loaded, 5);
  assert_equals(e.total, 10);
  assert_true(e.bubbles);
  assert_false(new ProgressEvent("x").lengthComputable);
  assert_equals(FileReader.EMPTY, 0);
  assert_equals(new FileReader().readyState, FileReader.EMPTY);
  assert_equals(new FileReader().error, null);
}, "ProgressEvent and FileReader's initial state");

if (!(typeof Window === "function" && self instanceof Window)) {
  test(() => {
    const sync = new FileReaderSync();
    const blob = new Blob(["hi"], { type: "text/plain" });
    assert_equals(sync.readAsText(blob), "hi");
    assert_equals(sync.readAsDataURL(blob), "data:text/plain;base64,aGk=");
    assert_equals(sync.readAsBinaryString(blob), "hi");
    assert_equals(new Uint8Array(sync.readAsArrayBuffer(blob))[1], 0x69);
  }, "FileReaderSync in workers");
} else {
  test(() => assert_equals(typeof FileReaderSync, "undefined"), "No FileReaderSync in windows");
}
