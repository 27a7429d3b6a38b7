// https://fetch.spec.whatwg.org/#headers-class

// TODO(issue 4): typedef (sequence<sequence<ByteString>> or record<ByteString, ByteString>) HeadersInit;

[Exposed=(Window,Worker), Pref="dom.fetch.enabled"]
interface Headers {
  // TODO(issue 4): constructor(optional HeadersInit init);

  // TODO(issue 4): undefined append(ByteString name, ByteString value);
  // TODO(issue 4): undefined delete(ByteString name);
  // TODO(issue 4): ByteString? get(ByteString name);
  // TODO(issue 4): sequence<ByteString> getSetCookie();
  // TODO(issue 4): boolean has(ByteString name);
  // TODO(issue 4): undefined set(ByteString name, ByteString value);
  // TODO(issue 4): iterable declarations are also not supported by the generator yet.
  // TODO(issue 4): iterable<ByteString, ByteString>;
};
