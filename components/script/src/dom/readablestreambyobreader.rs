//! <https://streams.spec.whatwg.org/#byob-reader-class>: a reader that reads a byte stream
//! into the caller's views (with the ReadableStreamGenericReader mixin).

use crate::dom::bindings::buffer_source::{
    array_buffer_byte_length, element_size, is_detached_buffer, view, view_parts,
};
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ReadableStreamBYOBReaderBinding::ReadableStreamBYOBReaderMethods;
use crate::dom::bindings::codegen::{ArrayBufferView, ReadableStreamBYOBReaderReadOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::conversions::{BufferView, BufferViewKind};
use crate::dom::readablebytestreamcontroller::readable_byte_stream_controller_pull_into;
use crate::dom::readablestream::{
    read_result, readable_stream_reader_generic_cancel, readable_stream_reader_generic_initialize,
    readable_stream_reader_generic_release, Deferred, GenericReader, ReadIntoRequest,
    ReadableStream, StreamReader, StreamState,
};
use std::collections::VecDeque;

/// <https://streams.spec.whatwg.org/#readablestreambyobreader>
pub struct ReadableStreamBYOBReader<'js> {
    /// [[closedPromise]]
    closed: DomRefCell<Deferred<'js>>,
    /// [[stream]] (none once released)
    stream: DomRefCell<Option<Dom<'js, ReadableStream<'js>>>>,
    /// [[readIntoRequests]]
    read_into_requests: DomRefCell<VecDeque<Box<dyn ReadIntoRequest<'js> + 'js>>>,
}

impl<'js> Trace<'js> for ReadableStreamBYOBReader<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.closed.trace(tracer);
        self.stream.trace(tracer);
        for r in self.read_into_requests.borrow().iter() {
            r.trace_request(tracer);
        }
    }
}

impl<'js> GenericReader<'js> for ReadableStreamBYOBReader<'js> {
    fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.stream.borrow().clone()
    }
    fn set_stream(&self, stream: Option<Dom<'js, ReadableStream<'js>>>) {
        *self.stream.borrow_mut() = stream;
    }
    fn closed_deferred(&self) -> Deferred<'js> {
        self.closed.borrow().clone()
    }
    fn set_closed_deferred(&self, d: Deferred<'js>) {
        *self.closed.borrow_mut() = d;
    }
}

impl<'js> ReadableStreamBYOBReader<'js> {
    pub fn new_inherited(ctx: &Ctx<'js>) -> Fallible<ReadableStreamBYOBReader<'js>> {
        Ok(ReadableStreamBYOBReader {
            closed: DomRefCell::new(Deferred::new(ctx)?),
            stream: DomRefCell::new(None),
            read_into_requests: DomRefCell::new(VecDeque::new()),
        })
    }

    pub fn push_read_into_request(&self, request: Box<dyn ReadIntoRequest<'js> + 'js>) {
        self.read_into_requests.borrow_mut().push_back(request);
    }

    pub fn shift_read_into_request(&self) -> Option<Box<dyn ReadIntoRequest<'js> + 'js>> {
        self.read_into_requests.borrow_mut().pop_front()
    }

    pub fn take_read_into_requests(&self) -> Vec<Box<dyn ReadIntoRequest<'js> + 'js>> {
        self.read_into_requests.borrow_mut().drain(..).collect()
    }

    pub fn num_read_into_requests(&self) -> usize {
        self.read_into_requests.borrow().len()
    }
}

/// <https://streams.spec.whatwg.org/#set-up-readable-stream-byob-reader>
pub fn set_up_readable_stream_byob_reader<'js>(
    ctx: &Ctx<'js>,
    reader: &Dom<'js, ReadableStreamBYOBReader<'js>>,
    stream: &Dom<'js, ReadableStream<'js>>,
) -> Fallible<()> {
    // Step 1. A locked stream: TypeError.
    if stream.is_locked() {
        return Err(Error::Type("the stream is locked to another reader".into()));
    }
    // Step 2. Not a byte stream: TypeError.
    if stream.byte_controller().is_none() {
        return Err(Error::Type(
            "a BYOB reader needs a byte stream (type: \"bytes\")".into(),
        ));
    }
    // Step 3. ReadableStreamReaderGenericInitialize(reader, stream).
    readable_stream_reader_generic_initialize(ctx, StreamReader::Byob(reader.clone()), stream);
    // Step 4. An empty list of read-into requests (it is).
    Ok(())
}

/// <https://streams.spec.whatwg.org/#acquire-readable-stream-byob-reader>
pub fn acquire_readable_stream_byob_reader<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
) -> Fallible<Dom<'js, ReadableStreamBYOBReader<'js>>> {
    // Steps 1-3. A new reader, set up.
    let reader = reflect_dom_object(ctx, ReadableStreamBYOBReader::new_inherited(ctx)?)?;
    set_up_readable_stream_byob_reader(ctx, &reader, stream)?;
    Ok(reader)
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablestreambyobreadererrorreadintorequests>
pub fn readable_stream_byob_reader_error_read_into_requests<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamBYOBReader<'js>,
    e: Value<'js>,
) {
    // Steps 1-3. Take the read-into requests and run their error steps.
    for request in reader.take_read_into_requests() {
        request.error_steps(ctx, e.clone());
    }
}

/// <https://streams.spec.whatwg.org/#readable-stream-byob-reader-read>
pub fn readable_stream_byob_reader_read<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamBYOBReader<'js>,
    view: &BufferView<'js>,
    min: u64,
    request: Box<dyn ReadIntoRequest<'js> + 'js>,
) {
    // Steps 1-2. Let stream be reader.[[stream]].
    let Some(stream) = GenericReader::stream(reader) else {
        return request.error_steps(
            ctx,
            crate::dom::bindings::error::error_value(
                ctx,
                Error::Type("the reader was released".into()),
            ),
        );
    };
    // Step 3. Set stream.[[disturbed]] to true.
    stream.set_disturbed();
    // Step 4. Errored: the error steps with the stored error.
    if stream.state() == StreamState::Errored {
        return request.error_steps(ctx, stream.stored_error(ctx));
    }
    // Step 5. ! ReadableByteStreamControllerPullInto(controller, view, min, request).
    match stream.byte_controller() {
        Some(controller) => {
            readable_byte_stream_controller_pull_into(ctx, &controller, view, min, request)
        }
        None => request.error_steps(
            ctx,
            crate::dom::bindings::error::error_value(ctx, Error::Type("not a byte stream".into())),
        ),
    }
}

/// <https://streams.spec.whatwg.org/#abstract-opdef-readablestreambyobreaderrelease>
pub fn readable_stream_byob_reader_release<'js>(
    ctx: &Ctx<'js>,
    reader: &ReadableStreamBYOBReader<'js>,
) {
    let Some(stream) = GenericReader::stream(reader) else {
        return;
    };
    // Step 1. ReadableStreamReaderGenericRelease(reader).
    readable_stream_reader_generic_release(ctx, reader, &stream);
    // Steps 2-3. Pending reads error with a TypeError.
    let e = crate::dom::bindings::error::error_value(
        ctx,
        Error::Type("the reader's lock was released".into()),
    );
    readable_stream_byob_reader_error_read_into_requests(ctx, reader, e);
}

/// The read-into request of `reader.read(view)`: settles its promise.
struct PromiseReadIntoRequest<'js>(Deferred<'js>);

impl<'js> ReadIntoRequest<'js> for PromiseReadIntoRequest<'js> {
    // Chunk steps: resolve with «[ "value" → chunk, "done" → false ]».
    fn chunk_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
        self.0.resolve(read_result(ctx, Some(chunk), false));
    }
    // Close steps: resolve with «[ "value" → chunk, "done" → true ]».
    fn close_steps(&self, ctx: &Ctx<'js>, chunk: Value<'js>) {
        self.0.resolve(read_result(ctx, Some(chunk), true));
    }
    // Error steps: reject with e.
    fn error_steps(&self, _ctx: &Ctx<'js>, e: Value<'js>) {
        self.0.reject(e);
    }
    fn trace_request<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

impl<'js> ReadableStreamBYOBReaderMethods<'js> for ReadableStreamBYOBReader<'js> {
    /// <https://streams.spec.whatwg.org/#byob-reader-constructor>
    fn Constructor(cx: &Cx<'js>, stream: Dom<'js, ReadableStream<'js>>) -> Fallible<Self> {
        // (SetUpReadableStreamBYOBReader runs once the object exists; its TypeErrors come
        // first.)
        if stream.is_locked() {
            return Err(Error::Type("the stream is locked to another reader".into()));
        }
        if stream.byte_controller().is_none() {
            return Err(Error::Type(
                "a BYOB reader needs a byte stream (type: \"bytes\")".into(),
            ));
        }
        let reader = ReadableStreamBYOBReader::new_inherited(&cx.ctx)?;
        *reader.stream.borrow_mut() = Some(stream);
        Ok(reader)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        // Step 1. ? SetUpReadableStreamBYOBReader(this, stream).
        let stream = this.stream.borrow_mut().take();
        match stream {
            Some(stream) => set_up_readable_stream_byob_reader(&cx.ctx, this, &stream),
            None => Ok(()),
        }
    }

    /// <https://streams.spec.whatwg.org/#generic-reader-closed>
    fn closed(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.closed.borrow().promise.clone())
    }

    /// <https://streams.spec.whatwg.org/#generic-reader-cancel>
    fn cancel(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<Promise<'js>> {
        // Step 1. Released: a promise rejected with a TypeError.
        if GenericReader::stream(self).is_none() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the reader was released".into()));
        }
        // Step 2. ReadableStreamReaderGenericCancel(this, reason).
        let reason = reason.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        readable_stream_reader_generic_cancel(&cx.ctx, self, reason)
    }

    /// <https://streams.spec.whatwg.org/#byob-reader-read>
    fn read(
        &self,
        cx: &Cx<'js>,
        view_arg: ArrayBufferView<'js>,
        options: ReadableStreamBYOBReaderReadOptions,
    ) -> Fallible<Promise<'js>> {
        let ctx = &cx.ctx;
        let view = view(&view_arg).clone();
        let parts = match view_parts(&view) {
            Ok(p) => p,
            Err(e) => return glue::rejected_promise(ctx, e),
        };
        // Step 1. An empty view: a promise rejected with a TypeError.
        if parts.byte_length == 0 {
            return glue::rejected_promise(ctx, Error::Type("the view is empty".into()));
        }
        // Step 2. An empty buffer: a promise rejected with a TypeError.
        if array_buffer_byte_length(&parts.buffer) == 0 {
            return glue::rejected_promise(
                ctx,
                Error::Type("the view's buffer is empty or detached".into()),
            );
        }
        // Step 3. A detached buffer: a promise rejected with a TypeError.
        if is_detached_buffer(&parts.buffer) {
            return glue::rejected_promise(
                ctx,
                Error::Type("the view's buffer is detached".into()),
            );
        }
        // Step 4. min 0: a promise rejected with a TypeError.
        if options.min == 0 {
            return glue::rejected_promise(ctx, Error::Type("min must be greater than 0".into()));
        }
        // Steps 5-6. min beyond the view's elements: a promise rejected with a RangeError.
        let elements = if parts.kind == BufferViewKind::DataView {
            parts.byte_length
        } else {
            parts.byte_length / element_size(parts.kind)
        };
        if options.min > elements as u64 {
            return glue::rejected_promise(ctx, Error::Range("min is larger than the view".into()));
        }
        // Step 7. Released: a promise rejected with a TypeError.
        if GenericReader::stream(self).is_none() {
            return glue::rejected_promise(ctx, Error::Type("the reader was released".into()));
        }
        // Steps 8-9. A read-into request that settles a new promise.
        let deferred = Deferred::new(ctx)?;
        let promise = deferred.promise.clone();
        // Step 10. ! ReadableStreamBYOBReaderRead(this, view, min, readIntoRequest).
        readable_stream_byob_reader_read(
            ctx,
            self,
            &view,
            options.min,
            Box::new(PromiseReadIntoRequest(deferred)),
        );
        // Step 11. Return promise.
        Ok(promise)
    }

    /// <https://streams.spec.whatwg.org/#byob-reader-release-lock>
    fn releaseLock(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Released already: return. Step 2. ! ReadableStreamBYOBReaderRelease(this).
        readable_stream_byob_reader_release(&cx.ctx, self);
        Ok(())
    }
}
