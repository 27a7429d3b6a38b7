// https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports

// https://html.spec.whatwg.org/multipage/web-messaging.html#messageeventtarget
interface mixin MessageEventTarget {
  attribute EventHandler onmessage;
  attribute EventHandler onmessageerror;
};

// TODO(AudioWorklet): the standard exposes MessagePort to AudioWorklet too:
// [Exposed=(Window,Worker,AudioWorklet), Transferable]; AudioWorklet is left out because no
// AudioWorklet global (AudioWorkletGlobalScope) is defined here.
[Exposed=(Window,Worker), Transferable]
interface MessagePort : EventTarget {
  undefined postMessage(any message, sequence<object> transfer);
  undefined postMessage(any message, optional StructuredSerializeOptions options = {});
  undefined start();
  undefined close();

  // event handlers
  attribute EventHandler onclose;
};

MessagePort includes MessageEventTarget;

dictionary StructuredSerializeOptions {
  sequence<object> transfer = [];
};
