//! <https://html.spec.whatwg.org/#the-workerglobalscope-common-interface>

use crate::dom::bindings::codegen::WorkerGlobalScopeBinding::WorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::{GlobalScope, IsGlobal};

/// <https://html.spec.whatwg.org/#workerglobalscope>
pub struct WorkerGlobalScope<'js> {
    global: GlobalScope<'js>,
}

impl<'js> WorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> WorkerGlobalScope<'js> {
        WorkerGlobalScope { global }
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
        self.global.trace(tracer)
    }
}

impl<'js> WorkerGlobalScopeMethods<'js> for WorkerGlobalScope<'js> {
    fn self_(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, WorkerGlobalScope<'js>>> {
        <WorkerGlobalScope as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))
    }
    crate::window_or_worker_global_scope_methods!();
}
