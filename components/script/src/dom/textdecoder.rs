//! <https://encoding.spec.whatwg.org/#interface-textdecoder>, on encoding_rs.

use crate::dom::bindings::buffer_source::allow_shared_bytes;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::TextDecoderBinding::TextDecoderMethods;
use crate::dom::bindings::codegen::{
    AllowSharedBufferSource, TextDecodeOptions, TextDecoderOptions,
};
use crate::dom::bindings::codegen_prelude::*;
use encoding_rs::{CoderResult, DecoderResult, Encoding};
use std::cell::Cell;

/// <https://encoding.spec.whatwg.org/#interface-textdecoder>
pub struct TextDecoder<'js> {
    /// The encoding.
    encoding: &'static Encoding,
    /// The error mode is "fatal".
    fatal: bool,
    /// The ignore BOM flag.
    ignore_bom: bool,
    /// The decoder (with its BOM handling), kept between streaming calls.
    decoder: DomRefCell<Option<encoding_rs::Decoder>>,
    /// The do-not-flush flag.
    do_not_flush: Cell<bool>,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for TextDecoder<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> TextDecoder<'js> {
    fn new_decoder(&self) -> encoding_rs::Decoder {
        if self.ignore_bom {
            self.encoding.new_decoder_without_bom_handling()
        } else {
            // The BOM of this encoding is removed; none switches the encoding.
            self.encoding.new_decoder_with_bom_removal()
        }
    }
}

impl<'js> TextDecoderMethods<'js> for TextDecoder<'js> {
    /// <https://encoding.spec.whatwg.org/#dom-textdecoder-encoding>: the name, lower-cased.
    fn encoding(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.encoding.name().to_ascii_lowercase())
    }
    fn fatal(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.fatal)
    }
    fn ignoreBOM(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.ignore_bom)
    }

    /// <https://encoding.spec.whatwg.org/#dom-textdecoder-decode>
    fn decode(
        &self,
        _cx: &Cx<'js>,
        input: Option<AllowSharedBufferSource<'js>>,
        options: TextDecodeOptions,
    ) -> Fallible<USVString> {
        // Step 1. Unless the previous call was streaming, a new decoder.
        let mut slot = self.decoder.borrow_mut();
        if !self.do_not_flush.get() || slot.is_none() {
            *slot = Some(self.new_decoder());
        }
        // Step 2. The do-not-flush flag is options' stream.
        self.do_not_flush.set(options.stream);
        // Step 3. A copy of the input's bytes.
        let bytes = match &input {
            Some(src) => allow_shared_bytes(src)?,
            None => Vec::new(),
        };
        let last = !options.stream;
        let Some(decoder) = slot.as_mut() else {
            return Ok(String::new());
        };
        // Steps 4-5. Decode; the end of the stream flushes unless streaming.
        let mut out = String::with_capacity(
            decoder
                .max_utf8_buffer_length(bytes.len())
                .unwrap_or(bytes.len() * 3 + 4),
        );
        if self.fatal {
            let (result, read) =
                decoder.decode_to_string_without_replacement(&bytes, &mut out, last);
            match result {
                DecoderResult::InputEmpty => {}
                DecoderResult::Malformed(_, _) => {
                    *slot = None;
                    self.do_not_flush.set(false);
                    return Err(Error::Type(format!(
                        "The encoded data is not valid {}",
                        self.encoding.name()
                    )));
                }
                DecoderResult::OutputFull => {
                    return Err(Error::Type(format!(
                        "internal: decoding stopped after {read} bytes"
                    )))
                }
            }
        } else {
            let (result, _, _) = decoder.decode_to_string(&bytes, &mut out, last);
            if result == CoderResult::OutputFull {
                return Err(Error::Type(
                    "internal: the output buffer was too small".into(),
                ));
            }
        }
        if last {
            *slot = None;
        }
        Ok(out)
    }

    /// <https://encoding.spec.whatwg.org/#dom-textdecoder>
    fn Constructor(cx: &Cx<'js>, label: DOMString, options: TextDecoderOptions) -> Fallible<Self> {
        let _ = cx;
        // Steps 1-2. Get an encoding from label; failure or "replacement" is a RangeError.
        let encoding = Encoding::for_label(label.trim().as_bytes())
            .filter(|e| *e != encoding_rs::REPLACEMENT)
            .ok_or_else(|| {
                Error::Range(format!(
                    "The encoding label provided ('{label}') is invalid."
                ))
            })?;
        // Steps 3-5.
        Ok(TextDecoder {
            encoding,
            fatal: options.fatal,
            ignore_bom: options.ignoreBOM,
            decoder: DomRefCell::new(None),
            do_not_flush: Cell::new(false),
            _js: std::marker::PhantomData,
        })
    }
}
