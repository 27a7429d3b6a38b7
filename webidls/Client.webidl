// https://w3c.github.io/ServiceWorker/#client-interface

[Exposed=ServiceWorker, Pref="dom.serviceworker.enabled"]
interface Client {
  // TODO(issue 6): readonly attribute USVString url;
  // TODO(issue 6): readonly attribute FrameType frameType;
  // TODO(issue 6): readonly attribute DOMString id;
  // TODO(issue 6): readonly attribute ClientType type;
  // TODO(issue 6): undefined postMessage(any message, sequence<object> transfer);
  // TODO(issue 6): undefined postMessage(any message, optional StructuredSerializeOptions options = {});
};

// TODO(issue 6): enum FrameType {
// TODO(issue 6):   "auxiliary",
// TODO(issue 6):   "top-level",
// TODO(issue 6):   "nested",
// TODO(issue 6):   "none"
// TODO(issue 6): };
