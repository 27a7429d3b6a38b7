//! <https://w3c.github.io/ServiceWorker/#cache-interface>: a request response list of the
//! profile's cache storage. The methods' synchronous steps run here; their "in parallel"
//! steps (Query Cache, Batch Cache Operations) run on the cache storage's thread
//! (`net::cache_storage`), and the promise settles in a task when it answers.
//!
//! Bodies: `put()` of a response whose body is one the profile already holds (a background
//! fetch record's, another entry's) and that script has not read sends only its name, so the
//! bytes are linked into the cache on disk and never pass through this thread. A body still
//! arriving (a fetch() response) is uploaded to the cache storage a piece at a time as it
//! arrives ([`upload_body`]): a response of any size is never held whole in memory.

use crate::dom::bindings::codegen::CacheBinding::CacheMethods;
use crate::dom::bindings::codegen::{CacheQueryOptions, RequestInfo};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::{BodyFailure, BodyMixin, Incoming, Relayed, Source};
use crate::dom::cachestorage::{
    pending_reply, query_options, query_request, response_object, send, unexpected, Settle,
};
use crate::dom::request::Request;
use crate::dom::response::Response;
use net_traits::cache::{
    CacheError, CacheId, CacheOperation, CacheReply, CacheRequest, PutBody, UploadId,
};
use net_traits::{RequestData, ResponseMeta};
use parking_lot::Mutex;
use std::sync::Arc;

/// <https://w3c.github.io/ServiceWorker/#cache-interface>
pub struct Cache<'js> {
    /// The request response list this object represents.
    id: CacheId,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Cache<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> Cache<'js> {
    /// A new Cache object for the cache `id`.
    pub fn new(ctx: &Ctx<'js>, id: CacheId) -> Fallible<Dom<'js, Cache<'js>>> {
        reflect_dom_object(
            ctx,
            Cache {
                id,
                _js: std::marker::PhantomData,
            },
        )
    }
}

fn undefined<'a>(ctx: &Ctx<'a>) -> Value<'a> {
    Value::new_undefined(ctx.clone())
}

/// Settles with the first response found, or undefined.
fn first_response() -> Settle {
    Box::new(|ctx, reply| match reply {
        CacheReply::Responses(mut found) if !found.is_empty() => {
            Ok(response_object(ctx, found.remove(0))?
                .reflector()
                .clone()
                .into_value())
        }
        CacheReply::Responses(_) => Ok(undefined(ctx)),
        other => Err(unexpected(other)),
    })
}

/// Steps 1-3 of put() and of a fetched response in addAll(): the request must be an http(s)
/// GET; the response may not be a 206 or vary on everything.
pub(crate) fn check_put(request: &RequestData, response: &ResponseMeta) -> Fallible<()> {
    let scheme_ok =
        url::Url::parse(&request.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !scheme_ok || request.method != "GET" {
        return Err(Error::Type(format!(
            "only http(s) GET requests can be cached, not {} {}",
            request.method, request.url
        )));
    }
    // Step 5. innerResponse's status: for an opaque filtered response, the status of the
    // response behind it (as upstream WPT and Chromium have it; script sees 0).
    if response.status == 206 || response.opaque_status == Some(206) {
        return Err(Error::Type(
            "a partial (206) response cannot be cached".into(),
        ));
    }
    if net_traits::cache::varies_on_everything(response) {
        return Err(Error::Type(
            "a response with \"Vary: *\" cannot be cached".into(),
        ));
    }
    Ok(())
}

/// The request a RequestInfo gives a put or addAll (a string is constructed into one).
fn inner_request<'js>(cx: &Cx<'js>, request: RequestInfo<'js>) -> Fallible<RequestData> {
    use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
    match request {
        RequestInfo::Request(r) => Ok(r.to_request_data()),
        other => Ok(<Request as RequestMethods>::Constructor(
            cx,
            other,
            crate::dom::request::empty_init(&cx.ctx)?,
        )?
        .to_request_data()),
    }
}

/// Sends one batch of puts; the promise resolves with undefined.
pub(crate) fn put_batch<'js>(
    ctx: &Ctx<'js>,
    cache: CacheId,
    operations: Vec<CacheOperation>,
) -> Fallible<Promise<'js>> {
    send(
        ctx,
        CacheRequest::Batch { cache, operations },
        undefined_when_done(),
    )
}

/// The body of a response to store: nothing, its bytes, or (unread) the profile's stored
/// bytes. `None`: the bytes are still arriving (the caller reads them all first), or come
/// from the body's stream (the caller reads it through [`Body::rust_source`]).
///
/// [`Body::rust_source`]: crate::dom::body::Body::rust_source
pub(crate) fn put_body(response: &Response<'_>) -> Option<PutBody> {
    let body = response.body_();
    if body.has_stream() {
        return None;
    }
    match body.source() {
        None => Some(PutBody::None),
        Some(Source::Bytes(b)) => Some(PutBody::Bytes(b.to_vec())),
        Some(Source::Incoming(i)) => {
            let unread = i.on_demand.borrow().is_some();
            match (i.stored.get(), unread) {
                (Some(stored), true) => Some(PutBody::Stored(stored)),
                _ => body.bytes_now().map(|b| PutBody::Bytes(b.to_vec())),
            }
        }
        Some(Source::Stream) => None,
    }
}

/// Uploads a body whose bytes are still arriving (a fetch() response) to the cache
/// storage, each piece as it arrives, never kept here: the promise resolves once every byte
/// is there (then a put can store `PutBody::Uploaded(id)`), and rejects with a TypeError if
/// the body fails (a network error, an abort) or with what the cache storage said if it
/// refused a piece (the disk, the quota); the upload is then gone.
pub(crate) fn upload_body<'js>(
    ctx: &Ctx<'js>,
    incoming: &std::rc::Rc<Incoming<'js>>,
) -> Fallible<(Promise<'js>, UploadId)> {
    let id = UploadId(uuid::Uuid::new_v4().to_string());
    let (promise, pending) = match pending_reply(ctx)? {
        Ok(p) => p,
        Err(rejected) => return Ok((rejected, id)),
    };
    let upload = id.clone();
    let mut first = true;
    // The first piece the cache storage refused.
    let failed: Arc<Mutex<Option<CacheError>>> = Arc::default();
    let mut pending = Some(pending);
    incoming.relay_to(
        ctx,
        Box::new(move |relayed| {
            let Some(p) = pending.as_ref() else {
                return;
            };
            let (caches, key) = (p.caches.clone(), p.storage_key.clone());
            let mut send_piece = |bytes: &[u8], then: Box<dyn FnOnce(CacheReply) + Send>| {
                let request = CacheRequest::Upload {
                    upload: upload.clone(),
                    first: std::mem::take(&mut first),
                    bytes: bytes.to_vec(),
                };
                caches.0.send(&key, request, then);
            };
            match relayed {
                Relayed::Bytes(bytes) => {
                    if failed.lock().is_none() {
                        let failed = failed.clone();
                        send_piece(
                            bytes,
                            Box::new(move |reply| {
                                if let CacheReply::Failed(e) = reply {
                                    failed.lock().get_or_insert(e);
                                }
                            }),
                        );
                    }
                }
                Relayed::End(Err(why)) => {
                    let discard = CacheRequest::DiscardUpload {
                        upload: upload.clone(),
                    };
                    caches.0.send(&key, discard, Box::new(|_| {}));
                    if let Some(p) = pending.take() {
                        // Reading the body fails with the stream's error: the abort
                        // reason (an AbortError) for an aborted fetch.
                        let error = CacheReply::Failed(match why {
                            BodyFailure::Aborted => CacheError::Aborted(why.to_string()),
                            BodyFailure::Failed(_) => CacheError::Type(format!(
                                "the response's body could not be read: {why}"
                            )),
                        });
                        p.settle(error, undefined_when_done());
                    }
                }
                Relayed::End(Ok(())) => {
                    let Some(p) = pending.take() else { return };
                    // An empty last piece: the cache storage answers in order, so its answer
                    // comes after every other piece's (and starts an empty body's upload).
                    let failed = failed.clone();
                    send_piece(
                        &[],
                        Box::new(move |reply| {
                            let reply = match failed.lock().take() {
                                Some(e) => CacheReply::Failed(e),
                                None => reply,
                            };
                            p.settle(reply, undefined_when_done())
                        }),
                    );
                }
            }
        }),
    );
    Ok((promise, id))
}

/// Forgets uploads that will not be stored.
pub(crate) fn discard_uploads(ctx: &Ctx<'_>, uploads: impl IntoIterator<Item = UploadId>) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    if let Some(caches) = global.info().caches.clone() {
        for upload in uploads {
            let discard = CacheRequest::DiscardUpload { upload };
            caches
                .0
                .send(&global.info().origin, discard, Box::new(|_| {}));
        }
    }
}

/// What put() waits with while its body is uploaded.
#[derive(Clone)]
struct Uploading<'js> {
    cache: CacheId,
    operation: std::rc::Rc<CacheOperation>,
    upload: std::rc::Rc<UploadId>,
    resolve: Function<'js>,
    reject: Function<'js>,
}

impl<'js> Trace<'js> for Uploading<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.resolve.trace(tracer);
        self.reject.trace(tracer);
    }
}

fn uploaded<'js>(
    w: &Uploading<'js>,
    params: &rquickjs::function::Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    // Resolving with the batch's promise adopts its outcome.
    let p = put_batch(ctx, w.cache, vec![(*w.operation).clone()])?;
    w.resolve.call::<_, ()>((p,))?;
    Ok(undefined(ctx))
}

fn upload_failed<'js>(
    w: &Uploading<'js>,
    params: &rquickjs::function::Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    discard_uploads(params.ctx(), [(*w.upload).clone()]);
    let reason = params.arg(0).unwrap_or_else(|| undefined(params.ctx()));
    w.reject.call::<_, ()>((reason,))?;
    Ok(undefined(params.ctx()))
}

/// Steps 9-19 of put() for a body whose bytes are still arriving: uploaded as they come,
/// then the one put of Batch Cache Operations stores the uploaded body.
fn put_streaming<'js>(
    ctx: &Ctx<'js>,
    cache: CacheId,
    request: RequestData,
    response: ResponseMeta,
    incoming: &std::rc::Rc<Incoming<'js>>,
) -> Fallible<Promise<'js>> {
    let (upload_done, upload) = upload_body(ctx, incoming)?;
    let (promise, resolve, reject) = ctx.promise()?;
    let state = Uploading {
        cache,
        operation: std::rc::Rc::new(CacheOperation::Put {
            request,
            response,
            body: PutBody::Uploaded(upload.clone()),
        }),
        upload: std::rc::Rc::new(upload),
        resolve,
        reject,
    };
    crate::dom::bindings::callback::react(ctx, &upload_done, state, uploaded, upload_failed)?;
    Ok(promise)
}

/// Undefined once the cache storage did it.
fn undefined_when_done() -> Settle {
    Box::new(|ctx, reply| match reply {
        CacheReply::Done(_) => Ok(undefined(ctx)),
        other => Err(unexpected(other)),
    })
}

impl<'js> CacheMethods<'js> for Cache<'js> {
    /// <https://w3c.github.io/ServiceWorker/#cache-match>: matchAll's first response.
    fn r#match(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        let query = match query_request(cx, request, &options) {
            Ok(Some(q)) => q,
            Ok(None) => return glue::resolved_promise(&cx.ctx, undefined(&cx.ctx)),
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        let request = CacheRequest::MatchAll {
            cache: Some(self.id),
            query: Some(query),
            options: query_options(&options),
            first: true,
        };
        send(&cx.ctx, request, first_response())
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-matchall>
    fn matchAll(
        &self,
        cx: &Cx<'js>,
        request: Option<RequestInfo<'js>>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        // Steps 1-2. The query request, if any (a non-GET Request without ignoreMethod
        // matches nothing: an empty array).
        let query = match request {
            None => None,
            Some(r) => match query_request(cx, r, &options) {
                Ok(Some(q)) => Some(q),
                Ok(None) => {
                    let empty = FrozenArray::new(&cx.ctx, Vec::<Value<'js>>::new())?;
                    return glue::resolved_promise(&cx.ctx, empty.to_js(&cx.ctx)?);
                }
                Err(e) => return glue::rejected_promise(&cx.ctx, e),
            },
        };
        let request = CacheRequest::MatchAll {
            cache: Some(self.id),
            query,
            options: query_options(&options),
            first: false,
        };
        // Step 5.4. A frozen array of new Response objects.
        send(
            &cx.ctx,
            request,
            Box::new(|ctx, reply| match reply {
                CacheReply::Responses(found) => {
                    let mut list = Vec::new();
                    for c in found {
                        list.push(response_object(ctx, c)?.reflector().clone().into_value());
                    }
                    FrozenArray::new(ctx, list)?.to_js(ctx)
                }
                other => Err(unexpected(other)),
            }),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-add>: addAll of one request.
    fn add(&self, cx: &Cx<'js>, request: RequestInfo<'js>) -> Fallible<Promise<'js>> {
        self.addAll(cx, vec![request])
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-addAll>
    fn addAll(&self, cx: &Cx<'js>, requests: Vec<RequestInfo<'js>>) -> Fallible<Promise<'js>> {
        crate::dom::cacheaddall::add_all(cx, self.id, requests)
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-put>
    fn put(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        response: Dom<'js, Response<'js>>,
    ) -> Fallible<Promise<'js>> {
        let ctx = &cx.ctx;
        // Steps 1-2. The inner request (a string is constructed into a Request).
        let request = match inner_request(cx, request) {
            Ok(r) => r,
            Err(e) => return glue::rejected_promise(ctx, e),
        };
        // Steps 3-7. An http(s) GET; not a 206; not "Vary: *".
        let meta = response.to_response_meta();
        if let Err(e) = check_put(&request, &meta) {
            return glue::rejected_promise(ctx, e);
        }
        // Step 8. A disturbed or locked body cannot be stored.
        if response.body_().unusable() {
            return glue::rejected_promise(
                ctx,
                Error::Type("put(): the response's body has already been used".into()),
            );
        }
        // Steps 9-11. Read all the body's bytes (the body is disturbed from now on).
        let mut request = request;
        request.body = None;
        if let Some(body) = put_body(&response) {
            response.body_().disturb();
            let op = CacheOperation::Put {
                request,
                response: meta,
                body,
            };
            // Steps 12-19. Batch Cache Operations with the one put.
            return put_batch(ctx, self.id, vec![op]);
        }
        // The bytes are still arriving (or come from the body's stream): they go to the
        // cache storage as they come, then the put stores them.
        let Some(Source::Incoming(incoming)) = response.body_().rust_source(ctx)? else {
            return glue::rejected_promise(ctx, Error::Type("put(): no body to store".into()));
        };
        response.body_().disturb();
        put_streaming(ctx, self.id, request, meta, &incoming)
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-delete>
    fn delete(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        let ctx = &cx.ctx;
        // Steps 1-2. The request (a non-GET Request without ignoreMethod deletes nothing).
        let request = match query_request(cx, request, &options) {
            Ok(Some(r)) => r,
            Ok(None) => return glue::resolved_promise(ctx, Value::new_bool(ctx.clone(), false)),
            Err(e) => return glue::rejected_promise(ctx, e),
        };
        // Steps 3-9. A delete operation; true if it removed something.
        let op = CacheOperation::Delete {
            request,
            options: query_options(&options),
        };
        send(
            ctx,
            CacheRequest::Batch {
                cache: self.id,
                operations: vec![op],
            },
            Box::new(|ctx, reply| match reply {
                CacheReply::Done(changed) => {
                    Ok(Value::new_bool(ctx.clone(), changed.first() == Some(&true)))
                }
                other => Err(unexpected(other)),
            }),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-keys>
    fn keys(
        &self,
        cx: &Cx<'js>,
        request: Option<RequestInfo<'js>>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        let ctx = &cx.ctx;
        // Steps 1-2. The query request, if any.
        let query = match request {
            None => None,
            Some(r) => match query_request(cx, r, &options) {
                Ok(Some(q)) => Some(q),
                Ok(None) => {
                    let empty = FrozenArray::new(ctx, Vec::<Value<'js>>::new())?;
                    return glue::resolved_promise(ctx, empty.to_js(ctx)?);
                }
                Err(e) => return glue::rejected_promise(ctx, e),
            },
        };
        let request = CacheRequest::Keys {
            cache: self.id,
            query,
            options: query_options(&options),
        };
        // Step 5.2. A frozen array of new Request objects.
        send(
            ctx,
            request,
            Box::new(|ctx, reply| match reply {
                CacheReply::Requests(found) => {
                    let mut list = Vec::new();
                    for r in found {
                        let request =
                            crate::dom::backgroundfetch::connection::request_object(ctx, &r)?;
                        list.push(request.reflector().clone().into_value());
                    }
                    FrozenArray::new(ctx, list)?.to_js(ctx)
                }
                other => Err(unexpected(other)),
            }),
        )
    }
}
