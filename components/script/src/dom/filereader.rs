//! <https://w3c.github.io/FileAPI/#APIASynch>: FileReader, and the packaging of a read's
//! bytes it shares with FileReaderSync ([`crate::dom::filereadersync`]). The events it fires
//! are [`crate::dom::progressevent`]s.
//!
//! A Blob's bytes are in memory, so a read is one chunk: the tasks of the "read operation"
//! run as loadstart, then progress + load + loadend, each on its own task.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::FileReaderBinding::FileReaderMethods;
use crate::dom::bindings::codegen::StringOrArrayBuffer;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::blob::Blob;
use crate::dom::domexception::DOMException;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::GlobalScope;
use crate::dom::progressevent::fire_progress_event;
use std::cell::Cell;

/// What a read packages the bytes as (<https://w3c.github.io/FileAPI/#packaging-data>).
#[derive(Clone, Debug)]
pub(crate) enum ReadType {
    ArrayBuffer,
    BinaryString,
    Text(Option<String>),
    DataUrl,
}

/// The result of a read, kept in Rust until asked for (an ArrayBuffer is made once).
pub(crate) enum ReadResult<'js> {
    None,
    Text(String),
    Buffer(ArrayBuffer<'js>),
}

impl<'js> Trace<'js> for ReadResult<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let ReadResult::Buffer(b) = self {
            b.trace(tracer)
        }
    }
}

/// <https://w3c.github.io/FileAPI/#packaging-data>
pub(crate) fn package<'js>(
    ctx: &Ctx<'js>,
    bytes: &[u8],
    kind: &ReadType,
    mime: &str,
) -> Fallible<ReadResult<'js>> {
    Ok(match kind {
        ReadType::ArrayBuffer => ReadResult::Buffer(ArrayBuffer::new_copy(ctx.clone(), bytes)?),
        ReadType::BinaryString => ReadResult::Text(bytes.iter().map(|&b| b as char).collect()),
        ReadType::DataUrl => {
            let latin1: String = bytes.iter().map(|&b| b as char).collect();
            let b64 = crate::dom::base64::btoa(&latin1)?;
            let mime = if mime.is_empty() {
                "application/octet-stream"
            } else {
                mime
            };
            ReadResult::Text(format!("data:{mime};base64,{b64}"))
        }
        ReadType::Text(label) => {
            // The encoding: the label given (if it names one), else the blob type's charset,
            // else UTF-8; then "decode" (a BOM wins).
            let from_label = label
                .as_deref()
                .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()));
            let from_type = || {
                crate::dom::body::parse_mime(mime.as_bytes()).and_then(|(_, params)| {
                    params
                        .into_iter()
                        .find(|(k, _)| k == "charset")
                        .and_then(|(_, v)| encoding_rs::Encoding::for_label(v.as_bytes()))
                })
            };
            let encoding = from_label.or_else(from_type).unwrap_or(encoding_rs::UTF_8);
            let (text, _, _) = encoding.decode(bytes);
            ReadResult::Text(text.into_owned())
        }
    })
}

pub const EMPTY: u16 = 0;
pub const LOADING: u16 = 1;
pub const DONE: u16 = 2;

/// <https://w3c.github.io/FileAPI/#dfn-filereader>
pub struct FileReader<'js> {
    target: EventTarget<'js>,
    state: Cell<u16>,
    result: DomRefCell<ReadResult<'js>>,
    /// Bumped by abort() and each new read, so tasks of an older read do nothing.
    generation: Cell<u64>,
}

impl<'js> HasParent<'js> for FileReader<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.target
    }
}

impl<'js> Trace<'js> for FileReader<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer);
        self.result.trace(tracer);
    }
}

impl<'js> FileReader<'js> {
    /// <https://w3c.github.io/FileAPI/#readOperation>
    fn read(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>, kind: ReadType) -> Fallible<()> {
        // Step 1. If fr's state is "loading", throw an InvalidStateError DOMException.
        if self.state.get() == LOADING {
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the FileReader is already reading",
            ));
        }
        // Steps 2-4. State "loading", result and error null.
        self.state.set(LOADING);
        *self.result.borrow_mut() = ReadResult::None;
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        let this = <FileReader as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("FileReader needs a global"))?;
        let bytes = blob.shared_bytes();
        let mime = blob.type_string().to_string();
        let total = bytes.len() as u64;
        // Step 10. Queue a task to fire a progress event called loadstart.
        let reader = this.clone();
        global.queue_task(Box::new(move |ctx| {
            if reader.generation.get() == generation {
                fire_progress_event(ctx, &reader.upcast(), "loadstart", 0, total)?;
            }
            Ok(())
        }));
        // Steps 10.5-10.6. The one chunk: progress, then (done) the result, load and loadend.
        let reader = this;
        global.queue_task(Box::new(move |ctx| {
            if reader.generation.get() != generation {
                return Ok(());
            }
            // A progress event for the chunk read (an empty blob has none).
            if total > 0 {
                fire_progress_event(ctx, &reader.upcast(), "progress", total, total)?;
                if reader.generation.get() != generation {
                    return Ok(());
                }
            }
            // Set fr's state to "done" and its result to the packaged data.
            reader.state.set(DONE);
            *reader.result.borrow_mut() = package(ctx, &bytes, &kind, &mime)?;
            fire_progress_event(ctx, &reader.upcast(), "load", total, total)?;
            // If fr's state is not "loading", fire loadend.
            if reader.state.get() != LOADING {
                fire_progress_event(ctx, &reader.upcast(), "loadend", total, total)?;
            }
            Ok(())
        }));
        Ok(())
    }
}

impl<'js> FileReaderMethods<'js> for FileReader<'js> {
    fn readAsArrayBuffer(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>) -> Fallible<()> {
        self.read(cx, blob, ReadType::ArrayBuffer)
    }
    fn readAsBinaryString(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>) -> Fallible<()> {
        self.read(cx, blob, ReadType::BinaryString)
    }
    fn readAsText(
        &self,
        cx: &Cx<'js>,
        blob: Dom<'js, Blob<'js>>,
        encoding: Option<DOMString>,
    ) -> Fallible<()> {
        self.read(cx, blob, ReadType::Text(encoding))
    }
    fn readAsDataURL(&self, cx: &Cx<'js>, blob: Dom<'js, Blob<'js>>) -> Fallible<()> {
        self.read(cx, blob, ReadType::DataUrl)
    }
    /// <https://w3c.github.io/FileAPI/#dfn-abort>
    fn abort(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. If state is "empty" or "done", set result to null and stop.
        if self.state.get() != LOADING {
            *self.result.borrow_mut() = ReadResult::None;
            return Ok(());
        }
        // Steps 2-5. Done, no result, no more tasks of this read.
        self.state.set(DONE);
        *self.result.borrow_mut() = ReadResult::None;
        self.generation.set(self.generation.get() + 1);
        // Steps 7-8. Fire abort, then loadend if not loading again.
        let this = <FileReader as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        fire_progress_event(&cx.ctx, &this.upcast(), "abort", 0, 0)?;
        if self.state.get() != LOADING {
            fire_progress_event(&cx.ctx, &this.upcast(), "loadend", 0, 0)?;
        }
        Ok(())
    }
    fn readyState(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.state.get())
    }
    fn result(&self, _cx: &Cx<'js>) -> Fallible<Option<StringOrArrayBuffer<'js>>> {
        Ok(match &*self.result.borrow() {
            ReadResult::None => None,
            ReadResult::Text(s) => Some(StringOrArrayBuffer::String(s.clone())),
            ReadResult::Buffer(b) => Some(StringOrArrayBuffer::ArrayBuffer(b.clone())),
        })
    }
    /// Reading an in-memory Blob cannot fail, so there is never an error.
    fn error(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, DOMException<'js>>>> {
        Ok(None)
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(FileReader {
            target: EventTarget::new_inherited(),
            state: Cell::new(EMPTY),
            result: DomRefCell::new(ReadResult::None),
            generation: Cell::new(0),
        })
    }
}
