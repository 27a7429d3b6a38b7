//! Opening pages: what [`crate::Engine::open_page_with`] needs, shared with the service
//! workers' `clients.openWindow()`, which opens a new top-level page of the engine, tells
//! the [`crate::Delegate`] (`window_opened`) and keeps the page until the embedder takes it
//! ([`crate::Engine::take_opened_window`]) or the engine stops.

use crate::delegate::PageId;
use crate::page::{Page, PageOptions};
use crate::{EngineError, Shared};
use parking_lot::Mutex;
use script::{GlobalHandle, GlobalKind, GlobalOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How long an opened window may take to load before `openWindow()` gives up on it.
const OPEN_WINDOW_LOAD_LIMIT: Duration = Duration::from_secs(60);

pub(crate) struct PageEnv {
    pub(crate) prefs: BTreeSet<String>,
    pub(crate) script_timeout: Option<Duration>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) fetcher: script::Fetcher,
    pub(crate) profile: script::Profile,
    pub(crate) service_workers: script::service_workers::ServiceWorkerContext,
    /// The Cache API's service (its thread ends once every global holding it is gone; the
    /// engine takes it out at shutdown).
    pub(crate) caches: Mutex<Option<script::CacheStorer>>,
    pub(crate) indexed_db: Mutex<Option<script::IndexedDbConnector>>,
    /// The profile's cookies, for `document.cookie`.
    pub(crate) cookies: script::CookieConnector,
    pub(crate) next_page: AtomicU64,
    /// The pages' globals, to stop at shutdown.
    pub(crate) pages: Mutex<Vec<Weak<GlobalHandle>>>,
    /// The threads forwarding the pages' events.
    pub(crate) threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    /// Windows service workers opened, until the embedder takes them.
    pub(crate) opened: Mutex<BTreeMap<PageId, Page>>,
}

impl PageEnv {
    /// See [`crate::Engine::open_page_with`].
    pub(crate) fn open_page(&self, url: &str, options: PageOptions) -> Result<Page, EngineError> {
        let parsed = url::Url::parse(url)
            .map_err(|e| EngineError::Page(format!("'{url}' is not a URL: {e}")))?;
        let id = PageId(self.next_page.fetch_add(1, Ordering::Relaxed));
        let (events_tx, events_rx) = crossbeam_channel::unbounded();
        let mut global = GlobalOptions::new(GlobalKind::Window);
        global.url = parsed.to_string();
        global.origin = parsed.origin().ascii_serialization();
        global.secure_context = net_traits::security::is_potentially_trustworthy(&parsed);
        global.prefs = self.prefs.clone();
        global.events = Some(events_tx);
        global.script_timeout = options.script_timeout.or(self.script_timeout);
        global.permissions = self.shared.permissions.clone();
        global.fetcher = Some(self.fetcher.clone());
        global.profile = self.profile.clone();
        global.service_workers = Some(self.service_workers.clone());
        global.background_fetch = Some(script::BackgroundFetcher(Arc::new(
            self.shared.controller.clone(),
        )));
        global.caches = self.caches.lock().clone();
        global.indexed_db = self.indexed_db.lock().clone();
        global.cookies = Some(self.cookies.clone());
        for (name, f) in options.host_functions {
            global
                .setup
                .push(script::setup_hooks::host_function(name, f));
        }
        for (source, url) in options.init_scripts {
            global
                .setup
                .push(script::setup_hooks::init_script(source, url));
        }
        let handle = Arc::new(GlobalHandle::spawn(global).map_err(EngineError::Page)?);
        let forward = Page::forward_events(id, events_rx, self.shared.delegate.clone())
            .map_err(|e| EngineError::Page(e.to_string()))?;
        self.threads.lock().push(forward);
        let mut pages = self.pages.lock();
        pages.retain(|p| p.strong_count() > 0);
        pages.push(Arc::downgrade(&handle));
        drop(pages);
        Ok(Page::start(id, parsed.as_str(), handle))
    }
}

/// `clients.openWindow()`'s way to open a window: on a thread of its own, a new page on the
/// URL; once it loaded, the delegate hears of it and the worker gets its client id.
pub(crate) fn window_opener(env: &Arc<PageEnv>) -> script::service_workers::WindowOpener {
    let env = Arc::downgrade(env);
    Arc::new(move |url, done| {
        let env = env.clone();
        let spawned = std::thread::Builder::new()
            .name("engine-open-window".into())
            .spawn(move || {
                let Some(env) = env.upgrade() else {
                    return done(Err("the engine stopped".into()));
                };
                let page = match env.open_page(url.as_str(), PageOptions::default()) {
                    Ok(p) => p,
                    Err(e) => return done(Err(e.to_string())),
                };
                if let Err(e) = page.wait_loaded(OPEN_WINDOW_LOAD_LIMIT) {
                    return done(Err(e.to_string()));
                }
                let client = page.client_id();
                let id = page.id();
                // A window opened for the user has focus.
                if let Some(c) = &client {
                    env.profile.user_activations().focus(c);
                }
                env.opened.lock().insert(id, page);
                env.shared.delegate.window_opened(id, url.as_str());
                done(client.ok_or_else(|| "the window closed".to_string()));
            });
        if let Err(e) = spawned {
            log::error!(target: "engine", "cannot open a window: {e}");
        }
    })
}
