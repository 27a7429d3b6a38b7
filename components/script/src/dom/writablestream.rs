//! <https://streams.spec.whatwg.org/#ws-class>: writable streams, their abstract operations
//! (named as the spec names them, with `// Step N.` comments) and the operations the
//! default writer and controller use.

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::WritableStreamBinding::WritableStreamMethods;
use crate::dom::bindings::codegen::{QueuingStrategy, UnderlyingSink};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{
    extract_high_water_mark, promise_rejected_with, promise_resolved_with, Deferred,
};
use crate::dom::writablestreamdefaultcontroller::WritableStreamDefaultController;
use crate::dom::writablestreamdefaultwriter::WritableStreamDefaultWriter;
use std::cell::Cell;
use std::collections::VecDeque;

/// <https://streams.spec.whatwg.org/#writablestream-state>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritableState {
    Writable,
    Closed,
    Erroring,
    Errored,
}

/// <https://streams.spec.whatwg.org/#pending-abort-request>
#[derive(Clone)]
struct PendingAbortRequest<'js> {
    promise: Deferred<'js>,
    reason: Value<'js>,
    was_already_erroring: bool,
}

impl<'js> Trace<'js> for PendingAbortRequest<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.promise.trace(tracer);
        self.reason.trace(tracer);
    }
}

/// <https://streams.spec.whatwg.org/#writablestream>
pub struct WritableStream<'js> {
    /// [[backpressure]]
    backpressure: Cell<bool>,
    /// [[closeRequest]]
    close_request: DomRefCell<Option<Deferred<'js>>>,
    /// [[controller]]
    controller: DomRefCell<Option<Dom<'js, WritableStreamDefaultController<'js>>>>,
    /// [[inFlightWriteRequest]]
    in_flight_write_request: DomRefCell<Option<Deferred<'js>>>,
    /// [[inFlightCloseRequest]]
    in_flight_close_request: DomRefCell<Option<Deferred<'js>>>,
    /// [[pendingAbortRequest]]
    pending_abort_request: DomRefCell<Option<PendingAbortRequest<'js>>>,
    /// [[state]]
    state: Cell<WritableState>,
    /// [[storedError]]
    stored_error: DomRefCell<Option<Value<'js>>>,
    /// [[writer]]
    writer: DomRefCell<Option<Dom<'js, WritableStreamDefaultWriter<'js>>>>,
    /// [[writeRequests]]
    write_requests: DomRefCell<VecDeque<Deferred<'js>>>,
    /// What the constructor converted, for the set-up once the object exists.
    pending: DomRefCell<Option<PendingSink<'js>>>,
}

struct PendingSink<'js> {
    sink: Value<'js>,
    dict: UnderlyingSink<'js>,
    hwm: f64,
    size: Option<crate::dom::bindings::codegen::QueuingStrategySize<'js>>,
}

impl<'js> Trace<'js> for PendingSink<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.sink.trace(tracer);
        for c in [
            self.dict.start.as_ref().map(|c| &c.callback),
            self.dict.write.as_ref().map(|c| &c.callback),
            self.dict.close.as_ref().map(|c| &c.callback),
            self.dict.abort.as_ref().map(|c| &c.callback),
            self.size.as_ref().map(|c| &c.callback),
        ]
        .into_iter()
        .flatten()
        {
            c.trace(tracer);
        }
    }
}

impl<'js> Trace<'js> for WritableStream<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.close_request.trace(tracer);
        self.controller.trace(tracer);
        self.in_flight_write_request.trace(tracer);
        self.in_flight_close_request.trace(tracer);
        self.pending_abort_request.trace(tracer);
        self.stored_error.trace(tracer);
        self.writer.trace(tracer);
        for r in self.write_requests.borrow().iter() {
            r.trace(tracer);
        }
        self.pending.trace(tracer);
    }
}

fn undefined<'js>(ctx: &Ctx<'js>) -> Value<'js> {
    Value::new_undefined(ctx.clone())
}

fn type_error<'js>(ctx: &Ctx<'js>, message: &str) -> Value<'js> {
    crate::dom::bindings::error::error_value(ctx, Error::Type(message.into()))
}

impl<'js> WritableStream<'js> {
    /// <https://streams.spec.whatwg.org/#initialize-writable-stream>
    pub fn new_inherited() -> WritableStream<'js> {
        WritableStream {
            backpressure: Cell::new(false),
            close_request: DomRefCell::new(None),
            controller: DomRefCell::new(None),
            in_flight_write_request: DomRefCell::new(None),
            in_flight_close_request: DomRefCell::new(None),
            pending_abort_request: DomRefCell::new(None),
            state: Cell::new(WritableState::Writable),
            stored_error: DomRefCell::new(None),
            writer: DomRefCell::new(None),
            write_requests: DomRefCell::new(VecDeque::new()),
            pending: DomRefCell::new(None),
        }
    }

    pub fn state(&self) -> WritableState {
        self.state.get()
    }
    pub fn stored_error(&self, ctx: &Ctx<'js>) -> Value<'js> {
        self.stored_error
            .borrow()
            .clone()
            .unwrap_or_else(|| undefined(ctx))
    }
    pub fn controller(&self) -> Dom<'js, WritableStreamDefaultController<'js>> {
        self.controller
            .borrow()
            .clone()
            .expect("a set-up stream has a controller")
    }
    pub fn controller_opt(&self) -> Option<Dom<'js, WritableStreamDefaultController<'js>>> {
        self.controller.borrow().clone()
    }
    pub fn set_controller(&self, c: Dom<'js, WritableStreamDefaultController<'js>>) {
        *self.controller.borrow_mut() = Some(c);
    }
    pub fn writer(&self) -> Option<Dom<'js, WritableStreamDefaultWriter<'js>>> {
        self.writer.borrow().clone()
    }
    pub fn set_writer(&self, w: Option<Dom<'js, WritableStreamDefaultWriter<'js>>>) {
        *self.writer.borrow_mut() = w;
    }
    pub fn backpressure(&self) -> bool {
        self.backpressure.get()
    }

    /// <https://streams.spec.whatwg.org/#is-writable-stream-locked>
    pub fn is_locked(&self) -> bool {
        self.writer.borrow().is_some()
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-close-queued-or-in-flight>
    pub fn close_queued_or_in_flight(&self) -> bool {
        self.close_request.borrow().is_some() || self.in_flight_close_request.borrow().is_some()
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-has-operation-marked-in-flight>
    pub fn has_operation_marked_in_flight(&self) -> bool {
        self.in_flight_write_request.borrow().is_some()
            || self.in_flight_close_request.borrow().is_some()
    }

    pub fn has_in_flight_write(&self) -> bool {
        self.in_flight_write_request.borrow().is_some()
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-abort>
pub fn writable_stream_abort<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    // Step 1. Closed or errored: resolved.
    if matches!(
        stream.state(),
        WritableState::Closed | WritableState::Errored
    ) {
        return promise_resolved_with(ctx, undefined(ctx));
    }
    // Step 2. Signal abort on the controller's abort controller with reason.
    stream.controller().signal_abort(ctx, reason.clone());
    // Step 3. Re-check the state (abort listeners ran).
    let state = stream.state();
    if matches!(state, WritableState::Closed | WritableState::Errored) {
        return promise_resolved_with(ctx, undefined(ctx));
    }
    // Step 4. An abort already pending: its promise.
    if let Some(p) = stream.pending_abort_request.borrow().as_ref() {
        return Ok(p.promise.promise.clone());
    }
    // Steps 6-7. Already erroring: the reason is undefined.
    let was_already_erroring = state == WritableState::Erroring;
    let reason = if was_already_erroring {
        undefined(ctx)
    } else {
        reason
    };
    // Steps 8-9. The pending abort request.
    let promise = Deferred::new(ctx)?;
    *stream.pending_abort_request.borrow_mut() = Some(PendingAbortRequest {
        promise: promise.clone(),
        reason: reason.clone(),
        was_already_erroring,
    });
    // Step 10. Start erroring.
    if !was_already_erroring {
        writable_stream_start_erroring(ctx, stream, reason);
    }
    Ok(promise.promise)
}

/// <https://streams.spec.whatwg.org/#writable-stream-close>
pub fn writable_stream_close<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
) -> Fallible<Promise<'js>> {
    // Step 2. Closed or errored: a TypeError.
    let state = stream.state();
    if matches!(state, WritableState::Closed | WritableState::Errored) {
        return promise_rejected_with(ctx, type_error(ctx, "the stream is closed or errored"));
    }
    // Steps 5-6. The close request.
    let promise = Deferred::new(ctx)?;
    *stream.close_request.borrow_mut() = Some(promise.clone());
    // Step 8. A writer waiting for backpressure is ready.
    if let Some(writer) = stream.writer() {
        if stream.backpressure() && state == WritableState::Writable {
            writer.ready_deferred().resolve(undefined(ctx));
        }
    }
    // Step 9. WritableStreamDefaultControllerClose.
    stream.controller().close_(ctx);
    Ok(promise.promise)
}

/// <https://streams.spec.whatwg.org/#writable-stream-add-write-request>
pub fn writable_stream_add_write_request<'js>(
    ctx: &Ctx<'js>,
    stream: &WritableStream<'js>,
) -> Fallible<Promise<'js>> {
    let promise = Deferred::new(ctx)?;
    stream
        .write_requests
        .borrow_mut()
        .push_back(promise.clone());
    Ok(promise.promise)
}

/// <https://streams.spec.whatwg.org/#writable-stream-deal-with-rejection>
pub fn writable_stream_deal_with_rejection<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
    error: Value<'js>,
) {
    // Step 2. Writable: start erroring.
    if stream.state() == WritableState::Writable {
        writable_stream_start_erroring(ctx, stream, error);
        return;
    }
    // Step 4. Erroring: finish.
    writable_stream_finish_erroring(ctx, stream);
}

/// <https://streams.spec.whatwg.org/#writable-stream-finish-erroring>
pub fn writable_stream_finish_erroring<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
) {
    // Step 3. Errored.
    stream.state.set(WritableState::Errored);
    // Step 4. The controller's [[ErrorSteps]].
    stream.controller().error_steps();
    // Steps 5-7. Reject the write requests with the stored error.
    let stored = stream.stored_error(ctx);
    let requests: Vec<_> = stream.write_requests.borrow_mut().drain(..).collect();
    for r in requests {
        r.reject(stored.clone());
    }
    // Step 8. No pending abort: reject close and closed.
    let abort_request = stream.pending_abort_request.borrow_mut().take();
    let Some(abort_request) = abort_request else {
        writable_stream_reject_close_and_closed_promise_if_needed(ctx, stream);
        return;
    };
    // Step 11. Already erroring: reject the abort.
    if abort_request.was_already_erroring {
        abort_request.promise.reject(stored);
        writable_stream_reject_close_and_closed_promise_if_needed(ctx, stream);
        return;
    }
    // Step 12. The controller's [[AbortSteps]].
    let promise = match stream
        .controller()
        .abort_steps(ctx, abort_request.reason.clone())
    {
        Ok(p) => p,
        Err(e) => {
            abort_request
                .promise
                .reject(crate::dom::bindings::error::error_value(ctx, e));
            writable_stream_reject_close_and_closed_promise_if_needed(ctx, stream);
            return;
        }
    };
    // Steps 13-14. Settle the abort, then reject close and closed.
    #[derive(Clone)]
    struct State<'js>(Dom<'js, WritableStream<'js>>, Deferred<'js>);
    impl<'js> Trace<'js> for State<'js> {
        fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.0.trace(tracer);
            self.1.trace(tracer);
        }
    }
    fn fulfilled<'a, 'js>(s: &State<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        let ctx = params.ctx();
        s.1.resolve(undefined(ctx));
        writable_stream_reject_close_and_closed_promise_if_needed(ctx, &s.0);
        Ok(undefined(ctx))
    }
    fn rejected<'a, 'js>(s: &State<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        let ctx = params.ctx();
        s.1.reject(glue::arg(params, 0));
        writable_stream_reject_close_and_closed_promise_if_needed(ctx, &s.0);
        Ok(undefined(ctx))
    }
    let state = State(stream.clone(), abort_request.promise);
    if let Err(e) = callback::react(ctx, &promise, state, fulfilled, rejected) {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-close>
pub fn writable_stream_finish_in_flight_close<'js>(ctx: &Ctx<'js>, stream: &WritableStream<'js>) {
    // Steps 2-3. Resolve and clear the in-flight close request.
    if let Some(r) = stream.in_flight_close_request.borrow_mut().take() {
        r.resolve(undefined(ctx));
    }
    // Step 6. Erroring: the stored error goes; a pending abort resolves.
    if stream.state() == WritableState::Erroring {
        stream.stored_error.borrow_mut().take();
        if let Some(abort) = stream.pending_abort_request.borrow_mut().take() {
            abort.promise.resolve(undefined(ctx));
        }
    }
    // Step 7. Closed.
    stream.state.set(WritableState::Closed);
    // Step 9. The writer's closed promise resolves.
    if let Some(writer) = stream.writer() {
        writer.closed_deferred().resolve(undefined(ctx));
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-close-with-error>
pub fn writable_stream_finish_in_flight_close_with_error<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
    error: Value<'js>,
) {
    // Steps 2-3. Reject and clear the in-flight close request.
    if let Some(r) = stream.in_flight_close_request.borrow_mut().take() {
        r.reject(error.clone());
    }
    // Step 5. A pending abort rejects too.
    if let Some(abort) = stream.pending_abort_request.borrow_mut().take() {
        abort.promise.reject(error.clone());
    }
    // Step 6. Deal with the rejection.
    writable_stream_deal_with_rejection(ctx, stream, error);
}

/// <https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-write>
pub fn writable_stream_finish_in_flight_write<'js>(ctx: &Ctx<'js>, stream: &WritableStream<'js>) {
    if let Some(r) = stream.in_flight_write_request.borrow_mut().take() {
        r.resolve(undefined(ctx));
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-write-with-error>
pub fn writable_stream_finish_in_flight_write_with_error<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
    error: Value<'js>,
) {
    if let Some(r) = stream.in_flight_write_request.borrow_mut().take() {
        r.reject(error.clone());
    }
    writable_stream_deal_with_rejection(ctx, stream, error);
}

/// <https://streams.spec.whatwg.org/#writable-stream-mark-close-request-in-flight>
pub fn writable_stream_mark_close_request_in_flight(stream: &WritableStream<'_>) {
    let request = stream.close_request.borrow_mut().take();
    *stream.in_flight_close_request.borrow_mut() = request;
}

/// <https://streams.spec.whatwg.org/#writable-stream-mark-first-write-request-in-flight>
pub fn writable_stream_mark_first_write_request_in_flight(stream: &WritableStream<'_>) {
    let request = stream.write_requests.borrow_mut().pop_front();
    *stream.in_flight_write_request.borrow_mut() = request;
}

/// <https://streams.spec.whatwg.org/#writable-stream-reject-close-and-closed-promise-if-needed>
pub fn writable_stream_reject_close_and_closed_promise_if_needed<'js>(
    ctx: &Ctx<'js>,
    stream: &WritableStream<'js>,
) {
    let stored = stream.stored_error(ctx);
    // Step 2. A close request rejects with the stored error.
    if let Some(r) = stream.close_request.borrow_mut().take() {
        r.reject(stored.clone());
    }
    // Step 4. The writer's closed promise rejects (handled).
    if let Some(writer) = stream.writer() {
        let closed = writer.closed_deferred();
        closed.reject(stored);
        closed.mark_handled(ctx);
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-start-erroring>
pub fn writable_stream_start_erroring<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
    reason: Value<'js>,
) {
    // Steps 5-6. Erroring, with the reason stored.
    stream.state.set(WritableState::Erroring);
    *stream.stored_error.borrow_mut() = Some(reason.clone());
    // Step 8. The writer's ready promise rejects.
    if let Some(writer) = stream.writer() {
        writer.ensure_ready_promise_rejected(ctx, reason);
    }
    // Step 9. Nothing in flight and started: finish erroring.
    if !stream.has_operation_marked_in_flight() && stream.controller().started() {
        writable_stream_finish_erroring(ctx, stream);
    }
}

/// <https://streams.spec.whatwg.org/#writable-stream-update-backpressure>
pub fn writable_stream_update_backpressure<'js>(
    ctx: &Ctx<'js>,
    stream: &WritableStream<'js>,
    backpressure: bool,
) {
    // Step 4. A writer's ready promise follows.
    if let Some(writer) = stream.writer() {
        if backpressure != stream.backpressure.get() {
            if backpressure {
                if let Ok(d) = Deferred::new(ctx) {
                    writer.set_ready_deferred(d);
                }
            } else {
                writer.ready_deferred().resolve(undefined(ctx));
            }
        }
    }
    // Step 5. Set [[backpressure]].
    stream.backpressure.set(backpressure);
}

/// <https://streams.spec.whatwg.org/#acquire-writable-stream-default-writer>
pub fn acquire_writable_stream_default_writer<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, WritableStream<'js>>,
) -> Fallible<Dom<'js, WritableStreamDefaultWriter<'js>>> {
    let writer = reflect_dom_object(ctx, WritableStreamDefaultWriter::new_inherited(ctx)?)?;
    WritableStreamDefaultWriter::set_up(ctx, &writer, stream)?;
    Ok(writer)
}

impl<'js> WritableStreamMethods<'js> for WritableStream<'js> {
    /// <https://streams.spec.whatwg.org/#ws-constructor>
    fn Constructor(
        cx: &Cx<'js>,
        underlying_sink: Option<Object<'js>>,
        strategy: QueuingStrategy<'js>,
    ) -> Fallible<Self> {
        // Steps 1-2. The sink (null if missing) as the UnderlyingSink dictionary.
        let sink = underlying_sink
            .map(|o| o.into_value())
            .unwrap_or_else(|| Value::new_null(cx.ctx.clone()));
        let dict = UnderlyingSink::from_js(&cx.ctx, &sink, "underlyingSink")?;
        // Step 3. A type: RangeError (no writable stream types are defined).
        if dict.r#type.as_ref().is_some_and(|t| !t.is_undefined()) {
            return Err(Error::Range("invalid type for an underlying sink".into()));
        }
        // Steps 5-6. The size algorithm and high-water mark (default 1).
        let hwm = extract_high_water_mark(&strategy, 1.0)?;
        // Step 4. InitializeWritableStream; step 7 runs once the object exists.
        let stream = WritableStream::new_inherited();
        *stream.pending.borrow_mut() = Some(PendingSink {
            sink,
            dict,
            hwm,
            size: strategy.size,
        });
        Ok(stream)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        // Step 7. SetUpWritableStreamDefaultControllerFromUnderlyingSink.
        let Some(p) = this.pending.borrow_mut().take() else {
            return Ok(());
        };
        WritableStreamDefaultController::set_up_from_underlying_sink(
            &cx.ctx, this, p.sink, p.dict, p.hwm, p.size,
        )
    }

    /// <https://streams.spec.whatwg.org/#ws-locked>
    fn locked(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.is_locked())
    }

    /// <https://streams.spec.whatwg.org/#ws-abort>
    fn abort(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<Promise<'js>> {
        let this = this_stream(cx)?;
        // Step 1. Locked: TypeError.
        if self.is_locked() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the stream is locked".into()));
        }
        // Step 2. WritableStreamAbort(this, reason).
        writable_stream_abort(&cx.ctx, &this, reason.unwrap_or_else(|| undefined(&cx.ctx)))
    }

    /// <https://streams.spec.whatwg.org/#ws-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let this = this_stream(cx)?;
        // Steps 1-2. Locked, or closing: TypeError.
        if self.is_locked() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the stream is locked".into()));
        }
        if self.close_queued_or_in_flight() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the stream is closing".into()));
        }
        // Step 3. WritableStreamClose(this).
        writable_stream_close(&cx.ctx, &this)
    }

    /// <https://streams.spec.whatwg.org/#ws-get-writer>
    fn getWriter(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, WritableStreamDefaultWriter<'js>>> {
        let this = this_stream(cx)?;
        acquire_writable_stream_default_writer(&cx.ctx, &this)
    }
}

fn this_stream<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, WritableStream<'js>>> {
    <WritableStream as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}
