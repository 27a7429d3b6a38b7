//! Reading the bytes of WebIDL buffer source types (the union types the generator makes for
//! `BufferSource`, `AllowSharedBufferSource` and `ArrayBufferView`): "get a copy of the bytes
//! held by the buffer source".

use super::codegen::{AllowSharedBufferSource, ArrayBufferView, BufferSource};
use super::conversions::BufferView;
use super::error::{Error, Fallible};
use rquickjs::ArrayBuffer;

/// The view inside an `ArrayBufferView` union value.
pub fn view<'a, 'js>(v: &'a ArrayBufferView<'js>) -> &'a BufferView<'js> {
    match v {
        ArrayBufferView::Int8Array(v)
        | ArrayBufferView::Int16Array(v)
        | ArrayBufferView::Int32Array(v)
        | ArrayBufferView::Uint8Array(v)
        | ArrayBufferView::Uint16Array(v)
        | ArrayBufferView::Uint32Array(v)
        | ArrayBufferView::Uint8ClampedArray(v)
        | ArrayBufferView::BigInt64Array(v)
        | ArrayBufferView::BigUint64Array(v)
        | ArrayBufferView::Float16Array(v)
        | ArrayBufferView::Float32Array(v)
        | ArrayBufferView::Float64Array(v)
        | ArrayBufferView::DataView(v) => v,
    }
}

/// A copy of an ArrayBuffer's bytes (empty when detached).
pub fn array_buffer_bytes(b: &ArrayBuffer<'_>) -> Vec<u8> {
    match b.as_raw() {
        // SAFETY: copied at once; no JS runs while the slice is borrowed.
        Some(raw) => unsafe { raw.as_ref() }.to_vec(),
        None => Vec::new(),
    }
}

/// <https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy> for `BufferSource`.
pub fn buffer_source_bytes(src: &BufferSource<'_>) -> Fallible<Vec<u8>> {
    match src {
        BufferSource::ArrayBuffer(b) => Ok(array_buffer_bytes(b)),
        BufferSource::ArrayBufferView(v) => view(v).to_vec(),
    }
}

/// The same for `AllowSharedBufferSource`.
pub fn allow_shared_bytes(src: &AllowSharedBufferSource<'_>) -> Fallible<Vec<u8>> {
    match src {
        AllowSharedBufferSource::ArrayBuffer(b) | AllowSharedBufferSource::SharedArrayBuffer(b) => {
            Ok(array_buffer_bytes(b))
        }
        AllowSharedBufferSource::ArrayBufferView(v) => view(v).to_vec(),
    }
}

/// A new Uint8Array holding `bytes`.
pub fn new_uint8_array<'js>(ctx: &rquickjs::Ctx<'js>, bytes: Vec<u8>) -> Fallible<BufferView<'js>> {
    let array = rquickjs::TypedArray::<u8>::new(ctx.clone(), bytes)?;
    let object = array
        .into_value()
        .into_object()
        .ok_or_else(|| Error::Type("cannot create a Uint8Array".into()))?;
    Ok(BufferView {
        object,
        kind: super::conversions::BufferViewKind::Uint8Array,
    })
}

/// A copy of the bytes of `v` if it is a Uint8Array (`None` otherwise; empty when its buffer
/// is detached).
pub fn uint8_array_bytes(v: &rquickjs::Value<'_>) -> Option<Vec<u8>> {
    let array = rquickjs::TypedArray::<u8>::from_value(v.clone()).ok()?;
    // SAFETY: copied at once; no JS runs while the slice is borrowed.
    Some(
        unsafe { array.as_bytes() }
            .map(<[u8]>::to_vec)
            .unwrap_or_default(),
    )
}
