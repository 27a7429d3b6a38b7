// https://html.spec.whatwg.org/multipage/web-messaging.html#message-channels

[Exposed=(Window,Worker), Pref="dom.messaging.enabled"]
interface MessageChannel {
  // TODO(issue 4): constructor();

  // TODO(issue 4): readonly attribute MessagePort port1;
  // TODO(issue 4): readonly attribute MessagePort port2;
};
