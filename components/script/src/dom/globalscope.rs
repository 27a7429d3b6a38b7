//! The state every global object has (HTML's "global object" and "environment settings
//! object" rolled into one, as Servo's `GlobalScope`): timers, the task queue of this thread's
//! event loop, error reporting, promise rejection tracking, console state.
//!
//! `GlobalScope` is not an interface; each [Global] DOM type embeds it and delegates the
//! `WindowOrWorkerGlobalScope` members to it.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::{GlobalKind, TimerHandler};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::describe_exception;
use crate::dom::dedicatedworkerglobalscope::DedicatedWorkerGlobalScope;
use crate::dom::errorevent::ErrorEvent;
use crate::dom::eventtarget::{dispatch, EventTarget};
use crate::dom::promiserejectionevent::PromiseRejectionEvent;
use crate::dom::serviceworkerglobalscope::ServiceWorkerGlobalScope;
use crate::dom::sharedworkerglobalscope::SharedWorkerGlobalScope;
use crate::dom::window::Window;
pub use crate::dom::worker::WorkerError;
use crate::message_router::PortId;
use crate::GlobalEvent;
use crossbeam_channel::Sender;
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A task queued on this global's event loop by DOM code.
pub type Task<'js> = Box<dyn FnOnce(&Ctx<'js>) -> Fallible<()> + 'js>;

/// What a global is created with.
#[derive(Clone, Debug)]
pub struct GlobalInfo {
    pub kind: GlobalKind,
    /// The creation URL.
    pub url: String,
    /// The serialized origin.
    pub origin: String,
    pub secure_context: bool,
    /// A worker's name (empty for windows).
    pub name: String,
    /// The embedder's permission states (shared with the embedder and other globals).
    pub permissions: crate::permissions::PermissionStore,
    /// The network side of fetch().
    pub fetcher: Option<crate::script_thread::Fetcher>,
    /// Queues tasks on this global's event loop from other threads.
    pub tasks: crate::script_thread::TaskSender,
    /// What the workers this global creates inherit.
    pub inherited: crate::workers::Inherited,
    /// A worker's Worker or SharedWorker object, in the global that created it.
    pub parent: Option<crate::workers::WorkerParent>,
    /// The environment's id (a service worker client's id).
    pub environment_id: String,
    /// The profile's service worker registrations.
    pub service_workers: Option<crate::service_workers::ServiceWorkerContext>,
    /// The profile's background fetch controller.
    pub background_fetch: Option<crate::script_thread::BackgroundFetcher>,
    /// A service worker global's registration and service worker.
    pub service_worker: Option<(
        crate::service_workers::RegistrationId,
        crate::service_workers::WorkerId,
    )>,
}

/// One active timer (HTML "map of active timers" entry plus what its task runs).
struct Timer<'js> {
    handler: TimerHandler<'js>,
    arguments: Vec<Value<'js>>,
    timeout: Duration,
    repeat: bool,
    /// The timer nesting level its task runs at.
    nesting: u32,
    /// A user agent timer ("run steps after a timeout"): clearTimeout cannot cancel it.
    internal: bool,
}

impl<'js> Trace<'js> for Timer<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.handler.trace(tracer);
        self.arguments.trace(tracer);
    }
}

#[derive(Default)]
struct Timers<'js> {
    next_id: i32,
    active: BTreeMap<i32, Timer<'js>>,
    /// (due time, sequence, id): equal due times fire in scheduling order.
    schedule: BinaryHeap<Reverse<(Instant, u64, i32)>>,
    sequence: u64,
    /// The last id given to a user agent timer (negative, counting down).
    next_internal_id: i32,
}

impl<'js> Trace<'js> for Timers<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for t in self.active.values() {
            t.trace(tracer)
        }
    }
}

#[derive(Default)]
struct Rejections<'js> {
    /// HTML's about-to-be-notified rejected promises list.
    about_to_be_notified: Vec<(Value<'js>, Value<'js>)>,
    /// Taken from that list by "notify about rejected promises", waiting for its task. A
    /// promise handled meanwhile leaves this list (its [[PromiseIsHandled]] became true).
    notifying: Vec<(Value<'js>, Value<'js>)>,
    /// HTML's outstanding rejected promises weak set (bounded here).
    outstanding: VecDeque<Value<'js>>,
}

impl<'js> Trace<'js> for Rejections<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for (p, r) in self.about_to_be_notified.iter().chain(&self.notifying) {
            p.trace(tracer);
            r.trace(tracer);
        }
        for p in &self.outstanding {
            p.trace(tracer);
        }
    }
}

/// How many never-handled rejected promises are remembered for `rejectionhandled`.
const OUTSTANDING_LIMIT: usize = 1024;

#[derive(Default)]
struct ConsoleState {
    counts: HashMap<String, u64>,
    timers: HashMap<String, Instant>,
    group_depth: usize,
}

/// See the module documentation.
pub struct GlobalScope<'js> {
    event_target: EventTarget<'js>,
    info: GlobalInfo,
    /// The time origin.
    time_origin: Instant,
    timers: DomRefCell<Timers<'js>>,
    /// The nesting level of the timer task running now (0 outside timer tasks).
    timer_nesting: Cell<u32>,
    /// Tasks DOM code queued on this event loop (networking, DOM manipulation, ...).
    tasks: RefCell<VecDeque<Task<'js>>>,
    rejections: DomRefCell<Rejections<'js>>,
    /// HTML's "in error reporting mode".
    in_error_reporting_mode: Cell<bool>,
    console: RefCell<ConsoleState>,
    /// The embedder's channel for errors and console output.
    reporter: Option<Sender<GlobalEvent>>,
    /// fetch() calls in progress, by id.
    pub(crate) fetches: DomRefCell<crate::dom::fetch::PendingFetches<'js>>,
    /// Where the message ports of this global deliver, by router id: MessagePorts that may
    /// still receive messages, Worker objects (their outside ports) and, in a dedicated
    /// worker, the global itself (its inside port).
    pub(crate) ports: DomRefCell<HashMap<PortId, PortTarget<'js>>>,
    /// A dedicated worker's inside port.
    pub(crate) implicit_port: Cell<Option<PortId>>,
    /// The Worker and SharedWorker objects of this global, by their outside port's id (where
    /// a worker's `error` events go).
    pub(crate) worker_objects: DomRefCell<HashMap<PortId, Dom<'js, EventTarget<'js>>>>,
    /// The dedicated workers this global created (shut down with it).
    pub(crate) workers: RefCell<HashMap<PortId, crate::script_thread::GlobalHandle>>,
    /// The shared workers this global connected to (released with it).
    pub(crate) shared_workers: RefCell<Vec<crate::workers::SharedWorkerKey>>,
    /// A worker's closing flag (set by close()): the event loop ends after this task.
    closing: Cell<bool>,
    /// The user agent's own whole-body fetches in flight (pages, classic scripts).
    pub(crate) pending_loads: Cell<usize>,
    /// A window's associated Document (made when first needed if no page was loaded).
    document: DomRefCell<Option<Dom<'js, crate::dom::document::Document<'js>>>>,
    /// The CSP list of the global's policy container (enforced policies).
    csp: RefCell<Vec<crate::csp::Policy>>,
    /// The blob URLs this global made (revoked when it ends).
    pub(crate) blob_urls: RefCell<Vec<String>>,
    /// Whether any MutationObserver observed anything here (until then, mutations skip the
    /// record machinery).
    pub(crate) mutation_observers_used: Cell<bool>,
    /// The agent's "mutation observer microtask queued" flag and pending observers.
    pub(crate) mutation_observer_microtask_queued: Cell<bool>,
    pub(crate) pending_mutation_observers:
        DomRefCell<Vec<Dom<'js, crate::dom::mutationobserver::MutationObserver<'js>>>>,
    /// The service worker registration object map (Service Workers §3.2.1).
    pub(crate) sw_registrations: DomRefCell<
        HashMap<
            crate::service_workers::RegistrationId,
            Dom<'js, crate::dom::serviceworkerregistration::ServiceWorkerRegistration<'js>>,
        >,
    >,
    /// The service worker object map (Service Workers §3.1.1).
    pub(crate) sw_workers: DomRefCell<
        HashMap<
            crate::service_workers::WorkerId,
            Dom<'js, crate::dom::serviceworker::ServiceWorker<'js>>,
        >,
    >,
    /// The ServiceWorkerContainer of this global's navigator (made when first needed).
    pub(crate) sw_container: DomRefCell<
        Option<Dom<'js, crate::dom::serviceworkercontainer::ServiceWorkerContainer<'js>>>,
    >,
    /// Promises that service worker jobs and lookups settle later, by number.
    pub(crate) sw_promises: DomRefCell<PromiseSlab<'js>>,
    /// The ServiceWorkerContainer's client message queue.
    pub(crate) sw_messages: RefCell<crate::dom::serviceworkercontainer::ClientMessageQueue>,
    /// The incoming bodies (fetch() responses, stored background fetch responses) of this
    /// global: it is their one tracer.
    incomings: RefCell<Vec<std::rc::Weak<crate::dom::body::Incoming<'js>>>>,
    /// The connection to the background fetch controller, and this realm's
    /// BackgroundFetchRegistration instances.
    pub(crate) bgfetch: DomRefCell<crate::dom::backgroundfetch::connection::Connection<'js>>,
}

/// Promises kept by number until a task from another thread settles them.
#[derive(Default)]
pub struct PromiseSlab<'js> {
    next: u64,
    map: HashMap<u64, (Function<'js>, Function<'js>)>,
}

impl<'js> PromiseSlab<'js> {
    /// Keeps a promise's resolving functions; returns its number.
    pub fn add(&mut self, resolve: Function<'js>, reject: Function<'js>) -> u64 {
        self.next += 1;
        self.map.insert(self.next, (resolve, reject));
        self.next
    }
    /// Takes the resolving functions of promise `id` (once).
    pub fn take(&mut self, id: u64) -> Option<(Function<'js>, Function<'js>)> {
        self.map.remove(&id)
    }
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

impl<'js> Trace<'js> for PromiseSlab<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for (resolve, reject) in self.map.values() {
            resolve.trace(tracer);
            reject.trace(tracer);
        }
    }
}

/// Where messages arriving at one of a global's ports are delivered.
#[derive(Clone)]
pub enum PortTarget<'js> {
    /// A MessagePort object.
    Port(Dom<'js, crate::dom::messageport::MessagePort<'js>>),
    /// An object with an implicit port: a Worker (its outside port).
    Object(Dom<'js, EventTarget<'js>>),
    /// The global itself (a dedicated worker's inside port).
    Global,
}

impl<'js> Trace<'js> for PortTarget<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            PortTarget::Port(p) => p.trace(tracer),
            PortTarget::Object(o) => o.trace(tracer),
            PortTarget::Global => {}
        }
    }
}

impl<'js> Trace<'js> for GlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.timers.trace(tracer);
        self.rejections.trace(tracer);
        self.fetches.trace(tracer);
        self.ports.trace(tracer);
        self.worker_objects.trace(tracer);
        self.document.trace(tracer);
        self.pending_mutation_observers.trace(tracer);
        self.sw_registrations.trace(tracer);
        self.sw_workers.trace(tracer);
        self.sw_container.trace(tracer);
        self.sw_promises.trace(tracer);
        self.bgfetch.trace(tracer);
        if let Ok(incomings) = self.incomings.try_borrow() {
            for i in incomings.iter().filter_map(|w| w.upgrade()) {
                i.trace(tracer);
            }
        }
    }
}

impl<'js> GlobalScope<'js> {
    pub fn new_inherited(
        info: GlobalInfo,
        reporter: Option<Sender<GlobalEvent>>,
    ) -> GlobalScope<'js> {
        GlobalScope {
            event_target: EventTarget::new_inherited(),
            info,
            time_origin: Instant::now(),
            timers: DomRefCell::new(Timers {
                next_id: 1,
                ..Default::default()
            }),
            timer_nesting: Cell::new(0),
            tasks: RefCell::new(VecDeque::new()),
            rejections: DomRefCell::new(Rejections::default()),
            in_error_reporting_mode: Cell::new(false),
            console: RefCell::new(ConsoleState::default()),
            reporter,
            fetches: DomRefCell::new(Default::default()),
            ports: DomRefCell::new(HashMap::new()),
            implicit_port: Cell::new(None),
            worker_objects: DomRefCell::new(HashMap::new()),
            workers: RefCell::new(HashMap::new()),
            shared_workers: RefCell::new(Vec::new()),
            closing: Cell::new(false),
            pending_loads: Cell::new(0),
            document: DomRefCell::new(None),
            csp: RefCell::new(Vec::new()),
            blob_urls: RefCell::new(Vec::new()),
            mutation_observers_used: Cell::new(false),
            mutation_observer_microtask_queued: Cell::new(false),
            pending_mutation_observers: DomRefCell::new(Vec::new()),
            sw_registrations: DomRefCell::new(HashMap::new()),
            sw_workers: DomRefCell::new(HashMap::new()),
            sw_container: DomRefCell::new(None),
            sw_promises: DomRefCell::new(PromiseSlab::default()),
            sw_messages: RefCell::new(Default::default()),
            bgfetch: DomRefCell::new(Default::default()),
            incomings: RefCell::new(Vec::new()),
        }
    }

    pub fn event_target(&self) -> &EventTarget<'js> {
        &self.event_target
    }
    pub fn info(&self) -> &GlobalInfo {
        &self.info
    }

    /// Registers an incoming body (see [`crate::dom::body::Incoming::new_in`]); forgets the
    /// ones that are gone.
    pub fn register_incoming(&self, incoming: &std::rc::Rc<crate::dom::body::Incoming<'js>>) {
        let mut list = self.incomings.borrow_mut();
        list.retain(|w| w.strong_count() > 0);
        list.push(std::rc::Rc::downgrade(incoming));
    }

    /// fetch() calls still waiting for the network (the event loop is not idle then).
    pub fn pending_fetch_count(&self) -> usize {
        self.fetches.borrow().len() + self.pending_loads.get()
    }

    /// A window's document, if one was made or loaded.
    pub fn document(&self) -> Option<Dom<'js, crate::dom::document::Document<'js>>> {
        self.document.borrow().clone()
    }
    /// Makes `document` the window's associated Document (the old one's parser stops).
    pub fn set_document(&self, document: Dom<'js, crate::dom::document::Document<'js>>) {
        if let Some(old) = self.document.replace(Some(document)) {
            old.teardown();
        }
    }
    /// Parses `input` against this global's API base URL (its creation URL).
    pub fn parse_url(&self, input: &str) -> Result<url::Url, url::ParseError> {
        let base = url::Url::parse(&self.info.url).ok();
        url::Url::options().base_url(base.as_ref()).parse(input)
    }

    /// The enforced Content Security Policies of this global.
    pub fn csp_policies(&self) -> Vec<crate::csp::Policy> {
        self.csp.borrow().clone()
    }
    /// Enforces more policies (from a response's headers or a `<meta>` element).
    pub fn add_csp_policies(&self, policies: Vec<crate::csp::Policy>) {
        self.csp.borrow_mut().extend(policies);
    }

    /// The permission state of the powerful feature `name` for this global's origin
    /// (Permissions §"get the current permission state"; unset is "prompt").
    pub fn permission_state(&self, name: &str) -> crate::permissions::PermissionState {
        self.info.permissions.get(&self.info.origin, name)
    }

    /// The global of the current realm.
    pub fn current(ctx: &Ctx<'js>) -> Option<Dom<'js, GlobalScope<'js>>> {
        let (visible, data) = realm::global_data(ctx)?;
        if let Some(c) = data.as_class::<Window<'js>>() {
            return Some(Dom::from_class(visible, c).project(|w| w.global_scope()));
        }
        if let Some(c) = data.as_class::<DedicatedWorkerGlobalScope<'js>>() {
            return Some(Dom::from_class(visible, c).project(|w| w.global_scope()));
        }
        if let Some(c) = data.as_class::<SharedWorkerGlobalScope<'js>>() {
            return Some(Dom::from_class(visible, c).project(|w| w.global_scope()));
        }
        if let Some(c) = data.as_class::<ServiceWorkerGlobalScope<'js>>() {
            return Some(Dom::from_class(visible, c).project(|w| w.global_scope()));
        }
        None
    }

    /// The global object as an EventTarget.
    pub fn as_event_target(this: &Dom<'js, GlobalScope<'js>>) -> Dom<'js, EventTarget<'js>> {
        this.project(|g| &g.event_target)
    }

    /// Milliseconds since the current global's time origin (0 without a global).
    pub fn now_ms(ctx: &Ctx<'js>) -> f64 {
        match GlobalScope::current(ctx) {
            Some(g) => g.time_origin.elapsed().as_secs_f64() * 1000.0,
            None => 0.0,
        }
    }

    fn send(&self, event: GlobalEvent) {
        if let Some(r) = &self.reporter {
            let _ = r.send(event);
        }
    }

    // ---- Tasks --------------------------------------------------------------------------

    /// Queues a task on this global's event loop.
    pub fn queue_task(&self, task: Task<'js>) {
        self.tasks.borrow_mut().push_back(task);
    }

    pub fn pop_task(&self) -> Option<Task<'js>> {
        self.tasks.borrow_mut().pop_front()
    }

    pub fn has_tasks(&self) -> bool {
        !self.tasks.borrow().is_empty()
    }

    // ---- Timers (HTML §8.6) -------------------------------------------------------------

    /// <https://html.spec.whatwg.org/#timer-initialisation-steps>
    pub fn initialize_timer(
        &self,
        handler: TimerHandler<'js>,
        timeout: i32,
        arguments: Vec<Value<'js>>,
        repeat: bool,
        previous_id: Option<i32>,
    ) -> i32 {
        let mut timers = self.timers.borrow_mut();
        // Step 2. The id: the previous one, or a new one greater than zero.
        let id = match previous_id {
            Some(id) => id,
            None => {
                let id = timers.next_id;
                timers.next_id = timers.next_id.checked_add(1).unwrap_or(1);
                id
            }
        };
        // Step 3. The nesting level of the running timer task, if any.
        let nesting = self.timer_nesting.get();
        // Steps 4-5. Clamp the timeout.
        let mut timeout = timeout.max(0) as u64;
        if nesting > 5 && timeout < 4 {
            timeout = 4;
        }
        // Step 10. Increment the nesting level for the task.
        let timer = Timer {
            handler,
            arguments,
            timeout: Duration::from_millis(timeout),
            repeat,
            nesting: nesting + 1,
            internal: false,
        };
        // Steps 11-12. Record it and schedule its task.
        let due = Instant::now() + timer.timeout;
        timers.active.insert(id, timer);
        timers.sequence += 1;
        let seq = timers.sequence;
        timers.schedule.push(Reverse((due, seq, id)));
        id
    }

    /// <https://html.spec.whatwg.org/#dom-cleartimeout>
    pub fn clear_timer(&self, id: i32) {
        let mut timers = self.timers.borrow_mut();
        if timers.active.get(&id).is_some_and(|t| !t.internal) {
            timers.active.remove(&id);
        }
    }

    /// <https://html.spec.whatwg.org/#run-steps-after-a-timeout>: calls `callback` after
    /// `ms` milliseconds on the timer task source. Not a setTimeout timer: its id (negative)
    /// is not the page's, clearTimeout cannot cancel it, and no nesting clamp applies.
    pub fn run_steps_after_timeout(&self, callback: TimerHandler<'js>, ms: u64) {
        let mut timers = self.timers.borrow_mut();
        timers.next_internal_id = timers.next_internal_id.checked_sub(1).unwrap_or(-1);
        let id = timers.next_internal_id;
        let timer = Timer {
            handler: callback,
            arguments: Vec::new(),
            timeout: Duration::from_millis(ms),
            repeat: false,
            nesting: 0,
            internal: true,
        };
        let due = Instant::now() + timer.timeout;
        timers.active.insert(id, timer);
        timers.sequence += 1;
        let seq = timers.sequence;
        timers.schedule.push(Reverse((due, seq, id)));
    }

    /// When the next scheduled timer is due.
    pub fn next_timer_due(&self) -> Option<Instant> {
        let mut timers = self.timers.borrow_mut();
        // Drop entries of cleared timers so they do not wake the loop.
        while let Some(Reverse((_, _, id))) = timers.schedule.peek().copied() {
            if timers.active.contains_key(&id) {
                break;
            }
            timers.schedule.pop();
        }
        timers.schedule.peek().map(|Reverse((due, _, _))| *due)
    }

    /// The id of a timer due at `now`, removed from the schedule.
    pub fn pop_due_timer(&self, now: Instant) -> Option<i32> {
        let mut timers = self.timers.borrow_mut();
        while let Some(Reverse((due, _, id))) = timers.schedule.peek().copied() {
            if due > now {
                return None;
            }
            timers.schedule.pop();
            if timers.active.contains_key(&id) {
                return Some(id);
            }
        }
        None
    }

    pub fn active_timer_count(&self) -> usize {
        self.timers.borrow().active.len()
    }

    /// The task steps of a timer (timer initialisation steps, step 9).
    pub fn run_timer(this: &Dom<'js, GlobalScope<'js>>, ctx: &Ctx<'js>, id: i32) {
        // Step 9.1. If id does not exist in the map of active timers, abort.
        let (handler, arguments, repeat, timeout, nesting) = {
            let timers = this.timers.borrow();
            let Some(t) = timers.active.get(&id) else {
                return;
            };
            (
                t.handler.clone(),
                t.arguments.clone(),
                t.repeat,
                t.timeout,
                t.nesting,
            )
        };
        this.timer_nesting.set(nesting);
        let global_object = this.reflector().clone().into_value();
        // Steps 9.3-9.5. Call the function, or run the string as a classic (sloppy) script.
        let result = match handler.clone() {
            TimerHandler::Function(f) => f.call(ctx, global_object, arguments.clone()).map(|_| ()),
            TimerHandler::String(code) => {
                let mut options = rquickjs::context::EvalOptions::default();
                options.global = true;
                options.strict = false;
                ctx.eval_with_options::<Value, _>(code, options)
                    .map(|_| ())
                    .map_err(Error::from)
            }
        };
        if let Err(e) = result {
            GlobalScope::report_error(ctx, e);
        }
        // Steps 9.6-9.7. Repeat (at this task's nesting level), unless cleared meanwhile;
        // else forget the id.
        if repeat {
            if this.timers.borrow().active.contains_key(&id) {
                this.initialize_timer(
                    handler,
                    timeout.as_millis() as i32,
                    arguments,
                    true,
                    Some(id),
                );
            }
        } else {
            this.timers.borrow_mut().active.remove(&id);
        }
    }

    /// Called by the event loop once a task and its microtasks are done: the timer nesting
    /// level applies to everything the timer's task ran, microtasks included.
    pub fn end_timer_task(&self) {
        self.timer_nesting.set(0);
    }

    /// Drops every timer and queued task (global shutdown).
    pub fn clear_all(&self) {
        let mut timers = self.timers.borrow_mut();
        timers.active.clear();
        timers.schedule.clear();
        drop(timers);
        self.tasks.borrow_mut().clear();
        let mut r = self.rejections.borrow_mut();
        r.about_to_be_notified.clear();
        r.notifying.clear();
        r.outstanding.clear();
        drop(r);
        self.fetches.borrow_mut().clear();
        self.pending_mutation_observers.borrow_mut().clear();
        self.sw_registrations.borrow_mut().clear();
        self.sw_workers.borrow_mut().clear();
        self.sw_container.borrow_mut().take();
        self.sw_promises.borrow_mut().clear();
        self.bgfetch.borrow_mut().close(&self.info);
        for i in self.incomings.borrow_mut().drain(..) {
            if let Some(i) = i.upgrade() {
                i.release();
            }
        }
        // Messages from service workers that were never delivered: their ports close.
        for message in self.sw_messages.borrow_mut().drain() {
            crate::message_router::dispose(message);
        }
        if let Some(document) = self.document.borrow_mut().take() {
            document.teardown();
        }
        // The blob URLs whose environment this is are removed with it.
        for url in self.blob_urls.borrow_mut().drain(..) {
            crate::blob_url::remove_entry(&url, &self.info.origin);
        }
        // The global goes away: its ports are disentangled (their peers get close events).
        let ports: Vec<_> = self.ports.borrow_mut().drain().map(|(id, _)| id).collect();
        for id in ports {
            crate::message_router::close(id);
        }
        self.worker_objects.borrow_mut().clear();
        // Its dedicated workers end with it; its shared workers lose an owner.
        let workers: Vec<_> = self.workers.borrow_mut().drain().map(|(_, h)| h).collect();
        for w in workers {
            w.shutdown();
        }
        let shared: Vec<_> = self.shared_workers.borrow_mut().drain(..).collect();
        for key in shared {
            self.info.inherited.shared_workers.release(&key);
        }
    }

    /// <https://html.spec.whatwg.org/#close-a-worker>: discard the queued tasks and set the
    /// closing flag; the event loop ends once the running task is done.
    pub fn close_worker(&self) {
        self.tasks.borrow_mut().clear();
        self.closing.set(true);
    }

    pub fn is_closing(&self) -> bool {
        self.closing.get()
    }

    // ---- Errors (HTML §8.1.4.6) ---------------------------------------------------------

    /// Reports an error from a DOM method or callback: a pending JS exception is taken and
    /// reported; other errors are turned into their exception first.
    pub fn report_error(ctx: &Ctx<'js>, e: Error) {
        let value = crate::dom::bindings::error::error_value(ctx, e);
        Self::report_exception(ctx, value);
    }

    /// <https://html.spec.whatwg.org/#report-an-exception>
    pub fn report_exception(ctx: &Ctx<'js>, exception: Value<'js>) {
        let description = describe_exception(ctx, &exception);
        let Some(global) = GlobalScope::current(ctx) else {
            log::error!(target: "script", "uncaught exception: {description}");
            return;
        };
        let (message, filename, lineno, colno) = error_location(&exception, &description);
        // An interrupted script is reported as such, without an error event.
        if description.contains("interrupted") && exception_is_uncatchable(&exception) {
            log::error!(target: "script", "script interrupted: {description}");
            global.send(GlobalEvent::Interrupted {
                message: description,
            });
            return;
        }
        let error = WorkerError {
            message,
            filename,
            lineno,
            colno,
        };
        global.report_error_event(ctx, error, exception, description);
    }

    /// Reports an error that happened elsewhere (a worker's, repeated one level up) as if
    /// it had happened in this global: an `error` event, then the embedder.
    pub fn report_error_parts(ctx: &Ctx<'js>, error: WorkerError) {
        if let Some(global) = GlobalScope::current(ctx) {
            let description = error.message.clone();
            global.report_error_event(ctx, error, Value::new_null(ctx.clone()), description);
        }
    }

    /// The rest of "report an exception": the `error` event at this global, and if nobody
    /// canceled it, the embedder (or, in a dedicated worker, the Worker object).
    fn report_error_event(
        &self,
        ctx: &Ctx<'js>,
        error: WorkerError,
        value: Value<'js>,
        description: String,
    ) {
        // Step: if the global is in error reporting mode, only report to the console.
        let mut not_handled = true;
        if !self.in_error_reporting_mode.get() {
            self.in_error_reporting_mode.set(true);
            let event = ErrorEvent::new_trusted(
                ctx,
                error.message.clone(),
                error.filename.clone(),
                error.lineno,
                error.colno,
                value,
            );
            if let (Ok(event), Some(global)) = (event, GlobalScope::current(ctx)) {
                let target = GlobalScope::as_event_target(&global);
                let event = event.upcast::<crate::dom::event::Event<'js>>();
                not_handled = dispatch(ctx, &event, &target).unwrap_or(true);
            }
            self.in_error_reporting_mode.set(false);
        }
        if !not_handled {
            return;
        }
        log::error!(target: "script", "Uncaught {description}");
        // A dedicated worker's unhandled error goes to its Worker object, and up from there
        // (HTML §10.2.5 "runtime script errors").
        if let (GlobalKind::DedicatedWorkerGlobalScope, Some(parent)) =
            (self.info.kind, &self.info.parent)
        {
            let outside = parent.outside;
            parent
                .tasks
                .queue(move |ctx| crate::dom::worker::worker_error(ctx, outside, error));
            return;
        }
        self.send(GlobalEvent::UncaughtError {
            message: description,
            filename: error.filename,
            lineno: error.lineno,
            colno: error.colno,
        });
    }

    // ---- Promise rejections (HTML §8.1.4.7) -----------------------------------------------

    /// HostPromiseRejectionTracker, called by QuickJS.
    pub fn track_rejection(
        ctx: &Ctx<'js>,
        promise: Value<'js>,
        reason: Value<'js>,
        is_handled: bool,
    ) {
        let Some(global) = GlobalScope::current(ctx) else {
            return;
        };
        let mut r = global.rejections.borrow_mut();
        if !is_handled {
            // "reject": append to the about-to-be-notified list.
            r.about_to_be_notified.push((promise, reason));
            return;
        }
        // "handle": forget it if it was about to be notified...
        if let Some(i) = r
            .about_to_be_notified
            .iter()
            .position(|(p, _)| *p == promise)
        {
            r.about_to_be_notified.remove(i);
            return;
        }
        // ... or waiting for the notification task (handled now, so that task skips it) ...
        if let Some(i) = r.notifying.iter().position(|(p, _)| *p == promise) {
            r.notifying.remove(i);
            return;
        }
        // ... or, if it was reported, fire rejectionhandled in a task.
        if let Some(i) = r.outstanding.iter().position(|p| *p == promise) {
            r.outstanding.remove(i);
            drop(r);
            global.queue_task(Box::new(move |ctx: &Ctx<'js>| {
                let Some(global) = GlobalScope::current(ctx) else {
                    return Ok(());
                };
                let Some(promise_obj) = promise.clone().into_object() else {
                    return Ok(());
                };
                let event = PromiseRejectionEvent::new_trusted(
                    ctx,
                    "rejectionhandled",
                    false,
                    promise_obj,
                    reason_of(ctx, &promise),
                )?;
                let target = GlobalScope::as_event_target(&global);
                dispatch(ctx, &event.upcast(), &target)?;
                Ok(())
            }));
        }
    }

    /// <https://html.spec.whatwg.org/#notify-about-rejected-promises>, after a microtask
    /// checkpoint.
    pub fn notify_about_rejected_promises(this: &Dom<'js, GlobalScope<'js>>) {
        let mut r = this.rejections.borrow_mut();
        // Step 2. If the list is empty, return.
        if r.about_to_be_notified.is_empty() {
            return;
        }
        // Steps 3-4. Clone the list and empty it; a task is already queued if `notifying`
        // was not empty.
        let queue_task = r.notifying.is_empty();
        let list = std::mem::take(&mut r.about_to_be_notified);
        r.notifying.extend(list);
        drop(r);
        if !queue_task {
            return;
        }
        // Step 5. Queue a global task on the DOM manipulation task source.
        this.queue_task(Box::new(move |ctx: &Ctx<'js>| {
            let Some(global) = GlobalScope::current(ctx) else {
                return Ok(());
            };
            loop {
                // Step 5.1.1. A promise handled since then ([[PromiseIsHandled]]) was removed
                // from the list by the tracker.
                let next = {
                    let mut r = global.rejections.borrow_mut();
                    if r.notifying.is_empty() {
                        break;
                    }
                    r.notifying.remove(0)
                };
                let (promise, reason) = next;
                let Some(promise_obj) = promise.clone().into_object() else {
                    continue;
                };
                // Step 5.1.2. Fire unhandledrejection, cancelable.
                let event = PromiseRejectionEvent::new_trusted(
                    ctx,
                    "unhandledrejection",
                    true,
                    promise_obj,
                    reason.clone(),
                )?;
                let target = GlobalScope::as_event_target(&global);
                let not_canceled = dispatch(ctx, &event.upcast(), &target)?;
                // Step 5.1.3. If not canceled, report to the developer console.
                if not_canceled {
                    let description = describe_exception(ctx, &reason);
                    log::error!(target: "script", "Uncaught (in promise) {description}");
                    global.send(GlobalEvent::UnhandledRejection {
                        message: description,
                    });
                }
                // Step 5.1.4. If still not handled, remember it for rejectionhandled.
                let mut r = global.rejections.borrow_mut();
                r.outstanding.push_back(promise);
                if r.outstanding.len() > OUTSTANDING_LIMIT {
                    r.outstanding.pop_front();
                }
            }
            Ok(())
        }));
    }

    // ---- Console ------------------------------------------------------------------------

    pub fn console_message(&self, level: log::Level, message: String) {
        let indent = "  ".repeat(self.console.borrow().group_depth);
        let message = format!("{indent}{message}");
        log::log!(target: "console", level, "{message}");
        self.send(GlobalEvent::Console { level, message });
    }

    pub fn console_count(&self, label: &str, reset: bool) -> Option<u64> {
        let mut c = self.console.borrow_mut();
        if reset {
            return c.counts.insert(label.to_string(), 0).map(|_| 0);
        }
        let n = c.counts.entry(label.to_string()).or_insert(0);
        *n += 1;
        Some(*n)
    }

    pub fn console_time(&self, label: &str, op: ConsoleTimeOp) -> Option<Duration> {
        let mut c = self.console.borrow_mut();
        match op {
            ConsoleTimeOp::Start => {
                c.timers.insert(label.to_string(), Instant::now());
                Some(Duration::ZERO)
            }
            ConsoleTimeOp::Log => c.timers.get(label).map(|t| t.elapsed()),
            ConsoleTimeOp::End => c.timers.remove(label).map(|t| t.elapsed()),
        }
    }

    pub fn console_group(&self, delta: isize) {
        let mut c = self.console.borrow_mut();
        c.group_depth = c.group_depth.saturating_add_signed(delta);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleTimeOp {
    Start,
    Log,
    End,
}

fn reason_of<'js>(ctx: &Ctx<'js>, promise: &Value<'js>) -> Value<'js> {
    promise
        .as_promise()
        .and_then(|p| p.result::<Value>())
        .and_then(|r| r.err())
        .map(|_| ctx.catch())
        .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
}

fn exception_is_uncatchable(exception: &Value<'_>) -> bool {
    exception
        .as_object()
        .and_then(|o| o.get::<_, Option<String>>("name").ok().flatten())
        .is_some_and(|n| n == "InternalError")
}

/// message, filename, line and column of an exception: QuickJS errors may carry fileName and
/// lineNumber; otherwise the first stack frame `at f (file:line:col)` names them.
fn error_location(exception: &Value<'_>, description: &str) -> (String, String, u32, u32) {
    let first_line = description.lines().next().unwrap_or("").to_string();
    let message = format!("Uncaught {first_line}");
    let Some(obj) = exception.as_object() else {
        return (message, String::new(), 0, 0);
    };
    let filename: Option<String> = obj.get::<_, Option<String>>("fileName").ok().flatten();
    let lineno: Option<f64> = obj.get::<_, Option<f64>>("lineNumber").ok().flatten();
    let colno: Option<f64> = obj.get::<_, Option<f64>>("columnNumber").ok().flatten();
    if let (Some(f), Some(l)) = (filename, lineno) {
        return (message, f, l as u32, colno.unwrap_or(0.0) as u32);
    }
    let stack: String = obj
        .get::<_, Option<String>>("stack")
        .ok()
        .flatten()
        .unwrap_or_default();
    stack
        .lines()
        .find_map(parse_frame)
        .map(|(f, l, c)| (message.clone(), f, l, c))
        .unwrap_or((message, String::new(), 0, 0))
}

/// `    at name (file:line:col)` or `    at file:line:col` -> (file, line, col).
fn parse_frame(line: &str) -> Option<(String, u32, u32)> {
    let line = line.trim().strip_prefix("at ")?;
    let location = match (line.rfind('('), line.ends_with(')')) {
        (Some(open), true) => &line[open + 1..line.len() - 1],
        _ => line,
    };
    let mut parts = location.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let row = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some((file, row, col))
}

/// The shared implementation of `WindowOrWorkerGlobalScope` for every global type.
pub trait IsGlobal<'js> {
    fn global_scope(&self) -> &GlobalScope<'js>;
}

/// The `WindowOrWorkerGlobalScope` mixin members, written once for every global type that
/// includes the mixin (used inside its `...Methods` impl; `self.global_scope()` is the state).
#[macro_export]
macro_rules! window_or_worker_global_scope_methods {
    () => {
        fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(self.global_scope().info().origin.clone())
        }
        fn isSecureContext(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            Ok(self.global_scope().info().secure_context)
        }
        fn crossOriginIsolated(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            // No cross-origin isolation policies are implemented.
            Ok(false)
        }
        /// <https://fetch.spec.whatwg.org/#dom-global-fetch>
        fn fetch(
            &self,
            cx: &Cx<'js>,
            input: $crate::dom::bindings::codegen::RequestInfo<'js>,
            init: $crate::dom::bindings::codegen::RequestInit<'js>,
        ) -> Fallible<Promise<'js>> {
            $crate::dom::fetch::fetch(cx, self.global_scope(), input, init)
        }
        /// <https://html.spec.whatwg.org/#dom-structuredclone>
        fn structuredClone(
            &self,
            cx: &Cx<'js>,
            value: Value<'js>,
            options: $crate::dom::bindings::codegen::StructuredSerializeOptions<'js>,
        ) -> Fallible<Value<'js>> {
            // Steps 1-2. Serialize with the transfer list, then deserialize here.
            let serialized = $crate::dom::bindings::structuredclone::serialize(
                &cx.ctx,
                value,
                options.transfer,
            )?;
            $crate::dom::bindings::structuredclone::deserialize(&cx.ctx, serialized)
        }
        /// <https://html.spec.whatwg.org/#dom-btoa>
        fn btoa(&self, _cx: &Cx<'js>, data: DOMString) -> Fallible<DOMString> {
            $crate::dom::base64::btoa(&data)
        }
        /// <https://html.spec.whatwg.org/#dom-atob>
        fn atob(&self, _cx: &Cx<'js>, data: DOMString) -> Fallible<ByteString> {
            $crate::dom::base64::atob(&data)
        }
        /// <https://html.spec.whatwg.org/#dom-reporterror>
        fn reportError(&self, cx: &Cx<'js>, e: Value<'js>) -> Fallible<()> {
            $crate::dom::globalscope::GlobalScope::report_exception(&cx.ctx, e);
            Ok(())
        }
        fn setTimeout(
            &self,
            _cx: &Cx<'js>,
            handler: $crate::dom::bindings::codegen::TimerHandler<'js>,
            timeout: i32,
            arguments: Vec<Value<'js>>,
        ) -> Fallible<i32> {
            Ok(self
                .global_scope()
                .initialize_timer(handler, timeout, arguments, false, None))
        }
        fn clearTimeout(&self, _cx: &Cx<'js>, id: i32) -> Fallible<()> {
            self.global_scope().clear_timer(id);
            Ok(())
        }
        fn setInterval(
            &self,
            _cx: &Cx<'js>,
            handler: $crate::dom::bindings::codegen::TimerHandler<'js>,
            timeout: i32,
            arguments: Vec<Value<'js>>,
        ) -> Fallible<i32> {
            Ok(self
                .global_scope()
                .initialize_timer(handler, timeout, arguments, true, None))
        }
        fn clearInterval(&self, _cx: &Cx<'js>, id: i32) -> Fallible<()> {
            self.global_scope().clear_timer(id);
            Ok(())
        }
        /// <https://html.spec.whatwg.org/#dom-queuemicrotask>
        fn queueMicrotask(
            &self,
            cx: &Cx<'js>,
            callback: $crate::dom::bindings::codegen::VoidFunction<'js>,
        ) -> Fallible<()> {
            $crate::script_thread::queue_microtask(&cx.ctx, callback)
        }
    };
}
