// https://html.spec.whatwg.org/multipage/workers.html#the-workernavigator-object

[Exposed=Worker, Pref="dom.workernavigator.enabled"]
interface WorkerNavigator {};
// TODO(issue 4): WorkerNavigator includes NavigatorID;
// TODO(issue 4): WorkerNavigator includes NavigatorLanguage;
// TODO(issue 4): WorkerNavigator includes NavigatorOnLine;
// TODO(issue 4): WorkerNavigator includes NavigatorConcurrentHardware;

// https://w3c.github.io/ServiceWorker/#navigator-serviceworker
partial interface WorkerNavigator {
  // TODO(issue 6): [SecureContext, SameObject] readonly attribute ServiceWorkerContainer serviceWorker;
};
