// https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-dedicatedworkerglobalscope-interface

[Global=(Worker,DedicatedWorker),Exposed=DedicatedWorker]
interface DedicatedWorkerGlobalScope : WorkerGlobalScope {
  [Replaceable] readonly attribute DOMString name;

  // TODO(issue 4): undefined postMessage(any message, sequence<object> transfer);
  // TODO(issue 4): undefined postMessage(any message, optional StructuredSerializeOptions options = {});

  // TODO(issue 4): undefined close();
};

// MessageEventTarget gives `attribute EventHandler onmessage;` and
// `attribute EventHandler onmessageerror;` (see MessagePort.webidl).
// TODO(issue 4): DedicatedWorkerGlobalScope includes MessageEventTarget;

// https://html.spec.whatwg.org/multipage/imagebitmap-and-animations.html#animationframeprovider
// TODO(issue 4): DedicatedWorkerGlobalScope includes AnimationFrameProvider;
