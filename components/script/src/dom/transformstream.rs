//! <https://streams.spec.whatwg.org/#ts-class>: transform streams (a writable side whose
//! chunks a transformer turns into the readable side's), their abstract operations, and the
//! transformers Rust provides (TextEncoderStream, TextDecoderStream).

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::TransformStreamBinding::TransformStreamMethods;
use crate::dom::bindings::codegen::{QueuingStrategy, Transformer};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{
    extract_high_water_mark, promise_rejected_with, promise_resolved_with, Deferred, NativeSource,
    ReadableStream, StreamState,
};
use crate::dom::readablestreamdefaultcontroller::ReadableStreamDefaultController;
use crate::dom::transformstreamdefaultcontroller::{
    TransformAlgorithms, TransformStreamDefaultController,
};
use crate::dom::writablestream::{WritableState, WritableStream};
use crate::dom::writablestreamdefaultcontroller::{
    NativeSink, SinkAlgorithms, WritableStreamDefaultController,
};
use std::cell::Cell;
use std::rc::Rc;

/// <https://streams.spec.whatwg.org/#transformstream>
pub struct TransformStream<'js> {
    /// [[backpressure]]
    backpressure: Cell<Option<bool>>,
    /// [[backpressureChangePromise]]
    backpressure_change_promise: DomRefCell<Option<Deferred<'js>>>,
    /// [[controller]]
    controller: DomRefCell<Option<Dom<'js, TransformStreamDefaultController<'js>>>>,
    /// [[readable]]
    readable: DomRefCell<Option<Dom<'js, ReadableStream<'js>>>>,
    /// [[writable]]
    writable: DomRefCell<Option<Dom<'js, WritableStream<'js>>>>,
    /// What the constructor converted, for the set-up once the object exists.
    pending: DomRefCell<Option<PendingTransformer<'js>>>,
}

struct PendingTransformer<'js> {
    transformer: Value<'js>,
    dict: Transformer<'js>,
    strategies: (QueuingStrategy<'js>, QueuingStrategy<'js>),
}

impl<'js> Trace<'js> for PendingTransformer<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.transformer.trace(tracer);
        for c in [
            self.dict.start.as_ref().map(|c| &c.callback),
            self.dict.transform.as_ref().map(|c| &c.callback),
            self.dict.flush.as_ref().map(|c| &c.callback),
            self.dict.cancel.as_ref().map(|c| &c.callback),
            self.strategies.0.size.as_ref().map(|c| &c.callback),
            self.strategies.1.size.as_ref().map(|c| &c.callback),
        ]
        .into_iter()
        .flatten()
        {
            c.trace(tracer);
        }
    }
}

impl<'js> Trace<'js> for TransformStream<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.backpressure_change_promise.trace(tracer);
        self.controller.trace(tracer);
        self.readable.trace(tracer);
        self.writable.trace(tracer);
        self.pending.trace(tracer);
    }
}

fn undefined<'js>(ctx: &Ctx<'js>) -> Value<'js> {
    Value::new_undefined(ctx.clone())
}

impl<'js> TransformStream<'js> {
    fn new_inherited() -> TransformStream<'js> {
        TransformStream {
            backpressure: Cell::new(None),
            backpressure_change_promise: DomRefCell::new(None),
            controller: DomRefCell::new(None),
            readable: DomRefCell::new(None),
            writable: DomRefCell::new(None),
            pending: DomRefCell::new(None),
        }
    }

    /// A received transferred TransformStream (its transfer-receiving steps): its
    /// [[readable]] and [[writable]] are the streams that arrived; no transformer runs here.
    pub fn from_transferred(
        ctx: &Ctx<'js>,
        readable: Dom<'js, ReadableStream<'js>>,
        writable: Dom<'js, WritableStream<'js>>,
    ) -> Fallible<Dom<'js, TransformStream<'js>>> {
        let stream = reflect_dom_object(ctx, TransformStream::new_inherited())?;
        *stream.readable.borrow_mut() = Some(readable);
        *stream.writable.borrow_mut() = Some(writable);
        Ok(stream)
    }

    pub fn readable_stream(&self) -> Dom<'js, ReadableStream<'js>> {
        self.readable.borrow().clone().expect("initialized")
    }
    pub fn writable_stream(&self) -> Dom<'js, WritableStream<'js>> {
        self.writable.borrow().clone().expect("initialized")
    }
    pub fn controller(&self) -> Dom<'js, TransformStreamDefaultController<'js>> {
        self.controller.borrow().clone().expect("set up")
    }
    pub fn set_controller(&self, c: Dom<'js, TransformStreamDefaultController<'js>>) {
        *self.controller.borrow_mut() = Some(c);
    }
    fn readable_controller(&self) -> Dom<'js, ReadableStreamDefaultController<'js>> {
        self.readable_stream().controller().expect("set up")
    }

    /// A transform stream with a Rust transformer (identity's defaults for what it lacks),
    /// high-water marks 1 (writable) and 0 (readable), as other specifications create them.
    pub fn create_native(
        ctx: &Ctx<'js>,
        transformer: Rc<
            dyn crate::dom::transformstreamdefaultcontroller::NativeTransformer<'js> + 'js,
        >,
    ) -> Fallible<Dom<'js, TransformStream<'js>>> {
        let stream = reflect_dom_object(ctx, TransformStream::new_inherited())?;
        let start = Deferred::new(ctx)?;
        initialize_transform_stream(ctx, &stream, start.promise.clone(), 1.0, None, 0.0, None)?;
        TransformStreamDefaultController::set_up(
            ctx,
            &stream,
            TransformAlgorithms::Native(transformer),
        )?;
        start.resolve(undefined(ctx));
        Ok(stream)
    }
}

/// The writable side's sink: the Sink*Algorithm steps of a transform stream.
struct TransformSink<'js>(Dom<'js, TransformStream<'js>>);

impl<'js> NativeSink<'js> for TransformSink<'js> {
    fn write(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<Promise<'js>> {
        transform_stream_default_sink_write_algorithm(ctx, &self.0, chunk)
    }
    fn close(&self, ctx: &Ctx<'js>) -> Fallible<Promise<'js>> {
        transform_stream_default_sink_close_algorithm(ctx, &self.0)
    }
    fn abort(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        transform_stream_default_sink_abort_algorithm(ctx, &self.0, reason)
    }
    fn trace_sink<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

/// The readable side's source: the Source*Algorithm steps of a transform stream.
struct TransformSource<'js>(Dom<'js, TransformStream<'js>>);

impl<'js> NativeSource<'js> for TransformSource<'js> {
    fn pull(
        &self,
        ctx: &Ctx<'js>,
        _controller: &crate::dom::readablestream::StreamController<'js>,
    ) -> Fallible<Promise<'js>> {
        transform_stream_default_source_pull_algorithm(ctx, &self.0)
    }
    fn cancel(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Fallible<Promise<'js>> {
        transform_stream_default_source_cancel_algorithm(ctx, &self.0, reason)
    }
    fn trace_source<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

/// <https://streams.spec.whatwg.org/#initialize-transform-stream>
pub fn initialize_transform_stream<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
    start_promise: Promise<'js>,
    writable_hwm: f64,
    writable_size: Option<crate::dom::bindings::codegen::QueuingStrategySize<'js>>,
    readable_hwm: f64,
    readable_size: Option<crate::dom::bindings::codegen::QueuingStrategySize<'js>>,
) -> Fallible<()> {
    // Steps 1-5. The writable side: CreateWritableStream with the sink algorithms, its start
    // algorithm returning startPromise.
    let writable = reflect_dom_object(ctx, WritableStream::new_inherited())?;
    let start = start_promise.clone();
    WritableStreamDefaultController::set_up(
        ctx,
        &writable,
        SinkAlgorithms::Native(Rc::new(TransformSink(stream.clone()))),
        writable_hwm,
        writable_size,
        Box::new(move |_, _| Ok(start.into_value())),
    )?;
    *stream.writable.borrow_mut() = Some(writable);
    // Steps 6-8. The readable side: CreateReadableStream with the source algorithms.
    let readable = reflect_dom_object(ctx, ReadableStream::new_inherited())?;
    ReadableStreamDefaultController::set_up(
        ctx,
        &readable,
        crate::dom::readablestream::SourceAlgorithms::Native(Rc::new(TransformSource(
            stream.clone(),
        ))),
        readable_size,
        readable_hwm,
        Some(Box::new(move |_, _| Ok(start_promise.into_value()))),
    )?;
    *stream.readable.borrow_mut() = Some(readable);
    // Steps 9-10. Backpressure: true.
    transform_stream_set_backpressure(ctx, stream, true)
}

/// <https://streams.spec.whatwg.org/#transform-stream-error>
pub fn transform_stream_error<'js>(ctx: &Ctx<'js>, stream: &TransformStream<'js>, e: Value<'js>) {
    stream.readable_controller().error_stream(ctx, e.clone());
    transform_stream_error_writable_and_unblock_write(ctx, stream, e);
}

/// <https://streams.spec.whatwg.org/#transform-stream-error-writable-and-unblock-write>
pub fn transform_stream_error_writable_and_unblock_write<'js>(
    ctx: &Ctx<'js>,
    stream: &TransformStream<'js>,
    e: Value<'js>,
) {
    // Step 1. Clear the controller's algorithms.
    stream.controller().clear_algorithms();
    // Step 2. Error the writable side if needed.
    if let Some(c) = stream.writable_stream().controller_opt() {
        c.error_if_needed(ctx, e);
    }
    // Step 3. Unblock a write waiting for backpressure.
    transform_stream_unblock_write(ctx, stream);
}

/// <https://streams.spec.whatwg.org/#transform-stream-unblock-write>
pub fn transform_stream_unblock_write<'js>(ctx: &Ctx<'js>, stream: &TransformStream<'js>) {
    if stream.backpressure.get() == Some(true) {
        let _ = transform_stream_set_backpressure(ctx, stream, false);
    }
}

/// <https://streams.spec.whatwg.org/#transform-stream-set-backpressure>
pub fn transform_stream_set_backpressure<'js>(
    ctx: &Ctx<'js>,
    stream: &TransformStream<'js>,
    backpressure: bool,
) -> Fallible<()> {
    // Step 2. Resolve the old backpressure change promise.
    if let Some(p) = stream.backpressure_change_promise.borrow_mut().take() {
        p.resolve(undefined(ctx));
    }
    // Steps 3-4. A new one, and the flag.
    *stream.backpressure_change_promise.borrow_mut() = Some(Deferred::new(ctx)?);
    stream.backpressure.set(Some(backpressure));
    Ok(())
}

pub fn transform_stream_backpressure(stream: &TransformStream<'_>) -> Option<bool> {
    stream.backpressure.get()
}

/// <https://streams.spec.whatwg.org/#transform-stream-default-sink-write-algorithm>
fn transform_stream_default_sink_write_algorithm<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
    chunk: Value<'js>,
) -> Fallible<Promise<'js>> {
    let controller = stream.controller();
    // Step 3. Under backpressure: after the backpressure changes, transform (unless the
    // writable side is erroring).
    if stream.backpressure.get() == Some(true) {
        let change = stream
            .backpressure_change_promise
            .borrow()
            .clone()
            .expect("a backpressure change promise");
        let (result, resolve, reject) = ctx.promise()?;
        #[derive(Clone)]
        struct S<'js>(
            Dom<'js, TransformStream<'js>>,
            Value<'js>,
            Function<'js>,
            Function<'js>,
        );
        impl<'js> Trace<'js> for S<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.0.trace(tracer);
                self.1.trace(tracer);
                self.2.trace(tracer);
                self.3.trace(tracer);
            }
        }
        fn fulfilled<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            let ctx = params.ctx();
            let writable = s.0.writable_stream();
            if writable.state() == WritableState::Erroring {
                s.3.call::<_, ()>((writable.stored_error(ctx),))?;
                return Ok(undefined(ctx));
            }
            let p = s.0.controller().perform_transform(ctx, s.1.clone())?;
            s.2.call::<_, ()>((p,))?;
            Ok(undefined(ctx))
        }
        fn rejected<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            s.3.call::<_, ()>((glue::arg(params, 0),))?;
            Ok(undefined(params.ctx()))
        }
        callback::react(
            ctx,
            &change.promise,
            S(stream.clone(), chunk, resolve, reject),
            fulfilled,
            rejected,
        )?;
        return Ok(result);
    }
    // Step 4. TransformStreamDefaultControllerPerformTransform.
    controller.perform_transform(ctx, chunk)
}

/// A finish promise settled once `p` settles, by `on_ok` / `on_err` (the shared shape of the
/// sink's abort and close algorithms and the source's cancel algorithm).
fn settle_finish<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
    p: Promise<'js>,
    finish: Deferred<'js>,
    on_ok: fn(&Ctx<'js>, &Dom<'js, TransformStream<'js>>, &Deferred<'js>, &Value<'js>),
    on_err: fn(&Ctx<'js>, &Dom<'js, TransformStream<'js>>, &Deferred<'js>, Value<'js>),
    reason: Value<'js>,
) -> Fallible<()> {
    #[derive(Clone)]
    struct S<'js> {
        stream: Dom<'js, TransformStream<'js>>,
        finish: Deferred<'js>,
        reason: Value<'js>,
        on_ok: fn(&Ctx<'js>, &Dom<'js, TransformStream<'js>>, &Deferred<'js>, &Value<'js>),
        on_err: fn(&Ctx<'js>, &Dom<'js, TransformStream<'js>>, &Deferred<'js>, Value<'js>),
    }
    impl<'js> Trace<'js> for S<'js> {
        fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.stream.trace(tracer);
            self.finish.trace(tracer);
            self.reason.trace(tracer);
        }
    }
    fn fulfilled<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        (s.on_ok)(params.ctx(), &s.stream, &s.finish, &s.reason);
        Ok(undefined(params.ctx()))
    }
    fn rejected<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        (s.on_err)(params.ctx(), &s.stream, &s.finish, glue::arg(params, 0));
        Ok(undefined(params.ctx()))
    }
    let state = S {
        stream: stream.clone(),
        finish,
        reason,
        on_ok,
        on_err,
    };
    callback::react(ctx, &p, state, fulfilled, rejected)
}

/// <https://streams.spec.whatwg.org/#transform-stream-default-sink-abort-algorithm>
fn transform_stream_default_sink_abort_algorithm<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    let controller = stream.controller();
    // Step 2. A finish promise already: it.
    if let Some(f) = controller.finish_promise() {
        return Ok(f.promise);
    }
    // Steps 4-6. The finish promise; the cancel algorithm; clear the algorithms.
    let finish = Deferred::new(ctx)?;
    controller.set_finish_promise(finish.clone());
    let cancel = controller.cancel_algorithm(ctx, reason.clone());
    controller.clear_algorithms();
    // Step 7. React.
    settle_finish(
        ctx,
        stream,
        cancel,
        finish.clone(),
        |ctx, stream, finish, reason| {
            let readable = stream.readable_stream();
            if readable.state() == StreamState::Errored {
                finish.reject(readable.stored_error(ctx));
            } else {
                stream
                    .readable_controller()
                    .error_stream(ctx, reason.clone());
                finish.resolve(undefined(ctx));
            }
        },
        |ctx, stream, finish, r| {
            stream.readable_controller().error_stream(ctx, r.clone());
            finish.reject(r);
        },
        reason,
    )?;
    Ok(finish.promise)
}

/// <https://streams.spec.whatwg.org/#transform-stream-default-sink-close-algorithm>
fn transform_stream_default_sink_close_algorithm<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
) -> Fallible<Promise<'js>> {
    let controller = stream.controller();
    if let Some(f) = controller.finish_promise() {
        return Ok(f.promise);
    }
    // Steps 4-6. The finish promise; the flush algorithm; clear the algorithms.
    let finish = Deferred::new(ctx)?;
    controller.set_finish_promise(finish.clone());
    let flush = controller.flush_algorithm(ctx);
    controller.clear_algorithms();
    // Step 7. React: close the readable side, or error it.
    settle_finish(
        ctx,
        stream,
        flush,
        finish.clone(),
        |ctx, stream, finish, _| {
            let readable = stream.readable_stream();
            if readable.state() == StreamState::Errored {
                finish.reject(readable.stored_error(ctx));
            } else {
                stream.readable_controller().close_stream(ctx);
                finish.resolve(undefined(ctx));
            }
        },
        |ctx, stream, finish, r| {
            stream.readable_controller().error_stream(ctx, r.clone());
            finish.reject(r);
        },
        undefined(ctx),
    )?;
    Ok(finish.promise)
}

/// <https://streams.spec.whatwg.org/#transform-stream-default-source-pull-algorithm>
fn transform_stream_default_source_pull_algorithm<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
) -> Fallible<Promise<'js>> {
    // Step 3. No more backpressure.
    transform_stream_set_backpressure(ctx, stream, false)?;
    // Step 4. The backpressure change promise.
    let p = stream.backpressure_change_promise.borrow().clone();
    match p {
        Some(d) => Ok(d.promise),
        None => promise_resolved_with(ctx, undefined(ctx)),
    }
}

/// <https://streams.spec.whatwg.org/#transform-stream-default-source-cancel-algorithm>
fn transform_stream_default_source_cancel_algorithm<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, TransformStream<'js>>,
    reason: Value<'js>,
) -> Fallible<Promise<'js>> {
    let controller = stream.controller();
    if let Some(f) = controller.finish_promise() {
        return Ok(f.promise);
    }
    let finish = Deferred::new(ctx)?;
    controller.set_finish_promise(finish.clone());
    let cancel = controller.cancel_algorithm(ctx, reason.clone());
    controller.clear_algorithms();
    // Step 7. React: error the writable side if needed, unblock the write.
    settle_finish(
        ctx,
        stream,
        cancel,
        finish.clone(),
        |ctx, stream, finish, reason| {
            let writable = stream.writable_stream();
            if writable.state() == WritableState::Errored {
                finish.reject(writable.stored_error(ctx));
            } else {
                if let Some(c) = writable.controller_opt() {
                    c.error_if_needed(ctx, reason.clone());
                }
                transform_stream_unblock_write(ctx, stream);
                finish.resolve(undefined(ctx));
            }
        },
        |ctx, stream, finish, r| {
            if let Some(c) = stream.writable_stream().controller_opt() {
                c.error_if_needed(ctx, r.clone());
            }
            transform_stream_unblock_write(ctx, stream);
            finish.reject(r);
        },
        reason,
    )?;
    Ok(finish.promise)
}

impl<'js> TransformStreamMethods<'js> for TransformStream<'js> {
    /// <https://streams.spec.whatwg.org/#ts-constructor>
    fn Constructor(
        cx: &Cx<'js>,
        transformer: Option<Object<'js>>,
        writable_strategy: QueuingStrategy<'js>,
        readable_strategy: QueuingStrategy<'js>,
    ) -> Fallible<Self> {
        // Steps 1-2. The transformer (null if missing) as the Transformer dictionary.
        let transformer = transformer
            .map(|o| o.into_value())
            .unwrap_or_else(|| Value::new_null(cx.ctx.clone()));
        let dict = Transformer::from_js(&cx.ctx, &transformer, "transformer")?;
        // Steps 3-4. readableType or writableType: RangeError.
        if dict
            .readableType
            .as_ref()
            .is_some_and(|t| !t.is_undefined())
        {
            return Err(Error::Range("invalid readableType".into()));
        }
        if dict
            .writableType
            .as_ref()
            .is_some_and(|t| !t.is_undefined())
        {
            return Err(Error::Range("invalid writableType".into()));
        }
        // Steps 5-8 (checked now, used once the object exists).
        extract_high_water_mark(&readable_strategy, 0.0)?;
        extract_high_water_mark(&writable_strategy, 1.0)?;
        let stream = TransformStream::new_inherited();
        *stream.pending.borrow_mut() = Some(PendingTransformer {
            transformer,
            dict,
            strategies: (writable_strategy, readable_strategy),
        });
        Ok(stream)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let ctx = &cx.ctx;
        let Some(p) = this.pending.borrow_mut().take() else {
            return Ok(());
        };
        let (writable_strategy, readable_strategy) = p.strategies;
        let readable_hwm = extract_high_water_mark(&readable_strategy, 0.0)?;
        let writable_hwm = extract_high_water_mark(&writable_strategy, 1.0)?;
        // Steps 9-10. startPromise; InitializeTransformStream.
        let start = Deferred::new(ctx)?;
        initialize_transform_stream(
            ctx,
            this,
            start.promise.clone(),
            writable_hwm,
            writable_strategy.size,
            readable_hwm,
            readable_strategy.size,
        )?;
        // Step 11. SetUpTransformStreamDefaultControllerFromTransformer.
        let start_callback = p.dict.start.clone();
        TransformStreamDefaultController::set_up_from_transformer(
            ctx,
            this,
            p.transformer.clone(),
            p.dict,
        )?;
        // Steps 12-13. Resolve startPromise with start's result (rethrowing), or undefined.
        match start_callback {
            Some(start_cb) => {
                let result = start_cb.call(ctx, p.transformer, this.controller())?;
                start.resolve(result);
            }
            None => start.resolve(undefined(ctx)),
        }
        Ok(())
    }

    fn readable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, ReadableStream<'js>>> {
        Ok(self.readable_stream())
    }

    fn writable(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, WritableStream<'js>>> {
        Ok(self.writable_stream())
    }
}

/// A rejected-promise helper for the controller's algorithms.
pub fn rejected<'js>(ctx: &Ctx<'js>, e: Error) -> Promise<'js> {
    let v = crate::dom::bindings::error::error_value(ctx, e);
    promise_rejected_with(ctx, v).expect("a promise")
}
