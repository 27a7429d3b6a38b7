//! `engine`: one object per browsing profile, for embedders. [`Engine::start`] on a profile
//! directory brings up everything a page needs and everything that must outlive pages:
//!
//! - one network stack (one runtime, one connection pool whose limits count page loads,
//!   `fetch()` and background fetch alike);
//! - the background fetch controller, which resumes what the profile had unfinished;
//! - the service worker registrations, the permission store, and the profile's script-side
//!   state (blob URLs, message ports, shared workers, the online switch);
//! - the service worker host (functional events go to the registration's active worker) and
//!   the display (what the background fetch UI shows goes to the [`Delegate`]).
//!
//! An embedder opens [`Page`]s, reads and drives background fetches
//! ([`Engine::background_fetches`], [`Engine::command`]), sets the network state and
//! permissions, and implements [`Delegate`] for what the user sees and decides. Nothing of
//! the JS engine appears in this API. One engine per profile directory at a time (a second
//! gets [`EngineError::ProfileInUse`]); two engines in one process share nothing.

mod delegate;
mod inspect;
mod lock;
mod notifications;
mod page;
mod ui_support;
mod windows;

pub use delegate::{
    BackgroundFetchInfo, ConsoleLevel, DefaultDelegate, Delegate, FetchCommand, PageEvent, PageId,
    PermissionAnswer, PermissionRequest,
};
pub use inspect::CachedResponse;
pub use net::{NetworkConfig, ProxyConfig};
pub use net_traits::{
    FailureReason, FetchEvent, FetchResult, FetchUid, ImageResource, RequestData, ResponseMeta,
};
pub use page::{LoadError, Page, PageActivator, PageOptions};
pub use script::notifications::NotificationInfo;
pub use script::setup_hooks::HostFunction;
pub use script::{EvalError, PermissionState, PermissionStore};
pub use ui_support::{lock_profile, FetchedImage, PendingImage, ProfileGuard};

use delegate::SharedDelegate;
use net::background_fetch::{Controller, ControllerConfig, EmbedderSinks};
use net_traits::{BackgroundFetchRequest, EmbedderCommand, RegistrationId};
use parking_lot::Mutex;
use script::{GlobalKind, GlobalOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// How background fetches are run (the defaults are what a browser would use).
#[derive(Clone, Debug)]
pub struct BackgroundFetchSettings {
    /// Bytes an origin may store; `None`: a fifth of the free disk.
    pub quota_per_origin: Option<u64>,
    /// Background fetches downloading at once (default 4); more wait their turn.
    pub max_active_fetches: usize,
    /// Connections at once, page traffic included (default 6).
    pub max_connections: usize,
    /// Connections at once to one server (the origin of the requests' URLs), pages' traffic
    /// to it included (default 4).
    pub max_connections_per_origin: usize,
    /// Requests at once for an origin that answers over HTTP/2: streams of one connection,
    /// which counts once against `max_connections` (default 16).
    pub max_http2_streams_per_origin: usize,
    /// Progress reaches pages and the display at most this often (default 100 ms).
    pub progress_interval: Duration,
    /// Retries of a GET whose connection fails, without new bytes in between (default 5).
    pub max_retries: u32,
    /// The first retry's delay, doubled each time (default 500 ms) up to `max_retry_delay`
    /// (default 20 s).
    pub retry_delay: Duration,
    pub max_retry_delay: Duration,
    /// A response that sends nothing for this long is a network error (default 60 s).
    pub idle_timeout: Duration,
}

impl Default for BackgroundFetchSettings {
    fn default() -> Self {
        let c = ControllerConfig::new(PathBuf::new(), NetworkConfig::default());
        BackgroundFetchSettings {
            quota_per_origin: c.quota_per_origin,
            max_active_fetches: c.max_active_fetches,
            max_connections: c.max_connections,
            max_connections_per_origin: c.max_connections_per_origin,
            max_http2_streams_per_origin: c.max_http2_streams_per_origin,
            progress_interval: c.progress_interval,
            max_retries: c.max_retries,
            retry_delay: c.retry_delay,
            max_retry_delay: c.max_retry_delay,
            idle_timeout: c.idle_timeout,
        }
    }
}

/// What an engine starts with.
#[derive(Clone)]
pub struct EngineConfig {
    /// The profile directory (created if missing): its database, bodies and lock live here.
    pub profile_dir: PathBuf,
    /// Trust roots and host mapping.
    pub network: NetworkConfig,
    /// Worker threads of the network runtime (default 2).
    pub network_threads: usize,
    pub background_fetch: BackgroundFetchSettings,
    /// What the user sees and decides.
    pub delegate: Arc<dyn Delegate>,
    /// A task running longer than this is interrupted (default 30 s); `None`: never.
    pub script_timeout: Option<Duration>,
    /// `[Pref]` names that are on in every global (interfaces not ready for everyone).
    pub prefs: BTreeSet<String>,
    /// A service worker with nothing to do for this long stops (it starts again when an
    /// event or a message is due for it). Default 30 s.
    pub service_worker_idle_timeout: Duration,
    /// An extendable event counts as done this long after it was dispatched, whatever its
    /// `waitUntil()` promises do (default 5 minutes, as browsers).
    pub extendable_event_lifetime: Duration,
}

impl EngineConfig {
    /// The defaults, on `profile_dir`, with the [`DefaultDelegate`].
    pub fn new(profile_dir: impl Into<PathBuf>) -> EngineConfig {
        EngineConfig {
            profile_dir: profile_dir.into(),
            network: NetworkConfig::default(),
            network_threads: 2,
            background_fetch: BackgroundFetchSettings::default(),
            delegate: Arc::new(DefaultDelegate),
            script_timeout: Some(Duration::from_secs(30)),
            prefs: BTreeSet::new(),
            service_worker_idle_timeout: Duration::from_secs(30),
            extendable_event_lifetime: Duration::from_secs(300),
        }
    }
}

/// Why an engine did not start (or a page could not be opened).
#[derive(Debug)]
pub enum EngineError {
    /// Another engine (in this process or another) runs on the profile.
    ProfileInUse { pid: Option<u32> },
    /// The profile directory cannot be used (created, locked, read).
    Profile(String),
    /// The profile's store is unusable: corrupt, or from a newer version (its message says
    /// what to do).
    Store(String),
    /// The network stack could not start.
    Network(String),
    /// A page's global could not start.
    Page(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::ProfileInUse { pid: Some(pid) } => {
                write!(f, "the profile is in use by process {pid}")
            }
            EngineError::ProfileInUse { pid: None } => {
                write!(f, "the profile is in use by another process")
            }
            EngineError::Profile(m) => write!(f, "the profile cannot be used: {m}"),
            EngineError::Store(m) => write!(f, "{m}"),
            EngineError::Network(m) => write!(f, "the network cannot start: {m}"),
            EngineError::Page(m) => write!(f, "the page cannot start: {m}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// What the engine's threads share.
struct Shared {
    delegate: SharedDelegate,
    permissions: script::PermissionStore,
    controller: Controller,
    /// The display: the latest state of every background fetch the UI shows.
    fetches: Mutex<BTreeMap<FetchUid, BackgroundFetchInfo>>,
    /// Background fetches whose permission prompt was sent to the delegate.
    prompted: Mutex<BTreeSet<FetchUid>>,
}

/// See the crate documentation.
pub struct Engine {
    config: EngineConfig,
    shared: Arc<Shared>,
    stack: net::NetworkStack,
    profile: script::Profile,
    registry: Option<script::ServiceWorkerRegistry>,
    fetcher: script::Fetcher,
    caches_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    indexed_db_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// What opening a page takes (shared with `clients.openWindow()`).
    windows: Arc<windows::PageEnv>,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    _lock: lock::ProfileLock,
}

impl Engine {
    /// Starts an engine on `config.profile_dir` (see the crate documentation). Unfinished
    /// background fetches of the profile resume at once.
    pub fn start(config: EngineConfig) -> Result<Engine, EngineError> {
        let dir = &config.profile_dir;
        storage::private::create_dir_all(dir)
            .map_err(|e| EngineError::Profile(format!("{}: {e}", dir.display())))?;
        let lock = lock::ProfileLock::acquire(dir).map_err(|e| match e {
            lock::LockError::InUse(pid) => EngineError::ProfileInUse { pid },
            lock::LockError::Io(e) => EngineError::Profile(format!("{}: {e}", dir.display())),
        })?;
        // The profile's cookies persist in it (every request of the stack uses them).
        let mut network = config.network.clone();
        network.cookie_file = Some(dir.join("cookies.json"));
        // So is its HTTP cache (`fetch()` and page loads; background fetch bypasses it).
        network.http_cache_dir = Some(dir.join("http-cache"));
        let stack = net::NetworkStack::new(&network, config.network_threads)
            .map_err(EngineError::Network)?;
        let online = net_traits::OnlineSignal::new();
        let profile = script::Profile::with_online(online.clone());
        let (events_tx, events_rx) = crossbeam_channel::unbounded();
        let (display_tx, display_rx) = crossbeam_channel::unbounded();
        let controller = Controller::start_on(
            &stack,
            controller_config(&config, online),
            EmbedderSinks {
                events: events_tx,
                display: Some(display_tx),
            },
        )
        .map_err(|e| match e {
            net::background_fetch::StartError::Store(e) => EngineError::Store(e.to_string()),
            other => EngineError::Network(other.to_string()),
        })?;
        let shared = Arc::new(Shared {
            delegate: config.delegate.clone(),
            permissions: script::PermissionStore::default(),
            controller,
            fetches: Mutex::new(BTreeMap::new()),
            prompted: Mutex::new(BTreeSet::new()),
        });
        // The registrations the profile kept come back (their workers start when needed).
        let registry = script::ServiceWorkerRegistry::with_store(
            Some(shared.controller.store()),
            script::service_workers::RegistrySettings {
                idle_timeout: config.service_worker_idle_timeout,
                event_lifetime: config.extendable_event_lifetime,
            },
        );
        // A cleared registration takes its background fetches with it.
        let commands = shared.controller.clone();
        registry
            .context()
            .on_registration_cleared(Arc::new(move |id| {
                commands.command(EmbedderCommand::RegistrationRemoved(RegistrationId(id)))
            }));
        let mut threads = Vec::new();
        threads.push(spawn("engine-display", {
            let shared = shared.clone();
            move || display(display_rx, shared)
        })?);
        let fetcher = script::Fetcher(Arc::new(net::fetch_service::NetFetchService::on(&stack)));
        // The Cache API, on the controller's store (one database, one quota per origin).
        let (caches, caches_thread) = net::cache_storage::CacheStorage::start(
            shared.controller.store(),
            Some(shared.controller.clone()),
        )
        .map_err(|e| EngineError::Profile(format!("cannot start the cache storage: {e}")))?;
        let caches = script::CacheStorer(Arc::new(caches));
        // IndexedDB: its own database in the profile, the same quota per origin.
        let (indexed_db, indexed_db_thread) =
            storage::indexed_db::IndexedDb::start(dir, shared.controller.store())
                .map_err(|e| EngineError::Store(format!("cannot start IndexedDB: {e}")))?;
        let indexed_db = script::IndexedDbConnector(Arc::new(indexed_db));
        // What a service worker started without a page (restored, then started when an
        // event is due) runs with; what it logs reaches the delegate as page 0's.
        let (worker_events, worker_events_rx) = crossbeam_channel::unbounded();
        threads.push(
            Page::forward_events(PageId(0), worker_events_rx, shared.delegate.clone())
                .map_err(|e| EngineError::Profile(format!("cannot start a thread: {e}")))?,
        );
        registry.set_worker_defaults(script::workers::Inherited {
            prefs: config.prefs.clone(),
            events: Some(worker_events),
            script_timeout: config.script_timeout,
            memory_limit: GlobalOptions::new(GlobalKind::ServiceWorkerGlobalScope).memory_limit,
            permissions: shared.permissions.clone(),
            fetcher: Some(fetcher.clone()),
            secure_context: true,
            profile: profile.clone(),
            worker_setup: None,
            service_workers: Some(registry.context()),
            background_fetch: Some(script::BackgroundFetcher(Arc::new(
                shared.controller.clone(),
            ))),
            caches: Some(caches.clone()),
            indexed_db: Some(indexed_db.clone()),
        });
        // The service worker host starts only now: the controller fires the events a
        // restart left pending at once (they wait in the channel), and a stored worker
        // cannot start for them before it has the settings above. Started earlier, the
        // host lost that race after a restart ("no settings to start a service worker
        // without a client"): the event was reported not dispatched and fired again a
        // second later, and given up after a few such failures.
        threads.push(spawn("engine-sw-host", {
            let (sw, shared) = (registry.context(), shared.clone());
            move || service_worker_host(events_rx, sw, shared)
        })?);
        let windows = Arc::new(windows::PageEnv {
            prefs: config.prefs.clone(),
            script_timeout: config.script_timeout,
            shared: shared.clone(),
            fetcher: fetcher.clone(),
            profile: profile.clone(),
            service_workers: registry.context(),
            caches: Mutex::new(Some(caches)),
            indexed_db: Mutex::new(Some(indexed_db)),
            cookies: script::CookieConnector(stack.client().cookies().clone()),
            next_page: AtomicU64::new(1),
            pages: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
            opened: Mutex::new(BTreeMap::new()),
        });
        // Notifications: shown and asked for through the delegate.
        profile
            .notifications()
            .set_platform(Arc::new(notifications::DelegatePlatform(Arc::downgrade(
                &shared,
            ))));
        // alert()/confirm()/prompt(): the delegate's dialogs.
        profile
            .user_prompts()
            .set(Arc::new(notifications::DelegatePrompts(Arc::downgrade(
                &shared,
            ))));
        // clients.openWindow() and window.open(): a new page of this engine, which keeps it.
        registry
            .context()
            .set_window_opener(windows::window_opener(&windows));
        Ok(Engine {
            config,
            shared,
            stack,
            profile,
            registry: Some(registry),
            fetcher,
            caches_thread: Mutex::new(Some(caches_thread)),
            indexed_db_thread: Mutex::new(Some(indexed_db_thread)),
            windows,
            threads: Mutex::new(threads),
            _lock: lock,
        })
    }

    /// The profile directory.
    pub fn profile_dir(&self) -> &Path {
        &self.config.profile_dir
    }

    /// Opens a page on `url` (an http(s) URL): its global starts and the document loads;
    /// [`Page::wait_loaded`] says when `load` fired.
    pub fn open_page(&self, url: &str) -> Result<Page, EngineError> {
        self.open_page_with(url, PageOptions::default())
    }

    /// As [`Engine::open_page`], with init scripts, host functions or a script timeout.
    pub fn open_page_with(&self, url: &str, options: PageOptions) -> Result<Page, EngineError> {
        self.windows.open_page(url, options)
    }

    /// Takes a window a service worker opened (`clients.openWindow()`, announced by
    /// [`Delegate::window_opened`]): the embedder owns it from then on (closing it ends it).
    /// Until taken, the engine keeps it open.
    pub fn take_opened_window(&self, page: PageId) -> Option<Page> {
        self.windows.opened.lock().remove(&page)
    }

    /// The network is there or not: `navigator.onLine`, the `online`/`offline` events and
    /// background fetch (offline, GET records wait and resume later) follow it.
    pub fn set_online(&self, online: bool) {
        self.profile.online().set_online(online);
    }

    pub fn is_online(&self) -> bool {
        self.profile.online().is_online()
    }

    /// What the background fetch UI shows: every fetch of the profile the engine has heard
    /// of since it started (resumed ones included), by uid; finished ones have
    /// `finished` set.
    pub fn background_fetches(&self) -> Vec<BackgroundFetchInfo> {
        self.shared.fetches.lock().values().cloned().collect()
    }

    /// What the user did to a background fetch's UI.
    pub fn command(&self, fetch: FetchUid, command: FetchCommand) {
        self.shared
            .controller
            .command(command.to_embedder_command(fetch));
    }

    /// The notifications shown now (pages' and service workers').
    pub fn notifications(&self) -> Vec<NotificationInfo> {
        self.profile.notifications().shown()
    }

    /// The user clicked notification `id` (`action`: the name of the action button clicked,
    /// or `None` for the notification itself): `notificationclick` at the service worker
    /// that showed it (which may then open a window), or `click` at a page's Notification.
    /// False if no such notification is shown.
    pub fn notification_clicked(&self, id: u64, action: Option<&str>) -> bool {
        let Some(registry) = &self.registry else {
            return false;
        };
        self.profile
            .notifications()
            .click(id, action, &registry.context())
    }

    /// The user (or the platform) closed notification `id`: `notificationclose` at its
    /// service worker, or `close` at a page's Notification.
    pub fn notification_closed(&self, id: u64) {
        let context = self.registry.as_ref().map(|r| r.context());
        self.profile
            .notifications()
            .close(id, true, context.as_ref());
    }

    /// Sets a permission's state for an origin (`"background-fetch"`: "granted" lets its
    /// background fetches start, "prompt" asks the delegate each time, "denied" refuses).
    pub fn set_permission(&self, origin: &str, name: &str, state: PermissionState) {
        self.shared.permissions.set(origin, name, state);
    }

    pub fn permission(&self, origin: &str, name: &str) -> PermissionState {
        self.shared.permissions.get(origin, name)
    }

    /// The permission store itself (cheap to clone; every clone is the engine's store), for
    /// an embedder thread or a host function that sets permissions.
    pub fn permissions(&self) -> PermissionStore {
        self.shared.permissions.clone()
    }

    /// Stops everything: the service workers, the controller (transfers stop where they are
    /// and resume at the next start), the network stack; every thread is joined (each wait
    /// is bounded). Pages still open should be closed first; they stop working now.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Pages still open stop (their handles join their threads when dropped); windows
        // service workers opened and nobody took close.
        let opened: Vec<Page> = std::mem::take(&mut *self.windows.opened.lock())
            .into_values()
            .collect();
        for page in self.windows.pages.lock().drain(..) {
            if let Some(global) = page.upgrade() {
                global.request_shutdown();
            }
        }
        drop(opened);
        // Service workers next: their functional events stop reaching the controller.
        if let Some(registry) = self.registry.take() {
            registry.shutdown();
            drop(registry);
        }
        // The cache storage's last sender goes with the globals: its thread ends.
        self.windows.caches.lock().take();
        if let Some(t) = self.caches_thread.lock().take() {
            join_bounded(t, Duration::from_secs(5));
        }
        // IndexedDB's likewise (every committed transaction is on disk already).
        self.windows.indexed_db.lock().take();
        if let Some(t) = self.indexed_db_thread.lock().take() {
            join_bounded(t, Duration::from_secs(5));
        }
        self.shared.controller.shutdown();
        self.stack.shutdown(Duration::from_secs(2));
        // The controller's sinks and the pages' event senders are gone: their threads end.
        let mut threads: Vec<_> = self.threads.lock().drain(..).collect();
        threads.extend(self.windows.threads.lock().drain(..));
        for t in threads {
            join_bounded(t, Duration::from_secs(5));
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop();
    }
}

fn controller_config(config: &EngineConfig, online: net_traits::OnlineSignal) -> ControllerConfig {
    let s = &config.background_fetch;
    let mut c = ControllerConfig::new(config.profile_dir.clone(), config.network.clone());
    c.quota_per_origin = s.quota_per_origin;
    c.max_active_fetches = s.max_active_fetches;
    c.max_connections = s.max_connections;
    c.max_connections_per_origin = s.max_connections_per_origin;
    c.max_http2_streams_per_origin = s.max_http2_streams_per_origin;
    c.progress_interval = s.progress_interval;
    c.max_retries = s.max_retries;
    c.retry_delay = s.retry_delay;
    c.max_retry_delay = s.max_retry_delay;
    c.idle_timeout = s.idle_timeout;
    c.online = online;
    c
}

fn spawn(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> Result<std::thread::JoinHandle<()>, EngineError> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(|e| EngineError::Profile(format!("cannot start a thread: {e}")))
}

/// Joins `t` if it ends within `limit`; otherwise leaves it (and says so).
fn join_bounded(t: std::thread::JoinHandle<()>, limit: Duration) {
    let deadline = std::time::Instant::now() + limit;
    while !t.is_finished() {
        if std::time::Instant::now() > deadline {
            log::error!(target: "engine", "thread {:?} did not stop within {limit:?}", t.thread().name());
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = t.join();
}

/// The service worker host: the controller's functional events go to the registration's
/// active worker; their end goes back to the controller.
fn service_worker_host(
    events: crossbeam_channel::Receiver<net_traits::DispatchEvent>,
    service_workers: script::service_workers::ServiceWorkerContext,
    shared: Arc<Shared>,
) {
    for event in events {
        let id = event.event;
        let controller = shared.controller.clone();
        service_workers.fire_background_fetch_event(
            event,
            Box::new(move |dispatched| {
                controller.send(BackgroundFetchRequest::EventDone {
                    event: id,
                    dispatched,
                })
            }),
        );
    }
}

/// The display: keeps what the UI shows, tells the delegate, and asks it for the permission
/// a fetch waits for.
fn display(updates: crossbeam_channel::Receiver<BackgroundFetchInfo>, shared: Arc<Shared>) {
    for info in updates {
        shared.fetches.lock().insert(info.uid, info.clone());
        shared.delegate.background_fetch_changed(&info);
        if info.awaiting_permission && shared.prompted.lock().insert(info.uid) {
            ask_permission(&shared, &info);
        }
    }
}

fn ask_permission(shared: &Arc<Shared>, info: &BackgroundFetchInfo) {
    let request = PermissionRequest {
        origin: info.origin.clone(),
        name: "background-fetch".into(),
        background_fetch: Some(info.uid),
    };
    let (uid, origin) = (info.uid, info.origin.clone());
    let answer_to = Arc::downgrade(shared);
    let answer = PermissionAnswer {
        respond: Box::new(move |granted| {
            let Some(shared) = answer_to.upgrade() else {
                return;
            };
            let state = if granted {
                PermissionState::Granted
            } else {
                PermissionState::Denied
            };
            shared.permissions.set(&origin, "background-fetch", state);
            shared
                .controller
                .command(EmbedderCommand::PermissionAnswer { uid, granted });
        }),
    };
    shared.delegate.request_permission(request, answer);
}
