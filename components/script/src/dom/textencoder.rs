//! <https://encoding.spec.whatwg.org/#interface-textencoder>

use crate::dom::bindings::buffer_source::new_uint8_array;
use crate::dom::bindings::codegen::TextEncoderBinding::TextEncoderMethods;
use crate::dom::bindings::codegen::TextEncoderEncodeIntoResult;
use crate::dom::bindings::codegen_prelude::*;
use std::marker::PhantomData;

/// <https://encoding.spec.whatwg.org/#interface-textencoder> (always UTF-8).
pub struct TextEncoder<'js>(PhantomData<&'js ()>);

impl<'js> Trace<'js> for TextEncoder<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> TextEncoderMethods<'js> for TextEncoder<'js> {
    /// <https://encoding.spec.whatwg.org/#dom-textencoder-encoding>
    fn encoding(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("utf-8".into())
    }

    /// <https://encoding.spec.whatwg.org/#dom-textencoder-encode>: the UTF-8 bytes of the
    /// (USVString, so scalar-value) input in a new Uint8Array.
    fn encode(&self, cx: &Cx<'js>, input: USVString) -> Fallible<BufferView<'js>> {
        new_uint8_array(&cx.ctx, input.into_bytes())
    }

    /// <https://encoding.spec.whatwg.org/#dom-textencoder-encodeinto>: as many whole code
    /// points as fit; `read` counts UTF-16 code units, `written` bytes.
    fn encodeInto(
        &self,
        _cx: &Cx<'js>,
        source: USVString,
        destination: BufferView<'js>,
    ) -> Fallible<TextEncoderEncodeIntoResult> {
        let array = rquickjs::TypedArray::<u8>::from_object(destination.object.clone())?;
        let (mut read, mut written) = (0u64, 0usize);
        if let Some(raw) = array.as_raw() {
            // SAFETY: the slice is the array's own bytes; no JS runs while it is used.
            let dest: &mut [u8] = unsafe { &mut *raw.as_ptr() };
            let mut buf = [0u8; 4];
            for c in source.chars() {
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                if written + bytes.len() > dest.len() {
                    break;
                }
                dest[written..written + bytes.len()].copy_from_slice(bytes);
                written += bytes.len();
                read += c.len_utf16() as u64;
            }
        }
        Ok(TextEncoderEncodeIntoResult {
            read: Some(read),
            written: Some(written as u64),
        })
    }

    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TextEncoder(PhantomData))
    }
}
