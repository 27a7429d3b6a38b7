//! <https://w3c.github.io/ServiceWorker/#cachestorage-interface>, and what the Cache API's
//! objects share: sending an operation to the profile's cache storage (the "in parallel"
//! steps run there, on its thread) and settling the promise in a task when the answer comes,
//! and a Response whose body is a cached one, read from the profile a piece at a time only
//! when consumed.

use crate::dom::bindings::codegen::CacheStorageBinding::CacheStorageMethods;
use crate::dom::bindings::codegen::{CacheQueryOptions, MultiCacheQueryOptions, RequestInfo};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::body::{Incoming, Source};
use crate::dom::cache::Cache;
use crate::dom::globalscope::GlobalScope;
use crate::dom::response::{InnerResponse, Response};
use net_traits::cache::{
    CacheError, CacheReply, CacheRequest, CachedResponse, EntryId, StoredBody,
};
use std::rc::Rc;

/// Cached body bytes asked for at a time.
const READ_CHUNK: u32 = 256 * 1024;

/// <https://w3c.github.io/ServiceWorker/#cachestorage-interface>: the global's view of its
/// storage key's name to cache map.
pub struct CacheStorage<'js>(std::marker::PhantomData<&'js ()>);

impl<'js> Trace<'js> for CacheStorage<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> CacheStorage<'js> {
    /// The global's CacheStorage object (made once: `caches` is [SameObject]).
    pub fn of(ctx: &Ctx<'js>, global: &GlobalScope<'js>) -> Fallible<Dom<'js, CacheStorage<'js>>> {
        if let Some(c) = global.caches.borrow().as_ref() {
            return Ok(c.clone());
        }
        let c = reflect_dom_object(ctx, CacheStorage(std::marker::PhantomData))?;
        *global.caches.borrow_mut() = Some(c.clone());
        Ok(c)
    }
}

/// What settles a Cache API promise with the service's answer (in a task on the global).
pub(crate) type Settle =
    Box<dyn for<'a> FnOnce(&Ctx<'a>, CacheReply) -> Fallible<Value<'a>> + Send>;

/// Runs `request` in parallel on the profile's cache storage; the returned promise settles
/// with `settle`'s result, in a task on this global, when the answer comes.
pub(crate) fn send<'js>(
    ctx: &Ctx<'js>,
    request: CacheRequest,
    settle: Settle,
) -> Fallible<Promise<'js>> {
    let (promise, pending) = match pending_reply(ctx)? {
        Ok(p) => p,
        Err(rejected) => return Ok(rejected),
    };
    let caches = pending.caches.clone();
    caches.0.send(
        &pending.storage_key.clone(),
        request,
        Box::new(move |reply| pending.settle(reply, settle)),
    );
    Ok(promise)
}

/// A promise of this global that an answer of the cache storage settles (from any thread).
pub(crate) struct PendingReply {
    pub caches: crate::CacheStorer,
    pub storage_key: String,
    tasks: crate::script_thread::TaskSender,
    id: u64,
}

/// A new promise the cache storage's answer will settle, or (`Err`) a promise already
/// rejected because this global has no cache storage.
pub(crate) fn pending_reply<'js>(
    ctx: &Ctx<'js>,
) -> Fallible<Result<(Promise<'js>, PendingReply), Promise<'js>>> {
    let global = GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
    let Some(caches) = global.info().caches.clone() else {
        return Ok(Err(glue::rejected_promise(
            ctx,
            Error::Type("this global has no cache storage".into()),
        )?));
    };
    // An opaque origin (a sandboxed frame, a data: URL) has no storage key: obtaining its
    // storage bottle map fails, and the Cache API rejects with a SecurityError.
    if global.info().origin == "null" {
        return Ok(Err(glue::rejected_promise(
            ctx,
            Error::dom(
                crate::dom::bindings::error::DomErrorName::SecurityError,
                "an opaque origin has no cache storage",
            ),
        )?));
    }
    let (promise, resolve, reject) = ctx.promise()?;
    let id = global.promises.borrow_mut().add(resolve, reject);
    global.awaiting_reply();
    Ok(Ok((
        promise,
        PendingReply {
            caches,
            storage_key: global.info().origin.clone(),
            tasks: global.info().tasks.clone(),
            id,
        },
    )))
}

impl PendingReply {
    /// Settles the promise with `settle`'s result for `reply`, in a task (DOM manipulation
    /// task source) on its global.
    pub(crate) fn settle(self, reply: CacheReply, settle: Settle) {
        let id = self.id;
        let _ = self.tasks.queue(move |ctx| {
            let Some(global) = GlobalScope::current(ctx) else {
                return;
            };
            global.reply_arrived();
            let Some((resolve, reject)) = global.promises.borrow_mut().take(id) else {
                return;
            };
            let settled = match settle(ctx, reply) {
                Ok(v) => resolve.call::<_, ()>((v,)),
                Err(e) => {
                    let reason = crate::dom::bindings::error::error_value(ctx, e);
                    reject.call::<_, ()>((reason,))
                }
            };
            if settled.is_err() {
                GlobalScope::report_error(ctx, Error::JsException);
            }
        });
    }
}

/// The exception a failed operation rejects with.
pub(crate) fn cache_error(e: CacheError) -> Error {
    match e {
        CacheError::Type(m) | CacheError::Body(m) => Error::Type(m),
        CacheError::InvalidState(m) => Error::dom(DomErrorName::InvalidStateError, m),
        CacheError::Aborted(m) => Error::dom(DomErrorName::AbortError, m),
        CacheError::QuotaExceeded(message) => Error::QuotaExceeded {
            message,
            quota: None,
            requested: None,
        },
    }
}

/// An answer of another kind than asked for (a bug in the service): a TypeError.
pub(crate) fn unexpected(reply: CacheReply) -> Error {
    match reply {
        CacheReply::Failed(e) => cache_error(e),
        other => Error::Type(format!("the cache storage answered {other:?}")),
    }
}

/// The request a RequestInfo names: a Request's, or a new Request's for a string (its
/// constructor's exception propagates). `None`: a Request whose method is not GET while
/// `ignoreMethod` is false (nothing can match it).
pub(crate) fn query_request<'js>(
    cx: &Cx<'js>,
    request: RequestInfo<'js>,
    options: &CacheQueryOptions,
) -> Fallible<Option<net_traits::RequestData>> {
    use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
    use crate::dom::request::Request;
    match request {
        RequestInfo::Request(r) => {
            let data = r.to_request_data();
            Ok((data.method == "GET" || options.ignoreMethod).then_some(data))
        }
        other => {
            let init = crate::dom::request::empty_init(&cx.ctx)?;
            let r = <Request as RequestMethods>::Constructor(cx, other, init)?;
            Ok(Some(r.to_request_data()))
        }
    }
}

/// net_traits' query options from the dictionary.
pub(crate) fn query_options(o: &CacheQueryOptions) -> net_traits::CacheQueryOptions {
    net_traits::CacheQueryOptions {
        ignore_search: o.ignoreSearch,
        ignore_method: o.ignoreMethod,
        ignore_vary: o.ignoreVary,
    }
}

/// A new Response for a cached response, with a new immutable Headers: its body (if any) is
/// the entry's, read from the profile when first consumed.
pub(crate) fn response_object<'js>(
    ctx: &Ctx<'js>,
    cached: CachedResponse,
) -> Fallible<Dom<'js, Response<'js>>> {
    let meta = cached.response;
    let inner = InnerResponse::from_meta(&meta);
    let headers = meta
        .headers
        .iter()
        .map(|(n, v)| (n.0.clone(), v.0.clone()))
        .collect();
    let body = match cached.body_len {
        None => None,
        Some(_) => Some(Source::Incoming(stored_body(ctx, cached.entry)?)),
    };
    Response::new_from_network(ctx, inner, headers, body)
}

/// A body pulled from a cache entry a piece at a time, once something reads it.
fn stored_body<'js>(ctx: &Ctx<'js>, entry: EntryId) -> Fallible<Rc<Incoming<'js>>> {
    let global = GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
    let incoming = Incoming::new_in(&global);
    incoming.stored.set(Some(StoredBody::CacheEntry(entry)));
    *incoming.on_demand.borrow_mut() = Some(Box::new(move |ctx: &Ctx<'js>, incoming| {
        read_more(ctx, incoming, entry, 0)
    }));
    Ok(incoming)
}

/// Asks for the next piece of a cached body (from `offset`), pushing it into `incoming`.
fn read_more<'js>(ctx: &Ctx<'js>, incoming: Rc<Incoming<'js>>, entry: EntryId, offset: u64) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some(caches) = global.info().caches.clone() else {
        return incoming.finish(ctx, Err("this global has no cache storage".into()));
    };
    let tasks = global.info().tasks.clone();
    let id = global.keep_incoming(&incoming);
    global.awaiting_reply();
    let request = CacheRequest::ReadBody {
        entry,
        offset,
        max: READ_CHUNK,
    };
    caches.0.send(
        &global.info().origin,
        request,
        Box::new(move |reply| {
            let _ = tasks.queue(move |ctx| {
                let Some(global) = GlobalScope::current(ctx) else {
                    return;
                };
                global.reply_arrived();
                let Some(incoming) = global.take_incoming(id) else {
                    return;
                };
                match reply {
                    CacheReply::Body(bytes) if bytes.is_empty() => incoming.finish(ctx, Ok(())),
                    CacheReply::Body(bytes) => {
                        incoming.push(ctx, &bytes);
                        let offset = offset + bytes.len() as u64;
                        // A stream reading the body that is full reads on when it pulls.
                        if incoming.wants_more() {
                            read_more(ctx, incoming, entry, offset);
                        } else {
                            incoming
                                .clone()
                                .read_more_later(Box::new(move |ctx, incoming| {
                                    read_more(ctx, incoming, entry, offset)
                                }));
                        }
                    }
                    CacheReply::Failed(e) => incoming.finish(ctx, Err(e.to_string())),
                    other => incoming.finish(ctx, Err(format!("unexpected answer {other:?}"))),
                }
            });
        }),
    );
}

impl<'js> CacheStorageMethods<'js> for CacheStorage<'js> {
    /// <https://w3c.github.io/ServiceWorker/#cache-storage-match>
    fn r#match(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        options: MultiCacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        // (Cache.match's own first steps: the query request.)
        let query = match query_request(cx, request, &options.parent) {
            Ok(Some(q)) => q,
            Ok(None) => {
                return glue::resolved_promise(&cx.ctx, Value::new_undefined(cx.ctx.clone()))
            }
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        let options_ = query_options(&options.parent);
        let settle: Settle = Box::new(|ctx, reply| match reply {
            CacheReply::Responses(mut found) if !found.is_empty() => {
                Ok(response_object(ctx, found.remove(0))?
                    .reflector()
                    .clone()
                    .into_value())
            }
            CacheReply::Responses(_) => Ok(Value::new_undefined(ctx.clone())),
            other => Err(unexpected(other)),
        });
        // Step 1. With a cacheName, only that cache (undefined if there is none); step 2,
        // otherwise every cache in turn until one matches.
        let request = match options.cacheName {
            Some(name) => CacheRequest::MatchNamed {
                name,
                query,
                options: options_,
            },
            None => CacheRequest::MatchAll {
                cache: None,
                query: Some(query),
                options: options_,
                first: true,
            },
        };
        send(&cx.ctx, request, settle)
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-storage-has>
    fn has(&self, cx: &Cx<'js>, cache_name: DOMString) -> Fallible<Promise<'js>> {
        send(
            &cx.ctx,
            CacheRequest::Has { name: cache_name },
            Box::new(|ctx, reply| match reply {
                CacheReply::Has(b) => Ok(Value::new_bool(ctx.clone(), b)),
                other => Err(unexpected(other)),
            }),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-storage-open>
    fn open(&self, cx: &Cx<'js>, cache_name: DOMString) -> Fallible<Promise<'js>> {
        send(
            &cx.ctx,
            CacheRequest::Open { name: cache_name },
            Box::new(|ctx, reply| match reply {
                // Steps 2.1.1.1 / 2.4. A new Cache object that represents the cache.
                CacheReply::Opened(id) => Ok(Cache::new(ctx, id)?.reflector().clone().into_value()),
                other => Err(unexpected(other)),
            }),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-storage-delete>
    fn delete(&self, cx: &Cx<'js>, cache_name: DOMString) -> Fallible<Promise<'js>> {
        send(
            &cx.ctx,
            CacheRequest::Delete { name: cache_name },
            Box::new(|ctx, reply| match reply {
                CacheReply::Deleted(b) => Ok(Value::new_bool(ctx.clone(), b)),
                other => Err(unexpected(other)),
            }),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#cache-storage-keys>
    fn keys(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        send(
            &cx.ctx,
            CacheRequest::Names,
            Box::new(|ctx, reply| match reply {
                CacheReply::Names(names) => names.to_js(ctx),
                other => Err(unexpected(other)),
            }),
        )
    }
}
