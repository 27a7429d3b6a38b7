//! The runtime host: one QuickJS runtime per global, each on its own thread, with an
//! HTML-style event loop (<https://html.spec.whatwg.org/#event-loops>).
//!
//! The loop runs one task at a time, then a microtask checkpoint, then "notify about rejected
//! promises". Tasks come from three sources, selected with `crossbeam_channel::select!` when
//! idle: the thread's inbox (messages from other threads), DOM code's queue
//! ([`GlobalScope::queue_task`]) and timers.
//!
//! Shutdown releases every JS value Rust holds before the runtime is dropped: QuickJS aborts
//! the process (an assertion in `JS_FreeRuntime`) if an object is still alive then.

use crate::dom::bindings::callback;
use crate::dom::bindings::codegen::{self, GlobalKind, VoidFunction};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::describe_exception;
use crate::dom::bindings::realm::{self, RealmOptions};
use crate::dom::dedicatedworkerglobalscope::DedicatedWorkerGlobalScope;
use crate::dom::error_reporting::report_an_exception;
use crate::dom::globalscope::{GlobalInfo, GlobalScope, IsGlobal};
use crate::dom::serviceworkerglobalscope::ServiceWorkerGlobalScope;
use crate::dom::sharedworkerglobalscope::SharedWorkerGlobalScope;
use crate::dom::window::Window;
use crate::GlobalEvent;
use crossbeam_channel::{select, Receiver, Sender};
use rquickjs::context::EvalOptions;
use rquickjs::{Context, Runtime};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
    /// The profile's shared workers: globals given the same registry share them.
    pub shared_workers: crate::workers::SharedWorkerRegistry,
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
    /// For a service worker's global: its registration and service worker.
    pub service_worker: Option<(
        crate::service_workers::RegistrationId,
        crate::service_workers::WorkerId,
    )>,
    pub setup: Vec<SetupHook>,
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
            shared_workers: Default::default(),
            worker_setup: None,
            worker_parent: None,
            content_security_policy: Vec::new(),
            service_workers: None,
            background_fetch: None,
            service_worker: None,
            setup: Vec::new(),
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

type EvalReply = Sender<Result<String, EvalError>>;

enum Message {
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

/// A handle other threads use to queue tasks on a global's event loop (what the global gives
/// the network side so fetch results come back as tasks).
#[derive(Clone)]
pub struct TaskSender(Sender<Message>);

impl TaskSender {
    /// Queues `f` as a task; false if the global is gone.
    pub fn queue(&self, f: impl for<'js> FnOnce(&Ctx<'js>) + Send + 'static) -> bool {
        self.0.send(Message::Task(Box::new(f))).is_ok()
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

/// Shared with the interrupt handler QuickJS calls while script runs.
struct Interrupt {
    /// Set once by shutdown: every script from now on is interrupted.
    shutting_down: AtomicBool,
    /// The sequence number of the task running now (odd while a task runs).
    task: AtomicU64,
    /// `interrupt()` stores the running task's number here; that task is interrupted.
    interrupt_task: AtomicU64,
    /// Milliseconds since `epoch` after which the running task is interrupted (0: none).
    deadline: AtomicU64,
    epoch: Instant,
}

impl Interrupt {
    fn should_interrupt(&self) -> bool {
        if self.shutting_down.load(Ordering::Relaxed) {
            return true;
        }
        if self.interrupt_task.load(Ordering::Relaxed) == self.task.load(Ordering::Relaxed) {
            return true;
        }
        let deadline = self.deadline.load(Ordering::Relaxed);
        deadline != 0 && self.epoch.elapsed().as_millis() as u64 > deadline
    }
    fn start_task(&self, timeout: Option<Duration>) {
        let deadline = match timeout {
            Some(t) => ((self.epoch.elapsed() + t).as_millis() as u64).max(1),
            None => 0,
        };
        self.deadline.store(deadline, Ordering::Relaxed);
        self.task.fetch_add(1, Ordering::Relaxed);
    }
    fn end_task(&self) {
        self.deadline.store(0, Ordering::Relaxed);
        self.task.fetch_add(1, Ordering::Relaxed);
    }
    /// Interrupts the task running now; does nothing when idle.
    fn request(&self) {
        let task = self.task.load(Ordering::Relaxed);
        if task % 2 == 1 {
            self.interrupt_task.store(task, Ordering::Relaxed);
        }
    }
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
        let (sender, inbox) = crossbeam_channel::unbounded();
        let (started_tx, started_rx) = crossbeam_channel::bounded(1);
        let interrupt = Arc::new(Interrupt {
            shutting_down: AtomicBool::new(false),
            task: AtomicU64::new(0),
            interrupt_task: AtomicU64::new(u64::MAX),
            deadline: AtomicU64::new(0),
            epoch: Instant::now(),
        });
        let kind = options.kind;
        let thread_interrupt = interrupt.clone();
        let thread = std::thread::Builder::new()
            .name(format!("script-{kind:?}"))
            .stack_size(16 << 20)
            .spawn({
                let tasks = TaskSender(sender.clone());
                move || run_global(options, inbox, tasks, started_tx, thread_interrupt)
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
        TaskSender(self.sender.clone())
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
                let options = classic_script_options(Some(filename));
                if ctx.eval_with_options::<Value, _>(source, options).is_err() {
                    let exception = ctx.catch();
                    errors.push(describe_exception(ctx, &exception));
                    report_an_exception(ctx, exception);
                }
            }
            errors
        })
    }

    /// Fires a trusted event named `name` (plain `Event`, not bubbling) at the global, as a
    /// task; returns whether it was not canceled.
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
        self.interrupt.shutting_down.store(true, Ordering::Relaxed);
        let _ = self.sender.send(Message::Shutdown);
    }

    fn shutdown_inner(&mut self) -> ShutdownReport {
        let Some(thread) = self.thread.take() else {
            return ShutdownReport::default();
        };
        // A script that never returns is interrupted so the thread can see the message.
        self.interrupt.shutting_down.store(true, Ordering::Relaxed);
        let _ = self.sender.send(Message::Shutdown);
        thread.join().unwrap_or_default()
    }
}

impl Drop for GlobalHandle {
    fn drop(&mut self) {
        self.shutdown_inner();
    }
}

fn run_global(
    options: GlobalOptions,
    inbox: Receiver<Message>,
    tasks: TaskSender,
    started: Sender<Result<(), String>>,
    interrupt: Arc<Interrupt>,
) -> ShutdownReport {
    INTERRUPT.with(|i| *i.borrow_mut() = Some(interrupt.clone()));
    let runtime = match Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            let _ = started.send(Err(format!("cannot create a JS runtime: {e}")));
            return ShutdownReport::default();
        }
    };
    runtime.set_memory_limit(options.memory_limit);
    runtime.set_max_stack_size(8 << 20);
    let handler_interrupt = interrupt.clone();
    runtime.set_interrupt_handler(Some(Box::new(move || handler_interrupt.should_interrupt())));
    runtime.set_host_promise_rejection_tracker(Some(Box::new(
        |ctx, promise, reason, is_handled| {
            crate::dom::rejected_promises::host_promise_rejection_tracker(
                &ctx, promise, reason, is_handled,
            )
        },
    )));
    let context = match Context::full(&runtime) {
        Ok(c) => c,
        Err(e) => {
            let _ = started.send(Err(format!("cannot create a JS context: {e}")));
            return ShutdownReport::default();
        }
    };
    let timeout = options.script_timeout;
    let report = context.with(|ctx| {
        let global = match set_up_realm(&ctx, options, tasks) {
            Ok(g) => g,
            Err(e) => {
                let message =
                    describe_exception(&ctx, &crate::dom::bindings::error::error_value(&ctx, e));
                let _ = started.send(Err(format!("cannot set up the global: {message}")));
                realm::teardown(&ctx);
                return ShutdownReport::default();
            }
        };
        let _ = started.send(Ok(()));
        event_loop(&ctx, &global, &inbox, &interrupt, timeout);
        // Shutdown: cancel timers, drop queued tasks, drop messages still in the inbox (their
        // reply channels close, so waiting callers learn the global is gone).
        let report = ShutdownReport {
            pending_tasks: count_tasks(&global) + inbox.len(),
            pending_timers: global.timers().active_count(),
        };
        global.clear_all();
        if let Some(sw) = &global.info().service_workers {
            sw.remove_environment(&global.info().environment_id);
        }
        while inbox.try_recv().is_ok() {}
        drop(global);
        // Jobs still queued hold JS values; run none of them, but let QuickJS free them with
        // the runtime. Everything Rust holds goes now, with the realm data.
        realm::teardown(&ctx);
        ctx.run_gc();
        report
    });
    drop(context);
    runtime.run_gc();
    drop(runtime);
    report
}

fn count_tasks(global: &Dom<'_, GlobalScope<'_>>) -> usize {
    let mut n = 0;
    while global.pop_task().is_some() {
        n += 1;
    }
    n
}

fn set_up_realm<'js>(
    ctx: &Ctx<'js>,
    options: GlobalOptions,
    tasks: TaskSender,
) -> Fallible<Dom<'js, GlobalScope<'js>>> {
    realm::init(
        ctx,
        RealmOptions {
            kind: options.kind,
            secure_context: options.secure_context,
            prefs: options.prefs.clone(),
        },
    )?;
    codegen::install_interfaces(ctx)?;
    let inherited = crate::workers::Inherited {
        prefs: options.prefs.clone(),
        events: options.events.clone(),
        script_timeout: options.script_timeout,
        memory_limit: options.memory_limit,
        permissions: options.permissions.clone(),
        fetcher: options.fetcher.clone(),
        secure_context: options.secure_context,
        shared_workers: options.shared_workers.clone(),
        worker_setup: options.worker_setup.clone(),
        service_workers: options.service_workers.clone(),
        background_fetch: options.background_fetch.clone(),
    };
    // blob:, data: and about: URLs are answered by the user agent, in front of the network
    // (also in a global the embedder gave no network).
    let fetcher = Some(Fetcher(Arc::new(crate::blob_url::LocalSchemeFetcher {
        inner: options.fetcher.map(|f| f.0),
    })));
    let environment_id = uuid::Uuid::new_v4().to_string();
    let environment = options.service_workers.clone().map(|sw| {
        (
            sw,
            crate::service_workers::EnvironmentInfo {
                kind: crate::service_workers::EnvironmentKind::of(options.kind),
                url: options.url.clone(),
                origin: options.origin.clone(),
                secure_context: options.secure_context,
                tasks: tasks.clone(),
            },
        )
    });
    let info = GlobalInfo {
        kind: options.kind,
        url: options.url,
        origin: options.origin,
        secure_context: options.secure_context,
        name: options.name,
        permissions: options.permissions,
        fetcher,
        tasks,
        inherited,
        parent: options.worker_parent,
        environment_id,
        service_workers: options.service_workers,
        background_fetch: options.background_fetch,
        service_worker: options.service_worker,
    };
    let scope = GlobalScope::new_inherited(info, options.events);
    let global = match options.kind {
        GlobalKind::Window => {
            realm::init_global(ctx, Window::new_inherited(scope))?.project(|g| g.global_scope())
        }
        GlobalKind::DedicatedWorkerGlobalScope => {
            realm::init_global(ctx, DedicatedWorkerGlobalScope::new_inherited(scope))?
                .project(|g| g.global_scope())
        }
        GlobalKind::SharedWorkerGlobalScope => {
            realm::init_global(ctx, SharedWorkerGlobalScope::new_inherited(scope))?
                .project(|g| g.global_scope())
        }
        GlobalKind::ServiceWorkerGlobalScope => {
            realm::init_global(ctx, ServiceWorkerGlobalScope::new_inherited(scope))?
                .project(|g| g.global_scope())
        }
    };
    for value in &options.content_security_policy {
        global.add_csp_policies(crate::csp::parse_policy_list(
            value,
            crate::csp::Source::Header,
        ));
    }
    for hook in options.setup {
        hook(ctx)?;
    }
    // A service worker's global has its registration and ServiceWorker objects from the
    // start (they stay valid even once the registration is cleared).
    if options.kind == GlobalKind::ServiceWorkerGlobalScope {
        let _ = crate::dom::serviceworkerglobalscope::registration_object(ctx, &global);
        let _ = crate::dom::serviceworkerglobalscope::service_worker_object(ctx, &global);
    }
    // The global's environment is known to the service worker registry once it is set up
    // (a client, unless it is a service worker's own global).
    if let Some((sw, info)) = environment {
        sw.add_environment(global.info().environment_id.clone(), info);
    }
    Ok(global)
}

enum Flow {
    Continue,
    Exit,
}

fn event_loop<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    inbox: &Receiver<Message>,
    interrupt: &Interrupt,
    timeout: Option<Duration>,
) {
    let mut idle_waiters: Vec<Sender<()>> = Vec::new();
    loop {
        let mut worked = false;
        // Messages from other threads.
        while let Ok(msg) = inbox.try_recv() {
            worked = true;
            if let Message::WhenIdle(tx) = msg {
                idle_waiters.push(tx);
                continue;
            }
            if let Flow::Exit = run_task(ctx, global, interrupt, timeout, |ctx| {
                handle_message(ctx, msg)
            }) {
                return;
            }
            if global.is_closing() {
                return;
            }
        }
        // One task DOM code queued.
        if let Some(task) = global.pop_task() {
            worked = true;
            run_task(ctx, global, interrupt, timeout, |ctx| {
                if let Err(e) = task(ctx) {
                    GlobalScope::report_error(ctx, e);
                }
                Flow::Continue
            });
        }
        if global.is_closing() {
            return;
        }
        // One timer that is due.
        if let Some(id) = global.timers().pop_due(Instant::now()) {
            worked = true;
            run_task(ctx, global, interrupt, timeout, |ctx| {
                crate::dom::timers::run_timer_task(global, ctx, id);
                Flow::Continue
            });
        }
        // "Close a worker": once the running task is done, the event loop ends.
        if global.is_closing() {
            return;
        }
        if worked {
            continue;
        }
        if !idle_waiters.is_empty()
            && global.timers().active_count() == 0
            && !global.has_tasks()
            && global.pending_fetch_count() == 0
        {
            for tx in idle_waiters.drain(..) {
                let _ = tx.send(());
            }
        }
        // Idle: wait for a message or the next timer.
        let timer = match global.timers().next_due() {
            Some(due) => crossbeam_channel::at(due),
            None => crossbeam_channel::never(),
        };
        select! {
            recv(inbox) -> msg => match msg {
                Ok(Message::WhenIdle(tx)) => idle_waiters.push(tx),
                Ok(msg) => {
                    if let Flow::Exit = run_task(ctx, global, interrupt, timeout, |ctx| handle_message(ctx, msg)) {
                        return;
                    }
                    if global.is_closing() {
                        return;
                    }
                }
                // Every handle is gone: nobody can reach this global any more.
                Err(_) => return,
            },
            recv(timer) -> _ => {}
        }
    }
}

/// Runs one task, then a microtask checkpoint and the rejected-promise notification.
fn run_task<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    interrupt: &Interrupt,
    timeout: Option<Duration>,
    task: impl FnOnce(&Ctx<'js>) -> Flow,
) -> Flow {
    interrupt.start_task(timeout);
    let flow = task(ctx);
    perform_microtask_checkpoint(ctx);
    global.timers().end_task();
    interrupt.end_task();
    crate::dom::rejected_promises::notify_about_rejected_promises(global);
    flow
}

thread_local! {
    /// How many Rust functions called from JS are running on this thread: 0 means no script
    /// is on the stack (HTML's "JavaScript execution context stack is empty").
    static NATIVE_DEPTH: Cell<u32> = const { Cell::new(0) };
    /// HTML's "performing a microtask checkpoint" flag.
    static IN_CHECKPOINT: Cell<bool> = const { Cell::new(false) };
    /// This thread's global's interrupt state (so blocking waits can notice shutdown).
    static INTERRUPT: std::cell::RefCell<Option<Arc<Interrupt>>> = const { std::cell::RefCell::new(None) };
}

/// Whether this thread's global is being shut down (a blocking wait should give up).
pub(crate) fn shutting_down() -> bool {
    INTERRUPT.with(|i| {
        i.borrow()
            .as_ref()
            .is_some_and(|i| i.shutting_down.load(Ordering::Relaxed))
    })
}

/// How QuickJS evaluates a classic script: global code, sloppy mode, named `filename`.
pub(crate) fn classic_script_options(filename: Option<String>) -> EvalOptions {
    let mut options = EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = filename;
    options
}

/// <https://html.spec.whatwg.org/#run-a-classic-script>: evaluates `source` as a classic
/// script of the current global. With `rethrow`, an exception is returned (importScripts);
/// without, it is reported ("report an exception") and `Ok` is returned.
pub(crate) fn run_classic_script<'js>(
    ctx: &Ctx<'js>,
    source: String,
    filename: &str,
    rethrow: bool,
) -> Fallible<()> {
    let options = classic_script_options(Some(filename.to_string()));
    match ctx.eval_with_options::<Value, _>(source, options) {
        Ok(_) => Ok(()),
        Err(_) if rethrow => Err(Error::JsException),
        Err(_) => {
            let exception = ctx.catch();
            report_an_exception(ctx, exception);
            Ok(())
        }
    }
}

/// Marks a Rust function called from JS (entered by the glue).
pub(crate) struct NativeScope;

impl NativeScope {
    pub(crate) fn enter() -> NativeScope {
        NATIVE_DEPTH.with(|d| d.set(d.get() + 1));
        NativeScope
    }
}

impl Drop for NativeScope {
    fn drop(&mut self) {
        NATIVE_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether script is on the stack (a Rust function called from JS is running).
pub(crate) fn script_on_stack() -> bool {
    NATIVE_DEPTH.with(|d| d.get() > 0)
}

/// HTML "clean up after running script": once the stack is empty, run the microtasks.
pub(crate) fn clean_up_after_running_script(ctx: &Ctx<'_>) {
    if !script_on_stack() {
        perform_microtask_checkpoint(ctx);
    }
}

/// <https://html.spec.whatwg.org/#perform-a-microtask-checkpoint>: run every queued job; a
/// job that throws (queueMicrotask callbacks report their own) is reported.
pub fn perform_microtask_checkpoint(ctx: &Ctx<'_>) {
    // Step 1. If the event loop is already performing a microtask checkpoint, return.
    if IN_CHECKPOINT.with(|c| c.replace(true)) {
        return;
    }
    let rt = unsafe { rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr()) };
    loop {
        let mut job_ctx = std::mem::MaybeUninit::<*mut rquickjs::qjs::JSContext>::uninit();
        let r = unsafe { rquickjs::qjs::JS_ExecutePendingJob(rt, job_ctx.as_mut_ptr()) };
        if r == 0 {
            break;
        }
        if r < 0 {
            let exception = ctx.catch();
            report_an_exception(ctx, exception);
        }
    }
    IN_CHECKPOINT.with(|c| c.set(false));
}

fn handle_message<'js>(ctx: &Ctx<'js>, msg: Message) -> Flow {
    match msg {
        Message::Shutdown => Flow::Exit,
        // Handled by the loop itself.
        Message::WhenIdle(_) => Flow::Continue,
        Message::Task(f) => {
            f(ctx);
            Flow::Continue
        }
        Message::Eval {
            source,
            name,
            await_promise,
            report,
            reply,
        } => {
            let options = classic_script_options(Some(name));
            match ctx.eval_with_options::<Value, _>(source, options) {
                Ok(v) => {
                    if await_promise && v.is_promise() {
                        if let Err(e) = reply_when_settled(ctx, v, reply.clone()) {
                            let value = crate::dom::bindings::error::error_value(ctx, e);
                            let _ = reply
                                .send(Err(EvalError::Exception(describe_exception(ctx, &value))));
                        }
                    } else {
                        let _ = reply.send(Ok(conv::display_value(&v)));
                    }
                }
                Err(_) => {
                    let exception = ctx.catch();
                    let description = describe_exception(ctx, &exception);
                    if report {
                        report_an_exception(ctx, exception);
                    }
                    let _ = reply.send(Err(EvalError::Exception(description)));
                }
            }
            Flow::Continue
        }
    }
}

/// A reply channel that can live in a traced closure (it holds no JS value).
#[derive(Clone)]
struct ReplyTo(EvalReply);

impl<'js> Trace<'js> for ReplyTo {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

fn reply_when_settled<'js>(ctx: &Ctx<'js>, value: Value<'js>, reply: EvalReply) -> Fallible<()> {
    let promise = value
        .into_promise()
        .ok_or_else(|| Error::Type("not a promise".into()))?;
    callback::react(
        ctx,
        &promise,
        ReplyTo(reply),
        |reply, params| {
            let v = glue::arg(params, 0);
            let _ = reply.0.send(Ok(conv::display_value(&v)));
            Ok(Value::new_undefined(params.ctx().clone()))
        },
        |reply, params| {
            let v = glue::arg(params, 0);
            let _ = reply.0.send(Err(EvalError::Exception(describe_exception(
                params.ctx(),
                &v,
            ))));
            Ok(Value::new_undefined(params.ctx().clone()))
        },
    )
}

/// <https://html.spec.whatwg.org/#microtask-queuing>: queue a microtask that invokes
/// `callback`, reporting an exception it throws.
pub fn queue_microtask<'js>(ctx: &Ctx<'js>, callback: VoidFunction<'js>) -> Fallible<()> {
    let job = callback::traced_function(ctx, callback, |callback, params| {
        let ctx = params.ctx();
        if let Err(e) = callback.call(ctx, Value::new_undefined(ctx.clone())) {
            GlobalScope::report_error(ctx, e);
        }
        Ok(Value::new_undefined(ctx.clone()))
    })?;
    job.defer(())?;
    Ok(())
}
