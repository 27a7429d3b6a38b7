//! <https://encoding.spec.whatwg.org/#interface-textencoderstream>: a transform stream that
//! encodes string chunks as UTF-8 byte chunks.

use crate::dom::bindings::buffer_source::new_uint8_array;
use crate::dom::bindings::codegen::TextEncoderStreamBinding::TextEncoderStreamMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::ReadableStream;
use crate::dom::transformstream::TransformStream;
use crate::dom::transformstreamdefaultcontroller::{
    NativeTransformer, TransformStreamDefaultController,
};
use crate::dom::writablestream::WritableStream;
use std::cell::Cell;
use std::rc::Rc;

/// <https://encoding.spec.whatwg.org/#interface-textencoderstream>
pub struct TextEncoderStream<'js> {
    transform: Dom<'js, TransformStream<'js>>,
}

impl<'js> Trace<'js> for TextEncoderStream<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.transform.trace(tracer)
    }
}

/// The encoder between chunks: a high surrogate that ended the last chunk waits for the
/// low surrogate that may begin the next ([[leading surrogate]]).
struct Encode {
    leading_surrogate: Cell<Option<u16>>,
}

impl<'js> NativeTransformer<'js> for Encode {
    /// <https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk>
    fn transform(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
        chunk: Value<'js>,
    ) -> Fallible<()> {
        // Step 1. The chunk, converted to a DOMString (its UTF-16 code units, lone
        // surrogates kept).
        let s = crate::dom::bindings::conversions::to_dom_string(ctx, &chunk, false)?;
        let units = crate::dom::bindings::domstring::utf16(&s);
        let mut input: Vec<u16> = Vec::with_capacity(units.len() + 1);
        if let Some(high) = self.leading_surrogate.take() {
            input.push(high);
        }
        input.extend_from_slice(&units);
        // A trailing high surrogate waits for the next chunk.
        if let Some(&last) = input.last() {
            if (0xD800..0xDC00).contains(&last) {
                self.leading_surrogate.set(Some(last));
                input.pop();
            }
        }
        if input.is_empty() {
            return Ok(());
        }
        // Lone surrogates become U+FFFD.
        let text = String::from_utf16_lossy(&input);
        let array = new_uint8_array(ctx, text.into_bytes())?;
        controller.enqueue_chunk(ctx, array.object.into_value())
    }
    /// <https://encoding.spec.whatwg.org/#encode-and-flush>
    fn flush(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
    ) -> Fallible<()> {
        // A high surrogate left at the end is U+FFFD.
        if self.leading_surrogate.take().is_some() {
            let array = new_uint8_array(ctx, vec![0xEF, 0xBF, 0xBD])?;
            controller.enqueue_chunk(ctx, array.object.into_value())?;
        }
        Ok(())
    }
}

impl<'js> TextEncoderStreamMethods<'js> for TextEncoderStream<'js> {
    /// <https://encoding.spec.whatwg.org/#dom-textencoderstream>
    fn Constructor(cx: &Cx<'js>) -> Fallible<Self> {
        let transform = TransformStream::create_native(
            &cx.ctx,
            Rc::new(Encode {
                leading_surrogate: Cell::new(None),
            }),
        )?;
        Ok(TextEncoderStream { transform })
    }
    fn encoding(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("utf-8".into())
    }
    fn readable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        Ok(self.transform.readable_stream())
    }
    fn writable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, WritableStream<'js>>> {
        Ok(self.transform.writable_stream())
    }
}
