//! <https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface>: registering
//! service workers, finding registrations, and the messages service workers send to this
//! client (the client message queue).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ServiceWorkerContainerBinding::ServiceWorkerContainerMethods;
use crate::dom::bindings::codegen::{
    MessageEventSource, RegistrationOptions, ServiceWorkerUpdateViaCache, WorkerType,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::bindings::structuredclone::{self, Serialized};
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::dom::messageevent::MessageEvent;
use crate::dom::messageport::MessagePort;
use crate::dom::serviceworker::ServiceWorker;
use crate::dom::serviceworkerregistration::ServiceWorkerRegistration;
use crate::service_workers::{
    JobClient, JobError, JobOutcome, RegisterRequest, RegistrationSnapshot, ScriptType,
    UpdateViaCache, WorkerSnapshot,
};
use std::collections::VecDeque;

/// A message from a service worker waiting in the client message queue.
pub struct ClientMessage {
    message: Serialized,
    source: Option<WorkerSnapshot>,
    origin: String,
}

/// <https://w3c.github.io/ServiceWorker/#dfn-client-message-queue>: disabled until
/// `startMessages()`, the first `onmessage` set, or the end of loading.
#[derive(Default)]
pub struct ClientMessageQueue {
    enabled: bool,
    messages: VecDeque<ClientMessage>,
}

impl ClientMessageQueue {
    /// The undelivered messages (when the global goes away).
    pub fn drain(&mut self) -> impl Iterator<Item = Serialized> + '_ {
        self.messages.drain(..).map(|m| m.message)
    }
}

/// The ready promise and its resolving function.
struct Ready<'js> {
    promise: Promise<'js>,
    resolve: Function<'js>,
    settled: bool,
}

impl<'js> Trace<'js> for Ready<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.promise.trace(tracer);
        self.resolve.trace(tracer);
    }
}

/// <https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface>
pub struct ServiceWorkerContainer<'js> {
    event_target: EventTarget<'js>,
    ready: DomRefCell<Option<Ready<'js>>>,
}

impl<'js> HasParent<'js> for ServiceWorkerContainer<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for ServiceWorkerContainer<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        // (DomRefCell's trace skips a value borrowed mutably right now.)
        self.ready.trace(tracer);
    }
}

impl<'js> ServiceWorkerContainer<'js> {
    /// The container of this global's navigator ([SameObject]; made when first needed).
    pub fn of(
        ctx: &Ctx<'js>,
        global: &GlobalScope<'js>,
    ) -> Fallible<Dom<'js, ServiceWorkerContainer<'js>>> {
        if let Some(c) = global.sw_container.borrow().as_ref() {
            return Ok(c.clone());
        }
        let c = reflect_dom_object(
            ctx,
            ServiceWorkerContainer {
                event_target: EventTarget::new_inherited(),
                ready: DomRefCell::new(None),
            },
        )?;
        *global.sw_container.borrow_mut() = Some(c.clone());
        Ok(c)
    }
}

/// A new promise kept in the global's slab: returns it and its number.
pub fn new_job_promise<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
) -> Fallible<(Promise<'js>, u64)> {
    let (promise, resolve, reject) = ctx.promise()?;
    let id = global.promises.borrow_mut().add(resolve, reject);
    Ok((promise, id))
}

/// Where the registry settles promise `id` of this global.
pub fn job_client(global: &GlobalScope<'_>, id: u64) -> JobClient {
    JobClient {
        tasks: global.info().tasks.clone(),
        promise: id,
    }
}

/// The exception a job error becomes.
pub fn job_error(e: JobError) -> Error {
    match e {
        JobError::Type(m) => Error::Type(m),
        JobError::Security(m) => Error::dom(DomErrorName::SecurityError, m),
        JobError::InvalidState(m) => Error::invalid_state(m),
    }
}

/// Resolve Job Promise / Reject Job Promise, the task on the client's event loop (also
/// used for the other promises this global's service worker objects settle later).
pub fn settle_job_promise(ctx: &Ctx<'_>, promise: u64, outcome: JobOutcome) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some((resolve, reject)) = global.promises.borrow_mut().take(promise) else {
        return;
    };
    let result = match outcome {
        // "get the service worker registration object" in the job's client.
        JobOutcome::Registration(s) => ServiceWorkerRegistration::get(ctx, &global, &s)
            .map(|r| r.reflector().clone().into_value())
            .and_then(|v| resolve.call::<_, ()>((v,)).map_err(Error::from)),
        JobOutcome::Boolean(b) => resolve.call::<_, ()>((b,)).map_err(Error::from),
        JobOutcome::Undefined => resolve.call::<_, ()>(()).map_err(Error::from),
        JobOutcome::Failed(e) => {
            let reason = crate::dom::bindings::error::error_value(ctx, job_error(e));
            reject.call::<_, ()>((reason,)).map_err(Error::from)
        }
    };
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

/// getRegistration()'s in-parallel steps and task: Match Service Worker Registration for
/// `client_url`, then resolve with this global's object for it (or undefined). The match
/// runs in the task, so the object is made from the state at that moment.
fn resolve_lookup(global: &GlobalScope<'_>, promise: u64, client_url: String) {
    global.queue_task(Box::new(move |ctx| {
        let global = GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
        let found = global
            .info()
            .service_workers
            .as_ref()
            .and_then(|c| c.match_registration(&global.info().origin, &client_url));
        let outcome = match found {
            Some(s) => JobOutcome::Registration(s),
            None => JobOutcome::Undefined,
        };
        settle_job_promise(ctx, promise, outcome);
        Ok(())
    }));
}

/// Activate, step 7: resolve this client's ready promise with the registration (if pending).
pub fn resolve_ready(ctx: &Ctx<'_>, registration: RegistrationSnapshot) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let container = global.sw_container.borrow().clone();
    let Some(container) = container else {
        return;
    };
    let resolve = {
        let mut ready = container.ready.borrow_mut();
        match ready.as_mut() {
            Some(r) if !r.settled => {
                r.settled = true;
                r.resolve.clone()
            }
            _ => return,
        }
    };
    let result = ServiceWorkerRegistration::get(ctx, &global, &registration)
        .map(|r| r.reflector().clone().into_value())
        .and_then(|v| resolve.call::<_, ()>((v,)).map_err(Error::from));
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

/// Notify Controller Change: `controllerchange` at this client's container.
pub fn controller_change(ctx: &Ctx<'_>) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let result = ServiceWorkerContainer::of(ctx, &global).and_then(|c| {
        eventtarget::fire_event(
            ctx,
            &c.upcast::<EventTarget>(),
            "controllerchange",
            false,
            false,
        )
    });
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

/// Client.postMessage, step 5.5: the message joins this client's client message queue.
pub fn receive_client_message(
    ctx: &Ctx<'_>,
    message: Serialized,
    source: Option<WorkerSnapshot>,
    origin: String,
) {
    let Some(global) = GlobalScope::current(ctx) else {
        message.dispose();
        return;
    };
    let enabled = {
        let mut queue = global.sw_messages.borrow_mut();
        queue.messages.push_back(ClientMessage {
            message,
            source,
            origin,
        });
        queue.enabled
    };
    if enabled {
        global.queue_task(Box::new(deliver_next_message));
    }
}

/// Enables the client message queue (once): the messages waiting in it are delivered, one
/// task each.
pub fn enable_client_message_queue(global: &GlobalScope<'_>) {
    let waiting = {
        let mut queue = global.sw_messages.borrow_mut();
        if queue.enabled {
            return;
        }
        queue.enabled = true;
        queue.messages.len()
    };
    for _ in 0..waiting {
        global.queue_task(Box::new(deliver_next_message));
    }
}

/// Client.postMessage, steps 5.5.1-5.5.6: the message event at the container.
fn deliver_next_message(ctx: &Ctx<'_>) -> Fallible<()> {
    let Some(global) = GlobalScope::current(ctx) else {
        return Ok(());
    };
    let Some(ClientMessage {
        message,
        source,
        origin,
    }) = global.sw_messages.borrow_mut().messages.pop_front()
    else {
        return Ok(());
    };
    let container = ServiceWorkerContainer::of(ctx, &global)?;
    let target = container.upcast::<EventTarget>();
    // Step 5.5.2. The source: this global's object for the sending service worker.
    let source = match source {
        Some(w) => Some(MessageEventSource::ServiceWorker(ServiceWorker::get_now(
            ctx, &global, &w,
        )?)),
        None => None,
    };
    // Step 5.5.3. Deserialize; on failure, messageerror.
    let (data, transferred) = match structuredclone::deserialize_with_transfer(ctx, message) {
        Ok(r) => r,
        Err(_) => {
            let event = MessageEvent::new_trusted_from(
                ctx,
                "messageerror",
                Value::new_null(ctx.clone()),
                origin,
                source,
                Vec::new(),
            )?;
            eventtarget::dispatch(ctx, &event.upcast(), &target)?;
            return Ok(());
        }
    };
    // Steps 5.5.4-5.5.6. The message event, with the transferred ports.
    let ports: Vec<Dom<'_, MessagePort<'_>>> =
        transferred.iter().filter_map(MessagePort::unwrap).collect();
    let event = MessageEvent::new_trusted_from(ctx, "message", data, origin, source, ports)?;
    eventtarget::dispatch(ctx, &event.upcast(), &target)?;
    Ok(())
}

fn update_via_cache(v: ServiceWorkerUpdateViaCache) -> UpdateViaCache {
    match v {
        ServiceWorkerUpdateViaCache::Imports => UpdateViaCache::Imports,
        ServiceWorkerUpdateViaCache::All => UpdateViaCache::All,
        ServiceWorkerUpdateViaCache::None => UpdateViaCache::None,
    }
}

impl<'js> ServiceWorkerContainerMethods<'js> for ServiceWorkerContainer<'js> {
    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-controller>
    fn controller(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, ServiceWorker<'js>>>> {
        let Some(global) = GlobalScope::current(&cx.ctx) else {
            return Ok(None);
        };
        let Some(context) = global.info().service_workers.clone() else {
            return Ok(None);
        };
        // Steps 1-3. The client's active service worker, as this global's object.
        match context.active_worker_of(&global.info().environment_id) {
            Some((w, seq)) => Ok(Some(ServiceWorker::get(&cx.ctx, &global, &w, seq)?)),
            None => Ok(None),
        }
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-ready>
    fn ready(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        // Step 1. Make the ready promise if there is none.
        if self.ready.borrow().is_none() {
            // (Made before the cell is borrowed: allocating may run the garbage collector,
            // which traces this object.)
            let (promise, resolve, _) = cx.ctx.promise()?;
            *self.ready.borrow_mut() = Some(Ready {
                promise,
                resolve,
                settled: false,
            });
        }
        let Some((promise, pending)) = self
            .ready
            .borrow()
            .as_ref()
            .map(|r| (r.promise.clone(), !r.settled))
        else {
            return Err(Error::invalid_state("the ready promise is missing"));
        };
        // Step 3. If it is pending: a matching registration with an active worker resolves
        // it, in a task.
        if pending {
            if let Some(global) = GlobalScope::current(&cx.ctx) {
                let found =
                    global.info().service_workers.as_ref().and_then(|c| {
                        c.match_registration(&global.info().origin, &global.info().url)
                    });
                if let Some(registration) = found.filter(|r| r.active.is_some()) {
                    global.queue_task(Box::new(move |ctx| {
                        resolve_ready(ctx, registration);
                        Ok(())
                    }));
                }
            }
        }
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-register>
    fn register(
        &self,
        cx: &Cx<'js>,
        script_url: USVString,
        options: RegistrationOptions,
    ) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("register() needs a global"))?;
        // Step 4. Parse scriptURL with the API base URL (Start Register step 1: failure is
        // a TypeError).
        let Ok(script) = global.parse_url(&script_url) else {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type(format!("'{script_url}' is not a valid URL")),
            );
        };
        // Steps 5-6. Parse the scope, if given (Start Register step 6).
        let scope = match &options.scope {
            Some(s) => match global.parse_url(s) {
                Ok(u) => Some(u),
                Err(_) => {
                    return glue::rejected_promise(
                        &cx.ctx,
                        Error::Type(format!("the scope '{s}' is not a valid URL")),
                    )
                }
            },
            None => None,
        };
        let Some(context) = global.info().service_workers.clone() else {
            return glue::rejected_promise(
                &cx.ctx,
                Error::invalid_state("service workers are not available in this user agent"),
            );
        };
        let referrer = url::Url::parse(&global.info().url)
            .map_err(|_| Error::Type("this global has no URL".into()))?;
        // Step 7. Start Register.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        let request = RegisterRequest {
            scope_url: scope,
            worker_type: match options.r#type {
                WorkerType::Classic => ScriptType::Classic,
                WorkerType::Module => ScriptType::Module,
            },
            script_url: script,
            update_via_cache: update_via_cache(options.updateViaCache),
            client_id: global.info().environment_id.clone(),
            client: job_client(&global, id),
            storage_key: global.info().origin.clone(),
            referrer,
            inherited: global.info().inherited.clone(),
        };
        if let Err(e) = context.start_register(request) {
            global.promises.borrow_mut().take(id);
            return glue::rejected_promise(&cx.ctx, job_error(e));
        }
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistration>
    fn getRegistration(&self, cx: &Cx<'js>, client_url: USVString) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("getRegistration() needs a global"))?;
        // Steps 3-4. Parse clientURL; failure is a TypeError.
        let Ok(mut url) = global.parse_url(&client_url) else {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type(format!("'{client_url}' is not a valid URL")),
            );
        };
        // Step 5. Set its fragment to null.
        url.set_fragment(None);
        // Step 6. It must be same origin with the client.
        if url.origin().ascii_serialization() != global.info().origin {
            return glue::rejected_promise(
                &cx.ctx,
                Error::dom(
                    DomErrorName::SecurityError,
                    format!("'{url}' is not same origin with this client"),
                ),
            );
        }
        // Steps 7-8. Match Service Worker Registration, then resolve in a task.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        resolve_lookup(&global, id, url.to_string());
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistrations>
    fn getRegistrations(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("getRegistrations() needs a global"))?;
        let (promise, resolve, _) = cx.ctx.promise()?;
        // Step 4.2. Every registration of the client's storage key.
        let registrations = global
            .info()
            .service_workers
            .as_ref()
            .map(|c| c.registrations(&global.info().origin))
            .unwrap_or_default();
        // Step 4.3. In a task: their objects, as a frozen array.
        global.queue_task(Box::new(move |ctx| {
            let global =
                GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("no global"))?;
            let objects = registrations
                .iter()
                .map(|r| ServiceWorkerRegistration::get(ctx, &global, r))
                .collect::<Fallible<Vec<_>>>()?;
            let array = FrozenArray::new(ctx, objects)?;
            resolve.call::<_, ()>((array.to_js(ctx)?,))?;
            Ok(())
        }));
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-startMessages>
    fn startMessages(&self, cx: &Cx<'js>) -> Fallible<()> {
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            enable_client_message_queue(&global);
        }
        Ok(())
    }
}
