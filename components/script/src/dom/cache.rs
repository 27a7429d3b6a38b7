//! <https://w3c.github.io/ServiceWorker/#cache-interface>: a request response list of the
//! profile's cache storage. The methods' synchronous steps run here; their "in parallel"
//! steps (Query Cache, Batch Cache Operations) run on the cache storage's thread
//! (`net::cache_storage`), and the promise settles in a task when it answers.
//!
//! Bodies: `put()` of a response whose body is one the profile already holds (a background
//! fetch record's, another entry's) and that script has not read sends only its name, so the
//! bytes are linked into the cache on disk and never pass through this thread.

use crate::dom::bindings::callback;
use crate::dom::bindings::codegen::CacheBinding::CacheMethods;
use crate::dom::bindings::codegen::{CacheQueryOptions, RequestInfo};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::{BodyMixin, Consume, Source};
use crate::dom::cachestorage::{
    query_options, query_request, response_object, send, unexpected, Settle,
};
use crate::dom::request::Request;
use crate::dom::response::Response;
use net_traits::cache::{CacheId, CacheOperation, CacheReply, CacheRequest, PutBody};
use net_traits::{RequestData, ResponseMeta};

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
    if response.status == 206 {
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
        Box::new(|ctx, reply| match reply {
            CacheReply::Done(_) => Ok(undefined(ctx)),
            other => Err(unexpected(other)),
        }),
    )
}

/// The body of a response to store: nothing, its bytes, or (unread) the profile's stored
/// bytes. `None`: the bytes are still arriving (the caller reads them all first).
pub(crate) fn put_body(response: &Response<'_>) -> Option<PutBody> {
    let body = response.body_();
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
    }
}

/// What the put waits with while the response's body is read whole.
#[derive(Clone)]
struct Waiting<'js> {
    cache: CacheId,
    request: std::rc::Rc<RequestData>,
    response: std::rc::Rc<ResponseMeta>,
    resolve: Function<'js>,
    reject: Function<'js>,
}

impl<'js> Trace<'js> for Waiting<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.resolve.trace(tracer);
        self.reject.trace(tracer);
    }
}

fn body_read<'js>(
    w: &Waiting<'js>,
    params: &rquickjs::function::Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    let bytes = params
        .arg(0)
        .as_ref()
        .and_then(|v| rquickjs::ArrayBuffer::from_value(v.clone()))
        .map(|b| crate::dom::bindings::buffer_source::array_buffer_bytes(&b))
        .unwrap_or_default();
    let op = CacheOperation::Put {
        request: (*w.request).clone(),
        response: (*w.response).clone(),
        body: PutBody::Bytes(bytes),
    };
    // Resolving with the batch's promise adopts its outcome.
    let p = put_batch(ctx, w.cache, vec![op])?;
    w.resolve.call::<_, ()>((p,))?;
    Ok(undefined(ctx))
}

fn body_failed<'js>(
    w: &Waiting<'js>,
    params: &rquickjs::function::Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    let reason = params.arg(0).unwrap_or_else(|| undefined(params.ctx()));
    w.reject.call::<_, ()>((reason,))?;
    Ok(undefined(params.ctx()))
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
        // The bytes are still arriving: read them all, then put.
        let read = response.consume_body(cx, Consume::ArrayBuffer)?;
        let (promise, resolve, reject) = ctx.promise()?;
        let waiting = Waiting {
            cache: self.id,
            request: std::rc::Rc::new(request),
            response: std::rc::Rc::new(meta),
            resolve,
            reject,
        };
        callback::react(ctx, &read, waiting, body_read, body_failed)?;
        Ok(promise)
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
