//! <https://w3c.github.io/ServiceWorker/#serviceworker-interface>

use crate::dom::bindings::codegen::ServiceWorkerBinding::ServiceWorkerMethods;
use crate::dom::bindings::codegen::{ServiceWorkerState, StructuredSerializeOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::dom::postmessage::{serialize_with_transfer, PostMessage};
use crate::service_workers::{
    ClientSnapshot, EnvironmentKind, MessageSource, WorkerId, WorkerSnapshot, WorkerState,
};
use std::cell::Cell;

/// <https://w3c.github.io/ServiceWorker/#serviceworker-interface>
pub struct ServiceWorker<'js> {
    event_target: EventTarget<'js>,
    id: WorkerId,
    script_url: String,
    state: Cell<WorkerState>,
    /// The registry sequence number of the state shown (older updates are ignored).
    seq: Cell<u64>,
}

impl<'js> HasParent<'js> for ServiceWorker<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for ServiceWorker<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer)
    }
}

impl<'js> ServiceWorker<'js> {
    /// <https://w3c.github.io/ServiceWorker/#get-the-service-worker-object>: the one object
    /// of this global for the service worker, made from `snapshot` (taken at `seq`) if new.
    pub fn get(
        ctx: &Ctx<'js>,
        global: &GlobalScope<'js>,
        snapshot: &WorkerSnapshot,
        seq: u64,
    ) -> Fallible<Dom<'js, ServiceWorker<'js>>> {
        // Step 2. If objectMap[serviceWorker] does not exist, make it.
        if let Some(o) = global.sw_workers.borrow().get(&snapshot.id) {
            return Ok(o.clone());
        }
        let object = reflect_dom_object(
            ctx,
            ServiceWorker {
                event_target: EventTarget::new_inherited(),
                id: snapshot.id,
                script_url: snapshot.script_url.clone(),
                state: Cell::new(snapshot.state),
                seq: Cell::new(seq),
            },
        )?;
        global
            .sw_workers
            .borrow_mut()
            .insert(snapshot.id, object.clone());
        Ok(object)
    }

    /// The object for service worker `id`, made (if new) from its state *now*: for getters
    /// and tasks that did not get a snapshot queued in order with the state updates.
    /// `fallback` is used for a worker the registry no longer knows.
    pub fn get_now(
        ctx: &Ctx<'js>,
        global: &GlobalScope<'js>,
        fallback: &WorkerSnapshot,
    ) -> Fallible<Dom<'js, ServiceWorker<'js>>> {
        if let Some(o) = global.sw_workers.borrow().get(&fallback.id) {
            return Ok(o.clone());
        }
        let now = global
            .info()
            .service_workers
            .as_ref()
            .and_then(|c| c.worker(fallback.id));
        match now {
            Some((snapshot, seq)) => ServiceWorker::get(ctx, global, &snapshot, seq),
            None => ServiceWorker::get(ctx, global, fallback, 0),
        }
    }

    pub fn id(&self) -> WorkerId {
        self.id
    }
}

/// The task of Update Worker State (steps 4.1-4.5) in one global: the object, if this global
/// has one, takes the state and gets a `statechange` event.
pub fn apply_worker_state(ctx: &Ctx<'_>, worker: WorkerId, state: WorkerState, seq: u64) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let object = global.sw_workers.borrow().get(&worker).cloned();
    let Some(object) = object else {
        return;
    };
    // An object made from a newer snapshot already shows this state or a later one.
    if seq <= object.seq.get() {
        return;
    }
    object.seq.set(seq);
    object.state.set(state);
    let target = object.upcast::<EventTarget>();
    if let Err(e) = eventtarget::fire_event(ctx, &target, "statechange", false, false) {
        GlobalScope::report_error(ctx, e);
    }
}

/// Who the current global is, as the source of a message to a service worker.
pub fn message_source(global: &GlobalScope<'_>) -> Option<MessageSource> {
    let info = global.info();
    if let Some((_, worker)) = info.service_worker {
        let (snapshot, _) = info.service_workers.as_ref()?.worker(worker)?;
        return Some(MessageSource::Worker(snapshot));
    }
    Some(MessageSource::Client(ClientSnapshot {
        id: info.environment_id.clone(),
        url: info.url.clone(),
        kind: EnvironmentKind::of(info.kind),
        ancestor_origins: crate::nested::ancestor_origins_of(global),
    }))
}

impl<'js> PostMessage<'js> for ServiceWorker<'js> {
    /// <https://w3c.github.io/ServiceWorker/#service-worker-postmessage-options>
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        // Steps 2-3. The incumbent settings object and global (the current one here).
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("postMessage() needs a global"))?;
        // Step 4. StructuredSerializeWithTransfer, rethrowing.
        let serialized = serialize_with_transfer(cx, message, options)?;
        // Step 6. In parallel: run the service worker and queue the message event.
        let (Some(context), Some(source)) = (
            global.info().service_workers.clone(),
            message_source(&global),
        ) else {
            serialized.dispose();
            return Ok(());
        };
        context.post_to_worker(self.id, serialized, source, global.info().origin.clone());
        Ok(())
    }
}

impl<'js> ServiceWorkerMethods<'js> for ServiceWorker<'js> {
    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworker-scripturl>
    fn scriptURL(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.script_url.clone())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworker-state>
    fn state(&self, _cx: &Cx<'js>) -> Fallible<ServiceWorkerState> {
        Ok(match self.state.get() {
            WorkerState::Parsed => ServiceWorkerState::Parsed,
            WorkerState::Installing => ServiceWorkerState::Installing,
            WorkerState::Installed => ServiceWorkerState::Installed,
            WorkerState::Activating => ServiceWorkerState::Activating,
            WorkerState::Activated => ServiceWorkerState::Activated,
            WorkerState::Redundant => ServiceWorkerState::Redundant,
        })
    }

    crate::post_message_methods!();
}
