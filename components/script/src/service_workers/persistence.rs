//! Registrations that survive a restart: what the registry keeps in the profile's
//! [`RegistrationStore`] and when. A registration in the registration map is stored once it
//! has a worker that finished installing, and again whenever its waiting or active worker,
//! its update via cache mode or its last update check changes; it is forgotten when it
//! leaves the map. Each stored worker carries its script resource map (the main script and
//! the scripts it imported), so it can run again without the network. Ids come from the
//! store in blocks: an id never points at another registration, across restarts too.
//!
//! [`RegistrationStore`]: net_traits::service_workers::RegistrationStore

use super::lifecycle::try_activate;
use super::registry::{spawn_helper, Inner, Registration, ServiceWorker, Shared};
use super::{RegistrationId, UpdateViaCache, WorkerId, WorkerState};
use net_traits::service_workers::{StoredRegistration, StoredScript, StoredWorker};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use url::Url;

/// Ids reserved from the store at a time.
const ID_BLOCK: u64 = 256;

/// A new id for a registration or a service worker.
pub(super) fn new_id(shared: &Shared, inner: &mut Inner) -> u64 {
    if inner.next_id >= inner.id_block_end {
        if let Some(store) = &shared.store {
            match store.reserve_ids(ID_BLOCK) {
                Ok(first) => {
                    inner.next_id = first.max(inner.next_id);
                    inner.id_block_end = inner.next_id + ID_BLOCK;
                }
                Err(e) => {
                    // Without the store ids still never repeat in this process; they only
                    // could after a restart, and nothing is stored meanwhile.
                    log::error!(target: "script", "{e}");
                    inner.id_block_end = u64::MAX;
                }
            }
        } else {
            inner.id_block_end = u64::MAX;
        }
    }
    let id = inner.next_id;
    inner.next_id += 1;
    id
}

fn update_via_cache_str(u: UpdateViaCache) -> &'static str {
    match u {
        UpdateViaCache::Imports => "imports",
        UpdateViaCache::All => "all",
        UpdateViaCache::None => "none",
    }
}

fn parse_update_via_cache(s: &str) -> UpdateViaCache {
    match s {
        "all" => UpdateViaCache::All,
        "none" => UpdateViaCache::None,
        _ => UpdateViaCache::Imports,
    }
}

fn millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn stored_worker(id: WorkerId, w: &ServiceWorker) -> StoredWorker {
    StoredWorker {
        id,
        script_url: w.script_url.to_string(),
        worker_type: w.worker_type.as_str().into(),
        scripts: w
            .script_resource_map
            .iter()
            .map(|(url, body, content_type)| StoredScript {
                url: url.to_string(),
                body: body.clone(),
                content_type: content_type.clone(),
            })
            .collect(),
        csp: w.csp.clone(),
        event_types: w.event_types.clone(),
    }
}

/// Stores `registration` as it is now (its installed or activated workers), if it is in
/// the registration map and has one; durable when this returns. Call it with the lock held,
/// right after the change, before anyone is told.
pub(super) fn store_registration(shared: &Shared, inner: &Inner, registration: RegistrationId) {
    let Some(store) = &shared.store else {
        return;
    };
    let in_map = inner
        .registration_map
        .iter()
        .any(|(_, _, id)| *id == registration);
    let Some(r) = inner.registrations.get(&registration).filter(|_| in_map) else {
        return;
    };
    let worker = |slot: Option<WorkerId>| {
        slot.and_then(|id| inner.workers.get(&id).map(|w| stored_worker(id, w)))
    };
    let (waiting, active) = (worker(r.waiting), worker(r.active));
    if waiting.is_none() && active.is_none() {
        return;
    }
    let stored = StoredRegistration {
        id: registration,
        storage_key: r.storage_key.clone(),
        scope: r.scope.to_string(),
        update_via_cache: update_via_cache_str(r.update_via_cache).into(),
        last_update_check: r.last_update_check.map(millis),
        waiting,
        active,
    };
    if let Err(e) = store.save_registration(&stored) {
        log::error!(target: "script", "cannot store the registration of {}: {e}", r.scope);
    }
}

/// Forgets a registration that left the registration map.
pub(super) fn forget_registration(shared: &Shared, registration: RegistrationId) {
    if let Some(store) = &shared.store {
        if let Err(e) = store.remove_registration(registration) {
            log::error!(target: "script", "cannot forget registration {registration}: {e}");
        }
    }
}

fn restored_worker(
    registration: RegistrationId,
    w: StoredWorker,
    state: WorkerState,
) -> Option<(WorkerId, ServiceWorker)> {
    let script_url = Url::parse(&w.script_url).ok()?;
    let script_resource_map: Vec<(Url, Vec<u8>, String)> = w
        .scripts
        .into_iter()
        .filter_map(|s| Some((Url::parse(&s.url).ok()?, s.body, s.content_type)))
        .collect();
    let script = script_resource_map.first()?.1.clone();
    Some((
        w.id,
        ServiceWorker {
            registration,
            script_url,
            worker_type: super::ScriptType::parse(&w.worker_type),
            state,
            skip_waiting: false,
            pending_events: 0,
            script,
            script_resource_map,
            csp: w.csp,
            event_types: w.event_types,
            global: None,
            last_activity: std::time::Instant::now(),
        },
    ))
}

/// Rebuilds the registration map from the store: each registration with its active worker
/// ("activated") and waiting worker ("installed"), none of them running yet (they start
/// when something is due for them); a waiting worker then tries to activate.
pub(super) fn restore(shared: &Arc<Shared>) {
    let Some(store) = &shared.store else {
        return;
    };
    let stored = match store.load_registrations() {
        Ok(s) => s,
        Err(e) => {
            log::error!(target: "script", "cannot load the service worker registrations: {e}");
            return;
        }
    };
    let mut waiting_ones = Vec::new();
    {
        let mut inner = shared.inner.lock();
        for r in stored {
            let Ok(scope) = Url::parse(&r.scope) else {
                continue;
            };
            let id = r.id;
            let mut registration = Registration {
                storage_key: r.storage_key.clone(),
                scope,
                update_via_cache: parse_update_via_cache(&r.update_via_cache),
                installing: None,
                waiting: None,
                active: None,
                last_update_check: r
                    .last_update_check
                    .map(|ms| UNIX_EPOCH + Duration::from_millis(ms)),
            };
            for (slot, worker, state) in [
                (&mut registration.active, r.active, WorkerState::Activated),
                (&mut registration.waiting, r.waiting, WorkerState::Installed),
            ] {
                if let Some((wid, w)) = worker.and_then(|w| restored_worker(id, w, state)) {
                    *slot = Some(wid);
                    inner.workers.insert(wid, w);
                }
            }
            if registration.waiting.is_some() {
                waiting_ones.push(id);
            }
            log::info!(target: "script", "restored the service worker registration of {}", r.scope);
            inner
                .registration_map
                .push((r.storage_key, registration.scope.to_string(), id));
            inner.registrations.insert(id, registration);
        }
    }
    for id in waiting_ones {
        spawn_helper(shared, "activate", move |shared| try_activate(shared, id));
    }
}
