//! <https://streams.spec.whatwg.org/#rs-class>: readable streams with default controllers
//! and readers, their abstract operations (named as the spec names them, with `// Step N.`
//! comments), tee, and async iteration.
//!
//! A stream's underlying source is script's (an object with `start`/`pull`/`cancel`) or
//! Rust's ([`NativeSource`]): a Response's or Request's body, a Blob's bytes. A native
//! source is pulled only while the stream's queue is below its high-water mark, so a body
//! read from the profile a piece at a time is read as fast as script consumes it, no faster.
//! Bodies and Blobs are byte streams "set up with byte reading support"
//! ([`ReadableStream::create_native_bytes`], high-water mark 0: pulled while a read waits),
//! so they can be read with BYOB readers; their sources enqueue through
//! [`StreamController::enqueue_bytes`], which writes into a waiting BYOB read's view.
//!
//! Byte streams (`type: "bytes"`) have a [`ReadableByteStreamController`] and may be read
//! with a [`ReadableStreamBYOBReader`]; their tee is ReadableByteStreamTee.
//!
//! Not implemented yet: transfer.

use crate::dom::bindings::buffer_source::{new_uint8_array, view_parts, write_data_block_bytes};
use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ReadableStreamBinding::ReadableStreamMethods;
use crate::dom::bindings::codegen::{
    QueuingStrategy, QueuingStrategySize, ReadableStreamController, ReadableStreamGetReaderOptions,
    ReadableStreamReadResult, ReadableStreamReader, ReadableStreamType, UnderlyingSource,
    UnderlyingSourceCancelCallback, UnderlyingSourcePullCallback,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::conversions::BufferView;
use crate::dom::readablebytestreamcontroller::{
    ignore, readable_byte_stream_controller_close, readable_byte_stream_controller_enqueue,
    readable_byte_stream_controller_error, readable_byte_stream_controller_get_byob_request,
    readable_byte_stream_controller_get_desired_size, readable_byte_stream_controller_respond,
    readable_byte_stream_controller_respond_with_new_view, set_up_readable_byte_stream_controller,
    set_up_readable_byte_stream_controller_from_underlying_source, ReadableByteStreamController,
};
use crate::dom::readablestreambyobreader::{
    acquire_readable_stream_byob_reader, readable_stream_byob_reader_error_read_into_requests,
    readable_stream_byob_reader_read, readable_stream_byob_reader_release,
    ReadableStreamBYOBReader,
};
use crate::dom::readablestreamdefaultcontroller::ReadableStreamDefaultController;
use crate::dom::readablestreamdefaultreader::ReadableStreamDefaultReader;
use std::cell::Cell;
use std::rc::Rc;

/// <https://streams.spec.whatwg.org/#readablestream-state>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamState {
    Readable,
    Closed,
    Errored,
}

/// <https://streams.spec.whatwg.org/#readablestream>
pub struct ReadableStream<'js> {
    /// [[controller]] (set once set up).
    controller: DomRefCell<Option<StreamController<'js>>>,
    /// [[Detached]] is not needed without transfer.
    /// [[disturbed]]
    disturbed: Cell<bool>,
    /// [[reader]]
    reader: DomRefCell<Option<StreamReader<'js>>>,
    /// [[state]]
    state: Cell<StreamState>,
    /// [[storedError]]
    stored_error: DomRefCell<Option<Value<'js>>>,
    /// What the constructor converted, for the set-up once the object exists.
    pending: DomRefCell<Option<PendingSource<'js>>>,
}

/// A stream's [[controller]]: a default or a byte stream controller.
#[derive(Clone)]
pub enum StreamController<'js> {
    Default(Dom<'js, ReadableStreamDefaultController<'js>>),
    Byte(Dom<'js, ReadableByteStreamController<'js>>),
}

impl<'js> Trace<'js> for StreamController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            StreamController::Default(c) => c.trace(tracer),
            StreamController::Byte(c) => c.trace(tracer),
        }
    }
}

impl<'js> StreamController<'js> {
    /// The `ReadableStreamController` union value (what the underlying source's callbacks
    /// get).
    pub fn to_union(&self) -> ReadableStreamController<'js> {
        match self {
            StreamController::Default(c) => {
                ReadableStreamController::ReadableStreamDefaultController(c.clone())
            }
            StreamController::Byte(c) => {
                ReadableStreamController::ReadableByteStreamController(c.clone())
            }
        }
    }

    /// [[CancelSteps]](reason).
    pub fn cancel_steps(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        match self {
            StreamController::Default(c) => c.cancel_steps(ctx, reason),
            StreamController::Byte(c) => ReadableByteStreamController::cancel_steps(c, ctx, reason),
        }
    }

    /// [[PullSteps]](readRequest).
    pub fn pull_steps(&self, ctx: &Ctx<'js>, request: Box<dyn ReadRequest<'js> + 'js>) {
        match self {
            StreamController::Default(c) => c.pull_steps(ctx, request),
            StreamController::Byte(c) => ReadableByteStreamController::pull_steps(c, ctx, request),
        }
    }

    /// [[ReleaseSteps]]() (nothing for a default controller).
    pub fn release_steps(&self) {
        if let StreamController::Byte(c) = self {
            c.release_steps();
        }
    }

    /// The controller's desired size (ReadableStreamDefaultControllerGetDesiredSize or
    /// ReadableByteStreamControllerGetDesiredSize): null once errored.
    pub fn desired_size(&self) -> Option<f64> {
        match self {
            StreamController::Default(c) => c.get_desired_size(),
            StreamController::Byte(c) => readable_byte_stream_controller_get_desired_size(c),
        }
    }

    /// Whether a source that is pushed into from Rust should produce more now: the stream
    /// <https://streams.spec.whatwg.org/#readablestream-need-more-data>, or a read is
    /// waiting (a byte stream's high-water mark is 0, and a BYOB read waiting for `min`
    /// bytes leaves its queue empty: its desired size is 0 while it still wants bytes).
    pub fn wants_more(&self) -> bool {
        match self.desired_size() {
            None => false,
            Some(d) if d > 0.0 => true,
            Some(_) => {
                let stream = self.stream();
                stream.state() == StreamState::Readable
                    && (readable_stream_get_num_read_requests(stream) > 0
                        || readable_stream_get_num_read_into_requests(stream) > 0)
            }
        }
    }

    /// Whether [[stream]] is readable (neither closed nor errored).
    pub fn is_readable(&self) -> bool {
        self.stream().state() == StreamState::Readable
    }

    /// [[stream]]
    fn stream(&self) -> &Dom<'js, ReadableStream<'js>> {
        match self {
            StreamController::Default(c) => c.stream(),
            StreamController::Byte(c) => c.stream(),
        }
    }

    /// <https://streams.spec.whatwg.org/#readablestream-current-byob-request-view> (always
    /// null for a default controller).
    pub fn current_byob_request_view(&self, ctx: &Ctx<'js>) -> Fallible<Option<BufferView<'js>>> {
        let StreamController::Byte(c) = self else {
            return Ok(None);
        };
        // Steps 1-2. byobRequest: ! ReadableByteStreamControllerGetBYOBRequest(controller).
        // Step 3. Null: return null.
        // Step 4. Return byobRequest.[[view]].
        Ok(readable_byte_stream_controller_get_byob_request(ctx, c)?.and_then(|r| r.view_object()))
    }

    /// <https://streams.spec.whatwg.org/#readablestream-enqueue> of `bytes` (nothing for
    /// none). A default controller gets them as a new Uint8Array. A byte stream with a
    /// current BYOB request view gets as many as fit written into that view (the spec's
    /// "should write into the current BYOB request view ... and then call enqueue with that
    /// view"), and the rest, if any, as a new Uint8Array.
    pub fn enqueue_bytes(&self, ctx: &Ctx<'js>, bytes: &[u8]) -> Fallible<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        // No microtask checkpoint until this is done, even when called from a task with no
        // script on the stack (the view's getters are JS calls): script must not run
        // between writing into the view and responding, nor re-enter the caller (a fetch's
        // body task). The task's own checkpoint runs the reads' reactions.
        let _no_checkpoint = crate::script_thread::NativeScope::enter();
        match self {
            // Step 1. A default controller: ! ReadableStreamDefaultControllerEnqueue.
            StreamController::Default(c) => {
                let chunk = new_uint8_array(ctx, bytes.to_vec())?;
                c.enqueue_chunk(ctx, chunk.object.into_value())
            }
            // Step 2. A byte stream controller.
            StreamController::Byte(c) => {
                // (ReadableByteStreamControllerEnqueue and Respond do nothing, or throw,
                // once the stream closes or errors: nothing more goes to it.)
                if !c.can_close_or_enqueue() {
                    return Ok(());
                }
                let mut rest = bytes;
                // Step 2.3. byobView: the current BYOB request view.
                if let Some(byob_view) = self.current_byob_request_view(ctx)? {
                    let parts = view_parts(&byob_view)?;
                    // Write as many bytes as fit into the view (the chunk is then the view
                    // itself, at its offset, no longer than it).
                    let written = rest.len().min(parts.byte_length);
                    if !write_data_block_bytes(&parts.buffer, parts.byte_offset, &rest[..written]) {
                        return Err(Error::Type("the BYOB request's view is detached".into()));
                    }
                    rest = &rest[written..];
                    // Step 2.4.3. ? ReadableByteStreamControllerRespond(controller,
                    // chunk.[[ByteLength]]).
                    readable_byte_stream_controller_respond(ctx, c, written as u64)?;
                }
                // Step 2.5. Otherwise (or what did not fit): ?
                // ReadableByteStreamControllerEnqueue(controller, a new Uint8Array).
                if !rest.is_empty() && c.can_close_or_enqueue() {
                    let chunk = new_uint8_array(ctx, rest.to_vec())?;
                    readable_byte_stream_controller_enqueue(ctx, c, &chunk)?;
                }
                Ok(())
            }
        }
    }

    /// <https://streams.spec.whatwg.org/#readablestream-close>
    pub fn close(&self, ctx: &Ctx<'js>) {
        // (As in enqueue_bytes: no script runs until the stream is closed.)
        let _no_checkpoint = crate::script_thread::NativeScope::enter();
        match self {
            // Step 1. A byte stream controller.
            StreamController::Byte(c) => {
                // Step 1.1. ! ReadableByteStreamControllerClose(controller).
                ignore(ctx, readable_byte_stream_controller_close(ctx, c));
                // Step 1.2. Pending pull-intos: ! ReadableByteStreamControllerRespond(
                // controller, 0) (a BYOB read waiting gets its view back, done). Only a
                // closed stream takes 0 (one whose queue still has bytes closes once they
                // are read).
                if c.has_pending_pull_intos() && c.stream().state() == StreamState::Closed {
                    ignore(ctx, readable_byte_stream_controller_respond(ctx, c, 0));
                }
            }
            // Step 2. Otherwise: ! ReadableStreamDefaultControllerClose(controller).
            StreamController::Default(c) => c.close_stream(ctx),
        }
    }

    /// <https://streams.spec.whatwg.org/#readablestream-error>
    pub fn error(&self, ctx: &Ctx<'js>, e: Value<'js>) {
        let _no_checkpoint = crate::script_thread::NativeScope::enter();
        match self {
            // Step 1. ! ReadableByteStreamControllerError(controller, e).
            StreamController::Byte(c) => readable_byte_stream_controller_error(ctx, c, e),
            // Step 2. ! ReadableStreamDefaultControllerError(controller, e).
            StreamController::Default(c) => c.error_stream(ctx, e),
        }
    }
}

/// A stream's [[reader]]: a default or a BYOB reader.
#[derive(Clone)]
pub enum StreamReader<'js> {
    Default(Dom<'js, ReadableStreamDefaultReader<'js>>),
    Byob(Dom<'js, ReadableStreamBYOBReader<'js>>),
}

impl<'js> Trace<'js> for StreamReader<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            StreamReader::Default(r) => r.trace(tracer),
            StreamReader::Byob(r) => r.trace(tracer),
        }
    }
}

impl<'js> StreamReader<'js> {
    fn generic(&self) -> &dyn GenericReader<'js> {
        match self {
            StreamReader::Default(r) => &**r,
            StreamReader::Byob(r) => &**r,
        }
    }
}

/// What the ReadableStreamGenericReader mixin's algorithms need of a reader: its
/// [[stream]] and [[closedPromise]].
pub trait GenericReader<'js> {
    fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>>;
    fn set_stream(&self, stream: Option<Dom<'js, ReadableStream<'js>>>);
    fn closed_deferred(&self) -> Deferred<'js>;
    fn set_closed_deferred(&self, d: Deferred<'js>);
}

impl<'js> GenericReader<'js> for ReadableStreamDefaultReader<'js> {
    fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>> {
        ReadableStreamDefaultReader::stream(self)
    }
    fn set_stream(&self, stream: Option<Dom<'js, ReadableStream<'js>>>) {
        ReadableStreamDefaultReader::set_stream(self, stream)
    }
    fn closed_deferred(&self) -> Deferred<'js> {
        ReadableStreamDefaultReader::closed_deferred(self)
    }
    fn set_closed_deferred(&self, d: Deferred<'js>) {
        ReadableStreamDefaultReader::set_closed_deferred(self, d)
    }
}

/// The constructor's underlying source, its converted dictionary and strategy.
struct PendingSource<'js> {
    source: Value<'js>,
    dict: UnderlyingSource<'js>,
    hwm: f64,
    size: Option<QueuingStrategySize<'js>>,
}

impl<'js> Trace<'js> for PendingSource<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.source.trace(tracer);
        for c in [
            self.dict.start.as_ref().map(|c| &c.callback),
            self.dict.pull.as_ref().map(|c| &c.callback),
            self.dict.cancel.as_ref().map(|c| &c.callback),
            self.size.as_ref().map(|c| &c.callback),
        ]
        .into_iter()
        .flatten()
        {
            c.trace(tracer);
        }
    }
}

impl<'js> Trace<'js> for ReadableStream<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.controller.trace(tracer);
        self.reader.trace(tracer);
        self.stored_error.trace(tracer);
        self.pending.trace(tracer);
    }
}

/// A promise with its resolving functions (a spec "promise" a stream settles later).
#[derive(Clone)]
pub struct Deferred<'js> {
    pub promise: Promise<'js>,
    pub resolve: Function<'js>,
    pub reject: Function<'js>,
}

impl<'js> Trace<'js> for Deferred<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.promise.trace(tracer);
        self.resolve.trace(tracer);
        self.reject.trace(tracer);
    }
}

impl<'js> Deferred<'js> {
    pub fn new(ctx: &Ctx<'js>) -> Fallible<Deferred<'js>> {
        let (promise, resolve, reject) = ctx.promise()?;
        Ok(Deferred {
            promise,
            resolve,
            reject,
        })
    }

    pub fn resolve(&self, value: Value<'js>) {
        let _ = self.resolve.call::<_, ()>((value,));
    }

    pub fn reject(&self, reason: Value<'js>) {
        let _ = self.reject.call::<_, ()>((reason,));
    }

    /// Sets [[PromiseIsHandled]]: its rejection is never reported as unhandled.
    pub fn mark_handled(&self, ctx: &Ctx<'js>) {
        let _ = callback::mark_as_handled(ctx, &self.promise);
    }
}

/// "A promise resolved with" `value`.
pub fn promise_resolved_with<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Fallible<Promise<'js>> {
    glue::resolved_promise(ctx, value)
}

/// "A promise rejected with" `reason`.
pub fn promise_rejected_with<'js>(ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
    let d = Deferred::new(ctx)?;
    d.reject(reason);
    Ok(d.promise)
}

/// A Rust underlying source (a body, a Blob).
pub trait NativeSource<'js> {
    /// The pull algorithm: called when the stream wants more; enqueue through `controller`
    /// (now or later: [`StreamController::enqueue_bytes`], `close`, `error`, which work for
    /// a default and a byte stream controller alike), and settle the returned promise once
    /// this pull is done.
    fn pull(&self, ctx: &Ctx<'js>, controller: &StreamController<'js>) -> Fallible<Promise<'js>>;
    /// The cancel algorithm: stop producing.
    fn cancel(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>>;
    /// Traces the JS values the source holds.
    fn trace_source<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// A controller's [[pullAlgorithm]] and [[cancelAlgorithm]].
#[derive(Clone)]
pub enum SourceAlgorithms<'js> {
    /// The underlying source object's `pull` and `cancel`, called with it as `this`.
    Script {
        source: Value<'js>,
        pull: Option<UnderlyingSourcePullCallback<'js>>,
        cancel: Option<UnderlyingSourceCancelCallback<'js>>,
    },
    Native(Rc<dyn NativeSource<'js> + 'js>),
    /// A tee branch's (with its index).
    Tee(TeeState<'js>, usize),
    /// A byte stream tee branch's (with its index).
    ByteTee(ByteTeeState<'js>, usize),
}

impl<'js> Trace<'js> for SourceAlgorithms<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            SourceAlgorithms::Script {
                source,
                pull,
                cancel,
            } => {
                source.trace(tracer);
                if let Some(p) = pull {
                    p.callback.trace(tracer);
                }
                if let Some(c) = cancel {
                    c.callback.trace(tracer);
                }
            }
            SourceAlgorithms::Native(n) => n.trace_source(tracer),
            SourceAlgorithms::Tee(state, _) => state.trace(tracer),
            SourceAlgorithms::ByteTee(state, _) => state.trace(tracer),
        }
    }
}

impl<'js> SourceAlgorithms<'js> {
    /// The pull algorithm, a promise (an exception is a rejected promise).
    pub fn pull(
        &self,
        ctx: &Ctx<'js>,
        controller: &StreamController<'js>,
    ) -> Fallible<Promise<'js>> {
        let result = match self {
            SourceAlgorithms::Script { source, pull, .. } => match pull {
                Some(pull) => pull.call(ctx, source.clone(), controller.to_union()),
                None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
            },
            SourceAlgorithms::Native(n) => n.pull(ctx, controller),
            SourceAlgorithms::Tee(state, _) => tee_pull_algorithm(ctx, state),
            SourceAlgorithms::ByteTee(state, branch) => {
                byte_tee_pull_algorithm(ctx, state, *branch == 1)
            }
        };
        settle_exception(ctx, result)
    }

    /// The cancel algorithm, a promise.
    pub fn cancel(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        let result = match self {
            SourceAlgorithms::Script { source, cancel, .. } => match cancel {
                Some(cancel) => cancel.call(ctx, source.clone(), Some(reason)),
                None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
            },
            SourceAlgorithms::Native(n) => n.cancel(ctx, reason),
            SourceAlgorithms::Tee(state, branch) => {
                tee_cancel_algorithm(ctx, state, *branch, reason)
            }
            SourceAlgorithms::ByteTee(state, branch) => {
                byte_tee_cancel_algorithm(ctx, state, *branch, reason)
            }
        };
        settle_exception(ctx, result)
    }
}

/// An algorithm that threw returns a promise rejected with the exception.
fn settle_exception<'js>(ctx: &Ctx<'js>, result: Fallible<Promise<'js>>) -> Fallible<Promise<'js>> {
    match result {
        Ok(p) => Ok(p),
        Err(e) => promise_rejected_with(ctx, crate::dom::bindings::error::error_value(ctx, e)),
    }
}

/// What a pending read does with its outcome (<https://streams.spec.whatwg.org/#read-request>).
pub trait ReadRequest<'js> {
    fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>);
    fn close_steps(&self, ctx: &Ctx<'js>);
    fn error_steps(&self, ctx: &Ctx<'js>, e: Value<'js>);
    fn trace_request<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// What a pending BYOB read does with its outcome
/// (<https://streams.spec.whatwg.org/#read-into-request>).
pub trait ReadIntoRequest<'js> {
    fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>);
    /// `chunk` is undefined when the stream was canceled.
    fn close_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>);
    fn error_steps(&self, ctx: &Ctx<'js>, e: Value<'js>);
    fn trace_request<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// The read request of `reader.read()`: settles its promise.
pub struct PromiseReadRequest<'js>(pub Deferred<'js>);

impl<'js> ReadRequest<'js> for PromiseReadRequest<'js> {
    // Chunk steps: resolve with «[ "value" → chunk, "done" → false ]».
    fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
        self.0.resolve(read_result(ctx, Some(chunk), false));
    }
    // Close steps: resolve with «[ "value" → undefined, "done" → true ]».
    fn close_steps(&self, ctx: &Ctx<'js>) {
        self.0.resolve(read_result(
            ctx,
            Some(Value::new_undefined(ctx.clone())),
            true,
        ));
    }
    // Error steps: reject with e.
    fn error_steps(&self, _ctx: &Ctx<'js>, e: Value<'js>) {
        self.0.reject(e);
    }
    fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

/// A `ReadableStreamReadResult` as a JS object.
pub(crate) fn read_result<'js>(
    ctx: &Ctx<'js>,
    value: Option<Value<'js>>,
    done: bool,
) -> Value<'js> {
    ReadableStreamReadResult {
        done: Some(done),
        value,
    }
    .to_js(ctx)
    .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
}

impl<'js> ReadableStream<'js> {
    pub(crate) fn new_inherited() -> ReadableStream<'js> {
        // InitializeReadableStream: state "readable", no reader, no stored error, not
        // disturbed.
        ReadableStream {
            controller: DomRefCell::new(None),
            disturbed: Cell::new(false),
            reader: DomRefCell::new(None),
            state: Cell::new(StreamState::Readable),
            stored_error: DomRefCell::new(None),
            pending: DomRefCell::new(None),
        }
    }

    pub fn state(&self) -> StreamState {
        self.state.get()
    }

    pub fn is_disturbed(&self) -> bool {
        self.disturbed.get()
    }

    pub fn set_disturbed(&self) {
        self.disturbed.set(true);
    }

    pub fn stored_error(&self, ctx: &Ctx<'js>) -> Value<'js> {
        self.stored_error
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
    }

    /// [[controller]] if it is a default controller.
    pub fn controller(&self) -> Option<Dom<'js, ReadableStreamDefaultController<'js>>> {
        match self.controller.borrow().as_ref() {
            Some(StreamController::Default(c)) => Some(c.clone()),
            _ => None,
        }
    }

    /// [[controller]] if it is a byte stream controller.
    pub fn byte_controller(&self) -> Option<Dom<'js, ReadableByteStreamController<'js>>> {
        match self.controller.borrow().as_ref() {
            Some(StreamController::Byte(c)) => Some(c.clone()),
            _ => None,
        }
    }

    /// [[controller]]
    pub fn stream_controller(&self) -> Option<StreamController<'js>> {
        self.controller.borrow().clone()
    }

    pub fn set_controller(&self, controller: Dom<'js, ReadableStreamDefaultController<'js>>) {
        *self.controller.borrow_mut() = Some(StreamController::Default(controller));
    }

    pub fn set_stream_controller(&self, controller: StreamController<'js>) {
        *self.controller.borrow_mut() = Some(controller);
    }

    /// [[reader]] if it is a default reader.
    pub fn reader(&self) -> Option<Dom<'js, ReadableStreamDefaultReader<'js>>> {
        match self.reader.borrow().as_ref() {
            Some(StreamReader::Default(r)) => Some(r.clone()),
            _ => None,
        }
    }

    /// [[reader]] if it is a BYOB reader.
    pub fn byob_reader(&self) -> Option<Dom<'js, ReadableStreamBYOBReader<'js>>> {
        match self.reader.borrow().as_ref() {
            Some(StreamReader::Byob(r)) => Some(r.clone()),
            _ => None,
        }
    }

    /// [[reader]]
    pub fn stream_reader(&self) -> Option<StreamReader<'js>> {
        self.reader.borrow().clone()
    }

    pub fn set_reader(&self, reader: Option<Dom<'js, ReadableStreamDefaultReader<'js>>>) {
        *self.reader.borrow_mut() = reader.map(StreamReader::Default);
    }

    pub fn set_stream_reader(&self, reader: Option<StreamReader<'js>>) {
        *self.reader.borrow_mut() = reader;
    }

    /// <https://streams.spec.whatwg.org/#is-readable-stream-locked>
    pub fn is_locked(&self) -> bool {
        self.reader.borrow().is_some()
    }

    /// <https://streams.spec.whatwg.org/#create-readable-stream> for a Rust source, with
    /// high-water mark `hwm` (in chunks) and the size algorithm returning 1.
    pub fn create_native(
        ctx: &Ctx<'js>,
        source: Rc<dyn NativeSource<'js> + 'js>,
        hwm: f64,
    ) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        // Steps 1-4. A new stream, initialized, and a new controller set up with the
        // algorithms (the start algorithm returns undefined).
        let stream = reflect_dom_object(ctx, ReadableStream::new_inherited())?;
        ReadableStreamDefaultController::set_up(
            ctx,
            &stream,
            SourceAlgorithms::Native(source),
            None,
            hwm,
            None,
        )?;
        Ok(stream)
    }

    /// <https://streams.spec.whatwg.org/#readablestream-set-up-with-byte-reading-support>
    /// for a Rust source: a byte stream (so it can be read with a BYOB reader) whose
    /// high-water mark is 0, so `source` is pulled only while a read is waiting.
    pub fn create_native_bytes(
        ctx: &Ctx<'js>,
        source: Rc<dyn NativeSource<'js> + 'js>,
    ) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        // Step 1. startAlgorithm returns undefined (none given).
        // Steps 2-3. The pull and cancel algorithms: the source's, a promise each (an
        // exception is a rejected promise: SourceAlgorithms::pull and cancel).
        // Step 4. ! InitializeReadableStream(stream).
        let stream = reflect_dom_object(ctx, ReadableStream::new_inherited())?;
        // Steps 5-6. A new ReadableByteStreamController, ! SetUpReadableByteStreamController(
        // stream, controller, startAlgorithm, pullAlgorithmWrapper, cancelAlgorithmWrapper,
        // highWaterMark 0, undefined).
        set_up_readable_byte_stream_controller(
            ctx,
            &stream,
            None,
            SourceAlgorithms::Native(source),
            0.0,
            None,
        )?;
        Ok(stream)
    }

    /// A byte stream of `bytes`, then closed (a body made from bytes, a Blob's stream): the
    /// bytes are enqueued as the stream pulls, "pull from bytes": into a waiting BYOB
    /// read's view, as much as it holds, or else as a Uint8Array of at most `chunk` bytes.
    /// The stream closes once they are all read (so a BYOB read with a `min` larger than
    /// what is left ends done with what there was).
    pub fn from_shared_bytes(
        ctx: &Ctx<'js>,
        bytes: std::sync::Arc<Vec<u8>>,
        chunk: usize,
    ) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        ReadableStream::create_native_bytes(
            ctx,
            Rc::new(BytesSource {
                bytes,
                offset: Cell::new(0),
                chunk: chunk.max(1),
            }),
        )
    }

    /// [`Self::from_shared_bytes`] of a copy of `bytes`, in one chunk.
    pub fn from_bytes(ctx: &Ctx<'js>, bytes: &[u8]) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        ReadableStream::from_shared_bytes(ctx, std::sync::Arc::new(bytes.to_vec()), usize::MAX)
    }
}

/// The underlying byte source of [`ReadableStream::from_shared_bytes`]: bytes not read yet
/// stay here (they are the backpressure).
struct BytesSource {
    bytes: std::sync::Arc<Vec<u8>>,
    offset: Cell<usize>,
    /// The most a chunk holds when no BYOB read waits.
    chunk: usize,
}

impl<'js> NativeSource<'js> for BytesSource {
    /// <https://streams.spec.whatwg.org/#readablestream-pull-from-bytes>, then close at
    /// the end.
    fn pull(&self, ctx: &Ctx<'js>, controller: &StreamController<'js>) -> Fallible<Promise<'js>> {
        let start = self.offset.get().min(self.bytes.len());
        // Step 2. available: what is left.
        let available = self.bytes.len() - start;
        if available > 0 {
            // Steps 3-4. desiredSize: available, or the current BYOB request view's byte
            // length (at most one chunk's when there is none).
            let desired_size = match controller.current_byob_request_view(ctx)? {
                Some(view) => view_parts(&view)?.byte_length,
                None => self.chunk,
            };
            // Steps 5-7. pullSize: the smaller; pulled: that many bytes, removed.
            let pull_size = available.min(desired_size);
            let end = start + pull_size;
            self.offset.set(end);
            // Steps 8-9. Written into the view and responded to, or enqueued as a new
            // Uint8Array.
            controller.enqueue_bytes(ctx, &self.bytes[start..end])?;
        }
        // All read: close the stream (a BYOB read still waiting gets what it has, done).
        if self.offset.get() >= self.bytes.len() {
            controller.close(ctx);
        }
        promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
    }
    /// Cancelled: nothing more is read.
    fn cancel(&self, ctx: &Ctx<'js>, _reason: Value<'js>) -> Fallible<Promise<'js>> {
        self.offset.set(self.bytes.len());
        promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-add-read-request>
pub fn readable_stream_add_read_request<'js>(
    stream: &ReadableStream<'js>,
    request: Box<dyn ReadRequest<'js> + 'js>,
) {
    // Steps 1-2 (asserts). Step 3. Append readRequest to the reader's [[readRequests]].
    if let Some(reader) = stream.reader() {
        reader.push_read_request(request);
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-cancel>
pub fn readable_stream_cancel<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    // Step 1. Set stream.[[disturbed]] to true.
    stream.disturbed.set(true);
    match stream.state.get() {
        // Step 2. Closed: a promise resolved with undefined.
        StreamState::Closed => {
            return promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
        }
        // Step 3. Errored: a promise rejected with the stored error.
        StreamState::Errored => return promise_rejected_with(ctx, stream.stored_error(ctx)),
        StreamState::Readable => {}
    }
    // Step 4. ReadableStreamClose(stream).
    readable_stream_close(ctx, stream);
    // Steps 5-6. A BYOB reader: its read-into requests get their close steps (undefined).
    if let Some(reader) = stream.byob_reader() {
        for request in reader.take_read_into_requests() {
            request.close_steps(ctx, Value::new_undefined(ctx.clone()));
        }
    }
    // Step 7. sourceCancelPromise = controller.[[CancelSteps]](reason).
    let Some(controller) = stream.stream_controller() else {
        return promise_resolved_with(ctx, Value::new_undefined(ctx.clone()));
    };
    let source_cancel = controller.cancel_steps(ctx, reason)?;
    // Step 8. React: fulfilled with undefined.
    let (result, resolve, reject) = ctx.promise()?;
    fn fulfilled<'a, 'js>(
        (resolve, _): &(Function<'js>, Function<'js>),
        params: &Params<'a, 'js>,
    ) -> Fallible<Value<'js>> {
        resolve.call::<_, ()>(())?;
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    fn rejected<'a, 'js>(
        (_, reject): &(Function<'js>, Function<'js>),
        params: &Params<'a, 'js>,
    ) -> Fallible<Value<'js>> {
        reject.call::<_, ()>((glue::arg(params, 0),))?;
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    callback::react(ctx, &source_cancel, (resolve, reject), fulfilled, rejected)?;
    Ok(result)
}

/// <https://streams.spec.whatwg.org/#readable-stream-close>
pub fn readable_stream_close<'js>(ctx: &Ctx<'js>, stream: &ReadableStream<'js>) {
    // Steps 1-2. The state becomes "closed".
    stream.state.set(StreamState::Closed);
    // Steps 3-4. Without a reader, return.
    let Some(reader) = stream.stream_reader() else {
        return;
    };
    // Step 5. Resolve reader.[[closedPromise]] with undefined.
    reader
        .generic()
        .closed_deferred()
        .resolve(Value::new_undefined(ctx.clone()));
    // Step 6. A default reader: its read requests get their close steps.
    if let StreamReader::Default(reader) = reader {
        for request in reader.take_read_requests() {
            request.close_steps(ctx);
        }
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-error>
pub fn readable_stream_error<'js>(ctx: &Ctx<'js>, stream: &ReadableStream<'js>, e: Value<'js>) {
    // Steps 1-3. The state becomes "errored", with e stored.
    stream.state.set(StreamState::Errored);
    *stream.stored_error.borrow_mut() = Some(e.clone());
    // Steps 4-5. Without a reader, return.
    let Some(reader) = stream.stream_reader() else {
        return;
    };
    // Steps 6-7. Reject reader.[[closedPromise]] with e, marked handled.
    let closed = reader.generic().closed_deferred();
    closed.reject(e.clone());
    closed.mark_handled(ctx);
    match reader {
        // Step 8. ReadableStreamDefaultReaderErrorReadRequests(reader, e).
        StreamReader::Default(reader) => {
            readable_stream_default_reader_error_read_requests(ctx, &reader, e)
        }
        // Step 9. ReadableStreamBYOBReaderErrorReadIntoRequests(reader, e).
        StreamReader::Byob(reader) => {
            readable_stream_byob_reader_error_read_into_requests(ctx, &reader, e)
        }
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaultreadererrorreadrequests>
pub fn readable_stream_default_reader_error_read_requests<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamDefaultReader<'js>,
    e: Value<'js>,
) {
    // Steps 1-3. Take the read requests and run their error steps.
    for request in reader.take_read_requests() {
        request.error_steps(ctx, e.clone());
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-fulfill-read-request>
pub fn readable_stream_fulfill_read_request<'js>(
    ctx: &Ctx<'js>,
    stream: &ReadableStream<'js>,
    chunk: Value<'js>,
    done: bool,
) {
    // Steps 1-4. The first read request, removed.
    let Some(request) = stream.reader().and_then(|r| r.shift_read_request()) else {
        return;
    };
    // Steps 5-6. Its close steps if done, else its chunk steps.
    if done {
        request.close_steps(ctx);
    } else {
        request.chunk_steps(ctx, chunk);
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-add-read-into-request>
pub fn readable_stream_add_read_into_request<'js>(
    stream: &ReadableStream<'js>,
    request: Box<dyn ReadIntoRequest<'js> + 'js>,
) {
    // Steps 1-2 (asserts). Step 3. Append readIntoRequest to the reader's
    // [[readIntoRequests]].
    if let Some(reader) = stream.byob_reader() {
        reader.push_read_into_request(request);
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-fulfill-read-into-request>
pub fn readable_stream_fulfill_read_into_request<'js>(
    ctx: &Ctx<'js>,
    stream: &ReadableStream<'js>,
    chunk: Value<'js>,
    done: bool,
) {
    // Steps 1-5. The first read-into request, removed.
    let Some(request) = stream
        .byob_reader()
        .and_then(|r| r.shift_read_into_request())
    else {
        return;
    };
    // Steps 6-7. Its close steps if done, else its chunk steps.
    if done {
        request.close_steps(ctx, chunk);
    } else {
        request.chunk_steps(ctx, chunk);
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-get-num-read-into-requests>
pub fn readable_stream_get_num_read_into_requests(stream: &ReadableStream<'_>) -> usize {
    stream
        .byob_reader()
        .map_or(0, |r| r.num_read_into_requests())
}

/// <https://streams.spec.whatwg.org/#readable-stream-has-byob-reader>
pub fn readable_stream_has_byob_reader(stream: &ReadableStream<'_>) -> bool {
    stream.byob_reader().is_some()
}

/// <https://streams.spec.whatwg.org/#readable-stream-get-num-read-requests>
pub fn readable_stream_get_num_read_requests(stream: &ReadableStream<'_>) -> usize {
    stream.reader().map_or(0, |r| r.num_read_requests())
}

/// <https://streams.spec.whatwg.org/#readable-stream-has-default-reader>
pub fn readable_stream_has_default_reader(stream: &ReadableStream<'_>) -> bool {
    stream.reader().is_some()
}

/// <https://streams.spec.whatwg.org/#acquire-readable-stream-reader>
pub fn acquire_readable_stream_default_reader<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
) -> Fallible<Dom<'js, ReadableStreamDefaultReader<'js>>> {
    // Steps 1-3. A new reader, set up (a locked stream is a TypeError).
    let reader = reflect_dom_object(ctx, ReadableStreamDefaultReader::new_inherited(ctx)?)?;
    ReadableStreamDefaultReader::set_up(ctx, &reader, stream)?;
    Ok(reader)
}

/// Reads every chunk of `stream` (which must be unlocked) with a new reader: each chunk
/// goes to `on_chunk`, then `on_end` gets Ok at the close or the error. For Rust
/// consumers (a body read whole, a stream uploaded).
pub fn read_all<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    consumer: Rc<dyn StreamConsumer<'js> + 'js>,
) -> Fallible<()> {
    let reader = acquire_readable_stream_default_reader(ctx, stream)?;
    read_loop(ctx, reader, consumer);
    Ok(())
}

/// What [`read_all`] hands the chunks and the end to.
pub trait StreamConsumer<'js> {
    /// A chunk; `Err` stops reading (the stream is cancelled with the error).
    fn chunk(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<()>;
    /// The end: Ok when the stream closed, the error otherwise.
    fn end(&self, ctx: &Ctx<'js>, result: Result<(), Value<'js>>);
    fn trace_consumer<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// One read of [`read_all`]'s loop: chunks read again (in a microtask-free loop while the
/// queue has chunks; the next pull otherwise).
fn read_loop<'js>(
    ctx: &Ctx<'js>,
    reader: Dom<'js, ReadableStreamDefaultReader<'js>>,
    consumer: Rc<dyn StreamConsumer<'js> + 'js>,
) {
    struct LoopRequest<'js> {
        reader: Dom<'js, ReadableStreamDefaultReader<'js>>,
        consumer: Rc<dyn StreamConsumer<'js> + 'js>,
    }
    impl<'js> ReadRequest<'js> for LoopRequest<'js> {
        fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
            match self.consumer.chunk(ctx, chunk) {
                Ok(()) => {
                    // The next read, in a microtask (a chunk step must not re-enter the
                    // controller that is calling it, nor recurse once per queued chunk).
                    let state = ReaderState(self.reader.clone(), self.consumer.clone());
                    fn next<'a, 'js>(
                        state: &ReaderState<'js>,
                        params: &Params<'a, 'js>,
                    ) -> Fallible<Value<'js>> {
                        read_loop(params.ctx(), state.0.clone(), state.1.clone());
                        Ok(Value::new_undefined(params.ctx().clone()))
                    }
                    let scheduled = promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
                        .and_then(|p| callback::react(ctx, &p, state, next, next));
                    if let Err(e) = scheduled {
                        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
                    }
                }
                Err(e) => {
                    let reason = crate::dom::bindings::error::error_value(ctx, e);
                    let _ =
                        readable_stream_reader_generic_cancel(ctx, &*self.reader, reason.clone());
                    self.consumer.end(ctx, Err(reason));
                }
            }
        }
        // (The reader is never released: a stream read whole stays locked, as Fetch's
        // "fully read" leaves it.)
        fn close_steps(&self, ctx: &Ctx<'js>) {
            self.consumer.end(ctx, Ok(()));
        }
        fn error_steps(&self, ctx: &Ctx<'js>, e: Value<'js>) {
            self.consumer.end(ctx, Err(e));
        }
        fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.reader.trace(tracer);
            self.consumer.trace_consumer(tracer);
        }
    }
    #[derive(Clone)]
    struct ReaderState<'js>(
        Dom<'js, ReadableStreamDefaultReader<'js>>,
        Rc<dyn StreamConsumer<'js> + 'js>,
    );
    impl<'js> Trace<'js> for ReaderState<'js> {
        fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer);
            self.1.trace_consumer(tracer);
        }
    }
    let request = LoopRequest {
        reader: reader.clone(),
        consumer,
    };
    readable_stream_default_reader_read(ctx, &reader, Box::new(request));
}

/// <https://streams.spec.whatwg.org/#readable-stream-default-reader-read>
pub fn readable_stream_default_reader_read<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamDefaultReader<'js>,
    request: Box<dyn ReadRequest<'js> + 'js>,
) {
    // Steps 1-2. The reader's stream.
    let Some(stream) = reader.stream() else {
        return request.error_steps(
            ctx,
            crate::dom::bindings::error::error_value(
                ctx,
                Error::Type("the reader was released".into()),
            ),
        );
    };
    // Step 3. Set stream.[[disturbed]] to true.
    stream.disturbed.set(true);
    match stream.state.get() {
        // Step 4. Closed: the close steps.
        StreamState::Closed => request.close_steps(ctx),
        // Step 5. Errored: the error steps with the stored error.
        StreamState::Errored => request.error_steps(ctx, stream.stored_error(ctx)),
        // Step 6. Otherwise the controller's [[PullSteps]].
        StreamState::Readable => match stream.stream_controller() {
            Some(controller) => controller.pull_steps(ctx, request),
            None => request.error_steps(
                ctx,
                crate::dom::bindings::error::error_value(
                    ctx,
                    Error::Type("the stream has no controller".into()),
                ),
            ),
        },
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-reader-generic-cancel>
pub fn readable_stream_reader_generic_cancel<'js>(
    ctx: &Ctx<'js>,
    reader: &dyn GenericReader<'js>,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    // Steps 1-3. ReadableStreamCancel(reader's stream, reason).
    let Some(stream) = reader.stream() else {
        return promise_rejected_with(
            ctx,
            crate::dom::bindings::error::error_value(
                ctx,
                Error::Type("the reader was released".into()),
            ),
        );
    };
    readable_stream_cancel(ctx, &stream, reason)
}

/// <https://streams.spec.whatwg.org/#readable-stream-reader-generic-initialize>
pub fn readable_stream_reader_generic_initialize<'js>(
    ctx: &Ctx<'js>,
    reader: StreamReader<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
) {
    // Steps 1-2. Link the reader and the stream.
    reader.generic().set_stream(Some(stream.clone()));
    stream.set_stream_reader(Some(reader.clone()));
    let closed = reader.generic().closed_deferred();
    match stream.state() {
        // Step 3. Readable: [[closedPromise]] is a new promise (it is).
        StreamState::Readable => {}
        // Step 4. Closed: resolved with undefined.
        StreamState::Closed => closed.resolve(Value::new_undefined(ctx.clone())),
        // Step 5. Errored: rejected with the stored error, handled.
        StreamState::Errored => {
            closed.reject(stream.stored_error(ctx));
            closed.mark_handled(ctx);
        }
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaultreaderrelease>
pub fn readable_stream_default_reader_release<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamDefaultReader<'js>,
) {
    // Step 1. ReadableStreamReaderGenericRelease(reader).
    let Some(stream) = reader.stream() else {
        return;
    };
    readable_stream_reader_generic_release(ctx, reader, &stream);
    // Steps 2-3. Pending reads error with a TypeError.
    let e = crate::dom::bindings::error::error_value(
        ctx,
        Error::Type("the reader's lock was released".into()),
    );
    readable_stream_default_reader_error_read_requests(ctx, reader, e);
}

/// <https://streams.spec.whatwg.org/#readable-stream-reader-generic-release>
pub fn readable_stream_reader_generic_release<'js>(
    ctx: &Ctx<'js>,
    reader: &dyn GenericReader<'js>,
    stream: &ReadableStream<'js>,
) {
    let e = crate::dom::bindings::error::error_value(
        ctx,
        Error::Type("the reader's lock was released".into()),
    );
    // Steps 4-5. Reject (or replace with a rejected) [[closedPromise]] with a TypeError.
    if stream.state.get() == StreamState::Readable {
        reader.closed_deferred().reject(e);
    } else if let Ok(d) = Deferred::new(ctx) {
        d.reject(e);
        reader.set_closed_deferred(d);
    }
    // Step 6. Set [[PromiseIsHandled]].
    reader.closed_deferred().mark_handled(ctx);
    // Step 7. The stream's controller's [[ReleaseSteps]].
    if let Some(controller) = stream.stream_controller() {
        controller.release_steps();
    }
    // Steps 8-9. Unlock.
    stream.set_stream_reader(None);
    reader.set_stream(None);
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaulttee>: the state the
/// two branches share. Its JS values live in a plain JS object that every holder references
/// (and traces) like any other JS value; only flags are shared from Rust.
#[derive(Clone)]
pub struct TeeState<'js> {
    /// stream, reader, branch0, branch1, reason0, reason1, and cancelPromise with its
    /// resolving functions.
    js: Object<'js>,
    flags: Rc<TeeFlags>,
}

#[derive(Default)]
struct TeeFlags {
    /// cloneForBranch2: the second branch gets structured clones of the chunks.
    clone_for_branch2: bool,
    reading: Cell<bool>,
    read_again: Cell<bool>,
    canceled: [Cell<bool>; 2],
}

impl<'js> Trace<'js> for TeeState<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.js.trace(tracer);
    }
}

impl<'js> TeeState<'js> {
    fn get<T: DomInterface<'js>>(&self, key: &str) -> Option<Dom<'js, T>> {
        self.js
            .get::<_, Value>(key)
            .ok()
            .and_then(|v| T::unwrap(&v))
    }
    fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.get("stream")
    }
    fn reader(&self) -> Option<Dom<'js, ReadableStreamDefaultReader<'js>>> {
        self.get("reader")
    }
    fn branch(&self, i: usize) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.get(if i == 0 { "branch0" } else { "branch1" })
    }
    fn branches(&self) -> Vec<Dom<'js, ReadableStream<'js>>> {
        (0..2).filter_map(|i| self.branch(i)).collect()
    }
    fn reason(&self, ctx: &Ctx<'js>, i: usize) -> Value<'js> {
        self.js
            .get(if i == 0 { "reason0" } else { "reason1" })
            .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
    }
    fn set_reason(&self, i: usize, reason: Value<'js>) {
        let _ = self
            .js
            .set(if i == 0 { "reason0" } else { "reason1" }, reason);
    }
    fn cancel_promise(&self) -> Option<Promise<'js>> {
        self.js.get("cancelPromise").ok()
    }
    fn resolve_cancel_promise(&self, value: Value<'js>) {
        if let Ok(resolve) = self.js.get::<_, Function>("cancelResolve") {
            let _ = resolve.call::<_, ()>((value,));
        }
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-tee> (ReadableStreamDefaultTee):
/// with `clone_for_branch2`, the second branch gets structured clones of the chunks (what
/// other specifications' "tee" does: a Response's clone).
pub fn readable_stream_tee<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    clone_for_branch2: bool,
) -> Fallible<Vec<Dom<'js, ReadableStream<'js>>>> {
    // ReadableStreamTee step 3. A byte stream: ReadableByteStreamTee(stream).
    if stream.byte_controller().is_some() {
        return readable_byte_stream_tee(ctx, stream);
    }
    // ReadableStreamDefaultTee. Steps 3-12. The reader and the shared state.
    let reader = acquire_readable_stream_default_reader(ctx, stream)?;
    let js = Object::new(ctx.clone())?;
    js.set("stream", stream.reflector().clone())?;
    js.set("reader", reader.reflector().clone())?;
    let cancel = Deferred::new(ctx)?;
    js.set("cancelPromise", cancel.promise.clone())?;
    js.set("cancelResolve", cancel.resolve.clone())?;
    let state = TeeState {
        js: js.clone(),
        flags: Rc::new(TeeFlags {
            clone_for_branch2,
            ..TeeFlags::default()
        }),
    };
    // Steps 16-18. The branches: CreateReadableStream with the tee's algorithms.
    let mut branches = Vec::new();
    for i in 0..2 {
        let branch = reflect_dom_object(ctx, ReadableStream::new_inherited())?;
        ReadableStreamDefaultController::set_up(
            ctx,
            &branch,
            SourceAlgorithms::Tee(state.clone(), i),
            None,
            1.0,
            None,
        )?;
        js.set(
            if i == 0 { "branch0" } else { "branch1" },
            branch.reflector().clone(),
        )?;
        branches.push(branch);
    }
    // Step 19. Upon rejection of reader.[[closedPromise]] with r: error both branches
    // and resolve cancelPromise unless both were canceled.
    fn ignore<'a, 'js>(_: &TeeState<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    fn closed_rejected<'a, 'js>(
        state: &TeeState<'js>,
        params: &Params<'a, 'js>,
    ) -> Fallible<Value<'js>> {
        let ctx = params.ctx();
        let r = glue::arg(params, 0);
        for branch in state.branches() {
            if let Some(c) = branch.controller() {
                c.error_stream(ctx, r.clone());
            }
        }
        if !state.flags.canceled[0].get() || !state.flags.canceled[1].get() {
            state.resolve_cancel_promise(Value::new_undefined(ctx.clone()));
        }
        Ok(Value::new_undefined(ctx.clone()))
    }
    callback::react(
        ctx,
        &reader.closed_deferred().promise,
        state,
        ignore,
        closed_rejected,
    )?;
    Ok(branches)
}

/// The tee's pullAlgorithm (ReadableStreamDefaultTee step 13).
fn tee_pull_algorithm<'js>(ctx: &Ctx<'js>, state: &TeeState<'js>) -> Fallible<Promise<'js>> {
    let undefined = || Value::new_undefined(ctx.clone());
    // Step 13.1. Already reading: read again later.
    if state.flags.reading.get() {
        state.flags.read_again.set(true);
        return promise_resolved_with(ctx, undefined());
    }
    // Step 13.2. Reading.
    state.flags.reading.set(true);
    struct TeeRead<'js>(TeeState<'js>);
    impl<'js> ReadRequest<'js> for TeeRead<'js> {
        // Chunk steps: queue a microtask in which both branches that are not canceled get
        // the chunk (an error of the source reaches the branches first).
        fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
            #[derive(Clone)]
            struct Pending<'js>(TeeState<'js>, Value<'js>);
            impl<'js> Trace<'js> for Pending<'js> {
                fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                    self.0.trace(tracer);
                    self.1.trace(tracer);
                }
            }
            fn microtask<'a, 'js>(
                pending: &Pending<'js>,
                params: &Params<'a, 'js>,
            ) -> Fallible<Value<'js>> {
                let (ctx, state, chunk) = (params.ctx(), &pending.0, &pending.1);
                // Steps 1-2. readAgain false; chunk1 and chunk2 are chunk.
                state.flags.read_again.set(false);
                let mut chunks = [chunk.clone(), chunk.clone()];
                // Step 3. cloneForBranch2 (and branch 2 not canceled): chunk2 is a
                // structured clone; a chunk that cannot be cloned errors both branches and
                // cancels the stream.
                if state.flags.clone_for_branch2 && !state.flags.canceled[1].get() {
                    let cloned = crate::dom::bindings::structuredclone::serialize(
                        ctx,
                        chunk.clone(),
                        Vec::new(),
                    )
                    .and_then(|s| crate::dom::bindings::structuredclone::deserialize(ctx, s));
                    match cloned {
                        Ok(c) => chunks[1] = c,
                        Err(e) => {
                            let e = crate::dom::bindings::error::error_value(ctx, e);
                            for branch in state.branches() {
                                if let Some(c) = branch.controller() {
                                    c.error_stream(ctx, e.clone());
                                }
                            }
                            if let Some(stream) = state.stream() {
                                let result = readable_stream_cancel(ctx, &stream, e)?;
                                state.resolve_cancel_promise(result.into_value());
                            }
                            return Ok(Value::new_undefined(ctx.clone()));
                        }
                    }
                }
                // Step 4. Enqueue in each branch not canceled.
                for (i, branch) in state.branches().iter().enumerate() {
                    if !state.flags.canceled[i].get() {
                        if let Some(c) = branch.controller() {
                            let _ = c.enqueue_chunk(ctx, chunks[i].clone());
                        }
                    }
                }
                // Steps 5-6. Not reading; read again if asked meanwhile.
                state.flags.reading.set(false);
                if state.flags.read_again.get() {
                    tee_pull_algorithm(ctx, state)?;
                }
                Ok(Value::new_undefined(ctx.clone()))
            }
            let pending = Pending(self.0.clone(), chunk);
            let queued = promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
                .and_then(|p| callback::react(ctx, &p, pending, microtask, microtask));
            if let Err(e) = queued {
                crate::dom::globalscope::GlobalScope::report_error(ctx, e);
            }
        }
        // Close steps: close the branches not canceled; resolve cancelPromise unless
        // both were canceled.
        fn close_steps(&self, ctx: &Ctx<'js>) {
            let state = &self.0;
            state.flags.reading.set(false);
            for (i, branch) in state.branches().iter().enumerate() {
                if !state.flags.canceled[i].get() {
                    if let Some(c) = branch.controller() {
                        c.close_stream(ctx);
                    }
                }
            }
            if !state.flags.canceled[0].get() || !state.flags.canceled[1].get() {
                state.resolve_cancel_promise(Value::new_undefined(ctx.clone()));
            }
        }
        // Error steps: reading is false (the closed promise's rejection errors the
        // branches).
        fn error_steps(&self, _ctx: &Ctx<'js>, _e: Value<'js>) {
            self.0.flags.reading.set(false);
        }
        fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer)
        }
    }
    // Step 13.4. ReadableStreamDefaultReaderRead(reader, readRequest).
    if let Some(reader) = state.reader() {
        readable_stream_default_reader_read(ctx, &reader, Box::new(TeeRead(state.clone())));
    }
    // Step 13.5. A promise resolved with undefined.
    promise_resolved_with(ctx, undefined())
}

/// The tee's cancel1Algorithm / cancel2Algorithm (ReadableStreamDefaultTee steps 14-15).
fn tee_cancel_algorithm<'js>(
    ctx: &Ctx<'js>,
    state: &TeeState<'js>,
    branch: usize,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    // Steps 1-2. This branch is canceled with reason.
    state.flags.canceled[branch].set(true);
    state.set_reason(branch, reason);
    // Step 3. Both canceled: cancel the stream with [reason1, reason2].
    if state.flags.canceled[1 - branch].get() {
        let reasons = rquickjs::Array::new(ctx.clone())?;
        for i in 0..2 {
            reasons.set(i, state.reason(ctx, i))?;
        }
        if let Some(stream) = state.stream() {
            let cancel_result = readable_stream_cancel(ctx, &stream, reasons.into_value())?;
            // Resolve cancelPromise with cancelResult.
            state.resolve_cancel_promise(cancel_result.into_value());
        }
    }
    // Step 4. Return cancelPromise.
    match state.cancel_promise() {
        Some(p) => Ok(p),
        None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee>: the state the two
/// branches share. Its JS values (stream, reader, branch0, branch1, reason0, reason1,
/// cancelPromise with its resolve function) live in a plain JS object, as [`TeeState`]'s.
#[derive(Clone)]
pub struct ByteTeeState<'js> {
    js: Object<'js>,
    flags: Rc<ByteTeeFlags>,
}

#[derive(Default)]
struct ByteTeeFlags {
    reading: Cell<bool>,
    read_again_for_branch: [Cell<bool>; 2],
    canceled: [Cell<bool>; 2],
}

impl<'js> Trace<'js> for ByteTeeState<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.js.trace(tracer);
    }
}

impl<'js> ByteTeeState<'js> {
    fn get<T: DomInterface<'js>>(&self, key: &str) -> Option<Dom<'js, T>> {
        self.js
            .get::<_, Value>(key)
            .ok()
            .and_then(|v| T::unwrap(&v))
    }
    fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.get("stream")
    }
    /// The reader: a default or a BYOB reader (the tee switches between them).
    fn reader(&self) -> Option<StreamReader<'js>> {
        if let Some(r) = self.get::<ReadableStreamDefaultReader>("reader") {
            return Some(StreamReader::Default(r));
        }
        self.get::<ReadableStreamBYOBReader>("reader")
            .map(StreamReader::Byob)
    }
    fn reader_value(&self) -> Option<Value<'js>> {
        self.js.get::<_, Value>("reader").ok()
    }
    fn set_reader(&self, reader: Value<'js>) {
        let _ = self.js.set("reader", reader);
    }
    fn branch(&self, i: usize) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.get(if i == 0 { "branch0" } else { "branch1" })
    }
    fn controller(&self, i: usize) -> Option<Dom<'js, ReadableByteStreamController<'js>>> {
        self.branch(i).and_then(|b| b.byte_controller())
    }
    fn reason(&self, ctx: &Ctx<'js>, i: usize) -> Value<'js> {
        self.js
            .get(if i == 0 { "reason0" } else { "reason1" })
            .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
    }
    fn set_reason(&self, i: usize, reason: Value<'js>) {
        let _ = self
            .js
            .set(if i == 0 { "reason0" } else { "reason1" }, reason);
    }
    fn cancel_promise(&self) -> Option<Promise<'js>> {
        self.js.get("cancelPromise").ok()
    }
    fn resolve_cancel_promise(&self, value: Value<'js>) {
        if let Ok(resolve) = self.js.get::<_, Function>("cancelResolve") {
            let _ = resolve.call::<_, ()>((value,));
        }
    }
    fn canceled(&self, i: usize) -> bool {
        self.flags.canceled[i].get()
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee>
pub fn readable_byte_stream_tee<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
) -> Fallible<Vec<Dom<'js, ReadableStream<'js>>>> {
    // Steps 1-2 (asserts). Step 3. reader: ? AcquireReadableStreamDefaultReader(stream).
    let reader = acquire_readable_stream_default_reader(ctx, stream)?;
    // Steps 4-13. The flags, the reasons, the branches and cancelPromise.
    let js = Object::new(ctx.clone())?;
    js.set("stream", stream.reflector().clone())?;
    js.set("reader", reader.reflector().clone())?;
    let cancel = Deferred::new(ctx)?;
    js.set("cancelPromise", cancel.promise.clone())?;
    js.set("cancelResolve", cancel.resolve.clone())?;
    let state = ByteTeeState {
        js: js.clone(),
        flags: Rc::new(ByteTeeFlags::default()),
    };
    // Steps 14-21 are the functions below. Steps 22-23. The branches:
    // CreateReadableByteStream with the tee's algorithms (a high-water mark of 0).
    let mut branches = Vec::new();
    for i in 0..2 {
        let branch = reflect_dom_object(ctx, ReadableStream::new_inherited())?;
        set_up_readable_byte_stream_controller(
            ctx,
            &branch,
            None,
            SourceAlgorithms::ByteTee(state.clone(), i),
            0.0,
            None,
        )?;
        js.set(
            if i == 0 { "branch0" } else { "branch1" },
            branch.reflector().clone(),
        )?;
        branches.push(branch);
    }
    // Step 24. forwardReaderError, given reader.
    byte_tee_forward_reader_error(ctx, &state, &StreamReader::Default(reader))?;
    // Step 25. « branch1, branch2 ».
    Ok(branches)
}

/// ReadableByteStreamTee's forwardReaderError (step 14): an error of `this_reader`'s
/// stream errors both branches.
fn byte_tee_forward_reader_error<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
    this_reader: &StreamReader<'js>,
) -> Fallible<()> {
    #[derive(Clone)]
    struct Forward<'js>(ByteTeeState<'js>, Value<'js>);
    impl<'js> Trace<'js> for Forward<'js> {
        fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer);
            self.1.trace(tracer);
        }
    }
    fn ignore_fulfilled<'a, 'js>(
        _: &Forward<'js>,
        params: &Params<'a, 'js>,
    ) -> Fallible<Value<'js>> {
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    // Step 14.1. Upon rejection of thisReader.[[closedPromise]] with reason r,
    fn rejected<'a, 'js>(f: &Forward<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        let (ctx, state) = (params.ctx(), &f.0);
        let r = glue::arg(params, 0);
        // Step 14.1.1. thisReader is not reader: return.
        let current = state.reader_value();
        let same = match (
            current.as_ref().and_then(|v| v.as_object()),
            f.1.as_object(),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        if !same {
            return Ok(Value::new_undefined(ctx.clone()));
        }
        // Steps 14.1.2-14.1.3. Error both branches.
        for i in 0..2 {
            if let Some(c) = state.controller(i) {
                readable_byte_stream_controller_error(ctx, &c, r.clone());
            }
        }
        // Step 14.1.4. Resolve cancelPromise unless both were canceled.
        if !state.canceled(0) || !state.canceled(1) {
            state.resolve_cancel_promise(Value::new_undefined(ctx.clone()));
        }
        Ok(Value::new_undefined(ctx.clone()))
    }
    let (closed, value) = match this_reader {
        StreamReader::Default(r) => (r.closed_deferred(), r.reflector().clone().into_value()),
        StreamReader::Byob(r) => (
            GenericReader::closed_deferred(&**r),
            r.reflector().clone().into_value(),
        ),
    };
    callback::react(
        ctx,
        &closed.promise,
        Forward(state.clone(), value),
        ignore_fulfilled,
        rejected,
    )
}

/// CloneAsUint8Array(O) (<https://streams.spec.whatwg.org/#abstract-opdef-cloneasuint8array>).
fn clone_as_uint8_array<'js>(
    chunk: &Value<'js>,
) -> Fallible<crate::dom::bindings::conversions::BufferView<'js>> {
    use crate::dom::bindings::buffer_source::{clone_array_buffer, new_view, view_parts};
    use crate::dom::bindings::conversions::{BufferView, BufferViewKind};
    let object = chunk
        .as_object()
        .cloned()
        .ok_or_else(|| Error::Type("the chunk is not a view".into()))?;
    let parts = view_parts(&BufferView {
        object,
        kind: BufferViewKind::Uint8Array,
    })?;
    // Steps 1-3. The bytes, cloned.
    let buffer = clone_array_buffer(&parts.buffer, parts.byte_offset, parts.byte_length)?;
    // Step 4. Construct(%Uint8Array%, « buffer »).
    new_view(&buffer, BufferViewKind::Uint8Array, 0, parts.byte_length)
}

/// A chunk the tee read (a Uint8Array it made) as a view.
fn tee_chunk_view<'js>(
    chunk: &Value<'js>,
) -> Option<crate::dom::bindings::conversions::BufferView<'js>> {
    Some(crate::dom::bindings::conversions::BufferView {
        object: chunk.as_object()?.clone(),
        kind: crate::dom::bindings::conversions::BufferViewKind::Uint8Array,
    })
}

/// Queues a microtask running `steps` with the tee's state and the chunk.
fn byte_tee_queue_microtask<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
    chunk: Value<'js>,
    for_branch2: Option<bool>,
    steps: for<'a> fn(&ByteTeePending<'js>, &Params<'a, 'js>) -> Fallible<Value<'js>>,
) {
    let pending = ByteTeePending(state.clone(), chunk, for_branch2);
    let queued = promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
        .and_then(|p| callback::react(ctx, &p, pending, steps, steps));
    if let Err(e) = queued {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
}

#[derive(Clone)]
struct ByteTeePending<'js>(ByteTeeState<'js>, Value<'js>, Option<bool>);

impl<'js> Trace<'js> for ByteTeePending<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer);
        self.1.trace(tracer);
    }
}

/// The end of the tee's chunk steps: reading is false; pull again if asked meanwhile.
fn byte_tee_read_again<'js>(ctx: &Ctx<'js>, state: &ByteTeeState<'js>) {
    state.flags.reading.set(false);
    if state.flags.read_again_for_branch[0].get() {
        let _ = byte_tee_pull_algorithm(ctx, state, false);
    } else if state.flags.read_again_for_branch[1].get() {
        let _ = byte_tee_pull_algorithm(ctx, state, true);
    }
}

/// A clone failed: error both branches and cancel the stream with the error.
fn byte_tee_clone_failed<'js>(ctx: &Ctx<'js>, state: &ByteTeeState<'js>, e: Error) -> Fallible<()> {
    let e = crate::dom::bindings::error::error_value(ctx, e);
    for i in 0..2 {
        if let Some(c) = state.controller(i) {
            readable_byte_stream_controller_error(ctx, &c, e.clone());
        }
    }
    if let Some(stream) = state.stream() {
        let result = readable_stream_cancel(ctx, &stream, e)?;
        state.resolve_cancel_promise(result.into_value());
    }
    Ok(())
}

/// ReadableByteStreamTee's pullWithDefaultReader (step 15).
fn byte_tee_pull_with_default_reader<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
) -> Fallible<()> {
    // Step 15.1. A BYOB reader: release it and acquire a default reader.
    let reader = match state.reader() {
        Some(StreamReader::Byob(byob)) => {
            readable_stream_byob_reader_release(ctx, &byob);
            let stream = state
                .stream()
                .ok_or_else(|| Error::Type("the tee lost its stream".into()))?;
            let reader = acquire_readable_stream_default_reader(ctx, &stream)?;
            state.set_reader(reader.reflector().clone().into_value());
            byte_tee_forward_reader_error(ctx, state, &StreamReader::Default(reader.clone()))?;
            reader
        }
        Some(StreamReader::Default(reader)) => reader,
        None => return Err(Error::Type("the tee lost its reader".into())),
    };
    struct TeeDefaultRead<'js>(ByteTeeState<'js>);
    impl<'js> ReadRequest<'js> for TeeDefaultRead<'js> {
        // Chunk steps: queue a microtask.
        fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
            fn microtask<'a, 'js>(
                pending: &ByteTeePending<'js>,
                params: &Params<'a, 'js>,
            ) -> Fallible<Value<'js>> {
                let (ctx, state, chunk) = (params.ctx(), &pending.0, &pending.1);
                // Steps 1-2. readAgainForBranch1 and readAgainForBranch2 false.
                state.flags.read_again_for_branch[0].set(false);
                state.flags.read_again_for_branch[1].set(false);
                // Step 3. chunk1 and chunk2 are chunk.
                let chunk1 = tee_chunk_view(chunk);
                let mut chunk2 = chunk1.clone();
                // Step 4. Neither canceled: chunk2 is a clone.
                if !state.canceled(0) && !state.canceled(1) {
                    match clone_as_uint8_array(chunk) {
                        Ok(clone) => chunk2 = Some(clone),
                        Err(e) => {
                            byte_tee_clone_failed(ctx, state, e)?;
                            return Ok(Value::new_undefined(ctx.clone()));
                        }
                    }
                }
                // Steps 5-6. Enqueue in each branch not canceled.
                for (i, chunk) in [chunk1, chunk2].iter().enumerate() {
                    if state.canceled(i) {
                        continue;
                    }
                    if let (Some(c), Some(chunk)) = (state.controller(i), chunk) {
                        ignore(ctx, readable_byte_stream_controller_enqueue(ctx, &c, chunk));
                    }
                }
                // Steps 7-9. Not reading; pull again if asked.
                byte_tee_read_again(ctx, state);
                Ok(Value::new_undefined(ctx.clone()))
            }
            byte_tee_queue_microtask(ctx, &self.0, chunk, None, microtask);
        }
        // Close steps.
        fn close_steps(&self, ctx: &Ctx<'js>) {
            let state = &self.0;
            // Step 1. reading is false.
            state.flags.reading.set(false);
            // Steps 2-3. Close the branches not canceled.
            for i in 0..2 {
                if !state.canceled(i) {
                    if let Some(c) = state.controller(i) {
                        ignore(ctx, readable_byte_stream_controller_close(ctx, &c));
                    }
                }
            }
            // Steps 4-5. Pending BYOB reads of the branches: respond with 0.
            for i in 0..2 {
                if let Some(c) = state.controller(i) {
                    if c.has_pending_pull_intos() {
                        ignore(ctx, readable_byte_stream_controller_respond(ctx, &c, 0));
                    }
                }
            }
            // Step 6. Resolve cancelPromise unless both were canceled.
            if !state.canceled(0) || !state.canceled(1) {
                state.resolve_cancel_promise(Value::new_undefined(ctx.clone()));
            }
        }
        // Error steps: reading is false.
        fn error_steps(&self, _ctx: &Ctx<'js>, _e: Value<'js>) {
            self.0.flags.reading.set(false);
        }
        fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer)
        }
    }
    // Step 15.3. ! ReadableStreamDefaultReaderRead(reader, readRequest).
    readable_stream_default_reader_read(ctx, &reader, Box::new(TeeDefaultRead(state.clone())));
    Ok(())
}

/// ReadableByteStreamTee's pullWithBYOBReader (step 16), given view and forBranch2.
fn byte_tee_pull_with_byob_reader<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
    view: crate::dom::bindings::conversions::BufferView<'js>,
    for_branch2: bool,
) -> Fallible<()> {
    // Step 16.1. A default reader: release it and acquire a BYOB reader.
    let reader = match state.reader() {
        Some(StreamReader::Default(default)) => {
            readable_stream_default_reader_release(ctx, &default);
            let stream = state
                .stream()
                .ok_or_else(|| Error::Type("the tee lost its stream".into()))?;
            let reader = acquire_readable_stream_byob_reader(ctx, &stream)?;
            state.set_reader(reader.reflector().clone().into_value());
            byte_tee_forward_reader_error(ctx, state, &StreamReader::Byob(reader.clone()))?;
            reader
        }
        Some(StreamReader::Byob(reader)) => reader,
        None => return Err(Error::Type("the tee lost its reader".into())),
    };
    // Steps 16.2-16.4. The read-into request (byobBranch and otherBranch are found by
    // forBranch2 in its steps).
    struct TeeByobRead<'js>(ByteTeeState<'js>, bool);
    impl<'js> ReadIntoRequest<'js> for TeeByobRead<'js> {
        // Chunk steps: queue a microtask.
        fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
            fn microtask<'a, 'js>(
                pending: &ByteTeePending<'js>,
                params: &Params<'a, 'js>,
            ) -> Fallible<Value<'js>> {
                let (ctx, state, chunk) = (params.ctx(), &pending.0, &pending.1);
                let for_branch2 = pending.2.unwrap_or(false);
                let (byob, other) = if for_branch2 { (1, 0) } else { (0, 1) };
                // Steps 1-2. readAgainForBranch1 and readAgainForBranch2 false.
                state.flags.read_again_for_branch[0].set(false);
                state.flags.read_again_for_branch[1].set(false);
                // Steps 3-4. byobCanceled and otherCanceled.
                let (byob_canceled, other_canceled) = (state.canceled(byob), state.canceled(other));
                let chunk_view = tee_chunk_view(chunk);
                // Step 5. The other branch not canceled: it gets a clone.
                if !other_canceled {
                    let cloned = match clone_as_uint8_array(chunk) {
                        Ok(c) => c,
                        Err(e) => {
                            byte_tee_clone_failed(ctx, state, e)?;
                            return Ok(Value::new_undefined(ctx.clone()));
                        }
                    };
                    if !byob_canceled {
                        if let (Some(c), Some(v)) = (state.controller(byob), &chunk_view) {
                            ignore(
                                ctx,
                                readable_byte_stream_controller_respond_with_new_view(ctx, &c, v),
                            );
                        }
                    }
                    if let Some(c) = state.controller(other) {
                        ignore(
                            ctx,
                            readable_byte_stream_controller_enqueue(ctx, &c, &cloned),
                        );
                    }
                } else if !byob_canceled {
                    // Step 6. Otherwise the BYOB branch responds with the chunk.
                    if let (Some(c), Some(v)) = (state.controller(byob), &chunk_view) {
                        ignore(
                            ctx,
                            readable_byte_stream_controller_respond_with_new_view(ctx, &c, v),
                        );
                    }
                }
                // Steps 7-9. Not reading; pull again if asked.
                byte_tee_read_again(ctx, state);
                Ok(Value::new_undefined(ctx.clone()))
            }
            byte_tee_queue_microtask(ctx, &self.0, chunk, Some(self.1), microtask);
        }
        // Close steps, given chunk.
        fn close_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
            let state = &self.0;
            let (byob, other) = if self.1 { (1, 0) } else { (0, 1) };
            // Step 1. reading is false.
            state.flags.reading.set(false);
            // Steps 2-3. byobCanceled and otherCanceled.
            let (byob_canceled, other_canceled) = (state.canceled(byob), state.canceled(other));
            // Steps 4-5. Close the branches not canceled.
            if !byob_canceled {
                if let Some(c) = state.controller(byob) {
                    ignore(ctx, readable_byte_stream_controller_close(ctx, &c));
                }
            }
            if !other_canceled {
                if let Some(c) = state.controller(other) {
                    ignore(ctx, readable_byte_stream_controller_close(ctx, &c));
                }
            }
            // Step 6. A (empty) chunk: the BYOB branch responds with it; the other's pending
            // read gets 0 bytes.
            if !chunk.is_undefined() {
                if !byob_canceled {
                    if let (Some(c), Some(v)) = (state.controller(byob), tee_chunk_view(&chunk)) {
                        ignore(
                            ctx,
                            readable_byte_stream_controller_respond_with_new_view(ctx, &c, &v),
                        );
                    }
                }
                if !other_canceled {
                    if let Some(c) = state.controller(other) {
                        if c.has_pending_pull_intos() {
                            ignore(ctx, readable_byte_stream_controller_respond(ctx, &c, 0));
                        }
                    }
                }
            }
            // Step 7. Resolve cancelPromise unless both were canceled.
            if !byob_canceled || !other_canceled {
                state.resolve_cancel_promise(Value::new_undefined(ctx.clone()));
            }
        }
        // Error steps: reading is false.
        fn error_steps(&self, _ctx: &Ctx<'js>, _e: Value<'js>) {
            self.0.flags.reading.set(false);
        }
        fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer)
        }
    }
    // Step 16.5. ! ReadableStreamBYOBReaderRead(reader, view, 1, readIntoRequest).
    readable_stream_byob_reader_read(
        ctx,
        &reader,
        &view,
        1,
        Box::new(TeeByobRead(state.clone(), for_branch2)),
    );
    Ok(())
}

/// ReadableByteStreamTee's pull1Algorithm / pull2Algorithm (steps 17-18).
fn byte_tee_pull_algorithm<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
    for_branch2: bool,
) -> Fallible<Promise<'js>> {
    let branch = usize::from(for_branch2);
    // Step 1. Already reading: read again for this branch later.
    if state.flags.reading.get() {
        state.flags.read_again_for_branch[branch].set(true);
        return promise_resolved_with(ctx, Value::new_undefined(ctx.clone()));
    }
    // Step 2. Reading.
    state.flags.reading.set(true);
    // Step 3. byobRequest: ! ReadableByteStreamControllerGetBYOBRequest(this branch's).
    let byob_request = match state.controller(branch) {
        Some(c) => readable_byte_stream_controller_get_byob_request(ctx, &c)?,
        None => None,
    };
    match byob_request.and_then(|r| r.view_object()) {
        // Step 4. None: pullWithDefaultReader.
        None => byte_tee_pull_with_default_reader(ctx, state)?,
        // Step 5. Otherwise pullWithBYOBReader, given its view and forBranch2.
        Some(view) => byte_tee_pull_with_byob_reader(ctx, state, view, for_branch2)?,
    }
    // Step 6. A promise resolved with undefined.
    promise_resolved_with(ctx, Value::new_undefined(ctx.clone()))
}

/// ReadableByteStreamTee's cancel1Algorithm / cancel2Algorithm (steps 19-20).
fn byte_tee_cancel_algorithm<'js>(
    ctx: &Ctx<'js>,
    state: &ByteTeeState<'js>,
    branch: usize,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    // Steps 1-2. This branch is canceled with reason.
    state.flags.canceled[branch].set(true);
    state.set_reason(branch, reason);
    // Step 3. Both canceled: cancel the stream with « reason1, reason2 ».
    if state.canceled(1 - branch) {
        let reasons = rquickjs::Array::new(ctx.clone())?;
        for i in 0..2 {
            reasons.set(i, state.reason(ctx, i))?;
        }
        if let Some(stream) = state.stream() {
            let cancel_result = readable_stream_cancel(ctx, &stream, reasons.into_value())?;
            state.resolve_cancel_promise(cancel_result.into_value());
        }
    }
    // Step 4. Return cancelPromise.
    match state.cancel_promise() {
        Some(p) => Ok(p),
        None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
    }
}

/// <https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark> and
/// <https://streams.spec.whatwg.org/#extract-high-water-mark>.
pub fn extract_high_water_mark(strategy: &QueuingStrategy<'_>, default: f64) -> Fallible<f64> {
    // Step 1. No highWaterMark: the default.
    let Some(hwm) = strategy.highWaterMark else {
        return Ok(default);
    };
    // Steps 2-3. NaN or negative: RangeError.
    if hwm.is_nan() || hwm < 0.0 {
        return Err(Error::Range(
            "the high-water mark must be a non-negative number".into(),
        ));
    }
    Ok(hwm)
}

impl<'js> ReadableStreamMethods<'js> for ReadableStream<'js> {
    /// <https://streams.spec.whatwg.org/#rs-constructor>
    fn Constructor(
        cx: &Cx<'js>,
        underlying_source: Option<Object<'js>>,
        strategy: QueuingStrategy<'js>,
    ) -> Fallible<Self> {
        // Steps 1-2. Convert underlyingSource (undefined: null) to the UnderlyingSource
        // dictionary; the steps after need the object, so they run in Constructed.
        let source_value = underlying_source
            .clone()
            .map(|o| o.into_value())
            .unwrap_or_else(|| Value::new_null(cx.ctx.clone()));
        let dict = UnderlyingSource::from_js(&cx.ctx, &source_value, "underlyingSource")?;
        // Step 4. A byte stream: no size function, a high-water mark of 0 by default.
        let hwm = if dict.r#type == Some(ReadableStreamType::Bytes) {
            // Step 4.1. strategy["size"] exists: RangeError.
            if strategy.size.is_some() {
                return Err(Error::Range(
                    "a byte stream's strategy cannot have a size function".into(),
                ));
            }
            // Step 4.2. ? ExtractHighWaterMark(strategy, 0).
            extract_high_water_mark(&strategy, 0.0)?
        } else {
            // Steps 5.1-5.2. The size algorithm and high-water mark (default 1).
            extract_high_water_mark(&strategy, 1.0)?
        };
        let stream = ReadableStream::new_inherited();
        *stream.pending.borrow_mut() = Some(PendingSource {
            source: source_value,
            dict,
            hwm,
            size: strategy.size,
        });
        Ok(stream)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        // Step 5.3. SetUpReadableStreamDefaultControllerFromUnderlyingSource.
        let Some(pending) = this.pending.borrow_mut().take() else {
            return Ok(());
        };
        // Step 4.3. SetUpReadableByteStreamControllerFromUnderlyingSource.
        if pending.dict.r#type == Some(ReadableStreamType::Bytes) {
            return set_up_readable_byte_stream_controller_from_underlying_source(
                &cx.ctx,
                this,
                pending.source,
                pending.dict,
                pending.hwm,
            );
        }
        ReadableStreamDefaultController::set_up_from_underlying_source(
            &cx.ctx,
            this,
            pending.source,
            pending.dict,
            pending.hwm,
            pending.size,
        )
    }

    /// <https://streams.spec.whatwg.org/#rs-locked>
    fn locked(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.is_locked())
    }

    /// <https://streams.spec.whatwg.org/#rs-cancel>
    fn cancel(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<Promise<'js>> {
        let this = this_stream(cx)?;
        // Step 1. Locked: a promise rejected with a TypeError.
        if self.is_locked() {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type("cancel() on a locked stream (release its reader first)".into()),
            );
        }
        // Step 2. ReadableStreamCancel(this, reason).
        let reason = reason.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        readable_stream_cancel(&cx.ctx, &this, reason)
    }

    /// <https://streams.spec.whatwg.org/#rs-get-reader>
    fn getReader(
        &self,
        cx: &Cx<'js>,
        options: ReadableStreamGetReaderOptions,
    ) -> Fallible<ReadableStreamReader<'js>> {
        let this = this_stream(cx)?;
        // Step 1. No mode: ? AcquireReadableStreamDefaultReader(this).
        if options.mode.is_none() {
            return acquire_readable_stream_default_reader(&cx.ctx, &this)
                .map(ReadableStreamReader::ReadableStreamDefaultReader);
        }
        // Steps 2-3. "byob": ? AcquireReadableStreamBYOBReader(this).
        acquire_readable_stream_byob_reader(&cx.ctx, &this)
            .map(ReadableStreamReader::ReadableStreamBYOBReader)
    }

    /// <https://streams.spec.whatwg.org/#rs-tee>
    fn tee(&self, cx: &Cx<'js>) -> Fallible<Vec<Dom<'js, ReadableStream<'js>>>> {
        let this = this_stream(cx)?;
        readable_stream_tee(&cx.ctx, &this, false)
    }
}

/// The stream `this` of a method call.
fn this_stream<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, ReadableStream<'js>>> {
    <ReadableStream as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

/// What the generator cannot declare yet, written in JS with the streams' internal
/// operations handed in (`internals`, functions that never reach script):
///
/// - ReadableStream's `async_iterable<any>(optional ReadableStreamIteratorOptions options)`
///   (<https://streams.spec.whatwg.org/#rs-asynciterator>, WebIDL "asynchronous iterator
///   prototype object"): `values()` and `[Symbol.asyncIterator]` (one function), whose
///   iterators read with a default reader, release it at the end and cancel the stream on
///   `return()` unless `preventCancel`;
/// - `pipeTo()` and `pipeThrough()` (<https://streams.spec.whatwg.org/#rs-pipeto>), the
///   pipe loop of ReadableStreamPipeTo;
/// - `ReadableStream.from()` (<https://streams.spec.whatwg.org/#rs-from>).
///
/// It runs before any script of the realm and keeps the functions it calls, so script
/// replacing them later changes nothing.
const STREAM_EXTRAS_JS: &str = r#"((internals) => {
  "use strict";
  if (typeof ReadableStream !== "function") return;
  const uncurry = (f) => Function.prototype.call.bind(f);
  const getReader = uncurry(ReadableStream.prototype.getReader);
  const read = uncurry(ReadableStreamDefaultReader.prototype.read);
  const releaseLock = uncurry(ReadableStreamDefaultReader.prototype.releaseLock);
  const cancel = uncurry(ReadableStreamDefaultReader.prototype.cancel);
  const then = uncurry(Promise.prototype.then);
  const PromiseResolve = Promise.resolve.bind(Promise);
  const PromiseReject = Promise.reject.bind(Promise);
  const { create, defineProperty, getPrototypeOf } = Object;
  const WeakMapGet = uncurry(WeakMap.prototype.get);
  const WeakMapSet = uncurry(WeakMap.prototype.set);
  const TypeErrorCtor = TypeError;
  const AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}).prototype);
  const states = new WeakMap();
  const result = (value, done) => ({ value, done });
  const proto = create(AsyncIteratorPrototype);
  const methods = {
    next() {
      const state = WeakMapGet(states, this);
      if (!state) return PromiseReject(new TypeErrorCtor("next() called on an object that is not a ReadableStream async iterator"));
      // Get the next iteration result (after the ongoing call, if any).
      const nextSteps = () => {
        if (state.finished) return PromiseResolve(result(undefined, true));
        return then(read(state.reader), (r) => {
          if (r.done) {
            state.finished = true;
            releaseLock(state.reader);
            return result(undefined, true);
          }
          return result(r.value, false);
        }, (e) => {
          state.finished = true;
          releaseLock(state.reader);
          throw e;
        });
      };
      state.ongoing = state.ongoing ? then(state.ongoing, nextSteps, nextSteps) : nextSteps();
      return state.ongoing;
    },
    return(value) {
      const state = WeakMapGet(states, this);
      if (!state) return PromiseReject(new TypeErrorCtor("return() called on an object that is not a ReadableStream async iterator"));
      // The asynchronous iterator return steps: cancel unless preventCancel, release.
      const returnSteps = () => {
        if (state.finished) return PromiseResolve(result(value, true));
        state.finished = true;
        if (!state.preventCancel) {
          const cancelled = cancel(state.reader, value);
          releaseLock(state.reader);
          return then(cancelled, () => result(value, true));
        }
        releaseLock(state.reader);
        return PromiseResolve(result(value, true));
      };
      state.ongoing = state.ongoing ? then(state.ongoing, returnSteps, returnSteps) : returnSteps();
      return state.ongoing;
    },
    values(options = undefined) {
      // ReadableStreamIteratorOptions: undefined or null give the defaults.
      if (options !== undefined && options !== null && typeof options !== "object" && typeof options !== "function") {
        throw new TypeErrorCtor("options is not an object");
      }
      const preventCancel = options == null ? false : !!options.preventCancel;
      // The asynchronous iterator initialization steps: a reader (a TypeError if locked
      // or if this is not a ReadableStream).
      const reader = getReader(this);
      const iterator = create(proto);
      WeakMapSet(states, iterator, { reader, preventCancel, finished: false, ongoing: null });
      return iterator;
    },
  };
  for (const name of ["next", "return"]) {
    defineProperty(proto, name, { value: methods[name], writable: true, enumerable: true, configurable: true });
  }
  defineProperty(proto, Symbol.toStringTag, { value: "ReadableStream AsyncIterator", configurable: true });
  defineProperty(ReadableStream.prototype, "values", { value: methods.values, writable: true, enumerable: true, configurable: true });
  defineProperty(ReadableStream.prototype, Symbol.asyncIterator, { value: methods.values, writable: true, configurable: true });

  // ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal).
  function installPipes(internals, { uncurry, getReader, read, releaseLock, then, PromiseResolve, PromiseReject, TypeErrorCtor, defineProperty }) {
    if (typeof WritableStream !== "function") return;
    const getWriter = uncurry(WritableStream.prototype.getWriter);
    const writerProto = WritableStreamDefaultWriter.prototype;
    const write = uncurry(writerProto.write);
    const writerRelease = uncurry(writerProto.releaseLock);
    const readyOf = uncurry(Object.getOwnPropertyDescriptor(writerProto, "ready").get);
    const writerClosedOf = uncurry(Object.getOwnPropertyDescriptor(writerProto, "closed").get);
    const readerClosedOf = uncurry(Object.getOwnPropertyDescriptor(ReadableStreamDefaultReader.prototype, "closed").get);
    const signalAborted = uncurry(Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted").get);
    const signalReason = uncurry(Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason").get);
    const addListener = uncurry(EventTarget.prototype.addEventListener);
    const removeListener = uncurry(EventTarget.prototype.removeEventListener);
    const PromiseCtor = Promise;
    const PromiseAll = Promise.all.bind(Promise);
    const markHandled = (p) => { then(p, undefined, () => {}); return p; };

    function pipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
      // Steps 9-11. The reader and the writer; the source is disturbed.
      const reader = getReader(source);
      const writer = getWriter(dest);
      internals.setDisturbed(source);
      // Step 12. shuttingDown; the last write.
      let shuttingDown = false;
      let currentWrite = PromiseResolve(undefined);
      let resolvePromise, rejectPromise;
      const promise = new PromiseCtor((resolve, reject) => { resolvePromise = resolve; rejectPromise = reject; });
      let abortAlgorithm;
      // Wait until every chunk that has been read has been written.
      // (A write that failed has settled too: the error reaches the pipe through the
      // writer's closed promise.)
      const waitForWritesToFinish = () => {
        const old = currentWrite;
        const settled = () => (old !== currentWrite ? waitForWritesToFinish() : undefined);
        return then(old, settled, settled);
      };
      const finalize = (hasError, error) => {
        writerRelease(writer);
        releaseLock(reader);
        if (signal !== undefined) removeListener(signal, "abort", abortAlgorithm);
        if (hasError) rejectPromise(error); else resolvePromise(undefined);
      };
      const beforeShutdown = (next) => {
        if (internals.writableState(dest) === "writable" && !internals.closeQueuedOrInFlight(dest)) {
          then(waitForWritesToFinish(), next, next);
        } else {
          next();
        }
      };
      // Shutdown with an action.
      const shutdownWithAnAction = (action, hasError, originalError) => {
        if (shuttingDown) return;
        shuttingDown = true;
        beforeShutdown(() => {
          let p;
          try { p = action(); } catch (e) { p = PromiseReject(e); }
          then(p, () => finalize(hasError, originalError), (newError) => finalize(true, newError));
        });
      };
      // Shutdown.
      const shutdown = (hasError, error) => {
        if (shuttingDown) return;
        shuttingDown = true;
        beforeShutdown(() => finalize(hasError, error));
      };
      // Step 14. The signal.
      if (signal !== undefined) {
        abortAlgorithm = () => {
          const error = signalReason(signal);
          const actions = [];
          if (!preventAbort) actions.push(() => internals.writableState(dest) === "writable" ? internals.writableStreamAbort(dest, error) : PromiseResolve(undefined));
          if (!preventCancel) actions.push(() => internals.readableState(source) === "readable" ? internals.readableStreamCancel(source, error) : PromiseResolve(undefined));
          shutdownWithAnAction(() => PromiseAll(actions.map((action) => action())), true, error);
        };
        if (signalAborted(signal)) {
          abortAlgorithm();
          return promise;
        }
        addListener(signal, "abort", abortAlgorithm);
      }
      // Error and close propagation, in the spec's order.
      const sourceErrored = (storedError) => {
        if (!preventAbort) shutdownWithAnAction(() => internals.writableStreamAbort(dest, storedError), true, storedError);
        else shutdown(true, storedError);
      };
      const destErrored = (storedError) => {
        if (!preventCancel) shutdownWithAnAction(() => internals.readableStreamCancel(source, storedError), true, storedError);
        else shutdown(true, storedError);
      };
      const sourceClosed = () => {
        if (!preventClose) shutdownWithAnAction(() => internals.closeWithErrorPropagation(writer));
        else shutdown();
      };
      const destClosing = () => {
        const destClosed = new TypeErrorCtor("the destination is closed or closing");
        if (!preventCancel) shutdownWithAnAction(() => internals.readableStreamCancel(source, destClosed), true, destClosed);
        else shutdown(true, destClosed);
      };
      if (internals.readableState(source) === "errored") sourceErrored(internals.readableStoredError(source));
      else if (internals.writableState(dest) === "errored") destErrored(internals.writableStoredError(dest));
      else if (internals.readableState(source) === "closed") sourceClosed();
      else if (internals.closeQueuedOrInFlight(dest) || internals.writableState(dest) === "closed") destClosing();
      if (shuttingDown) return promise;
      then(readerClosedOf(reader), () => sourceClosed(), (e) => sourceErrored(e));
      then(writerClosedOf(writer), undefined, (e) => destErrored(e));
      // The loop: read while the destination wants more, write each chunk at once.
      const pipeLoop = () => {
        if (shuttingDown) return;
        then(readyOf(writer), () => {
          if (shuttingDown) return;
          then(read(reader), (result) => {
            if (result.done) return;
            // (A chunk already read is written even while shutting down.)
            currentWrite = markHandled(write(writer, result.value));
            pipeLoop();
          }, () => {});
        }, () => {});
      };
      pipeLoop();
      return promise;
    }

    // StreamPipeOptions, converted in its members' order.
    const pipeOptions = (options) => {
      if (options !== undefined && options !== null && typeof options !== "object" && typeof options !== "function") {
        throw new TypeErrorCtor("options is not an object");
      }
      if (options == null) return { preventAbort: false, preventCancel: false, preventClose: false, signal: undefined };
      const preventAbort = !!options.preventAbort;
      const preventCancel = !!options.preventCancel;
      const preventClose = !!options.preventClose;
      const signal = options.signal;
      if (signal !== undefined && !internals.isAbortSignal(signal)) throw new TypeErrorCtor("signal is not an AbortSignal");
      return { preventAbort, preventCancel, preventClose, signal };
    };

    const methods = {
      // https://streams.spec.whatwg.org/#rs-pipe-to
      pipeTo(destination, options = {}) {
        try {
          if (!internals.isReadableStream(this)) throw new TypeErrorCtor("pipeTo() called on an object that is not a ReadableStream");
          if (!internals.isWritableStream(destination)) throw new TypeErrorCtor("the destination is not a WritableStream");
          const o = pipeOptions(options);
          // Steps 1-2. Locked streams: TypeError.
          if (internals.readableLocked(this)) throw new TypeErrorCtor("the source is locked");
          if (internals.writableLocked(destination)) throw new TypeErrorCtor("the destination is locked");
          // Steps 3-4. ReadableStreamPipeTo.
          return pipeTo(this, destination, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
        } catch (e) {
          return PromiseReject(e);
        }
      },
      // https://streams.spec.whatwg.org/#rs-pipe-through
      pipeThrough(transform, options = {}) {
        if (!internals.isReadableStream(this)) throw new TypeErrorCtor("pipeThrough() called on an object that is not a ReadableStream");
        if (transform === null || (typeof transform !== "object" && typeof transform !== "function")) {
          throw new TypeErrorCtor("transform is not an object");
        }
        const readable = transform.readable;
        if (!internals.isReadableStream(readable)) throw new TypeErrorCtor("transform.readable is not a ReadableStream");
        const writable = transform.writable;
        if (!internals.isWritableStream(writable)) throw new TypeErrorCtor("transform.writable is not a WritableStream");
        const o = pipeOptions(options);
        // Steps 1-2. Locked streams: TypeError.
        if (internals.readableLocked(this)) throw new TypeErrorCtor("the source is locked");
        if (internals.writableLocked(writable)) throw new TypeErrorCtor("transform.writable is locked");
        // Steps 3-6. Pipe (its promise handled), and return the readable side.
        markHandled(pipeTo(this, writable, o.preventClose, o.preventAbort, o.preventCancel, o.signal));
        return readable;
      },
    };
    for (const name of ["pipeThrough", "pipeTo"]) {
      defineProperty(ReadableStream.prototype, name, { value: methods[name], writable: true, enumerable: true, configurable: true });
    }
  }
  installPipes(internals, { uncurry, getReader, read, releaseLock, then, PromiseResolve, PromiseReject, TypeErrorCtor, defineProperty });

  // https://streams.spec.whatwg.org/#rs-from: ReadableStream.from(asyncIterable).
  const ReadableStreamCtor = ReadableStream;
  const ReflectApply = Reflect.apply;
  const isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");
  // https://tc39.es/ecma262/#sec-createasyncfromsynciterator (as its next/return steps
  // need them here: the value awaited, done passed on).
  const asyncFromSync = (syncIterator, syncNext) => ({
    next() {
      return then(PromiseResolve(undefined), () => {
        const r = ReflectApply(syncNext, syncIterator, []);
        if (!isObject(r)) throw new TypeErrorCtor("the iterator's next() did not return an object");
        const done = !!r.done;
        return then(PromiseResolve(r.value), (value) => ({ value, done }));
      });
    },
    return(value) {
      return then(PromiseResolve(undefined), () => {
        const ret = syncIterator.return;
        if (ret === undefined || ret === null) return { value, done: true };
        const r = ReflectApply(ret, syncIterator, [value]);
        if (!isObject(r)) throw new TypeErrorCtor("the iterator's return() did not return an object");
        return then(PromiseResolve(r.value), (v) => ({ value: v, done: true }));
      });
    },
  });
  // https://tc39.es/ecma262/#sec-getiterator with kind async.
  const getAsyncIterator = (obj) => {
    let method = obj == null ? undefined : obj[Symbol.asyncIterator];
    if (method === undefined || method === null) {
      const syncMethod = obj == null ? undefined : obj[Symbol.iterator];
      if (syncMethod === undefined || syncMethod === null) throw new TypeErrorCtor("the argument is not iterable");
      if (typeof syncMethod !== "function") throw new TypeErrorCtor("Symbol.iterator is not a function");
      const syncIterator = ReflectApply(syncMethod, obj, []);
      if (!isObject(syncIterator)) throw new TypeErrorCtor("Symbol.iterator did not return an object");
      const iterator = asyncFromSync(syncIterator, syncIterator.next);
      return { iterator, next: iterator.next };
    }
    if (typeof method !== "function") throw new TypeErrorCtor("Symbol.asyncIterator is not a function");
    const iterator = ReflectApply(method, obj, []);
    if (!isObject(iterator)) throw new TypeErrorCtor("Symbol.asyncIterator did not return an object");
    return { iterator, next: iterator.next };
  };
  const from = {
    from(asyncIterable) {
      // https://streams.spec.whatwg.org/#readable-stream-from-iterable
      // Step 2. iteratorRecord = ? GetIterator(asyncIterable, async).
      const record = getAsyncIterator(asyncIterable);
      // Steps 4-6. pull: the next result, enqueued or closing; cancel: return().
      const source = {
        pull(controller) {
          let nextResult;
          try {
            nextResult = ReflectApply(record.next, record.iterator, []);
          } catch (e) {
            return PromiseReject(e);
          }
          return then(PromiseResolve(nextResult), (r) => {
            if (!isObject(r)) throw new TypeErrorCtor("the iterator's next() did not give an object");
            if (r.done) {
              controller.close();
            } else {
              controller.enqueue(r.value);
            }
          });
        },
        cancel(reason) {
          let returnMethod;
          try {
            returnMethod = record.iterator.return;
          } catch (e) {
            return PromiseReject(e);
          }
          if (returnMethod === undefined || returnMethod === null) return PromiseResolve(undefined);
          let returnResult;
          try {
            returnResult = ReflectApply(returnMethod, record.iterator, [reason]);
          } catch (e) {
            return PromiseReject(e);
          }
          return then(PromiseResolve(returnResult), (r) => {
            if (!isObject(r)) throw new TypeErrorCtor("the iterator's return() did not give an object");
          });
        },
      };
      // Step 7. CreateReadableStream with a high water mark of 0.
      return new ReadableStreamCtor(source, { highWaterMark: 0 });
    },
  };
  defineProperty(ReadableStreamCtor, "from", { value: from.from, writable: true, enumerable: true, configurable: true });
})"#;

/// Installs [`STREAM_EXTRAS_JS`] in a realm (after its interfaces), handing it the
/// internal operations it needs.
pub fn install_stream_extras(ctx: &Ctx<'_>) -> Fallible<()> {
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = true;
    options.filename = Some("streams-extras".into());
    let install: Function = ctx.eval_with_options(STREAM_EXTRAS_JS, options)?;
    install.call::<_, ()>((crate::dom::streams_internals::internals(ctx)?,))?;
    Ok(())
}
