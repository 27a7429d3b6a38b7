//! <https://w3c.github.io/ServiceWorker/#cache-addAll>: fetch every request, check every
//! response, upload every body to the cache storage as it arrives, then one Batch Cache
//! Operations of puts: all of them are stored, or (one failure) none. Also "getting a promise to wait for all" of WebIDL, for
//! promises this engine makes, without looking up anything script can patch.

use crate::dom::bindings::callback;
use crate::dom::bindings::codegen::RequestInfo;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::{BodyMixin, Source};
use crate::dom::cache::{check_put, discard_uploads, put_batch, put_body, upload_body};
use crate::dom::globalscope::GlobalScope;
use crate::dom::request::Request;
use crate::dom::response::Response;
use net_traits::cache::{CacheId, CacheOperation, PutBody};
use net_traits::RequestData;
use rquickjs::function::Params;
use std::cell::Cell;
use std::rc::Rc;

/// <https://webidl.spec.whatwg.org/#wait-for-all>'s shared state, one copy per promise (each
/// copy holds its own references to the array and the functions).
#[derive(Clone)]
struct WaitForAll<'js> {
    results: rquickjs::Array<'js>,
    index: usize,
    remaining: Rc<Cell<usize>>,
    /// Set once the result promise settled (a second rejection is ignored).
    done: Rc<Cell<bool>>,
    resolve: Function<'js>,
    reject: Function<'js>,
}

impl<'js> Trace<'js> for WaitForAll<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.results.trace(tracer);
        self.resolve.trace(tracer);
        self.reject.trace(tracer);
    }
}

fn fulfilled<'js>(s: &WaitForAll<'js>, params: &Params<'_, 'js>) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    let value = params
        .arg(0)
        .unwrap_or_else(|| Value::new_undefined(ctx.clone()));
    s.results.set(s.index, value)?;
    s.remaining.set(s.remaining.get() - 1);
    if s.remaining.get() == 0 && !s.done.replace(true) {
        s.resolve.call::<_, ()>((s.results.clone().into_value(),))?;
    }
    Ok(Value::new_undefined(ctx.clone()))
}

fn rejected<'js>(s: &WaitForAll<'js>, params: &Params<'_, 'js>) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    if !s.done.replace(true) {
        let reason = params
            .arg(0)
            .unwrap_or_else(|| Value::new_undefined(ctx.clone()));
        s.reject.call::<_, ()>((reason,))?;
    }
    Ok(Value::new_undefined(ctx.clone()))
}

/// <https://webidl.spec.whatwg.org/#get-promise-to-wait-for-all>: a promise for the array of
/// the promises' values, rejected with the first rejection.
pub(crate) fn wait_for_all<'js>(
    ctx: &Ctx<'js>,
    promises: Vec<Promise<'js>>,
) -> Fallible<Promise<'js>> {
    let (promise, resolve, reject) = ctx.promise()?;
    let results = rquickjs::Array::new(ctx.clone())?;
    if promises.is_empty() {
        resolve.call::<_, ()>((results.into_value(),))?;
        return Ok(promise);
    }
    let remaining = Rc::new(Cell::new(promises.len()));
    let done = Rc::new(Cell::new(false));
    for (index, p) in promises.iter().enumerate() {
        let state = WaitForAll {
            results: results.clone(),
            index,
            remaining: remaining.clone(),
            done: done.clone(),
            resolve: resolve.clone(),
            reject: reject.clone(),
        };
        callback::react(ctx, p, state, fulfilled, rejected)?;
    }
    Ok(promise)
}

/// What addAll carries from one step to the next.
#[derive(Clone)]
struct AddAll<'js> {
    cache: CacheId,
    requests: Rc<Vec<RequestData>>,
    /// The puts' bodies, in request order.
    bodies: Rc<std::cell::RefCell<Vec<PutBody>>>,
    /// The bodies being uploaded (discarded if the batch does not happen).
    uploads: Rc<std::cell::RefCell<Vec<net_traits::cache::UploadId>>>,
    /// The fetched responses' metadata, in request order.
    responses: Rc<std::cell::RefCell<Vec<net_traits::ResponseMeta>>>,
    resolve: Function<'js>,
    reject: Function<'js>,
}

impl<'js> Trace<'js> for AddAll<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.resolve.trace(tracer);
        self.reject.trace(tracer);
    }
}

fn reject_with<'js>(s: &AddAll<'js>, ctx: &Ctx<'js>, e: Error) -> Fallible<Value<'js>> {
    let reason = crate::dom::bindings::error::error_value(ctx, e);
    s.reject.call::<_, ()>((reason,))?;
    Ok(Value::new_undefined(ctx.clone()))
}

fn failed<'js>(s: &AddAll<'js>, params: &Params<'_, 'js>) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    // Nothing is stored: the bodies uploaded so far go.
    discard_uploads(ctx, std::mem::take(&mut *s.uploads.borrow_mut()));
    let reason = params
        .arg(0)
        .unwrap_or_else(|| Value::new_undefined(ctx.clone()));
    s.reject.call::<_, ()>((reason,))?;
    Ok(Value::new_undefined(ctx.clone()))
}

/// Step 6's processResponse for every response (they all arrived): an error, a status that
/// is not ok or is 206, or "Vary: *" rejects with a TypeError; then every body is read
/// whole (processResponseEndOfBody).
fn responses_arrived<'js>(s: &AddAll<'js>, params: &Params<'_, 'js>) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    let list = params
        .arg(0)
        .and_then(|v| v.into_array())
        .ok_or_else(|| Error::Type("addAll(): no responses".into()))?;
    let mut responses = Vec::new();
    for (i, item) in list.iter::<Value<'js>>().enumerate() {
        let Some(response) = <Response as DomInterface>::unwrap(&item?) else {
            return reject_with(s, ctx, Error::Type("addAll(): not a Response".into()));
        };
        let meta = response.to_response_meta();
        let bad = meta.response_type == net_traits::ResponseType::Error
            || !(200..300).contains(&meta.status)
            || meta.status == 206;
        if bad {
            return reject_with(
                s,
                ctx,
                Error::Type(format!(
                    "addAll(): {} answered {}",
                    s.requests[i].url, meta.status
                )),
            );
        }
        if let Err(e) = check_put(&s.requests[i], &meta) {
            return reject_with(s, ctx, e);
        }
        responses.push((response, meta));
    }
    // Every response is acceptable: the bodies, known now or uploaded to the cache storage
    // as they arrive (never read whole here).
    let mut reads = Vec::new();
    for (response, meta) in responses {
        let body = match (put_body(&response), response.body_().rust_source(ctx)?) {
            (Some(body), _) => {
                reads.push(glue::resolved_promise(
                    ctx,
                    Value::new_undefined(ctx.clone()),
                )?);
                body
            }
            (None, Some(Source::Incoming(incoming))) => {
                let (read, upload) = upload_body(ctx, &incoming)?;
                reads.push(read);
                s.uploads.borrow_mut().push(upload.clone());
                PutBody::Uploaded(upload)
            }
            (None, _) => return reject_with(s, ctx, Error::Type("addAll(): no body".into())),
        };
        response.body_().disturb();
        s.bodies.borrow_mut().push(body);
        s.responses.borrow_mut().push(meta);
    }
    let all = wait_for_all(ctx, reads)?;
    callback::react(ctx, &all, s.clone(), bodies_read, failed)?;
    Ok(Value::new_undefined(ctx.clone()))
}

/// Steps 7-8: every body is in: one batch of puts, which settles the promise.
fn bodies_read<'js>(s: &AddAll<'js>, params: &Params<'_, 'js>) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    let mut operations = Vec::new();
    let bodies = std::mem::take(&mut *s.bodies.borrow_mut());
    let responses = std::mem::take(&mut *s.responses.borrow_mut());
    s.uploads.borrow_mut().clear();
    for (i, (body, response)) in bodies.into_iter().zip(responses).enumerate() {
        let mut request = s.requests[i].clone();
        request.body = None;
        operations.push(CacheOperation::Put {
            request,
            response,
            body,
        });
    }
    let p = put_batch(ctx, s.cache, operations)?;
    s.resolve.call::<_, ()>((p,))?;
    Ok(Value::new_undefined(ctx.clone()))
}

/// The addAll(requests) method steps.
pub(crate) fn add_all<'js>(
    cx: &Cx<'js>,
    cache: CacheId,
    requests: Vec<RequestInfo<'js>>,
) -> Fallible<Promise<'js>> {
    use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
    let ctx = &cx.ctx;
    let http_get = |r: &RequestData| {
        url::Url::parse(&r.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
            && r.method == "GET"
    };
    // Step 3. Requests given as Request objects must be http(s) GETs.
    for r in &requests {
        if let RequestInfo::Request(r) = r {
            if !http_get(&r.to_request_data()) {
                return glue::rejected_promise(
                    ctx,
                    Error::Type("addAll(): only http(s) GET requests can be cached".into()),
                );
            }
        }
    }
    let global = GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
    // Step 5. For each request: the Request constructor, an http(s) URL, then fetch it.
    // TODO(spec step 5.2.1): the fetches already started are not aborted when a later
    // request fails its checks; their responses are dropped.
    let mut list = Vec::new();
    let mut fetches = Vec::new();
    for input in requests {
        let init = crate::dom::request::empty_init(ctx)?;
        let r = match <Request as RequestMethods>::Constructor(cx, input.clone(), init) {
            Ok(r) => r,
            Err(e) => return glue::rejected_promise(ctx, e),
        };
        let data = r.to_request_data();
        if !url::Url::parse(&data.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return glue::rejected_promise(
                ctx,
                Error::Type(format!("addAll(): {} is not an http(s) URL", data.url)),
            );
        }
        list.push(data);
        let init = crate::dom::request::empty_init(ctx)?;
        fetches.push(crate::dom::fetch::fetch(cx, &global, input, init)?);
    }
    // Steps 6-8. Wait for every response, check them, read them, then the batch.
    let (promise, resolve, reject) = ctx.promise()?;
    let state = AddAll {
        cache,
        requests: Rc::new(list),
        bodies: Rc::default(),
        uploads: Rc::default(),
        responses: Rc::default(),
        resolve,
        reject,
    };
    let all = wait_for_all(ctx, fetches)?;
    callback::react(ctx, &all, state, responses_arrived, failed)?;
    Ok(promise)
}
