// https://fetch.spec.whatwg.org/#body-mixin

// TODO(issue 4): typedef (Blob or BufferSource or FormData or URLSearchParams or USVString) XMLHttpRequestBodyInit;

// TODO(issue 4): typedef (ReadableStream or XMLHttpRequestBodyInit) BodyInit;
interface mixin Body {
  // TODO(issue 4): readonly attribute ReadableStream? body;
  // TODO(issue 4): readonly attribute boolean bodyUsed;
  // TODO(issue 4): [NewObject] Promise<ArrayBuffer> arrayBuffer();
  // TODO(issue 4): [NewObject] Promise<Blob> blob();
  // TODO(issue 4): [NewObject] Promise<Uint8Array> bytes();
  // TODO(issue 4): [NewObject] Promise<FormData> formData();
  // TODO(issue 4): [NewObject] Promise<any> json();
  // TODO(issue 4): [NewObject] Promise<USVString> text();
  // TODO(issue 4): [NewObject] ReadableStream textStream();
};
// `Request includes Body;` is in Request.webidl, `Response includes Body;` in Response.webidl.
