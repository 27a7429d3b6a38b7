// https://html.spec.whatwg.org/multipage/workers.html#the-workerglobalscope-common-interface

[Exposed=Worker]
interface WorkerGlobalScope : EventTarget {
  readonly attribute WorkerGlobalScope self;
  readonly attribute WorkerLocation location;
  readonly attribute WorkerNavigator navigator;
  // TODO(trusted types): the standard takes (TrustedScriptURL or USVString)... urls.
  undefined importScripts(USVString... urls);

  attribute OnErrorEventHandler onerror;
  // TODO(worker language event): attribute EventHandler onlanguagechange;
  attribute EventHandler onoffline;
  attribute EventHandler ononline;
  attribute EventHandler onrejectionhandled;
  attribute EventHandler onunhandledrejection;
};
// https://html.spec.whatwg.org/multipage/webappapis.html#windoworworkerglobalscope-mixin
WorkerGlobalScope includes WindowOrWorkerGlobalScope;
