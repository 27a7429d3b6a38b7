// https://fetch.spec.whatwg.org/#response-class

[Exposed=(Window,Worker), Pref="dom.fetch.enabled"]
interface Response {
  // TODO(issue 4): constructor(optional BodyInit? body = null, optional ResponseInit init = {});

  // TODO(issue 4): [NewObject] static Response error();
  // TODO(issue 4): [NewObject] static Response redirect(USVString url, optional unsigned short status = 302);
  // TODO(issue 4): [NewObject] static Response json(any data, optional ResponseInit init = {});

  // TODO(issue 4): readonly attribute ResponseType type;

  // TODO(issue 4): readonly attribute USVString url;
  // TODO(issue 4): readonly attribute boolean redirected;
  // TODO(issue 4): readonly attribute unsigned short status;
  // TODO(issue 4): readonly attribute boolean ok;
  // TODO(issue 4): readonly attribute ByteString statusText;
  // TODO(issue 4): [SameObject] readonly attribute Headers headers;

  // TODO(issue 4): [NewObject] Response clone();
};
Response includes Body;

// TODO(issue 4): dictionary ResponseInit {
// TODO(issue 4):   unsigned short status = 200;
// TODO(issue 4):   ByteString statusText = "";
// TODO(issue 4):   HeadersInit headers;
// TODO(issue 4): };

// TODO(issue 4): enum ResponseType { "basic", "cors", "default", "error", "opaque", "opaqueredirect" };
