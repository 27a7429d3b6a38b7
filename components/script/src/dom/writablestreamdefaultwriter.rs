//! <https://streams.spec.whatwg.org/#default-writer-class>: a writable stream's default
//! writer and its abstract operations.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::WritableStreamDefaultWriterBinding::WritableStreamDefaultWriterMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{promise_rejected_with, promise_resolved_with, Deferred};
use crate::dom::writablestream::{
    writable_stream_abort, writable_stream_add_write_request, writable_stream_close, WritableState,
    WritableStream,
};

/// <https://streams.spec.whatwg.org/#writablestreamdefaultwriter>
pub struct WritableStreamDefaultWriter<'js> {
    /// [[closedPromise]]
    closed: DomRefCell<Deferred<'js>>,
    /// [[readyPromise]]
    ready: DomRefCell<Deferred<'js>>,
    /// [[stream]]
    stream: DomRefCell<Option<Dom<'js, WritableStream<'js>>>>,
}

impl<'js> Trace<'js> for WritableStreamDefaultWriter<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.closed.trace(tracer);
        self.ready.trace(tracer);
        self.stream.trace(tracer);
    }
}

fn type_error<'js>(ctx: &Ctx<'js>, message: &str) -> Value<'js> {
    crate::dom::bindings::error::error_value(ctx, Error::Type(message.into()))
}

/// A promise's state is pending.
fn is_pending(p: &Promise<'_>) -> bool {
    matches!(p.state(), rquickjs::promise::PromiseState::Pending)
}

impl<'js> WritableStreamDefaultWriter<'js> {
    pub fn new_inherited(ctx: &Ctx<'js>) -> Fallible<WritableStreamDefaultWriter<'js>> {
        Ok(WritableStreamDefaultWriter {
            closed: DomRefCell::new(Deferred::new(ctx)?),
            ready: DomRefCell::new(Deferred::new(ctx)?),
            stream: DomRefCell::new(None),
        })
    }

    pub fn stream(&self) -> Option<Dom<'js, WritableStream<'js>>> {
        self.stream.borrow().clone()
    }
    pub fn closed_deferred(&self) -> Deferred<'js> {
        self.closed.borrow().clone()
    }
    pub fn ready_deferred(&self) -> Deferred<'js> {
        self.ready.borrow().clone()
    }
    pub fn set_ready_deferred(&self, d: Deferred<'js>) {
        *self.ready.borrow_mut() = d;
    }

    /// <https://streams.spec.whatwg.org/#set-up-writable-stream-default-writer>
    pub fn set_up(
        ctx: &Ctx<'js>,
        writer: &Dom<'js, WritableStreamDefaultWriter<'js>>,
        stream: &Dom<'js, WritableStream<'js>>,
    ) -> Fallible<()> {
        // Step 1. Locked: TypeError.
        if stream.is_locked() {
            return Err(Error::Type("the stream is locked to another writer".into()));
        }
        // Steps 2-3. Link them.
        *writer.stream.borrow_mut() = Some(stream.clone());
        stream.set_writer(Some(writer.clone()));
        let undefined = || Value::new_undefined(ctx.clone());
        match stream.state() {
            // Step 5. Writable: ready pending under backpressure, else resolved.
            WritableState::Writable => {
                if stream.close_queued_or_in_flight() || !stream.backpressure() {
                    writer.ready_deferred().resolve(undefined());
                }
            }
            // Step 6. Erroring: ready rejected (handled).
            WritableState::Erroring => {
                let ready = writer.ready_deferred();
                ready.reject(stream.stored_error(ctx));
                ready.mark_handled(ctx);
            }
            // Step 7. Closed: both resolved.
            WritableState::Closed => {
                writer.ready_deferred().resolve(undefined());
                writer.closed_deferred().resolve(undefined());
            }
            // Step 8. Errored: both rejected (handled).
            WritableState::Errored => {
                let e = stream.stored_error(ctx);
                for d in [writer.ready_deferred(), writer.closed_deferred()] {
                    d.reject(e.clone());
                    d.mark_handled(ctx);
                }
            }
        }
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-ensure-closed-promise-rejected>
    pub fn ensure_closed_promise_rejected(&self, ctx: &Ctx<'js>, error: Value<'js>) {
        let closed = self.closed_deferred();
        if is_pending(&closed.promise) {
            closed.reject(error);
            closed.mark_handled(ctx);
        } else if let Ok(d) = Deferred::new(ctx) {
            d.reject(error);
            d.mark_handled(ctx);
            *self.closed.borrow_mut() = d;
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-ensure-ready-promise-rejected>
    pub fn ensure_ready_promise_rejected(&self, ctx: &Ctx<'js>, error: Value<'js>) {
        let ready = self.ready_deferred();
        if is_pending(&ready.promise) {
            ready.reject(error);
            ready.mark_handled(ctx);
        } else if let Ok(d) = Deferred::new(ctx) {
            d.reject(error);
            d.mark_handled(ctx);
            *self.ready.borrow_mut() = d;
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-get-desired-size>
    pub fn get_desired_size(&self) -> Option<f64> {
        let stream = self.stream()?;
        match stream.state() {
            WritableState::Errored | WritableState::Erroring => None,
            WritableState::Closed => Some(0.0),
            WritableState::Writable => Some(stream.controller().get_desired_size()),
        }
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-release>
    pub fn release(&self, ctx: &Ctx<'js>) {
        let Some(stream) = self.stream() else { return };
        // Steps 4-6. Ready and closed reject with a TypeError.
        let released = type_error(ctx, "the writer's lock was released");
        self.ensure_ready_promise_rejected(ctx, released.clone());
        self.ensure_closed_promise_rejected(ctx, released);
        // Steps 7-8. Unlock.
        stream.set_writer(None);
        *self.stream.borrow_mut() = None;
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-write>
    pub fn write_chunk(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<Promise<'js>> {
        let Some(stream) = self.stream() else {
            return promise_rejected_with(ctx, type_error(ctx, "the writer was released"));
        };
        let controller = stream.controller();
        // Step 4. The chunk's size (a throwing size algorithm errors the stream).
        let chunk_size = controller.get_chunk_size(ctx, chunk.clone());
        // Step 5. Released meanwhile: TypeError.
        if !self.stream().is_some_and(|s| s.ptr_eq(&stream)) {
            return promise_rejected_with(ctx, type_error(ctx, "the writer was released"));
        }
        match stream.state() {
            // Step 7. Errored: its error.
            WritableState::Errored => return promise_rejected_with(ctx, stream.stored_error(ctx)),
            // Step 8. Closing or closed: TypeError.
            _ if stream.close_queued_or_in_flight() || stream.state() == WritableState::Closed => {
                return promise_rejected_with(
                    ctx,
                    type_error(ctx, "the stream is closing or closed"),
                )
            }
            // Step 9. Erroring: its error.
            WritableState::Erroring => return promise_rejected_with(ctx, stream.stored_error(ctx)),
            _ => {}
        }
        // Steps 11-12. A write request, and the write.
        let promise = writable_stream_add_write_request(ctx, &stream)?;
        controller.write(ctx, chunk, chunk_size);
        Ok(promise)
    }

    /// <https://streams.spec.whatwg.org/#writable-stream-default-writer-close-with-error-propagation>
    pub fn close_with_error_propagation(&self, ctx: &Ctx<'js>) -> Fallible<Promise<'js>> {
        let Some(stream) = self.stream() else {
            return promise_rejected_with(ctx, type_error(ctx, "the writer was released"));
        };
        let state = stream.state();
        // Step 4. Closing or closed: resolved.
        if stream.close_queued_or_in_flight() || state == WritableState::Closed {
            return promise_resolved_with(ctx, Value::new_undefined(ctx.clone()));
        }
        // Step 5. Errored: its error.
        if state == WritableState::Errored {
            return promise_rejected_with(ctx, stream.stored_error(ctx));
        }
        // Step 7. WritableStreamDefaultWriterClose.
        writable_stream_close(ctx, &stream)
    }
}

impl<'js> WritableStreamDefaultWriterMethods<'js> for WritableStreamDefaultWriter<'js> {
    /// <https://streams.spec.whatwg.org/#default-writer-constructor>
    fn Constructor(cx: &Cx<'js>, stream: Dom<'js, WritableStream<'js>>) -> Fallible<Self> {
        if stream.is_locked() {
            return Err(Error::Type("the stream is locked to another writer".into()));
        }
        let writer = WritableStreamDefaultWriter::new_inherited(&cx.ctx)?;
        *writer.stream.borrow_mut() = Some(stream);
        Ok(writer)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let stream = this.stream.borrow_mut().take();
        match stream {
            Some(stream) => WritableStreamDefaultWriter::set_up(&cx.ctx, this, &stream),
            None => Ok(()),
        }
    }

    fn closed(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.closed.borrow().promise.clone())
    }

    /// <https://streams.spec.whatwg.org/#default-writer-desired-size>
    fn desiredSize(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        if self.stream().is_none() {
            return Err(Error::Type("the writer was released".into()));
        }
        Ok(self.get_desired_size())
    }

    fn ready(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.ready.borrow().promise.clone())
    }

    /// <https://streams.spec.whatwg.org/#default-writer-abort>
    fn abort(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<Promise<'js>> {
        let Some(stream) = self.stream() else {
            return glue::rejected_promise(&cx.ctx, Error::Type("the writer was released".into()));
        };
        let reason = reason.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        writable_stream_abort(&cx.ctx, &stream, reason)
    }

    /// <https://streams.spec.whatwg.org/#default-writer-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let Some(stream) = self.stream() else {
            return glue::rejected_promise(&cx.ctx, Error::Type("the writer was released".into()));
        };
        if stream.close_queued_or_in_flight() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the stream is closing".into()));
        }
        writable_stream_close(&cx.ctx, &stream)
    }

    /// <https://streams.spec.whatwg.org/#default-writer-release-lock>
    fn releaseLock(&self, cx: &Cx<'js>) -> Fallible<()> {
        self.release(&cx.ctx);
        Ok(())
    }

    /// <https://streams.spec.whatwg.org/#default-writer-write>
    fn write(&self, cx: &Cx<'js>, chunk: Option<Value<'js>>) -> Fallible<Promise<'js>> {
        let chunk = chunk.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        self.write_chunk(&cx.ctx, chunk)
    }
}
