//! <https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ClientOrServiceWorkerOrMessagePort;
use crate::dom::bindings::codegen::ServiceWorkerGlobalScopeBinding::ServiceWorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::structuredclone::{self, Serialized};
use crate::dom::client::Client;
use crate::dom::clients::Clients;
use crate::dom::eventtarget;
use crate::dom::extendablemessageevent::ExtendableMessageEvent;
use crate::dom::globalscope::{GlobalScope, IsGlobal};
use crate::dom::messageport::MessagePort;
use crate::dom::serviceworker::ServiceWorker;
use crate::dom::serviceworkercontainer::{job_client, new_job_promise, settle_job_promise};
use crate::dom::serviceworkerregistration::ServiceWorkerRegistration;
use crate::dom::workerglobalscope::WorkerGlobalScope;
use crate::service_workers::{JobOutcome, MessageSource};

/// <https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface>
pub struct ServiceWorkerGlobalScope<'js> {
    worker_global_scope: WorkerGlobalScope<'js>,
    /// The Clients object ([SameObject]).
    clients: DomRefCell<Option<Dom<'js, Clients<'js>>>>,
}

impl<'js> ServiceWorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> ServiceWorkerGlobalScope<'js> {
        ServiceWorkerGlobalScope {
            worker_global_scope: WorkerGlobalScope::new_inherited(global),
            clients: DomRefCell::new(None),
        }
    }
}

impl<'js> IsGlobal<'js> for ServiceWorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        self.worker_global_scope.global_scope()
    }
}

impl<'js> HasParent<'js> for ServiceWorkerGlobalScope<'js> {
    type Parent = WorkerGlobalScope<'js>;
    fn parent(&self) -> &WorkerGlobalScope<'js> {
        &self.worker_global_scope
    }
}

impl<'js> Trace<'js> for ServiceWorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.worker_global_scope.trace(tracer);
        self.clients.trace(tracer);
    }
}

fn not_a_service_worker() -> Error {
    Error::invalid_state("this global is not a registered service worker")
}

/// The global's registration object (made from the registration's state now, the first
/// time; the global makes it at setup, so it exists even once the registration is gone).
pub fn registration_object<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
) -> Fallible<Dom<'js, ServiceWorkerRegistration<'js>>> {
    let info = global.info();
    let (registration, _) = info.service_worker.ok_or_else(not_a_service_worker)?;
    if let Some(o) = global.sw_registrations.borrow().get(&registration) {
        return Ok(o.clone());
    }
    let snapshot = info
        .service_workers
        .as_ref()
        .and_then(|c| c.registration(registration))
        .ok_or_else(not_a_service_worker)?;
    ServiceWorkerRegistration::get(ctx, global, &snapshot)
}

/// The global's ServiceWorker object for its own service worker (as above).
pub fn service_worker_object<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
) -> Fallible<Dom<'js, ServiceWorker<'js>>> {
    let info = global.info();
    let (_, worker) = info.service_worker.ok_or_else(not_a_service_worker)?;
    if let Some(o) = global.sw_workers.borrow().get(&worker) {
        return Ok(o.clone());
    }
    let (snapshot, seq) = info
        .service_workers
        .as_ref()
        .and_then(|c| c.worker(worker))
        .ok_or_else(not_a_service_worker)?;
    ServiceWorker::get(ctx, global, &snapshot, seq)
}

/// ServiceWorker.postMessage, step 6.2: the message event at this service worker's global.
pub fn deliver_message(ctx: &Ctx<'_>, message: Serialized, source: MessageSource, origin: String) {
    if let Err(e) = deliver_message_steps(ctx, message, source, origin) {
        GlobalScope::report_error(ctx, e);
    }
}

fn deliver_message_steps<'js>(
    ctx: &Ctx<'js>,
    message: Serialized,
    source: MessageSource,
    origin: String,
) -> Fallible<()> {
    let Some(global) = GlobalScope::current(ctx) else {
        message.dispose();
        return Ok(());
    };
    // Step 6.2.1. The source: a new (Window)Client for a client, this global's object for a
    // service worker.
    let source = match source {
        MessageSource::Client(c) => {
            ClientOrServiceWorkerOrMessagePort::Client(Client::create(ctx, c)?)
        }
        MessageSource::Worker(w) => ClientOrServiceWorkerOrMessagePort::ServiceWorker(
            ServiceWorker::get_now(ctx, &global, &w)?,
        ),
    };
    let target = GlobalScope::as_event_target(&global);
    // Step 6.2.4. Deserialize; on failure the event is a messageerror.
    let event = match structuredclone::deserialize_with_transfer(ctx, message) {
        Ok((data, transferred)) => {
            let ports: Vec<Dom<'js, MessagePort<'js>>> =
                transferred.iter().filter_map(MessagePort::unwrap).collect();
            ExtendableMessageEvent::new_trusted(ctx, "message", data, origin, Some(source), ports)?
        }
        Err(_) => ExtendableMessageEvent::new_trusted(
            ctx,
            "messageerror",
            Value::new_null(ctx.clone()),
            origin,
            Some(source),
            Vec::new(),
        )?,
    };
    // Step 6.2.5. Dispatch it at the global. Step 6.2.6. Update Service Worker Extended
    // Events Set: the worker has a pending event while this one is active.
    let worker = global.extendable_event_started();
    let dispatched = eventtarget::dispatch(ctx, &event.clone().upcast(), &target);
    if let Some((context, worker)) = worker {
        event
            .extendable()
            .when_inactive(Box::new(move |_| context.event_finished(worker)));
    }
    dispatched?;
    Ok(())
}

impl<'js> ServiceWorkerGlobalScopeMethods<'js> for ServiceWorkerGlobalScope<'js> {
    /// <https://w3c.github.io/ServiceWorker/#service-worker-global-scope-clients>
    fn clients(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Clients<'js>>> {
        if let Some(c) = self.clients.borrow().as_ref() {
            return Ok(c.clone());
        }
        let c = reflect_dom_object(&cx.ctx, Clients::new_inherited())?;
        *self.clients.borrow_mut() = Some(c.clone());
        Ok(c)
    }

    /// <https://w3c.github.io/ServiceWorker/#service-worker-global-scope-registration>
    fn registration(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, ServiceWorkerRegistration<'js>>> {
        registration_object(&cx.ctx, self.global_scope())
    }

    /// <https://w3c.github.io/ServiceWorker/#service-worker-global-scope-serviceworker>
    fn serviceWorker(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, ServiceWorker<'js>>> {
        service_worker_object(&cx.ctx, self.global_scope())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerglobalscope-skipwaiting>
    fn skipWaiting(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = self.global_scope();
        let info = global.info();
        let Some((context, (_, worker))) = info.service_workers.clone().zip(info.service_worker)
        else {
            return glue::rejected_promise(&cx.ctx, not_a_service_worker());
        };
        // Step 1. Let promise be a new promise.
        let (promise, id) = new_job_promise(&cx.ctx, global)?;
        // Step 2. In parallel: set the skip waiting flag, Try Activate, then resolve.
        let client = job_client(global, id);
        context.skip_waiting(worker, move || {
            client
                .tasks
                .queue(move |ctx| settle_job_promise(ctx, client.promise, JobOutcome::Undefined));
        });
        Ok(promise)
    }
}
