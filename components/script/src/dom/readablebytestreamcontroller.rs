//! <https://streams.spec.whatwg.org/#rbs-controller-class>: a readable byte stream's
//! controller, its queue of bytes, its pending pull-into descriptors, and the abstract
//! operations of "Readable byte stream controllers" (named after the spec's, with
//! `// Step N.` comments).

use crate::dom::bindings::buffer_source::{
    array_buffer_byte_length, can_transfer_array_buffer, clone_array_buffer, copy_data_block_bytes,
    element_size, is_detached_buffer, new_view, transfer_array_buffer, view_parts,
};
use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ReadableByteStreamControllerBinding::ReadableByteStreamControllerMethods;
use crate::dom::bindings::codegen::{ArrayBufferView, UnderlyingSource};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::conversions::{BufferView, BufferViewKind};
use crate::dom::bindings::error::error_value;
use crate::dom::readablestream::{
    promise_resolved_with, readable_stream_add_read_into_request, readable_stream_add_read_request,
    readable_stream_close, readable_stream_error, readable_stream_fulfill_read_into_request,
    readable_stream_fulfill_read_request, readable_stream_get_num_read_into_requests,
    readable_stream_get_num_read_requests, readable_stream_has_byob_reader,
    readable_stream_has_default_reader, ReadIntoRequest, ReadRequest, ReadableStream,
    SourceAlgorithms, StreamController, StreamState,
};
use crate::dom::readablestreambyobrequest::ReadableStreamBYOBRequest;
use rquickjs::ArrayBuffer;
use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

/// A pull-into descriptor's reader type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderType {
    Default,
    Byob,
    None,
}

/// <https://streams.spec.whatwg.org/#pull-into-descriptor>
pub struct PullIntoDescriptor<'js> {
    pub buffer: ArrayBuffer<'js>,
    pub buffer_byte_length: usize,
    pub byte_offset: usize,
    pub byte_length: usize,
    pub bytes_filled: usize,
    pub minimum_fill: usize,
    pub element_size: usize,
    /// The view constructor, by the kind of view it makes.
    pub view_constructor: BufferViewKind,
    pub reader_type: ReaderType,
}

/// A descriptor as the controller's list holds it (the algorithms keep using one after it
/// left the list).
pub type Descriptor<'js> = Rc<DomRefCell<PullIntoDescriptor<'js>>>;

impl<'js> Trace<'js> for PullIntoDescriptor<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.buffer.trace(tracer);
    }
}

impl<'js> Trace<'js> for QueueEntry<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.buffer.trace(tracer);
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-queue-entry>
struct QueueEntry<'js> {
    buffer: ArrayBuffer<'js>,
    byte_offset: usize,
    byte_length: usize,
}

/// <https://streams.spec.whatwg.org/#readablebytestreamcontroller>
pub struct ReadableByteStreamController<'js> {
    /// [[autoAllocateChunkSize]]
    auto_allocate_chunk_size: Option<u64>,
    /// [[byobRequest]]
    byob_request: DomRefCell<Option<Dom<'js, ReadableStreamBYOBRequest<'js>>>>,
    /// [[pullAlgorithm]] and [[cancelAlgorithm]] (none once cleared).
    algorithms: DomRefCell<Option<SourceAlgorithms<'js>>>,
    /// [[closeRequested]], [[pullAgain]], [[pulling]], [[started]]
    close_requested: Cell<bool>,
    pull_again: Cell<bool>,
    pulling: Cell<bool>,
    started: Cell<bool>,
    /// [[pendingPullIntos]]
    pending_pull_intos: DomRefCell<VecDeque<Descriptor<'js>>>,
    /// [[queue]] and [[queueTotalSize]]
    queue: DomRefCell<VecDeque<QueueEntry<'js>>>,
    queue_total_size: Cell<usize>,
    /// [[strategyHWM]]
    strategy_hwm: f64,
    /// [[stream]]
    stream: Dom<'js, ReadableStream<'js>>,
}

impl<'js> Trace<'js> for ReadableByteStreamController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.byob_request.trace(tracer);
        self.algorithms.trace(tracer);
        self.pending_pull_intos.trace(tracer);
        self.queue.trace(tracer);
        self.stream.trace(tracer);
    }
}

#[derive(Clone)]
struct This<'js>(Dom<'js, ReadableByteStreamController<'js>>);

impl<'js> Trace<'js> for This<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

/// The start algorithm of [`set_up_readable_byte_stream_controller`].
pub type StartAlgorithm<'js> = Box<
    dyn FnOnce(&Ctx<'js>, &Dom<'js, ReadableByteStreamController<'js>>) -> Fallible<Value<'js>>
        + 'js,
>;

/// An exception value, thrown again (for an algorithm that rethrows it).
fn rethrow<'js>(ctx: &Ctx<'js>, e: Value<'js>) -> Error {
    let _ = ctx.throw(e);
    Error::JsException
}

/// A new TypeError's value.
fn type_error<'js>(ctx: &Ctx<'js>, message: &str) -> Value<'js> {
    error_value(ctx, Error::Type(message.into()))
}

/// The result of an algorithm the spec calls with `!`: an error is dropped (with the
/// exception it left pending).
pub fn ignore<'js>(ctx: &Ctx<'js>, r: Fallible<()>) {
    if let Err(e) = r {
        let _ = error_value(ctx, e);
    }
}

impl<'js> ReadableByteStreamController<'js> {
    pub fn stream(&self) -> &Dom<'js, ReadableStream<'js>> {
        &self.stream
    }

    /// Not [[closeRequested]] and the stream readable: ReadableByteStreamControllerEnqueue
    /// would enqueue (its step 2), and a BYOB request may be responded to with bytes.
    pub fn can_close_or_enqueue(&self) -> bool {
        !self.close_requested.get() && self.stream.state() == StreamState::Readable
    }

    /// Whether [[pendingPullIntos]] is empty.
    pub fn has_pending_pull_intos(&self) -> bool {
        !self.pending_pull_intos.borrow().is_empty()
    }

    /// [[CancelSteps]] (<https://streams.spec.whatwg.org/#rbs-controller-private-cancel>).
    pub fn cancel_steps(
        this: &Dom<'js, Self>,
        ctx: &Ctx<'js>,
        reason: Value<'js>,
    ) -> Fallible<Promise<'js>> {
        // Step 1. ReadableByteStreamControllerClearPendingPullIntos(this).
        readable_byte_stream_controller_clear_pending_pull_intos(this);
        // Step 2. ResetQueue(this).
        reset_queue(this);
        // Step 3. The cancel algorithm's result.
        let algorithms = this.algorithms.borrow().clone();
        let result = match algorithms {
            Some(a) => a.cancel(ctx, reason),
            None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
        };
        // Step 4. ReadableByteStreamControllerClearAlgorithms(this).
        readable_byte_stream_controller_clear_algorithms(this);
        // Step 5. Return result.
        result
    }

    /// [[PullSteps]] (<https://streams.spec.whatwg.org/#rbs-controller-private-pull>).
    pub fn pull_steps(
        this: &Dom<'js, Self>,
        ctx: &Ctx<'js>,
        read_request: Box<dyn ReadRequest<'js> + 'js>,
    ) {
        // Step 1. Let stream be this.[[stream]].
        let stream = this.stream.clone();
        // Step 2. Assert: ! ReadableStreamHasDefaultReader(stream) is true.
        // Step 3. A queue with bytes: fill the read request from it.
        if this.queue_total_size.get() > 0 {
            // Step 3.2. ReadableByteStreamControllerFillReadRequestFromQueue.
            readable_byte_stream_controller_fill_read_request_from_queue(ctx, this, read_request);
            // Step 3.3. Return.
            return;
        }
        // Step 4. Let autoAllocateChunkSize be this.[[autoAllocateChunkSize]].
        // Step 5. If it is not undefined,
        if let Some(size) = this.auto_allocate_chunk_size {
            // Step 5.1. Let buffer be Construct(%ArrayBuffer%, « autoAllocateChunkSize »).
            let buffer = usize::try_from(size)
                .map_err(|_| Error::Range("autoAllocateChunkSize is too large".into()))
                .and_then(|size| {
                    let mut bytes = Vec::new();
                    bytes
                        .try_reserve_exact(size)
                        .map_err(|_| Error::Range("cannot allocate the chunk".into()))?;
                    bytes.resize(size, 0u8);
                    Ok(ArrayBuffer::new(ctx.clone(), bytes)?)
                });
            // Step 5.2. An abrupt completion: the read request's error steps.
            let buffer = match buffer {
                Ok(b) => b,
                Err(e) => {
                    read_request.error_steps(ctx, error_value(ctx, e));
                    return;
                }
            };
            // Steps 5.3-5.4. A pull-into descriptor of reader type "default", appended.
            let size = size as usize;
            let descriptor = PullIntoDescriptor {
                buffer,
                buffer_byte_length: size,
                byte_offset: 0,
                byte_length: size,
                bytes_filled: 0,
                minimum_fill: 1,
                element_size: 1,
                view_constructor: BufferViewKind::Uint8Array,
                reader_type: ReaderType::Default,
            };
            this.pending_pull_intos
                .borrow_mut()
                .push_back(Rc::new(DomRefCell::new(descriptor)));
        }
        // Step 6. ReadableStreamAddReadRequest(stream, readRequest).
        readable_stream_add_read_request(&stream, read_request);
        // Step 7. ReadableByteStreamControllerCallPullIfNeeded(this).
        readable_byte_stream_controller_call_pull_if_needed(ctx, this);
    }

    /// [[ReleaseSteps]] (<https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontroller-releasesteps>).
    pub fn release_steps(&self) {
        // Step 1. Pending pull-intos: keep the first, with reader type "none".
        let mut pending = self.pending_pull_intos.borrow_mut();
        if let Some(first) = pending.front().cloned() {
            // Step 1.2. Set its reader type to "none".
            first.borrow_mut().reader_type = ReaderType::None;
            // Step 1.3. [[pendingPullIntos]] is « firstPendingPullInto ».
            pending.clear();
            pending.push_back(first);
        }
    }
}

/// <https://streams.spec.whatwg.org/#reset-queue>
fn reset_queue(controller: &ReadableByteStreamController<'_>) {
    controller.queue.borrow_mut().clear();
    controller.queue_total_size.set(0);
}

/// <https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller-from-underlying-source>
pub fn set_up_readable_byte_stream_controller_from_underlying_source<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    source: Value<'js>,
    dict: UnderlyingSource<'js>,
    hwm: f64,
) -> Fallible<()> {
    // Steps 1-7. The algorithms: the dictionary's callbacks, with the source as `this`.
    let algorithms = SourceAlgorithms::Script {
        source: source.clone(),
        pull: dict.pull,
        cancel: dict.cancel,
    };
    // Step 8. autoAllocateChunkSize.
    let auto_allocate_chunk_size = dict.autoAllocateChunkSize;
    // Step 9. 0 is a TypeError.
    if auto_allocate_chunk_size == Some(0) {
        return Err(Error::Type(
            "autoAllocateChunkSize must be greater than 0".into(),
        ));
    }
    // Step 10. SetUpReadableByteStreamController (startAlgorithm: invoke start).
    let start = dict.start;
    set_up_readable_byte_stream_controller(
        ctx,
        stream,
        Some(Box::new(move |ctx, controller| match &start {
            Some(start) => start.call(
                ctx,
                source.clone(),
                StreamController::Byte(controller.clone()).to_union(),
            ),
            None => Ok(Value::new_undefined(ctx.clone())),
        })),
        algorithms,
        hwm,
        auto_allocate_chunk_size,
    )
}

/// <https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller> (`start`: the
/// start algorithm; none returns undefined).
pub fn set_up_readable_byte_stream_controller<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    start: Option<StartAlgorithm<'js>>,
    algorithms: SourceAlgorithms<'js>,
    hwm: f64,
    auto_allocate_chunk_size: Option<u64>,
) -> Fallible<()> {
    // Steps 1-12. A controller of stream: not pulling, no BYOB request, an empty queue,
    // not started, the strategy and the algorithms, no pending pull-intos.
    let controller = reflect_dom_object(
        ctx,
        ReadableByteStreamController {
            auto_allocate_chunk_size,
            byob_request: DomRefCell::new(None),
            algorithms: DomRefCell::new(Some(algorithms)),
            close_requested: Cell::new(false),
            pull_again: Cell::new(false),
            pulling: Cell::new(false),
            started: Cell::new(false),
            pending_pull_intos: DomRefCell::new(VecDeque::new()),
            queue: DomRefCell::new(VecDeque::new()),
            queue_total_size: Cell::new(0),
            strategy_hwm: hwm,
            stream: stream.clone(),
        },
    )?;
    // Step 13. Set stream.[[controller]] to controller.
    stream.set_stream_controller(StreamController::Byte(controller.clone()));
    // Step 14. startResult: the start algorithm (an exception is rethrown).
    let start_result = match start {
        Some(start) => start(ctx, &controller)?,
        None => Value::new_undefined(ctx.clone()),
    };
    // Step 15. startPromise: a promise resolved with startResult.
    let start_promise = promise_resolved_with(ctx, start_result)?;
    // Step 16. Upon fulfillment: started, then pull if needed.
    fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        this.0.started.set(true);
        readable_byte_stream_controller_call_pull_if_needed(params.ctx(), &this.0);
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    // Step 17. Upon rejection with r: ReadableByteStreamControllerError(controller, r).
    fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        readable_byte_stream_controller_error(params.ctx(), &this.0, glue::arg(params, 0));
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    callback::react(ctx, &start_promise, This(controller), fulfilled, rejected)
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-call-pull-if-needed>
pub fn readable_byte_stream_controller_call_pull_if_needed<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
) {
    // Steps 1-2. Not needed: return.
    if !readable_byte_stream_controller_should_call_pull(controller) {
        return;
    }
    // Step 3. Already pulling: pull again after.
    if controller.pulling.get() {
        controller.pull_again.set(true);
        return;
    }
    // Steps 4-5. Pulling.
    controller.pulling.set(true);
    let Some(algorithms) = controller.algorithms.borrow().clone() else {
        return;
    };
    // Step 6. pullPromise: the pull algorithm.
    let pull_promise = match algorithms.pull(ctx, &StreamController::Byte(controller.clone())) {
        Ok(p) => p,
        Err(e) => {
            readable_byte_stream_controller_error(ctx, controller, error_value(ctx, e));
            return;
        }
    };
    // Step 7. Upon fulfillment: not pulling; pull again if asked.
    fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        this.0.pulling.set(false);
        if this.0.pull_again.replace(false) {
            readable_byte_stream_controller_call_pull_if_needed(params.ctx(), &this.0);
        }
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    // Step 8. Upon rejection with e: ReadableByteStreamControllerError(controller, e).
    fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        readable_byte_stream_controller_error(params.ctx(), &this.0, glue::arg(params, 0));
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    if let Err(e) = callback::react(
        ctx,
        &pull_promise,
        This(controller.clone()),
        fulfilled,
        rejected,
    ) {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-algorithms>
pub fn readable_byte_stream_controller_clear_algorithms(
    controller: &ReadableByteStreamController<'_>,
) {
    // Steps 1-2. Set [[pullAlgorithm]] and [[cancelAlgorithm]] to undefined.
    controller.algorithms.borrow_mut().take();
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-pending-pull-intos>
pub fn readable_byte_stream_controller_clear_pending_pull_intos(
    controller: &ReadableByteStreamController<'_>,
) {
    // Step 1. ReadableByteStreamControllerInvalidateBYOBRequest(controller).
    readable_byte_stream_controller_invalidate_byob_request(controller);
    // Step 2. A new empty list.
    controller.pending_pull_intos.borrow_mut().clear();
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-close>
pub fn readable_byte_stream_controller_close<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
) -> Fallible<()> {
    // Step 1. Let stream be controller.[[stream]].
    let stream = &controller.stream;
    // Step 2. Closing already, or not readable: return.
    if controller.close_requested.get() || stream.state() != StreamState::Readable {
        return Ok(());
    }
    // Step 3. Bytes queued: close once they are read.
    if controller.queue_total_size.get() > 0 {
        controller.close_requested.set(true);
        return Ok(());
    }
    // Step 4. A pending pull-into filled with part of an element: TypeError.
    let partial = controller
        .pending_pull_intos
        .borrow()
        .front()
        .map(|first| {
            let first = first.borrow();
            first.bytes_filled % first.element_size != 0
        })
        .unwrap_or(false);
    if partial {
        let e = type_error(
            ctx,
            "close() with a partially filled element of a BYOB read",
        );
        readable_byte_stream_controller_error(ctx, controller, e.clone());
        return Err(rethrow(ctx, e));
    }
    // Step 5. ReadableByteStreamControllerClearAlgorithms(controller).
    readable_byte_stream_controller_clear_algorithms(controller);
    // Step 6. ReadableStreamClose(stream).
    readable_stream_close(ctx, stream);
    Ok(())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-commit-pull-into-descriptor>
fn readable_byte_stream_controller_commit_pull_into_descriptor<'js>(
    ctx: &Ctx<'js>,
    stream: &ReadableStream<'js>,
    descriptor: &Descriptor<'js>,
) {
    // Steps 1-2 (asserts). Step 3. done is false.
    // Step 4. A closed stream: done.
    let done = stream.state() == StreamState::Closed;
    // Step 5. filledView.
    let filled_view = match readable_byte_stream_controller_convert_pull_into_descriptor(descriptor)
    {
        Ok(v) => v.object.into_value(),
        Err(e) => error_value(ctx, e),
    };
    // Steps 6-7. Fulfill the read request or read-into request.
    let reader_type = descriptor.borrow().reader_type;
    if reader_type == ReaderType::Default {
        readable_stream_fulfill_read_request(ctx, stream, filled_view, done);
    } else {
        readable_stream_fulfill_read_into_request(ctx, stream, filled_view, done);
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-convert-pull-into-descriptor>
fn readable_byte_stream_controller_convert_pull_into_descriptor<'js>(
    descriptor: &Descriptor<'js>,
) -> Fallible<BufferView<'js>> {
    let d = descriptor.borrow();
    // Steps 1-2. bytesFilled and elementSize.
    let bytes_filled = d.bytes_filled;
    let element_size = d.element_size;
    // Steps 3-4 (asserts). Step 5. TransferArrayBuffer(buffer).
    let buffer = transfer_array_buffer(&d.buffer)?;
    // Step 6. Construct(view constructor, « buffer, byte offset, bytesFilled ÷ elementSize »).
    new_view(
        &buffer,
        d.view_constructor,
        d.byte_offset,
        bytes_filled / element_size,
    )
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue>
pub fn readable_byte_stream_controller_enqueue<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    chunk: &BufferView<'js>,
) -> Fallible<()> {
    // Step 1. Let stream be controller.[[stream]].
    let stream = controller.stream.clone();
    // Step 2. Closing already, or not readable: return.
    if controller.close_requested.get() || stream.state() != StreamState::Readable {
        return Ok(());
    }
    // Steps 3-5. The chunk's buffer, byte offset and byte length.
    let parts = view_parts(chunk)?;
    let (byte_offset, byte_length) = (parts.byte_offset, parts.byte_length);
    // Step 6. A detached buffer: TypeError.
    if is_detached_buffer(&parts.buffer) {
        return Err(Error::Type("the chunk's buffer is detached".into()));
    }
    // Step 7. transferredBuffer: ? TransferArrayBuffer(buffer).
    let transferred_buffer = transfer_array_buffer(&parts.buffer)?;
    // Step 8. A pending pull-into: its buffer is transferred too.
    let first = controller.pending_pull_intos.borrow().front().cloned();
    if let Some(first) = first {
        // Step 8.2. Its buffer detached: TypeError.
        if is_detached_buffer(&first.borrow().buffer) {
            return Err(Error::Type(
                "the pending BYOB read's buffer is detached".into(),
            ));
        }
        // Step 8.3. ReadableByteStreamControllerInvalidateBYOBRequest(controller).
        readable_byte_stream_controller_invalidate_byob_request(controller);
        // Step 8.4. Transfer its buffer.
        let buffer = transfer_array_buffer(&first.borrow().buffer)?;
        first.borrow_mut().buffer = buffer;
        // Step 8.5. Reader type "none": ? EnqueueDetachedPullIntoToQueue.
        if first.borrow().reader_type == ReaderType::None {
            readable_byte_stream_controller_enqueue_detached_pull_into_to_queue(
                ctx, controller, &first,
            )?;
        }
    }
    // Step 9. A default reader.
    if readable_stream_has_default_reader(&stream) {
        // Step 9.1. ReadableByteStreamControllerProcessReadRequestsUsingQueue.
        readable_byte_stream_controller_process_read_requests_using_queue(ctx, controller);
        // Step 9.2. No read request waiting: queue the chunk.
        if readable_stream_get_num_read_requests(&stream) == 0 {
            readable_byte_stream_controller_enqueue_chunk_to_queue(
                controller,
                transferred_buffer,
                byte_offset,
                byte_length,
            );
        } else {
            // Step 9.3.2. A pending pull-into (auto-allocated) is dropped.
            if controller.has_pending_pull_intos() {
                readable_byte_stream_controller_shift_pending_pull_into(controller);
            }
            // Step 9.3.3. transferredView: a Uint8Array of the transferred buffer.
            let view = new_view(
                &transferred_buffer,
                BufferViewKind::Uint8Array,
                byte_offset,
                byte_length,
            )?;
            // Step 9.3.4. ReadableStreamFulfillReadRequest(stream, transferredView, false).
            readable_stream_fulfill_read_request(ctx, &stream, view.object.into_value(), false);
        }
    } else if readable_stream_has_byob_reader(&stream) {
        // Step 10.1. Queue the chunk.
        readable_byte_stream_controller_enqueue_chunk_to_queue(
            controller,
            transferred_buffer,
            byte_offset,
            byte_length,
        );
        // Steps 10.2-10.3. Fill the pending pull-intos, and commit the filled ones.
        let filled =
            readable_byte_stream_controller_process_pull_into_descriptors_using_queue(controller);
        for filled_pull_into in filled {
            readable_byte_stream_controller_commit_pull_into_descriptor(
                ctx,
                &stream,
                &filled_pull_into,
            );
        }
    } else {
        // Step 11. Not locked: queue the chunk.
        readable_byte_stream_controller_enqueue_chunk_to_queue(
            controller,
            transferred_buffer,
            byte_offset,
            byte_length,
        );
    }
    // Step 12. ReadableByteStreamControllerCallPullIfNeeded(controller).
    readable_byte_stream_controller_call_pull_if_needed(ctx, controller);
    Ok(())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue-chunk-to-queue>
fn readable_byte_stream_controller_enqueue_chunk_to_queue<'js>(
    controller: &ReadableByteStreamController<'js>,
    buffer: ArrayBuffer<'js>,
    byte_offset: usize,
    byte_length: usize,
) {
    // Step 1. Append a queue entry.
    controller.queue.borrow_mut().push_back(QueueEntry {
        buffer,
        byte_offset,
        byte_length,
    });
    // Step 2. [[queueTotalSize]] + byteLength.
    controller
        .queue_total_size
        .set(controller.queue_total_size.get() + byte_length);
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueueclonedchunktoqueue>
fn readable_byte_stream_controller_enqueue_cloned_chunk_to_queue<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    buffer: &ArrayBuffer<'js>,
    byte_offset: usize,
    byte_length: usize,
) -> Fallible<()> {
    // Step 1. cloneResult: CloneArrayBuffer(buffer, byteOffset, byteLength).
    match clone_array_buffer(buffer, byte_offset, byte_length) {
        // Step 3. Queue the clone.
        Ok(clone) => {
            readable_byte_stream_controller_enqueue_chunk_to_queue(
                controller,
                clone,
                0,
                byte_length,
            );
            Ok(())
        }
        // Step 2. An abrupt completion errors the controller, and is returned.
        Err(e) => {
            let e = error_value(ctx, e);
            readable_byte_stream_controller_error(ctx, controller, e.clone());
            Err(rethrow(ctx, e))
        }
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueuedetachedpullintotoqueue>
fn readable_byte_stream_controller_enqueue_detached_pull_into_to_queue<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    descriptor: &Descriptor<'js>,
) -> Fallible<()> {
    // Step 1 (assert). Step 2. Bytes filled: queue a clone of them.
    let (buffer, byte_offset, bytes_filled) = {
        let d = descriptor.borrow();
        (d.buffer.clone(), d.byte_offset, d.bytes_filled)
    };
    if bytes_filled > 0 {
        readable_byte_stream_controller_enqueue_cloned_chunk_to_queue(
            ctx,
            controller,
            &buffer,
            byte_offset,
            bytes_filled,
        )?;
    }
    // Step 3. ReadableByteStreamControllerShiftPendingPullInto(controller).
    readable_byte_stream_controller_shift_pending_pull_into(controller);
    Ok(())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-error>
pub fn readable_byte_stream_controller_error<'js>(
    ctx: &Ctx<'js>,
    controller: &ReadableByteStreamController<'js>,
    e: Value<'js>,
) {
    // Steps 1-2. Not readable: return.
    if controller.stream.state() != StreamState::Readable {
        return;
    }
    // Step 3. ReadableByteStreamControllerClearPendingPullIntos(controller).
    readable_byte_stream_controller_clear_pending_pull_intos(controller);
    // Step 4. ResetQueue(controller).
    reset_queue(controller);
    // Step 5. ReadableByteStreamControllerClearAlgorithms(controller).
    readable_byte_stream_controller_clear_algorithms(controller);
    // Step 6. ReadableStreamError(stream, e).
    readable_stream_error(ctx, &controller.stream, e);
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-head-pull-into-descriptor>
fn readable_byte_stream_controller_fill_head_pull_into_descriptor(
    size: usize,
    descriptor: &Descriptor<'_>,
) {
    // Steps 1-2 (asserts). Step 3. bytes filled + size.
    descriptor.borrow_mut().bytes_filled += size;
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-pull-into-descriptor-from-queue>
fn readable_byte_stream_controller_fill_pull_into_descriptor_from_queue<'js>(
    controller: &ReadableByteStreamController<'js>,
    descriptor: &Descriptor<'js>,
) -> bool {
    let (byte_length, bytes_filled, minimum_fill, element_size) = {
        let d = descriptor.borrow();
        (
            d.byte_length,
            d.bytes_filled,
            d.minimum_fill,
            d.element_size,
        )
    };
    // Step 1. maxBytesToCopy.
    let max_bytes_to_copy = controller
        .queue_total_size
        .get()
        .min(byte_length.saturating_sub(bytes_filled));
    // Step 2. maxBytesFilled.
    let max_bytes_filled = bytes_filled + max_bytes_to_copy;
    // Step 3. totalBytesToCopyRemaining.
    let mut total_bytes_to_copy_remaining = max_bytes_to_copy;
    // Step 4. ready is false.
    let mut ready = false;
    // Steps 5-6 (asserts). Step 7. remainderBytes.
    let remainder_bytes = max_bytes_filled % element_size;
    // Step 8. maxAlignedBytes.
    let max_aligned_bytes = max_bytes_filled - remainder_bytes;
    // Step 9. Enough for the minimum fill: copy up to the aligned end, and be ready.
    if max_aligned_bytes >= minimum_fill {
        total_bytes_to_copy_remaining = max_aligned_bytes - bytes_filled;
        ready = true;
    }
    // Step 10. Let queue be controller.[[queue]].
    // Step 11. Copy from the head of the queue while bytes remain to copy.
    while total_bytes_to_copy_remaining > 0 {
        let mut queue = controller.queue.borrow_mut();
        // Step 11.1. headOfQueue.
        let Some(head) = queue.front_mut() else {
            break;
        };
        // Step 11.2. bytesToCopy.
        let bytes_to_copy = total_bytes_to_copy_remaining.min(head.byte_length);
        // Step 11.3. destStart.
        let (dest_start, descriptor_buffer) = {
            let d = descriptor.borrow();
            (d.byte_offset + d.bytes_filled, d.buffer.clone())
        };
        // Steps 11.4-11.8. CopyDataBlockBytes (the assertion checked: a failure stops
        // here; the stream errors in the caller's next step at worst).
        if !copy_data_block_bytes(
            &descriptor_buffer,
            dest_start,
            &head.buffer,
            head.byte_offset,
            bytes_to_copy,
        ) {
            return false;
        }
        // Step 11.9. The whole entry copied: remove it; else advance it.
        if head.byte_length == bytes_to_copy {
            queue.pop_front();
        } else {
            head.byte_offset += bytes_to_copy;
            head.byte_length -= bytes_to_copy;
        }
        drop(queue);
        // Step 11.10. [[queueTotalSize]] − bytesToCopy.
        controller
            .queue_total_size
            .set(controller.queue_total_size.get() - bytes_to_copy);
        // Step 11.11. ReadableByteStreamControllerFillHeadPullIntoDescriptor.
        readable_byte_stream_controller_fill_head_pull_into_descriptor(bytes_to_copy, descriptor);
        // Step 11.12. totalBytesToCopyRemaining − bytesToCopy.
        total_bytes_to_copy_remaining -= bytes_to_copy;
    }
    // Steps 12-13. Return ready.
    ready
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerfillreadrequestfromqueue>
fn readable_byte_stream_controller_fill_read_request_from_queue<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    read_request: Box<dyn ReadRequest<'js> + 'js>,
) {
    // Step 1 (assert). Steps 2-3. Take the first entry.
    let Some(entry) = controller.queue.borrow_mut().pop_front() else {
        return;
    };
    // Step 4. [[queueTotalSize]] − its byte length.
    controller.queue_total_size.set(
        controller
            .queue_total_size
            .get()
            .saturating_sub(entry.byte_length),
    );
    // Step 5. ReadableByteStreamControllerHandleQueueDrain(controller).
    readable_byte_stream_controller_handle_queue_drain(ctx, controller);
    // Step 6. view: a Uint8Array of the entry.
    match new_view(
        &entry.buffer,
        BufferViewKind::Uint8Array,
        entry.byte_offset,
        entry.byte_length,
    ) {
        // Step 7. The read request's chunk steps.
        Ok(view) => read_request.chunk_steps(ctx, view.object.into_value()),
        Err(e) => read_request.error_steps(ctx, error_value(ctx, e)),
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollergetbyobrequest>
pub fn readable_byte_stream_controller_get_byob_request<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
) -> Fallible<Option<Dom<'js, ReadableStreamBYOBRequest<'js>>>> {
    // Step 1. None yet and a pending pull-into: a request for its unfilled part.
    let first = controller.pending_pull_intos.borrow().front().cloned();
    if controller.byob_request.borrow().is_none() {
        if let Some(first) = first {
            // Step 1.2. view: a Uint8Array of the unfilled part of its buffer.
            let view = {
                let d = first.borrow();
                new_view(
                    &d.buffer,
                    BufferViewKind::Uint8Array,
                    d.byte_offset + d.bytes_filled,
                    d.byte_length - d.bytes_filled,
                )?
            };
            // Steps 1.3-1.6. A new ReadableStreamBYOBRequest of controller and view.
            let request = reflect_dom_object(
                ctx,
                ReadableStreamBYOBRequest::new_inherited(controller.clone(), view),
            )?;
            *controller.byob_request.borrow_mut() = Some(request);
        }
    }
    // Step 2. Return controller.[[byobRequest]].
    Ok(controller.byob_request.borrow().clone())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-get-desired-size>
pub fn readable_byte_stream_controller_get_desired_size(
    controller: &ReadableByteStreamController<'_>,
) -> Option<f64> {
    // Step 1. Let state be controller.[[stream]].[[state]].
    match controller.stream.state() {
        // Step 2. Errored: null.
        StreamState::Errored => None,
        // Step 3. Closed: 0.
        StreamState::Closed => Some(0.0),
        // Step 4. [[strategyHWM]] − [[queueTotalSize]].
        StreamState::Readable => {
            Some(controller.strategy_hwm - controller.queue_total_size.get() as f64)
        }
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-handle-queue-drain>
fn readable_byte_stream_controller_handle_queue_drain<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
) {
    // Step 1 (assert). Step 2. Drained after close(): close the stream.
    if controller.queue_total_size.get() == 0 && controller.close_requested.get() {
        readable_byte_stream_controller_clear_algorithms(controller);
        readable_stream_close(ctx, &controller.stream);
    } else {
        // Step 3. Otherwise pull if needed.
        readable_byte_stream_controller_call_pull_if_needed(ctx, controller);
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-invalidate-byob-request>
fn readable_byte_stream_controller_invalidate_byob_request(
    controller: &ReadableByteStreamController<'_>,
) {
    // Step 1. None: return.
    let Some(request) = controller.byob_request.borrow_mut().take() else {
        return;
    };
    // Steps 2-3. Its controller undefined, its view null. Step 4. [[byobRequest]] null.
    request.invalidate();
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-process-pull-into-descriptors-using-queue>
fn readable_byte_stream_controller_process_pull_into_descriptors_using_queue<'js>(
    controller: &ReadableByteStreamController<'js>,
) -> Vec<Descriptor<'js>> {
    // Step 1 (assert). Step 2. filledPullIntos.
    let mut filled_pull_intos = Vec::new();
    // Step 3. While pull-intos are pending,
    loop {
        // Step 3.1. No bytes queued: break.
        if controller.queue_total_size.get() == 0 {
            break;
        }
        // Step 3.2. pullIntoDescriptor: the first.
        let Some(descriptor) = controller.pending_pull_intos.borrow().front().cloned() else {
            break;
        };
        // Step 3.3. Filled: shift it and append it to filledPullIntos.
        if readable_byte_stream_controller_fill_pull_into_descriptor_from_queue(
            controller,
            &descriptor,
        ) {
            readable_byte_stream_controller_shift_pending_pull_into(controller);
            filled_pull_intos.push(descriptor);
        } else if controller.queue_total_size.get() > 0 {
            // (Only a failed copy leaves bytes queued here: stop.)
            break;
        }
    }
    // Step 4. Return filledPullIntos.
    filled_pull_intos
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerprocessreadrequestsusingqueue>
fn readable_byte_stream_controller_process_read_requests_using_queue<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
) {
    // Steps 1-2. The default reader.
    let Some(reader) = controller.stream.reader() else {
        return;
    };
    // Step 3. While read requests wait,
    while reader.num_read_requests() > 0 {
        // Step 3.1. No bytes queued: return.
        if controller.queue_total_size.get() == 0 {
            return;
        }
        // Steps 3.2-3.3. The first read request, removed.
        let Some(read_request) = reader.shift_read_request() else {
            return;
        };
        // Step 3.4. ReadableByteStreamControllerFillReadRequestFromQueue.
        readable_byte_stream_controller_fill_read_request_from_queue(ctx, controller, read_request);
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-pull-into>
pub fn readable_byte_stream_controller_pull_into<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    view: &BufferView<'js>,
    min: u64,
    read_into_request: Box<dyn ReadIntoRequest<'js> + 'js>,
) {
    // Step 1. Let stream be controller.[[stream]].
    let stream = controller.stream.clone();
    // Steps 2-4. elementSize and ctor (%DataView% or the typed array's).
    let parts = match view_parts(view) {
        Ok(p) => p,
        Err(e) => return read_into_request.error_steps(ctx, error_value(ctx, e)),
    };
    let element_size = element_size(parts.kind);
    let ctor = parts.kind;
    // Step 5. minimumFill: min × elementSize (the caller checked its range).
    let minimum_fill = (min as usize).saturating_mul(element_size);
    // Steps 6-7 (asserts). Steps 8-9. byteOffset and byteLength.
    let (byte_offset, byte_length) = (parts.byte_offset, parts.byte_length);
    // Steps 10-11. bufferResult: TransferArrayBuffer; an abrupt completion goes to the
    // error steps.
    let buffer = match transfer_array_buffer(&parts.buffer) {
        Ok(b) => b,
        Err(e) => return read_into_request.error_steps(ctx, error_value(ctx, e)),
    };
    // Steps 12-13. The pull-into descriptor, reader type "byob".
    let descriptor = Rc::new(DomRefCell::new(PullIntoDescriptor {
        buffer_byte_length: array_buffer_byte_length(&buffer),
        buffer,
        byte_offset,
        byte_length,
        bytes_filled: 0,
        minimum_fill,
        element_size,
        view_constructor: ctor,
        reader_type: ReaderType::Byob,
    }));
    // Step 14. Pull-intos pending already: wait behind them.
    if controller.has_pending_pull_intos() {
        controller
            .pending_pull_intos
            .borrow_mut()
            .push_back(descriptor);
        readable_stream_add_read_into_request(&stream, read_into_request);
        return;
    }
    // Step 15. A closed stream: the close steps with an empty view of the same buffer.
    if stream.state() == StreamState::Closed {
        let empty_view = {
            let d = descriptor.borrow();
            new_view(&d.buffer, ctor, d.byte_offset, 0)
        };
        match empty_view {
            Ok(v) => read_into_request.close_steps(ctx, v.object.into_value()),
            Err(e) => read_into_request.error_steps(ctx, error_value(ctx, e)),
        }
        return;
    }
    // Step 16. Bytes queued:
    if controller.queue_total_size.get() > 0 {
        // Step 16.1. Filled from the queue: the chunk steps with the filled view.
        if readable_byte_stream_controller_fill_pull_into_descriptor_from_queue(
            controller,
            &descriptor,
        ) {
            let filled_view =
                readable_byte_stream_controller_convert_pull_into_descriptor(&descriptor);
            readable_byte_stream_controller_handle_queue_drain(ctx, controller);
            match filled_view {
                Ok(v) => read_into_request.chunk_steps(ctx, v.object.into_value()),
                Err(e) => read_into_request.error_steps(ctx, error_value(ctx, e)),
            }
            return;
        }
        // Step 16.2. Closing: TypeError, erroring the controller.
        if controller.close_requested.get() {
            let e = type_error(ctx, "the stream is closing with too few bytes for the view");
            readable_byte_stream_controller_error(ctx, controller, e.clone());
            read_into_request.error_steps(ctx, e);
            return;
        }
    }
    // Step 17. Append the descriptor.
    controller
        .pending_pull_intos
        .borrow_mut()
        .push_back(descriptor);
    // Step 18. ReadableStreamAddReadIntoRequest(stream, readIntoRequest).
    readable_stream_add_read_into_request(&stream, read_into_request);
    // Step 19. ReadableByteStreamControllerCallPullIfNeeded(controller).
    readable_byte_stream_controller_call_pull_if_needed(ctx, controller);
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond>
pub fn readable_byte_stream_controller_respond<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    bytes_written: u64,
) -> Fallible<()> {
    // Steps 1-2. The first pending pull-into.
    let Some(first) = controller.pending_pull_intos.borrow().front().cloned() else {
        return Err(Error::Type("no pending read to respond to".into()));
    };
    // Step 3. Let state be controller.[[stream]].[[state]].
    if controller.stream.state() == StreamState::Closed {
        // Step 4. Closed: bytesWritten must be 0.
        if bytes_written != 0 {
            return Err(Error::Type(
                "bytesWritten must be 0 once the stream is closed".into(),
            ));
        }
    } else {
        // Step 5.2. Readable: bytesWritten must not be 0.
        if bytes_written == 0 {
            return Err(Error::Type(
                "bytesWritten must be greater than 0 while the stream is readable".into(),
            ));
        }
        // Step 5.3. More than the view holds: RangeError.
        let d = first.borrow();
        if (d.bytes_filled as u64).saturating_add(bytes_written) > d.byte_length as u64 {
            return Err(Error::Range("bytesWritten out of range".into()));
        }
    }
    // Step 6. Transfer the descriptor's buffer.
    let buffer = transfer_array_buffer(&first.borrow().buffer)?;
    first.borrow_mut().buffer = buffer;
    // Step 7. ? ReadableByteStreamControllerRespondInternal(controller, bytesWritten).
    readable_byte_stream_controller_respond_internal(ctx, controller, bytes_written as usize)
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-closed-state>
fn readable_byte_stream_controller_respond_in_closed_state<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    first_descriptor: &Descriptor<'js>,
) {
    // Step 1 (assert). Step 2. Reader type "none": shift it.
    if first_descriptor.borrow().reader_type == ReaderType::None {
        readable_byte_stream_controller_shift_pending_pull_into(controller);
    }
    // Step 3. Let stream be controller.[[stream]].
    let stream = controller.stream.clone();
    // Step 4. A BYOB reader: commit as many descriptors as it has read-into requests.
    if readable_stream_has_byob_reader(&stream) {
        let mut filled_pull_intos = Vec::new();
        while filled_pull_intos.len() < readable_stream_get_num_read_into_requests(&stream) {
            let Some(d) = readable_byte_stream_controller_shift_pending_pull_into(controller)
            else {
                break;
            };
            filled_pull_intos.push(d);
        }
        for filled_pull_into in filled_pull_intos {
            readable_byte_stream_controller_commit_pull_into_descriptor(
                ctx,
                &stream,
                &filled_pull_into,
            );
        }
    }
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-readable-state>
fn readable_byte_stream_controller_respond_in_readable_state<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    bytes_written: usize,
    descriptor: &Descriptor<'js>,
) -> Fallible<()> {
    // Step 1 (assert). Step 2. ReadableByteStreamControllerFillHeadPullIntoDescriptor.
    readable_byte_stream_controller_fill_head_pull_into_descriptor(bytes_written, descriptor);
    let stream = controller.stream.clone();
    // Step 3. Reader type "none": queue what was filled, and serve the other pull-intos.
    if descriptor.borrow().reader_type == ReaderType::None {
        readable_byte_stream_controller_enqueue_detached_pull_into_to_queue(
            ctx, controller, descriptor,
        )?;
        let filled =
            readable_byte_stream_controller_process_pull_into_descriptors_using_queue(controller);
        for filled_pull_into in filled {
            readable_byte_stream_controller_commit_pull_into_descriptor(
                ctx,
                &stream,
                &filled_pull_into,
            );
        }
        return Ok(());
    }
    // Step 4. Below the minimum fill: keep filling it.
    let (bytes_filled, minimum_fill, element_size, buffer, byte_offset) = {
        let d = descriptor.borrow();
        (
            d.bytes_filled,
            d.minimum_fill,
            d.element_size,
            d.buffer.clone(),
            d.byte_offset,
        )
    };
    if bytes_filled < minimum_fill {
        return Ok(());
    }
    // Step 5. ReadableByteStreamControllerShiftPendingPullInto(controller).
    readable_byte_stream_controller_shift_pending_pull_into(controller);
    // Step 6. remainderSize.
    let remainder_size = bytes_filled % element_size;
    // Step 7. A partial element: queue a clone of it.
    if remainder_size > 0 {
        let end = byte_offset + bytes_filled;
        readable_byte_stream_controller_enqueue_cloned_chunk_to_queue(
            ctx,
            controller,
            &buffer,
            end - remainder_size,
            remainder_size,
        )?;
    }
    // Step 8. bytes filled − remainderSize.
    descriptor.borrow_mut().bytes_filled -= remainder_size;
    // Step 9. filledPullIntos.
    let filled =
        readable_byte_stream_controller_process_pull_into_descriptors_using_queue(controller);
    // Step 10. Commit this descriptor.
    readable_byte_stream_controller_commit_pull_into_descriptor(ctx, &stream, descriptor);
    // Step 11. Commit the filled ones.
    for filled_pull_into in filled {
        readable_byte_stream_controller_commit_pull_into_descriptor(
            ctx,
            &stream,
            &filled_pull_into,
        );
    }
    Ok(())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-internal>
fn readable_byte_stream_controller_respond_internal<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    bytes_written: usize,
) -> Fallible<()> {
    // Step 1. firstDescriptor.
    let Some(first) = controller.pending_pull_intos.borrow().front().cloned() else {
        return Err(Error::Type("no pending read to respond to".into()));
    };
    // Step 2. Assert: ! CanTransferArrayBuffer(its buffer) (checked).
    if !can_transfer_array_buffer(&first.borrow().buffer) {
        return Err(Error::Type("the pending read's buffer is detached".into()));
    }
    // Step 3. ReadableByteStreamControllerInvalidateBYOBRequest(controller).
    readable_byte_stream_controller_invalidate_byob_request(controller);
    // Steps 4-5. Respond in the closed or the readable state.
    if controller.stream.state() == StreamState::Closed {
        readable_byte_stream_controller_respond_in_closed_state(ctx, controller, &first);
    } else {
        readable_byte_stream_controller_respond_in_readable_state(
            ctx,
            controller,
            bytes_written,
            &first,
        )?;
    }
    // Step 6. ReadableByteStreamControllerCallPullIfNeeded(controller).
    readable_byte_stream_controller_call_pull_if_needed(ctx, controller);
    Ok(())
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-with-new-view>
pub fn readable_byte_stream_controller_respond_with_new_view<'js>(
    ctx: &Ctx<'js>,
    controller: &Dom<'js, ReadableByteStreamController<'js>>,
    view: &BufferView<'js>,
) -> Fallible<()> {
    // Steps 1-3. The first pending pull-into.
    let Some(first) = controller.pending_pull_intos.borrow().front().cloned() else {
        return Err(Error::Type("no pending read to respond to".into()));
    };
    let parts = view_parts(view)?;
    // Step 2 (assert, checked). A detached view: TypeError.
    if is_detached_buffer(&parts.buffer) {
        return Err(Error::Type("the view's buffer is detached".into()));
    }
    // Step 4. Let state be controller.[[stream]].[[state]].
    if controller.stream.state() == StreamState::Closed {
        // Step 5. Closed: the view must be empty.
        if parts.byte_length != 0 {
            return Err(Error::Type(
                "the view must be empty once the stream is closed".into(),
            ));
        }
    } else if parts.byte_length == 0 {
        // Step 6.2. Readable: the view must not be empty.
        return Err(Error::Type(
            "the view must not be empty while the stream is readable".into(),
        ));
    }
    {
        let d = first.borrow();
        // Step 7. The view must start where the filled bytes end.
        if d.byte_offset + d.bytes_filled != parts.byte_offset {
            return Err(Error::Range(
                "the view's offset is not where the pending read's bytes end".into(),
            ));
        }
        // Step 8. Its buffer must be as long as the pending read's.
        if d.buffer_byte_length != array_buffer_byte_length(&parts.buffer) {
            return Err(Error::Range(
                "the view's buffer is not as long as the pending read's".into(),
            ));
        }
        // Step 9. It must not hold more than the pending read asked for.
        if d.bytes_filled + parts.byte_length > d.byte_length {
            return Err(Error::Range(
                "the view is longer than the pending read's".into(),
            ));
        }
    }
    // Step 10. viewByteLength.
    let view_byte_length = parts.byte_length;
    // Step 11. The descriptor's buffer: ? TransferArrayBuffer(the view's buffer).
    let buffer = transfer_array_buffer(&parts.buffer)?;
    first.borrow_mut().buffer = buffer;
    // Step 12. ? ReadableByteStreamControllerRespondInternal(controller, viewByteLength).
    readable_byte_stream_controller_respond_internal(ctx, controller, view_byte_length)
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-shift-pending-pull-into>
fn readable_byte_stream_controller_shift_pending_pull_into<'js>(
    controller: &ReadableByteStreamController<'js>,
) -> Option<Descriptor<'js>> {
    // Step 1 (assert). Steps 2-4. The first descriptor, removed.
    controller.pending_pull_intos.borrow_mut().pop_front()
}

/// <https://streams.spec.whatwg.org/#readable-byte-stream-controller-should-call-pull>
fn readable_byte_stream_controller_should_call_pull(
    controller: &ReadableByteStreamController<'_>,
) -> bool {
    // Step 1. Let stream be controller.[[stream]].
    let stream = &controller.stream;
    // Steps 2-4. Not readable, closing, or not started: false.
    if stream.state() != StreamState::Readable
        || controller.close_requested.get()
        || !controller.started.get()
    {
        return false;
    }
    // Step 5. A default reader with read requests: true.
    if readable_stream_has_default_reader(stream)
        && readable_stream_get_num_read_requests(stream) > 0
    {
        return true;
    }
    // Step 6. A BYOB reader with read-into requests: true.
    if readable_stream_has_byob_reader(stream)
        && readable_stream_get_num_read_into_requests(stream) > 0
    {
        return true;
    }
    // Steps 7-10. Room in the queue: true.
    readable_byte_stream_controller_get_desired_size(controller).is_some_and(|d| d > 0.0)
}

/// The controller `this` of a method call.
fn this_controller<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, ReadableByteStreamController<'js>>> {
    <ReadableByteStreamController as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

impl<'js> ReadableByteStreamControllerMethods<'js> for ReadableByteStreamController<'js> {
    /// <https://streams.spec.whatwg.org/#rbs-controller-byob-request>
    fn byobRequest(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, ReadableStreamBYOBRequest<'js>>>> {
        // Step 1. Return ! ReadableByteStreamControllerGetBYOBRequest(this).
        readable_byte_stream_controller_get_byob_request(&cx.ctx, &this_controller(cx)?)
    }

    /// <https://streams.spec.whatwg.org/#rbs-controller-desired-size>
    fn desiredSize(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        // Step 1. Return ! ReadableByteStreamControllerGetDesiredSize(this).
        Ok(readable_byte_stream_controller_get_desired_size(self))
    }

    /// <https://streams.spec.whatwg.org/#rbs-controller-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Closing already: TypeError.
        if self.close_requested.get() {
            return Err(Error::Type("the stream is already closing".into()));
        }
        // Step 2. Not readable: TypeError.
        if self.stream.state() != StreamState::Readable {
            return Err(Error::Type("the stream is not readable".into()));
        }
        // Step 3. ? ReadableByteStreamControllerClose(this).
        readable_byte_stream_controller_close(&cx.ctx, &this_controller(cx)?)
    }

    /// <https://streams.spec.whatwg.org/#rbs-controller-enqueue>
    fn enqueue(&self, cx: &Cx<'js>, chunk: ArrayBufferView<'js>) -> Fallible<()> {
        let chunk = crate::dom::bindings::buffer_source::view(&chunk).clone();
        let parts = view_parts(&chunk)?;
        // Step 1. An empty view: TypeError.
        if parts.byte_length == 0 {
            return Err(Error::Type("the chunk is empty".into()));
        }
        // Step 2. An empty (or detached) buffer: TypeError.
        if array_buffer_byte_length(&parts.buffer) == 0 {
            return Err(Error::Type(
                "the chunk's buffer is empty or detached".into(),
            ));
        }
        // Step 3. Closing already: TypeError.
        if self.close_requested.get() {
            return Err(Error::Type("the stream is closing".into()));
        }
        // Step 4. Not readable: TypeError.
        if self.stream.state() != StreamState::Readable {
            return Err(Error::Type("the stream is not readable".into()));
        }
        // Step 5. ? ReadableByteStreamControllerEnqueue(this, chunk).
        readable_byte_stream_controller_enqueue(&cx.ctx, &this_controller(cx)?, &chunk)
    }

    /// <https://streams.spec.whatwg.org/#rbs-controller-error>
    fn error(&self, cx: &Cx<'js>, e: Option<Value<'js>>) -> Fallible<()> {
        // Step 1. ! ReadableByteStreamControllerError(this, e).
        let e = e.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        readable_byte_stream_controller_error(&cx.ctx, self, e);
        Ok(())
    }
}
