//! <https://w3c.github.io/ServiceWorker/#extendableevent-interface>

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ExtendableEventBinding::ExtendableEventMethods;
use crate::dom::bindings::codegen::{EventInit, ExtendableEventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;

/// Called once the event is no longer active (every `waitUntil` promise settled after
/// dispatch), with whether it failed: a lifetime promise was rejected or it timed out. It
/// must not hold JS values: it lives outside the garbage collector's view.
pub type InactiveCallback = Box<dyn FnOnce(bool)>;

/// <https://w3c.github.io/ServiceWorker/#extendableevent-interface>
pub struct ExtendableEvent<'js> {
    event: Event<'js>,
    /// The pending promises count.
    pending_promises: Cell<u32>,
    /// The timed out flag.
    timed_out: Cell<bool>,
    /// One of the extend lifetime promises was rejected (an install event then fails).
    rejected: Cell<bool>,
    /// Whoever waits for this event to stop being active.
    on_inactive: DomRefCell<Vec<InactiveCallback>>,
    /// When the user agent's lifetime limit ends it (see [`time_out_after`]).
    expires: Cell<Option<std::time::Instant>>,
}

impl<'js> HasParent<'js> for ExtendableEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for ExtendableEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
    }
}

impl<'js> ExtendableEvent<'js> {
    pub fn new_inherited(ctx: &Ctx<'js>, type_: &str, init: &EventInit) -> ExtendableEvent<'js> {
        ExtendableEvent {
            event: Event::new_inherited(ctx, type_, init),
            pending_promises: Cell::new(0),
            timed_out: Cell::new(false),
            rejected: Cell::new(false),
            on_inactive: DomRefCell::new(Vec::new()),
            expires: Cell::new(None),
        }
    }

    /// A trusted event the user agent dispatches (a service worker's `install`, `activate`
    /// and functional events).
    pub fn new_trusted(ctx: &Ctx<'js>, type_: &str) -> Fallible<Dom<'js, ExtendableEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let e = reflect_dom_object(ctx, ExtendableEvent::new_inherited(ctx, type_, &init))?;
        e.event.set_trusted(true);
        Ok(e)
    }

    pub fn event(&self) -> &Event<'js> {
        &self.event
    }

    /// <https://w3c.github.io/ServiceWorker/#extendableevent-active>: the timed out flag is
    /// unset and the pending promises count is not zero or the dispatch flag is set.
    pub fn is_active(&self) -> bool {
        !self.timed_out.get() && (self.pending_promises.get() > 0 || self.event.dispatching())
    }

    /// Sets the timed out flag (the user agent gave up waiting).
    pub fn time_out(&self) {
        self.timed_out.set(true);
        self.notify_if_inactive();
    }

    /// Runs `f` when the event stops being active (now, if it already is not).
    pub fn when_inactive(&self, f: InactiveCallback) {
        if self.is_active() {
            self.on_inactive.borrow_mut().push(f);
        } else {
            f(self.failed())
        }
    }

    /// For dispatchers: call after dispatch returns.
    pub fn notify_if_inactive(&self) {
        if !self.is_active() {
            let callbacks = std::mem::take(&mut *self.on_inactive.borrow_mut());
            let failed = self.failed();
            for f in callbacks {
                f(failed)
            }
        }
    }

    /// Whether the event failed: an extend lifetime promise was rejected ("upon rejection
    /// of the promise to wait for all of them") or the timed out flag is set.
    pub fn failed(&self) -> bool {
        self.rejected.get() || self.timed_out.get()
    }

    fn promise_settled(&self) {
        self.pending_promises
            .set(self.pending_promises.get().saturating_sub(1));
        self.notify_if_inactive();
    }
}

/// The user agent's lifetime limit for an event dispatched at a service worker: once `limit`
/// passed, an event still active times out (it stops being active, its dispatcher hears it,
/// and the global lets go of it), whatever its promises do. The timer holds no reference
/// to the event: an event that ends before is simply not found.
pub fn time_out_after<'js>(
    ctx: &Ctx<'js>,
    event: &Dom<'js, ExtendableEvent<'js>>,
    limit: std::time::Duration,
) -> Fallible<()> {
    let Some(global) = GlobalScope::current(ctx) else {
        return Ok(());
    };
    if !event.is_active() {
        return Ok(());
    }
    event.expires.set(Some(std::time::Instant::now() + limit));
    let callback = Function::new(ctx.clone(), |ctx: Ctx<'js>| {
        if let Some(global) = GlobalScope::current(&ctx) {
            expire_extended_events(&global);
        }
    })?;
    let handler = crate::dom::bindings::codegen::TimerHandler::Function(
        crate::dom::bindings::codegen::Function {
            callback: callback.into_inner(),
        },
    );
    // A millisecond late rather than early: the expiry is compared with the clock.
    crate::dom::timers::run_steps_after_a_timeout(&global, handler, limit.as_millis() as u64 + 1);
    Ok(())
}

/// Times out the global's extended events whose lifetime limit passed.
fn expire_extended_events(global: &GlobalScope<'_>) {
    let now = std::time::Instant::now();
    let expired: Vec<_> = {
        let mut events = global.extended_events.borrow_mut();
        let (expired, kept) = std::mem::take(&mut *events)
            .into_iter()
            .partition(|e| e.expires.get().is_some_and(|at| at <= now));
        *events = kept;
        expired
    };
    for event in expired {
        event.time_out();
    }
}

/// <https://w3c.github.io/ServiceWorker/#extendableevent-add-lifetime-promise>: the event
/// stays active until `promise` settles (InvalidStateError for an untrusted event or one
/// that is no longer active).
pub fn add_lifetime_promise<'js>(
    ctx: &Ctx<'js>,
    event: &Dom<'js, ExtendableEvent<'js>>,
    promise: &Promise<'js>,
) -> Fallible<()> {
    // Step 1. If event's isTrusted is false, throw.
    if !event.event.is_trusted() {
        return Err(Error::invalid_state(
            "an untrusted event's lifetime cannot be extended",
        ));
    }
    // Step 2. If event is not active, throw.
    if !event.is_active() {
        return Err(Error::invalid_state(
            "the event's lifetime cannot be extended after it stopped being active",
        ));
    }
    // Steps 3-4. Add promise; increment the pending promises count.
    event.pending_promises.set(event.pending_promises.get() + 1);
    // The first pending promise: the global holds the event until the last one settles.
    if event.pending_promises.get() == 1 {
        if let Some(global) = GlobalScope::current(ctx) {
            global.extended_events.borrow_mut().push(event.clone());
        }
    }
    // Step 5. Upon fulfillment or rejection, decrement it.
    callback::react(ctx, promise, event.clone(), settled, rejected)
}

fn settled<'a, 'js>(
    event: &Dom<'js, ExtendableEvent<'js>>,
    params: &Params<'a, 'js>,
) -> Fallible<Value<'js>> {
    // Step 5.1 of "add lifetime promise": decrement the pending promises count (this runs
    // as a promise reaction, i.e. in a microtask).
    event.promise_settled();
    if event.pending_promises.get() == 0 {
        if let Some(global) = GlobalScope::current(params.ctx()) {
            global
                .extended_events
                .borrow_mut()
                .retain(|e| !e.ptr_eq(event));
        }
    }
    Ok(Value::new_undefined(params.ctx().clone()))
}

fn rejected<'a, 'js>(
    event: &Dom<'js, ExtendableEvent<'js>>,
    params: &Params<'a, 'js>,
) -> Fallible<Value<'js>> {
    event.rejected.set(true);
    settled(event, params)
}

impl<'js> ExtendableEventMethods<'js> for ExtendableEvent<'js> {
    /// <https://w3c.github.io/ServiceWorker/#dom-extendableevent-waituntil>
    fn waitUntil(&self, cx: &Cx<'js>, f: Promise<'js>) -> Fallible<()> {
        let this = <ExtendableEvent as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        add_lifetime_promise(&cx.ctx, &this, &f)
    }

    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: ExtendableEventInit) -> Fallible<Self> {
        Ok(ExtendableEvent::new_inherited(
            &cx.ctx,
            &type_,
            &init.parent,
        ))
    }
}

/// The dispatch part of Fire Functional Event (Service Workers), shared by every functional
/// event (background fetch, notifications): `event` is dispatched at the service worker's
/// global, which has one more pending extendable event while it is active; `done(true)`
/// runs once it is no longer active (its lifetime limit ends it otherwise, and an event
/// that is collected counts as done).
///
/// <https://w3c.github.io/ServiceWorker/#fire-functional-event-algorithm>
pub fn dispatch_functional_event_object<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    event: Dom<'js, ExtendableEvent<'js>>,
    done: Box<dyn FnOnce(bool) + Send>,
) {
    // The worker has a pending event while this one is active.
    let worker = global.extendable_event_started();
    let target = GlobalScope::as_event_target(global);
    let as_event = event.clone().upcast::<crate::dom::event::Event<'_>>();
    if let Err(e) = crate::dom::eventtarget::dispatch(ctx, &as_event, &target) {
        GlobalScope::report_error(ctx, e);
    }
    // The event was dispatched: when it is no longer active (or, should it never be, when
    // it is collected), the worker's pending event ends and the caller hears of it once.
    if let Some(limit) = worker.as_ref().and_then(|(c, _)| c.event_lifetime()) {
        if let Err(e) = time_out_after(ctx, &event, limit) {
            GlobalScope::report_error(ctx, e);
        }
    }
    let finished = Dispatched(Some(Box::new(move || {
        if let Some((context, worker)) = worker {
            context.event_finished(worker);
        }
        done(true);
    })));
    event.when_inactive(Box::new(move |_| drop(finished)));
}

/// Runs its closure once: when dropped (the event stopped being active, or was collected).
struct Dispatched(Option<Box<dyn FnOnce()>>);

impl Drop for Dispatched {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f()
        }
    }
}
