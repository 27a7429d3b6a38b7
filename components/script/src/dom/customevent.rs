//! <https://dom.spec.whatwg.org/#interface-customevent>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::CustomEventBinding::CustomEventMethods;
use crate::dom::bindings::codegen::CustomEventInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;

/// <https://dom.spec.whatwg.org/#interface-customevent>
pub struct CustomEvent<'js> {
    event: Event<'js>,
    /// The event's detail.
    detail: DomRefCell<Value<'js>>,
}

impl<'js> HasParent<'js> for CustomEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for CustomEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.detail.trace(tracer);
    }
}

impl<'js> CustomEventMethods<'js> for CustomEvent<'js> {
    fn detail(&self, _cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self.detail.borrow().clone())
    }
    /// <https://dom.spec.whatwg.org/#dom-customevent-initcustomevent>
    fn initCustomEvent(
        &self,
        _cx: &Cx<'js>,
        type_: DOMString,
        bubbles: bool,
        cancelable: bool,
        detail: Value<'js>,
    ) -> Fallible<()> {
        // Step 1. If this's dispatch flag is set, then return.
        if self.event.dispatching() {
            return Ok(());
        }
        // Step 2. Initialize this with type, bubbles, and cancelable.
        self.event.init_event(type_, bubbles, cancelable);
        // Step 3. Set this's detail attribute to detail.
        *self.detail.borrow_mut() = detail;
        Ok(())
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: CustomEventInit<'js>) -> Fallible<Self> {
        Ok(CustomEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            detail: DomRefCell::new(init.detail),
        })
    }
}
