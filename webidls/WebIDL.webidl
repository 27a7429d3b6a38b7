// https://webidl.spec.whatwg.org/#common
// The typedefs and callback functions of the "Common definitions" section.

// https://webidl.spec.whatwg.org/#ArrayBufferView
typedef (Int8Array or Int16Array or Int32Array or
         Uint8Array or Uint16Array or Uint32Array or Uint8ClampedArray or
         BigInt64Array or BigUint64Array or
         Float16Array or Float32Array or Float64Array or DataView) ArrayBufferView;

// https://webidl.spec.whatwg.org/#BufferSource
typedef (ArrayBuffer or ArrayBufferView) BufferSource;

// https://webidl.spec.whatwg.org/#AllowSharedBufferSource
typedef (ArrayBuffer or SharedArrayBuffer or [AllowShared] ArrayBufferView) AllowSharedBufferSource;

// https://webidl.spec.whatwg.org/#Function
callback Function = any (any... arguments);

// https://webidl.spec.whatwg.org/#VoidFunction
callback VoidFunction = undefined ();
