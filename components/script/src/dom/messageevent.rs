//! <https://html.spec.whatwg.org/#the-messageevent-interface>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::MessageEventBinding::MessageEventMethods;
use crate::dom::bindings::codegen::{EventInit, MessageEventInit, MessageEventSource};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;
use crate::dom::messageport::MessagePort;

/// <https://html.spec.whatwg.org/#the-messageevent-interface>
pub struct MessageEvent<'js> {
    event: Event<'js>,
    data: DomRefCell<Value<'js>>,
    origin: DomRefCell<String>,
    last_event_id: DomRefCell<String>,
    source: DomRefCell<Option<MessageEventSource<'js>>>,
    /// The ports, as the frozen array the attribute keeps returning.
    ports: DomRefCell<FrozenArray<'js>>,
}

impl<'js> HasParent<'js> for MessageEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for MessageEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.data.trace(tracer);
        self.source.trace(tracer);
        self.ports.trace(tracer);
    }
}

impl<'js> MessageEvent<'js> {
    /// A trusted MessageEvent the user agent fires (not bubbling, not cancelable), with an
    /// empty origin and no source: a message from a port.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        data: Value<'js>,
        ports: Vec<Dom<'js, MessagePort<'js>>>,
    ) -> Fallible<Dom<'js, MessageEvent<'js>>> {
        Self::new_trusted_from(ctx, type_, data, String::new(), None, ports)
    }

    /// A trusted MessageEvent with an origin and a source (worker and window messages).
    pub fn new_trusted_from(
        ctx: &Ctx<'js>,
        type_: &str,
        data: Value<'js>,
        origin: String,
        source: Option<MessageEventSource<'js>>,
        ports: Vec<Dom<'js, MessagePort<'js>>>,
    ) -> Fallible<Dom<'js, MessageEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let event = reflect_dom_object(
            ctx,
            MessageEvent {
                event: Event::new_inherited(ctx, type_, &init),
                data: DomRefCell::new(data),
                origin: DomRefCell::new(origin),
                last_event_id: DomRefCell::new(String::new()),
                source: DomRefCell::new(source),
                ports: DomRefCell::new(FrozenArray::new(ctx, ports)?),
            },
        )?;
        event.event.set_trusted(true);
        Ok(event)
    }
}

impl<'js> MessageEventMethods<'js> for MessageEvent<'js> {
    fn data(&self, _cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self.data.borrow().clone())
    }
    fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.origin.borrow().clone())
    }
    fn lastEventId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.last_event_id.borrow().clone())
    }
    fn source(&self, _cx: &Cx<'js>) -> Fallible<Option<MessageEventSource<'js>>> {
        Ok(self.source.borrow().clone())
    }
    fn ports(&self, _cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        Ok(self.ports.borrow().clone())
    }
    /// <https://html.spec.whatwg.org/#dom-messageevent-initmessageevent>
    fn initMessageEvent(
        &self,
        cx: &Cx<'js>,
        type_: DOMString,
        bubbles: bool,
        cancelable: bool,
        data: Value<'js>,
        origin: USVString,
        last_event_id: DOMString,
        source: Option<MessageEventSource<'js>>,
        ports: Vec<Dom<'js, MessagePort<'js>>>,
    ) -> Fallible<()> {
        // Like initEvent(): nothing happens while the event is being dispatched.
        if self.event.dispatching() {
            return Ok(());
        }
        self.event.init_event(type_, bubbles, cancelable);
        *self.data.borrow_mut() = data;
        *self.origin.borrow_mut() = origin;
        *self.last_event_id.borrow_mut() = last_event_id;
        *self.source.borrow_mut() = source;
        *self.ports.borrow_mut() = FrozenArray::new(&cx.ctx, ports)?;
        Ok(())
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: MessageEventInit<'js>) -> Fallible<Self> {
        Ok(MessageEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            data: DomRefCell::new(init.data),
            origin: DomRefCell::new(init.origin),
            last_event_id: DomRefCell::new(init.lastEventId),
            source: DomRefCell::new(init.source),
            ports: DomRefCell::new(FrozenArray::new(&cx.ctx, init.ports)?),
        })
    }
}
