//! <https://dom.spec.whatwg.org/#interface-abortcontroller>

use crate::dom::abortsignal::AbortSignal;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::AbortControllerBinding::AbortControllerMethods;
use crate::dom::bindings::codegen_prelude::*;

/// <https://dom.spec.whatwg.org/#interface-abortcontroller>
pub struct AbortController<'js> {
    signal: DomRefCell<Option<Dom<'js, AbortSignal<'js>>>>,
}

impl<'js> Trace<'js> for AbortController<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.signal.trace(tracer)
    }
}

impl<'js> AbortController<'js> {
    fn signal_(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        if let Some(s) = self.signal.borrow().as_ref() {
            return Ok(s.clone());
        }
        let s = AbortSignal::create(ctx)?;
        *self.signal.borrow_mut() = Some(s.clone());
        Ok(s)
    }
}

impl<'js> AbortControllerMethods<'js> for AbortController<'js> {
    fn signal(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        self.signal_(&cx.ctx)
    }
    /// <https://dom.spec.whatwg.org/#dom-abortcontroller-abort>
    fn abort(&self, cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<()> {
        let signal = self.signal_(&cx.ctx)?;
        AbortSignal::signal_abort(&signal, &cx.ctx, reason);
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-abortcontroller-abortcontroller>: the signal is
    /// made in Constructed, once the realm is at hand.
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(AbortController {
            signal: DomRefCell::new(None),
        })
    }
    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        this.signal_(&cx.ctx).map(|_| ())
    }
}
