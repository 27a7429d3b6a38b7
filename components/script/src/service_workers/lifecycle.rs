//! A service worker's lifecycle (Appendix A): Install, Try Activate, Activate, and the two
//! algorithms that tell every global about a change, Update Registration State and Update
//! Worker State; also firing `install` / `activate` and waiting until they are no longer
//! active.

use super::clients::notify_controller_change;
use super::functional_events::service_worker_has_no_pending_events;
use super::jobs::{resolve_job_promise, After, Job, JobValue};
use super::register::{terminate_service_worker, wait_for_worker};
use super::registry::{
    clients_using, get_newest_worker, match_service_worker_registration, origin_of, prune_workers,
    remove_from_map, snapshot, worker_snapshot, Inner, Shared,
};
use super::unregister::try_clear_registration;
use super::{EnvironmentKind, RegistrationId, Slot, WorkerId, WorkerState};
use parking_lot::MutexGuard;
use std::sync::Arc;

/// <https://w3c.github.io/ServiceWorker/#installation-algorithm>
pub(super) fn install(
    shared: &Arc<Shared>,
    scope: &str,
    job: &Job,
    worker: WorkerId,
    registration: RegistrationId,
) -> After {
    let newest = {
        let mut inner = shared.inner.lock();
        // Step 2. Let newestWorker be Get Newest Worker.
        let newest = inner
            .registrations
            .get(&registration)
            .and_then(get_newest_worker);
        // Step 3. Set the registration's update via cache mode.
        if let Some(r) = inner.registrations.get_mut(&registration) {
            r.update_via_cache = job.update_via_cache;
        }
        // Steps 4-5. The worker is installing.
        update_registration_state(&mut inner, registration, Slot::Installing, Some(worker));
        update_worker_state(&mut inner, worker, WorkerState::Installing);
        newest
    };
    // Step 7. Resolve Job Promise with the registration.
    resolve_job_promise(shared, scope, JobValue::Registration(registration));
    // Steps 8-9. updatefound at every ServiceWorkerRegistration object of the registration.
    {
        let inner = shared.inner.lock();
        let origin = inner.registrations[&registration].storage_key.clone();
        for env in inner.environments.iter().filter(|e| e.origin == origin) {
            env.tasks.queue(move |ctx| {
                crate::dom::serviceworkerregistration::fire_updatefound(ctx, registration)
            });
        }
    }
    // Steps 10-11. Fire `install` and wait for its extend lifetime promises.
    let install_failed = fire_lifecycle_event(shared, worker, "install");
    let mut inner = shared.inner.lock();
    // Step 12. Install failed: the worker is redundant; a new registration goes away.
    if install_failed {
        update_worker_state(&mut inner, worker, WorkerState::Redundant);
        update_registration_state(&mut inner, registration, Slot::Installing, None);
        if newest.is_none() {
            remove_from_map(shared, &mut inner, registration);
        }
        let global = inner.workers.get_mut(&worker).and_then(|w| w.global.take());
        prune_workers(&mut inner);
        drop(inner);
        terminate_service_worker(global);
        // A registration that never had a worker is gone for good.
        try_clear_registration(shared, registration);
        return After::Nothing;
    }
    // Step 16. A waiting worker is replaced.
    let mut replaced = None;
    if let Some(old) = inner.registrations[&registration].waiting {
        replaced = inner.workers.get_mut(&old).and_then(|w| w.global.take());
        update_worker_state(&mut inner, old, WorkerState::Redundant);
    }
    // Steps 17-19. The installing worker becomes the waiting worker, "installed".
    update_registration_state(&mut inner, registration, Slot::Waiting, Some(worker));
    update_registration_state(&mut inner, registration, Slot::Installing, None);
    update_worker_state(&mut inner, worker, WorkerState::Installed);
    prune_workers(&mut inner);
    // Kept across restarts from now on (before anyone can act on it).
    super::persistence::store_registration(shared, &inner, registration);
    drop(inner);
    terminate_service_worker(replaced);
    // Steps 20-22. Finish Job, then Try Activate.
    After::TryActivate(registration)
}

/// <https://w3c.github.io/ServiceWorker/#try-activate-algorithm>
pub(super) fn try_activate(shared: &Arc<Shared>, registration: RegistrationId) {
    let inner = shared.inner.lock();
    let Some(reg) = inner.registrations.get(&registration) else {
        return;
    };
    // Step 1. No waiting worker: nothing to do.
    let Some(waiting) = reg.waiting else {
        return;
    };
    // Step 2. An active worker still activating delays this.
    let active = reg.active;
    if active
        .and_then(|a| inner.workers.get(&a))
        .is_some_and(|a| a.state == WorkerState::Activating)
    {
        return;
    }
    // Step 3. Activate if there is no active worker, or if the active worker has no
    // pending events and either no client uses the registration or skipWaiting() was
    // called.
    let skip = inner.workers.get(&waiting).is_some_and(|w| w.skip_waiting);
    let active_idle = active.is_none_or(|a| service_worker_has_no_pending_events(&inner, a));
    if active.is_some() && !(active_idle && (!clients_using(&inner, registration) || skip)) {
        return;
    }
    activate(shared, inner, registration);
}

/// <https://w3c.github.io/ServiceWorker/#activation-algorithm>. Steps 1-8 run atomically
/// with Try Activate's checks, under the lock it took (`inner`); the lock is released
/// before the old active worker is terminated and `activate` is fired.
fn activate(shared: &Arc<Shared>, mut inner: MutexGuard<'_, Inner>, registration: RegistrationId) {
    let Some(reg) = inner.registrations.get(&registration) else {
        return;
    };
    // Step 1. If the waiting worker is null, abort.
    let Some(waiting) = reg.waiting else {
        return;
    };
    let old_active = reg.active;
    // Step 2. The old active worker is terminated (once the lock is released) and redundant.
    let mut old_global = None;
    if let Some(old) = old_active {
        old_global = inner.workers.get_mut(&old).and_then(|w| w.global.take());
        update_worker_state(&mut inner, old, WorkerState::Redundant);
    }
    // Steps 3-5. The waiting worker becomes the active worker, "activating".
    update_registration_state(&mut inner, registration, Slot::Active, Some(waiting));
    update_registration_state(&mut inner, registration, Slot::Waiting, None);
    update_worker_state(&mut inner, waiting, WorkerState::Activating);
    super::persistence::store_registration(shared, &inner, registration);
    // Steps 6-7. Clients whose URL matches the registration resolve their ready promise.
    let storage_key = inner.registrations[&registration].storage_key.clone();
    let snapshot_now = snapshot(&inner, registration);
    for env in &inner.environments {
        if env.kind == EnvironmentKind::ServiceWorker || env.origin != storage_key {
            continue;
        }
        if match_service_worker_registration(&inner, &storage_key, &env.url) != Some(registration) {
            continue;
        }
        if let Some(s) = snapshot_now.clone() {
            env.tasks
                .queue(move |ctx| crate::dom::serviceworkercontainer::resolve_ready(ctx, s));
        }
    }
    // Step 8. Clients using the registration now use the new active worker.
    for env in inner.environments.iter_mut() {
        if old_active.is_some() && env.active_worker == old_active {
            env.active_worker = Some(waiting);
            notify_controller_change(env);
        }
    }
    prune_workers(&mut inner);
    drop(inner);
    terminate_service_worker(old_global);
    // Step 9. Let activeWorker be the active worker.
    let worker = waiting;
    // Step 10. Fire `activate` and wait until it is no longer active (its outcome does not
    // matter: an active worker gets activated anyway).
    let _ = fire_lifecycle_event(shared, worker, "activate");
    // Step 11. Update Worker State to "activated" (unless it became redundant meanwhile).
    let mut inner = shared.inner.lock();
    let still_active = inner
        .registrations
        .get(&registration)
        .is_some_and(|r| r.active == Some(worker));
    if still_active {
        update_worker_state(&mut inner, worker, WorkerState::Activated);
    }
    drop(inner);
    // A waiting worker that arrived meanwhile may go next.
    try_activate(shared, registration);
}

/// <https://w3c.github.io/ServiceWorker/#update-state-algorithm>
pub(super) fn update_worker_state(inner: &mut Inner, worker: WorkerId, state: WorkerState) {
    // Step 2. Set worker's state.
    let Some(w) = inner.workers.get_mut(&worker) else {
        return;
    };
    w.state = state;
    let origin = origin_of(&w.script_url);
    inner.seq += 1;
    let seq = inner.seq;
    // Steps 3-4. Every environment of the worker's origin updates its object, if it has one.
    for env in inner.environments.iter().filter(|e| e.origin == origin) {
        env.tasks.queue(move |ctx| {
            crate::dom::serviceworker::apply_worker_state(ctx, worker, state, seq)
        });
    }
}

/// <https://w3c.github.io/ServiceWorker/#update-registration-state-algorithm>
pub(super) fn update_registration_state(
    inner: &mut Inner,
    registration: RegistrationId,
    slot: Slot,
    source: Option<WorkerId>,
) {
    let Some(r) = inner.registrations.get_mut(&registration) else {
        return;
    };
    // Steps 2.1, 3.1 and 4.1. Set the target slot to the source.
    match slot {
        Slot::Installing => r.installing = source,
        Slot::Waiting => r.waiting = source,
        Slot::Active => r.active = source,
    }
    let origin = r.storage_key.clone();
    inner.seq += 1;
    let seq = inner.seq;
    let worker = source.and_then(|w| worker_snapshot(inner, w));
    // Steps 1, 2.2, 3.2 and 4.2. Every environment of the registration's origin updates
    // its registration object, if it has one.
    for env in inner.environments.iter().filter(|e| e.origin == origin) {
        let worker = worker.clone();
        env.tasks.queue(move |ctx| {
            crate::dom::serviceworkerregistration::apply_registration_state(
                ctx,
                registration,
                slot,
                worker,
                seq,
            )
        });
    }
}

/// Fires a lifecycle event at a running service worker and waits until it is no longer
/// active. Returns whether it failed: a lifetime promise rejected, it timed out, or the
/// worker could not run it.
fn fire_lifecycle_event(shared: &Shared, worker: WorkerId, name: &str) -> bool {
    let global = shared
        .inner
        .lock()
        .workers
        .get(&worker)
        .and_then(|w| w.global.clone());
    let Some(global) = global else {
        return true;
    };
    let done = global.fire_extendable_event(name);
    wait_for_worker(shared, &global, &done, name).unwrap_or(true)
}
