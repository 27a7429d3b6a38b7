//! <https://w3c.github.io/ServiceWorker/#installevent-interface>

use crate::dom::bindings::codegen::InstallEventBinding::InstallEventMethods;
use crate::dom::bindings::codegen::{EventInit, ExtendableEventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::extendableevent::ExtendableEvent;

/// <https://w3c.github.io/ServiceWorker/#installevent-interface>: the `install` event.
pub struct InstallEvent<'js> {
    extendable_event: ExtendableEvent<'js>,
}

impl<'js> HasParent<'js> for InstallEvent<'js> {
    type Parent = ExtendableEvent<'js>;
    fn parent(&self) -> &ExtendableEvent<'js> {
        &self.extendable_event
    }
}

impl<'js> Trace<'js> for InstallEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.extendable_event.trace(tracer);
    }
}

impl<'js> InstallEvent<'js> {
    /// The trusted `install` event Install dispatches.
    pub fn new_trusted(ctx: &Ctx<'js>) -> Fallible<Dom<'js, InstallEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            InstallEvent {
                extendable_event: ExtendableEvent::new_inherited(ctx, "install", &init),
            },
        )?;
        e.extendable_event.event().set_trusted(true);
        Ok(e)
    }
}

impl<'js> InstallEventMethods<'js> for InstallEvent<'js> {
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: ExtendableEventInit) -> Fallible<Self> {
        Ok(InstallEvent {
            extendable_event: ExtendableEvent::new_inherited(&cx.ctx, &type_, &init.parent),
        })
    }
}
