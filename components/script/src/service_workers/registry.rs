//! The registry of a profile: its maps (registrations, service workers, environments, job
//! queues) behind one lock, the helper threads that run "in parallel", the handles the
//! embedder and the globals hold, and the lookups of Appendix A (Get Registration, Set
//! Registration, Get Newest Worker, Match Service Worker Registration).

use super::jobs::Job;
use super::{
    EnvironmentKind, JobError, RegistrationId, RegistrationObserver, RegistrationSnapshot,
    UpdateViaCache, WorkerId, WorkerSnapshot, WorkerState,
};
use crate::script_thread::{GlobalHandle, TaskSender};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use url::Url;

/// <https://w3c.github.io/ServiceWorker/#dfn-service-worker>
pub(super) struct ServiceWorker {
    pub(super) registration: RegistrationId,
    pub(super) script_url: Url,
    /// <https://w3c.github.io/ServiceWorker/#dfn-type>
    pub(super) worker_type: super::ScriptType,
    pub(super) state: WorkerState,
    pub(super) skip_waiting: bool,
    /// Extendable events (messages, functional events) dispatched and still active: the
    /// service worker's set of extended events, as a count.
    pub(super) pending_events: usize,
    /// The script resource's bytes (for the byte-for-byte update check).
    pub(super) script: Vec<u8>,
    /// <https://w3c.github.io/ServiceWorker/#dfn-script-resource-map>: the main script and
    /// the scripts it imported, `(url, bytes, content type)`, the main script first.
    pub(super) script_resource_map: Vec<(Url, Vec<u8>, String)>,
    /// The main script response's Content-Security-Policy header values.
    pub(super) csp: Vec<String>,
    /// <https://w3c.github.io/ServiceWorker/#dfn-set-of-event-types-to-handle>, known once
    /// its script was first evaluated (`None` before: every event is dispatched).
    pub(super) event_types: Option<Vec<String>>,
    /// The running global; `None` while it does not run (not started yet, stopped while
    /// idle, or terminated).
    pub(super) global: Option<Arc<GlobalHandle>>,
    /// When something last happened to it (an event, a message): an idle worker stops.
    pub(super) last_activity: Instant,
}

/// <https://w3c.github.io/ServiceWorker/#dfn-service-worker-registration>
pub(super) struct Registration {
    pub(super) storage_key: String,
    pub(super) scope: Url,
    pub(super) update_via_cache: UpdateViaCache,
    pub(super) installing: Option<WorkerId>,
    pub(super) waiting: Option<WorkerId>,
    pub(super) active: Option<WorkerId>,
    /// <https://w3c.github.io/ServiceWorker/#dfn-last-update-check-time>
    pub(super) last_update_check: Option<std::time::SystemTime>,
}

/// An environment settings object: a service worker client, or a service worker's global.
pub(super) struct Environment {
    pub(super) id: String,
    pub(super) kind: EnvironmentKind,
    /// A worker's: the environment that created it (its script fetch's client).
    pub(super) creator: Option<String>,
    pub(super) url: String,
    pub(super) origin: String,
    pub(super) secure_context: bool,
    pub(super) tasks: TaskSender,
    /// The active service worker (the client is controlled by it).
    pub(super) active_worker: Option<WorkerId>,
    /// A frame's window: its ancestors' origins (empty at top level).
    pub(super) ancestor_origins: Vec<String>,
}

#[derive(Default)]
pub(super) struct Inner {
    /// The registration map, in insertion order: (storage key, serialized scope) -> id.
    pub(super) registration_map: Vec<(String, String, RegistrationId)>,
    /// Every registration still referenced (unregistered ones stay until cleared).
    pub(super) registrations: HashMap<RegistrationId, Registration>,
    pub(super) workers: HashMap<WorkerId, ServiceWorker>,
    /// Environments in creation order.
    pub(super) environments: Vec<Environment>,
    /// The scope to job queue map.
    pub(super) job_queues: HashMap<String, VecDeque<Job>>,
    pub(super) next_id: u64,
    /// The end of the block of ids reserved from the store.
    pub(super) id_block_end: u64,
    pub(super) seq: u64,
    pub(super) shut_down: bool,
}

pub(super) struct Shared {
    pub(super) inner: Mutex<Inner>,
    /// How many threads work for the registry (job queues, activations, client unloads):
    /// shutdown waits for them, as they may hold a service worker's global.
    helpers: Mutex<usize>,
    helpers_done: parking_lot::Condvar,
    /// Told when a registration is cleared (its background fetches go with it).
    pub(super) cleared_observers: Mutex<Vec<RegistrationObserver>>,
    /// The embedder's way to open a window (`clients.openWindow()`).
    pub(super) window_opener: Mutex<Option<super::WindowOpener>>,
    /// Where registrations are kept across restarts (none: they last as long as the
    /// registry).
    pub(super) store: Option<Arc<dyn net_traits::service_workers::RegistrationStore>>,
    pub(super) settings: RegistrySettings,
    /// What a service worker started without a client (restored, started on demand)
    /// inherits: the profile's network, caches, background fetch, console...
    pub(super) worker_defaults: Mutex<Option<crate::workers::Inherited>>,
    /// Held while a worker is started on demand (one start at a time).
    pub(super) starting: Mutex<()>,
    /// Dropped at shutdown: helper threads that wait on [`Shared::stopping`] wake at once.
    stop: Mutex<Option<crossbeam_channel::Sender<()>>>,
    pub(super) stopping: crossbeam_channel::Receiver<()>,
    /// The lifetime limits of the extendable events in flight.
    pub(super) deadlines: super::running::Deadlines,
}

/// How a profile's service workers run.
#[derive(Clone, Debug)]
pub struct RegistrySettings {
    /// A running service worker with nothing to do (no active extendable event, no message
    /// or event for this long) is stopped; it starts again when something is due for it
    /// (default 30 s).
    pub idle_timeout: Duration,
    /// An extendable event (install, activate, a functional event, a message) counts as
    /// done this long after it was dispatched, whatever its `waitUntil` promises do
    /// (default 5 minutes, as browsers).
    pub event_lifetime: Duration,
}

impl Default for RegistrySettings {
    fn default() -> Self {
        RegistrySettings {
            idle_timeout: Duration::from_secs(30),
            event_lifetime: Duration::from_secs(300),
        }
    }
}

/// Counts a helper thread for as long as it runs (also when its closure is dropped unrun).
struct HelperGuard(Arc<Shared>);

impl Drop for HelperGuard {
    fn drop(&mut self) {
        let mut n = self.0.helpers.lock();
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.0.helpers_done.notify_all();
        }
    }
}

/// Runs `f` "in parallel" on a helper thread the registry's shutdown waits for. False if
/// the thread could not be started.
pub(super) fn spawn_helper(
    shared: &Arc<Shared>,
    name: &str,
    f: impl FnOnce(&Arc<Shared>) + Send + 'static,
) -> bool {
    *shared.helpers.lock() += 1;
    let guard = HelperGuard(shared.clone());
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let guard = guard;
            f(&guard.0);
        });
    match spawned {
        Ok(_) => true,
        Err(e) => {
            log::error!(target: "script", "cannot start a service worker {name} thread: {e}");
            false
        }
    }
}

/// How long shutdown waits for helper threads (each polls for shutdown every 100 ms).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(30);

/// The service worker registrations of a profile, owned by the embedder. Dropping it is
/// "Handle User Agent Shutdown": every service worker is terminated.
pub struct ServiceWorkerRegistry {
    shared: Arc<Shared>,
}

impl Default for ServiceWorkerRegistry {
    fn default() -> Self {
        ServiceWorkerRegistry::new()
    }
}

impl std::fmt::Debug for ServiceWorkerRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.shared.inner.lock();
        write!(
            f,
            "ServiceWorkerRegistry({} registrations, {} workers)",
            inner.registration_map.len(),
            inner.workers.len()
        )
    }
}

impl ServiceWorkerRegistry {
    /// A registry whose registrations last as long as it does.
    pub fn new() -> ServiceWorkerRegistry {
        ServiceWorkerRegistry::with_store(None, RegistrySettings::default())
    }

    /// A registry that keeps its registrations in `store` (a profile's): those stored
    /// before come back, under the same ids, their workers not running until something is
    /// due for them (give it [`ServiceWorkerRegistry::set_worker_defaults`] first, so they
    /// can start).
    pub fn with_store(
        store: Option<Arc<dyn net_traits::service_workers::RegistrationStore>>,
        settings: RegistrySettings,
    ) -> ServiceWorkerRegistry {
        let (stop, stopping) = crossbeam_channel::bounded(0);
        let registry = ServiceWorkerRegistry {
            shared: Arc::new(Shared {
                inner: Mutex::new(Inner {
                    next_id: 1,
                    ..Default::default()
                }),
                helpers: Mutex::new(0),
                helpers_done: parking_lot::Condvar::new(),
                cleared_observers: Mutex::new(Vec::new()),
                window_opener: Mutex::new(None),
                store,
                settings,
                worker_defaults: Mutex::new(None),
                starting: Mutex::new(()),
                stop: Mutex::new(Some(stop)),
                stopping,
                deadlines: Default::default(),
            }),
        };
        super::persistence::restore(&registry.shared);
        super::running::stop_idle_workers(&registry.shared);
        super::running::run_deadlines(&registry.shared);
        registry
    }

    /// What a service worker started without a client inherits (the profile's network,
    /// caches, background fetch, console channel, ...): how restored workers run.
    pub fn set_worker_defaults(&self, defaults: crate::workers::Inherited) {
        *self.shared.worker_defaults.lock() = Some(defaults);
    }

    /// The handle globals get (through `GlobalOptions::service_workers`).
    pub fn context(&self) -> ServiceWorkerContext {
        ServiceWorkerContext(Arc::downgrade(&self.shared))
    }

    /// How many service workers are running (for tests and embedders' status displays).
    pub fn running_workers(&self) -> usize {
        self.shared
            .inner
            .lock()
            .workers
            .values()
            .filter(|w| w.global.is_some())
            .count()
    }

    /// The scopes registered for `storage_key` (an origin), in registration order.
    pub fn scopes(&self, storage_key: &str) -> Vec<String> {
        self.shared
            .inner
            .lock()
            .registration_map
            .iter()
            .filter(|(k, _, _)| k == storage_key)
            .map(|(_, s, _)| s.clone())
            .collect()
    }

    /// Fire a background fetch's functional event (see
    /// [`ServiceWorkerContext::fire_background_fetch_event`]): what an embedder does with the
    /// controller's `DispatchEvent`s.
    pub fn fire_background_fetch_event(
        &self,
        event: net_traits::DispatchEvent,
        done: Box<dyn FnOnce(bool) + Send>,
    ) {
        self.context().fire_background_fetch_event(event, done)
    }

    /// <https://w3c.github.io/ServiceWorker/#on-user-agent-shutdown-algorithm>: terminates
    /// every service worker and waits for their threads. Jobs still running give up at their
    /// next step (their promises are rejected); the helper threads are waited for, as the
    /// last of them may hold a service worker's global.
    pub fn shutdown(&self) {
        let globals: Vec<Arc<GlobalHandle>> = {
            let mut inner = self.shared.inner.lock();
            inner.shut_down = true;
            self.shared.stop.lock().take();
            inner
                .workers
                .values_mut()
                .filter_map(|w| w.global.take())
                .collect()
        };
        for g in &globals {
            g.request_shutdown();
        }
        drop(globals);
        let deadline = Instant::now() + SHUTDOWN_WAIT;
        let mut helpers = self.shared.helpers.lock();
        while *helpers > 0 {
            if self
                .shared
                .helpers_done
                .wait_until(&mut helpers, deadline)
                .timed_out()
            {
                log::error!(target: "script", "{} service worker threads did not stop", *helpers);
                break;
            }
        }
    }
}

impl Drop for ServiceWorkerRegistry {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// What a global holds to reach its profile's registry (weak: the embedder owns it).
///
/// Its methods are spread over this module's files, each beside the algorithms it starts.
#[derive(Clone)]
pub struct ServiceWorkerContext(pub(super) Weak<Shared>);

impl std::fmt::Debug for ServiceWorkerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceWorkerContext")
    }
}

/// What a job's promise is rejected with once the registry is gone or shutting down.
pub(super) fn unavailable() -> JobError {
    JobError::InvalidState("the user agent's service workers have shut down".into())
}

impl ServiceWorkerContext {
    /// The registry, unless it is gone or shutting down.
    pub(super) fn shared(&self) -> Option<Arc<Shared>> {
        self.0.upgrade().filter(|s| !s.inner.lock().shut_down)
    }

    /// How long an extendable event may stay active (the registry's lifetime limit).
    pub fn event_lifetime(&self) -> Option<std::time::Duration> {
        self.shared().map(|s| s.settings.event_lifetime)
    }

    /// Calls `observer` with every registration that is cleared from now on (an embedder
    /// removes the registration's background fetches then, as Chromium does when a service
    /// worker registration is deleted).
    pub fn on_registration_cleared(&self, observer: RegistrationObserver) {
        if let Some(shared) = self.0.upgrade() {
            shared.cleared_observers.lock().push(observer);
        }
    }

    /// How `clients.openWindow()` opens a window: the embedder creates a new top-level page
    /// of this profile, loads the URL in it and answers with the page's client id (or why
    /// it could not). Without one, openWindow() rejects with a TypeError.
    pub fn set_window_opener(&self, opener: super::WindowOpener) {
        if let Some(shared) = self.0.upgrade() {
            *shared.window_opener.lock() = Some(opener);
        }
    }

    /// Asks the embedder to open a window on `url` (see [`Self::set_window_opener`]);
    /// `done` gets the new window's client id once it loaded, or why it did not open.
    pub fn open_window(&self, url: Url, done: super::WindowOpened) {
        let opener = self
            .0
            .upgrade()
            .and_then(|s| s.window_opener.lock().clone());
        match opener {
            Some(open) => open(url, done),
            None => done(Err("this user agent cannot open windows".into())),
        }
    }

    /// A registration's state now.
    pub fn registration(&self, id: RegistrationId) -> Option<RegistrationSnapshot> {
        let shared = self.0.upgrade()?;
        let inner = shared.inner.lock();
        snapshot(&inner, id)
    }

    /// A service worker's state now, with the sequence number it reflects (one read).
    pub fn worker(&self, id: WorkerId) -> Option<(WorkerSnapshot, u64)> {
        let shared = self.0.upgrade()?;
        let inner = shared.inner.lock();
        worker_snapshot(&inner, id).map(|w| (w, inner.seq))
    }

    /// <https://w3c.github.io/ServiceWorker/#scope-match-algorithm>
    pub fn match_registration(
        &self,
        storage_key: &str,
        client_url: &str,
    ) -> Option<RegistrationSnapshot> {
        let shared = self.shared()?;
        let inner = shared.inner.lock();
        let id = match_service_worker_registration(&inner, storage_key, client_url)?;
        snapshot(&inner, id)
    }

    /// getRegistrations(): every registration of the storage key, in map order.
    pub fn registrations(&self, storage_key: &str) -> Vec<RegistrationSnapshot> {
        let Some(shared) = self.shared() else {
            return Vec::new();
        };
        let inner = shared.inner.lock();
        inner
            .registration_map
            .iter()
            .filter(|(k, _, _)| k == storage_key)
            .filter_map(|(_, _, id)| snapshot(&inner, *id))
            .collect()
    }
}

pub(super) fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

pub(super) fn worker_snapshot(inner: &Inner, id: WorkerId) -> Option<WorkerSnapshot> {
    inner.workers.get(&id).map(|w| WorkerSnapshot {
        id,
        script_url: w.script_url.to_string(),
        state: w.state,
    })
}

pub(super) fn snapshot(inner: &Inner, id: RegistrationId) -> Option<RegistrationSnapshot> {
    let r = inner.registrations.get(&id)?;
    Some(RegistrationSnapshot {
        id,
        scope: r.scope.to_string(),
        update_via_cache: r.update_via_cache,
        installing: r.installing.and_then(|w| worker_snapshot(inner, w)),
        waiting: r.waiting.and_then(|w| worker_snapshot(inner, w)),
        active: r.active.and_then(|w| worker_snapshot(inner, w)),
        seq: inner.seq,
    })
}

/// <https://w3c.github.io/ServiceWorker/#get-newest-worker-algorithm>
pub(super) fn get_newest_worker(r: &Registration) -> Option<WorkerId> {
    r.installing.or(r.waiting).or(r.active)
}

/// <https://w3c.github.io/ServiceWorker/#get-registration-algorithm>
pub(super) fn get_registration(
    inner: &Inner,
    storage_key: &str,
    scope: &Url,
) -> Option<RegistrationId> {
    let mut scope = scope.clone();
    scope.set_fragment(None);
    let scope = scope.to_string();
    inner
        .registration_map
        .iter()
        .find(|(k, s, _)| k == storage_key && *s == scope)
        .map(|(_, _, id)| *id)
}

/// <https://w3c.github.io/ServiceWorker/#set-registration-algorithm> (atomically: the
/// caller holds the lock).
pub(super) fn set_registration(
    shared: &Shared,
    inner: &mut Inner,
    storage_key: &str,
    scope: &Url,
    update_via_cache: UpdateViaCache,
) -> RegistrationId {
    // Step 2. The scope, serialized without its fragment.
    let mut scope_url = scope.clone();
    scope_url.set_fragment(None);
    // Steps 3-4. A new registration, in the registration map.
    let id = super::persistence::new_id(shared, inner);
    inner
        .registration_map
        .push((storage_key.to_string(), scope_url.to_string(), id));
    inner.registrations.insert(
        id,
        Registration {
            storage_key: storage_key.to_string(),
            scope: scope_url,
            update_via_cache,
            installing: None,
            waiting: None,
            active: None,
            last_update_check: None,
        },
    );
    // Step 5. Return it.
    id
}

/// <https://w3c.github.io/ServiceWorker/#scope-match-algorithm>
pub(super) fn match_service_worker_registration(
    inner: &Inner,
    storage_key: &str,
    client_url: &str,
) -> Option<RegistrationId> {
    // Steps 2-6. The longest scope of the storage key that the client URL starts with;
    // steps 7-9: its registration.
    inner
        .registration_map
        .iter()
        .filter(|(k, s, _)| k == storage_key && client_url.starts_with(s.as_str()))
        .max_by_key(|(_, s, _)| s.len())
        .map(|(_, _, id)| *id)
}

/// Removes the registration map entry of `registration` (it stays known until cleared,
/// and is no longer kept across restarts).
pub(super) fn remove_from_map(shared: &Shared, inner: &mut Inner, registration: RegistrationId) {
    inner
        .registration_map
        .retain(|(_, _, id)| *id != registration);
    super::persistence::forget_registration(shared, registration);
}

/// Forgets redundant service workers that nothing refers to any more (no client's active
/// worker, no registration slot) and whose global is gone.
pub(super) fn prune_workers(inner: &mut Inner) {
    let mut referenced: std::collections::HashSet<WorkerId> = inner
        .environments
        .iter()
        .filter_map(|e| e.active_worker)
        .collect();
    for r in inner.registrations.values() {
        referenced.extend([r.installing, r.waiting, r.active].into_iter().flatten());
    }
    inner.workers.retain(|id, w| {
        w.state != WorkerState::Redundant || w.global.is_some() || referenced.contains(id)
    });
}

/// A client is using a registration when its active service worker belongs to it.
pub(super) fn clients_using(inner: &Inner, registration: RegistrationId) -> bool {
    inner.environments.iter().any(|e| {
        e.active_worker
            .and_then(|w| inner.workers.get(&w))
            .is_some_and(|w| w.registration == registration)
    })
}
