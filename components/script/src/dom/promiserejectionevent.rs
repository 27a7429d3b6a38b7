//! <https://html.spec.whatwg.org/#promiserejectionevent>

use crate::dom::bindings::codegen::PromiseRejectionEventBinding::PromiseRejectionEventMethods;
use crate::dom::bindings::codegen::{EventInit, PromiseRejectionEventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;

/// <https://html.spec.whatwg.org/#promiserejectionevent>
pub struct PromiseRejectionEvent<'js> {
    event: Event<'js>,
    /// The rejected promise.
    promise: Object<'js>,
    /// The rejection reason (undefined when absent).
    reason: Option<Value<'js>>,
}

impl<'js> HasParent<'js> for PromiseRejectionEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for PromiseRejectionEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.promise.trace(tracer);
        self.reason.trace(tracer);
    }
}

impl<'js> PromiseRejectionEvent<'js> {
    /// A trusted `unhandledrejection`/`rejectionhandled` event (HTML §8.1.4.7).
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        cancelable: bool,
        promise: Object<'js>,
        reason: Value<'js>,
    ) -> Fallible<Dom<'js, PromiseRejectionEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            PromiseRejectionEvent {
                event: Event::new_inherited(ctx, type_, &init),
                promise,
                reason: Some(reason),
            },
        )?;
        e.event.set_trusted(true);
        Ok(e)
    }
}

impl<'js> PromiseRejectionEventMethods<'js> for PromiseRejectionEvent<'js> {
    fn promise(&self, _cx: &Cx<'js>) -> Fallible<Object<'js>> {
        Ok(self.promise.clone())
    }
    fn reason(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .reason
            .clone()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }
    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: PromiseRejectionEventInit<'js>,
    ) -> Fallible<Self> {
        Ok(PromiseRejectionEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            promise: init.promise,
            reason: init.reason,
        })
    }
}
