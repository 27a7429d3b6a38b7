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
    // The worker has a pending event while this one is active.
    let worker = global.extendable_event_started();
    let target = crate::dom::globalscope::GlobalScope::as_event_target(&global);
    let as_event = event_object
        .clone()
        .upcast::<crate::dom::event::Event<'_>>();
    if let Err(e) = crate::dom::eventtarget::dispatch(ctx, &as_event, &target) {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
    // The event was dispatched: when it is no longer active (or, should it never be, when
    // it is collected), the worker's pending event ends and the controller hears of it once.
    if let Some(limit) = worker.as_ref().and_then(|(c, _)| c.event_lifetime()) {
        if let Err(e) = crate::dom::extendableevent::time_out_after(ctx, &event_object, limit) {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
        }
    }
    let finished = Dispatched(Some(Box::new(move || {
        if let Some((context, worker)) = worker {
            context.event_finished(worker);
        }
        done(true);
    })));
    event_object.when_inactive(Box::new(move |_| drop(finished)));
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
