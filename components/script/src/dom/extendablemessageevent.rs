//! <https://w3c.github.io/ServiceWorker/#extendablemessageevent-interface>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ExtendableMessageEventBinding::ExtendableMessageEventMethods;
use crate::dom::bindings::codegen::{
    ClientOrServiceWorkerOrMessagePort, EventInit, ExtendableMessageEventInit,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::extendableevent::ExtendableEvent;
use crate::dom::messageport::MessagePort;

/// <https://w3c.github.io/ServiceWorker/#extendablemessageevent-interface>
pub struct ExtendableMessageEvent<'js> {
    event: ExtendableEvent<'js>,
    data: DomRefCell<Value<'js>>,
    origin: String,
    last_event_id: String,
    source: Option<ClientOrServiceWorkerOrMessagePort<'js>>,
    /// The ports, as the frozen array the attribute keeps returning.
    ports: FrozenArray<'js>,
}

impl<'js> HasParent<'js> for ExtendableMessageEvent<'js> {
    type Parent = ExtendableEvent<'js>;
    fn parent(&self) -> &ExtendableEvent<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for ExtendableMessageEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.data.trace(tracer);
        self.source.trace(tracer);
        self.ports.trace(tracer);
    }
}

impl<'js> ExtendableMessageEvent<'js> {
    /// A trusted `message`/`messageerror` event the user agent fires at a service worker.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        data: Value<'js>,
        origin: String,
        source: Option<ClientOrServiceWorkerOrMessagePort<'js>>,
        ports: Vec<Dom<'js, MessagePort<'js>>>,
    ) -> Fallible<Dom<'js, ExtendableMessageEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let event = reflect_dom_object(
            ctx,
            ExtendableMessageEvent {
                event: ExtendableEvent::new_inherited(ctx, type_, &init),
                data: DomRefCell::new(data),
                origin,
                last_event_id: String::new(),
                source,
                ports: FrozenArray::new(ctx, ports)?,
            },
        )?;
        event.event.event().set_trusted(true);
        Ok(event)
    }

    pub fn extendable(&self) -> &ExtendableEvent<'js> {
        &self.event
    }
}

impl<'js> ExtendableMessageEventMethods<'js> for ExtendableMessageEvent<'js> {
    fn data(&self, _cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self.data.borrow().clone())
    }
    fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.origin.clone())
    }
    fn lastEventId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.last_event_id.clone())
    }
    fn source(&self, _cx: &Cx<'js>) -> Fallible<Option<ClientOrServiceWorkerOrMessagePort<'js>>> {
        Ok(self.source.clone())
    }
    fn ports(&self, _cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        Ok(self.ports.clone())
    }
    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: ExtendableMessageEventInit<'js>,
    ) -> Fallible<Self> {
        Ok(ExtendableMessageEvent {
            event: ExtendableEvent::new_inherited(&cx.ctx, &type_, &init.parent.parent),
            data: DomRefCell::new(init.data),
            origin: init.origin,
            last_event_id: init.lastEventId,
            source: init.source,
            ports: FrozenArray::new(&cx.ctx, init.ports)?,
        })
    }
}
