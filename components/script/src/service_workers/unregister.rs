//! Unregister (Appendix A): the unregister job's algorithm, and clearing a registration
//! once it is unregistered and nothing uses it any more (Try Clear Registration, Clear
//! Registration).

use super::functional_events::service_worker_has_no_pending_events;
use super::jobs::{resolve_job_promise, After, Job, JobValue};
use super::lifecycle::{update_registration_state, update_worker_state};
use super::register::terminate_service_worker;
use super::registry::{
    clients_using, get_registration, prune_workers, remove_from_map, Inner, Shared,
};
use super::{RegistrationId, Slot, WorkerState};
use parking_lot::MutexGuard;
use std::sync::Arc;

/// <https://w3c.github.io/ServiceWorker/#unregister-algorithm>
pub(super) fn unregister(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let registration = {
        let mut inner = shared.inner.lock();
        // Step 1. Let registration be Get Registration.
        let Some(id) = get_registration(&inner, &job.storage_key, &job.scope_url) else {
            drop(inner);
            // Step 2. No registration: resolve with false.
            resolve_job_promise(shared, scope, JobValue::Boolean(false));
            return After::Nothing;
        };
        // Step 3. Remove it from the registration map.
        remove_from_map(shared, &mut inner, id);
        id
    };
    // Step 4. Resolve with true.
    resolve_job_promise(shared, scope, JobValue::Boolean(true));
    // Step 5. Try Clear Registration.
    try_clear_registration(shared, registration);
    // Step 6. Finish Job (by returning).
    After::Nothing
}

/// <https://w3c.github.io/ServiceWorker/#try-clear-registration-algorithm>, for a
/// registration no longer in the map (every caller's case; one still in the map is left
/// alone).
pub(super) fn try_clear_registration(shared: &Arc<Shared>, registration: RegistrationId) {
    let inner = shared.inner.lock();
    let in_map = inner
        .registration_map
        .iter()
        .any(|(_, _, id)| *id == registration);
    // Step 1. No service worker client may be using the registration ...
    if in_map || clients_using(&inner, registration) {
        return;
    }
    let Some(reg) = inner.registrations.get(&registration) else {
        return;
    };
    // ... and every worker of the registration must have no pending events.
    let idle = [reg.installing, reg.waiting, reg.active]
        .into_iter()
        .flatten()
        .all(|w| service_worker_has_no_pending_events(&inner, w));
    if !idle {
        return;
    }
    clear_registration(shared, inner, registration);
}

/// <https://w3c.github.io/ServiceWorker/#clear-registration-algorithm>. Step 1: it runs
/// atomically with Try Clear Registration's checks, under the lock that took (`inner`); the
/// workers' globals are terminated once it is released. Then the registration's observers
/// are told (an embedder removes its background fetches).
fn clear_registration(
    shared: &Arc<Shared>,
    mut inner: MutexGuard<'_, Inner>,
    registration: RegistrationId,
) {
    let Some(reg) = inner.registrations.get(&registration) else {
        return;
    };
    // Steps 2-4. The installing, waiting and active worker: terminated, redundant, and out
    // of their slot.
    let workers = [
        (reg.installing, Slot::Installing),
        (reg.waiting, Slot::Waiting),
        (reg.active, Slot::Active),
    ];
    let mut globals = Vec::new();
    for (worker, slot) in workers {
        if let Some(w) = worker {
            globals.push(inner.workers.get_mut(&w).and_then(|w| w.global.take()));
            update_worker_state(&mut inner, w, WorkerState::Redundant);
            update_registration_state(&mut inner, registration, slot, None);
        }
    }
    // The registration is forgotten, with its service workers.
    inner.registrations.remove(&registration);
    inner.workers.retain(|_, w| w.registration != registration);
    prune_workers(&mut inner);
    drop(inner);
    for g in globals {
        terminate_service_worker(g);
    }
    let observers = shared.cleared_observers.lock().clone();
    for observer in observers {
        observer(registration);
    }
}
