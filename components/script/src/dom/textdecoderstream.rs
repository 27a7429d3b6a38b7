//! <https://encoding.spec.whatwg.org/#interface-textdecoderstream>: a transform stream that
//! decodes byte chunks into strings, on encoding_rs.

use crate::dom::bindings::buffer_source::buffer_source_bytes;
use crate::dom::bindings::codegen::TextDecoderStreamBinding::TextDecoderStreamMethods;
use crate::dom::bindings::codegen::{BufferSource, TextDecoderOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::ReadableStream;
use crate::dom::transformstream::TransformStream;
use crate::dom::transformstreamdefaultcontroller::{
    NativeTransformer, TransformStreamDefaultController,
};
use crate::dom::writablestream::WritableStream;
use encoding_rs::{CoderResult, DecoderResult, Encoding};
use std::cell::RefCell;
use std::rc::Rc;

/// <https://encoding.spec.whatwg.org/#interface-textdecoderstream>
pub struct TextDecoderStream<'js> {
    encoding: &'static Encoding,
    fatal: bool,
    ignore_bom: bool,
    transform: Dom<'js, TransformStream<'js>>,
}

impl<'js> Trace<'js> for TextDecoderStream<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.transform.trace(tracer)
    }
}

/// The decoder between chunks.
struct Decode {
    decoder: RefCell<encoding_rs::Decoder>,
    fatal: bool,
    name: &'static str,
}

impl Decode {
    /// <https://encoding.spec.whatwg.org/#decode-and-enqueue-a-chunk> and
    /// <https://encoding.spec.whatwg.org/#flush-and-enqueue>.
    fn run<'js>(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
        bytes: &[u8],
        last: bool,
    ) -> Fallible<()> {
        let mut decoder = self.decoder.borrow_mut();
        let mut out = String::with_capacity(
            decoder
                .max_utf8_buffer_length(bytes.len())
                .unwrap_or(bytes.len() * 3 + 4),
        );
        if self.fatal {
            let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut out, last);
            if let DecoderResult::Malformed(_, _) = result {
                return Err(Error::Type(format!(
                    "The encoded data is not valid {}",
                    self.name
                )));
            }
        } else {
            let (result, _, _) = decoder.decode_to_string(bytes, &mut out, last);
            if result == CoderResult::OutputFull {
                return Err(Error::Type(
                    "internal: the output buffer was too small".into(),
                ));
            }
        }
        // Output a chunk only when there is something to output.
        if !out.is_empty() {
            let s = rquickjs::String::from_str(ctx.clone(), &out)?.into_value();
            controller.enqueue_chunk(ctx, s)?;
        }
        Ok(())
    }
}

impl<'js> NativeTransformer<'js> for Decode {
    fn transform(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
        chunk: Value<'js>,
    ) -> Fallible<()> {
        // Step 1. The chunk is converted to an AllowSharedBufferSource (TypeError if not).
        let source = BufferSource::from_js(ctx, chunk, "chunk")?;
        let bytes = buffer_source_bytes(&source)?;
        self.run(ctx, controller, &bytes, false)
    }
    fn flush(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
    ) -> Fallible<()> {
        self.run(ctx, controller, &[], true)
    }
}

impl<'js> TextDecoderStreamMethods<'js> for TextDecoderStream<'js> {
    /// <https://encoding.spec.whatwg.org/#dom-textdecoderstream>
    fn Constructor(cx: &Cx<'js>, label: DOMString, options: TextDecoderOptions) -> Fallible<Self> {
        // Steps 1-2. The encoding (failure or "replacement": RangeError).
        let encoding = Encoding::for_label(label.trim().as_bytes())
            .filter(|e| *e != encoding_rs::REPLACEMENT)
            .ok_or_else(|| {
                Error::Range(format!(
                    "The encoding label provided ('{label}') is invalid."
                ))
            })?;
        // Steps 3-5. The decoder (BOM removed unless ignoreBOM).
        let decoder = if options.ignoreBOM {
            encoding.new_decoder_without_bom_handling()
        } else {
            encoding.new_decoder_with_bom_removal()
        };
        // Steps 6-10. The transform stream.
        let transform = TransformStream::create_native(
            &cx.ctx,
            Rc::new(Decode {
                decoder: RefCell::new(decoder),
                fatal: options.fatal,
                name: encoding.name(),
            }),
        )?;
        Ok(TextDecoderStream {
            encoding,
            fatal: options.fatal,
            ignore_bom: options.ignoreBOM,
            transform,
        })
    }
    fn encoding(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.encoding.name().to_ascii_lowercase())
    }
    fn fatal(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.fatal)
    }
    fn ignoreBOM(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.ignore_bom)
    }
    fn readable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        Ok(self.transform.readable_stream())
    }
    fn writable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, WritableStream<'js>>> {
        Ok(self.transform.writable_stream())
    }
}
