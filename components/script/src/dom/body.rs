//! The Body mixin (<https://fetch.spec.whatwg.org/#body-mixin>) shared by Request and
//! Response: a body's bytes, "extract a body", and "consume body" for arrayBuffer(), blob(),
//! bytes(), formData(), json() and text(). Both interfaces implement [`BodyMixin`] and
//! expand [`body_mixin_methods!`](crate::body_mixin_methods) in their `...Methods` impls, so
//! the mixin's members and the shared part of `clone()` are written once, here.
//!
//! A body is bytes (held in memory, as script gave them), bytes still arriving (from the
//! network, or read from the profile a piece at a time), or a ReadableStream script gave.
//! Its `body` stream is made when script first asks for it: bytes arriving then go to the
//! stream as chunks, and a body read from the profile is read only as fast as the stream is
//! (see [`Incoming::wants_more`]).

use crate::dom::bindings::buffer_source::{buffer_source_bytes, new_uint8_array};
use crate::dom::bindings::codegen::XMLHttpRequestBodyInit as BodyInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::blob::Blob;
use crate::dom::file::{now_ms, File};
use crate::dom::formdata::{self, EntryValue, FormData};
use crate::dom::headers::{list_get, Headers};
use crate::dom::readablestream::{NativeSource, ReadableStream, StreamConsumer, StreamController};
use crate::dom::urlsearchparams;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// Bytes still arriving (a fetch() response): what came so far, how it ended, and the
/// consumers waiting for the end (their promise functions are traced).
#[derive(Default)]
pub struct Incoming<'js> {
    pub data: RefCell<Vec<u8>>,
    /// `Some(Ok)` once complete, `Some(Err(message))` on a network error.
    pub end: RefCell<Option<Result<(), String>>>,
    waiters: RefCell<Vec<Waiter<'js>>>,
    /// The abort reason, when the fetch was aborted (readers reject with it).
    pub aborted: RefCell<Option<Value<'js>>>,
    /// Started when the body is first read (a stored body is pulled only when wanted).
    pub on_demand: RefCell<Option<OnDemand<'js>>>,
    /// The same bytes, as the profile holds them (a background fetch record's, a cache
    /// entry's): while the body has not been read, a consumer in Rust (`cache.put()`) takes
    /// them from there instead.
    pub stored: std::cell::Cell<Option<net_traits::cache::StoredBody>>,
    /// Where the bytes go as they arrive when something in Rust took the body whole (a
    /// fetch event's response on its way to the client): see [`Incoming::relay_to`].
    relay: RefCell<Option<Relay>>,
    /// Another body shares these bytes (a clone): relayed bytes are kept for it.
    shared: Cell<bool>,
    /// The controllers of the `body` streams reading these bytes, once script asked for them
    /// (byte streams': they are set up with byte reading support). More than one when
    /// bodies share the bytes (a Response cloned before either's stream was made).
    stream: RefCell<Vec<StreamController<'js>>>,
    /// How to read more of a body read a piece at a time, kept while its stream is full.
    more: RefCell<Option<OnDemand<'js>>>,
}

/// What a relayed body delivers: its bytes, in order, then its end.
pub enum Relayed<'a> {
    Bytes(&'a [u8]),
    /// The body is complete (`Ok`), or failed or was aborted (`Err`).
    End(Result<(), BodyFailure>),
}

/// Why a body did not arrive whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyFailure {
    /// Its fetch was aborted: readers get the abort reason (an AbortError).
    Aborted,
    /// The network or the store failed.
    Failed(String),
}

impl std::fmt::Display for BodyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyFailure::Aborted => f.write_str("the body was aborted"),
            BodyFailure::Failed(m) => f.write_str(m),
        }
    }
}

/// Takes a relayed body's bytes on the global's thread. It holds no JS value.
pub type Relay = Box<dyn FnMut(Relayed<'_>)>;

/// Starts pulling a body's bytes into its [`Incoming`] (called once, on the first read).
pub type OnDemand<'js> = Box<dyn FnOnce(&Ctx<'js>, Rc<Incoming<'js>>) + 'js>;

struct Waiter<'js> {
    kind: Consume,
    content_type: Option<Vec<u8>>,
    resolve: Function<'js>,
    reject: Function<'js>,
}

impl<'js> Trace<'js> for Incoming<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for w in self.waiters.borrow().iter() {
            w.resolve.trace(tracer);
            w.reject.trace(tracer);
        }
        if let Some(v) = self.aborted.borrow().as_ref() {
            v.trace(tracer);
        }
        self.stream.borrow().trace(tracer);
    }
}

impl<'js> Incoming<'js> {
    /// A new incoming body of `global`, which traces it (exactly once, however many
    /// bodies and pending reads share it) and releases its JS values when it ends.
    pub fn new_in(global: &crate::dom::globalscope::GlobalScope<'js>) -> Rc<Incoming<'js>> {
        let incoming = Rc::new(Incoming::default());
        global.register_incoming(&incoming);
        incoming
    }

    /// Drops the waiting consumers and the abort reason (the global is going away).
    pub fn release(&self) {
        self.waiters.borrow_mut().clear();
        self.aborted.borrow_mut().take();
        self.on_demand.borrow_mut().take();
        self.stream.borrow_mut().clear();
        self.more.borrow_mut().take();
    }

    /// More bytes arrived.
    pub fn push(&self, ctx: &Ctx<'js>, bytes: &[u8]) {
        if let Some(relay) = self.relay.borrow_mut().as_mut() {
            relay(Relayed::Bytes(bytes));
            if !self.shared.get() {
                return;
            }
        }
        let controllers = self.stream.borrow().clone();
        if !controllers.is_empty() {
            // Enqueue: into a waiting BYOB read's view if there is one, else as a new
            // Uint8Array.
            for controller in controllers {
                if let Err(e) = controller.enqueue_bytes(ctx, bytes) {
                    controller.error(ctx, crate::dom::bindings::error::error_value(ctx, e));
                }
            }
            if !self.shared.get() {
                return;
            }
        }
        self.data.borrow_mut().extend_from_slice(bytes);
    }

    /// Whether a body read a piece at a time should read the next piece now: only while its
    /// stream needs more data or a read waits (the stream's next pull reads on, through
    /// [`Self::read_more_later`]), so at most one piece is held beyond what script reads.
    pub fn wants_more(&self) -> bool {
        let controllers = self.stream.borrow();
        controllers.is_empty() || controllers.iter().any(|c| c.wants_more())
    }

    /// Keeps how to read the next piece until the stream pulls.
    pub fn read_more_later(&self, more: OnDemand<'js>) {
        *self.more.borrow_mut() = Some(more);
    }

    /// The stream wants more: read the next piece, if one is waiting to be read.
    fn read_more_now(self: &Rc<Self>, ctx: &Ctx<'js>) {
        let more = self.more.borrow_mut().take();
        if let Some(more) = more {
            more(ctx, self.clone());
        }
    }

    /// The `body` streams' end, as the body's.
    fn end_stream(&self, ctx: &Ctx<'js>, result: Result<(), Value<'js>>) {
        let controllers = std::mem::take(&mut *self.stream.borrow_mut());
        self.more.borrow_mut().take();
        for controller in controllers {
            match &result {
                Ok(()) => controller.close(ctx),
                Err(e) => controller.error(ctx, e.clone()),
            }
        }
    }

    /// Hands the body's bytes to `relay` as they arrive, instead of keeping them for script:
    /// what came so far at once, each later piece as it arrives, then the end. A stored body
    /// starts being read now. The bytes are not kept, unless a clone of the body shares
    /// them. Call it once, on a body that nothing has read (the caller disturbs it).
    pub fn relay_to(self: &Rc<Self>, ctx: &Ctx<'js>, mut relay: Relay) {
        let so_far = if self.shared.get() {
            self.data.borrow().clone()
        } else {
            std::mem::take(&mut *self.data.borrow_mut())
        };
        if !so_far.is_empty() {
            relay(Relayed::Bytes(&so_far));
        }
        if self.aborted.borrow().is_some() {
            return relay(Relayed::End(Err(BodyFailure::Aborted)));
        }
        if let Some(end) = self.end.borrow().clone() {
            return relay(Relayed::End(end.map_err(BodyFailure::Failed)));
        }
        *self.relay.borrow_mut() = Some(relay);
        let start = self.on_demand.borrow_mut().take();
        if let Some(start) = start {
            start(ctx, self.clone());
        }
    }

    /// The relay, when the body ends.
    fn end_relay(&self, result: Result<(), BodyFailure>) {
        let relay = self.relay.borrow_mut().take();
        if let Some(mut relay) = relay {
            relay(Relayed::End(result));
        }
    }

    /// The fetch was aborted: the body errors with `reason`, which waiting readers get.
    pub fn abort(&self, ctx: &Ctx<'js>, reason: Value<'js>) {
        let _ = ctx;
        *self.aborted.borrow_mut() = Some(reason.clone());
        *self.end.borrow_mut() = Some(Err("aborted".into()));
        self.end_relay(Err(BodyFailure::Aborted));
        self.end_stream(ctx, Err(reason.clone()));
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        for w in waiters {
            let _ = w.reject.call::<_, ()>((reason.clone(),));
        }
    }

    /// The body ended (with an error message on failure): the waiting consumers settle.
    pub fn finish(&self, ctx: &Ctx<'js>, result: Result<(), String>) {
        *self.end.borrow_mut() = Some(result.clone());
        self.end_relay(result.clone().map_err(BodyFailure::Failed));
        let stream_end = result.clone().map_err(|m| {
            crate::dom::bindings::error::error_value(
                ctx,
                Error::Type(format!("the body could not be read: {m}")),
            )
        });
        self.end_stream(ctx, stream_end);
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        for w in waiters {
            let outcome = match &result {
                Ok(()) => convert(ctx, w.kind, &self.data.borrow(), w.content_type.as_deref()),
                Err(m) => Err(Error::Type(format!("the body could not be read: {m}"))),
            };
            let _ = match outcome {
                Ok(v) => w.resolve.call::<_, ()>((v,)),
                Err(e) => {
                    let reason = crate::dom::bindings::error::error_value(ctx, e);
                    w.reject.call::<_, ()>((reason,))
                }
            };
        }
    }
}

/// A body's source.
#[derive(Clone)]
pub enum Source<'js> {
    Bytes(Arc<Vec<u8>>),
    Incoming(Rc<Incoming<'js>>),
    /// A ReadableStream script gave (the body's `stream`).
    Stream,
}

/// <https://fetch.spec.whatwg.org/#concept-body>, as Request and Response hold it.
pub struct Body<'js> {
    /// The body; `None` is a null body.
    source: RefCell<Option<Source<'js>>>,
    /// The stream is disturbed (read, or being read).
    disturbed: Cell<bool>,
    /// The body's stream, once script asked for it (or gave it).
    stream: RefCell<Option<Dom<'js, ReadableStream<'js>>>>,
}

impl<'js> Trace<'js> for Body<'js> {
    /// An incoming body is traced by its global only ([`Incoming::new_in`]): it can be
    /// shared (a cloned Response, a pending read), and a JS value traced twice breaks
    /// QuickJS's cycle collector. The stream is this body's own.
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.stream.borrow().trace(tracer);
    }
}

impl<'js> Body<'js> {
    pub fn new(source: Option<Source<'js>>) -> Body<'js> {
        Body {
            source: RefCell::new(source),
            disturbed: Cell::new(false),
            stream: RefCell::new(None),
        }
    }

    /// A body whose stream script gave (`new Response(stream)`).
    pub fn from_stream(stream: Dom<'js, ReadableStream<'js>>) -> Body<'js> {
        let body = Body::new(Some(Source::Stream));
        *body.stream.borrow_mut() = Some(stream);
        body
    }

    /// The stream script reads this body with (made when first asked for).
    pub fn stream(&self, ctx: &Ctx<'js>) -> Fallible<Option<Dom<'js, ReadableStream<'js>>>> {
        if let Some(s) = self.stream.borrow().clone() {
            return Ok(Some(s));
        }
        // A body something in Rust read whole (a cache put, a fetch event's response, an
        // upload): its stream is the one that was read, locked and disturbed.
        if self.disturbed.get() && !self.is_null() {
            let stream = ReadableStream::from_bytes(ctx, &[])?;
            stream.set_disturbed();
            crate::dom::readablestream::acquire_readable_stream_default_reader(ctx, &stream)?;
            *self.stream.borrow_mut() = Some(stream.clone());
            return Ok(Some(stream));
        }
        let stream = match self.source() {
            None => return Ok(None),
            Some(Source::Bytes(bytes)) => {
                ReadableStream::from_shared_bytes(ctx, bytes, usize::MAX)?
            }
            Some(Source::Incoming(incoming)) => incoming_stream(ctx, incoming)?,
            Some(Source::Stream) => return Ok(None),
        };
        *self.stream.borrow_mut() = Some(stream.clone());
        Ok(Some(stream))
    }

    /// Gives a body made before its bytes were reachable its source (a background fetch
    /// record's request, whose stored body is read on demand).
    pub(crate) fn set_source(&self, source: Option<Source<'js>>) {
        *self.source.borrow_mut() = source;
    }

    pub fn from_bytes(bytes: Option<Arc<Vec<u8>>>) -> Body<'js> {
        Body::new(bytes.map(Source::Bytes))
    }

    pub fn is_null(&self) -> bool {
        self.source.borrow().is_none()
    }

    /// <https://fetch.spec.whatwg.org/#dom-body-bodyused>: non-null and disturbed.
    pub fn used(&self) -> bool {
        !self.is_null()
            && (self.disturbed.get()
                || self
                    .stream
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| s.is_disturbed()))
    }

    /// <https://fetch.spec.whatwg.org/#body-unusable>: disturbed or locked.
    pub fn unusable(&self) -> bool {
        self.used() || self.stream.borrow().as_ref().is_some_and(|s| s.is_locked())
    }

    /// Marks the body read (it is handed to something else: a new Request, fetch()).
    pub fn disturb(&self) {
        self.disturbed.set(true);
    }

    pub fn source(&self) -> Option<Source<'js>> {
        self.source.borrow().clone()
    }

    /// The bytes, if the whole body is known now (never for a body read as a stream).
    pub fn bytes_now(&self) -> Option<Arc<Vec<u8>>> {
        if self.stream.borrow().is_some() {
            return None;
        }
        match self.source.borrow().as_ref()? {
            Source::Bytes(b) => Some(b.clone()),
            Source::Incoming(i) if matches!(*i.end.borrow(), Some(Ok(()))) => {
                Some(Arc::new(i.data.borrow().clone()))
            }
            Source::Incoming(_) | Source::Stream => None,
        }
    }

    /// Whether script reads (or gave) this body as a stream.
    pub fn has_stream(&self) -> bool {
        self.stream.borrow().is_some()
    }

    /// The body's source for a consumer in Rust (a cache put, a fetch event's response): a
    /// body with a stream is read from the stream (which this locks and disturbs), its
    /// chunks arriving as an incoming body's pieces.
    pub fn rust_source(&self, ctx: &Ctx<'js>) -> Fallible<Option<Source<'js>>> {
        let stream = self.stream.borrow().clone();
        let Some(stream) = stream else {
            return Ok(self.source());
        };
        let global = crate::dom::globalscope::GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("no global"))?;
        let incoming = Incoming::new_in(&global);
        struct Feed<'js>(Rc<Incoming<'js>>);
        impl<'js> StreamConsumer<'js> for Feed<'js> {
            fn chunk(&self, ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<()> {
                let bytes = crate::dom::bindings::buffer_source::uint8_array_bytes(&chunk)
                    .ok_or_else(|| {
                        Error::Type("a body stream's chunk is not a Uint8Array".into())
                    })?;
                self.0.push(ctx, &bytes);
                Ok(())
            }
            fn end(&self, ctx: &Ctx<'js>, result: Result<(), Value<'js>>) {
                match result {
                    Ok(()) => self.0.finish(ctx, Ok(())),
                    Err(e) => {
                        let message = crate::dom::bindings::error::describe_exception(ctx, &e);
                        self.0.finish(ctx, Err(message))
                    }
                }
            }
        }
        crate::dom::readablestream::read_all(ctx, &stream, Rc::new(Feed(incoming.clone())))?;
        Ok(Some(Source::Incoming(incoming)))
    }

    /// <https://fetch.spec.whatwg.org/#concept-body-clone>: a body with a stream is teed
    /// (this body keeps one branch, the clone gets the other); otherwise the bytes are
    /// shared.
    pub fn clone_body(&self, ctx: &Ctx<'js>) -> Fallible<Body<'js>> {
        let stream = self.stream.borrow().clone();
        if let Some(stream) = stream {
            let branches = crate::dom::readablestream::readable_stream_tee(ctx, &stream, true)?;
            let mut branches = branches.into_iter();
            let (mine, theirs) = (branches.next(), branches.next());
            *self.stream.borrow_mut() = mine;
            *self.source.borrow_mut() = Some(Source::Stream);
            let clone = Body::new(Some(Source::Stream));
            *clone.stream.borrow_mut() = theirs;
            return Ok(clone);
        }
        let source = self.source();
        if let Some(Source::Incoming(i)) = &source {
            i.shared.set(true);
        }
        Ok(Body::new(source))
    }
}

/// A Request or Response: an includer of the Body mixin, with its body and its headers
/// (whose Content-Type is the body's MIME type).
pub trait BodyMixin<'js> {
    /// The object's body.
    fn body_(&self) -> &Body<'js>;
    /// The object's headers.
    fn headers_(&self) -> &Dom<'js, Headers<'js>>;

    /// <https://fetch.spec.whatwg.org/#concept-body-mime-type>, unparsed: the Content-Type
    /// header's value.
    fn mime_type(&self) -> Option<Vec<u8>> {
        list_get(&self.headers_().list(), b"content-type")
    }

    /// <https://fetch.spec.whatwg.org/#concept-body-consume-body> of this object's body.
    fn consume_body(&self, cx: &Cx<'js>, kind: Consume) -> Fallible<Promise<'js>> {
        consume(cx, self.body_(), kind, self.mime_type())
    }

    /// What Request's and Response's `clone()` share: step 1 (an unusable body is a
    /// TypeError), then a copy of the headers (same guard) and a clone of the body.
    fn clone_headers_and_body(
        &self,
        ctx: &Ctx<'js>,
    ) -> Fallible<(Dom<'js, Headers<'js>>, Body<'js>)> {
        // Step 1. If this is unusable, then throw a TypeError.
        if self.body_().unusable() {
            return Err(Error::Type(
                "clone(): the body has already been used".into(),
            ));
        }
        // The headers list and guard are copied; the body is cloned.
        let headers = self.headers_();
        let copy =
            reflect_dom_object(ctx, Headers::new_inherited(headers.list(), headers.guard()))?;
        Ok((copy, self.body_().clone_body(ctx)?))
    }
}

/// The Body mixin's members (<https://fetch.spec.whatwg.org/#body-mixin>), for the
/// `...Methods` impl of a type that implements [`BodyMixin`].
#[macro_export]
macro_rules! body_mixin_methods {
    () => {
        /// <https://fetch.spec.whatwg.org/#dom-body-bodyused>
        fn bodyUsed(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            Ok($crate::dom::body::BodyMixin::body_(self).used())
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-body>: null, or the body's stream.
        fn body(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::readablestream::ReadableStream<'js>>>> {
            $crate::dom::body::BodyMixin::body_(self).stream(&cx.ctx)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-arraybuffer>
        fn arrayBuffer(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::ArrayBuffer;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-blob>
        fn blob(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::Blob;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-bytes>
        fn bytes(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::Bytes;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-formdata>
        fn formData(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::FormData;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-json>
        fn json(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::Json;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
        /// <https://fetch.spec.whatwg.org/#dom-body-text>
        fn text(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
            let kind = $crate::dom::body::Consume::Text;
            $crate::dom::body::BodyMixin::consume_body(self, cx, kind)
        }
    };
}

/// What a consumer makes of the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consume {
    ArrayBuffer,
    Blob,
    Bytes,
    FormData,
    Json,
    Text,
}

/// What "extract a body" gives: bytes with their type, or a stream script gave.
pub enum Extracted<'js> {
    Bytes((Arc<Vec<u8>>, Option<String>)),
    Stream(Dom<'js, ReadableStream<'js>>),
}

/// <https://fetch.spec.whatwg.org/#concept-bodyinit-extract> for any `BodyInit`: a
/// ReadableStream is the body's stream (it must be neither disturbed nor locked).
pub fn extract_body_init<'js>(
    body: crate::dom::bindings::codegen::BodyInit<'js>,
) -> Fallible<Extracted<'js>> {
    use crate::dom::bindings::codegen::BodyInit as B;
    match body {
        B::ReadableStream(stream) => {
            if stream.is_disturbed() || stream.is_locked() {
                return Err(Error::Type("the body stream is disturbed or locked".into()));
            }
            Ok(Extracted::Stream(stream))
        }
        B::XMLHttpRequestBodyInit(b) => Ok(Extracted::Bytes(extract(b)?)),
    }
}

/// <https://fetch.spec.whatwg.org/#concept-bodyinit-extract>: the bytes and the type. A
/// Blob's bytes are shared, not copied (a large Blob goes to the network or the profile as
/// it is).
pub fn extract(body: BodyInit<'_>) -> Fallible<(Arc<Vec<u8>>, Option<String>)> {
    Ok(match body {
        BodyInit::Blob(blob) => {
            let t = blob.type_string();
            (blob.shared_bytes(), (!t.is_empty()).then(|| t.to_string()))
        }
        BodyInit::BufferSource(b) => (Arc::new(buffer_source_bytes(&b)?), None),
        BodyInit::FormData(fd) => {
            let boundary = formdata::new_boundary();
            let bytes = formdata::multipart_encode(&fd.entries(), &boundary);
            (
                Arc::new(bytes),
                Some(format!("multipart/form-data; boundary={boundary}")),
            )
        }
        BodyInit::URLSearchParams(p) => (
            Arc::new(p.serialized().into_bytes()),
            Some("application/x-www-form-urlencoded;charset=UTF-8".into()),
        ),
        BodyInit::USVString(s) => (
            Arc::new(s.into_bytes()),
            Some("text/plain;charset=UTF-8".into()),
        ),
    })
}

/// The body of a Request or Response made from extracted bytes and type (the result of
/// [`extract`]): the type becomes `headers`' Content-Type unless it has one already (step 38
/// of the Request constructor, step 6.3 of "initialize a response").
pub fn body_with_type<'js>(
    headers: &Headers<'js>,
    extracted: Extracted<'js>,
) -> Fallible<Body<'js>> {
    let (bytes, content_type) = match extracted {
        Extracted::Stream(stream) => return Ok(Body::from_stream(stream)),
        Extracted::Bytes(b) => b,
    };
    if let Some(t) = content_type {
        if list_get(&headers.list(), b"content-type").is_none() {
            headers.append_header(b"Content-Type", t.as_bytes())?;
        }
    }
    Ok(Body::from_bytes(Some(bytes)))
}

/// The essence and parameters of a MIME type header value, or `None` ("parse a MIME type"
/// failing).
pub(crate) fn parse_mime(value: &[u8]) -> Option<(String, Vec<(String, String)>)> {
    let m = crate::mime::MimeType::parse(&String::from_utf8_lossy(value))?;
    Some((m.essence(), m.parameters))
}

/// Converts the bytes for a consumer (the "successSteps" of consume body).
fn convert<'js>(
    ctx: &Ctx<'js>,
    kind: Consume,
    bytes: &[u8],
    content_type: Option<&[u8]>,
) -> Fallible<Value<'js>> {
    let text = || {
        encoding_rs::UTF_8
            .decode_with_bom_removal(bytes)
            .0
            .into_owned()
    };
    Ok(match kind {
        Consume::ArrayBuffer => ArrayBuffer::new_copy(ctx.clone(), bytes)?.into_value(),
        Consume::Bytes => new_uint8_array(ctx, bytes.to_vec())?.object.into_value(),
        Consume::Text => rquickjs::String::from_str(ctx.clone(), &text())?.into_value(),
        Consume::Json => ctx.json_parse(text()).map_err(Error::from)?,
        Consume::Blob => {
            let t = content_type
                .and_then(|v| crate::mime::MimeType::parse(&String::from_utf8_lossy(v)))
                .map(|m| m.serialize())
                .unwrap_or_default();
            reflect_dom_object(ctx, Blob::with_mime_type(bytes.to_vec(), &t))?
                .reflector()
                .clone()
                .into_value()
        }
        Consume::FormData => {
            let Some((essence, params)) = content_type.and_then(parse_mime) else {
                return Err(Error::Type("formData(): no usable Content-Type".into()));
            };
            let entries = match essence.as_str() {
                "multipart/form-data" => {
                    let boundary = params
                        .iter()
                        .find(|(k, _)| k == "boundary")
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| Error::Type("formData(): no multipart boundary".into()))?;
                    let parts = formdata::multipart_parse(bytes, &boundary).ok_or_else(|| {
                        Error::Type("formData(): the multipart body is malformed".into())
                    })?;
                    let mut entries = Vec::new();
                    for part in parts {
                        let value = match part.filename {
                            Some(filename) => {
                                let file = File::new_inherited(
                                    part.body,
                                    part.content_type.as_deref().unwrap_or("text/plain"),
                                    &filename,
                                    now_ms(),
                                );
                                EntryValue::File(reflect_dom_object(ctx, file)?)
                            }
                            None => EntryValue::String(
                                encoding_rs::UTF_8
                                    .decode_with_bom_removal(&part.body)
                                    .0
                                    .into_owned(),
                            ),
                        };
                        entries.push((part.name, value));
                    }
                    entries
                }
                "application/x-www-form-urlencoded" => urlsearchparams::parse(&text())
                    .into_iter()
                    .map(|(n, v)| (n, EntryValue::String(v)))
                    .collect(),
                _ => return Err(Error::Type(format!("formData(): cannot parse {essence}"))),
            };
            reflect_dom_object(ctx, FormData::new_inherited(entries))?
                .reflector()
                .clone()
                .into_value()
        }
    })
}

/// <https://fetch.spec.whatwg.org/#concept-body-consume-body>
pub fn consume<'js>(
    cx: &Cx<'js>,
    body: &Body<'js>,
    kind: Consume,
    content_type: Option<Vec<u8>>,
) -> Fallible<Promise<'js>> {
    let ctx = &cx.ctx;
    // Step 1. An unusable body: a promise rejected with a TypeError.
    if body.unusable() {
        return glue::rejected_promise(ctx, Error::Type("the body has already been used".into()));
    }
    // Steps 2-6. "Fully read" the body: through its stream (made now if script had not
    // asked for it), which stays locked and disturbed.
    if let Some(stream) = body.stream(ctx)? {
        body.disturb();
        return consume_stream(ctx, &stream, kind, content_type);
    }
    // Steps 4-6. A null body is empty bytes; otherwise fully read it (disturbing it).
    let source = body.source();
    if source.is_some() {
        body.disturb();
    }
    match source {
        None => glue::resolved_promise(ctx, convert(ctx, kind, b"", content_type.as_deref())?),
        Some(Source::Bytes(bytes)) => {
            glue::resolved_promise(ctx, convert(ctx, kind, &bytes, content_type.as_deref())?)
        }
        // (A stream body has its stream, read above.)
        Some(Source::Stream) => {
            glue::resolved_promise(ctx, convert(ctx, kind, b"", content_type.as_deref())?)
        }
        Some(Source::Incoming(incoming)) => {
            let (promise, resolve, reject) = ctx.promise()?;
            incoming.waiters.borrow_mut().push(Waiter {
                kind,
                content_type,
                resolve,
                reject,
            });
            // The first reader starts a body that is pulled on demand.
            let start = incoming.on_demand.borrow_mut().take();
            if let Some(start) = start {
                start(ctx, incoming.clone());
            }
            // Already over: settle now (an aborted body rejects with the abort reason).
            let aborted = incoming.aborted.borrow().clone();
            let end = incoming.end.borrow().clone();
            match (aborted, end) {
                (Some(reason), _) => incoming.abort(ctx, reason),
                (None, Some(end)) => incoming.finish(ctx, end),
                (None, None) => {}
            }
            Ok(promise)
        }
    }
}

/// The `body` stream of bytes still arriving, set up with byte reading support (so it can be
/// read with a BYOB reader): what came so far is its first chunk; later pieces are chunks as
/// they arrive (written into a waiting BYOB read's view); a body read from the profile a
/// piece at a time is read as the stream pulls.
fn incoming_stream<'js>(
    ctx: &Ctx<'js>,
    incoming: Rc<Incoming<'js>>,
) -> Fallible<Dom<'js, ReadableStream<'js>>> {
    let stream =
        ReadableStream::create_native_bytes(ctx, Rc::new(IncomingSource(incoming.clone())))?;
    let controller = stream
        .stream_controller()
        .ok_or_else(|| Error::invalid_state("the body stream has no controller"))?;
    let so_far = if incoming.shared.get() {
        incoming.data.borrow().clone()
    } else {
        std::mem::take(&mut *incoming.data.borrow_mut())
    };
    controller.enqueue_bytes(ctx, &so_far)?;
    let aborted = incoming.aborted.borrow().clone();
    let end = incoming.end.borrow().clone();
    match (aborted, end) {
        (Some(reason), _) => controller.error(ctx, reason),
        (None, Some(Ok(()))) => controller.close(ctx),
        (None, Some(Err(m))) => controller.error(
            ctx,
            crate::dom::bindings::error::error_value(
                ctx,
                Error::Type(format!("the body could not be read: {m}")),
            ),
        ),
        (None, None) => {
            incoming.stream.borrow_mut().push(controller);
            // A body pulled on demand starts being read now.
            let start = incoming.on_demand.borrow_mut().take();
            if let Some(start) = start {
                start(ctx, incoming.clone());
            }
        }
    }
    Ok(stream)
}

/// The underlying source of an incoming body's stream.
struct IncomingSource<'js>(Rc<Incoming<'js>>);

impl<'js> NativeSource<'js> for IncomingSource<'js> {
    /// The stream wants more: a body read a piece at a time reads its next piece (which
    /// [`Incoming::push`] enqueues when it arrives).
    fn pull(&self, ctx: &Ctx<'js>, _controller: &StreamController<'js>) -> Fallible<Promise<'js>> {
        self.0.read_more_now(ctx);
        glue::resolved_promise(ctx, Value::new_undefined(ctx.clone()))
    }
    /// Cancelled: nothing more goes to the stream (ReadableStreamCancel closed it before
    /// calling this), and a stored body nothing else reads is read no further.
    fn cancel(&self, ctx: &Ctx<'js>, _reason: Value<'js>) -> Fallible<Promise<'js>> {
        let unread = {
            let mut controllers = self.0.stream.borrow_mut();
            controllers.retain(|c| c.is_readable());
            controllers.is_empty()
                && self.0.waiters.borrow().is_empty()
                && self.0.relay.borrow().is_none()
        };
        if unread {
            self.0.more.borrow_mut().take();
        }
        glue::resolved_promise(ctx, Value::new_undefined(ctx.clone()))
    }
}

/// Fully reads `stream` (its chunks must be Uint8Arrays): a promise of a Uint8Array of all
/// its bytes (a stream body uploaded whole).
pub fn read_stream_bytes<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
) -> Fallible<Promise<'js>> {
    consume_stream(ctx, stream, Consume::Bytes, None)
}

/// Fully reads `stream` (its chunks must be Uint8Arrays) and converts the bytes for `kind`.
fn consume_stream<'js>(
    ctx: &Ctx<'js>,
    stream: &Dom<'js, ReadableStream<'js>>,
    kind: Consume,
    content_type: Option<Vec<u8>>,
) -> Fallible<Promise<'js>> {
    let global = crate::dom::globalscope::GlobalScope::current(ctx)
        .ok_or_else(|| Error::invalid_state("no global"))?;
    let (promise, resolve, reject) = ctx.promise()?;
    let id = global.promises.borrow_mut().add(resolve, reject);
    struct Collect {
        promise: u64,
        bytes: RefCell<Vec<u8>>,
        kind: Consume,
        content_type: Option<Vec<u8>>,
    }
    impl<'js> StreamConsumer<'js> for Collect {
        fn chunk(&self, _ctx: &Ctx<'js>, chunk: Value<'js>) -> Fallible<()> {
            let bytes = crate::dom::bindings::buffer_source::uint8_array_bytes(&chunk)
                .ok_or_else(|| Error::Type("a body stream's chunk is not a Uint8Array".into()))?;
            self.bytes.borrow_mut().extend_from_slice(&bytes);
            Ok(())
        }
        fn end(&self, ctx: &Ctx<'js>, result: Result<(), Value<'js>>) {
            let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
                return;
            };
            let Some((resolve, reject)) = global.promises.borrow_mut().take(self.promise) else {
                return;
            };
            let outcome = result.and_then(|()| {
                convert(
                    ctx,
                    self.kind,
                    &self.bytes.borrow(),
                    self.content_type.as_deref(),
                )
                .map_err(|e| crate::dom::bindings::error::error_value(ctx, e))
            });
            let _ = match outcome {
                Ok(v) => resolve.call::<_, ()>((v,)),
                Err(e) => reject.call::<_, ()>((e,)),
            };
        }
    }
    crate::dom::readablestream::read_all(
        ctx,
        stream,
        Rc::new(Collect {
            promise: id,
            bytes: RefCell::new(Vec::new()),
            kind,
            content_type,
        }),
    )?;
    Ok(promise)
}
