//! <https://streams.spec.whatwg.org/#ts-default-controller-class>: a transform stream's default
//! controller and its abstract operations.

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::TransformStreamDefaultControllerBinding::TransformStreamDefaultControllerMethods;
use crate::dom::bindings::codegen::{
    Transformer, TransformerCancelCallback, TransformerFlushCallback, TransformerTransformCallback,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{promise_resolved_with, Deferred};
use crate::dom::transformstream::{
    rejected, transform_stream_backpressure, transform_stream_error,
    transform_stream_error_writable_and_unblock_write, transform_stream_set_backpressure,
    TransformStream,
};
use std::rc::Rc;

/// A Rust transformer (TextEncoderStream, TextDecoderStream): its transform and flush
/// steps enqueue through the controller.
pub trait NativeTransformer<'js> {
    fn transform(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
        chunk: Value<'js>,
    ) -> Fallible<()>;
    fn flush(
        &self,
        ctx: &Ctx<'js>,
        controller: &Dom<'js, TransformStreamDefaultController<'js>>,
    ) -> Fallible<()>;
}

/// [[transformAlgorithm]], [[flushAlgorithm]] and [[cancelAlgorithm]].
#[derive(Clone)]
pub enum TransformAlgorithms<'js> {
    Script {
        transformer: Value<'js>,
        transform: Option<TransformerTransformCallback<'js>>,
        flush: Option<TransformerFlushCallback<'js>>,
        cancel: Option<TransformerCancelCallback<'js>>,
    },
    Native(Rc<dyn NativeTransformer<'js> + 'js>),
}

impl<'js> Trace<'js> for TransformAlgorithms<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let TransformAlgorithms::Script {
            transformer,
            transform,
            flush,
            cancel,
        } = self
        {
            transformer.trace(tracer);
            for c in [
                transform.as_ref().map(|c| &c.callback),
                flush.as_ref().map(|c| &c.callback),
                cancel.as_ref().map(|c| &c.callback),
            ]
            .into_iter()
            .flatten()
            {
                c.trace(tracer);
            }
        }
    }
}

/// <https://streams.spec.whatwg.org/#transformstreamdefaultcontroller>
pub struct TransformStreamDefaultController<'js> {
    algorithms: DomRefCell<Option<TransformAlgorithms<'js>>>,
    /// [[finishPromise]]
    finish_promise: DomRefCell<Option<Deferred<'js>>>,
    /// [[stream]]
    stream: Dom<'js, TransformStream<'js>>,
}

impl<'js> Trace<'js> for TransformStreamDefaultController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.algorithms.trace(tracer);
        self.finish_promise.trace(tracer);
        self.stream.trace(tracer);
    }
}

fn undefined<'js>(ctx: &Ctx<'js>) -> Value<'js> {
    Value::new_undefined(ctx.clone())
}

impl<'js> TransformStreamDefaultController<'js> {
    /// <https://streams.spec.whatwg.org/#set-up-transform-stream-default-controller>
    pub fn set_up(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, TransformStream<'js>>,
        algorithms: TransformAlgorithms<'js>,
    ) -> Fallible<()> {
        let controller = reflect_dom_object(
            ctx,
            TransformStreamDefaultController {
                algorithms: DomRefCell::new(Some(algorithms)),
                finish_promise: DomRefCell::new(None),
                stream: stream.clone(),
            },
        )?;
        stream.set_controller(controller);
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#set-up-transform-stream-default-controller-from-transformer>
    pub fn set_up_from_transformer(
        ctx: &Ctx<'js>,
        stream: &Dom<'js, TransformStream<'js>>,
        transformer: Value<'js>,
        dict: Transformer<'js>,
    ) -> Fallible<()> {
        Self::set_up(
            ctx,
            stream,
            TransformAlgorithms::Script {
                transformer,
                transform: dict.transform,
                flush: dict.flush,
                cancel: dict.cancel,
            },
        )
    }

    fn this(&self) -> Dom<'js, TransformStreamDefaultController<'js>> {
        self.stream.controller()
    }

    pub fn finish_promise(&self) -> Option<Deferred<'js>> {
        self.finish_promise.borrow().clone()
    }
    pub fn set_finish_promise(&self, d: Deferred<'js>) {
        *self.finish_promise.borrow_mut() = Some(d);
    }

    /// <https://streams.spec.whatwg.org/#transform-stream-default-controller-clear-algorithms>
    pub fn clear_algorithms(&self) {
        self.algorithms.borrow_mut().take();
    }

    /// The flush algorithm, as a promise.
    pub fn flush_algorithm(&self, ctx: &Ctx<'js>) -> Promise<'js> {
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(TransformAlgorithms::Script {
                transformer,
                flush: Some(flush),
                ..
            }) => flush.call(ctx, transformer, self.this()),
            Some(TransformAlgorithms::Native(n)) => n
                .flush(ctx, &self.this())
                .and_then(|()| promise_resolved_with(ctx, undefined(ctx))),
            _ => promise_resolved_with(ctx, undefined(ctx)),
        };
        result.unwrap_or_else(|e| rejected(ctx, e))
    }

    /// The cancel algorithm, as a promise.
    pub fn cancel_algorithm(&self, ctx: &Ctx<'js>, reason: Value<'js>) -> Promise<'js> {
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(TransformAlgorithms::Script {
                transformer,
                cancel: Some(cancel),
                ..
            }) => cancel.call(ctx, transformer, reason),
            _ => promise_resolved_with(ctx, undefined(ctx)),
        };
        result.unwrap_or_else(|e| rejected(ctx, e))
    }

    /// <https://streams.spec.whatwg.org/#transform-stream-default-controller-enqueue>
    pub fn enqueue_chunk(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<()> {
        let stream = &self.stream;
        let readable_controller = stream.readable_stream().controller().expect("set up");
        // Step 3. Cannot enqueue: TypeError.
        if !readable_controller.can_close_or_enqueue() {
            return Err(Error::Type("the readable side is closed or errored".into()));
        }
        // Steps 4-5. Enqueue; an exception errors the writable side, and the readable
        // side's stored error is thrown.
        if let Err(e) = readable_controller.enqueue_chunk(ctx, chunk) {
            let e = crate::dom::bindings::error::error_value(ctx, e);
            transform_stream_error_writable_and_unblock_write(ctx, stream, e);
            let stored = stream.readable_stream().stored_error(ctx);
            let _ = ctx.throw(stored);
            return Err(Error::JsException);
        }
        // Steps 6-7. Backpressure on the readable side: set it.
        let backpressure = readable_controller.has_backpressure();
        if Some(backpressure) != transform_stream_backpressure(stream) && backpressure {
            transform_stream_set_backpressure(ctx, stream, true)?;
        }
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#transform-stream-default-controller-perform-transform>
    pub fn perform_transform(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<Promise<'js>> {
        // Step 1. transformPromise: the transform algorithm (default: enqueue the chunk).
        let algorithms = self.algorithms.borrow().clone();
        let result = match algorithms {
            Some(TransformAlgorithms::Script {
                transformer,
                transform: Some(transform),
                ..
            }) => transform.call(ctx, transformer, chunk, self.this()),
            Some(TransformAlgorithms::Native(n)) => n
                .transform(ctx, &self.this(), chunk)
                .and_then(|()| promise_resolved_with(ctx, undefined(ctx))),
            _ => self
                .enqueue_chunk(ctx, chunk)
                .and_then(|()| promise_resolved_with(ctx, undefined(ctx))),
        };
        let transform_promise = result.unwrap_or_else(|e| rejected(ctx, e));
        // Step 2. Upon rejection with r: error the stream and throw r.
        let (out, resolve, reject) = ctx.promise()?;
        #[derive(Clone)]
        struct S<'js>(Dom<'js, TransformStream<'js>>, Function<'js>, Function<'js>);
        impl<'js> Trace<'js> for S<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.0.trace(tracer);
                self.1.trace(tracer);
                self.2.trace(tracer);
            }
        }
        fn fulfilled<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            s.1.call::<_, ()>(())?;
            Ok(undefined(params.ctx()))
        }
        fn on_rejected<'a, 'js>(s: &S<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            let r = glue::arg(params, 0);
            transform_stream_error(params.ctx(), &s.0, r.clone());
            s.2.call::<_, ()>((r,))?;
            Ok(undefined(params.ctx()))
        }
        callback::react(
            ctx,
            &transform_promise,
            S(self.stream.clone(), resolve, reject),
            fulfilled,
            on_rejected,
        )?;
        Ok(out)
    }

    /// <https://streams.spec.whatwg.org/#transform-stream-default-controller-terminate>
    pub fn terminate_(&self, ctx: &Ctx<'js>) {
        let readable_controller = self.stream.readable_stream().controller().expect("set up");
        // Step 3. Close the readable side.
        readable_controller.close_stream(ctx);
        // Steps 4-5. Error the writable side with a TypeError.
        let error = crate::dom::bindings::error::error_value(
            ctx,
            Error::Type("the transform stream was terminated".into()),
        );
        transform_stream_error_writable_and_unblock_write(ctx, &self.stream, error);
    }
}

impl<'js> TransformStreamDefaultControllerMethods<'js> for TransformStreamDefaultController<'js> {
    /// <https://streams.spec.whatwg.org/#ts-default-controller-desired-size>
    fn desiredSize(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        Ok(self
            .stream
            .readable_stream()
            .controller()
            .and_then(|c| c.get_desired_size()))
    }

    /// <https://streams.spec.whatwg.org/#ts-default-controller-enqueue>
    fn enqueue(&self, cx: &Cx<'js>, chunk: Option<Value<'js>>) -> Fallible<()> {
        self.enqueue_chunk(&cx.ctx, chunk.unwrap_or_else(|| undefined(&cx.ctx)))
    }

    /// <https://streams.spec.whatwg.org/#ts-default-controller-error>
    fn error(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<()> {
        transform_stream_error(
            &cx.ctx,
            &self.stream,
            reason.unwrap_or_else(|| undefined(&cx.ctx)),
        );
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#ts-default-controller-terminate>
    fn terminate(&self, cx: &Cx<'js>) -> Fallible<()> {
        self.terminate_(&cx.ctx);
        Ok(())
    }
}
