//! <https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface>, with the
//! `backgroundFetch` attribute of Background Fetch. Behind `dom.serviceworker.enabled` until
//! service workers exist (issue 6).

use crate::dom::backgroundfetch::manager::BackgroundFetchManager;
use crate::dom::bindings::codegen::ServiceWorkerRegistrationBinding::ServiceWorkerRegistrationMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;

/// <https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface>
pub struct ServiceWorkerRegistration<'js> {
    event_target: EventTarget<'js>,
    /// The background fetch manager ([SameObject]).
    background_fetch: Dom<'js, BackgroundFetchManager<'js>>,
}

impl<'js> ServiceWorkerRegistration<'js> {
    pub fn new_inherited(
        background_fetch: Dom<'js, BackgroundFetchManager<'js>>,
    ) -> ServiceWorkerRegistration<'js> {
        ServiceWorkerRegistration {
            event_target: EventTarget::new_inherited(),
            background_fetch,
        }
    }
}

impl<'js> HasParent<'js> for ServiceWorkerRegistration<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for ServiceWorkerRegistration<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.background_fetch.trace(tracer);
    }
}

impl<'js> ServiceWorkerRegistrationMethods<'js> for ServiceWorkerRegistration<'js> {
    fn backgroundFetch(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, BackgroundFetchManager<'js>>> {
        Ok(self.background_fetch.clone())
    }
}
