// https://w3c.github.io/ServiceWorker/#client-interface (WindowClient)

[Exposed=ServiceWorker]
interface WindowClient : Client {
  readonly attribute DocumentVisibilityState visibilityState;
  readonly attribute boolean focused;
  [SameObject] readonly attribute FrozenArray<USVString> ancestorOrigins;
  [NewObject] Promise<WindowClient> focus();
  [NewObject] Promise<WindowClient?> navigate(USVString url);
};

// https://html.spec.whatwg.org/multipage/interaction.html#page-visibility
enum DocumentVisibilityState { "visible", "hidden" };
