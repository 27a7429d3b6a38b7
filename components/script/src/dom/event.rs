//! <https://dom.spec.whatwg.org/#interface-event>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::EventBinding::EventMethods;
use crate::dom::bindings::codegen::EventInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;

/// `Event.NONE` .. `Event.BUBBLING_PHASE`.
pub const NONE: u16 = 0;
pub const CAPTURING_PHASE: u16 = 1;
pub const AT_TARGET: u16 = 2;
pub const BUBBLING_PHASE: u16 = 3;

/// <https://dom.spec.whatwg.org/#interface-event>
pub struct Event<'js> {
    /// The event's type.
    type_: DomRefCell<String>,
    /// The event's target.
    target: DomRefCell<Option<Dom<'js, EventTarget<'js>>>>,
    /// The event's currentTarget.
    current_target: DomRefCell<Option<Dom<'js, EventTarget<'js>>>>,
    /// The event's path (invocation targets, target first).
    path: DomRefCell<Vec<Dom<'js, EventTarget<'js>>>>,
    /// The event's eventPhase.
    phase: Cell<u16>,
    /// The stop propagation flag.
    stop_propagation: Cell<bool>,
    /// The stop immediate propagation flag.
    stop_immediate_propagation: Cell<bool>,
    /// The canceled flag.
    canceled: Cell<bool>,
    /// The in passive listener flag.
    in_passive_listener: Cell<bool>,
    /// The composed flag.
    composed: Cell<bool>,
    /// The initialized flag.
    initialized: Cell<bool>,
    /// The dispatch flag.
    dispatching: Cell<bool>,
    bubbles: Cell<bool>,
    cancelable: Cell<bool>,
    /// isTrusted: set only for events the user agent dispatches.
    is_trusted: Cell<bool>,
    /// timeStamp, in milliseconds relative to the global's time origin.
    time_stamp: f64,
    /// DOM's "legacy-output-did-listeners-throw flag": a listener threw during a dispatch
    /// (IndexedDB aborts a transaction then).
    listeners_threw: Cell<bool>,
}

impl<'js> Event<'js> {
    /// The inner event creation steps, with the EventInit members.
    pub fn new_inherited(ctx: &Ctx<'js>, type_: &str, init: &EventInit) -> Event<'js> {
        Event {
            type_: DomRefCell::new(type_.to_string()),
            target: DomRefCell::new(None),
            current_target: DomRefCell::new(None),
            path: DomRefCell::new(Vec::new()),
            phase: Cell::new(NONE),
            stop_propagation: Cell::new(false),
            stop_immediate_propagation: Cell::new(false),
            canceled: Cell::new(false),
            in_passive_listener: Cell::new(false),
            composed: Cell::new(init.composed),
            // Step: set the initialized flag.
            initialized: Cell::new(true),
            dispatching: Cell::new(false),
            bubbles: Cell::new(init.bubbles),
            cancelable: Cell::new(init.cancelable),
            is_trusted: Cell::new(false),
            time_stamp: GlobalScope::now_ms(ctx),
            listeners_threw: Cell::new(false),
        }
    }

    /// A trusted event created by the user agent, reflected in the current realm.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        bubbles: bool,
        cancelable: bool,
    ) -> Fallible<Dom<'js, Event<'js>>> {
        let init = EventInit {
            bubbles,
            cancelable,
            composed: false,
        };
        let event = reflect_dom_object(ctx, Event::new_inherited(ctx, type_, &init))?;
        event.set_trusted(true);
        Ok(event)
    }

    /// Whether a listener threw during the last dispatch.
    pub fn listeners_threw(&self) -> bool {
        self.listeners_threw.get()
    }
    pub fn set_listeners_threw(&self) {
        self.listeners_threw.set(true);
    }

    pub fn type_(&self) -> String {
        self.type_.borrow().clone()
    }
    /// Sets the stop propagation and stop immediate propagation flags (what
    /// `stopImmediatePropagation()` does; `respondWith()` too).
    pub fn stop_immediate_propagation(&self) {
        self.stop_propagation.set(true);
        self.stop_immediate_propagation.set(true);
    }
    pub fn set_trusted(&self, trusted: bool) {
        self.is_trusted.set(trusted)
    }
    pub fn is_trusted(&self) -> bool {
        self.is_trusted.get()
    }
    pub fn set_initialized(&self, v: bool) {
        self.initialized.set(v)
    }
    pub fn initialized(&self) -> bool {
        self.initialized.get()
    }
    pub fn dispatching(&self) -> bool {
        self.dispatching.get()
    }
    pub fn set_dispatching(&self, d: bool) {
        self.dispatching.set(d)
    }
    pub fn canceled(&self) -> bool {
        self.canceled.get()
    }
    pub fn bubbles(&self) -> bool {
        self.bubbles.get()
    }
    pub fn phase(&self) -> u16 {
        self.phase.get()
    }
    pub fn set_phase(&self, p: u16) {
        self.phase.set(p)
    }
    pub fn set_target(&self, t: Option<Dom<'js, EventTarget<'js>>>) {
        *self.target.borrow_mut() = t;
    }
    pub fn target_(&self) -> Option<Dom<'js, EventTarget<'js>>> {
        self.target.borrow().clone()
    }
    pub fn set_current_target(&self, t: Option<Dom<'js, EventTarget<'js>>>) {
        *self.current_target.borrow_mut() = t;
    }
    pub fn set_path(&self, p: Vec<Dom<'js, EventTarget<'js>>>) {
        *self.path.borrow_mut() = p;
    }
    pub fn stop_propagation_flag(&self) -> bool {
        self.stop_propagation.get()
    }
    pub fn stop_immediate_propagation_flag(&self) -> bool {
        self.stop_immediate_propagation.get()
    }
    pub fn set_in_passive_listener(&self, v: bool) {
        self.in_passive_listener.set(v)
    }
    /// Clears the flags at the end of dispatch (DOM "dispatch" steps 10-13).
    pub fn clear_after_dispatch(&self) {
        self.phase.set(NONE);
        *self.current_target.borrow_mut() = None;
        self.path.borrow_mut().clear();
        self.dispatching.set(false);
        self.stop_propagation.set(false);
        self.stop_immediate_propagation.set(false);
    }

    /// <https://dom.spec.whatwg.org/#set-the-canceled-flag>
    pub fn set_canceled_flag(&self) {
        if self.cancelable.get() && !self.in_passive_listener.get() {
            self.canceled.set(true);
        }
    }

    /// <https://dom.spec.whatwg.org/#concept-event-initialize>
    fn initialize(&self, type_: String, bubbles: bool, cancelable: bool) {
        // Step 1. Set event's initialized flag.
        self.initialized.set(true);
        // Step 2. Unset its stop propagation, stop immediate propagation and canceled flags.
        self.stop_propagation.set(false);
        self.stop_immediate_propagation.set(false);
        self.canceled.set(false);
        // Step 3. Set isTrusted to false.
        self.is_trusted.set(false);
        // Step 4. Set target to null.
        *self.target.borrow_mut() = None;
        // Steps 5-7. type, bubbles, cancelable.
        *self.type_.borrow_mut() = type_;
        self.bubbles.set(bubbles);
        self.cancelable.set(cancelable);
    }

    /// `initEvent`/`initCustomEvent`: does nothing while dispatching.
    pub fn init_event(&self, type_: String, bubbles: bool, cancelable: bool) {
        // Step 1. If this's dispatch flag is set, then return.
        if self.dispatching.get() {
            return;
        }
        // Step 2. Initialize this.
        self.initialize(type_, bubbles, cancelable);
    }
}

impl<'js> Trace<'js> for Event<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer);
        self.current_target.trace(tracer);
        self.path.trace(tracer);
    }
}

impl<'js> EventMethods<'js> for Event<'js> {
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.type_())
    }
    fn target(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, EventTarget<'js>>>> {
        Ok(self.target_())
    }
    fn srcElement(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, EventTarget<'js>>>> {
        Ok(self.target_())
    }
    fn currentTarget(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, EventTarget<'js>>>> {
        Ok(self.current_target.borrow().clone())
    }
    fn eventPhase(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.phase.get())
    }
    fn cancelBubble(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.stop_propagation.get())
    }
    fn set_cancelBubble(&self, _cx: &Cx<'js>, value: bool) -> Fallible<()> {
        if value {
            self.stop_propagation.set(true);
        }
        Ok(())
    }
    fn bubbles(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.bubbles.get())
    }
    fn cancelable(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.cancelable.get())
    }
    fn returnValue(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(!self.canceled.get())
    }
    fn set_returnValue(&self, _cx: &Cx<'js>, value: bool) -> Fallible<()> {
        if !value {
            self.set_canceled_flag();
        }
        Ok(())
    }
    fn defaultPrevented(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.canceled.get())
    }
    fn composed(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.composed.get())
    }
    fn isTrusted(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.is_trusted.get())
    }
    fn timeStamp(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.time_stamp)
    }
    /// <https://dom.spec.whatwg.org/#dom-event-composedpath> (no shadow trees: the path).
    fn composedPath(&self, _cx: &Cx<'js>) -> Fallible<Vec<Dom<'js, EventTarget<'js>>>> {
        if self.current_target.borrow().is_none() {
            return Ok(Vec::new());
        }
        Ok(self.path.borrow().clone())
    }
    fn stopPropagation(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.stop_propagation.set(true);
        Ok(())
    }
    fn stopImmediatePropagation(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.stop_immediate_propagation();
        Ok(())
    }
    fn preventDefault(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.set_canceled_flag();
        Ok(())
    }
    fn initEvent(
        &self,
        _cx: &Cx<'js>,
        type_: DOMString,
        bubbles: bool,
        cancelable: bool,
    ) -> Fallible<()> {
        self.init_event(type_, bubbles, cancelable);
        Ok(())
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: EventInit) -> Fallible<Self> {
        Ok(Event::new_inherited(&cx.ctx, &type_, &init))
    }
}
