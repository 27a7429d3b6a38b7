//! <https://streams.spec.whatwg.org/#default-reader-class>: a readable stream's default
//! reader (with the ReadableStreamGenericReader mixin).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ReadableStreamDefaultReaderBinding::ReadableStreamDefaultReaderMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{
    readable_stream_default_reader_read, readable_stream_default_reader_release,
    readable_stream_reader_generic_cancel, readable_stream_reader_generic_initialize, Deferred,
    PromiseReadRequest, ReadRequest, ReadableStream, StreamReader,
};
use std::collections::VecDeque;

/// <https://streams.spec.whatwg.org/#readablestreamdefaultreader>
pub struct ReadableStreamDefaultReader<'js> {
    /// [[closedPromise]]
    closed: DomRefCell<Deferred<'js>>,
    /// [[stream]] (none once released)
    stream: DomRefCell<Option<Dom<'js, ReadableStream<'js>>>>,
    /// [[readRequests]]
    read_requests: DomRefCell<VecDeque<Box<dyn ReadRequest<'js> + 'js>>>,
}

impl<'js> Trace<'js> for ReadableStreamDefaultReader<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.closed.trace(tracer);
        self.stream.trace(tracer);
        for r in self.read_requests.borrow().iter() {
            r.trace_request(tracer);
        }
    }
}

impl<'js> ReadableStreamDefaultReader<'js> {
    pub fn new_inherited(ctx: &Ctx<'js>) -> Fallible<ReadableStreamDefaultReader<'js>> {
        Ok(ReadableStreamDefaultReader {
            closed: DomRefCell::new(Deferred::new(ctx)?),
            stream: DomRefCell::new(None),
            read_requests: DomRefCell::new(VecDeque::new()),
        })
    }

    /// <https://streams.spec.whatwg.org/#set-up-readable-stream-default-reader>
    pub fn set_up(
        ctx: &Ctx<'js>,
        reader: &Dom<'js, ReadableStreamDefaultReader<'js>>,
        stream: &Dom<'js, ReadableStream<'js>>,
    ) -> Fallible<()> {
        // Step 1. A locked stream: TypeError.
        if stream.is_locked() {
            return Err(Error::Type("the stream is locked to another reader".into()));
        }
        // Step 2. ReadableStreamReaderGenericInitialize(reader, stream).
        readable_stream_reader_generic_initialize(
            ctx,
            StreamReader::Default(reader.clone()),
            stream,
        );
        // Step 3. An empty list of read requests (it is).
        Ok(())
    }

    pub fn stream(&self) -> Option<Dom<'js, ReadableStream<'js>>> {
        self.stream.borrow().clone()
    }

    pub fn set_stream(&self, stream: Option<Dom<'js, ReadableStream<'js>>>) {
        *self.stream.borrow_mut() = stream;
    }

    pub fn closed_deferred(&self) -> Deferred<'js> {
        self.closed.borrow().clone()
    }

    pub fn set_closed_deferred(&self, d: Deferred<'js>) {
        *self.closed.borrow_mut() = d;
    }

    pub fn push_read_request(&self, request: Box<dyn ReadRequest<'js> + 'js>) {
        self.read_requests.borrow_mut().push_back(request);
    }

    pub fn shift_read_request(&self) -> Option<Box<dyn ReadRequest<'js> + 'js>> {
        self.read_requests.borrow_mut().pop_front()
    }

    pub fn take_read_requests(&self) -> Vec<Box<dyn ReadRequest<'js> + 'js>> {
        self.read_requests.borrow_mut().drain(..).collect()
    }

    pub fn num_read_requests(&self) -> usize {
        self.read_requests.borrow().len()
    }
}

impl<'js> ReadableStreamDefaultReaderMethods<'js> for ReadableStreamDefaultReader<'js> {
    /// <https://streams.spec.whatwg.org/#default-reader-constructor>
    fn Constructor(cx: &Cx<'js>, stream: Dom<'js, ReadableStream<'js>>) -> Fallible<Self> {
        // (SetUpReadableStreamDefaultReader runs once the object exists; its TypeError
        // comes first.)
        if stream.is_locked() {
            return Err(Error::Type("the stream is locked to another reader".into()));
        }
        let reader = ReadableStreamDefaultReader::new_inherited(&cx.ctx)?;
        *reader.stream.borrow_mut() = Some(stream);
        Ok(reader)
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let stream = this.stream.borrow_mut().take();
        match stream {
            Some(stream) => ReadableStreamDefaultReader::set_up(&cx.ctx, this, &stream),
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
        if self.stream().is_none() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the reader was released".into()));
        }
        // Step 2. ReadableStreamReaderGenericCancel(this, reason).
        let reason = reason.unwrap_or_else(|| Value::new_undefined(cx.ctx.clone()));
        readable_stream_reader_generic_cancel(&cx.ctx, self, reason)
    }

    /// <https://streams.spec.whatwg.org/#default-reader-read>
    fn read(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        // Step 1. Released: a promise rejected with a TypeError.
        if self.stream().is_none() {
            return glue::rejected_promise(&cx.ctx, Error::Type("the reader was released".into()));
        }
        // Steps 2-4. A read request that settles a new promise.
        let deferred = Deferred::new(&cx.ctx)?;
        let promise = deferred.promise.clone();
        // Step 5. ReadableStreamDefaultReaderRead(this, readRequest).
        readable_stream_default_reader_read(&cx.ctx, self, Box::new(PromiseReadRequest(deferred)));
        // Step 6. Return promise.
        Ok(promise)
    }

    /// <https://streams.spec.whatwg.org/#default-reader-release-lock>
    fn releaseLock(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Released already: return. Step 2. Release.
        readable_stream_default_reader_release(&cx.ctx, self);
        Ok(())
    }
}
