//! <https://html.spec.whatwg.org/#the-submitevent-interface>

use crate::dom::bindings::codegen::SubmitEventBinding::SubmitEventMethods;
use crate::dom::bindings::codegen::SubmitEventInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;
use crate::dom::htmlelement::HTMLElement;

pub struct SubmitEvent<'js> {
    event: Event<'js>,
    submitter: Option<Dom<'js, HTMLElement<'js>>>,
}

impl<'js> HasParent<'js> for SubmitEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for SubmitEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.submitter.trace(tracer);
    }
}

impl<'js> SubmitEvent<'js> {
    /// A trusted `submit` event (bubbles, cancelable) with its submitter.
    pub fn submit(
        ctx: &Ctx<'js>,
        submitter: Option<Dom<'js, HTMLElement<'js>>>,
    ) -> Fallible<Dom<'js, SubmitEvent<'js>>> {
        let init = crate::dom::bindings::codegen::EventInit {
            bubbles: true,
            cancelable: true,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            SubmitEvent {
                event: Event::new_inherited(ctx, "submit", &init),
                submitter,
            },
        )?;
        e.event.set_trusted(true);
        Ok(e)
    }
}

impl<'js> SubmitEventMethods<'js> for SubmitEvent<'js> {
    fn submitter(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLElement<'js>>>> {
        Ok(self.submitter.clone())
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: SubmitEventInit<'js>) -> Fallible<Self> {
        Ok(SubmitEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            submitter: init.submitter,
        })
    }
}
