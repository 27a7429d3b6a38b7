//! <https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface>

use crate::dom::bindings::codegen::ServiceWorkerGlobalScopeBinding::ServiceWorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::{GlobalScope, IsGlobal};
use crate::dom::workerglobalscope::WorkerGlobalScope;

/// <https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface>
pub struct ServiceWorkerGlobalScope<'js> {
    worker_global_scope: WorkerGlobalScope<'js>,
}

impl<'js> ServiceWorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> ServiceWorkerGlobalScope<'js> {
        ServiceWorkerGlobalScope {
            worker_global_scope: WorkerGlobalScope::new_inherited(global),
        }
    }
}

impl<'js> IsGlobal<'js> for ServiceWorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        self.worker_global_scope.global_scope()
    }
}

impl<'js> HasParent<'js> for ServiceWorkerGlobalScope<'js> {
    type Parent = WorkerGlobalScope<'js>;
    fn parent(&self) -> &WorkerGlobalScope<'js> {
        &self.worker_global_scope
    }
}

impl<'js> Trace<'js> for ServiceWorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.worker_global_scope.trace(tracer)
    }
}

// TODO(issue 6): clients, registration, serviceWorker, skipWaiting and the lifecycle events.
impl<'js> ServiceWorkerGlobalScopeMethods<'js> for ServiceWorkerGlobalScope<'js> {}
