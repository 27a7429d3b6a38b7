// https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-worker-interface

// https://html.spec.whatwg.org/multipage/workers.html#the-abstractworker-mixin
interface mixin AbstractWorker {
  attribute EventHandler onerror;
};

[Exposed=(Window,DedicatedWorker,SharedWorker)]
interface Worker : EventTarget {
  // TODO(trusted types): the standard takes (TrustedScriptURL or USVString); no Trusted
  // Types are implemented, so a USVString it is.
  constructor(USVString scriptURL, optional WorkerOptions options = {});

  undefined terminate();

  undefined postMessage(any message, sequence<object> transfer);
  undefined postMessage(any message, optional StructuredSerializeOptions options = {});
};

dictionary WorkerOptions {
  WorkerType type = "classic";
  RequestCredentials credentials = "same-origin"; // credentials is only used if type is "module"
  DOMString name = "";
};

enum WorkerType { "classic", "module" };

Worker includes AbstractWorker;
Worker includes MessageEventTarget;
