//! Extendable events at a running service worker (Appendix A): Update Service Worker
//! Extended Events Set, as the DOM side dispatches events and they stop being active;
//! Service Worker Has No Pending Events; and Fire Functional Event for background fetch and
//! notifications.

use super::lifecycle::try_activate;
use super::registry::{spawn_helper, Inner, ServiceWorkerContext};
use super::unregister::try_clear_registration;
use super::{RegistrationId, WorkerId};
use std::sync::Arc;

impl ServiceWorkerContext {
    /// Update Service Worker Extended Events Set, as the event is dispatched: `worker` has
    /// one more active extendable event.
    ///
    /// <https://w3c.github.io/ServiceWorker/#update-service-worker-extended-events-set-algorithm>
    pub fn event_started(&self, worker: WorkerId) {
        if let Some(shared) = self.shared() {
            if let Some(w) = shared.inner.lock().workers.get_mut(&worker) {
                w.pending_events += 1;
                w.last_activity = std::time::Instant::now();
            }
        }
    }

    /// The event is no longer active; once none is, the registration may be cleared or its
    /// waiting worker activated (Service Worker Has No Pending Events).
    pub fn event_finished(&self, worker: WorkerId) {
        let Some(shared) = self.shared() else {
            return;
        };
        let idle_registration = {
            let mut inner = shared.inner.lock();
            let Some(w) = inner.workers.get_mut(&worker) else {
                return;
            };
            w.pending_events = w.pending_events.saturating_sub(1);
            w.last_activity = std::time::Instant::now();
            (w.pending_events == 0).then_some(w.registration)
        };
        if let Some(r) = idle_registration {
            spawn_helper(&shared, "events-done", move |shared| {
                try_clear_registration(shared, r);
                try_activate(shared, r);
            });
        }
    }

    /// Fire Functional Event for a background fetch: at the registration's active worker
    /// (as a task on its global, started from its stored script if it does not run);
    /// `done(dispatched)` once the event is no longer active (or its lifetime limit passed),
    /// or with false when the registration has no active worker that can run.
    ///
    /// <https://w3c.github.io/ServiceWorker/#fire-functional-event-algorithm>
    pub fn fire_background_fetch_event(
        &self,
        event: net_traits::DispatchEvent,
        done: Box<dyn FnOnce(bool) + Send>,
    ) {
        let registration = event.registration.id.0;
        let what = format!("the {} event", event.kind.name());
        self.fire_functional_event(
            registration,
            what,
            Box::new(move |ctx, done| {
                crate::dom::backgroundfetch::event::dispatch_functional_event(ctx, event, done)
            }),
            done,
        )
    }

    /// Notifications' "fire a service worker notification event" (`notificationclick`,
    /// `notificationclose`), through Fire Functional Event.
    ///
    /// <https://notifications.spec.whatwg.org/#fire-a-service-worker-notification-event>
    pub fn fire_notification_event(
        &self,
        registration: RegistrationId,
        name: &'static str,
        notification: Arc<crate::notifications::NotificationRecord>,
        action: String,
    ) {
        self.fire_functional_event(
            registration,
            format!("the {name} event"),
            Box::new(move |ctx, done| {
                crate::dom::notificationevent::dispatch_notification_event(
                    ctx,
                    name,
                    &notification,
                    action,
                    done,
                )
            }),
            Box::new(|_| {}),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#fire-functional-event-algorithm>: `dispatch`
    /// creates and dispatches the event on the registration's active worker's global (a
    /// task there, the worker started from its stored script if it does not run) and calls
    /// its `done` once the event is no longer active; `done(false)` when the registration
    /// has no active worker that can run.
    fn fire_functional_event(
        &self,
        registration: RegistrationId,
        what: String,
        dispatch: FunctionalDispatch,
        done: Box<dyn FnOnce(bool) + Send>,
    ) {
        // However the task ends (run, or dropped with a global that went away), `done` is
        // called once.
        let mut done = DoneOnce(Some(done));
        let Some(shared) = self.shared() else {
            return done.call(false);
        };
        // Steps 1-2. The registration's active worker.
        let worker = {
            let inner = shared.inner.lock();
            inner
                .registrations
                .get(&registration)
                .and_then(|r| r.active)
        };
        let Some(worker) = worker else {
            return done.call(false);
        };
        // After the event, a stale registration checks for an update (Soft Update).
        spawn_helper(&shared, "sw-soft-update", move |shared| {
            super::jobs::soft_update_if_stale(shared, registration)
        });
        let done: Box<dyn FnOnce(bool) + Send> = Box::new(move |d| done.call(d));
        let done = super::running::with_lifetime_limit(&shared, what, done);
        // Step 6. A task on its event loop creates and dispatches the event (once it runs).
        let dispatch = move |global: Arc<crate::script_thread::GlobalHandle>| {
            global.queue(move |ctx| dispatch(ctx, done));
        };
        let running = {
            let inner = shared.inner.lock();
            inner.workers.get(&worker).and_then(|w| w.global.clone())
        };
        match running {
            Some(global) => dispatch(global),
            None => {
                let dispatch = parking_lot::Mutex::new(Some(dispatch));
                spawn_helper(&shared, "sw-start", move |shared| {
                    match super::running::ensure_running(shared, worker) {
                        Ok(global) => {
                            if let Some(dispatch) = dispatch.lock().take() {
                                dispatch(global)
                            }
                        }
                        // Dropping the dispatcher reports "not dispatched".
                        Err(e) => {
                            log::warn!(target: "script", "cannot start the service worker: {e}")
                        }
                    }
                });
            }
        }
    }
}

/// Creates and dispatches a functional event on the worker's global, then calls `done`
/// once the event is no longer active.
type FunctionalDispatch =
    Box<dyn for<'js> FnOnce(&rquickjs::Ctx<'js>, Box<dyn FnOnce(bool) + Send>) + Send>;

/// <https://w3c.github.io/ServiceWorker/#service-worker-has-no-pending-events-algorithm>
/// (a service worker the registry no longer knows has none).
pub(super) fn service_worker_has_no_pending_events(inner: &Inner, worker: WorkerId) -> bool {
    inner
        .workers
        .get(&worker)
        .is_none_or(|w| w.pending_events == 0)
}

/// A completion callback that runs exactly once: dropped uncalled, it reports `false`.
struct DoneOnce(Option<Box<dyn FnOnce(bool) + Send>>);

impl DoneOnce {
    fn call(&mut self, value: bool) {
        if let Some(f) = self.0.take() {
            f(value)
        }
    }
}

impl Drop for DoneOnce {
    fn drop(&mut self) {
        self.call(false)
    }
}
