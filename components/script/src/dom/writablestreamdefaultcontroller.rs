//! <https://streams.spec.whatwg.org/#ws-default-controller-class>: a writable stream's default
//! controller, its queue (with the close sentinel) and its abstract operations.

use crate::dom::abortsignal::AbortSignal;
use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::WritableStreamDefaultControllerBinding::WritableStreamDefaultControllerMethods;
use crate::dom::bindings::codegen::{
    QueuingStrategySize, UnderlyingSink, UnderlyingSinkAbortCallback, UnderlyingSinkCloseCallback,
    UnderlyingSinkWriteCallback,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{promise_rejected_with, promise_resolved_with};
use crate::dom::writablestream::{
    writable_stream_deal_with_rejection, writable_stream_finish_erroring,
    writable_stream_finish_in_flight_close, writable_stream_finish_in_flight_close_with_error,
    writable_stream_finish_in_flight_write, writable_stream_finish_in_flight_write_with_error,
    writable_stream_mark_close_request_in_flight,
    writable_stream_mark_first_write_request_in_flight, writable_stream_start_erroring,
    writable_stream_update_backpressure, WritableState, WritableStream,
};
use std::cell::Cell;
use std::collections::VecDeque;

/// A queued value: a chunk, or the close sentinel.
#[derive(Clone)]
enum Queued<'js> {
    Chunk(Value<'js>),
    Close,
}

/// A Rust underlying sink (a TransformStream's writable side).
pub trait NativeSink<'js> {
    fn write(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<Promise<'js>>;
    fn close(&self, ctx: &Ctx<'js>) -> Fallible<Promise<'js>>;
    fn abort(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>>;
    fn trace_sink<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// [[writeAlgorithm]], [[closeAlgorithm]] and [[abortAlgorithm]]: the sink's callbacks (with
/// the sink as `this`), or Rust's.
#[derive(Clone)]
pub enum SinkAlgorithms<'js> {
    Script {
        sink: Value<'js>,
        write: Option<UnderlyingSinkWriteCallback<'js>>,
        close: Option<UnderlyingSinkCloseCallback<'js>>,
        abort: Option<UnderlyingSinkAbortCallback<'js>>,
    },
    Native(std::rc::Rc<dyn NativeSink<'js> + 'js>),
}

impl<'js> Trace<'js> for SinkAlgorithms<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            SinkAlgorithms::Script {
                sink,
                write,
                close,
                abort,
            } => {
                sink.trace(tracer);
                for c in [
                    write.as_ref().map(|c| &c.callback),
                    close.as_ref().map(|c| &c.callback),
                    abort.as_ref().map(|c| &c.callback),
                ]
                .into_iter()
                .flatten()
                {
                    c.trace(tracer);
                }
            }
            SinkAlgorithms::Native(n) => n.trace_sink(tracer),
        }
    }
}

impl<'js> SinkAlgorithms<'js> {
    fn write(
        &self,
        ctx: &Ctx<'js>,
        chunk: Value<'js>,
        controller: Dom<'js, WritableStreamDefaultController<'js>>,
    ) -> Fallible<Promise<'js>> {
        match self {
            SinkAlgorithms::Script { sink, write, .. } => match write {
                Some(w) => w.call(ctx, sink.clone(), chunk, controller),
                None => promise_resolved_with(ctx, undefined(ctx)),
            },
            SinkAlgorithms::Native(n) => n.write(ctx, chunk),
        }
    }
    fn close(&self, ctx: &Ctx<'js>) -> Fallible<Promise<'js>> {
        match self {
            SinkAlgorithms::Script { sink, close, .. } => match close {
                Some(c) => c.call(ctx, sink.clone()),
                None => promise_resolved_with(ctx, undefined(ctx)),
            },
            SinkAlgorithms::Native(n) => n.close(ctx),
        }
    }
    fn abort(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        match self {
            SinkAlgorithms::Script { sink, abort, .. } => match abort {
                Some(a) => a.call(ctx, sink.clone(), Some(reason)),
                None => promise_resolved_with(ctx, undefined(ctx)),
            },
            SinkAlgorithms::Native(n) => n.abort(ctx, reason),
        }
    }
}

/// The start algorithm of a writable stream's set-up: its result (a promise or value).
pub type StartAlgorithm<'js> = Box<
    dyn FnOnce(&Ctx<'js>, &Dom<'js, WritableStreamDefaultController<'js>>) -> Fallible<Value<'js>>
        + 'js,
>;

/// <https://streams.spec.whatwg.org/#writablestreamdefaultcontroller>
pub struct WritableStreamDefaultController<'js> {
    /// [[abortController]]'s signal.
    signal: Dom<'js, AbortSignal<'js>>,
    algorithms: DomRefCell<Option<SinkAlgorithms<'js>>>,
    /// [[queue]] and [[queueTotalSize]]
    queue: DomRefCell<VecDeque<(Queued<'js>, f64)>>,
    queue_total_size: Cell<f64>,
    /// [[started]]
    started: Cell<bool>,
    /// [[strategyHWM]]
    strategy_hwm: f64,
    /// [[strategySizeAlgorithm]] (none: size 1; cleared with the algorithms)
    strategy_size: DomRefCell<Option<QueuingStrategySize<'js>>>,
    /// Cleared algorithms: the size algorithm is "undefined" (size 1 then).
    cleared: Cell<bool>,
    /// [[stream]]
    stream: Dom<'js, WritableStream<'js>>,
}

impl<'js> Trace<'js> for WritableStreamDefaultController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.signal.trace(tracer);
        self.algorithms.trace(tracer);
        for (q, _) in self.queue.borrow().iter() {
            if let Queued::Chunk(v) = q {
                v.trace(tracer);
            }
        }
        if let Some(s) = self.strategy_size.borrow().as_ref() {
            s.callback.trace(tracer);
        }
        self.stream.trace(tracer);
    }
}

#[derive(Clone)]
struct This<'js>(Dom<'js, WritableStreamDefaultController<'js>>);

impl<'js> Trace<'js> for This<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

fn undefined<'js>(ctx: &Ctx<'js>) -> Value<'js> {
    Value::new_undefined(ctx.clone())
}

/// An algorithm's result as a promise (an exception is a rejected promise).
fn as_promise<'js>(ctx: &Ctx<'js>, result: Fallible<Promise<'js>>) -> Promise<'js> {
    match result {
        Ok(p) => p,
        Err(e) => {
            let e = crate::dom::bindings::error::error_value(ctx, e);
            promise_rejected_with(ctx, e).expect("a promise")
        }
    }
}

impl<'js> WritableStreamDefaultController<'js> {
    /// <https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller-from-underlying-sink>
    pub fn set_up_from_underlying_sink(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, WritableStream<'js>>,
        sink: Value<'js>,
        dict: UnderlyingSink<'js>,
        hwm: f64,
        size: Option<QueuingStrategySize<'js>>,
    ) -> Fallible<()> {
        // Steps 1-5. The algorithms (the sink's callbacks, or defaults).
        let algorithms = SinkAlgorithms::Script {
            sink: sink.clone(),
            write: dict.write,
            close: dict.close,
            abort: dict.abort,
        };
        // Step 6. SetUpWritableStreamDefaultController (start: invoke start, rethrowing).
        let start = dict.start;
        Self::set_up(
            ctx,
            stream,
            algorithms,
            hwm,
            size,
            Box::new(move |ctx, controller| match &start {
                Some(start) => start.call(ctx, sink, controller.clone()),
                None => Ok(undefined(ctx)),
            }),
        )
    }

    /// <https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller>
    pub fn set_up(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, WritableStream<'js>>,
        algorithms: SinkAlgorithms<'js>,
        hwm: f64,
        size: Option<QueuingStrategySize<'js>>,
        start: StartAlgorithm<'js>,
    ) -> Fallible<()> {
        let controller = reflect_dom_object(
            ctx,
            WritableStreamDefaultController {
                signal: AbortSignal::create(ctx)?,
                algorithms: DomRefCell::new(Some(algorithms)),
                queue: DomRefCell::new(VecDeque::new()),
                queue_total_size: Cell::new(0.0),
                started: Cell::new(false),
                strategy_hwm: hwm,
                strategy_size: DomRefCell::new(size),
                cleared: Cell::new(false),
                stream: stream.clone(),
            },
        )?;
        // SetUpWritableStreamDefaultController. Steps 3-4. Link them.
        stream.set_controller(controller.clone());
        // Steps 13-14. The backpressure now.
        writable_stream_update_backpressure(ctx, stream, controller.get_backpressure());
        // Step 15. startResult (an exception is rethrown).
        let start_result = start(ctx, &controller)?;
        // Step 16. startPromise.
        let start_promise = promise_resolved_with(ctx, start_result)?;
        // Step 17. Upon fulfillment: started; advance the queue.
        fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.started.set(true);
            this.0.advance_queue_if_needed(params.ctx());
            Ok(undefined(params.ctx()))
        }
        // Step 18. Upon rejection with r: started; deal with the rejection.
        fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            this.0.started.set(true);
            writable_stream_deal_with_rejection(params.ctx(), &this.0.stream, glue::arg(params, 0));
            Ok(undefined(params.ctx()))
        }
        callback::react(ctx, &start_promise, This(controller), fulfilled, rejected)
    }

    pub fn started(&self) -> bool {
        self.started.get()
    }

    /// Signal abort on [[abortController]] with `reason`.
    pub fn signal_abort(&self, ctx: &Ctx<'js>, reason: Value<'js>) {
        AbortSignal::signal_abort(&self.signal, ctx, Some(reason));
    }

    /// <https://streams.spec.whatwg.org/#ws-default-controller-private-abort>
    pub fn abort_steps(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        // Step 1. The abort algorithm's result.
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(a) => a.abort(ctx, reason),
            None => promise_resolved_with(ctx, undefined(ctx)),
        };
        // Step 2. Clear the algorithms.
        self.clear_algorithms();
        Ok(as_promise(ctx, result))
    }

    /// <https://streams.spec.whatwg.org/#ws-default-controller-private-error>
    pub fn error_steps(&self) {
        // Step 1. ResetQueue.
        self.queue.borrow_mut().clear();
        self.queue_total_size.set(0.0);
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-advance-queue-if-needed>
    pub fn advance_queue_if_needed(&self, ctx: &Ctx<'js>) {
        // Steps 2-3. Not started, or a write in flight: return.
        if !self.started.get() || self.stream.has_in_flight_write() {
            return;
        }
        // Step 6. Erroring: finish.
        if self.stream.state() == WritableState::Erroring {
            writable_stream_finish_erroring(ctx, &self.stream);
            return;
        }
        if matches!(
            self.stream.state(),
            WritableState::Closed | WritableState::Errored
        ) {
            return;
        }
        // Steps 7-10. The first value: close, or write it.
        let first = self.queue.borrow().front().map(|(q, _)| q.clone());
        match first {
            None => {}
            Some(Queued::Close) => self.process_close(ctx),
            Some(Queued::Chunk(chunk)) => self.process_write(ctx, chunk),
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-clear-algorithms>
    fn clear_algorithms(&self) {
        self.algorithms.borrow_mut().take();
        self.strategy_size.borrow_mut().take();
        self.cleared.set(true);
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-close>
    pub fn close_(&self, ctx: &Ctx<'js>) {
        // Steps 1-2. The close sentinel (size 0), then advance.
        self.queue.borrow_mut().push_back((Queued::Close, 0.0));
        self.advance_queue_if_needed(ctx);
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-error>
    pub fn error_(&self, ctx: &Ctx<'js>, error: Value<'js>) {
        self.clear_algorithms();
        writable_stream_start_erroring(ctx, &self.stream, error);
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-error-if-needed>
    pub fn error_if_needed(&self, ctx: &Ctx<'js>, error: Value<'js>) {
        if self.stream.state() == WritableState::Writable {
            self.error_(ctx, error);
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-get-backpressure>
    pub fn get_backpressure(&self) -> bool {
        self.get_desired_size() <= 0.0
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-get-chunk-size>
    pub fn get_chunk_size(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> f64 {
        let size = self.strategy_size.borrow().clone();
        // Step 1. No size algorithm: 1.
        let Some(size) = size else { return 1.0 };
        // Steps 2-4. Its result; an exception errors the stream (size 1).
        match size.call(ctx, undefined(ctx), chunk) {
            Ok(s) => s,
            Err(e) => {
                let e = crate::dom::bindings::error::error_value(ctx, e);
                self.error_if_needed(ctx, e);
                1.0
            }
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-get-desired-size>
    pub fn get_desired_size(&self) -> f64 {
        self.strategy_hwm - self.queue_total_size.get()
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-process-close>
    fn process_close(&self, ctx: &Ctx<'js>) {
        // Steps 2-3. The close request in flight; dequeue the sentinel.
        writable_stream_mark_close_request_in_flight(&self.stream);
        self.queue.borrow_mut().pop_front();
        // Step 5. sinkClosePromise.
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(a) => a.close(ctx),
            None => promise_resolved_with(ctx, undefined(ctx)),
        };
        let sink_close = as_promise(ctx, result);
        // Step 6. Clear the algorithms.
        self.clear_algorithms();
        // Steps 7-8. Finish the in-flight close, or with the error.
        #[derive(Clone)]
        struct S<'js>(Dom<'js, WritableStream<'js>>);
        impl<'js> Trace<'js> for S<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.0.trace(tracer)
            }
        }
        fn fulfilled<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            writable_stream_finish_in_flight_close(params.ctx(), &s.0);
            Ok(undefined(params.ctx()))
        }
        fn rejected<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            writable_stream_finish_in_flight_close_with_error(
                params.ctx(),
                &s.0,
                glue::arg(params, 0),
            );
            Ok(undefined(params.ctx()))
        }
        if let Err(e) = callback::react(
            ctx,
            &sink_close,
            S(self.stream.clone()),
            fulfilled,
            rejected,
        ) {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-process-write>
    fn process_write(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
        let Some(this) = self.stream.controller_opt() else {
            return;
        };
        // Step 2. The first write request in flight.
        writable_stream_mark_first_write_request_in_flight(&self.stream);
        // Step 3. sinkWritePromise.
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(a) => a.write(ctx, chunk, this.clone()),
            None => promise_resolved_with(ctx, undefined(ctx)),
        };
        let sink_write = as_promise(ctx, result);
        // Step 4. Upon fulfillment: finish the write, dequeue, update backpressure, advance.
        fn fulfilled<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            let ctx = params.ctx();
            let c = &this.0;
            writable_stream_finish_in_flight_write(ctx, &c.stream);
            let state = c.stream.state();
            if let Some((_, size)) = c.queue.borrow_mut().pop_front() {
                c.queue_total_size
                    .set((c.queue_total_size.get() - size).max(0.0));
            }
            if !c.stream.close_queued_or_in_flight() && state == WritableState::Writable {
                writable_stream_update_backpressure(ctx, &c.stream, c.get_backpressure());
            }
            c.advance_queue_if_needed(ctx);
            Ok(undefined(ctx))
        }
        // Step 5. Upon rejection: clear the algorithms if writable; finish with the error.
        fn rejected<'a, 'js>(this: &This<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            let ctx = params.ctx();
            if this.0.stream.state() == WritableState::Writable {
                this.0.clear_algorithms();
            }
            writable_stream_finish_in_flight_write_with_error(
                ctx,
                &this.0.stream,
                glue::arg(params, 0),
            );
            Ok(undefined(ctx))
        }
        if let Err(e) = callback::react(ctx, &sink_write, This(this), fulfilled, rejected) {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-controller-write>
    pub fn write(&self, ctx: &Ctx<'js>, chunk: Value<'js>, chunk_size: f64) {
        // Step 1. EnqueueValueWithSize (a RangeError errors the stream if needed).
        if chunk_size.is_nan() || chunk_size < 0.0 || chunk_size.is_infinite() {
            let e = crate::dom::bindings::error::error_value(
                ctx,
                Error::Range("a chunk's size must be a finite, non-negative number".into()),
            );
            self.error_if_needed(ctx, e);
            return;
        }
        self.queue
            .borrow_mut()
            .push_back((Queued::Chunk(chunk), chunk_size));
        self.queue_total_size
            .set(self.queue_total_size.get() + chunk_size);
        // Step 3. Backpressure, unless closing.
        if !self.stream.close_queued_or_in_flight()
            && self.stream.state() == WritableState::Writable
        {
            writable_stream_update_backpressure(ctx, &self.stream, self.get_backpressure());
        }
        // Step 4. Advance.
        self.advance_queue_if_needed(ctx);
    }
}

impl<'js> WritableStreamDefaultControllerMethods<'js> for WritableStreamDefaultController<'js> {
    /// <https://streams.spec.whatwg.org/#ws-default-controller-signal>
    fn signal(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        Ok(self.signal.clone())
    }

    /// <https://streams.spec.whatwg.org/#ws-default-controller-error>
    fn error(&self, cx: &Cx<'js>, e: Option<Value<'js>>) -> Fallible<()> {
        // Steps 1-2. Not writable: return.
        if self.stream.state() != WritableState::Writable {
            return Ok(());
        }
        // Step 3. WritableStreamDefaultControllerError(this, e).
        self.error_(&cx.ctx, e.unwrap_or_else(|| undefined(&cx.ctx)));
        Ok(())
    }
}
