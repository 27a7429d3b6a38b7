//! Extendable events at a running service worker (Appendix A): Update Service Worker
//! Extended Events Set, as the DOM side dispatches events and they stop being active;
//! Service Worker Has No Pending Events; and Fire Functional Event for background fetch.

use super::lifecycle::try_activate;
use super::registry::{spawn_helper, Inner, ServiceWorkerContext};
use super::unregister::try_clear_registration;
use super::WorkerId;

impl ServiceWorkerContext {
    /// Update Service Worker Extended Events Set, as the event is dispatched: `worker` has
    /// one more active extendable event.
    ///
    /// <https://w3c.github.io/ServiceWorker/#update-service-worker-extended-events-set-algorithm>
    pub fn event_started(&self, worker: WorkerId) {
        if let Some(shared) = self.shared() {
            if let Some(w) = shared.inner.lock().workers.get_mut(&worker) {
                w.pending_events += 1;
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
    /// (as a task on its global); `done(dispatched)` once the event is no longer active, or
    /// at once with false when the registration has no running active worker.
    ///
    /// <https://w3c.github.io/ServiceWorker/#fire-functional-event-algorithm>
    pub fn fire_background_fetch_event(
        &self,
        event: net_traits::DispatchEvent,
        done: Box<dyn FnOnce(bool) + Send>,
    ) {
        let registration = event.registration.id.0;
        // However the task ends (run, or dropped with a global that went away), `done` is
        // called once.
        let done = DoneOnce(Some(done));
        let mut pending = Some((event, done));
        if let Some(shared) = self.shared() {
            let inner = shared.inner.lock();
            // Steps 1-2. The registration's active worker, if it runs.
            let global = inner
                .registrations
                .get(&registration)
                .and_then(|r| r.active)
                .and_then(|w| inner.workers.get(&w))
                .and_then(|w| w.global.as_ref());
            if let Some(global) = global {
                let (event, mut done) = pending.take().expect("not taken yet");
                // Step 6. A task on its event loop creates and dispatches the event.
                global.queue(move |ctx| {
                    crate::dom::backgroundfetch::event::dispatch_functional_event(
                        ctx,
                        event,
                        Box::new(move |dispatched| done.call(dispatched)),
                    )
                });
            }
        }
        if let Some((_, mut done)) = pending {
            done.call(false);
        }
    }
}

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
