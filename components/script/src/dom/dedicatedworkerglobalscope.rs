//! <https://html.spec.whatwg.org/#dedicatedworkerglobalscope>

use crate::dom::bindings::codegen::DedicatedWorkerGlobalScopeBinding::DedicatedWorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::{GlobalScope, IsGlobal};
use crate::dom::workerglobalscope::WorkerGlobalScope;

/// <https://html.spec.whatwg.org/#dedicatedworkerglobalscope>
pub struct DedicatedWorkerGlobalScope<'js> {
    worker_global_scope: WorkerGlobalScope<'js>,
}

impl<'js> DedicatedWorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> DedicatedWorkerGlobalScope<'js> {
        DedicatedWorkerGlobalScope {
            worker_global_scope: WorkerGlobalScope::new_inherited(global),
        }
    }
}

impl<'js> IsGlobal<'js> for DedicatedWorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        self.worker_global_scope.global_scope()
    }
}

impl<'js> HasParent<'js> for DedicatedWorkerGlobalScope<'js> {
    type Parent = WorkerGlobalScope<'js>;
    fn parent(&self) -> &WorkerGlobalScope<'js> {
        &self.worker_global_scope
    }
}

impl<'js> Trace<'js> for DedicatedWorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.worker_global_scope.trace(tracer)
    }
}

impl<'js> DedicatedWorkerGlobalScopeMethods<'js> for DedicatedWorkerGlobalScope<'js> {
    /// The name the worker was created with.
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.worker_global_scope.global_scope().info().name.clone())
    }
}
