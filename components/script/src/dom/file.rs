//! <https://w3c.github.io/FileAPI/#file-section>

use crate::dom::bindings::codegen::FileBinding::FileMethods;
use crate::dom::bindings::codegen::{BlobPart, FilePropertyBag};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::blob::{process_blob_parts, Blob};

/// <https://w3c.github.io/FileAPI/#file-section>
pub struct File<'js> {
    blob: Blob<'js>,
    /// The name.
    name: String,
    /// The last modified date, in milliseconds since the epoch.
    last_modified: i64,
}

impl<'js> HasParent<'js> for File<'js> {
    type Parent = Blob<'js>;
    fn parent(&self) -> &Blob<'js> {
        &self.blob
    }
}

impl<'js> Trace<'js> for File<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.blob.trace(tracer)
    }
}

impl<'js> File<'js> {
    pub fn new_inherited(bytes: Vec<u8>, type_: &str, name: &str, last_modified: i64) -> File<'js> {
        File {
            blob: Blob::new_inherited(bytes, type_),
            name: name.to_string(),
            last_modified,
        }
    }

    pub fn name_string(&self) -> &str {
        &self.name
    }

    pub fn last_modified_ms(&self) -> i64 {
        self.last_modified
    }
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl<'js> FileMethods<'js> for File<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }
    fn lastModified(&self, _cx: &Cx<'js>) -> Fallible<i64> {
        Ok(self.last_modified)
    }

    /// <https://w3c.github.io/FileAPI/#file-constructor>
    fn Constructor(
        _cx: &Cx<'js>,
        file_bits: Vec<BlobPart<'js>>,
        file_name: USVString,
        options: FilePropertyBag,
    ) -> Fallible<Self> {
        // Step 1. The bytes of the parts.
        let bytes = process_blob_parts(file_bits, options.parent.endings)?;
        // Steps 2-4. The name as given, the type normalized, lastModified or now.
        Ok(File::new_inherited(
            bytes,
            &options.parent.r#type,
            &file_name,
            options.lastModified.unwrap_or_else(now_ms),
        ))
    }
}
