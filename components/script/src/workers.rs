//! Starting workers (<https://html.spec.whatwg.org/#workers>): what a global hands down to
//! the workers it creates, and the registry of shared workers of one profile. Nothing here
//! holds a JS value; the DOM side is in `dom::worker`, `dom::sharedworker` and
//! `dom::workerglobalscope`.

use crate::dom::bindings::codegen::GlobalKind;
use crate::global_handle::{Fetcher, GlobalHandle, GlobalOptions, SetupHook, TaskSender};
use crate::message_router::PortId;
use crate::permissions::PermissionStore;
use crate::GlobalEvent;
use crossbeam_channel::Sender;
use parking_lot::Mutex;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Extra setup for globals that script creates (workers), by kind and URL: how an embedder
/// (the WPT runner) installs its hooks in workers too.
pub type WorkerSetup = Arc<dyn Fn(GlobalKind, &str) -> Vec<SetupHook> + Send + Sync>;

/// A dedicated or shared worker's link back to the global that created it: where its
/// Worker (or SharedWorker) object is.
#[derive(Clone, Debug)]
pub struct WorkerParent {
    /// Queues tasks on the creating global.
    pub tasks: TaskSender,
    /// The id of the Worker's outside port (the SharedWorker's `port`), which also names the
    /// Worker object in that global.
    pub outside: PortId,
    /// The environment id of the global that created it (the client of the worker's script
    /// fetch).
    pub creator: String,
}

/// What a global passes on to the workers it creates (their settings come from their
/// owner's: the same embedder channels, permissions, network and profile).
#[derive(Clone)]
pub struct Inherited {
    pub prefs: BTreeSet<String>,
    pub events: Option<Sender<GlobalEvent>>,
    pub script_timeout: Option<Duration>,
    pub memory_limit: usize,
    pub permissions: PermissionStore,
    pub fetcher: Option<Fetcher>,
    pub secure_context: bool,
    pub profile: crate::Profile,
    pub worker_setup: Option<WorkerSetup>,
    pub service_workers: Option<crate::service_workers::ServiceWorkerContext>,
    pub background_fetch: Option<crate::global_handle::BackgroundFetcher>,
    pub caches: Option<crate::global_handle::CacheStorer>,
    pub indexed_db: Option<crate::global_handle::IndexedDbConnector>,
}

impl fmt::Debug for Inherited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inherited")
            .field("prefs", &self.prefs)
            .field("secure_context", &self.secure_context)
            .finish_non_exhaustive()
    }
}

impl Inherited {
    /// The options of a worker global of `kind` for `url`.
    pub fn worker_options(
        &self,
        kind: GlobalKind,
        url: &str,
        origin: &str,
        name: &str,
        parent: Option<WorkerParent>,
    ) -> GlobalOptions {
        let mut options = GlobalOptions::new(kind);
        options.url = url.to_string();
        options.origin = origin.to_string();
        options.secure_context = self.secure_context;
        options.name = name.to_string();
        options.prefs = self.prefs.clone();
        options.events = self.events.clone();
        options.script_timeout = self.script_timeout;
        options.memory_limit = self.memory_limit;
        options.permissions = self.permissions.clone();
        options.fetcher = self.fetcher.clone();
        options.profile = self.profile.clone();
        options.caches = self.caches.clone();
        options.indexed_db = self.indexed_db.clone();
        options.worker_setup = self.worker_setup.clone();
        options.service_workers = self.service_workers.clone();
        options.background_fetch = self.background_fetch.clone();
        options.worker_parent = parent;
        if let Some(setup) = &self.worker_setup {
            options.setup = setup(kind, url);
        }
        options
    }
}

/// A shared worker is found again by its constructor origin, URL and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SharedWorkerKey {
    pub origin: String,
    pub url: String,
    pub name: String,
}

struct SharedWorkerEntry {
    handle: GlobalHandle,
    /// How many globals have connected to it and are still alive.
    owners: usize,
}

/// The shared workers of one profile (one user agent "storage partition"): globals created
/// with the same registry share their shared workers.
#[derive(Clone, Default)]
pub struct SharedWorkerRegistry(Arc<Mutex<HashMap<SharedWorkerKey, SharedWorkerEntry>>>);

impl fmt::Debug for SharedWorkerRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedWorkerRegistry({} workers)", self.0.lock().len())
    }
}

impl SharedWorkerRegistry {
    /// The running shared worker for `key`, or a new one from `start`. Returns its task
    /// sender and whether it was started now. The caller becomes one of its owners.
    pub fn connect(
        &self,
        key: &SharedWorkerKey,
        start: impl FnOnce() -> Result<GlobalHandle, String>,
    ) -> Result<(TaskSender, bool), String> {
        let mut map = self.0.lock();
        if let Some(entry) = map.get_mut(key) {
            // A worker that closed itself cannot be reached any more: start a new one.
            if entry.handle.is_running() {
                entry.owners += 1;
                return Ok((entry.handle.task_sender(), false));
            }
        }
        let stale = map.remove(key);
        let handle = start()?;
        let tasks = handle.task_sender();
        map.insert(key.clone(), SharedWorkerEntry { handle, owners: 1 });
        drop(map);
        // Joining a finished worker's thread happens outside the lock.
        drop(stale);
        Ok((tasks, true))
    }

    /// One owner went away; the last one shuts the worker down.
    pub fn release(&self, key: &SharedWorkerKey) {
        let gone = {
            let mut map = self.0.lock();
            match map.get_mut(key) {
                Some(entry) if entry.owners > 1 => {
                    entry.owners -= 1;
                    None
                }
                Some(_) => map.remove(key),
                None => None,
            }
        };
        if let Some(entry) = gone {
            entry.handle.shutdown();
        }
    }

    /// How many shared workers are running (for tests).
    pub fn len(&self) -> usize {
        self.0.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
