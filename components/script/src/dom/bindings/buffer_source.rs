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

/// What the streams need of an `ArrayBufferView`: its [[ViewedArrayBuffer]], [[ByteOffset]]
/// and [[ByteLength]] (read with the realm's intrinsic getters, so script overriding them
/// changes nothing) and its kind.
pub struct ViewParts<'js> {
    pub buffer: ArrayBuffer<'js>,
    pub byte_offset: usize,
    pub byte_length: usize,
    pub kind: super::conversions::BufferViewKind,
}

/// The [`ViewParts`] of a view.
pub fn view_parts<'js>(v: &BufferView<'js>) -> Fallible<ViewParts<'js>> {
    use super::conversions::{call_function, BufferViewKind};
    use super::realm::{intrinsic, Intrinsic};
    let ctx = v.object.ctx();
    let this = v.object.clone().into_value();
    let read = |which: Intrinsic| -> Fallible<rquickjs::Value<'js>> {
        let getter = intrinsic(ctx, which)
            .ok_or_else(|| Error::Type("no typed arrays in this realm".into()))?;
        call_function(ctx, &getter, this.clone(), Vec::new())
    };
    let (buffer, offset, length) = if v.kind == BufferViewKind::DataView {
        (
            read(Intrinsic::DataViewBuffer)?,
            read(Intrinsic::DataViewByteOffset),
            read(Intrinsic::DataViewByteLength),
        )
    } else {
        (
            read(Intrinsic::TypedArrayBuffer)?,
            read(Intrinsic::TypedArrayByteOffset),
            read(Intrinsic::TypedArrayByteLength),
        )
    };
    let buffer = buffer
        .into_object()
        .and_then(ArrayBuffer::from_object)
        .ok_or_else(|| Error::Type("view without an ArrayBuffer".into()))?;
    // (A DataView on a detached buffer throws from its getters: its offset and length are
    // 0 then, as a typed array's are.)
    let number = |r: Fallible<rquickjs::Value<'js>>| {
        r.ok().and_then(|v| v.as_number()).map_or(0, |n| n as usize)
    };
    let (byte_offset, byte_length) = (number(offset), number(length));
    // Clear the exception the DataView getters may have left.
    let _ = ctx.catch();
    Ok(ViewParts {
        buffer,
        byte_offset,
        byte_length,
        kind: v.kind,
    })
}

/// The element size of a view kind (the typed array constructors table; 1 for DataView).
pub fn element_size(kind: super::conversions::BufferViewKind) -> usize {
    use super::conversions::BufferViewKind::*;
    match kind {
        DataView | Int8Array | Uint8Array | Uint8ClampedArray => 1,
        Int16Array | Uint16Array | Float16Array => 2,
        Int32Array | Uint32Array | Float32Array => 4,
        BigInt64Array | BigUint64Array | Float64Array => 8,
    }
}

/// The constructor's name of a view kind.
pub fn constructor_name(kind: super::conversions::BufferViewKind) -> &'static str {
    use super::conversions::BufferViewKind::*;
    match kind {
        DataView => "DataView",
        Int8Array => "Int8Array",
        Int16Array => "Int16Array",
        Int32Array => "Int32Array",
        Uint8Array => "Uint8Array",
        Uint16Array => "Uint16Array",
        Uint32Array => "Uint32Array",
        Uint8ClampedArray => "Uint8ClampedArray",
        BigInt64Array => "BigInt64Array",
        BigUint64Array => "BigUint64Array",
        Float16Array => "Float16Array",
        Float32Array => "Float32Array",
        Float64Array => "Float64Array",
    }
}

/// <https://tc39.es/ecma262/#sec-isdetachedbuffer>
pub fn is_detached_buffer(b: &ArrayBuffer<'_>) -> bool {
    if b.as_raw().is_some() {
        return false;
    }
    // (QuickJS throws when asked for a detached buffer's bytes: drop that exception.)
    let _ = b.as_object().ctx().catch();
    true
}

/// [[ArrayBufferByteLength]] (0 when detached).
pub fn array_buffer_byte_length(b: &ArrayBuffer<'_>) -> usize {
    match b.as_raw() {
        Some(raw) => raw.len(),
        None => {
            let _ = b.as_object().ctx().catch();
            0
        }
    }
}

/// Whether `b` is a SharedArrayBuffer (<https://tc39.es/ecma262/#sec-issharedarraybuffer>):
/// an array buffer whose class is not ArrayBuffer's.
pub fn is_shared_array_buffer(b: &ArrayBuffer<'_>) -> bool {
    // SAFETY: a class check of a live value; no JS runs.
    !unsafe { rquickjs::qjs::JS_IsArrayBuffer(b.as_value().as_raw()) }
}

/// <https://streams.spec.whatwg.org/#transfer-array-buffer>: a new ArrayBuffer holding
/// `b`'s bytes, `b` detached. A detached buffer or a SharedArrayBuffer is a TypeError.
pub fn transfer_array_buffer<'js>(b: &ArrayBuffer<'js>) -> Fallible<ArrayBuffer<'js>> {
    // Step 1. Assert: ! IsDetachedBuffer(O) is false (here: a TypeError).
    if is_detached_buffer(b) || is_shared_array_buffer(b) {
        return Err(Error::Type(
            "the ArrayBuffer is detached or cannot be transferred".into(),
        ));
    }
    // Steps 2-3. The data block and its length.
    let bytes = array_buffer_bytes(b);
    // Step 4. ? DetachArrayBuffer(O).
    let mut detached = b.clone();
    detached.detach();
    // Step 5. A new ArrayBuffer of the same data.
    Ok(ArrayBuffer::new(b.as_object().ctx().clone(), bytes)?)
}

/// <https://streams.spec.whatwg.org/#can-transfer-array-buffer>
pub fn can_transfer_array_buffer(b: &ArrayBuffer<'_>) -> bool {
    !is_detached_buffer(b) && !is_shared_array_buffer(b)
}

/// <https://tc39.es/ecma262/#sec-clonearraybuffer>: a new ArrayBuffer with `len` bytes of
/// `b` from `offset`.
pub fn clone_array_buffer<'js>(
    b: &ArrayBuffer<'js>,
    offset: usize,
    len: usize,
) -> Fallible<ArrayBuffer<'js>> {
    let bytes = array_buffer_bytes(b);
    let slice = offset
        .checked_add(len)
        .and_then(|end| bytes.get(offset..end))
        .ok_or_else(|| Error::Type("the ArrayBuffer is detached or too small".into()))?;
    Ok(ArrayBuffer::new(
        b.as_object().ctx().clone(),
        slice.to_vec(),
    )?)
}

/// Copies `len` bytes of `src` from `src_offset` into `dest` at `dest_offset`
/// (CopyDataBlockBytes; `false` when either range is out of its buffer, nothing copied).
pub fn copy_data_block_bytes(
    dest: &ArrayBuffer<'_>,
    dest_offset: usize,
    src: &ArrayBuffer<'_>,
    src_offset: usize,
    len: usize,
) -> bool {
    let (Some(d), Some(s)) = (dest.as_raw(), src.as_raw()) else {
        let _ = dest.as_object().ctx().catch();
        return false;
    };
    let fits = |start: usize, total: usize| start.checked_add(len).is_some_and(|e| e <= total);
    if !fits(dest_offset, d.len()) || !fits(src_offset, s.len()) {
        return false;
    }
    // SAFETY: both ranges are inside their buffers (checked above); no JS runs meanwhile;
    // `copy` allows the ranges to overlap (the same buffer).
    unsafe {
        std::ptr::copy(
            s.cast::<u8>().as_ptr().add(src_offset),
            d.cast::<u8>().as_ptr().add(dest_offset),
            len,
        );
    }
    true
}

/// Writes `bytes` into `dest` at `dest_offset` (<https://webidl.spec.whatwg.org/#arraybufferview-write>
/// for a view of `dest` at that offset; `false` when the range is out of the buffer, or it
/// is detached: nothing written).
pub fn write_data_block_bytes(dest: &ArrayBuffer<'_>, dest_offset: usize, bytes: &[u8]) -> bool {
    let Some(d) = dest.as_raw() else {
        let _ = dest.as_object().ctx().catch();
        return false;
    };
    if dest_offset
        .checked_add(bytes.len())
        .is_none_or(|e| e > d.len())
    {
        return false;
    }
    // SAFETY: the range is inside the buffer (checked above); no JS runs meanwhile; `bytes`
    // is Rust memory, not the buffer's.
    unsafe {
        std::ptr::copy_nonoverlapping(
            bytes.as_ptr(),
            d.cast::<u8>().as_ptr().add(dest_offset),
            bytes.len(),
        );
    }
    true
}

/// Construct(ctor of `kind`, « buffer, byteOffset, length »): a new view of `buffer`.
pub fn new_view<'js>(
    buffer: &ArrayBuffer<'js>,
    kind: super::conversions::BufferViewKind,
    byte_offset: usize,
    length: usize,
) -> Fallible<BufferView<'js>> {
    let ctx = buffer.as_object().ctx();
    let name = constructor_name(kind);
    let ctor = super::realm::intrinsic_constructor(ctx, name)
        .map(|f| f.into_value())
        .or_else(|| ctx.globals().get::<_, rquickjs::Value>(name).ok())
        .and_then(|v| v.into_constructor())
        .ok_or_else(|| Error::Type(format!("no {name} in this realm")))?;
    let object: rquickjs::Object =
        ctor.construct((buffer.clone(), byte_offset as f64, length as f64))?;
    Ok(BufferView { object, kind })
}
