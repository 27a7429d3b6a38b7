//! The state every global object has (HTML's "global object" and "environment settings
//! object" rolled into one, as Servo's `GlobalScope`): its creation info, the task queue of
//! this thread's event loop, its timers, rejected promises and error reporting mode, its
//! ports, workers and service worker objects, console state.
//!
//! The algorithms over that state live with their spec sections: [`crate::dom::timers`],
//! [`crate::dom::error_reporting`], [`crate::dom::rejected_promises`].
//!
//! `GlobalScope` is not an interface; each [Global] DOM type embeds it and delegates the
//! `WindowOrWorkerGlobalScope` members to it ([`crate::dom::windoworworkerglobalscope`]).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::GlobalKind;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::dedicatedworkerglobalscope::DedicatedWorkerGlobalScope;
use crate::dom::eventtarget::EventTarget;
use crate::dom::rejected_promises::RejectedPromises;
use crate::dom::serviceworkerglobalscope::ServiceWorkerGlobalScope;
use crate::dom::sharedworkerglobalscope::SharedWorkerGlobalScope;
use crate::dom::timers::Timers;
use crate::dom::window::Window;
use crate::message_router::PortId;
use crate::GlobalEvent;
use crossbeam_channel::Sender;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
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
    pub fetcher: Option<crate::global_handle::Fetcher>,
    /// Queues tasks on this global's event loop from other threads.
    pub tasks: crate::global_handle::TaskSender,
    /// What the workers this global creates inherit.
    pub inherited: crate::workers::Inherited,
    /// A worker's Worker or SharedWorker object, in the global that created it.
    pub parent: Option<crate::workers::WorkerParent>,
    /// The environment's id (a service worker client's id).
    pub environment_id: String,
    /// The profile's service worker registrations.
    pub service_workers: Option<crate::service_workers::ServiceWorkerContext>,
    /// The profile's background fetch controller.
    pub background_fetch: Option<crate::global_handle::BackgroundFetcher>,
    /// The profile's cache storage.
    pub caches: Option<crate::global_handle::CacheStorer>,
    /// The profile's IndexedDB.
    pub indexed_db: Option<crate::global_handle::IndexedDbConnector>,
    /// The profile's cookies (documents only).
    pub cookies: Option<crate::global_handle::CookieConnector>,
    /// A service worker global's registration and service worker.
    pub service_worker: Option<(
        crate::service_workers::RegistrationId,
        crate::service_workers::WorkerId,
    )>,
}

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
    /// The map of active timers (HTML §8.6).
    timers: Timers<'js>,
    /// Tasks DOM code queued on this event loop (networking, DOM manipulation, ...).
    tasks: RefCell<VecDeque<Task<'js>>>,
    /// The about-to-be-notified rejected promises list and outstanding rejected promises
    /// weak set (HTML §8.1.4.7).
    rejected_promises: RejectedPromises<'js>,
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
    /// The non-persistent Notification objects of this global that may still get events,
    /// by notification id.
    pub(crate) notifications:
        DomRefCell<HashMap<u64, Dom<'js, crate::dom::notification::Notification<'js>>>>,
    /// The open BroadcastChannels of this global, by their id in the profile's router.
    pub(crate) broadcast_channels:
        DomRefCell<HashMap<u64, Dom<'js, crate::dom::broadcastchannel::BroadcastChannel<'js>>>>,
    /// The dedicated workers this global created (shut down with it).
    pub(crate) workers: RefCell<HashMap<PortId, crate::global_handle::GlobalHandle>>,
    /// The shared workers this global connected to (released with it).
    pub(crate) shared_workers: RefCell<Vec<crate::workers::SharedWorkerKey>>,
    /// Fires `online`/`offline` here while the global lives.
    pub(crate) network_state: RefCell<Option<net_traits::online::Subscription>>,
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
    /// Promises that another thread's answer settles later (service worker jobs and
    /// lookups, the Cache API), by number.
    pub(crate) promises: DomRefCell<PromiseSlab<'js>>,
    /// The global's CacheStorage object (`self.caches`, [SameObject]).
    pub(crate) caches: DomRefCell<Option<Dom<'js, crate::dom::cachestorage::CacheStorage<'js>>>>,
    /// Extendable events with pending lifetime promises: an event stays active while one is
    /// pending, whatever script keeps of it, so the global holds it until they settle (the
    /// user agent's lifetime limit ends it otherwise, never the garbage collector).
    pub(crate) extended_events:
        DomRefCell<Vec<Dom<'js, crate::dom::extendableevent::ExtendableEvent<'js>>>>,
    /// The policy container's referrer policy ("" is the default).
    referrer_policy: RefCell<String>,
    /// The ServiceWorkerContainer's client message queue.
    pub(crate) sw_messages: RefCell<crate::dom::serviceworkercontainer::ClientMessageQueue>,
    /// The incoming bodies (fetch() responses, stored background fetch responses) of this
    /// global: it is their one tracer.
    incomings: RefCell<Vec<std::rc::Weak<crate::dom::body::Incoming<'js>>>>,
    /// Bodies waiting for a piece from another thread, by number (traced through
    /// `incomings`).
    awaiting_bodies: RefCell<(
        u64,
        HashMap<u64, std::rc::Rc<crate::dom::body::Incoming<'js>>>,
    )>,
    /// Answers another thread owes this global (the event loop is not idle meanwhile).
    awaiting_replies: std::cell::Cell<usize>,
    /// The connection to the background fetch controller, and this realm's
    /// BackgroundFetchRegistration instances.
    pub(crate) bgfetch: DomRefCell<crate::dom::backgroundfetch::connection::Connection<'js>>,
    /// IndexedDB's objects the service's answers must find.
    pub(crate) indexed_db: DomRefCell<crate::dom::indexeddb::IdbGlobal<'js>>,
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
        self.rejected_promises.trace(tracer);
        self.fetches.trace(tracer);
        self.ports.trace(tracer);
        self.worker_objects.trace(tracer);
        self.broadcast_channels.trace(tracer);
        self.notifications.trace(tracer);
        self.document.trace(tracer);
        self.pending_mutation_observers.trace(tracer);
        self.sw_registrations.trace(tracer);
        self.sw_workers.trace(tracer);
        self.sw_container.trace(tracer);
        self.promises.trace(tracer);
        self.caches.trace(tracer);
        self.extended_events.trace(tracer);
        self.bgfetch.trace(tracer);
        self.indexed_db.trace(tracer);
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
            timers: Timers::default(),
            tasks: RefCell::new(VecDeque::new()),
            rejected_promises: RejectedPromises::default(),
            in_error_reporting_mode: Cell::new(false),
            console: RefCell::new(ConsoleState::default()),
            reporter,
            fetches: DomRefCell::new(Default::default()),
            ports: DomRefCell::new(HashMap::new()),
            implicit_port: Cell::new(None),
            worker_objects: DomRefCell::new(HashMap::new()),
            broadcast_channels: DomRefCell::new(HashMap::new()),
            notifications: DomRefCell::new(HashMap::new()),
            workers: RefCell::new(HashMap::new()),
            shared_workers: RefCell::new(Vec::new()),
            network_state: RefCell::new(None),
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
            promises: DomRefCell::new(PromiseSlab::default()),
            caches: DomRefCell::new(None),
            extended_events: DomRefCell::new(Vec::new()),
            referrer_policy: RefCell::new(String::new()),
            sw_messages: RefCell::new(Default::default()),
            bgfetch: DomRefCell::new(Default::default()),
            indexed_db: DomRefCell::new(Default::default()),
            incomings: RefCell::new(Vec::new()),
            awaiting_bodies: RefCell::new((0, HashMap::new())),
            awaiting_replies: std::cell::Cell::new(0),
        }
    }

    pub fn event_target(&self) -> &EventTarget<'js> {
        &self.event_target
    }
    pub fn info(&self) -> &GlobalInfo {
        &self.info
    }

    /// The profile this global belongs to (blob URLs, message ports, network state).
    pub fn profile(&self) -> &crate::Profile {
        &self.info.inherited.profile
    }

    /// Registers an incoming body (see [`crate::dom::body::Incoming::new_in`]); forgets the
    /// ones that are gone.
    pub fn register_incoming(&self, incoming: &std::rc::Rc<crate::dom::body::Incoming<'js>>) {
        let mut list = self.incomings.borrow_mut();
        list.retain(|w| w.strong_count() > 0);
        list.push(std::rc::Rc::downgrade(incoming));
    }

    /// fetch() calls still waiting for the network, and other answers owed by another
    /// thread (the event loop is not idle then).
    pub fn pending_fetch_count(&self) -> usize {
        self.fetches.borrow().len() + self.pending_loads.get() + self.awaiting_replies.get()
    }

    /// Another thread owes this global an answer (see [`GlobalScope::reply_arrived`]).
    pub(crate) fn awaiting_reply(&self) {
        self.awaiting_replies.set(self.awaiting_replies.get() + 1);
    }

    /// The answer came.
    pub(crate) fn reply_arrived(&self) {
        self.awaiting_replies
            .set(self.awaiting_replies.get().saturating_sub(1));
    }

    /// Keeps a body that waits for a piece from another thread; returns its number.
    pub(crate) fn keep_incoming(
        &self,
        incoming: &std::rc::Rc<crate::dom::body::Incoming<'js>>,
    ) -> u64 {
        let mut a = self.awaiting_bodies.borrow_mut();
        a.0 += 1;
        let id = a.0;
        a.1.insert(id, incoming.clone());
        id
    }

    /// The body kept as `id` (once).
    pub(crate) fn take_incoming(
        &self,
        id: u64,
    ) -> Option<std::rc::Rc<crate::dom::body::Incoming<'js>>> {
        self.awaiting_bodies.borrow_mut().1.remove(&id)
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
    /// Parses `input` against this global's API base URL: a window's document's URL once it
    /// loaded one (an about: document has its creator's), else the creation URL.
    pub fn parse_url(&self, input: &str) -> Result<url::Url, url::ParseError> {
        if let Some(document) = self.document() {
            if document.url_value().scheme() != "about" {
                return document.parse_url(input);
            }
        }
        let base = url::Url::parse(&self.info.url).ok();
        url::Url::options().base_url(base.as_ref()).parse(input)
    }

    /// The enforced Content Security Policies of this global.
    pub fn csp_policies(&self) -> Vec<crate::csp::Policy> {
        self.csp.borrow().clone()
    }
    /// Enforces more policies (from a response's headers or a `<meta>` element).
    /// Determine request's referrer, step 3 for a "client" referrer: the referrer source
    /// (a window's document URL, a worker's creation URL).
    pub fn referrer_source(&self) -> String {
        self.info().url.clone()
    }

    /// Update Service Worker Extended Events Set, for an extendable event dispatched at this
    /// service worker global: its worker has one more pending event. Returns who to tell
    /// (`event_finished`) once the event is no longer active; `None` outside a service
    /// worker.
    pub fn extendable_event_started(
        &self,
    ) -> Option<(
        crate::service_workers::ServiceWorkerContext,
        crate::service_workers::WorkerId,
    )> {
        let info = self.info();
        let worker = info
            .service_workers
            .clone()
            .zip(info.service_worker.map(|(_, w)| w));
        if let Some((context, worker)) = &worker {
            context.event_started(*worker);
        }
        worker
    }

    /// The policy container's referrer policy (from a `Referrer-Policy` header).
    pub fn referrer_policy(&self) -> String {
        self.referrer_policy.borrow().clone()
    }

    pub fn set_referrer_policy(&self, policy: String) {
        *self.referrer_policy.borrow_mut() = policy;
    }

    /// Fetch's main fetch for a request of this client: a "client" referrer becomes this
    /// global's referrer source, and an empty referrer policy the policy container's (the
    /// network side then determines the referrer on every hop and sends `Referer`).
    pub fn resolve_client_referrer(&self, request: &mut net_traits::RequestData) {
        if request.referrer == "client" {
            request.referrer = self.referrer_source();
        }
        if request.referrer_policy.is_empty() {
            request.referrer_policy = self.referrer_policy();
        }
    }

    /// The CSP list with the URL its 'self' stands for, as the network side checks it.
    pub fn csp_list(&self) -> net_traits::csp::CspList {
        net_traits::csp::CspList::new(self.csp_policies(), self.info().url.clone())
    }

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

    /// Tells the embedder (console output, errors nobody handled).
    pub(crate) fn send(&self, event: GlobalEvent) {
        if let Some(r) = &self.reporter {
            let _ = r.send(event);
        }
    }

    /// This global's timers (see [`crate::dom::timers`]).
    pub fn timers(&self) -> &Timers<'js> {
        &self.timers
    }

    /// This global's rejected promises (see [`crate::dom::rejected_promises`]).
    pub fn rejected_promises(&self) -> &RejectedPromises<'js> {
        &self.rejected_promises
    }

    /// HTML's "in error reporting mode" (see [`crate::dom::error_reporting`]).
    pub(crate) fn error_reporting_mode(&self) -> &Cell<bool> {
        &self.in_error_reporting_mode
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

    /// Drops every timer and queued task (global shutdown).
    pub fn clear_all(&self) {
        crate::dom::broadcastchannel::close_all(self);
        crate::dom::indexeddb::close_all(self);
        self.notifications.borrow_mut().clear();
        self.timers.clear();
        self.tasks.borrow_mut().clear();
        self.rejected_promises.clear();
        self.fetches.borrow_mut().clear();
        self.pending_mutation_observers.borrow_mut().clear();
        self.sw_registrations.borrow_mut().clear();
        self.sw_workers.borrow_mut().clear();
        self.sw_container.borrow_mut().take();
        self.promises.borrow_mut().clear();
        self.caches.borrow_mut().take();
        self.bgfetch.borrow_mut().close(&self.info);
        self.network_state.borrow_mut().take();
        self.awaiting_bodies.borrow_mut().1.clear();
        for i in self.incomings.borrow_mut().drain(..) {
            if let Some(i) = i.upgrade() {
                i.release();
            }
        }
        // Messages from service workers that were never delivered: their ports close.
        for message in self.sw_messages.borrow_mut().drain() {
            message.dispose();
        }
        if let Some(document) = self.document.borrow_mut().take() {
            document.teardown();
        }
        // The blob URLs whose environment this is are removed with it.
        for url in self.blob_urls.borrow_mut().drain(..) {
            self.profile()
                .blob_urls()
                .remove_entry(&url, &self.info.origin);
        }
        // The global goes away: its ports are disentangled (their peers get close events).
        let ports: Vec<_> = self.ports.borrow_mut().drain().map(|(id, _)| id).collect();
        for id in ports {
            self.profile().ports().close(id);
        }
        self.worker_objects.borrow_mut().clear();
        // Its dedicated workers end with it; its shared workers lose an owner.
        let workers: Vec<_> = self.workers.borrow_mut().drain().map(|(_, h)| h).collect();
        for w in workers {
            w.shutdown();
        }
        let shared: Vec<_> = self.shared_workers.borrow_mut().drain(..).collect();
        for key in shared {
            self.profile().shared_workers().release(&key);
        }
    }

    /// <https://html.spec.whatwg.org/#close-a-worker>: discard the queued tasks and set the
    /// closing flag; the event loop ends once the running task is done.
    pub fn close_worker(&self) {
        self.tasks.borrow_mut().clear();
        self.closing.set(true);
        // A closing worker's channels get no more messages.
        for id in self.broadcast_channels.borrow().keys() {
            self.profile().broadcast_channels().remove(*id);
        }
    }

    pub fn is_closing(&self) -> bool {
        self.closing.get()
    }

    // ---- Errors ------------------------------------------------------------------------

    /// Reports an error from a DOM method or callback: a pending JS exception is taken and
    /// reported; other errors are turned into their exception first ("report an exception",
    /// [`crate::dom::error_reporting`]).
    pub fn report_error(ctx: &Ctx<'js>, e: Error) {
        let value = crate::dom::bindings::error::error_value(ctx, e);
        crate::dom::error_reporting::report_an_exception(ctx, value);
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

/// The shared implementation of `WindowOrWorkerGlobalScope` for every global type.
pub trait IsGlobal<'js> {
    fn global_scope(&self) -> &GlobalScope<'js>;
}
