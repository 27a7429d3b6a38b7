// https://w3c.github.io/ServiceWorker/#client-interface

[Exposed=ServiceWorker]
interface Client {
  readonly attribute USVString url;
  readonly attribute FrameType frameType;
  readonly attribute DOMString id;
  readonly attribute ClientType type;
  undefined postMessage(any message, sequence<object> transfer);
  undefined postMessage(any message, optional StructuredSerializeOptions options = {});
};

enum FrameType {
  "auxiliary",
  "top-level",
  "nested",
  "none"
};
