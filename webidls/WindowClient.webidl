// https://w3c.github.io/ServiceWorker/#client-interface (WindowClient)

[Exposed=ServiceWorker, Pref="dom.serviceworker.enabled"]
interface WindowClient : Client {
  // TODO(issue 6): readonly attribute DocumentVisibilityState visibilityState;
  // TODO(issue 6): readonly attribute boolean focused;
  // TODO(issue 6): [SameObject] readonly attribute FrozenArray<USVString> ancestorOrigins;
  // TODO(issue 6): [NewObject] Promise<WindowClient> focus();
  // TODO(issue 6): [NewObject] Promise<WindowClient?> navigate(USVString url);
};
