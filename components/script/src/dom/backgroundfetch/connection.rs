//! A global's connection to the background fetch controller (the network side): requests go
//! out as `net_traits` messages; replies and "update background fetch instances" broadcasts
//! come back as tasks on this global's event loop, where the promises that wait for them
//! settle. Connected on first use; disconnected when the global goes away.

use crate::dom::backgroundfetch::record::BackgroundFetchRecord;
use crate::dom::backgroundfetch::registration::BackgroundFetchRegistration;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::body::{Incoming, Source};
use crate::dom::globalscope::GlobalScope;
use crate::dom::request::Request;
use crate::dom::response::{InnerResponse, Response};
use net_traits::{
    BackgroundFetchError, BackgroundFetchReply, BackgroundFetchRequest, BodyChunk, ClientId,
    FetchUid, RecordResult, RecordSnapshot, RegistrationSnapshot, RequestData, RequestId,
};
use std::collections::HashMap;
use std::rc::Rc;

/// Body bytes asked for at a time.
const READ_CHUNK: u32 = 256 * 1024;

/// What waits for a reply.
pub enum Pending<'js> {
    /// fetch(): the new registration instance, or the rejection.
    Fetch(Function<'js>, Function<'js>),
    /// get(): the instance, or undefined.
    Get(Function<'js>, Function<'js>),
    /// getIds().
    Ids(Function<'js>, Function<'js>),
    /// abort().
    Abort(Function<'js>, Function<'js>),
    /// matchAll() (or match(): `single`).
    Records {
        resolve: Function<'js>,
        reject: Function<'js>,
        single: bool,
    },
    /// A record's responseReady.
    ResponseReady {
        resolve: Function<'js>,
        reject: Function<'js>,
        uid: FetchUid,
        index: u32,
    },
    /// A body being pulled into a Response (the record's response data of `generation`) or
    /// a Request (the record's request body: `None`).
    Body {
        incoming: Rc<Incoming<'js>>,
        uid: FetchUid,
        index: u32,
        generation: Option<u32>,
        offset: u64,
    },
    /// updateUI().
    UiUpdated(Function<'js>, Function<'js>),
}

impl<'js> Trace<'js> for Pending<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            Pending::Fetch(a, b)
            | Pending::Get(a, b)
            | Pending::Ids(a, b)
            | Pending::Abort(a, b)
            | Pending::UiUpdated(a, b) => {
                a.trace(tracer);
                b.trace(tracer);
            }
            Pending::Records {
                resolve, reject, ..
            }
            | Pending::ResponseReady {
                resolve, reject, ..
            } => {
                resolve.trace(tracer);
                reject.trace(tracer);
            }
            // (An incoming body is traced by its global: see Incoming::new_in.)
            Pending::Body { .. } => {}
        }
    }
}

/// The connection state of one global.
#[derive(Default)]
pub struct Connection<'js> {
    client: Option<ClientId>,
    next: u64,
    pending: HashMap<u64, Pending<'js>>,
    /// "Get a BackgroundFetchRegistration instance": one per background fetch in this realm.
    instances: HashMap<FetchUid, Dom<'js, BackgroundFetchRegistration<'js>>>,
}

impl<'js> Trace<'js> for Connection<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for p in self.pending.values() {
            p.trace(tracer);
        }
        for i in self.instances.values() {
            i.trace(tracer);
        }
    }
}

impl<'js> Connection<'js> {
    /// The global goes away: forget everything and disconnect.
    pub fn close(&mut self, global: &crate::dom::globalscope::GlobalInfo) {
        self.pending.clear();
        self.instances.clear();
        if let (Some(client), Some(service)) = (self.client.take(), &global.background_fetch) {
            service.0.disconnect(client);
        }
    }
}

/// A background fetch's icons: each `src` parsed with the API base URL (a failure is a
/// TypeError).
pub fn image_resources(
    global: &GlobalScope<'_>,
    icons: Vec<crate::dom::bindings::codegen::ImageResource>,
) -> Fallible<Vec<net_traits::ImageResource>> {
    icons
        .into_iter()
        .map(|icon| {
            let src = global
                .parse_url(&icon.src)
                .map_err(|_| Error::Type(format!("the icon '{}' is not a valid URL", icon.src)))?;
            Ok(net_traits::ImageResource {
                src: src.to_string(),
                sizes: icon.sizes,
                type_: icon.r#type,
                label: icon.label,
            })
        })
        .collect()
}

/// The exception a controller error becomes.
pub fn error_for(e: BackgroundFetchError) -> Error {
    match e {
        BackgroundFetchError::Type(m) => Error::Type(m),
        BackgroundFetchError::NotAllowed(m) => Error::dom(DomErrorName::NotAllowedError, m),
        BackgroundFetchError::QuotaExceeded(m) => Error::QuotaExceeded {
            message: m,
            quota: None,
            requested: None,
        },
        BackgroundFetchError::InvalidState(m) => Error::invalid_state(m),
        BackgroundFetchError::Abort(m) => Error::dom(DomErrorName::AbortError, m),
    }
}

/// Sends the request `make` builds (with this global's client id and a new request id);
/// `pending` waits for its reply. Connects first if needed.
pub fn send<'js>(
    global: &GlobalScope<'js>,
    pending: Pending<'js>,
    make: impl FnOnce(ClientId, RequestId) -> BackgroundFetchRequest,
) -> Fallible<()> {
    let service = global
        .info()
        .background_fetch
        .clone()
        .ok_or_else(|| Error::Type("this user agent has no background fetch engine".into()))?;
    let client = connect(global)?;
    let mut conn = global.bgfetch.borrow_mut();
    conn.next += 1;
    let id = conn.next;
    conn.pending.insert(id, pending);
    drop(conn);
    service.0.send(make(client, RequestId(id)));
    Ok(())
}

/// This global's client id, connecting first if needed: replies come back as tasks,
/// queued by the controller's thread in the order it sends them (so an update is queued
/// before the functional event it precedes).
fn connect(global: &GlobalScope<'_>) -> Fallible<ClientId> {
    if let Some(c) = global.bgfetch.borrow().client {
        return Ok(c);
    }
    let service = global
        .info()
        .background_fetch
        .clone()
        .ok_or_else(|| Error::Type("this user agent has no background fetch engine".into()))?;
    let tasks = global.info().tasks.clone();
    let client = service.0.connect(
        &global.info().origin,
        std::sync::Arc::new(move |reply: BackgroundFetchReply| {
            tasks.queue(move |ctx| on_reply(ctx, reply));
        }),
    );
    global.bgfetch.borrow_mut().client = Some(client);
    Ok(client)
}

/// <https://wicg.github.io/background-fetch/#get-a-backgroundfetchregistration-instance>
pub fn instance<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    snapshot: &RegistrationSnapshot,
) -> Fallible<Dom<'js, BackgroundFetchRegistration<'js>>> {
    // Step 2. An existing instance is returned.
    if let Some(i) = global.bgfetch.borrow().instances.get(&snapshot.uid) {
        return Ok(i.clone());
    }
    // Steps 3-5. A new one, remembered; the global listens to the controller's updates
    // from now on (also a service worker that only got it from an event).
    if global.info().background_fetch.is_some() {
        connect(global)?;
    }
    let i = reflect_dom_object(ctx, BackgroundFetchRegistration::from_snapshot(snapshot))?;
    global
        .bgfetch
        .borrow_mut()
        .instances
        .insert(snapshot.uid, i.clone());
    Ok(i)
}

fn take<'js>(global: &GlobalScope<'js>, request: RequestId) -> Option<Pending<'js>> {
    global.bgfetch.borrow_mut().pending.remove(&request.0)
}

fn reject_with<'js>(ctx: &Ctx<'js>, reject: &Function<'js>, e: Error) -> Fallible<()> {
    let reason = crate::dom::bindings::error::error_value(ctx, e);
    reject.call::<_, ()>((reason,))?;
    Ok(())
}

/// A reply or broadcast, as a task on this global.
fn on_reply(ctx: &Ctx<'_>, reply: BackgroundFetchReply) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // How to fail whatever waits for this reply should handling it fail (a promise never
    // stays pending because making its value threw).
    let failure = request_of(&reply).and_then(|id| {
        global.bgfetch.borrow().pending.get(&id.0).map(|p| match p {
            Pending::Fetch(_, r)
            | Pending::Get(_, r)
            | Pending::Ids(_, r)
            | Pending::Abort(_, r)
            | Pending::UiUpdated(_, r)
            | Pending::Records { reject: r, .. }
            | Pending::ResponseReady { reject: r, .. } => Failure::Reject(r.clone()),
            Pending::Body { incoming, .. } => Failure::Body(incoming.clone()),
        })
    });
    if let Err(e) = handle(ctx, &global, reply) {
        match failure {
            Some(Failure::Reject(reject)) => {
                if let Err(e) = reject_with(ctx, &reject, e) {
                    GlobalScope::report_error(ctx, e);
                }
            }
            Some(Failure::Body(incoming)) => incoming.finish(ctx, Err(e.to_string())),
            None => GlobalScope::report_error(ctx, e),
        }
    }
}

enum Failure<'js> {
    Reject(Function<'js>),
    Body(Rc<Incoming<'js>>),
}

/// The request a reply answers (none for a broadcast).
fn request_of(reply: &BackgroundFetchReply) -> Option<RequestId> {
    use BackgroundFetchReply as R;
    match reply {
        R::Fetched { request, .. }
        | R::Got { request, .. }
        | R::Ids { request, .. }
        | R::Aborted { request, .. }
        | R::Records { request, .. }
        | R::RecordReady { request, .. }
        | R::Body { request, .. }
        | R::UiUpdated { request, .. } => Some(*request),
        R::Update(_) => None,
    }
}

/// One reply or broadcast: what waited for it (if anything still does) settles.
fn handle<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    reply: BackgroundFetchReply,
) -> Fallible<()> {
    use BackgroundFetchReply as R;
    match reply {
        R::Update(update) => update_instance(ctx, global, &update)?,
        R::Fetched { request, result } => {
            if let Some(Pending::Fetch(resolve, reject)) = take(global, request) {
                match result {
                    Ok(s) => resolve_with_instance(ctx, global, &resolve, &s)?,
                    Err(e) => reject_with(ctx, &reject, error_for(e))?,
                }
            }
        }
        R::Got {
            request,
            registration,
        } => {
            if let Some(Pending::Get(resolve, _)) = take(global, request) {
                match registration {
                    Some(s) => resolve_with_instance(ctx, global, &resolve, &s)?,
                    None => resolve.call::<_, ()>(())?,
                }
            }
        }
        R::Ids { request, ids } => {
            if let Some(Pending::Ids(resolve, _)) = take(global, request) {
                resolve.call::<_, ()>((ids.to_js(ctx)?,))?;
            }
        }
        R::Aborted { request, aborted } => {
            if let Some(Pending::Abort(resolve, _)) = take(global, request) {
                resolve.call::<_, ()>((aborted,))?;
            }
        }
        R::Records { request, result } => {
            if let Some(Pending::Records {
                resolve,
                reject,
                single,
            }) = take(global, request)
            {
                match result {
                    Err(e) => reject_with(ctx, &reject, error_for(e))?,
                    Ok(records) => resolve_with_records(ctx, &resolve, &records, single)?,
                }
            }
        }
        R::RecordReady {
            request,
            response,
            result,
            generation,
        } => {
            if let Some(Pending::ResponseReady {
                resolve,
                reject,
                uid,
                index,
            }) = take(global, request)
            {
                match response {
                    Some(meta) => {
                        let response = stored_response(ctx, uid, index, generation, meta)?;
                        resolve.call::<_, ()>((response.reflector().clone(),))?;
                    }
                    None => reject_with(ctx, &reject, no_response_error(result))?,
                }
            }
        }
        R::Body { request, chunk } => {
            if let Some(Pending::Body {
                incoming,
                uid,
                index,
                generation,
                offset,
            }) = take(global, request)
            {
                match chunk {
                    BodyChunk::Data(bytes) => {
                        incoming.push(ctx, &bytes);
                        let offset = offset + bytes.len() as u64;
                        // A stream reading the body that is full reads on when it pulls.
                        if incoming.wants_more() {
                            read_more(global, incoming, uid, index, generation, offset)?;
                        } else {
                            incoming
                                .clone()
                                .read_more_later(Box::new(move |ctx, incoming| {
                                    if let Some(global) = GlobalScope::current(ctx) {
                                        if let Err(e) = read_more(
                                            &global,
                                            incoming.clone(),
                                            uid,
                                            index,
                                            generation,
                                            offset,
                                        ) {
                                            incoming.finish(ctx, Err(format!("{e:?}")));
                                        }
                                    }
                                }));
                        }
                    }
                    BodyChunk::End => incoming.finish(ctx, Ok(())),
                    BodyChunk::Aborted => {
                        let reason =
                            crate::dom::bindings::error::error_value(ctx, record_aborted());
                        incoming.abort(ctx, reason);
                    }
                    BodyChunk::Failed(m) => incoming.finish(ctx, Err(m)),
                }
            }
        }
        R::UiUpdated { request, result } => {
            if let Some(Pending::UiUpdated(resolve, reject)) = take(global, request) {
                match result {
                    Ok(()) => resolve.call::<_, ()>(())?,
                    Err(e) => reject_with(ctx, &reject, error_for(e))?,
                }
            }
        }
    }
    Ok(())
}

/// This realm's part of "update background fetch instances": the registration instance, if
/// script ever got one, takes the new values.
fn update_instance<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    update: &net_traits::InstanceUpdate,
) -> Fallible<()> {
    let instance = global.bgfetch.borrow().instances.get(&update.uid).cloned();
    if let Some(i) = instance {
        BackgroundFetchRegistration::update(&i, ctx, update)?;
        // Settled with its records gone: nothing will change any more, so the
        // realm's map forgets it (script may still hold the object).
        if update.result != net_traits::FetchResult::Empty && !update.records_available {
            global.bgfetch.borrow_mut().instances.remove(&update.uid);
        }
    }
    Ok(())
}

/// fetch() and get(): resolve with this realm's instance for the registration.
fn resolve_with_instance<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    resolve: &Function<'js>,
    snapshot: &RegistrationSnapshot,
) -> Fallible<()> {
    let i = instance(ctx, global, snapshot)?;
    resolve.call::<_, ()>((i.reflector().clone(),))?;
    Ok(())
}

/// matchAll() resolves with the record objects, match() with the first (or undefined).
fn resolve_with_records<'js>(
    ctx: &Ctx<'js>,
    resolve: &Function<'js>,
    records: &[RecordSnapshot],
    single: bool,
) -> Fallible<()> {
    let mut objects = Vec::new();
    for r in records {
        objects.push(record_object(ctx, r)?);
    }
    if single {
        match objects.into_iter().next() {
            Some(o) => resolve.call::<_, ()>((o.reflector().clone(),))?,
            None => resolve.call::<_, ()>(())?,
        }
    } else {
        let list: Vec<Value<'js>> = objects
            .iter()
            .map(|o| o.reflector().clone().into_value())
            .collect();
        resolve.call::<_, ()>((list,))?;
    }
    Ok(())
}

/// An aborted record's responseReady and body: an AbortError.
fn record_aborted() -> Error {
    Error::dom(DomErrorName::AbortError, "the record was aborted")
}

/// Why a record's responseReady rejects when the record ended without a response.
fn no_response_error(result: RecordResult) -> Error {
    if result == RecordResult::Failed(net_traits::FailureReason::Aborted) {
        return record_aborted();
    }
    Error::Type(format!(
        "the record has no response ({})",
        match result.as_str() {
            "" => "none",
            r => r,
        }
    ))
}

/// Asks for the next piece of a stored body: the record's response data of `generation`,
/// or (`None`) its request body.
fn read_more<'js>(
    global: &GlobalScope<'js>,
    incoming: Rc<Incoming<'js>>,
    uid: FetchUid,
    index: u32,
    generation: Option<u32>,
    offset: u64,
) -> Fallible<()> {
    send(
        global,
        Pending::Body {
            incoming,
            uid,
            index,
            generation,
            offset,
        },
        |client, request| match generation {
            Some(generation) => BackgroundFetchRequest::ReadBody {
                client,
                request,
                uid,
                index,
                generation,
                offset,
                max: READ_CHUNK,
            },
            None => BackgroundFetchRequest::ReadRequestBody {
                client,
                request,
                uid,
                index,
                offset,
                max: READ_CHUNK,
            },
        },
    )
}

/// A body the profile holds for a record (its response data of `generation`, or with
/// `None` its request body), read from the store when first consumed, a piece at a time.
fn stored_body<'js>(
    ctx: &Ctx<'js>,
    uid: FetchUid,
    index: u32,
    generation: Option<u32>,
) -> Fallible<Rc<Incoming<'js>>> {
    let global = GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
    let incoming = Incoming::new_in(&global);
    *incoming.on_demand.borrow_mut() = Some(Box::new(move |ctx: &Ctx<'js>, incoming| {
        let result = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("no global"))
            .and_then(|g| read_more(&g, incoming.clone(), uid, index, generation, 0));
        if let Err(e) = result {
            incoming.finish(ctx, Err(format!("{e:?}")));
        }
    }));
    Ok(incoming)
}

/// A Response for a record's stored response: its body is read from the store when it is
/// first consumed, a piece at a time.
fn stored_response<'js>(
    ctx: &Ctx<'js>,
    uid: FetchUid,
    index: u32,
    generation: u32,
    meta: net_traits::ResponseMeta,
) -> Fallible<Dom<'js, Response<'js>>> {
    let incoming = stored_body(ctx, uid, index, Some(generation))?;
    // The profile holds these bytes: a cache.put() of this response links them.
    incoming
        .stored
        .set(Some(net_traits::cache::StoredBody::Record {
            uid,
            index,
            generation,
        }));
    let inner = InnerResponse::from_meta(&meta);
    // Create record objects, step 2.4.2: no Content-Length or Content-Range (the body may
    // be a resumed, stitched one).
    let headers = meta
        .headers
        .iter()
        .filter(|(n, _)| {
            !n.0.eq_ignore_ascii_case(b"content-length")
                && !n.0.eq_ignore_ascii_case(b"content-range")
        })
        .map(|(n, v)| (n.0.clone(), v.0.clone()))
        .collect();
    Response::new_from_network(ctx, inner, headers, Some(Source::Incoming(incoming)))
}

/// <https://wicg.github.io/background-fetch/#create-record-objects>, for one record: a
/// BackgroundFetchRecord with a new Request (its responseReady asks for the response when
/// first read).
fn record_object<'js>(
    ctx: &Ctx<'js>,
    record: &RecordSnapshot,
) -> Fallible<Dom<'js, BackgroundFetchRecord<'js>>> {
    let request = request_object(ctx, &record.request)?;
    // The request body stays in the profile until script reads it, a piece at a time.
    if record.request_body_len.is_some() {
        let incoming = stored_body(ctx, record.uid, record.index, None)?;
        use crate::dom::body::BodyMixin;
        request.body_().set_source(Some(Source::Incoming(incoming)));
    }
    reflect_dom_object(
        ctx,
        BackgroundFetchRecord::new_inherited(request, Some((record.uid, record.index))),
    )
}

/// Create record objects, steps 2.4-2.5: settle `resolve`/`reject` once the record's
/// response is known (or it failed).
pub fn wait_for_response<'js>(
    global: &GlobalScope<'js>,
    uid: FetchUid,
    index: u32,
    resolve: Function<'js>,
    reject: Function<'js>,
) -> Fallible<()> {
    send(
        global,
        Pending::ResponseReady {
            resolve,
            reject,
            uid,
            index,
        },
        |client, request| BackgroundFetchRequest::WaitForResponse {
            client,
            request,
            uid,
            index,
        },
    )
}

/// A new Request object for a stored request (the Request constructor, given the
/// request's URL and an init dictionary with its other values).
pub fn request_object<'js>(ctx: &Ctx<'js>, data: &RequestData) -> Fallible<Dom<'js, Request<'js>>> {
    use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
    use crate::dom::bindings::codegen::{RequestInfo, RequestInit};
    let init = Object::new(ctx.clone())?;
    init.set("method", data.method.as_str())?;
    let headers: Vec<Vec<String>> = data
        .headers
        .iter()
        .map(|(n, v)| vec![n.to_latin1(), v.to_latin1()])
        .collect();
    init.set("headers", headers)?;
    if let Some(body) = &data.body {
        if data.method != "GET" && data.method != "HEAD" {
            let bytes = crate::dom::bindings::buffer_source::new_uint8_array(ctx, body.to_vec())?;
            init.set("body", bytes.to_js(ctx)?)?;
        }
    }
    init.set(
        "mode",
        match data.mode {
            net_traits::RequestMode::SameOrigin => "same-origin",
            net_traits::RequestMode::NoCors => "no-cors",
            _ => "cors",
        },
    )?;
    init.set(
        "credentials",
        match data.credentials {
            net_traits::CredentialsMode::Omit => "omit",
            net_traits::CredentialsMode::SameOrigin => "same-origin",
            net_traits::CredentialsMode::Include => "include",
        },
    )?;
    init.set(
        "redirect",
        match data.redirect {
            net_traits::RedirectMode::Follow => "follow",
            net_traits::RedirectMode::Error => "error",
            net_traits::RedirectMode::Manual => "manual",
        },
    )?;
    if !data.integrity.is_empty() {
        init.set("integrity", data.integrity.as_str())?;
    }
    let init = RequestInit::from_js(ctx, &init.into_value(), "RequestInit")?;
    let cx = Cx::new(
        ctx,
        Value::new_undefined(ctx.clone()),
        Value::new_undefined(ctx.clone()),
    );
    let request = Request::Constructor(&cx, RequestInfo::USVString(data.url.clone()), init)?;
    reflect_dom_object(ctx, request)
}
