//! The service worker registrations of one profile (Service Workers, Appendix A): the
//! registration map, the scope to job queue map, the service workers themselves (each a
//! [`GlobalHandle`] on its own thread) and the environments (service worker clients and
//! service worker globals) that hold `ServiceWorkerRegistration` / `ServiceWorker` objects.
//!
//! Jobs run "in parallel" on a thread per job queue; everything they tell a global goes as a
//! task on that global's event loop, in the order the algorithm says it. Each state change
//! carries a sequence number: an object created later from a newer snapshot ignores the
//! updates that were queued before it existed, so every global's view only moves forward.
//! Nothing here holds a JS value; the DOM side is in `dom::serviceworker*` and `dom::client`.
//!
//! Not implemented (yet): Handle Fetch (fetch events; so a client is controlled only after
//! `clients.claim()`), module service workers, the script resource map and byte-checks of
//! imported scripts, Soft Update and idle termination (a service worker runs until it
//! becomes redundant or the registry shuts down), persistence of registrations.

use crate::dom::bindings::structuredclone::Serialized;
use crate::script_thread::{GlobalHandle, TaskSender};
use crate::workers::Inherited;
use crate::GlobalKind;
use net_traits::{CredentialsMode, Destination, FetchRequest, RequestData, RequestMode};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use url::Url;

pub type RegistrationId = u64;
pub type WorkerId = u64;

/// How long an `install` or `activate` event may stay active before the user agent gives up
/// (the ExtendableEvent "timed out flag"; Chromium allows five minutes).
const LIFECYCLE_EVENT_TIMEOUT: Duration = Duration::from_secs(300);

/// <https://w3c.github.io/ServiceWorker/#dfn-state>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Parsed,
    Installing,
    Installed,
    Activating,
    Activated,
    Redundant,
}

/// <https://w3c.github.io/ServiceWorker/#dfn-update-via-cache>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateViaCache {
    Imports,
    All,
    None,
}

/// A service worker as a global sees it when it makes its `ServiceWorker` object.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerSnapshot {
    pub id: WorkerId,
    pub script_url: String,
    pub state: WorkerState,
}

/// A registration as a global sees it when it makes its `ServiceWorkerRegistration` object.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistrationSnapshot {
    pub id: RegistrationId,
    pub scope: String,
    pub update_via_cache: UpdateViaCache,
    pub installing: Option<WorkerSnapshot>,
    pub waiting: Option<WorkerSnapshot>,
    pub active: Option<WorkerSnapshot>,
    /// The registry's sequence number when this was taken.
    pub seq: u64,
}

/// Which worker slot of a registration changed (Update Registration State's target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Installing,
    Waiting,
    Active,
}

/// What kind of global an environment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvironmentKind {
    Window,
    DedicatedWorker,
    SharedWorker,
    /// A service worker's own global: it holds registration and worker objects, but it is
    /// not a service worker client.
    ServiceWorker,
}

impl EnvironmentKind {
    pub fn of(kind: GlobalKind) -> EnvironmentKind {
        match kind {
            GlobalKind::Window => EnvironmentKind::Window,
            GlobalKind::DedicatedWorkerGlobalScope => EnvironmentKind::DedicatedWorker,
            GlobalKind::SharedWorkerGlobalScope => EnvironmentKind::SharedWorker,
            GlobalKind::ServiceWorkerGlobalScope => EnvironmentKind::ServiceWorker,
        }
    }
}

/// A service worker client, as a `Client` object shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientSnapshot {
    pub id: String,
    pub url: String,
    pub kind: EnvironmentKind,
}

/// The exception a job's promise is rejected with.
#[derive(Clone, Debug, PartialEq)]
pub enum JobError {
    Type(String),
    Security(String),
    InvalidState(String),
}

/// What a job's promise settles with.
#[derive(Clone, Debug, PartialEq)]
pub enum JobOutcome {
    Registration(RegistrationSnapshot),
    Boolean(bool),
    /// Resolved with undefined (a lookup that found nothing, skipWaiting(), claim()).
    Undefined,
    Failed(JobError),
}

/// Who sent a message to a service worker (the source of its ExtendableMessageEvent).
#[derive(Clone, Debug, PartialEq)]
pub enum MessageSource {
    Client(ClientSnapshot),
    Worker(WorkerSnapshot),
}

/// Where a global wants a job's promise settled: a promise it keeps by number.
#[derive(Clone, Debug)]
pub struct JobClient {
    pub tasks: TaskSender,
    pub promise: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JobType {
    Register,
    Update,
    Unregister,
}

/// <https://w3c.github.io/ServiceWorker/#dfn-job>
#[derive(Clone)]
struct Job {
    job_type: JobType,
    storage_key: String,
    scope_url: Url,
    script_url: Option<Url>,
    update_via_cache: UpdateViaCache,
    client: Option<JobClient>,
    referrer: Option<Url>,
    /// What a service worker started by this job inherits from the job's client.
    inherited: Option<Inherited>,
    /// The list of equivalent jobs (their clients).
    equivalent: Vec<JobClient>,
    /// The job promise has settled.
    settled: bool,
}

impl Job {
    /// <https://w3c.github.io/ServiceWorker/#dfn-job-equivalent>
    fn is_equivalent(&self, other: &Job) -> bool {
        self.job_type == other.job_type
            && match self.job_type {
                JobType::Register | JobType::Update => {
                    self.scope_url == other.scope_url
                        && self.script_url == other.script_url
                        && self.update_via_cache == other.update_via_cache
                }
                JobType::Unregister => self.scope_url == other.scope_url,
            }
    }
}

struct ServiceWorker {
    registration: RegistrationId,
    script_url: Url,
    state: WorkerState,
    skip_waiting: bool,
    /// Extendable events (messages, functional events) dispatched and still active: the
    /// service worker's set of extended events, as a count.
    pending_events: usize,
    /// The script resource's bytes (for the byte-for-byte update check).
    script: Vec<u8>,
    /// The running global; `None` once terminated.
    global: Option<Arc<GlobalHandle>>,
}

struct Registration {
    storage_key: String,
    scope: Url,
    update_via_cache: UpdateViaCache,
    installing: Option<WorkerId>,
    waiting: Option<WorkerId>,
    active: Option<WorkerId>,
}

struct Environment {
    id: String,
    kind: EnvironmentKind,
    url: String,
    origin: String,
    secure_context: bool,
    tasks: TaskSender,
    /// The active service worker (the client is controlled by it).
    active_worker: Option<WorkerId>,
}

#[derive(Default)]
struct Inner {
    /// The registration map, in insertion order: (storage key, serialized scope) -> id.
    registration_map: Vec<(String, String, RegistrationId)>,
    /// Every registration still referenced (unregistered ones stay until cleared).
    registrations: HashMap<RegistrationId, Registration>,
    workers: HashMap<WorkerId, ServiceWorker>,
    /// Environments in creation order.
    environments: Vec<Environment>,
    /// The scope to job queue map.
    job_queues: HashMap<String, VecDeque<Job>>,
    next_id: u64,
    seq: u64,
    shut_down: bool,
}

struct Shared {
    inner: Mutex<Inner>,
    /// How many threads work for the registry (job queues, activations, client unloads):
    /// shutdown waits for them, as they may hold a service worker's global.
    helpers: Mutex<usize>,
    helpers_done: parking_lot::Condvar,
    /// Told when a registration is cleared (its background fetches go with it).
    cleared_observers: Mutex<Vec<RegistrationObserver>>,
}

/// Called with a registration that was cleared (unregistered, and no client uses it).
pub type RegistrationObserver = Arc<dyn Fn(RegistrationId) + Send + Sync>;

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
fn spawn_helper(
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
    pub fn new() -> ServiceWorkerRegistry {
        ServiceWorkerRegistry {
            shared: Arc::new(Shared {
                inner: Mutex::new(Inner {
                    next_id: 1,
                    ..Default::default()
                }),
                helpers: Mutex::new(0),
                helpers_done: parking_lot::Condvar::new(),
                cleared_observers: Mutex::new(Vec::new()),
            }),
        }
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

    /// Handle User Agent Shutdown: terminates every service worker and waits for their
    /// threads. Jobs still running give up at their next step (their promises are
    /// rejected); the helper threads are waited for, as the last of them may hold a
    /// service worker's global.
    pub fn shutdown(&self) {
        let globals: Vec<Arc<GlobalHandle>> = {
            let mut inner = self.shared.inner.lock();
            inner.shut_down = true;
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
#[derive(Clone)]
pub struct ServiceWorkerContext(Weak<Shared>);

impl std::fmt::Debug for ServiceWorkerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceWorkerContext")
    }
}

/// What a new environment tells the registry.
pub struct EnvironmentInfo {
    pub kind: EnvironmentKind,
    pub url: String,
    pub origin: String,
    pub secure_context: bool,
    pub tasks: TaskSender,
}

/// What `register()` asks for, after its synchronous steps.
pub struct RegisterRequest {
    pub scope_url: Option<Url>,
    pub script_url: Url,
    pub update_via_cache: UpdateViaCache,
    pub client_id: String,
    pub client: JobClient,
    pub storage_key: String,
    pub referrer: Url,
    pub inherited: Inherited,
}

fn unavailable() -> JobError {
    JobError::InvalidState("the user agent's service workers have shut down".into())
}

impl ServiceWorkerContext {
    fn shared(&self) -> Option<Arc<Shared>> {
        self.0.upgrade().filter(|s| !s.inner.lock().shut_down)
    }

    /// Calls `observer` with every registration that is cleared from now on (an embedder
    /// removes the registration's background fetches then, as Chromium does when a service
    /// worker registration is deleted).
    pub fn on_registration_cleared(&self, observer: RegistrationObserver) {
        if let Some(shared) = self.0.upgrade() {
            shared.cleared_observers.lock().push(observer);
        }
    }

    /// A new environment settings object `id` (also its client id), once its global is set
    /// up.
    pub fn add_environment(&self, id: String, info: EnvironmentInfo) {
        if let Some(shared) = self.shared() {
            shared.inner.lock().environments.push(Environment {
                id,
                kind: info.kind,
                url: info.url,
                origin: info.origin,
                secure_context: info.secure_context,
                tasks: info.tasks,
                active_worker: None,
            });
        }
    }

    /// The environment went away (its global shut down): Handle Service Worker Client Unload.
    pub fn remove_environment(&self, id: &str) {
        let Some(shared) = self.shared() else {
            return;
        };
        let registration = {
            let mut inner = shared.inner.lock();
            let Some(i) = inner.environments.iter().position(|e| e.id == id) else {
                return;
            };
            let env = inner.environments.remove(i);
            env.active_worker
                .and_then(|w| inner.workers.get(&w))
                .map(|w| w.registration)
        };
        // Handle Service Worker Client Unload, steps 3-6: the registration this client was
        // using may now be cleared (if unregistered) or its waiting worker activated.
        if let Some(registration) = registration {
            spawn_helper(&shared, "client-unload", move |shared| {
                try_clear_registration(shared, registration);
                try_activate(shared, registration);
            });
        }
    }

    /// <https://w3c.github.io/ServiceWorker/#start-register-algorithm>, from the step after
    /// the URLs were parsed (the caller checked the script URL parsed).
    pub fn start_register(&self, request: RegisterRequest) -> Result<(), JobError> {
        let mut script_url = request.script_url;
        // Step 2. Set scriptURL's fragment to null.
        script_url.set_fragment(None);
        // Step 3. The script URL's scheme must be http or https.
        if !matches!(script_url.scheme(), "http" | "https") {
            return Err(JobError::Type(format!(
                "the script URL '{script_url}' is not http: or https:"
            )));
        }
        // Step 4. No escaped slash or backslash in its path.
        if has_escaped_slash(&script_url) {
            return Err(JobError::Type(format!(
                "the script URL '{script_url}' has an escaped '/' or '\\' in its path"
            )));
        }
        // Steps 5-6. The scope defaults to "./" against the script URL.
        let mut scope_url = match request.scope_url {
            Some(u) => u,
            None => script_url
                .join("./")
                .map_err(|_| JobError::Type("cannot resolve the default scope".into()))?,
        };
        // Step 7. Set scopeURL's fragment to null.
        scope_url.set_fragment(None);
        // Step 8. The scope URL's scheme must be http or https.
        if !matches!(scope_url.scheme(), "http" | "https") {
            return Err(JobError::Type(format!(
                "the scope URL '{scope_url}' is not http: or https:"
            )));
        }
        // Step 9. No escaped slash or backslash in its path.
        if has_escaped_slash(&scope_url) {
            return Err(JobError::Type(format!(
                "the scope URL '{scope_url}' has an escaped '/' or '\\' in its path"
            )));
        }
        // Steps 10-14. Create the job and schedule it.
        let shared = self.shared().ok_or_else(unavailable)?;
        let _ = request.client_id;
        schedule_job(
            &shared,
            Job {
                job_type: JobType::Register,
                storage_key: request.storage_key,
                scope_url,
                script_url: Some(script_url),
                update_via_cache: request.update_via_cache,
                client: Some(request.client),
                referrer: Some(request.referrer),
                inherited: Some(request.inherited),
                equivalent: Vec::new(),
                settled: false,
            },
        );
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#service-worker-registration-update>, steps 2-9
    /// (`calling_worker`: the service worker whose global calls it, if any).
    pub fn update(
        &self,
        registration: RegistrationId,
        calling_worker: Option<WorkerId>,
        client: JobClient,
        inherited: Inherited,
    ) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        let job = {
            let inner = shared.inner.lock();
            let reg = inner
                .registrations
                .get(&registration)
                .ok_or_else(|| JobError::InvalidState("the registration is gone".into()))?;
            // Steps 2-3. Let newestWorker be Get Newest Worker; if null, InvalidStateError.
            let newest = newest_worker(reg).ok_or_else(|| {
                JobError::InvalidState("the registration has no service worker".into())
            })?;
            // Step 4. A service worker may not update its registration while installing.
            if let Some(w) = calling_worker.and_then(|w| inner.workers.get(&w)) {
                if w.state == WorkerState::Installing {
                    return Err(JobError::InvalidState(
                        "update() while the service worker is installing".into(),
                    ));
                }
            }
            // Steps 5-7. Create an update job with the newest worker's script URL.
            Job {
                job_type: JobType::Update,
                storage_key: reg.storage_key.clone(),
                scope_url: reg.scope.clone(),
                script_url: inner.workers.get(&newest).map(|w| w.script_url.clone()),
                update_via_cache: reg.update_via_cache,
                client: Some(client),
                referrer: None,
                inherited: Some(inherited),
                equivalent: Vec::new(),
                settled: false,
            }
        };
        // Step 8. Schedule Job.
        schedule_job(&shared, job);
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-unregister>: an
    /// unregister job for the registration's storage key and scope (a registration that is
    /// already gone resolves with false).
    pub fn unregister(
        &self,
        storage_key: &str,
        scope_url: Url,
        client: JobClient,
    ) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        // Steps 2-4. Create an unregister job and schedule it.
        schedule_job(
            &shared,
            Job {
                job_type: JobType::Unregister,
                storage_key: storage_key.to_string(),
                scope_url,
                script_url: None,
                update_via_cache: UpdateViaCache::Imports,
                client: Some(client),
                referrer: None,
                inherited: None,
                equivalent: Vec::new(),
                settled: false,
            },
        );
        Ok(())
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
        let id = match_registration(&inner, storage_key, client_url)?;
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

    /// A client's active service worker (`controller`), with the sequence number it
    /// reflects.
    pub fn active_worker_of(&self, client_id: &str) -> Option<(WorkerSnapshot, u64)> {
        let shared = self.0.upgrade()?;
        let inner = shared.inner.lock();
        let env = inner.environments.iter().find(|e| e.id == client_id)?;
        worker_snapshot(&inner, env.active_worker?).map(|w| (w, inner.seq))
    }

    /// The clients a service worker's `clients.get()`/`matchAll()` can see: same storage key
    /// as its registration, not service workers; with `id`, only that one. Windows first,
    /// then workers, each in creation order (no window has ever been focused here).
    pub fn clients(
        &self,
        worker: WorkerId,
        id: Option<&str>,
        include_uncontrolled: bool,
    ) -> Vec<ClientSnapshot> {
        let Some(shared) = self.shared() else {
            return Vec::new();
        };
        let inner = shared.inner.lock();
        let Some(storage_key) = inner
            .workers
            .get(&worker)
            .and_then(|w| inner.registrations.get(&w.registration))
            .map(|r| r.storage_key.clone())
        else {
            return Vec::new();
        };
        let mut windows = Vec::new();
        let mut others = Vec::new();
        for env in &inner.environments {
            if env.kind == EnvironmentKind::ServiceWorker || env.origin != storage_key {
                continue;
            }
            if id.is_some_and(|id| id != env.id) {
                continue;
            }
            // matchAll: secure contexts only; controlled by this worker unless
            // includeUncontrolled.
            if id.is_none()
                && (!env.secure_context
                    || (!include_uncontrolled && env.active_worker != Some(worker)))
            {
                continue;
            }
            let c = ClientSnapshot {
                id: env.id.clone(),
                url: env.url.clone(),
                kind: env.kind,
            };
            if env.kind == EnvironmentKind::Window {
                windows.push(c)
            } else {
                others.push(c)
            }
        }
        windows.extend(others);
        windows
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-clients-claim>, steps 1 and 3.1 (the caller
    /// resolves the promise in a task afterwards).
    pub fn claim(&self, worker: WorkerId) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        let mut previous = Vec::new();
        {
            let mut inner = shared.inner.lock();
            let inner = &mut *inner;
            let Some(registration) = inner.workers.get(&worker).map(|w| w.registration) else {
                return Err(JobError::InvalidState("the service worker is gone".into()));
            };
            // Step 1. If the service worker is not an active worker, InvalidStateError.
            let is_active = inner
                .registrations
                .get(&registration)
                .is_some_and(|r| r.active == Some(worker));
            if !is_active {
                return Err(JobError::InvalidState(
                    "claim() from a service worker that is not active".into(),
                ));
            }
            let storage_key = inner.registrations[&registration].storage_key.clone();
            // Step 3.1. For each client of the same storage key ...
            let matches: Vec<(usize, Option<RegistrationId>)> = inner
                .environments
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.kind != EnvironmentKind::ServiceWorker
                        && e.origin == storage_key
                        && e.secure_context
                })
                .map(|(i, e)| (i, match_registration(inner, &storage_key, &e.url)))
                .collect();
            for (i, matched) in matches {
                // ... whose matching registration is this one ...
                if matched != Some(registration) {
                    continue;
                }
                let env = &mut inner.environments[i];
                // ... and that another worker (or none) controls: take it over.
                if env.active_worker != Some(worker) {
                    if let Some(old) = env.active_worker {
                        previous.push(old);
                    }
                    env.active_worker = Some(worker);
                    // Notify Controller Change.
                    if env.kind == EnvironmentKind::Window || env.kind.is_worker_client() {
                        env.tasks
                            .queue(crate::dom::serviceworkercontainer::controller_change);
                    }
                }
            }
        }
        // Handle Service Worker Client Unload for the registrations the clients left.
        let registrations: Vec<RegistrationId> = {
            let inner = shared.inner.lock();
            previous
                .iter()
                .filter_map(|w| inner.workers.get(w).map(|w| w.registration))
                .collect()
        };
        if !registrations.is_empty() {
            spawn_helper(&shared, "client-unload", move |shared| {
                for r in registrations {
                    try_clear_registration(shared, r);
                    try_activate(shared, r);
                }
            });
        }
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerglobalscope-skipwaiting>, the
    /// in-parallel steps 2.1-2.2; `done` runs afterwards (it queues the resolving task).
    pub fn skip_waiting(&self, worker: WorkerId, done: impl FnOnce() + Send + 'static) {
        let Some(shared) = self.shared() else {
            done();
            return;
        };
        let done = std::sync::Arc::new(Mutex::new(Some(done)));
        let run_done = done.clone();
        let spawned = spawn_helper(&shared, "skip-waiting", move |shared| {
            let registration = {
                let mut inner = shared.inner.lock();
                inner.workers.get_mut(&worker).map(|w| {
                    w.skip_waiting = true;
                    w.registration
                })
            };
            if let Some(r) = registration {
                try_activate(shared, r);
            }
            if let Some(done) = run_done.lock().take() {
                done();
            }
        });
        if !spawned {
            if let Some(done) = done.lock().take() {
                done();
            }
        }
    }

    /// Update Service Worker Extended Events Set, as the event is dispatched: `worker` has
    /// one more active extendable event.
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
            let global = inner
                .registrations
                .get(&registration)
                .and_then(|r| r.active)
                .and_then(|w| inner.workers.get(&w))
                .and_then(|w| w.global.as_ref());
            if let Some(global) = global {
                let (event, mut done) = pending.take().expect("not taken yet");
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

    /// ServiceWorker.postMessage's in-parallel steps: queue the message on the service
    /// worker's event loop (dropped if it is no longer running).
    pub fn post_to_worker(
        &self,
        worker: WorkerId,
        message: Serialized,
        source: MessageSource,
        origin: String,
    ) {
        // The task is queued under the lock: the global's handle never leaves the registry
        // here, so a worker posting to itself can never end up joining its own thread.
        let mut message = Some(message);
        if let Some(shared) = self.shared() {
            let inner = shared.inner.lock();
            if let Some(global) = inner.workers.get(&worker).and_then(|w| w.global.as_ref()) {
                let message = message.take().expect("not taken yet");
                global.queue(move |ctx| {
                    crate::dom::serviceworkerglobalscope::deliver_message(
                        ctx, message, source, origin,
                    )
                });
            }
        }
        if let Some(message) = message {
            crate::message_router::dispose(message);
        }
    }

    /// Client.postMessage's in-parallel steps: add the message to the target client's
    /// client message queue (dropped if the client is gone).
    pub fn post_to_client(
        &self,
        client_id: &str,
        message: Serialized,
        from: WorkerId,
        origin: String,
    ) {
        let target = self.shared().and_then(|s| {
            let inner = s.inner.lock();
            inner
                .environments
                .iter()
                .find(|e| e.id == client_id && e.kind != EnvironmentKind::ServiceWorker)
                .map(|e| e.tasks.clone())
        });
        let Some(tasks) = target else {
            crate::message_router::dispose(message);
            return;
        };
        let source = self.worker(from).map(|(w, _)| w);
        tasks.queue(move |ctx| {
            crate::dom::serviceworkercontainer::receive_client_message(ctx, message, source, origin)
        });
    }
}

impl EnvironmentKind {
    fn is_worker_client(self) -> bool {
        matches!(
            self,
            EnvironmentKind::DedicatedWorker | EnvironmentKind::SharedWorker
        )
    }
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

fn has_escaped_slash(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.contains("%2f") || path.contains("%5c")
}

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn worker_snapshot(inner: &Inner, id: WorkerId) -> Option<WorkerSnapshot> {
    inner.workers.get(&id).map(|w| WorkerSnapshot {
        id,
        script_url: w.script_url.to_string(),
        state: w.state,
    })
}

fn snapshot(inner: &Inner, id: RegistrationId) -> Option<RegistrationSnapshot> {
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
fn newest_worker(r: &Registration) -> Option<WorkerId> {
    r.installing.or(r.waiting).or(r.active)
}

/// <https://w3c.github.io/ServiceWorker/#get-registration-algorithm>
fn get_registration(inner: &Inner, storage_key: &str, scope: &Url) -> Option<RegistrationId> {
    let mut scope = scope.clone();
    scope.set_fragment(None);
    let scope = scope.to_string();
    inner
        .registration_map
        .iter()
        .find(|(k, s, _)| k == storage_key && *s == scope)
        .map(|(_, _, id)| *id)
}

/// <https://w3c.github.io/ServiceWorker/#scope-match-algorithm>
fn match_registration(
    inner: &Inner,
    storage_key: &str,
    client_url: &str,
) -> Option<RegistrationId> {
    // Steps 2-5. The longest scope of the storage key that the client URL starts with.
    inner
        .registration_map
        .iter()
        .filter(|(k, s, _)| k == storage_key && client_url.starts_with(s.as_str()))
        .max_by_key(|(_, s, _)| s.len())
        .map(|(_, _, id)| *id)
}

/// <https://w3c.github.io/ServiceWorker/#schedule-job-algorithm>
fn schedule_job(shared: &Arc<Shared>, job: Job) {
    let mut inner = shared.inner.lock();
    // Steps 2-4. The job queue of the job's scope.
    let job_scope = job.scope_url.to_string();
    let queue = inner.job_queues.entry(job_scope.clone()).or_default();
    // Step 5. An empty queue: enqueue the job and Run Job.
    if queue.is_empty() {
        queue.push_back(job);
        drop(inner);
        let scope = job_scope.clone();
        if !spawn_helper(shared, "jobs", move |shared| run_job_queue(shared, scope)) {
            // No thread to run the queue: its job fails rather than waiting forever.
            reject(shared, &job_scope, unavailable());
            shared.inner.lock().job_queues.remove(&job_scope);
        }
        return;
    }
    // Step 6. An equivalent job whose promise has not settled takes this one's client.
    let last = queue.back_mut().expect("not empty");
    if job.is_equivalent(last) && !last.settled {
        if let Some(client) = job.client {
            last.equivalent.push(client);
        }
    } else {
        queue.push_back(job);
    }
}

/// What a job's algorithm leaves to do after Finish Job.
enum After {
    Nothing,
    TryActivate(RegistrationId),
}

/// <https://w3c.github.io/ServiceWorker/#run-job-algorithm>, then Finish Job for each job
/// until the queue is empty.
fn run_job_queue(shared: &Arc<Shared>, scope: String) {
    loop {
        let job = {
            let mut inner = shared.inner.lock();
            match inner.job_queues.get(&scope).and_then(|q| q.front()) {
                Some(job) if !inner.shut_down => job.clone(),
                // Shutting down: the queue's jobs are rejected.
                _ => {
                    let jobs = inner.job_queues.remove(&scope).unwrap_or_default();
                    for job in jobs.iter().filter(|j| !j.settled) {
                        for client in job.client.iter().chain(job.equivalent.iter()) {
                            let promise = client.promise;
                            client.tasks.queue(move |ctx| {
                                crate::dom::serviceworkercontainer::settle_job_promise(
                                    ctx,
                                    promise,
                                    JobOutcome::Failed(unavailable()),
                                )
                            });
                        }
                    }
                    return;
                }
            }
        };
        let after = match job.job_type {
            JobType::Register => register(shared, &scope, &job),
            JobType::Update => update(shared, &scope, &job),
            JobType::Unregister => unregister(shared, &scope, &job),
        };
        // Finish Job: dequeue; an empty queue is forgotten and this thread ends, in one step
        // (a job scheduled after that starts a new queue and its own thread).
        let more = {
            let mut inner = shared.inner.lock();
            match inner.job_queues.get_mut(&scope) {
                Some(queue) => {
                    queue.pop_front();
                    if queue.is_empty() {
                        inner.job_queues.remove(&scope);
                        false
                    } else {
                        true
                    }
                }
                None => false,
            }
        };
        if let After::TryActivate(r) = after {
            spawn_helper(shared, "activate", move |shared| try_activate(shared, r));
        }
        if !more {
            return;
        }
    }
}

/// Resolve Job Promise / Reject Job Promise for the job at the front of `scope`'s queue and
/// its equivalent jobs. `outcome` is computed under the lock (a registration snapshot).
fn settle_job(shared: &Shared, scope: &str, outcome: impl Fn(&Inner) -> JobOutcome) {
    let mut inner = shared.inner.lock();
    let value = outcome(&inner);
    let Some(job) = inner.job_queues.get_mut(scope).and_then(|q| q.front_mut()) else {
        return;
    };
    // A job promise settles once (a SecurityError rejection is not followed by a TypeError).
    if job.settled {
        return;
    }
    job.settled = true;
    for client in job.client.iter().chain(job.equivalent.iter()) {
        let value = value.clone();
        let promise = client.promise;
        client.tasks.queue(move |ctx| {
            crate::dom::serviceworkercontainer::settle_job_promise(ctx, promise, value)
        });
    }
}

fn reject(shared: &Shared, scope: &str, error: JobError) {
    settle_job(shared, scope, |_| JobOutcome::Failed(error.clone()));
}

fn resolve_with_registration(shared: &Shared, scope: &str, registration: RegistrationId) {
    settle_job(shared, scope, |inner| match snapshot(inner, registration) {
        Some(s) => JobOutcome::Registration(s),
        None => JobOutcome::Failed(JobError::InvalidState("the registration is gone".into())),
    });
}

/// <https://w3c.github.io/ServiceWorker/#register-algorithm>
fn register(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let Some(script_url) = &job.script_url else {
        reject(shared, scope, JobError::Type("no script URL".into()));
        return After::Nothing;
    };
    // Step 1. The script URL's origin must be potentially trustworthy.
    if !net_traits::security::is_potentially_trustworthy(script_url) {
        reject(
            shared,
            scope,
            JobError::Security(format!(
                "'{script_url}' is not a potentially trustworthy URL"
            )),
        );
        return After::Nothing;
    }
    let referrer_origin = job.referrer.as_ref().map(origin_of);
    // Step 2. The script URL must be same origin with the referrer.
    if referrer_origin.as_deref() != Some(origin_of(script_url).as_str()) {
        reject(
            shared,
            scope,
            JobError::Security(format!(
                "the script URL '{script_url}' is not same origin with the page"
            )),
        );
        return After::Nothing;
    }
    // Step 3. The scope URL must be same origin with the referrer.
    if referrer_origin.as_deref() != Some(origin_of(&job.scope_url).as_str()) {
        reject(
            shared,
            scope,
            JobError::Security(format!(
                "the scope '{}' is not same origin with the page",
                job.scope_url
            )),
        );
        return After::Nothing;
    }
    {
        let mut inner = shared.inner.lock();
        // Step 4. Let registration be Get Registration.
        match get_registration(&inner, &job.storage_key, &job.scope_url) {
            // Step 5. A registration whose newest worker has the same script URL and update
            // via cache mode: resolve with it.
            Some(id) => {
                let reg = &inner.registrations[&id];
                let same = newest_worker(reg)
                    .and_then(|w| inner.workers.get(&w))
                    .is_some_and(|w| {
                        w.script_url == *script_url && reg.update_via_cache == job.update_via_cache
                    });
                if same {
                    drop(inner);
                    resolve_with_registration(shared, scope, id);
                    return After::Nothing;
                }
            }
            // Step 6. Else, Set Registration.
            None => {
                let id = inner.next_id;
                inner.next_id += 1;
                let mut scope_url = job.scope_url.clone();
                scope_url.set_fragment(None);
                inner
                    .registration_map
                    .push((job.storage_key.clone(), scope_url.to_string(), id));
                inner.registrations.insert(
                    id,
                    Registration {
                        storage_key: job.storage_key.clone(),
                        scope: scope_url,
                        update_via_cache: job.update_via_cache,
                        installing: None,
                        waiting: None,
                        active: None,
                    },
                );
            }
        }
    }
    // Step 7. Invoke Update.
    update(shared, scope, job)
}

/// Removes the registration map entry of `registration` (it stays known until cleared).
fn remove_from_map(inner: &mut Inner, registration: RegistrationId) {
    inner
        .registration_map
        .retain(|(_, _, id)| *id != registration);
}

/// The fetched script of an update.
struct FetchedScript {
    body: Vec<u8>,
    csp: Vec<String>,
}

/// <https://w3c.github.io/ServiceWorker/#update-algorithm>
fn update(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let Some(script_url) = job.script_url.clone() else {
        reject(shared, scope, JobError::Type("no script URL".into()));
        return After::Nothing;
    };
    // Steps 1-2. Let registration be Get Registration; null rejects with a TypeError.
    let (registration, newest, newest_script, reg_scope) = {
        let inner = shared.inner.lock();
        let Some(id) = get_registration(&inner, &job.storage_key, &job.scope_url) else {
            drop(inner);
            reject(
                shared,
                scope,
                JobError::Type("the registration was unregistered".into()),
            );
            return After::Nothing;
        };
        let reg = &inner.registrations[&id];
        // Step 3. Let newestWorker be Get Newest Worker.
        let newest = newest_worker(reg);
        let newest_script = newest
            .and_then(|w| inner.workers.get(&w))
            .map(|w| (w.script_url.clone(), w.script.clone()));
        (id, newest, newest_script, reg.scope.clone())
    };
    // Step 4. An update job must be for the newest worker's script URL.
    if job.job_type == JobType::Update {
        if let Some((newest_url, _)) = &newest_script {
            if *newest_url != script_url {
                reject(
                    shared,
                    scope,
                    JobError::Type("the script URL changed since the update was asked".into()),
                );
                return After::Nothing;
            }
        }
    }
    // Steps 5-8. Fetch a classic worker script with the perform the fetch hook.
    let fetched = fetch_service_worker_script(shared, job, &script_url, &reg_scope);
    // Step 9. No script: reject (with the hook's SecurityError, or a TypeError); a
    // registration that never had a worker is removed (first, so a page that sees the
    // rejection no longer finds it).
    let script = match fetched {
        Ok(script) => script,
        Err(error) => {
            if newest.is_none() {
                remove_from_map(&mut shared.inner.lock(), registration);
            }
            reject(shared, scope, error);
            try_clear_registration(shared, registration);
            return After::Nothing;
        }
    };
    // Step 10. The same bytes at the same URL: nothing to update.
    let has_updated_resources = match &newest_script {
        None => true,
        Some((url, bytes)) => *url != script_url || *bytes != script.body,
    };
    if !has_updated_resources {
        let mut inner = shared.inner.lock();
        if let Some(r) = inner.registrations.get_mut(&registration) {
            r.update_via_cache = job.update_via_cache;
        }
        drop(inner);
        resolve_with_registration(shared, scope, registration);
        return After::Nothing;
    }
    // Steps 11-15. A new service worker runs the script.
    let worker = {
        let mut inner = shared.inner.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.workers.insert(
            id,
            ServiceWorker {
                registration,
                script_url: script_url.clone(),
                state: WorkerState::Parsed,
                skip_waiting: false,
                pending_events: 0,
                script: script.body.clone(),
                global: None,
            },
        );
        id
    };
    // Step 16. Run Service Worker; failure or an abrupt completion rejects with a TypeError.
    if let Err(e) = run_service_worker(shared, job, worker, registration, &script) {
        log::warn!(target: "script", "service worker {script_url} did not start: {e}");
        // (The registration goes first, so a page that sees the rejection no longer finds it.)
        let global = {
            let mut inner = shared.inner.lock();
            if newest.is_none() {
                remove_from_map(&mut inner, registration);
            }
            inner.workers.remove(&worker).and_then(|w| w.global)
        };
        reject(
            shared,
            scope,
            JobError::Type(format!(
                "the service worker script '{script_url}' failed: {e}"
            )),
        );
        terminate(global);
        try_clear_registration(shared, registration);
        return After::Nothing;
    }
    // Step 17. Install.
    install(shared, scope, job, worker, registration)
}

/// Update's fetch of the main script ("fetch a classic worker script" with Service Workers'
/// perform the fetch hook). The error is what the job promise is rejected with: a
/// SecurityError when the MIME type or the scope is not allowed, else a TypeError.
fn fetch_service_worker_script(
    shared: &Shared,
    job: &Job,
    script_url: &Url,
    scope_url: &Url,
) -> Result<FetchedScript, JobError> {
    let failed = |why: String| {
        log::warn!(target: "script", "service worker script {script_url}: {why}");
        JobError::Type(format!(
            "the service worker script '{script_url}' failed to load ({why})"
        ))
    };
    let fetcher = job
        .inherited
        .as_ref()
        .and_then(|i| i.fetcher.clone())
        .ok_or_else(|| failed("this client has no network access".into()))?;
    let mut request = RequestData::get(script_url.as_str());
    // Hook step 1. Append `Service-Worker: script`.
    request.headers.push((
        net_traits::ByteString(b"Service-Worker".to_vec()),
        net_traits::ByteString(b"script".to_vec()),
    ));
    // Hook step 2. No HTTP cache is used by this engine, so "no-cache" changes nothing.
    request.cache = net_traits::CacheMode::NoCache;
    request.mode = RequestMode::SameOrigin;
    request.credentials = CredentialsMode::SameOrigin;
    request.destination = Destination::ServiceWorker;
    // Hook step 5. The top-level script may not redirect.
    request.redirect = net_traits::RedirectMode::Error;
    let (meta, body) = crate::dom::workerglobalscope::fetch_whole(
        &fetcher,
        FetchRequest {
            request,
            origin: job.storage_key.clone(),
            secure_context: true,
            unsafe_response: true,
            cancel: Default::default(),
        },
        || shared.inner.lock().shut_down,
    )
    .map_err(failed)?;
    // HTML "fetch a classic worker script": a status that is not ok is a network error.
    if !meta.ok() {
        return Err(failed(format!("status {}", meta.status)));
    }
    let header = |name: &str| {
        meta.headers
            .iter()
            .find(|(n, _)| n.0.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| String::from_utf8_lossy(&v.0).into_owned())
    };
    // Hook step 7. The MIME type must be a JavaScript MIME type, else SecurityError.
    let content_type = header("content-type").unwrap_or_default();
    if !crate::dom::workerglobalscope::is_javascript_mime_type(&content_type) {
        return Err(JobError::Security(format!(
            "the service worker script's MIME type '{content_type}' is not a JavaScript MIME type"
        )));
    }
    // Hook steps 8-14. Service-Worker-Allowed sets the maximum scope (default: the
    // script's directory); the scope must be under it.
    let max_scope = match header("service-worker-allowed") {
        None => script_url.join("./").ok().map(|u| u.path().to_string()),
        Some(allowed) => match script_url.join(&allowed) {
            Err(_) => {
                return Err(failed(format!(
                    "Service-Worker-Allowed '{allowed}' is not a URL"
                )))
            }
            Ok(u) if origin_of(&u) == origin_of(script_url) => Some(u.path().to_string()),
            Ok(_) => None,
        },
    };
    let scope_path = scope_url.path();
    if !max_scope.is_some_and(|m| scope_path.starts_with(&m)) {
        return Err(JobError::Security(format!(
                "the scope '{scope_url}' is not under the script's allowed scope (use Service-Worker-Allowed)"
            )));
    }
    let csp = meta
        .headers
        .iter()
        .filter(|(n, _)| n.0.eq_ignore_ascii_case(b"content-security-policy"))
        .map(|(_, v)| String::from_utf8_lossy(&v.0).into_owned())
        .collect();
    Ok(FetchedScript { body, csp })
}

/// <https://w3c.github.io/ServiceWorker/#run-service-worker-algorithm>: start the
/// service worker's global and run its script. Errors describe why it did not run.
fn run_service_worker(
    shared: &Shared,
    job: &Job,
    worker: WorkerId,
    registration: RegistrationId,
    script: &FetchedScript,
) -> Result<(), String> {
    let inherited = job
        .inherited
        .as_ref()
        .ok_or_else(|| "no client to inherit settings from".to_string())?;
    let script_url = job.script_url.as_ref().expect("checked by update");
    let origin = origin_of(script_url);
    let mut options = inherited.worker_options(
        GlobalKind::ServiceWorkerGlobalScope,
        script_url.as_str(),
        &origin,
        "",
        None,
    );
    options.content_security_policy = script.csp.clone();
    options.service_worker = Some((registration, worker));
    let handle = Arc::new(GlobalHandle::spawn(options)?);
    {
        let mut inner = shared.inner.lock();
        if inner.shut_down {
            drop(inner);
            terminate(Some(handle));
            return Err("the user agent is shutting down".into());
        }
        match inner.workers.get_mut(&worker) {
            Some(w) => w.global = Some(handle.clone()),
            None => return Err("the service worker was removed".into()),
        }
    }
    let (source, _) = encoding_rs::UTF_8.decode_with_bom_removal(&script.body);
    let ran = handle.start_script(&source, script_url.as_str());
    match wait_for_worker(shared, &handle, &ran, "script") {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("the script did not finish running".into()),
    }
}

/// <https://w3c.github.io/ServiceWorker/#terminate-service-worker-algorithm>
fn terminate(global: Option<Arc<GlobalHandle>>) {
    if let Some(g) = global {
        g.request_shutdown();
    }
}

/// <https://w3c.github.io/ServiceWorker/#update-state-algorithm>
fn update_worker_state(inner: &mut Inner, worker: WorkerId, state: WorkerState) {
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
fn update_registration_state(
    inner: &mut Inner,
    registration: RegistrationId,
    slot: Slot,
    source: Option<WorkerId>,
) {
    let Some(r) = inner.registrations.get_mut(&registration) else {
        return;
    };
    match slot {
        Slot::Installing => r.installing = source,
        Slot::Waiting => r.waiting = source,
        Slot::Active => r.active = source,
    }
    let origin = r.storage_key.clone();
    inner.seq += 1;
    let seq = inner.seq;
    let worker = source.and_then(|w| worker_snapshot(inner, w));
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

/// Waits for a service worker's answer on `rx`, giving up (and interrupting the script it
/// runs) after [`LIFECYCLE_EVENT_TIMEOUT`] or when the registry shuts down. `None`: no
/// answer.
fn wait_for_worker<T>(
    shared: &Shared,
    global: &GlobalHandle,
    rx: &crossbeam_channel::Receiver<T>,
    what: &str,
) -> Option<T> {
    let deadline = Instant::now() + LIFECYCLE_EVENT_TIMEOUT;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(v) => return Some(v),
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return None,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if shared.inner.lock().shut_down {
                    return None;
                }
                if Instant::now() > deadline {
                    log::warn!(target: "script", "the service worker's {what} timed out");
                    global.interrupt();
                    return None;
                }
            }
        }
    }
}

/// <https://w3c.github.io/ServiceWorker/#installation-algorithm>
fn install(
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
            .and_then(newest_worker);
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
    resolve_with_registration(shared, scope, registration);
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
            remove_from_map(&mut inner, registration);
        }
        let global = inner.workers.get_mut(&worker).and_then(|w| w.global.take());
        prune_workers(&mut inner);
        drop(inner);
        terminate(global);
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
    drop(inner);
    terminate(replaced);
    // Steps 20-22. Finish Job, then Try Activate.
    After::TryActivate(registration)
}

/// Forgets redundant service workers that nothing refers to any more (no client's active
/// worker, no registration slot) and whose global is gone.
fn prune_workers(inner: &mut Inner) {
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
fn clients_using(inner: &Inner, registration: RegistrationId) -> bool {
    inner.environments.iter().any(|e| {
        e.active_worker
            .and_then(|w| inner.workers.get(&w))
            .is_some_and(|w| w.registration == registration)
    })
}

/// <https://w3c.github.io/ServiceWorker/#try-activate-algorithm>, then Activate.
fn try_activate(shared: &Arc<Shared>, registration: RegistrationId) {
    let activating = {
        let mut inner = shared.inner.lock();
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
        let active_idle = active
            .and_then(|a| inner.workers.get(&a))
            .is_none_or(|a| a.pending_events == 0);
        if active.is_some() && !(active_idle && (!clients_using(&inner, registration) || skip)) {
            return;
        }
        activate_start(&mut inner, registration)
    };
    if let Some((worker, old)) = activating {
        terminate(old);
        activate_finish(shared, registration, worker);
    }
}

/// <https://w3c.github.io/ServiceWorker/#activation-algorithm>, steps 1-8 (atomically):
/// returns the worker being activated and the old active worker's global to terminate.
fn activate_start(
    inner: &mut Inner,
    registration: RegistrationId,
) -> Option<(WorkerId, Option<Arc<GlobalHandle>>)> {
    let reg = inner.registrations.get(&registration)?;
    // Step 1. If the waiting worker is null, abort.
    let waiting = reg.waiting?;
    let old_active = reg.active;
    // Step 2. The old active worker is terminated and redundant.
    let mut old_global = None;
    if let Some(old) = old_active {
        old_global = inner.workers.get_mut(&old).and_then(|w| w.global.take());
        update_worker_state(inner, old, WorkerState::Redundant);
    }
    // Steps 3-5. The waiting worker becomes the active worker, "activating".
    update_registration_state(inner, registration, Slot::Active, Some(waiting));
    update_registration_state(inner, registration, Slot::Waiting, None);
    update_worker_state(inner, waiting, WorkerState::Activating);
    // Steps 6-7. Clients whose URL matches the registration resolve their ready promise.
    let storage_key = inner.registrations[&registration].storage_key.clone();
    let snapshot_now = snapshot(inner, registration);
    for env in &inner.environments {
        if env.kind == EnvironmentKind::ServiceWorker || env.origin != storage_key {
            continue;
        }
        if match_registration(inner, &storage_key, &env.url) != Some(registration) {
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
            env.tasks
                .queue(crate::dom::serviceworkercontainer::controller_change);
        }
    }
    prune_workers(inner);
    Some((waiting, old_global))
}

/// Activate, steps 9-11: fire `activate`, wait, then "activated".
fn activate_finish(shared: &Arc<Shared>, registration: RegistrationId, worker: WorkerId) {
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

/// <https://w3c.github.io/ServiceWorker/#unregister-algorithm>
fn unregister(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let registration = {
        let mut inner = shared.inner.lock();
        // Step 1. Let registration be Get Registration.
        let Some(id) = get_registration(&inner, &job.storage_key, &job.scope_url) else {
            drop(inner);
            // Step 2. No registration: resolve with false.
            settle_job(shared, scope, |_| JobOutcome::Boolean(false));
            return After::Nothing;
        };
        // Step 3. Remove it from the registration map.
        remove_from_map(&mut inner, id);
        id
    };
    // Step 4. Resolve with true.
    settle_job(shared, scope, |_| JobOutcome::Boolean(true));
    // Step 5. Try Clear Registration.
    try_clear_registration(shared, registration);
    After::Nothing
}

/// <https://w3c.github.io/ServiceWorker/#try-clear-registration-algorithm> and Clear
/// Registration, for a registration no longer in the map.
fn try_clear_registration(shared: &Arc<Shared>, registration: RegistrationId) {
    let globals = {
        let mut inner = shared.inner.lock();
        let in_map = inner
            .registration_map
            .iter()
            .any(|(_, _, id)| *id == registration);
        if in_map || clients_using(&inner, registration) {
            return;
        }
        let Some(reg) = inner.registrations.get(&registration) else {
            return;
        };
        // Every worker of the registration must have no pending events.
        let busy = [reg.installing, reg.waiting, reg.active]
            .into_iter()
            .flatten()
            .any(|w| inner.workers.get(&w).is_some_and(|w| w.pending_events > 0));
        if busy {
            return;
        }
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
        inner.registrations.remove(&registration);
        inner.workers.retain(|_, w| w.registration != registration);
        prune_workers(&mut inner);
        globals
    };
    for g in globals {
        terminate(g);
    }
    let observers = shared.cleared_observers.lock().clone();
    for observer in observers {
        observer(registration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Fetcher, GlobalEvent, GlobalOptions};
    use net_traits::{ByteString, FetchEvent, FetchService, FetchSink, ResponseMeta};

    /// Serves service worker scripts from memory: `path -> source`; anything else is a 404.
    struct Scripts(Vec<(&'static str, &'static str)>);

    impl FetchService for Scripts {
        fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
            let url = Url::parse(&request.request.url).expect("absolute");
            let found = self.0.iter().find(|(p, _)| *p == url.path());
            let meta = ResponseMeta {
                url_list: vec![url.to_string()],
                status: if found.is_some() { 200 } else { 404 },
                headers: vec![(
                    ByteString(b"content-type".to_vec()),
                    ByteString(b"text/javascript".to_vec()),
                )],
                ..Default::default()
            };
            sink(FetchEvent::Response(meta));
            if let Some((_, source)) = found {
                sink(FetchEvent::Body(source.as_bytes().to_vec()));
            }
            sink(FetchEvent::Done);
        }
    }

    /// A window of https://a.test/ in a profile with `registry`; also returns its events (the
    /// channel closes once every global sharing it, service workers included, has ended).
    fn window(
        registry: &ServiceWorkerRegistry,
        scripts: Vec<(&'static str, &'static str)>,
    ) -> (GlobalHandle, crossbeam_channel::Receiver<GlobalEvent>) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let mut options = GlobalOptions::new(GlobalKind::Window);
        options.url = "https://a.test/page.html".into();
        options.origin = "https://a.test".into();
        options.fetcher = Some(Fetcher(Arc::new(Scripts(scripts))));
        options.service_workers = Some(registry.context());
        options.events = Some(tx);
        (GlobalHandle::spawn(options).expect("window starts"), rx)
    }

    /// Waits until every sender of `events` is gone: every global that shared it ended.
    fn all_ended(events: &crossbeam_channel::Receiver<GlobalEvent>) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match events.recv_deadline(deadline) {
                Ok(_) => continue,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return true,
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => return false,
            }
        }
    }

    #[test]
    fn a_registered_worker_activates_and_stops_with_the_registry() {
        let registry = ServiceWorkerRegistry::new();
        let (page, events) = window(&registry, vec![("/sw.js", "oninstall = () => {};")]);
        let r = page.eval_promise(
            "navigator.serviceWorker.register('/sw.js').then(r => new Promise(resolve => {
                const w = r.installing;
                w.onstatechange = () => { if (w.state === 'activated') resolve(r.scope + ' ' + w.state); };
            }))",
            Duration::from_secs(10),
        );
        assert_eq!(r, Ok("https://a.test/ activated".into()));
        assert_eq!(registry.running_workers(), 1);
        assert_eq!(registry.scopes("https://a.test"), vec!["https://a.test/"]);
        page.shutdown();
        drop(registry);
        assert!(all_ended(&events), "the service worker's thread ended");
    }

    #[test]
    fn an_install_that_never_settles_does_not_hold_up_shutdown() {
        let registry = ServiceWorkerRegistry::new();
        let (page, events) = window(
            &registry,
            vec![(
                "/sw.js",
                "oninstall = e => e.waitUntil(new Promise(() => {}));",
            )],
        );
        let r = page.eval_promise(
            "navigator.serviceWorker.register('/sw.js').then(r => r.installing.state)",
            Duration::from_secs(10),
        );
        assert_eq!(r, Ok("installing".into()));
        page.shutdown();
        drop(registry);
        assert!(all_ended(&events), "the installing worker was terminated");
    }

    #[test]
    fn a_missing_script_rejects_and_leaves_no_registration() {
        let registry = ServiceWorkerRegistry::new();
        let (page, _events) = window(&registry, vec![]);
        let r = page.eval_promise(
            "navigator.serviceWorker.register('/missing.js').then(() => 'registered', e => e.name)",
            Duration::from_secs(10),
        );
        assert_eq!(r, Ok("TypeError".into()));
        assert!(registry.scopes("https://a.test").is_empty());
        assert_eq!(registry.running_workers(), 0);
    }

    #[test]
    fn without_a_registry_register_rejects() {
        let mut options = GlobalOptions::new(GlobalKind::Window);
        options.url = "https://a.test/".into();
        options.origin = "https://a.test".into();
        let page = GlobalHandle::spawn(options).expect("window starts");
        let r = page.eval_promise(
            "navigator.serviceWorker.register('/sw.js').then(() => 'registered', e => e.name)",
            Duration::from_secs(10),
        );
        assert_eq!(r, Ok("InvalidStateError".into()));
    }
}
