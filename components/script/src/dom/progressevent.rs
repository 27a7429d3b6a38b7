//! <https://xhr.spec.whatwg.org/#interface-progressevent> (the events FileReader fires).

use crate::dom::bindings::codegen::ProgressEventBinding::ProgressEventMethods;
use crate::dom::bindings::codegen::ProgressEventInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;
use crate::dom::eventtarget::EventTarget;

/// <https://xhr.spec.whatwg.org/#interface-progressevent>
pub struct ProgressEvent<'js> {
    event: Event<'js>,
    length_computable: bool,
    loaded: f64,
    total: f64,
}

impl<'js> HasParent<'js> for ProgressEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for ProgressEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer)
    }
}

impl<'js> ProgressEventMethods<'js> for ProgressEvent<'js> {
    fn lengthComputable(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.length_computable)
    }
    fn loaded(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.loaded)
    }
    fn total(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.total)
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: ProgressEventInit) -> Fallible<Self> {
        Ok(ProgressEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            length_computable: init.lengthComputable,
            loaded: init.loaded,
            total: init.total,
        })
    }
}

/// <https://xhr.spec.whatwg.org/#concept-event-fire-progress>: a trusted ProgressEvent.
pub(crate) fn fire_progress_event<'js>(
    ctx: &Ctx<'js>,
    target: &Dom<'js, EventTarget<'js>>,
    type_: &str,
    loaded: u64,
    total: u64,
) -> Fallible<()> {
    let init = crate::dom::bindings::codegen::EventInit {
        bubbles: false,
        cancelable: false,
        composed: false,
    };
    let event = reflect_dom_object(
        ctx,
        ProgressEvent {
            event: Event::new_inherited(ctx, type_, &init),
            length_computable: true,
            loaded: loaded as f64,
            total: total as f64,
        },
    )?;
    event.upcast::<Event>().set_trusted(true);
    crate::dom::eventtarget::dispatch(ctx, &event.upcast(), target)?;
    Ok(())
}
