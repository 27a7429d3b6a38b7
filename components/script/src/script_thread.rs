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
//!
//! What the embedder holds to start and drive a global (its [`GlobalHandle`] and
//! [`GlobalOptions`]) is in [`crate::global_handle`].

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
use crossbeam_channel::{select, Receiver, Sender};
use rquickjs::context::EvalOptions;
use rquickjs::{Context, Runtime};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The embedder's types, which lived here before [`crate::global_handle`]; these paths keep
/// working.
pub use crate::global_handle::{
    BackgroundFetcher, EvalError, Fetcher, GlobalHandle, GlobalOptions, SetupHook, ShutdownReport,
    TaskSender,
};
use crate::global_handle::{EvalReply, Message};

/// When script is interrupted: shared by the global's [`GlobalHandle`] (which requests it)
/// and the interrupt handler QuickJS calls while script runs.
pub(crate) struct Interrupt {
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
    pub(crate) fn new() -> Interrupt {
        Interrupt {
            shutting_down: AtomicBool::new(false),
            task: AtomicU64::new(0),
            interrupt_task: AtomicU64::new(u64::MAX),
            deadline: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
    /// Every script from now on is interrupted (the global is shutting down).
    pub(crate) fn shut_down(&self) {
        self.shutting_down.store(true, Ordering::Relaxed);
    }
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
    pub(crate) fn request(&self) {
        let task = self.task.load(Ordering::Relaxed);
        if task % 2 == 1 {
            self.interrupt_task.store(task, Ordering::Relaxed);
        }
    }
}

/// The body of a global's thread: sets up its runtime and realm, runs its event loop, and
/// releases everything once the loop ends.
pub(crate) fn run_global(
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
    crate::module_scripts::install(&runtime);
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
        crate::nested::tear_down_all(&ctx);
        global.clear_all();
        if let Some(sw) = &global.info().service_workers {
            sw.remove_environment(&global.info().environment_id);
        }
        crate::user_activation::tear_down();
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

pub(crate) fn set_up_realm<'js>(
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
    crate::dom::readablestream::install_stream_extras(ctx)?;
    crate::dom::streams_transfer::install(ctx)?;
    if options.kind == GlobalKind::Window {
        crate::dom::treewalker::install_node_filter(ctx)?;
        crate::nested::install_window_proxy_support(ctx)?;
    }
    let inherited = crate::workers::Inherited {
        prefs: options.prefs.clone(),
        events: options.events.clone(),
        script_timeout: options.script_timeout,
        memory_limit: options.memory_limit,
        permissions: options.permissions.clone(),
        fetcher: options.fetcher.clone(),
        secure_context: options.secure_context,
        profile: options.profile.clone(),
        worker_setup: options.worker_setup.clone(),
        service_workers: options.service_workers.clone(),
        background_fetch: options.background_fetch.clone(),
        caches: options.caches.clone(),
        indexed_db: options.indexed_db.clone(),
    };
    let environment_id = uuid::Uuid::new_v4().to_string();
    // A service worker client's http(s) fetches go through Handle Fetch first (a service
    // worker's own do not).
    let network = match (&options.service_workers, options.fetcher) {
        (Some(context), Some(network)) if options.kind != GlobalKind::ServiceWorkerGlobalScope => {
            Some(Arc::new(crate::service_workers::ClientFetcher {
                network: network.0,
                context: context.clone(),
                client_id: environment_id.clone(),
            }) as Arc<dyn net_traits::FetchService>)
        }
        (_, network) => network.map(|f| f.0),
    };
    // blob:, data: and about: URLs are answered by the user agent, in front of the network
    // (also in a global the embedder gave no network).
    let fetcher = Some(Fetcher(Arc::new(crate::blob_url::LocalSchemeFetcher {
        inner: network,
        blob_urls: options.profile.blob_urls().clone(),
    })));
    let environment = options.service_workers.clone().map(|sw| {
        (
            sw,
            crate::service_workers::EnvironmentInfo {
                kind: crate::service_workers::EnvironmentKind::of(options.kind),
                creator: options.worker_parent.as_ref().map(|p| p.creator.clone()),
                url: options.url.clone(),
                origin: options.origin.clone(),
                secure_context: options.secure_context,
                tasks: tasks.clone(),
                ancestor_origins: options.ancestor_origins.clone(),
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
        caches: options.caches,
        indexed_db: options.indexed_db,
        cookies: options.cookies,
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
    *global.network_state.borrow_mut() = Some(crate::dom::navigator::watch_network_state(
        options.profile.online(),
        global.info().tasks.clone(),
    ));
    // A frame's window shares its top-level window's activation (one thread, one record).
    if !global.info().tasks.is_child() {
        crate::user_activation::set_up(
            &global.info().environment_id,
            &global.info().origin,
            options.profile.user_activations().clone(),
        );
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

/// Whether the event loop goes on after a task.
enum Flow {
    Continue,
    Exit,
}

/// <https://html.spec.whatwg.org/#event-loop-processing-model>: step 2 picks a task queue in
/// an implementation-defined manner; here the inbox, then one DOM task, then one due timer.
/// Idle, it waits for a message or the next timer (there is no rendering to update).
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
        // The same for each frame's window: one DOM task and one due timer.
        if crate::nested::has_children() {
            for (child, child_global) in crate::nested::live_children(ctx) {
                if let Some(task) = child_global.pop_task() {
                    worked = true;
                    run_task(&child, &child_global, interrupt, timeout, |ctx| {
                        if let Err(e) = task(ctx) {
                            GlobalScope::report_error(ctx, e);
                        }
                        Flow::Continue
                    });
                }
                if let Some(id) = child_global.timers().pop_due(Instant::now()) {
                    worked = true;
                    run_task(&child, &child_global, interrupt, timeout, |ctx| {
                        crate::dom::timers::run_timer_task(&child_global, ctx, id);
                        Flow::Continue
                    });
                }
            }
        }
        // "Close a worker": once the running task is done, the event loop ends.
        if global.is_closing() {
            return;
        }
        if worked {
            continue;
        }
        let children = if crate::nested::has_children() {
            crate::nested::live_children(ctx)
        } else {
            Vec::new()
        };
        let idle = |g: &Dom<'js, GlobalScope<'js>>| {
            g.timers().active_count() == 0 && !g.has_tasks() && g.pending_fetch_count() == 0
        };
        if !idle_waiters.is_empty() && idle(global) && children.iter().all(|(_, g)| idle(g)) {
            for tx in idle_waiters.drain(..) {
                let _ = tx.send(());
            }
        }
        // Idle: wait for a message or the next timer (of this window or one of its frames).
        let next_due = children
            .iter()
            .filter_map(|(_, g)| g.timers().next_due())
            .chain(global.timers().next_due())
            .min();
        drop(children);
        let timer = match next_due {
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

/// Steps 2.6-3 of the event loop processing model for one task: perform its steps, then a
/// microtask checkpoint, then notify about rejected promises (step 4 of the checkpoint in
/// the spec; here once the task's microtasks are all done).
fn run_task<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    interrupt: &Interrupt,
    timeout: Option<Duration>,
    task: impl FnOnce(&Ctx<'js>) -> Flow,
) -> Flow {
    interrupt.start_task(timeout);
    // Step 2.6. Perform oldestTask's steps.
    let flow = task(ctx);
    // Step 3. Perform a microtask checkpoint.
    perform_microtask_checkpoint(ctx);
    global.timers().end_task();
    interrupt.end_task();
    crate::dom::rejected_promises::notify_about_rejected_promises(global);
    if crate::nested::has_children() {
        for (_, child) in crate::nested::live_children(ctx) {
            crate::dom::rejected_promises::notify_about_rejected_promises(&child);
        }
    }
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
    // Steps 1-2. If the event loop is already performing a microtask checkpoint, return;
    // otherwise it is now.
    if IN_CHECKPOINT.with(|c| c.replace(true)) {
        return;
    }
    // Step 3. While the microtask queue is not empty, run the oldest microtask (one that
    // throws is reported).
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
    // Step 4 (notify about rejected promises) is run_task's. Step 6. Cleanup Indexed
    // Database transactions.
    crate::dom::indexeddb::cleanup_indexed_database_transactions(ctx);
    // Step 7. Clear the flag.
    IN_CHECKPOINT.with(|c| c.set(false));
}

/// Runs one message from the inbox as a task.
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
