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

/// Fire Functional Event (Service Workers), for a background fetch's event at this service
/// worker's global: `backgroundfetchsuccess`/`fail` (BackgroundFetchUpdateUIEvent) or
/// `backgroundfetchabort`/`click` (BackgroundFetchEvent), whose registration is this realm's
/// instance for the fetch. `done(true)` runs once the event is no longer active;
/// `done(false)` if it could not be dispatched.
pub fn dispatch_functional_event(
    ctx: &Ctx<'_>,
    event: net_traits::DispatchEvent,
    done: Box<dyn FnOnce(bool) + Send>,
) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return done(false);
    };
    let made = (|| -> Fallible<Dom<'_, ExtendableEvent<'_>>> {
        let instance =
            crate::dom::backgroundfetch::connection::instance(ctx, &global, &event.fetch)?;
        let name = event.kind.name();
        Ok(match event.kind {
            net_traits::FunctionalEvent::Success | net_traits::FunctionalEvent::Fail => {
                crate::dom::backgroundfetch::update_ui_event::BackgroundFetchUpdateUIEvent::new_trusted(
                    ctx,
                    name,
                    instance,
                    event.fetch.uid,
                )?
                .upcast::<ExtendableEvent>()
            }
            net_traits::FunctionalEvent::Abort | net_traits::FunctionalEvent::Click => {
                let init = EventInit {
                    bubbles: false,
                    cancelable: false,
                    composed: false,
                };
                let e = reflect_dom_object(ctx, BackgroundFetchEvent::new_inherited(ctx, name, &init, instance))?;
                e.extendable_event.event().set_trusted(true);
                e.upcast::<ExtendableEvent>()
            }
        })
    })();
    let event_object = match made {
        Ok(e) => e,
        Err(e) => {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
            return done(false);
        }
    };
    // The user clicked the fetch's UI: the worker may open or focus a window now.
    if event.kind == net_traits::FunctionalEvent::Click {
        crate::user_activation::allow_window_interaction();
    }
    crate::dom::extendableevent::dispatch_functional_event_object(ctx, &global, event_object, done);
}
