//! <https://html.spec.whatwg.org/#sharedworkerglobalscope>

use crate::dom::bindings::codegen::SharedWorkerGlobalScopeBinding::SharedWorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::{GlobalScope, IsGlobal};
use crate::dom::workerglobalscope::WorkerGlobalScope;

/// <https://html.spec.whatwg.org/#sharedworkerglobalscope>
pub struct SharedWorkerGlobalScope<'js> {
    worker_global_scope: WorkerGlobalScope<'js>,
}

impl<'js> SharedWorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> SharedWorkerGlobalScope<'js> {
        SharedWorkerGlobalScope {
            worker_global_scope: WorkerGlobalScope::new_inherited(global),
        }
    }
}

impl<'js> IsGlobal<'js> for SharedWorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        self.worker_global_scope.global_scope()
    }
}

impl<'js> HasParent<'js> for SharedWorkerGlobalScope<'js> {
    type Parent = WorkerGlobalScope<'js>;
    fn parent(&self) -> &WorkerGlobalScope<'js> {
        &self.worker_global_scope
    }
}

impl<'js> Trace<'js> for SharedWorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.worker_global_scope.trace(tracer)
    }
}

impl<'js> SharedWorkerGlobalScopeMethods<'js> for SharedWorkerGlobalScope<'js> {
    /// The name the worker was created with.
    /// <https://html.spec.whatwg.org/#dom-sharedworkerglobalscope-close>
    fn close(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.global_scope().close_worker();
        Ok(())
    }
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.worker_global_scope.global_scope().info().name.clone())
    }
}
