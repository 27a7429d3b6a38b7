// https://url.spec.whatwg.org/#interface-urlsearchparams

[Exposed=*, Pref="dom.fetch.enabled"]
interface URLSearchParams {
  // TODO(issue 4): constructor(optional (sequence<sequence<USVString>> or record<USVString, USVString> or USVString) init = "");

  // TODO(issue 4): readonly attribute unsigned long size;

  // TODO(issue 4): undefined append(USVString name, USVString value);
  // TODO(issue 4): undefined delete(USVString name, optional USVString value);
  // TODO(issue 4): USVString? get(USVString name);
  // TODO(issue 4): sequence<USVString> getAll(USVString name);
  // TODO(issue 4): boolean has(USVString name, optional USVString value);
  // TODO(issue 4): undefined set(USVString name, USVString value);

  // TODO(issue 4): undefined sort();

  // TODO(issue 4): iterable declarations are also not supported by the generator yet.
  // TODO(issue 4): iterable<USVString, USVString>;
  // TODO(issue 4): stringifier;
};
