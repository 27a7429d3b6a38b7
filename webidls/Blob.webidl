// https://w3c.github.io/FileAPI/#blob-section

[Exposed=(Window,Worker), Serializable, Pref="dom.fetch.enabled"]
interface Blob {
  // TODO(issue 4): constructor(optional sequence<BlobPart> blobParts,
  // TODO(issue 4):             optional BlobPropertyBag options = {});

  // TODO(issue 4): readonly attribute unsigned long long size;
  // TODO(issue 4): readonly attribute DOMString type;

  // slice Blob into byte-ranged chunks
  // TODO(issue 4): Blob slice(optional [Clamp] long long start,
  // TODO(issue 4):           optional [Clamp] long long end,
  // TODO(issue 4):           optional DOMString contentType);

  // read from the Blob.
  // TODO(issue 4): [NewObject] ReadableStream stream();
  // TODO(issue 4): [NewObject] Promise<USVString> text();
  // TODO(issue 4): [NewObject] Promise<ArrayBuffer> arrayBuffer();
  // TODO(issue 4): [NewObject] ReadableStream textStream();
  // TODO(issue 4): [NewObject] Promise<Uint8Array> bytes();
};

// TODO(issue 4): enum EndingType { "transparent", "native" };

// TODO(issue 4): dictionary BlobPropertyBag {
// TODO(issue 4):   DOMString type = "";
// TODO(issue 4):   EndingType endings = "transparent";
// TODO(issue 4): };

// TODO(issue 4): typedef (BufferSource or Blob or USVString) BlobPart;
