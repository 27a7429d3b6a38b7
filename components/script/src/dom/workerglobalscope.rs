//! <https://html.spec.whatwg.org/#the-workerglobalscope-common-interface>

use crate::dom::bindings::codegen::WorkerGlobalScopeBinding::WorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::{GlobalScope, IsGlobal};

/// <https://html.spec.whatwg.org/#workerglobalscope>
pub struct WorkerGlobalScope<'js> {
    global: GlobalScope<'js>,
    /// The WorkerLocation object (one per global, made when first asked for).
    location: crate::dom::bindings::cell::DomRefCell<
        Option<Dom<'js, crate::dom::location::WorkerLocation<'js>>>,
    >,
}

impl<'js> WorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> WorkerGlobalScope<'js> {
        WorkerGlobalScope {
            global,
            location: Default::default(),
        }
    }
}

impl<'js> IsGlobal<'js> for WorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        &self.global
    }
}

impl<'js> HasParent<'js> for WorkerGlobalScope<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        self.global.event_target()
    }
}

impl<'js> Trace<'js> for WorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.global.trace(tracer);
        self.location.trace(tracer);
    }
}

impl<'js> WorkerGlobalScopeMethods<'js> for WorkerGlobalScope<'js> {
    /// The WorkerLocation object of this global's URL (the same object every time).
    fn location(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::location::WorkerLocation<'js>>> {
        if let Some(l) = self.location.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = reflect_dom_object(
            &cx.ctx,
            crate::dom::location::WorkerLocation::new_inherited(&self.global.info().url),
        )?;
        *self.location.borrow_mut() = Some(l.clone());
        Ok(l)
    }
    fn self_(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, WorkerGlobalScope<'js>>> {
        <WorkerGlobalScope as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))
    }
    crate::window_or_worker_global_scope_methods!();
}
