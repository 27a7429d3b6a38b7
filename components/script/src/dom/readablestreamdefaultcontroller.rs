//! <https://streams.spec.whatwg.org/#rs-default-controller-class>: a readable stream's default
//! controller, its queue with sizes, and the abstract operations named after the spec's.

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ReadableStreamDefaultControllerBinding::ReadableStreamDefaultControllerMethods;
use crate::dom::bindings::codegen::{QueuingStrategySize, UnderlyingSource};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{
    promise_resolved_with, readable_stream_add_read_request, readable_stream_close,
    readable_stream_error, readable_stream_fulfill_read_request,
    readable_stream_get_num_read_requests, ReadRequest, ReadableStream, SourceAlgorithms,
    StreamController, StreamState,
};
use std::cell::Cell;
use std::collections::VecDeque;

/// <https://streams.spec.whatwg.org/#readablestreamdefaultcontroller>
pub struct ReadableStreamDefaultController<'js> {
    /// [[stream]]
    stream: Dom<'js, ReadableStream<'js>>,
    /// [[queue]] and [[queueTotalSize]]: chunks with their sizes.
    queue: DomRefCell<VecDeque<(Value<'js>, f64)>>,
    queue_total_size: Cell<f64>,
    /// [[started]], [[closeRequested]], [[pullAgain]], [[pulling]]
    started: Cell<bool>,
    close_requested: Cell<bool>,
    pull_again: Cell<bool>,
    pulling: Cell<bool>,
    /// [[strategyHWM]]
    strategy_hwm: f64,
    /// [[strategySizeAlgorithm]] (none: every chunk has size 1); cleared with the algorithms.
    strategy_size: DomRefCell<Option<QueuingStrategySize<'js>>>,
    /// [[pullAlgorithm]] and [[cancelAlgorithm]] (none once cleared).
    algorithms: DomRefCell<Option<SourceAlgorithms<'js>>>,
}

impl<'js> Trace<'js> for ReadableStreamDefaultController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.stream.trace(tracer);
        for (chunk, _) in self.queue.borrow().iter() {
            chunk.trace(tracer);
        }
        if let Some(size) = self.strategy_size.borrow().as_ref() {
            size.callback.trace(tracer);
        }
        self.algorithms.trace(tracer);
    }
}

#[derive(Clone)]
struct This<'js>(Dom<'js, ReadableStreamDefaultController<'js>>);

impl<'js> Trace<'js> for This<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

impl<'js> ReadableStreamDefaultController<'js> {
    /// [[stream]]
    pub fn stream(&self) -> &Dom<'js, ReadableStream<'js>> {
        &self.stream
    }

    /// <https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller-from-underlying-source>
    pub fn set_up_from_underlying_source(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, ReadableStream<'js>>,
        source: Value<'js>,
        dict: UnderlyingSource<'js>,
        hwm: f64,
        size: Option<QueuingStrategySize<'js>>,
    ) -> Fallible<()> {
        // Steps 2-7. The algorithms: the dictionary's callbacks, with the source as `this`.
        let algorithms = SourceAlgorithms::Script {
            source: source.clone(),
            pull: dict.pull,
            cancel: dict.cancel,
        };
        // Step 8. SetUpReadableStreamDefaultController (startAlgorithm: invoke start).
        let start = dict.start;
        Self::set_up(
            ctx,
            stream,
            algorithms,
            size,
            hwm,
            Some(Box::new(move |ctx, controller| match &start {
                Some(start) => start.call(
                    ctx,
                    source.clone(),
                    StreamController::Default(controller.clone()).to_union(),
                ),
                None => Ok(Value::new_undefined(ctx.clone())),
            })),
        )
    }

    /// <https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller>
    /// (`start`: the start algorithm; none returns undefined).
    #[allow(clippy::type_complexity)]
    pub fn set_up(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, ReadableStream<'js>>,
        algorithms: SourceAlgorithms<'js>,
        size: Option<QueuingStrategySize<'js>>,
        hwm: f64,
        start: Option<
            Box<
                dyn FnOnce(
                        &Ctx<'js>,
                        &Dom<'js, ReadableStreamDefaultController<'js>>,
                    ) -> Fallible<Value<'js>>
                    + 'js,
            >,
        >,
    ) -> Fallible<()> {
        // Steps 1-6. A controller of stream, empty queue, flags false, the strategy and
        // algorithms.
        let controller = reflect_dom_object(
            ctx,
            ReadableStreamDefaultController {
                stream: stream.clone(),
                queue: DomRefCell::new(VecDeque::new()),
                queue_total_size: Cell::new(0.0),
                started: Cell::new(false),
                close_requested: Cell::new(false),
                pull_again: Cell::new(false),
                pulling: Cell::new(false),
                strategy_hwm: hwm,
                strategy_size: DomRefCell::new(size),
                algorithms: DomRefCell::new(Some(algorithms)),
            },
        )?;
        // Step 7. Set stream.[[controller]] to controller.
        stream.set_controller(controller.clone());
        // Step 8. startResult: the start algorithm (an exception is rethrown).
        let start_result = match start {
            Some(start) => start(ctx, &controller)?,
            None => Value::new_undefined(ctx.clone()),
        };
        // Step 9. startPromise: a promise resolved with startResult.
        let start_promise = promise_resolved_with(ctx, start_result)?;
        // Step 10. Upon fulfillment: started, then pull if needed.
        fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.started.set(true);
            this.0.call_pull_if_needed(params.ctx());
            Ok(Value::new_undefined(params.ctx().clone()))
        }
        // Step 11. Upon rejection with r: ReadableStreamDefaultControllerError(r).
        fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.error_stream(params.ctx(), glue::arg(params, 0));
            Ok(Value::new_undefined(params.ctx().clone()))
        }
        callback::react(ctx, &start_promise, This(controller), fulfilled, rejected)
    }

    fn this(&self) -> Option<Dom<'js, ReadableStreamDefaultController<'js>>> {
        self.stream.controller()
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-call-pull-if-needed>
    pub fn call_pull_if_needed(&self, ctx: &Ctx<'js>) {
        // Steps 1-2. Not needed: return.
        if !self.should_call_pull() {
            return;
        }
        // Step 3. Already pulling: pull again after.
        if self.pulling.get() {
            self.pull_again.set(true);
            return;
        }
        // Steps 4-5. Pulling.
        self.pulling.set(true);
        let Some(this) = self.this() else { return };
        let Some(algorithms) = self.algorithms.borrow().clone() else {
            return;
        };
        // Step 6. pullPromise: the pull algorithm.
        let pull_promise = match algorithms.pull(ctx, &StreamController::Default(this.clone())) {
            Ok(p) => p,
            Err(e) => {
                self.error_stream(ctx, crate::dom::bindings::error::error_value(ctx, e));
                return;
            }
        };
        // Step 7. Upon fulfillment: not pulling; pull again if asked.
        fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.pulling.set(false);
            if this.0.pull_again.replace(false) {
                this.0.call_pull_if_needed(params.ctx());
            }
            Ok(Value::new_undefined(params.ctx().clone()))
        }
        // Step 8. Upon rejection with e: error the controller.
        fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.error_stream(params.ctx(), glue::arg(params, 0));
            Ok(Value::new_undefined(params.ctx().clone()))
        }
        if let Err(e) = callback::react(ctx, &pull_promise, This(this), fulfilled, rejected) {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
        }
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-should-call-pull>
    fn should_call_pull(&self) -> bool {
        // Steps 2-3. Not if it cannot close or enqueue, or has not started.
        if !self.can_close_or_enqueue() || !self.started.get() {
            return false;
        }
        // Step 4. A locked stream with pending reads: pull.
        if self.stream.is_locked() && readable_stream_get_num_read_requests(&self.stream) > 0 {
            return true;
        }
        // Steps 5-8. Room in the queue: pull.
        self.get_desired_size().is_some_and(|d| d > 0.0)
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-has-backpressure>
    pub fn has_backpressure(&self) -> bool {
        !self.should_call_pull()
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-clear-algorithms>
    fn clear_algorithms(&self) {
        self.algorithms.borrow_mut().take();
        self.strategy_size.borrow_mut().take();
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-close>
    pub fn close_stream(&self, ctx: &Ctx<'js>) {
        // Step 1. Cannot close: return.
        if !self.can_close_or_enqueue() {
            return;
        }
        // Step 3. closeRequested.
        self.close_requested.set(true);
        // Step 4. An empty queue: clear the algorithms and close the stream.
        if self.queue.borrow().is_empty() {
            self.clear_algorithms();
            readable_stream_close(ctx, &self.stream);
        }
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-enqueue>
    pub fn enqueue_chunk(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<()> {
        // Step 1. Cannot enqueue: return.
        if !self.can_close_or_enqueue() {
            return Ok(());
        }
        // Step 3. A pending read gets the chunk directly.
        if self.stream.is_locked() && readable_stream_get_num_read_requests(&self.stream) > 0 {
            readable_stream_fulfill_read_request(ctx, &self.stream, chunk, false);
        } else {
            // Step 4.1. The chunk's size (an exception errors the stream and is rethrown).
            let size = self.strategy_size.borrow().clone();
            let chunk_size = match size {
                Some(size) => {
                    match size.call(ctx, Value::new_undefined(ctx.clone()), chunk.clone()) {
                        Ok(s) => s,
                        Err(e) => {
                            let e = crate::dom::bindings::error::error_value(ctx, e);
                            self.error_stream(ctx, e.clone());
                            return Err(rethrow(ctx, e));
                        }
                    }
                }
                None => 1.0,
            };
            // Step 4.4. EnqueueValueWithSize (a RangeError errors the stream, rethrown).
            if let Err(e) = self.enqueue_value_with_size(chunk, chunk_size) {
                let e = crate::dom::bindings::error::error_value(ctx, e);
                self.error_stream(ctx, e.clone());
                return Err(rethrow(ctx, e));
            }
        }
        // Step 5. Pull if needed.
        self.call_pull_if_needed(ctx);
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#enqueue-value-with-size>
    fn enqueue_value_with_size(&self, value: Value<'js>, size: f64) -> Fallible<()> {
        // Steps 2-3. The size must be a non-negative, finite number.
        if size.is_nan() || size < 0.0 || size.is_infinite() {
            return Err(Error::Range(
                "a chunk's size must be a finite, non-negative number".into(),
            ));
        }
        // Steps 4-5. Append, and count it.
        self.queue.borrow_mut().push_back((value, size));
        self.queue_total_size
            .set(self.queue_total_size.get() + size);
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#dequeue-value>
    fn dequeue_value(&self) -> Option<Value<'js>> {
        let (value, size) = self.queue.borrow_mut().pop_front()?;
        // Step 5. Rounding errors never make the total negative.
        self.queue_total_size
            .set((self.queue_total_size.get() - size).max(0.0));
        Some(value)
    }

    /// <https://streams.spec.whatwg.org/#reset-queue>
    fn reset_queue(&self) {
        self.queue.borrow_mut().clear();
        self.queue_total_size.set(0.0);
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-error>
    pub fn error_stream(&self, ctx: &Ctx<'js>, e: Value<'js>) {
        // Step 2. Not readable: return.
        if self.stream.state() != StreamState::Readable {
            return;
        }
        // Steps 3-5. Reset the queue, clear the algorithms, error the stream.
        self.reset_queue();
        self.clear_algorithms();
        readable_stream_error(ctx, &self.stream, e);
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-get-desired-size>
    pub fn get_desired_size(&self) -> Option<f64> {
        match self.stream.state() {
            StreamState::Errored => None,
            StreamState::Closed => Some(0.0),
            StreamState::Readable => Some(self.strategy_hwm - self.queue_total_size.get()),
        }
    }

    /// <https://streams.spec.whatwg.org/#readable-stream-default-controller-can-close-or-enqueue>
    pub fn can_close_or_enqueue(&self) -> bool {
        !self.close_requested.get() && self.stream.state() == StreamState::Readable
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-private-cancel>
    pub fn cancel_steps(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        // Step 1. ResetQueue.
        self.reset_queue();
        // Step 2. The cancel algorithm's result.
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(a) => a.cancel(ctx, reason),
            None => promise_resolved_with(ctx, Value::new_undefined(ctx.clone())),
        };
        // Step 3. Clear the algorithms.
        self.clear_algorithms();
        result
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-private-pull>
    pub fn pull_steps(&self, ctx: &Ctx<'js>, request: Box<dyn ReadRequest<'js> + 'js>) {
        // Step 2. A queued chunk: take it.
        if let Some(chunk) = self.dequeue_value() {
            // Steps 2.2-2.3. Close once drained after close(), else pull if needed.
            if self.close_requested.get() && self.queue.borrow().is_empty() {
                self.clear_algorithms();
                readable_stream_close(ctx, &self.stream);
            } else {
                self.call_pull_if_needed(ctx);
            }
            // Step 2.4. The read request's chunk steps.
            request.chunk_steps(ctx, chunk);
        } else {
            // Step 3. Wait for a chunk, and pull.
            readable_stream_add_read_request(&self.stream, request);
            self.call_pull_if_needed(ctx);
        }
    }
}

/// An exception value, thrown again (for a method whose algorithm rethrows it).
fn rethrow<'js>(ctx: &Ctx<'js>, e: Value<'js>) -> Error {
    let _ = ctx.throw(e);
    Error::JsException
}

impl<'js> ReadableStreamDefaultControllerMethods<'js> for ReadableStreamDefaultController<'js> {
    /// <https://streams.spec.whatwg.org/#rs-default-controller-desired-size>
    fn desiredSize(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        Ok(self.get_desired_size())
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Cannot close: TypeError.
        if !self.can_close_or_enqueue() {
            return Err(Error::Type(
                "the stream is closed or closing, or errored".into(),
            ));
        }
        // Step 2. ReadableStreamDefaultControllerClose(this).
        self.close_stream(&cx.ctx);
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-enqueue>
    fn enqueue(&self, cx: &Cx<'js>, chunk: Option<Value<'js>>) -> Fallible<()> {
        // Step 1. Cannot enqueue: TypeError.
        if !self.can_close_or_enqueue() {
            return Err(Error::Type(
                "the stream is closed or closing, or errored".into(),
            ));
        }
        // Step 2. ReadableStreamDefaultControllerEnqueue(this, chunk).
        let chunk = chunk.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        self.enqueue_chunk(&cx.ctx, chunk)
    }

    /// <https://streams.spec.whatwg.org/#rs-default-controller-error>
    fn error(&self, cx: &Cx<'js>, e: Option<Value<'js>>) -> Fallible<()> {
        let e = e.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        self.error_stream(&cx.ctx, e);
        Ok(())
    }
}
