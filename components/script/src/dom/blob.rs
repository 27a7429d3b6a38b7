//! <https://w3c.github.io/FileAPI/#blob-section>: bytes in memory with a type.

use crate::dom::bindings::buffer_source::{buffer_source_bytes, new_uint8_array};
use crate::dom::bindings::codegen::BlobBinding::BlobMethods;
use crate::dom::bindings::codegen::{BlobPart, BlobPropertyBag, EndingType};
use crate::dom::bindings::codegen_prelude::*;
use std::sync::Arc;

/// <https://w3c.github.io/FileAPI/#blob-section>
pub struct Blob<'js> {
    /// The bytes (shared by slices' copies and bodies made from this blob).
    bytes: Arc<Vec<u8>>,
    /// The type: an ASCII-lowercase MIME type, or "".
    type_: String,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Blob<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// The `type` option: "" if any character is outside U+0020 to U+007E, else lower-cased.
pub fn normalize_type(t: &str) -> String {
    if t.chars().any(|c| !('\u{20}'..='\u{7e}').contains(&c)) {
        String::new()
    } else {
        t.to_ascii_lowercase()
    }
}

/// <https://w3c.github.io/FileAPI/#convert-line-endings-to-native> (native is LF here).
fn native_line_endings(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// <https://w3c.github.io/FileAPI/#process-blob-parts>
pub fn process_blob_parts(parts: Vec<BlobPart<'_>>, endings: EndingType) -> Fallible<Vec<u8>> {
    let mut bytes = Vec::new();
    for part in parts {
        match part {
            BlobPart::USVString(s) => {
                let s = if endings == EndingType::Native {
                    native_line_endings(&s)
                } else {
                    s
                };
                bytes.extend_from_slice(s.as_bytes());
            }
            BlobPart::BufferSource(b) => bytes.extend_from_slice(&buffer_source_bytes(&b)?),
            BlobPart::Blob(b) => bytes.extend_from_slice(b.bytes()),
        }
    }
    Ok(bytes)
}

impl<'js> Blob<'js> {
    pub fn new_inherited(bytes: Vec<u8>, type_: &str) -> Blob<'js> {
        Blob {
            bytes: Arc::new(bytes),
            type_: normalize_type(type_),
            _js: std::marker::PhantomData,
        }
    }

    /// A blob whose type is an already-serialized MIME type (kept as is: parameter values
    /// keep their case), as Body's blob() makes.
    pub fn with_mime_type(bytes: Vec<u8>, mime: &str) -> Blob<'js> {
        let mut b = Blob::new_inherited(bytes, "");
        if !mime.chars().any(|c| !('\u{20}'..='\u{7e}').contains(&c)) {
            b.type_ = mime.to_string();
        }
        b
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn shared_bytes(&self) -> Arc<Vec<u8>> {
        self.bytes.clone()
    }

    pub fn type_string(&self) -> &str {
        &self.type_
    }
}

/// The clamped, relative offsets of `slice()` (FileAPI §3.3.1 steps 2-3).
fn relative(offset: Option<i64>, size: i64, default: i64) -> i64 {
    match offset {
        None => default,
        Some(o) if o < 0 => (size + o).max(0),
        Some(o) => o.min(size),
    }
}

impl<'js> BlobMethods<'js> for Blob<'js> {
    fn size(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.bytes.len() as u64)
    }
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.type_.clone())
    }

    /// <https://w3c.github.io/FileAPI/#dfn-slice>
    fn slice(
        &self,
        cx: &Cx<'js>,
        start: Option<i64>,
        end: Option<i64>,
        content_type: Option<DOMString>,
    ) -> Fallible<Dom<'js, Blob<'js>>> {
        let size = self.bytes.len() as i64;
        let start = relative(start, size, 0);
        let end = relative(end, size, size);
        let span = (end - start).max(0);
        let bytes = self.bytes[start as usize..(start + span) as usize].to_vec();
        let blob = Blob::new_inherited(bytes, content_type.as_deref().unwrap_or(""));
        reflect_dom_object(&cx.ctx, blob)
    }

    /// <https://w3c.github.io/FileAPI/#text-method-algo>: UTF-8 decoded (BOM removed).
    fn text(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let (text, _) = encoding_rs::UTF_8.decode_with_bom_removal(&self.bytes);
        let value = rquickjs::String::from_str(cx.ctx.clone(), &text)?.into_value();
        glue::resolved_promise(&cx.ctx, value)
    }

    /// <https://w3c.github.io/FileAPI/#stream-method-algo>: the blob's
    /// <https://w3c.github.io/FileAPI/#blob-get-stream>, a stream set up with byte reading
    /// support whose bytes are read as it pulls (a large Blob is not copied whole into the
    /// stream): chunks of at most 64 KiB, or as much as a waiting BYOB read's view holds.
    fn stream(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::readablestream::ReadableStream<'js>>> {
        // Get stream steps 1-5. A new ReadableStream, set up with byte reading support,
        // whose pull algorithm reads the next chunk of the blob's bytes and enqueues it, and
        // closes the stream once all are read.
        crate::dom::readablestream::ReadableStream::from_shared_bytes(
            &cx.ctx,
            self.bytes.clone(),
            64 * 1024,
        )
    }

    /// <https://w3c.github.io/FileAPI/#arraybuffer-method-algo>
    fn arrayBuffer(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let buffer = ArrayBuffer::new_copy(cx.ctx.clone(), self.bytes.as_slice())?;
        glue::resolved_promise(&cx.ctx, buffer.into_value())
    }

    /// <https://w3c.github.io/FileAPI/#dom-blob-bytes>
    fn bytes(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let array = new_uint8_array(&cx.ctx, self.bytes.to_vec())?;
        glue::resolved_promise(&cx.ctx, array.object.into_value())
    }

    /// <https://w3c.github.io/FileAPI/#constructorBlob>
    fn Constructor(
        _cx: &Cx<'js>,
        blob_parts: Option<Vec<BlobPart<'js>>>,
        options: BlobPropertyBag,
    ) -> Fallible<Self> {
        // Step 2. The bytes of the parts.
        let bytes = process_blob_parts(blob_parts.unwrap_or_default(), options.endings)?;
        // Step 3. The type, normalized.
        Ok(Blob::new_inherited(bytes, &options.r#type))
    }
}
