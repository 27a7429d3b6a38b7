//! <https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface>, with the
//! `backgroundFetch` attribute of Background Fetch.

use crate::dom::backgroundfetch::manager::BackgroundFetchManager;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ServiceWorkerRegistrationBinding::ServiceWorkerRegistrationMethods;
use crate::dom::bindings::codegen::ServiceWorkerUpdateViaCache;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::dom::serviceworker::ServiceWorker;
use crate::dom::serviceworkercontainer::{job_client, job_error, new_job_promise};
use crate::service_workers::{
    RegistrationId, RegistrationSnapshot, Slot, UpdateViaCache, WorkerSnapshot,
};
use std::cell::Cell;

type WorkerSlot<'js> = DomRefCell<Option<Dom<'js, ServiceWorker<'js>>>>;

/// <https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface>
pub struct ServiceWorkerRegistration<'js> {
    event_target: EventTarget<'js>,
    id: RegistrationId,
    scope: String,
    update_via_cache: Cell<UpdateViaCache>,
    installing: WorkerSlot<'js>,
    waiting: WorkerSlot<'js>,
    active: WorkerSlot<'js>,
    /// The registry sequence number of the state shown (older updates are ignored).
    seq: Cell<u64>,
    /// The background fetch manager ([SameObject]).
    background_fetch: Dom<'js, BackgroundFetchManager<'js>>,
}

impl<'js> HasParent<'js> for ServiceWorkerRegistration<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for ServiceWorkerRegistration<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.installing.trace(tracer);
        self.waiting.trace(tracer);
        self.active.trace(tracer);
        self.background_fetch.trace(tracer);
    }
}

fn worker_object<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    worker: Option<&WorkerSnapshot>,
    seq: u64,
) -> Fallible<Option<Dom<'js, ServiceWorker<'js>>>> {
    worker
        .map(|w| ServiceWorker::get(ctx, global, w, seq))
        .transpose()
}

impl<'js> ServiceWorkerRegistration<'js> {
    /// <https://w3c.github.io/ServiceWorker/#get-the-service-worker-registration-object>:
    /// the one object of this global for the registration, made from `snapshot` if new.
    pub fn get(
        ctx: &Ctx<'js>,
        global: &GlobalScope<'js>,
        snapshot: &RegistrationSnapshot,
    ) -> Fallible<Dom<'js, ServiceWorkerRegistration<'js>>> {
        if let Some(o) = global.sw_registrations.borrow().get(&snapshot.id) {
            return Ok(o.clone());
        }
        // Steps 2.1-2.8. A new object with the registration's workers.
        let seq = snapshot.seq;
        let installing = worker_object(ctx, global, snapshot.installing.as_ref(), seq)?;
        let waiting = worker_object(ctx, global, snapshot.waiting.as_ref(), seq)?;
        let active = worker_object(ctx, global, snapshot.active.as_ref(), seq)?;
        let background_fetch = reflect_dom_object(
            ctx,
            BackgroundFetchManager::new_inherited(Some(snapshot.id)),
        )?;
        let object = reflect_dom_object(
            ctx,
            ServiceWorkerRegistration {
                event_target: EventTarget::new_inherited(),
                id: snapshot.id,
                scope: snapshot.scope.clone(),
                update_via_cache: Cell::new(snapshot.update_via_cache),
                installing: DomRefCell::new(installing),
                waiting: DomRefCell::new(waiting),
                active: DomRefCell::new(active),
                seq: Cell::new(seq),
                background_fetch,
            },
        )?;
        // Step 2.9. Set objectMap[registration].
        global
            .sw_registrations
            .borrow_mut()
            .insert(snapshot.id, object.clone());
        Ok(object)
    }

    pub fn id(&self) -> RegistrationId {
        self.id
    }

    /// Whether this realm's object shows an active worker now.
    pub fn shows_active(&self) -> bool {
        self.active.borrow().is_some()
    }
}

/// The task of Update Registration State in one global: its object for the registration (if
/// any) shows `worker` in `slot`.
pub fn apply_registration_state(
    ctx: &Ctx<'_>,
    registration: RegistrationId,
    slot: Slot,
    worker: Option<WorkerSnapshot>,
    seq: u64,
) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let object = global.sw_registrations.borrow().get(&registration).cloned();
    let Some(object) = object else {
        return;
    };
    if seq <= object.seq.get() {
        return;
    }
    object.seq.set(seq);
    let value = match worker_object(ctx, &global, worker.as_ref(), seq) {
        Ok(v) => v,
        Err(e) => return GlobalScope::report_error(ctx, e),
    };
    let target = match slot {
        Slot::Installing => &object.installing,
        Slot::Waiting => &object.waiting,
        Slot::Active => &object.active,
    };
    *target.borrow_mut() = value;
}

/// Install, step 9: `updatefound` at this global's object for the registration.
pub fn fire_updatefound(ctx: &Ctx<'_>, registration: RegistrationId) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let object = global.sw_registrations.borrow().get(&registration).cloned();
    if let Some(object) = object {
        let target = object.upcast::<EventTarget>();
        if let Err(e) = eventtarget::fire_event(ctx, &target, "updatefound", false, false) {
            GlobalScope::report_error(ctx, e);
        }
    }
}

impl<'js> ServiceWorkerRegistrationMethods<'js> for ServiceWorkerRegistration<'js> {
    fn installing(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, ServiceWorker<'js>>>> {
        Ok(self.installing.borrow().clone())
    }
    fn waiting(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, ServiceWorker<'js>>>> {
        Ok(self.waiting.borrow().clone())
    }
    fn active(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, ServiceWorker<'js>>>> {
        Ok(self.active.borrow().clone())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerregistration-scope>
    fn scope(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.scope.clone())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerregistration-updateviacache>:
    /// the registration's update via cache mode now.
    fn updateViaCache(&self, cx: &Cx<'js>) -> Fallible<ServiceWorkerUpdateViaCache> {
        let live = GlobalScope::current(&cx.ctx)
            .and_then(|g| g.info().service_workers.clone())
            .and_then(|c| c.registration(self.id));
        if let Some(s) = live {
            self.update_via_cache.set(s.update_via_cache);
        }
        Ok(match self.update_via_cache.get() {
            UpdateViaCache::Imports => ServiceWorkerUpdateViaCache::Imports,
            UpdateViaCache::All => ServiceWorkerUpdateViaCache::All,
            UpdateViaCache::None => ServiceWorkerUpdateViaCache::None,
        })
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerregistration-update>
    fn update(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("update() needs a global"))?;
        let Some(context) = global.info().service_workers.clone() else {
            return glue::rejected_promise(
                &cx.ctx,
                Error::invalid_state("service workers are not available here"),
            );
        };
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        let calling_worker = global.info().service_worker.map(|(_, w)| w);
        if let Err(e) = context.update(
            self.id,
            calling_worker,
            job_client(&global, id),
            global.info().inherited.clone(),
        ) {
            global.promises.borrow_mut().take(id);
            return glue::rejected_promise(&cx.ctx, job_error(e));
        }
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerregistration-unregister>
    fn unregister(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("unregister() needs a global"))?;
        let Some(context) = global.info().service_workers.clone() else {
            return glue::rejected_promise(
                &cx.ctx,
                Error::invalid_state("service workers are not available here"),
            );
        };
        let scope = url::Url::parse(&self.scope)
            .map_err(|_| Error::invalid_state("the registration's scope is not a URL"))?;
        // Steps 2-4. Create an unregister job and schedule it.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        let storage_key = global.info().origin.clone();
        if let Err(e) = context.unregister(&storage_key, scope, job_client(&global, id)) {
            global.promises.borrow_mut().take(id);
            return glue::rejected_promise(&cx.ctx, job_error(e));
        }
        Ok(promise)
    }

    fn backgroundFetch(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, BackgroundFetchManager<'js>>> {
        Ok(self.background_fetch.clone())
    }

    /// <https://notifications.spec.whatwg.org/#dom-serviceworkerregistration-shownotification>
    fn showNotification(
        &self,
        cx: &Cx<'js>,
        title: DOMString,
        options: crate::dom::bindings::codegen::NotificationOptions<'js>,
    ) -> Fallible<Promise<'js>> {
        use crate::dom::bindings::codegen::NotificationPermission;
        use crate::dom::notification::{
            create_a_notification, get_the_notifications_permission_state,
        };
        // Steps 1-2. The global and the promise.
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("showNotification() needs a global"))?;
        // Step 3. No active worker: TypeError.
        let has_active = global
            .info()
            .service_workers
            .as_ref()
            .and_then(|sw| sw.registration(self.id))
            .is_some_and(|r| r.active.is_some());
        if !has_active {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type("the registration has no active service worker".into()),
            );
        }
        // Steps 4-5. Create the notification (its exceptions reject), persistent.
        let record = match create_a_notification(
            &cx.ctx,
            &global,
            title.to_string(),
            options,
            Some(self.id),
            false,
        ) {
            Ok(r) => r,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        // Step 6.1. Without permission: TypeError (in a task).
        if get_the_notifications_permission_state(&global) != NotificationPermission::Granted {
            let (promise, _, reject) = cx.ctx.promise()?;
            global.queue_task(Box::new(move |ctx| {
                let reason = crate::dom::bindings::error::error_value(
                    ctx,
                    Error::Type("the notifications permission is not granted".into()),
                );
                reject.call::<_, ()>((reason,))?;
                Ok(())
            }));
            return Ok(promise);
        }
        // Steps 6.2-6.4. The show steps, then resolve in a task.
        global
            .profile()
            .notifications()
            .show(std::sync::Arc::new(record));
        let (promise, resolve, _) = cx.ctx.promise()?;
        global.queue_task(Box::new(move |_| {
            resolve.call::<_, ()>(())?;
            Ok(())
        }));
        Ok(promise)
    }

    /// <https://notifications.spec.whatwg.org/#dom-serviceworkerregistration-getnotifications>
    fn getNotifications(
        &self,
        cx: &Cx<'js>,
        filter: crate::dom::bindings::codegen::GetNotificationOptions,
    ) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("getNotifications() needs a global"))?;
        // Step 5.2. The notifications of this origin and registration (with the tag).
        let found =
            global
                .profile()
                .notifications()
                .matching(&global.info().origin, self.id, &filter.tag);
        // Step 5.3. In a task: new Notification objects, in creation order.
        let (promise, resolve, _) = cx.ctx.promise()?;
        global.queue_task(Box::new(move |ctx| {
            let objects = rquickjs::Array::new(ctx.clone())?;
            for (i, record) in found.into_iter().enumerate() {
                let object = crate::dom::notification::Notification::represent(ctx, record)?;
                objects.set(i, object.reflector().clone())?;
            }
            resolve.call::<_, ()>((objects,))?;
            Ok(())
        }));
        Ok(promise)
    }
}
