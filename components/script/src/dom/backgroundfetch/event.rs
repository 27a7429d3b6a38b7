//! <https://wicg.github.io/background-fetch/#background-fetch-event>

use crate::dom::backgroundfetch::registration::BackgroundFetchRegistration;
use crate::dom::bindings::codegen::BackgroundFetchEventBinding::BackgroundFetchEventMethods;
use crate::dom::bindings::codegen::{BackgroundFetchEventInit, EventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::extendableevent::ExtendableEvent;

/// <https://wicg.github.io/background-fetch/#background-fetch-event>
pub struct BackgroundFetchEvent<'js> {
    extendable_event: ExtendableEvent<'js>,
    /// The registration the event was initialised with.
    registration: Dom<'js, BackgroundFetchRegistration<'js>>,
}

impl<'js> HasParent<'js> for BackgroundFetchEvent<'js> {
    type Parent = ExtendableEvent<'js>;
    fn parent(&self) -> &ExtendableEvent<'js> {
        &self.extendable_event
    }
}

impl<'js> Trace<'js> for BackgroundFetchEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.extendable_event.trace(tracer);
        self.registration.trace(tracer);
    }
}

impl<'js> BackgroundFetchEvent<'js> {
    pub fn new_inherited(
        ctx: &Ctx<'js>,
        type_: &str,
        init: &EventInit,
        registration: Dom<'js, BackgroundFetchRegistration<'js>>,
    ) -> BackgroundFetchEvent<'js> {
        BackgroundFetchEvent {
            extendable_event: ExtendableEvent::new_inherited(ctx, type_, init),
            registration,
        }
    }
    pub fn extendable_event(&self) -> &ExtendableEvent<'js> {
        &self.extendable_event
    }
}

impl<'js> BackgroundFetchEventMethods<'js> for BackgroundFetchEvent<'js> {
    fn registration(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, BackgroundFetchRegistration<'js>>> {
        Ok(self.registration.clone())
    }
    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: BackgroundFetchEventInit<'js>,
    ) -> Fallible<Self> {
        Ok(BackgroundFetchEvent::new_inherited(
            &cx.ctx,
            &type_,
            &init.parent.parent,
            init.registration,
        ))
    }
}
