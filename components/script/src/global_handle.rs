//! What the embedder holds: a [`GlobalHandle`] to a running global (window, dedicated,
//! shared or service worker), the [`GlobalOptions`] it is created with (and the embedder
//! services they carry: [`Fetcher`], [`BackgroundFetcher`], [`SetupHook`]), and what comes
//! back ([`EvalError`], [`ShutdownReport`]).
//!
//! A global runs on its own thread ([`crate::script_thread`]); the handle talks to it only
//! through messages in its inbox (`Message`), and [`TaskSender`] lets any thread queue a task
//! there. Dropping the handle shuts the global down.

use crate::dom::bindings::codegen::GlobalKind;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::describe_exception;
use crate::dom::error_reporting::report_an_exception;
use crate::dom::globalscope::GlobalScope;
use crate::script_thread::{self, Interrupt};
use crate::GlobalEvent;
use crossbeam_channel::{Receiver, Sender};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Extra setup run in a new realm after its interfaces are installed (test hooks, embedder
/// APIs such as the WPT runner's `test_driver`).
pub type SetupHook = Box<dyn for<'js> FnOnce(&Ctx<'js>) -> Fallible<()> + Send>;

/// How to create a global.
pub struct GlobalOptions {
    pub kind: GlobalKind,
    /// The creation URL.
    pub url: String,
    /// The serialized origin.
    pub origin: String,
    pub secure_context: bool,
    /// A worker's name.
    pub name: String,
    /// `[Pref]` names that are on.
    pub prefs: BTreeSet<String>,
    /// Where console output and uncaught errors go (they are also logged).
    pub events: Option<Sender<GlobalEvent>>,
    /// A task (script, timer, event listener, with its microtasks) running longer than this
    /// is interrupted with an uncatchable error. `None`: never.
    pub script_timeout: Option<Duration>,
    /// The JS heap limit in bytes.
    pub memory_limit: usize,
    /// The embedder's permission store, which the global reads for its origin (the WPT
    /// runner's `test_driver.set_permission` writes it).
    pub permissions: crate::permissions::PermissionStore,
    /// The network side of `fetch()` (`None`: fetch() rejects with a TypeError).
    pub fetcher: Option<Fetcher>,
    /// The profile the global belongs to: its blob URLs, message ports, network state and
    /// shared workers (the default is a profile of its own; give every global of one
    /// profile the same one).
    pub profile: crate::Profile,
    /// Setup hooks for the workers this global's scripts create (and theirs).
    pub worker_setup: Option<crate::workers::WorkerSetup>,
    /// For a worker global created by a Worker or SharedWorker object: where that object is.
    pub worker_parent: Option<crate::workers::WorkerParent>,
    /// Content-Security-Policy header values the global enforces from the start (e.g. those
    /// of a service worker script's response, which the embedder fetched).
    pub content_security_policy: Vec<String>,
    /// The profile's service worker registrations (`None`: `navigator.serviceWorker`
    /// rejects every registration; the embedder owns the [`ServiceWorkerRegistry`]).
    ///
    /// [`ServiceWorkerRegistry`]: crate::service_workers::ServiceWorkerRegistry
    pub service_workers: Option<crate::service_workers::ServiceWorkerContext>,
    /// The profile's background fetch controller (`None`: BackgroundFetchManager.fetch()
    /// rejects after its checks).
    pub background_fetch: Option<BackgroundFetcher>,
    /// The profile's cache storage (`None`: every Cache API operation rejects).
    pub caches: Option<CacheStorer>,
    /// The profile's IndexedDB (`None`: `indexedDB.open()` throws "InvalidStateError").
    pub indexed_db: Option<IndexedDbConnector>,
    /// The profile's cookies (`None`: `document.cookie` is always empty).
    pub cookies: Option<CookieConnector>,
    /// For a service worker's global: its registration and service worker.
    pub service_worker: Option<(
        crate::service_workers::RegistrationId,
        crate::service_workers::WorkerId,
    )>,
    pub setup: Vec<SetupHook>,
    /// For a frame's window (an iframe's content): the origins of its ancestor windows,
    /// parent first (HTML's `Location.ancestorOrigins` list); empty at top level.
    pub ancestor_origins: Vec<String>,
}

impl GlobalOptions {
    pub fn new(kind: GlobalKind) -> GlobalOptions {
        GlobalOptions {
            kind,
            url: "about:blank".into(),
            origin: "null".into(),
            secure_context: true,
            name: String::new(),
            prefs: BTreeSet::new(),
            events: None,
            script_timeout: Some(Duration::from_secs(30)),
            memory_limit: 1 << 30,
            permissions: Default::default(),
            fetcher: None,
            profile: crate::Profile::new(),
            worker_setup: None,
            worker_parent: None,
            content_security_policy: Vec::new(),
            service_workers: None,
            background_fetch: None,
            caches: None,
            indexed_db: None,
            cookies: None,
            service_worker: None,
            setup: Vec::new(),
            ancestor_origins: Vec::new(),
        }
    }
}

/// An error from evaluating script through a [`GlobalHandle`].
#[derive(Clone, Debug, PartialEq)]
pub enum EvalError {
    /// The script threw; the exception, described.
    Exception(String),
    /// The global has shut down (or its thread died).
    Gone,
    /// No answer within the time given.
    Timeout,
    /// The awaited promise became unreachable without settling (it never can).
    Unsettled,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Exception(e) => write!(f, "{e}"),
            EvalError::Gone => write!(f, "the global has shut down"),
            EvalError::Timeout => write!(f, "timed out"),
            EvalError::Unsettled => write!(f, "the promise was collected without settling"),
        }
    }
}

impl std::error::Error for EvalError {}

/// Where the answer to an [`Message::Eval`] goes.
pub(crate) type EvalReply = Sender<Result<String, EvalError>>;

/// What other threads send a global's event loop (its inbox); the loop handles each in
/// `script_thread::handle_message`.
pub(crate) enum Message {
    /// Run a closure as a task.
    Task(Box<dyn for<'js> FnOnce(&Ctx<'js>) + Send>),
    /// Evaluate script; with `await_promise`, reply once the resulting promise settles.
    Eval {
        source: String,
        name: String,
        await_promise: bool,
        /// Report an exception like a classic script's (error event, embedder) as well.
        report: bool,
        reply: EvalReply,
    },
    /// Reply once no task is queued and no timer is active.
    WhenIdle(Sender<()>),
    /// End the event loop (the handle is shutting the global down).
    Shutdown,
}

/// The embedder's [`net_traits::FetchService`].
#[derive(Clone)]
pub struct Fetcher(pub Arc<dyn net_traits::FetchService>);

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fetcher")
    }
}

/// The embedder's background fetch controller ([`net_traits::BackgroundFetchService`]).
#[derive(Clone)]
pub struct BackgroundFetcher(pub Arc<dyn net_traits::BackgroundFetchService>);

impl fmt::Debug for BackgroundFetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackgroundFetcher")
    }
}

/// The profile's cache storage, as globals reach it.
#[derive(Clone)]
pub struct CacheStorer(pub Arc<dyn net_traits::cache::CacheStorageService>);

impl fmt::Debug for CacheStorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CacheStorer")
    }
}

/// The profile's IndexedDB service, as globals reach it.
#[derive(Clone)]
pub struct IndexedDbConnector(pub Arc<dyn net_traits::indexed_db::IndexedDbService>);

impl fmt::Debug for IndexedDbConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IndexedDbConnector")
    }
}

/// The profile's cookies, as documents reach them.
#[derive(Clone)]
pub struct CookieConnector(pub Arc<dyn net_traits::cookies::DocumentCookies>);

impl fmt::Debug for CookieConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CookieConnector")
    }
}

/// A handle other threads use to queue tasks on a global's event loop (what the global gives
/// the network side so fetch results come back as tasks).
#[derive(Clone)]
pub struct TaskSender(Sender<Message>, u64);

impl TaskSender {
    /// Queues `f` as a task; false if the global is gone.
    pub fn queue(&self, f: impl for<'js> FnOnce(&Ctx<'js>) + Send + 'static) -> bool {
        if self.1 == 0 {
            return self.0.send(Message::Task(Box::new(f))).is_ok();
        }
        // A child window's task runs in its realm (and not at all once it is discarded).
        let child = self.1;
        self.0
            .send(Message::Task(Box::new(move |ctx| {
                crate::nested::run_in_child(ctx, child, f)
            })))
            .is_ok()
    }

    /// Whether this sends to a frame's window (a child realm of the thread's global).
    pub(crate) fn is_child(&self) -> bool {
        self.1 != 0
    }

    /// The sender of tasks for the child window `child` on the same thread.
    pub(crate) fn for_child(&self, child: u64) -> TaskSender {
        TaskSender(self.0.clone(), child)
    }
}

impl fmt::Debug for TaskSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TaskSender")
    }
}

/// What shutting down found and released.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShutdownReport {
    pub pending_tasks: usize,
    pub pending_timers: usize,
}

/// A running global, owned by its embedder. Dropping it shuts the global down.
pub struct GlobalHandle {
    sender: Sender<Message>,
    thread: Option<JoinHandle<ShutdownReport>>,
    interrupt: Arc<Interrupt>,
    kind: GlobalKind,
}

impl GlobalHandle {
    /// Starts a global on a new thread and waits until its realm is set up.
    pub fn spawn(options: GlobalOptions) -> Result<GlobalHandle, String> {
        crate::dom::bindings::panic::install_hook();
        let (sender, inbox) = crossbeam_channel::unbounded();
        let (started_tx, started_rx) = crossbeam_channel::bounded(1);
        let interrupt = Arc::new(Interrupt::new());
        let kind = options.kind;
        let thread_interrupt = interrupt.clone();
        let thread = std::thread::Builder::new()
            .name(format!("script-{kind:?}"))
            .stack_size(16 << 20)
            .spawn({
                let tasks = TaskSender(sender.clone(), 0);
                move || {
                    script_thread::run_global(options, inbox, tasks, started_tx, thread_interrupt)
                }
            })
            .map_err(|e| format!("cannot start the global's thread: {e}"))?;
        match started_rx.recv() {
            Ok(Ok(())) => Ok(GlobalHandle {
                sender,
                thread: Some(thread),
                interrupt,
                kind,
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err("the global's thread died while starting".into())
            }
        }
    }

    pub fn kind(&self) -> GlobalKind {
        self.kind
    }

    /// A handle to queue tasks on this global from any thread.
    pub fn task_sender(&self) -> TaskSender {
        TaskSender(self.sender.clone(), 0)
    }

    /// Whether the global's event loop still runs (a worker may have closed itself).
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Runs `f` as a task on the global's thread.
    pub fn queue(&self, f: impl for<'js> FnOnce(&Ctx<'js>) + Send + 'static) -> bool {
        self.sender.send(Message::Task(Box::new(f))).is_ok()
    }

    /// Runs `f` as a task and waits for its result.
    pub fn with<R: Send + 'static>(
        &self,
        f: impl for<'js> FnOnce(&Ctx<'js>) -> R + Send + 'static,
    ) -> Result<R, EvalError> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        if !self.queue(move |ctx| {
            let _ = tx.send(f(ctx));
        }) {
            return Err(EvalError::Gone);
        }
        rx.recv().map_err(|_| EvalError::Gone)
    }

    fn send_eval(&self, source: &str, await_promise: bool) -> Receiver<Result<String, EvalError>> {
        let (reply, rx) = crossbeam_channel::bounded(1);
        let msg = Message::Eval {
            source: source.to_string(),
            name: "eval".into(),
            await_promise,
            report: false,
            reply,
        };
        let _ = self.sender.send(msg);
        rx
    }

    /// Runs classic scripts one after the other in a single task (so no microtask runs
    /// between them, as when a parser runs consecutive scripts); each one's exception is
    /// reported and the next still runs. Returns the exceptions, described, in order.
    pub fn run_scripts(&self, scripts: Vec<(String, String)>) -> Result<Vec<String>, EvalError> {
        self.with(move |ctx| {
            let mut errors = Vec::new();
            for (source, filename) in scripts {
                let options = script_thread::classic_script_options(Some(filename));
                if ctx.eval_with_options::<Value, _>(source, options).is_err() {
                    let exception = ctx.catch();
                    errors.push(describe_exception(ctx, &exception));
                    report_an_exception(ctx, exception);
                }
            }
            errors
        })
    }

    /// Loads the page at `url` into this window (fetch, parse, run its scripts). The
    /// receiver gets `Ok` once the page's load event has fired, or why it did not load.
    pub fn navigate(&self, url: &str) -> Receiver<Result<(), String>> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let url = url.to_string();
        let failed = tx.clone();
        if !self.queue(move |ctx| {
            crate::dom::servoparser::load_page(
                ctx,
                url,
                Box::new(move |r| {
                    let _ = tx.send(r);
                }),
            )
        }) {
            let _ = failed.send(Err("the global is not running".into()));
        }
        rx
    }

    /// Fetches `request` as this global's own fetches go (a service worker client's through
    /// Handle Fetch), with its origin; `sink` gets the response, the body piece by piece and
    /// the end, on the network's threads. Nothing is kept in the global.
    pub fn fetch(
        &self,
        request: net_traits::RequestData,
        sink: net_traits::FetchSink,
    ) -> Result<(), EvalError> {
        self.with(move |ctx| {
            let Some(global) = GlobalScope::current(ctx) else {
                return Err(EvalError::Gone);
            };
            let info = global.info();
            let Some(fetcher) = info.fetcher.clone() else {
                return Err(EvalError::Exception(
                    "this global has no network access".into(),
                ));
            };
            fetcher.0.fetch(
                net_traits::FetchRequest {
                    request,
                    origin: info.origin.clone(),
                    secure_context: info.secure_context,
                    unsafe_response: false,
                    cancel: Default::default(),
                },
                sink,
            );
            Ok(())
        })?
    }

    /// Fires a trusted event named `name` (plain `Event`, not bubbling) at the global, as a
    /// task; returns whether it was not canceled.
    pub fn fire_event(&self, name: &str) -> Result<bool, EvalError> {
        let name = name.to_string();
        self.with(move |ctx| {
            let Some(global) = GlobalScope::current(ctx) else {
                return false;
            };
            let target = GlobalScope::as_event_target(&global);
            crate::dom::eventtarget::fire_event(ctx, &target, &name, false, false).unwrap_or(true)
        })
    }

    /// Dispatches a trusted `ExtendableEvent` named `name` at a service worker's global (its
    /// `install` or `activate`) as a task, and returns at once with a channel that gets a
    /// value once the event is no longer active (every `waitUntil()` promise settled,
    /// Service Workers §4.4): whether it failed (a lifetime promise was rejected, it timed
    /// out, or it could not be dispatched). The channel closes if the global ends first.
    pub fn fire_extendable_event(&self, name: &str) -> Receiver<bool> {
        let name = name.to_string();
        let (done_tx, done_rx) = crossbeam_channel::bounded(1);
        self.queue(move |ctx| {
            let Some(global) = GlobalScope::current(ctx) else {
                let _ = done_tx.send(true);
                return;
            };
            let target = GlobalScope::as_event_target(&global);
            // `install` is an InstallEvent; the other lifecycle events are ExtendableEvents.
            let event = if name == "install" {
                crate::dom::installevent::InstallEvent::new_trusted(ctx)
                    .map(|e| e.upcast::<crate::dom::extendableevent::ExtendableEvent<'_>>())
            } else {
                crate::dom::extendableevent::ExtendableEvent::new_trusted(ctx, &name)
            };
            let Ok(event) = event else {
                let _ = done_tx.send(true);
                return;
            };
            let as_event = event.clone().upcast::<crate::dom::event::Event<'_>>();
            let _ = crate::dom::eventtarget::dispatch(ctx, &as_event, &target);
            event.when_inactive(Box::new(move |failed| {
                let _ = done_tx.send(failed);
            }));
            event.notify_if_inactive();
        });
        done_rx
    }

    /// This global's environment (client) id, while it runs.
    pub fn environment_id(&self) -> Option<String> {
        self.with(|ctx| {
            crate::dom::globalscope::GlobalScope::current(ctx)
                .map(|g| g.info().environment_id.clone())
        })
        .ok()
        .flatten()
    }

    /// The user interacted with this global's window (see [`crate::user_activation`]).
    pub fn activate(&self) {
        self.queue(|_| crate::user_activation::activation_notification());
    }

    /// Starts running the module graph of `url`, whose top-level module's source is `source`
    /// (a module worker's or module service worker's script): the graph loads, then runs.
    /// An exception (parsing, linking or evaluating any module of it) is reported and is the
    /// error; a module of it that could not be fetched is an error too. Returns at once; the
    /// outcome arrives on the receiver.
    pub fn start_module(
        &self,
        source: &str,
        url: &str,
        options: crate::module_scripts::ModuleFetchOptions,
    ) -> Receiver<Result<String, EvalError>> {
        let (reply, rx) = crossbeam_channel::bounded(1);
        let (source, url) = (source.to_string(), url.to_string());
        let queued = self.queue(move |ctx| {
            use crate::module_scripts::{run_a_top_level_module, TopLevelFailure};
            let _ = reply.send(match run_a_top_level_module(ctx, &url, source, options) {
                Ok(()) => Ok(String::new()),
                Err(TopLevelFailure::Exception(e)) => Err(EvalError::Exception(e)),
                Err(TopLevelFailure::Fetch) => Err(EvalError::Exception(
                    "a module of the script's graph could not be fetched".into(),
                )),
            });
        });
        if !queued {
            let (reply, rx) = crossbeam_channel::bounded(1);
            let _ = reply.send(Err(EvalError::Gone));
            return rx;
        }
        rx
    }

    /// Starts running `source` as a classic script named `filename` (its exception is
    /// reported, as [`GlobalHandle::run_script`]'s) and returns at once; the outcome arrives
    /// on the receiver.
    pub fn start_script(
        &self,
        source: &str,
        filename: &str,
    ) -> Receiver<Result<String, EvalError>> {
        let (reply, rx) = crossbeam_channel::bounded(1);
        let _ = self.sender.send(Message::Eval {
            source: source.to_string(),
            name: filename.to_string(),
            await_promise: false,
            report: true,
            reply,
        });
        rx
    }

    /// Runs `source` as a classic script named `filename`: an exception it throws is reported
    /// (an `error` event at the global, then the embedder) and returned.
    pub fn run_script(&self, source: &str, filename: &str) -> Result<(), EvalError> {
        let (reply, rx) = crossbeam_channel::bounded(1);
        let msg = Message::Eval {
            source: source.to_string(),
            name: filename.to_string(),
            await_promise: false,
            report: true,
            reply,
        };
        if self.sender.send(msg).is_err() {
            return Err(EvalError::Gone);
        }
        rx.recv().unwrap_or(Err(EvalError::Gone)).map(|_| ())
    }

    /// Evaluates `source` as a task; returns its completion value as text.
    pub fn eval(&self, source: &str) -> Result<String, EvalError> {
        self.send_eval(source, false)
            .recv()
            .unwrap_or(Err(EvalError::Gone))
    }

    /// Starts evaluating `source` and returns at once; the answer arrives on the receiver.
    pub fn eval_async(&self, source: &str) -> Receiver<Result<String, EvalError>> {
        self.send_eval(source, false)
    }

    /// Evaluates `source` and, if it gives a promise, waits (running the event loop) until it
    /// settles or `timeout` passes.
    pub fn eval_promise(&self, source: &str, timeout: Duration) -> Result<String, EvalError> {
        match self.send_eval(source, true).recv_timeout(timeout) {
            Ok(r) => r,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => Err(EvalError::Timeout),
            Err(_) if self.thread.as_ref().is_some_and(|t| !t.is_finished()) => {
                Err(EvalError::Unsettled)
            }
            Err(_) => Err(EvalError::Gone),
        }
    }

    /// Waits until the global has nothing left to do: no queued task and no active timer.
    /// Returns false if that did not happen within `timeout` (an interval runs forever).
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let (tx, rx) = crossbeam_channel::bounded(1);
        if self.sender.send(Message::WhenIdle(tx)).is_err() {
            return false;
        }
        rx.recv_timeout(timeout).is_ok()
    }

    /// Interrupts the script running now (if any) with an uncatchable error.
    pub fn interrupt(&self) {
        self.interrupt.request();
    }

    /// Shuts the global down: cancels its timers and tasks, releases every JS value and the
    /// runtime, and joins its thread.
    pub fn shutdown(mut self) -> ShutdownReport {
        self.shutdown_inner()
    }

    /// Asks the global to stop (interrupting a running script) without waiting for it;
    /// the thread is joined when the handle is shut down or dropped.
    pub fn request_shutdown(&self) {
        self.interrupt.shut_down();
        let _ = self.sender.send(Message::Shutdown);
    }

    fn shutdown_inner(&mut self) -> ShutdownReport {
        let Some(thread) = self.thread.take() else {
            return ShutdownReport::default();
        };
        // A script that never returns is interrupted so the thread can see the message.
        self.interrupt.shut_down();
        let _ = self.sender.send(Message::Shutdown);
        thread.join().unwrap_or_default()
    }
}

impl Drop for GlobalHandle {
    fn drop(&mut self) {
        self.shutdown_inner();
    }
}
