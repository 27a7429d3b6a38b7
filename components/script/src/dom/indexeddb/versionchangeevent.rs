//! <https://w3c.github.io/IndexedDB/#events>: IDBVersionChangeEvent.

use crate::dom::bindings::codegen::IDBVersionChangeEventBinding::IDBVersionChangeEventMethods;
use crate::dom::bindings::codegen::IDBVersionChangeEventInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;

/// <https://w3c.github.io/IndexedDB/#idbversionchangeevent>
pub struct IDBVersionChangeEvent<'js> {
    event: Event<'js>,
    old_version: u64,
    new_version: Option<u64>,
}

impl<'js> HasParent<'js> for IDBVersionChangeEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for IDBVersionChangeEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer)
    }
}

impl<'js> IDBVersionChangeEvent<'js> {
    /// <https://w3c.github.io/IndexedDB/#fire-a-version-change-event>: the event (it
    /// neither bubbles nor can be canceled), trusted.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        old_version: u64,
        new_version: Option<u64>,
    ) -> Fallible<Dom<'js, IDBVersionChangeEvent<'js>>> {
        let init = crate::dom::bindings::codegen::EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            IDBVersionChangeEvent {
                event: Event::new_inherited(ctx, type_, &init),
                old_version,
                new_version,
            },
        )?;
        e.upcast::<Event>().set_trusted(true);
        Ok(e)
    }
}

impl<'js> IDBVersionChangeEventMethods<'js> for IDBVersionChangeEvent<'js> {
    fn oldVersion(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.old_version)
    }

    fn newVersion(&self, _cx: &Cx<'js>) -> Fallible<Option<u64>> {
        Ok(self.new_version)
    }

    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: IDBVersionChangeEventInit,
    ) -> Fallible<Self> {
        Ok(IDBVersionChangeEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            old_version: init.oldVersion,
            new_version: init.newVersion,
        })
    }
}
