// https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworker-interface

[Exposed=Window]
interface SharedWorker : EventTarget {
  // TODO(trusted types): the standard takes (TrustedScriptURL or USVString).
  constructor(USVString scriptURL, optional (DOMString or WorkerOptions) options = {});

  readonly attribute MessagePort port;
};
SharedWorker includes AbstractWorker;
