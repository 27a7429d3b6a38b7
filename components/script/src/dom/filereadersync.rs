//! <https://w3c.github.io/FileAPI/#FileReaderSync>: the blocking reads of workers.

use crate::dom::bindings::codegen::FileReaderSyncBinding::FileReaderSyncMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::blob::Blob;
use crate::dom::filereader::{package, ReadResult, ReadType};

/// <https://w3c.github.io/FileAPI/#FileReaderSync>
pub struct FileReaderSync<'js> {
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for FileReaderSync<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

fn read_sync<'js>(ctx: &Ctx<'js>, blob: &Blob<'js>, kind: ReadType) -> Fallible<ReadResult<'js>> {
    package(ctx, blob.bytes(), &kind, blob.type_string())
}

fn text_of(r: ReadResult<'_>) -> String {
    match r {
        ReadResult::Text(s) => s,
        _ => String::new(),
    }
}

impl<'js> FileReaderSyncMethods<'js> for FileReaderSync<'js> {
    fn readAsArrayBuffer(
        &self,
        cx: &Cx<'js>,
        blob: Dom<'js, Blob<'js>>,
    ) -> Fallible<ArrayBuffer<'js>> {
        Ok(ArrayBuffer::new_copy(cx.ctx.clone(), blob.bytes())?)
    }
    fn readAsBinaryString(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>) -> Fallible<DOMString> {
        Ok(text_of(read_sync(&cx.ctx, &blob, ReadType::BinaryString)?))
    }
    fn readAsText(
        &self,
        cx: &Cx<'js>,
        blob: Dom<'js, Blob<'js>>,
        encoding: Option<DOMString>,
    ) -> Fallible<DOMString> {
        Ok(text_of(read_sync(
            &cx.ctx,
            &blob,
            ReadType::Text(encoding),
        )?))
    }
    fn readAsDataURL(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>) -> Fallible<DOMString> {
        Ok(text_of(read_sync(&cx.ctx, &blob, ReadType::DataUrl)?))
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(FileReaderSync {
            _js: std::marker::PhantomData,
        })
    }
}
