//! <https://dom.spec.whatwg.org/#interface-eventtarget>, event dispatch, and HTML event
//! handlers (<https://html.spec.whatwg.org/#event-handler-attributes>).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::EventTargetBinding::EventTargetMethods;
use crate::dom::bindings::codegen::{
    AddEventListenerOptionsOrBoolean, EventListener, EventListenerOptionsOrBoolean,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::errorevent::ErrorEvent;
use crate::dom::event::{self, Event};
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;
use std::rc::Rc;

/// How an event handler's callback is called (HTML "event handler processing algorithm").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventHandlerKind {
    Normal,
    /// `OnErrorEventHandler`: an `error` ErrorEvent at a global is passed as 5 arguments.
    OnError,
    OnBeforeUnload,
}

enum ListenerCallback<'js> {
    /// A listener added with addEventListener.
    User(EventListener<'js>),
    /// The listener of an event handler: runs the event handler processing algorithm.
    Handler,
}

/// <https://dom.spec.whatwg.org/#concept-event-listener>
pub struct Listener<'js> {
    type_: String,
    callback: ListenerCallback<'js>,
    capture: bool,
    passive: bool,
    once: bool,
    /// The removed flag, shared with dispatch's clone of the list.
    removed: Cell<bool>,
}

impl<'js> Trace<'js> for Listener<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let ListenerCallback::User(cb) = &self.callback {
            cb.trace(tracer)
        }
    }
}

/// An entry of the event handler map.
struct HandlerSlot<'js> {
    type_: String,
    kind: EventHandlerKind,
    /// The event handler's value (a callback object), or null.
    value: Option<Object<'js>>,
    /// The event handler's listener, once activated.
    listener: Option<Rc<Listener<'js>>>,
}

impl<'js> Trace<'js> for HandlerSlot<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.value.trace(tracer);
        self.listener.trace(tracer);
    }
}

/// <https://dom.spec.whatwg.org/#interface-eventtarget>
pub struct EventTarget<'js> {
    /// The event listener list.
    listeners: DomRefCell<Vec<Rc<Listener<'js>>>>,
    /// The event handler map.
    handlers: DomRefCell<Vec<HandlerSlot<'js>>>,
}

impl<'js> Default for EventTarget<'js> {
    fn default() -> Self {
        Self::new_inherited()
    }
}

impl<'js> EventTarget<'js> {
    pub fn new_inherited() -> EventTarget<'js> {
        EventTarget {
            listeners: DomRefCell::new(Vec::new()),
            handlers: DomRefCell::new(Vec::new()),
        }
    }

    /// <https://dom.spec.whatwg.org/#add-an-event-listener>: returns the listener if it was
    /// added (not a duplicate).
    fn add_event_listener(&self, listener: Listener<'js>) -> Option<Rc<Listener<'js>>> {
        // Step 4. If listener's callback is null, then return (checked by the caller).
        // Step 5. Append unless an equal listener is in the list.
        let mut list = self.listeners.borrow_mut();
        let duplicate = list.iter().any(|l| {
            l.type_ == listener.type_
                && l.capture == listener.capture
                && match (&l.callback, &listener.callback) {
                    (ListenerCallback::User(a), ListenerCallback::User(b)) => a == b,
                    _ => false,
                }
        });
        if duplicate {
            return None;
        }
        let listener = Rc::new(listener);
        list.push(listener.clone());
        Some(listener)
    }

    /// Removes `listener` (an AbortSignal's abort algorithm for addEventListener).
    pub fn remove_listener_rc(&self, listener: &Rc<Listener<'js>>) {
        self.remove_listener(listener)
    }

    /// <https://dom.spec.whatwg.org/#remove-an-event-listener>
    fn remove_listener(&self, listener: &Rc<Listener<'js>>) {
        listener.removed.set(true);
        self.listeners
            .borrow_mut()
            .retain(|l| !Rc::ptr_eq(l, listener));
    }

    /// Whether any listener (or event handler) exists for `type_`.
    /// The types of the event listeners in its list, each once, in the order first added.
    pub fn listener_types(&self) -> Vec<String> {
        let mut types: Vec<String> = Vec::new();
        for l in self.listeners.borrow().iter() {
            if !types.contains(&l.type_) {
                types.push(l.type_.clone());
            }
        }
        types
    }

    pub fn has_listeners_for(&self, type_: &str) -> bool {
        self.listeners.borrow().iter().any(|l| l.type_ == type_)
    }
}

impl<'js> Trace<'js> for EventTarget<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.listeners.trace(tracer);
        self.handlers.trace(tracer);
    }
}

/// The result of "flatten more": capture, passive, once and signal.
type Flattened<'js> = (
    bool,
    Option<bool>,
    bool,
    Option<Dom<'js, crate::dom::abortsignal::AbortSignal<'js>>>,
);

/// <https://dom.spec.whatwg.org/#concept-flatten-options> and "flatten more".
fn flatten_more<'js>(options: AddEventListenerOptionsOrBoolean<'js>) -> Flattened<'js> {
    match options {
        AddEventListenerOptionsOrBoolean::Boolean(capture) => (capture, None, false, None),
        AddEventListenerOptionsOrBoolean::AddEventListenerOptions(o) => {
            (o.parent.capture, o.passive, o.once, o.signal)
        }
    }
}

impl<'js> EventTargetMethods<'js> for EventTarget<'js> {
    fn addEventListener(
        &self,
        cx: &Cx<'js>,
        type_: DOMString,
        callback: Option<EventListener<'js>>,
        options: AddEventListenerOptionsOrBoolean<'js>,
    ) -> Fallible<()> {
        let (capture, passive, once, signal) = flatten_more(options);
        // Step 2. If listener's signal is non-null and aborted, then return.
        if signal.as_ref().is_some_and(|s| s.is_aborted()) {
            return Ok(());
        }
        let Some(callback) = callback else {
            return Ok(());
        };
        let added = self.add_event_listener(Listener {
            type_,
            callback: ListenerCallback::User(callback),
            capture,
            // Step 3. The default passive value is false (no touch/wheel events here).
            passive: passive.unwrap_or(false),
            once,
            removed: Cell::new(false),
        });
        // Step 6. If listener's signal is non-null, add an abort step that removes it.
        if let (Some(signal), Some(listener)) = (signal, added) {
            let target = <EventTarget as DomInterface>::unwrap(&cx.this)
                .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
            signal.add_algorithm(crate::dom::abortsignal::AbortAlgorithm::RemoveListener(
                target,
                Rc::downgrade(&listener),
            ));
        }
        Ok(())
    }

    fn removeEventListener(
        &self,
        _cx: &Cx<'js>,
        type_: DOMString,
        callback: Option<EventListener<'js>>,
        options: EventListenerOptionsOrBoolean,
    ) -> Fallible<()> {
        let capture = match options {
            EventListenerOptionsOrBoolean::Boolean(b) => b,
            EventListenerOptionsOrBoolean::EventListenerOptions(o) => o.capture,
        };
        let Some(callback) = callback else {
            return Ok(());
        };
        let found = self
            .listeners
            .borrow()
            .iter()
            .find(|l| {
                l.type_ == type_
                    && l.capture == capture
                    && matches!(&l.callback, ListenerCallback::User(cb) if *cb == callback)
            })
            .cloned();
        if let Some(l) = found {
            self.remove_listener(&l);
        }
        Ok(())
    }

    /// <https://dom.spec.whatwg.org/#dom-eventtarget-dispatchevent>
    fn dispatchEvent(&self, cx: &Cx<'js>, event: Dom<'js, Event<'js>>) -> Fallible<bool> {
        // Step 1. If event's dispatch flag is set, or its initialized flag is not set, throw.
        if event.dispatching() || !event.initialized() {
            return Err(Error::invalid_state(
                "the event is already being dispatched or was not initialized",
            ));
        }
        // Step 2. Initialize event's isTrusted attribute to false.
        event.set_trusted(false);
        // Step 3. Return the result of dispatching event to this.
        let target = <EventTarget as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        dispatch(&cx.ctx, &event, &target)
    }

    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(EventTarget::new_inherited())
    }
}

/// <https://dom.spec.whatwg.org/#get-the-parent>: a node's parent; a document's relevant
/// global (its window) unless the event is `load` or the document has no browsing context.
fn get_the_parent<'js>(
    ctx: &Ctx<'js>,
    target: &Dom<'js, EventTarget<'js>>,
    event: &Dom<'js, Event<'js>>,
) -> Option<Dom<'js, EventTarget<'js>>> {
    let value = target.reflector().clone().into_value();
    // IndexedDB: a request's parent is its transaction, a transaction's its connection.
    if let Some(parent) = crate::dom::indexeddb::get_the_parent(&value) {
        return parent;
    }
    if let Some(document) = <crate::dom::document::Document as DomInterface>::unwrap(&value) {
        if event.type_() == "load" || !document.has_browsing_context() {
            return None;
        }
        let window = crate::dom::window::current_window(ctx)?;
        let own = crate::dom::window::associated_document(ctx)?;
        return own
            .ptr_eq(&document)
            .then(|| window.upcast::<EventTarget>());
    }
    let node = <crate::dom::node::Node as DomInterface>::unwrap(&value)?;
    node.parent_node().map(|p| p.upcast::<EventTarget>())
}

/// <https://dom.spec.whatwg.org/#concept-event-dispatch> (no shadow trees, no related
/// targets, no activation behaviour). Returns false if the event was canceled.
pub fn dispatch<'js>(
    ctx: &Ctx<'js>,
    event: &Dom<'js, Event<'js>>,
    target: &Dom<'js, EventTarget<'js>>,
) -> Fallible<bool> {
    dispatch_with_target_override(ctx, event, target, None)
}

/// Dispatch with HTML's "legacy target override flag": the event is dispatched at `target`
/// (a window) but its `target` is `target_override` (the window's document).
pub fn dispatch_with_target_override<'js>(
    ctx: &Ctx<'js>,
    event: &Dom<'js, Event<'js>>,
    target: &Dom<'js, EventTarget<'js>>,
    target_override: Option<Dom<'js, EventTarget<'js>>>,
) -> Fallible<bool> {
    // Step 1. Set event's dispatch flag.
    event.set_dispatching(true);
    // Step 5.4-5.9: append target and its parents to the path.
    let mut path = vec![target.clone()];
    let mut parent = get_the_parent(ctx, target, event);
    while let Some(p) = parent {
        parent = get_the_parent(ctx, &p, event);
        path.push(p);
    }
    event.set_target(Some(target_override.unwrap_or_else(|| target.clone())));
    event.set_path(path.clone());
    // Step 5.13. Capturing: for each struct in path, in reverse order.
    for (i, item) in path.iter().enumerate().rev() {
        event.set_phase(if i == 0 {
            event::AT_TARGET
        } else {
            event::CAPTURING_PHASE
        });
        invoke(ctx, item, event, true)?;
    }
    // Step 5.14. Bubbling: for each struct in path.
    for (i, item) in path.iter().enumerate() {
        if i == 0 {
            event.set_phase(event::AT_TARGET);
        } else {
            if !event.bubbles() {
                continue;
            }
            event.set_phase(event::BUBBLING_PHASE);
        }
        invoke(ctx, item, event, false)?;
    }
    // Steps 6-13. Clean up.
    event.clear_after_dispatch();
    // Step 14. Return false if event's canceled flag is set; otherwise true.
    Ok(!event.canceled())
}

/// <https://dom.spec.whatwg.org/#concept-event-listener-invoke>
fn invoke<'js>(
    ctx: &Ctx<'js>,
    item: &Dom<'js, EventTarget<'js>>,
    event: &Dom<'js, Event<'js>>,
    capturing: bool,
) -> Fallible<()> {
    // Step 3. If event's stop propagation flag is set, then return.
    if event.stop_propagation_flag() {
        return Ok(());
    }
    // Step 4. Set event's currentTarget.
    event.set_current_target(Some(item.clone()));
    // Step 5. Clone the listener list, so listeners added now do not run.
    let listeners: Vec<Rc<Listener<'js>>> = item.listeners.borrow().clone();
    inner_invoke(ctx, item, event, &listeners, capturing)
}

/// <https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke>
fn inner_invoke<'js>(
    ctx: &Ctx<'js>,
    item: &Dom<'js, EventTarget<'js>>,
    event: &Dom<'js, Event<'js>>,
    listeners: &[Rc<Listener<'js>>],
    capturing: bool,
) -> Fallible<()> {
    let event_type = event.type_();
    for listener in listeners {
        // Step 2.1-2.2. Skip removed listeners and other types.
        if listener.removed.get() || listener.type_ != event_type {
            continue;
        }
        // Steps 2.4-2.5. Phase.
        if capturing != listener.capture {
            continue;
        }
        // Step 2.6. once: remove it before calling.
        if listener.once {
            item.remove_listener(listener);
        }
        // Step 2.9. in passive listener flag.
        if listener.passive {
            event.set_in_passive_listener(true);
        }
        // Steps 2.8-2.9 (2.8.2). A window's current event is this event while the
        // listener runs (no shadow trees here), then the previous one again (2.12).
        let window = crate::dom::window::current_window(ctx);
        let previous = window
            .as_ref()
            .map(|w| w.current_event.replace(Some(event.clone())));
        // Step 2.10. Call the callback; an exception is reported and dispatch goes on.
        let this = item.reflector().clone().into_value();
        let result = match &listener.callback {
            ListenerCallback::User(cb) => cb.handleEvent(ctx, this, event.clone()).map(|_| ()),
            ListenerCallback::Handler => process_event_handler(ctx, item, event),
        };
        if let (Some(w), Some(previous)) = (&window, previous) {
            *w.current_event.borrow_mut() = previous;
        }
        if let Err(e) = result {
            // Step 2.10.1 (with the legacy-output-did-listeners-throw flag).
            event.set_listeners_threw();
            GlobalScope::report_error(ctx, e);
        }
        // Step 2.11. Unset the in passive listener flag.
        event.set_in_passive_listener(false);
        // Step 2.13. Stop immediate propagation.
        if event.stop_immediate_propagation_flag() {
            break;
        }
    }
    Ok(())
}

/// <https://html.spec.whatwg.org/#the-event-handler-processing-algorithm>
fn process_event_handler<'js>(
    ctx: &Ctx<'js>,
    item: &Dom<'js, EventTarget<'js>>,
    event: &Dom<'js, Event<'js>>,
) -> Fallible<()> {
    let type_ = event.type_();
    // Step 1. Let callback be the event handler's value; if null, return.
    let (callback, kind) = {
        let handlers = item.handlers.borrow();
        match handlers.iter().find(|h| h.type_ == type_) {
            Some(HandlerSlot {
                value: Some(v),
                kind,
                ..
            }) => (v.clone(), *kind),
            _ => return Ok(()),
        }
    };
    if !callback.as_value().is_function() {
        // [LegacyTreatNonObjectAsNull]: a non-callable object is not called.
        return Ok(());
    }
    let this = item.reflector().clone().into_value();
    // Step 3. The special error event handling.
    let error_event = if kind == EventHandlerKind::OnError && type_ == "error" {
        <ErrorEvent as DomInterface>::unwrap(&event.reflector().clone().into_value())
    } else {
        None
    };
    let return_value = match &error_event {
        Some(e) => {
            let args = vec![
                e.message_().to_js(ctx)?,
                e.filename_().to_js(ctx)?,
                e.lineno_().to_js(ctx)?,
                e.colno_().to_js(ctx)?,
                e.error_(ctx),
            ];
            conv::call_function(ctx, callback.as_value(), this, args)?
        }
        None => conv::call_function(
            ctx,
            callback.as_value(),
            this,
            vec![event.reflector().clone().into_value()],
        )?,
    };
    // Step 5. Process the return value.
    match kind {
        EventHandlerKind::OnError if error_event.is_some() => {
            if return_value.as_bool() == Some(true) {
                event.set_canceled_flag();
            }
        }
        EventHandlerKind::OnBeforeUnload => {
            // TODO(BeforeUnloadEvent): BeforeUnloadEvent's returnValue handling.
            if return_value.as_bool() == Some(false) {
                event.set_canceled_flag();
            }
        }
        _ => {
            if return_value.as_bool() == Some(false) {
                event.set_canceled_flag();
            }
        }
    }
    Ok(())
}

/// Event handler IDL attributes (used by the generated glue for every `EventHandler`).
pub mod event_handler {
    use super::*;

    /// <https://html.spec.whatwg.org/#getting-the-current-value-of-the-event-handler>
    pub fn get<'js>(
        ctx: &Ctx<'js>,
        target: &Dom<'js, EventTarget<'js>>,
        type_: &str,
    ) -> Fallible<Value<'js>> {
        let handlers = target.handlers.borrow();
        Ok(match handlers.iter().find(|h| h.type_ == type_) {
            Some(HandlerSlot { value: Some(v), .. }) => v.clone().into_value(),
            _ => Value::new_null(ctx.clone()),
        })
    }

    /// The event handler IDL attribute setter: [LegacyTreatNonObjectAsNull] means any
    /// non-object is null; null deactivates, an object activates (keeping the listener's
    /// place in the list if it already has one).
    pub fn set<'js>(
        _ctx: &Ctx<'js>,
        target: &Dom<'js, EventTarget<'js>>,
        type_: &str,
        value: Value<'js>,
        kind: EventHandlerKind,
    ) -> Fallible<()> {
        // HTML §9.4.4: setting a MessagePort's onmessage enables its port message queue, as if
        // start() had been called.
        if type_ == "message" {
            let reflector = target.reflector().clone().into_value();
            if let Some(port) =
                <crate::dom::messageport::MessagePort as DomInterface>::unwrap(&reflector)
            {
                port.start_();
            }
            // Service Workers §3.4: the first time a ServiceWorkerContainer's onmessage is
            // set, its client message queue is enabled.
            if <crate::dom::serviceworkercontainer::ServiceWorkerContainer as DomInterface>::unwrap(
                &reflector,
            )
            .is_some()
            {
                if let Some(global) = crate::dom::globalscope::GlobalScope::current(_ctx) {
                    crate::dom::serviceworkercontainer::enable_client_message_queue(&global);
                }
            }
        }
        let value = value.into_object();
        let mut handlers = target.handlers.borrow_mut();
        let index = match handlers.iter().position(|h| h.type_ == type_) {
            Some(i) => i,
            None => {
                handlers.push(HandlerSlot {
                    type_: type_.to_string(),
                    kind,
                    value: None,
                    listener: None,
                });
                handlers.len() - 1
            }
        };
        let slot = &mut handlers[index];
        match value {
            None => {
                // Deactivate: remove the listener, set the value to null.
                slot.value = None;
                if let Some(l) = slot.listener.take() {
                    drop(handlers);
                    target.remove_listener(&l);
                }
            }
            Some(obj) => {
                slot.value = Some(obj);
                if slot.listener.is_none() {
                    // Activate: add a listener that runs the processing algorithm.
                    let listener = Rc::new(Listener {
                        type_: type_.to_string(),
                        callback: ListenerCallback::Handler,
                        capture: false,
                        passive: false,
                        once: false,
                        removed: Cell::new(false),
                    });
                    slot.listener = Some(listener.clone());
                    drop(handlers);
                    target.listeners.borrow_mut().push(listener);
                }
            }
        }
        Ok(())
    }
}

/// Fires a trusted event named `type_` at `target` (HTML "fire an event").
pub fn fire_event<'js>(
    ctx: &Ctx<'js>,
    target: &Dom<'js, EventTarget<'js>>,
    type_: &str,
    bubbles: bool,
    cancelable: bool,
) -> Fallible<bool> {
    let event = Event::new_trusted(ctx, type_, bubbles, cancelable)?;
    dispatch(ctx, &event, target)
}
