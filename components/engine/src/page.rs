//! A page: a window global of the engine's profile, loading a URL as a browser would, with
//! whatever it starts (workers, service worker registrations, background fetches) in the
//! same profile.

use crate::delegate::{PageEvent, PageId, SharedDelegate};
use crossbeam_channel::Receiver;
use script::setup_hooks::HostFunction;
use script::{EvalError, GlobalHandle};
use std::sync::Arc;
use std::time::Duration;

/// How a page starts (everything optional).
#[derive(Clone, Default)]
pub struct PageOptions {
    /// Classic scripts run in the page's realm before its own, in order: `(source, url)`.
    pub init_scripts: Vec<(String, String)>,
    /// Global functions the page can call: `name(arg)` runs the closure with `arg` as a
    /// string on the page's thread; `Ok(s)` returns `s`, `Err(m)` throws an `Error(m)`.
    pub host_functions: Vec<(String, HostFunction)>,
    /// A task (a script, an event listener, with its microtasks) running longer than this is
    /// interrupted. Default: the engine's.
    pub script_timeout: Option<Duration>,
}

/// Why a page did not load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the page did not load: {}", self.0)
    }
}

impl std::error::Error for LoadError {}

/// See the module documentation. Closing (or dropping) the page ends its global and the
/// dedicated workers it started; its service worker registrations and background fetches
/// belong to the profile and go on.
pub struct Page {
    id: PageId,
    url: String,
    global: Option<Arc<GlobalHandle>>,
    loaded: Receiver<Result<(), String>>,
}

impl Page {
    pub(crate) fn start(id: PageId, url: &str, global: Arc<GlobalHandle>) -> Page {
        let loaded = global.navigate(url);
        Page {
            id,
            url: url.to_string(),
            global: Some(global),
            loaded,
        }
    }

    /// Forwards what the page's globals report to the delegate, until the last of them (the
    /// page, its workers, the service workers it registered) is gone.
    pub(crate) fn forward_events(
        id: PageId,
        events: Receiver<script::GlobalEvent>,
        delegate: SharedDelegate,
    ) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name(format!("page-{}-events", id.0))
            .spawn(move || {
                for event in events {
                    delegate.page_event(id, &PageEvent::from(event));
                }
            })
    }

    pub fn id(&self) -> PageId {
        self.id
    }

    /// The URL the page was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn global(&self) -> &GlobalHandle {
        self.global
            .as_ref()
            .expect("a page has its global until it closes")
    }

    /// Waits until the page's `load` event fired (Ok), or its document failed to load.
    pub fn wait_loaded(&self, timeout: Duration) -> Result<(), LoadError> {
        match self.loaded.recv_timeout(timeout) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(LoadError(e)),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                Err(LoadError(format!("not loaded after {timeout:?}")))
            }
            // Answered before (the receiver yields once): loaded or failed then.
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => Ok(()),
        }
    }

    /// The receiver `wait_loaded` reads (for an embedder that selects over several).
    pub fn load_result(&self) -> &Receiver<Result<(), String>> {
        &self.loaded
    }

    /// Fetches `request` as the page's own `fetch()` would (through the service worker that
    /// controls it, if any), handing `sink` the response, its body piece by piece and its
    /// end, on the network's threads: for an embedder that saves what a page links to, or
    /// reads a large response without holding it in memory.
    pub fn fetch(
        &self,
        request: net_traits::RequestData,
        sink: impl FnMut(net_traits::FetchEvent) + Send + 'static,
    ) -> Result<(), EvalError> {
        self.global().fetch(request, Box::new(sink))
    }

    /// Evaluates `source` as a classic script in the page and returns its completion value
    /// as a string (an exception comes back as [`EvalError::Exception`]).
    pub fn eval(&self, source: &str) -> Result<String, EvalError> {
        self.global().eval(source)
    }

    /// As [`Page::eval`], without waiting: the answer arrives on the returned channel.
    pub fn eval_async(&self, source: &str) -> Receiver<Result<String, EvalError>> {
        self.global().eval_async(source)
    }

    /// Evaluates `source` and waits (at most `timeout`) for the promise it returns.
    pub fn eval_promise(&self, source: &str, timeout: Duration) -> Result<String, EvalError> {
        self.global().eval_promise(source, timeout)
    }

    /// Runs a classic script; its exceptions are reported (as a page would see them).
    pub fn run_script(&self, source: &str, filename: &str) -> Result<(), EvalError> {
        self.global().run_script(source, filename)
    }

    /// Waits until the page's event loop has nothing left to do (false: still busy).
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        self.global().wait_idle(timeout)
    }

    /// Stops a script that runs too long (with an uncatchable error).
    pub fn interrupt(&self) {
        self.global().interrupt()
    }

    /// The page's client id (its environment's id, as service workers see it), while it
    /// runs.
    pub fn client_id(&self) -> Option<String> {
        self.global().environment_id()
    }

    /// The user interacted with the page (a click, a key press): it gets transient
    /// activation (HTML "activation notification"), which APIs that need a user gesture
    /// check, such as a service worker's `clients.openWindow()` for this origin.
    pub fn activate(&self) {
        self.global().activate()
    }

    /// A handle that activates this page from another thread (see [`Page::activate`]).
    pub fn activator(&self) -> PageActivator {
        PageActivator(Arc::downgrade(self.global.as_ref().expect("open")))
    }

    /// Whether the page's global still runs.
    pub fn is_running(&self) -> bool {
        self.global().is_running()
    }

    /// Ends the page (its timers, workers and every JS value it held).
    pub fn close(mut self) {
        self.end();
    }

    fn end(&mut self) {
        // The last reference shuts the global down and joins its thread (the engine holds
        // only a weak one, to stop it at shutdown).
        self.global.take();
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.end();
    }
}

/// Activates a page from any thread while it is open (see [`Page::activator`]).
#[derive(Clone)]
pub struct PageActivator(std::sync::Weak<GlobalHandle>);

impl PageActivator {
    /// As [`Page::activate`]; nothing once the page closed.
    pub fn activate(&self) {
        if let Some(global) = self.0.upgrade() {
            global.activate();
        }
    }
}
