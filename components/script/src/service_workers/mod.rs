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
//! The files follow Appendix A's sections; each named algorithm is a function of that name
//! in snake case, with a link to it:
//!
//! - this file: the types the DOM side sees (snapshots, job outcomes, what it passes in);
//! - `registry`: the registry, its maps and helper threads, Get Registration, Set
//!   Registration, Get Newest Worker, Match Service Worker Registration;
//! - `jobs`: jobs and job queues: Create Job, Schedule Job, Run Job, Finish Job, Resolve
//!   and Reject Job Promise, and what schedules jobs (Start Register, `update()`,
//!   `unregister()`);
//! - `register`: Register, Update with its script fetch, Run Service Worker, Terminate
//!   Service Worker;
//! - `lifecycle`: Install, Try Activate, Activate, Update Registration State, Update
//!   Worker State, and firing the lifecycle events;
//! - `unregister`: Unregister, Try Clear Registration, Clear Registration;
//! - `clients`: environments, `Clients` and messages: Handle Service Worker Client Unload,
//!   Notify Controller Change, `clients.claim()`, `skipWaiting()`, `postMessage()`;
//! - `functional_events`: Update Service Worker Extended Events Set, Service Worker Has No
//!   Pending Events, Fire Functional Event for background fetch;
//! - `handle_fetch`: Handle Fetch and Create Fetch Event and Dispatch (fetch events), with
//!   the fetcher every client's fetches go through;
//! - `running`: workers started on demand and stopped when idle, extendable events'
//!   lifetime limit;
//! - `persistence`: registrations kept in the profile across restarts.
//!
//! Not implemented (yet): module service workers, static routing, navigation preload.
//!
//! [`GlobalHandle`]: crate::script_thread::GlobalHandle

mod clients;
mod functional_events;
mod handle_fetch;
mod jobs;
mod lifecycle;
mod persistence;
mod register;
mod registry;
mod running;
mod unregister;

#[cfg(test)]
mod tests;

pub use clients::ImportedScript;
pub use handle_fetch::{ClientFetcher, FetchEventTask, FetchResponder, ResponseBody};
pub use registry::{RegistrySettings, ServiceWorkerContext, ServiceWorkerRegistry};
pub use running::Deadline;

use crate::script_thread::TaskSender;
use crate::workers::Inherited;
use crate::GlobalKind;
use std::sync::Arc;
use url::Url;

pub type RegistrationId = u64;

/// Answers an open-window request: the new window's client (environment) id once its
/// document loaded, or why no window opened.
pub type WindowOpened = Box<dyn FnOnce(Result<String, String>) + Send>;

/// The embedder's way to open a top-level window on a URL (see
/// [`ServiceWorkerContext::set_window_opener`]).
pub type WindowOpener = Arc<dyn Fn(Url, WindowOpened) + Send + Sync>;

/// <https://w3c.github.io/ServiceWorker/#dfn-type>: a service worker's script is a classic
/// script or a module script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScriptType {
    #[default]
    Classic,
    Module,
}

impl ScriptType {
    /// As the profile stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            ScriptType::Classic => "classic",
            ScriptType::Module => "module",
        }
    }

    /// What the profile stored (anything unknown is classic, as before types were stored).
    pub fn parse(s: &str) -> ScriptType {
        if s == "module" {
            ScriptType::Module
        } else {
            ScriptType::Classic
        }
    }
}
pub type WorkerId = u64;

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
    /// A window in a frame: its ancestors' origins, parent first (empty at top level).
    pub ancestor_origins: Vec<String>,
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

/// Called with a registration that was cleared (unregistered, and no client uses it).
pub type RegistrationObserver = Arc<dyn Fn(RegistrationId) + Send + Sync>;

/// What a new environment tells the registry.
pub struct EnvironmentInfo {
    pub kind: EnvironmentKind,
    /// A worker's: the environment that created it.
    pub creator: Option<String>,
    pub url: String,
    pub origin: String,
    pub secure_context: bool,
    pub tasks: TaskSender,
    /// A frame's window: its ancestors' origins, parent first (empty: a top-level window).
    pub ancestor_origins: Vec<String>,
}

/// What `register()` asks for, after its synchronous steps.
pub struct RegisterRequest {
    pub scope_url: Option<Url>,
    pub script_url: Url,
    pub worker_type: ScriptType,
    pub update_via_cache: UpdateViaCache,
    pub client_id: String,
    pub client: JobClient,
    pub storage_key: String,
    pub referrer: Url,
    pub inherited: Inherited,
}
