// https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports

// https://html.spec.whatwg.org/multipage/web-messaging.html#messageeventtarget
interface mixin MessageEventTarget {
  // TODO(issue 4): attribute EventHandler onmessage;
  // TODO(issue 4): attribute EventHandler onmessageerror;
};

// TODO(issue 4): the standard exposes MessagePort to AudioWorklet too:
// [Exposed=(Window,Worker,AudioWorklet), Transferable]; AudioWorklet is left out because no
// AudioWorklet global (AudioWorkletGlobalScope) is defined here.
[Exposed=(Window,Worker), Transferable, Pref="dom.messaging.enabled"]
interface MessagePort : EventTarget {
  // TODO(issue 4): undefined postMessage(any message, sequence<object> transfer);
  // TODO(issue 4): undefined postMessage(any message, optional StructuredSerializeOptions options = {});
  // TODO(issue 4): undefined start();
  // TODO(issue 4): undefined close();

  // event handlers
  // TODO(issue 4): attribute EventHandler onclose;
};

MessagePort includes MessageEventTarget;

dictionary StructuredSerializeOptions {
  sequence<object> transfer = [];
};
