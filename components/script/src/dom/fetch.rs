//! <https://fetch.spec.whatwg.org/#fetch-method>: `fetch()` hands the request to the
//! embedder's [`net_traits::FetchService`] (the network steps, CORS, redirects run there)
//! and turns the events that come back, as tasks on this global, into the Response and its
//! body.

use crate::dom::abortsignal::{AbortAlgorithm, AbortSignal};
use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
use crate::dom::bindings::codegen::{RequestInfo, RequestInit, ResponseType};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::BodyMixin;
use crate::dom::body::{Incoming, Source};
use crate::dom::globalscope::GlobalScope;
use crate::dom::request::Request;
use crate::dom::response::{InnerResponse, Response};
use net_traits::{FetchEvent, FetchRequest};
use std::collections::HashMap;
use std::rc::Rc;

/// A fetch() in progress: its promise until the response arrives, then its body.
pub struct PendingFetch<'js> {
    resolve: Option<Function<'js>>,
    reject: Option<Function<'js>>,
    body: Option<Rc<Incoming<'js>>>,
    /// The request's signal (its abort steps abort this fetch).
    signal: Option<Dom<'js, AbortSignal<'js>>>,
    /// Tells the network side to stop.
    cancel: net_traits::CancelToken,
}

/// fetch() calls in progress, by id.
#[derive(Default)]
pub struct PendingFetches<'js> {
    next: u64,
    map: HashMap<u64, PendingFetch<'js>>,
}

impl<'js> PendingFetches<'js> {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }
}

impl<'js> Trace<'js> for PendingFetches<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for p in self.map.values() {
            if let Some(f) = &p.resolve {
                f.trace(tracer);
            }
            if let Some(f) = &p.reject {
                f.trace(tracer);
            }
            // (The body is traced by the global: see Incoming::new_in.)
            p.signal.trace(tracer);
        }
    }
}

pub(crate) fn response_type(t: net_traits::ResponseType) -> ResponseType {
    match t {
        net_traits::ResponseType::Basic => ResponseType::Basic,
        net_traits::ResponseType::Cors => ResponseType::Cors,
        net_traits::ResponseType::Default => ResponseType::Default,
        net_traits::ResponseType::Error => ResponseType::Error,
        net_traits::ResponseType::Opaque => ResponseType::Opaque,
        net_traits::ResponseType::OpaqueRedirect => ResponseType::Opaqueredirect,
    }
}

/// <https://fetch.spec.whatwg.org/#dom-global-fetch>
pub fn fetch<'js>(
    cx: &Cx<'js>,
    global: &GlobalScope<'js>,
    input: RequestInfo<'js>,
    init: RequestInit<'js>,
) -> Fallible<Promise<'js>> {
    let ctx = &cx.ctx;
    // Step 1. Let p be a new promise.
    let (promise, resolve, reject) = ctx.promise()?;
    // Step 2. requestObject is the result of the Request constructor (its exception
    // rejects p).
    let request = match <Request as RequestMethods>::Constructor(cx, input, init) {
        Ok(r) => reflect_dom_object(ctx, r)?,
        Err(e) => return glue::rejected_promise(ctx, e),
    };
    // A stream body is read whole first, then sent (chunked uploads would need the network
    // side to take a body stream).
    let body = request.body_();
    let stream = if body.has_stream() {
        body.stream(ctx)?
    } else {
        None
    };
    if let Some(stream) = stream {
        body.disturb();
        let bytes = crate::dom::body::read_stream_bytes(ctx, &stream)?;
        #[derive(Clone)]
        struct Upload<'js>(Dom<'js, Request<'js>>, Function<'js>, Function<'js>);
        impl<'js> Trace<'js> for Upload<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.0.trace(tracer);
                self.1.trace(tracer);
                self.2.trace(tracer);
            }
        }
        fn read<'a, 'js>(u: &Upload<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            let ctx = params.ctx();
            let bytes =
                crate::dom::bindings::buffer_source::uint8_array_bytes(&glue::arg(params, 0))
                    .unwrap_or_default();
            if let Some(global) = GlobalScope::current(ctx) {
                start_fetch(
                    ctx,
                    &global,
                    &u.0,
                    Some(bytes.into()),
                    u.1.clone(),
                    u.2.clone(),
                );
            }
            Ok(Value::new_undefined(ctx.clone()))
        }
        fn failed<'a, 'js>(u: &Upload<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
            u.2.call::<_, ()>((glue::arg(params, 0),))?;
            Ok(Value::new_undefined(params.ctx().clone()))
        }
        crate::dom::bindings::callback::react(
            ctx,
            &bytes,
            Upload(Dom::clone(&request), resolve, reject),
            read,
            failed,
        )?;
        return Ok(promise);
    }
    let bytes = if body.is_null() {
        None
    } else {
        body.disturb();
        body.bytes_now()
    };
    start_fetch(ctx, global, &request, bytes, resolve, reject);
    Ok(promise)
}

/// Steps 3-12 of fetch(), once the request's body bytes are known: `resolve`/`reject` settle
/// fetch()'s promise.
fn start_fetch<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    request: &Dom<'js, Request<'js>>,
    body: Option<std::sync::Arc<Vec<u8>>>,
    resolve: Function<'js>,
    reject: Function<'js>,
) {
    let fail = |e: Error| {
        let _ = reject.call::<_, ()>((crate::dom::bindings::error::error_value(ctx, e),));
    };
    let mut data = request.to_request_data();
    data.body = body;
    // Fetch, "fetch": a "client" policy container becomes a clone of the client's.
    data.policy_container = global.csp_list();
    global.resolve_client_referrer(&mut data);
    let Some(fetcher) = global.info().fetcher.clone() else {
        return fail(Error::Type(
            "Failed to fetch: this global has no network access".into(),
        ));
    };
    // Main fetch step 7: a request the client's Content Security Policy blocks is a network
    // error (connect-src, falling back to default-src, for fetch()'s empty destination).
    // TODO(CSP on redirects): redirects are not checked against the policy (the network side
    // follows them without the client's policy list).
    if let Ok(url) = url::Url::parse(&data.url) {
        if let Some(directive) = crate::csp::blocks_request(
            &global.csp_policies(),
            &url,
            data.destination,
            &global.info().url,
        ) {
            return fail(Error::Type(format!(
                "Failed to fetch: {url} is blocked by the Content Security Policy directive \"{directive}\""
            )));
        }
    }
    // Step 9. If requestObject's signal is aborted, abort the fetch() call (reject p with
    // the abort reason) and return p.
    let signal = request.signal_().clone();
    if signal.is_aborted() {
        let _ = reject.call::<_, ()>((signal.reason_value(ctx),));
        return;
    }
    // Main fetch, with processResponse and the body's chunks delivered as tasks.
    let cancel = net_traits::CancelToken::default();
    let id = {
        let mut fetches = global.fetches.borrow_mut();
        fetches.next += 1;
        let id = fetches.next;
        fetches.map.insert(
            id,
            PendingFetch {
                resolve: Some(resolve),
                reject: Some(reject),
                body: None,
                signal: Some(signal.clone()),
                cancel: cancel.clone(),
            },
        );
        id
    };
    // Step 12. Add the abort steps to requestObject's signal.
    signal.add_algorithm(AbortAlgorithm::Fetch(id));
    let tasks = global.info().tasks.clone();
    fetcher.0.fetch(
        FetchRequest {
            request: data,
            origin: global.info().origin.clone(),
            secure_context: global.info().secure_context,
            unsafe_response: false,
            cancel,
        },
        Box::new(move |event| {
            tasks.queue(move |ctx| {
                if let Some(global) = GlobalScope::current(ctx) {
                    fetch_event(ctx, &global, id, event);
                }
            });
        }),
    );
}

/// One event of fetch `id`, as a networking task.
fn fetch_event<'js>(ctx: &Ctx<'js>, global: &GlobalScope<'js>, id: u64, event: FetchEvent) {
    let mut fetches = global.fetches.borrow_mut();
    let Some(pending) = fetches.map.get_mut(&id) else {
        return;
    };
    match event {
        // processResponse: resolve p with a Response (immutable headers) whose body arrives.
        FetchEvent::Response(meta) => {
            let (Some(resolve), Some(reject)) = (pending.resolve.take(), pending.reject.take())
            else {
                return;
            };
            let incoming = Incoming::new_in(global);
            pending.body = Some(incoming.clone());
            drop(fetches);
            let inner = InnerResponse::from_meta(&meta);
            let headers = meta
                .headers
                .iter()
                .map(|(n, v)| (n.0.clone(), v.0.clone()))
                .collect();
            let result =
                Response::new_from_network(ctx, inner, headers, Some(Source::Incoming(incoming)));
            let _ = match result {
                Ok(r) => resolve.call::<_, ()>((r.reflector().clone().into_value(),)),
                Err(e) => {
                    let reason = crate::dom::bindings::error::error_value(ctx, e);
                    reject.call::<_, ()>((reason,))
                }
            };
        }
        FetchEvent::Body(bytes) => {
            // (Not borrowing the fetches while the body's stream takes the bytes.)
            let body = pending.body.clone();
            drop(fetches);
            if let Some(b) = body {
                b.push(ctx, &bytes);
            }
        }
        FetchEvent::Done => {
            let pending = fetches.map.remove(&id);
            drop(fetches);
            let Some(pending) = pending else { return };
            if let Some(s) = &pending.signal {
                s.remove_fetch_algorithm(id);
            }
            if let Some(b) = pending.body {
                b.finish(ctx, Ok(()));
            }
        }
        // A network error: before the response, p rejects with a TypeError; after, the body
        // errors.
        FetchEvent::Failed(message) => {
            let pending = fetches.map.remove(&id);
            drop(fetches);
            let Some(pending) = pending else { return };
            if let Some(s) = &pending.signal {
                s.remove_fetch_algorithm(id);
            }
            if let Some(reject) = pending.reject {
                log::debug!(target: "script", "fetch failed: {message}");
                let reason = crate::dom::bindings::error::error_value(
                    ctx,
                    Error::Type("Failed to fetch".into()),
                );
                let _ = reject.call::<_, ()>((reason,));
            } else if let Some(b) = pending.body {
                b.finish(ctx, Err(message));
            }
        }
    }
}

/// A whole-body fetch for the user agent's own loaders (pages, classic scripts): the body is
/// collected on the network side and `done` runs as one task on this global with the
/// response and its bytes, or the network error. Returns false if the global has no network
/// access (then `done` is never called). While it is in flight the event loop is not idle.
pub fn fetch_bytes<'js>(
    global: &GlobalScope<'js>,
    request: FetchRequest,
    done: impl for<'a> FnOnce(&Ctx<'a>, Result<(net_traits::ResponseMeta, Vec<u8>), String>)
        + Send
        + 'static,
) -> bool {
    fetch_whole(global, request, true, done)
}

/// As [`fetch_bytes`] for loaders that need the response and not its bytes (images and
/// media, which are not decoded): the body is read to its end and dropped as it arrives
/// (`done` gets an empty body).
pub fn fetch_discarding_body<'js>(
    global: &GlobalScope<'js>,
    request: FetchRequest,
    done: impl for<'a> FnOnce(&Ctx<'a>, Result<(net_traits::ResponseMeta, Vec<u8>), String>)
        + Send
        + 'static,
) -> bool {
    fetch_whole(global, request, false, done)
}

fn fetch_whole<'js>(
    global: &GlobalScope<'js>,
    request: FetchRequest,
    keep_body: bool,
    done: impl for<'a> FnOnce(&Ctx<'a>, Result<(net_traits::ResponseMeta, Vec<u8>), String>)
        + Send
        + 'static,
) -> bool {
    let Some(fetcher) = global.info().fetcher.clone() else {
        return false;
    };
    global.pending_loads.set(global.pending_loads.get() + 1);
    let tasks = global.info().tasks.clone();
    let mut meta = None;
    let mut body = Vec::new();
    let mut done = Some(done);
    fetcher.0.fetch(
        request,
        Box::new(move |event| {
            let result = match event {
                FetchEvent::Response(m) => {
                    meta = Some(m);
                    return;
                }
                FetchEvent::Body(bytes) => {
                    if keep_body {
                        body.extend_from_slice(&bytes);
                    }
                    return;
                }
                FetchEvent::Done => match meta.take() {
                    Some(m) => Ok((m, std::mem::take(&mut body))),
                    None => Err("the fetch ended without a response".to_string()),
                },
                FetchEvent::Failed(e) => Err(e),
            };
            if let Some(done) = done.take() {
                tasks.queue(move |ctx| {
                    if let Some(global) = GlobalScope::current(ctx) {
                        global
                            .pending_loads
                            .set(global.pending_loads.get().saturating_sub(1));
                    }
                    done(ctx, result)
                });
            }
        }),
    );
    true
}

/// <https://fetch.spec.whatwg.org/#abort-fetch>: the fetch() call `id` is aborted with
/// `reason`: the network side stops; a pending promise rejects with the reason, or the
/// response's body errors with it.
pub fn abort_fetch<'js>(ctx: &Ctx<'js>, global: &GlobalScope<'js>, id: u64, reason: Value<'js>) {
    let pending = global.fetches.borrow_mut().map.remove(&id);
    let Some(pending) = pending else { return };
    pending.cancel.cancel();
    // Step 1. Reject promise with error (a no-op if it already settled).
    if let Some(reject) = pending.reject {
        let _ = reject.call::<_, ()>((reason,));
    } else if let Some(body) = pending.body {
        // Steps 3-4. Error the response's body with the reason.
        body.abort(ctx, reason);
    }
}
