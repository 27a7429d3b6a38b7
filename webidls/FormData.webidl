// https://xhr.spec.whatwg.org/#interface-formdata

// TODO(issue 4): typedef (File or USVString) FormDataEntryValue;

[Exposed=(Window,Worker), Pref="dom.fetch.enabled"]
interface FormData {
  // TODO(issue 4): constructor(optional HTMLFormElement form, optional HTMLElement? submitter = null);

  // TODO(issue 4): undefined append(USVString name, USVString value);
  // TODO(issue 4): undefined append(USVString name, Blob blobValue, optional USVString filename);
  // TODO(issue 4): undefined delete(USVString name);
  // TODO(issue 4): FormDataEntryValue? get(USVString name);
  // TODO(issue 4): sequence<FormDataEntryValue> getAll(USVString name);
  // TODO(issue 4): boolean has(USVString name);
  // TODO(issue 4): undefined set(USVString name, USVString value);
  // TODO(issue 4): undefined set(USVString name, Blob blobValue, optional USVString filename);
  // TODO(issue 4): iterable declarations are also not supported by the generator yet.
  // TODO(issue 4): iterable<USVString, FormDataEntryValue>;
};
