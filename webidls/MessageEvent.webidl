// https://html.spec.whatwg.org/multipage/comms.html#the-messageevent-interface

// TODO(issue 4): the standard exposes MessageEvent to AudioWorklet too:
// [Exposed=(Window,Worker,AudioWorklet)]; AudioWorklet is left out because no AudioWorklet
// global (AudioWorkletGlobalScope) is defined here.
[Exposed=(Window,Worker), Pref="dom.messaging.enabled"]
interface MessageEvent : Event {
  // TODO(issue 4): constructor(DOMString type, optional MessageEventInit eventInitDict = {});

  // TODO(issue 4): readonly attribute any data;
  // TODO(issue 4): readonly attribute USVString origin;
  // TODO(issue 4): readonly attribute DOMString lastEventId;
  // TODO(issue 4): readonly attribute MessageEventSource? source;
  // TODO(issue 4): readonly attribute FrozenArray<MessagePort> ports;

  // TODO(issue 4): undefined initMessageEvent(DOMString type, optional boolean bubbles = false, optional boolean cancelable = false, optional any data = null, optional USVString origin = "", optional DOMString lastEventId = "", optional MessageEventSource? source = null, optional sequence<MessagePort> ports = []);
};

// TODO(issue 4): dictionary MessageEventInit : EventInit {
// TODO(issue 4):   any data = null;
// TODO(issue 4):   USVString origin = "";
// TODO(issue 4):   DOMString lastEventId = "";
// TODO(issue 4):   MessageEventSource? source = null;
// TODO(issue 4):   sequence<MessagePort> ports = [];
// TODO(issue 4): };

// TODO(issue 4): typedef (WindowProxy or MessagePort or ServiceWorker) MessageEventSource;
