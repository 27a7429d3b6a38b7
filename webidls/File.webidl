// https://w3c.github.io/FileAPI/#file-section

[Exposed=(Window,Worker), Serializable, Pref="dom.fetch.enabled"]
interface File : Blob {
  // TODO(issue 4): constructor(sequence<BlobPart> fileBits,
  // TODO(issue 4):             USVString fileName,
  // TODO(issue 4):             optional FilePropertyBag options = {});
  // TODO(issue 4): readonly attribute DOMString name;
  // TODO(issue 4): readonly attribute long long lastModified;
};

// TODO(issue 4): dictionary FilePropertyBag : BlobPropertyBag {
// TODO(issue 4):   long long lastModified;
// TODO(issue 4): };
