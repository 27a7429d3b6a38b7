//! <https://html.spec.whatwg.org/#dedicatedworkerglobalscope>

use crate::dom::bindings::codegen::DedicatedWorkerGlobalScopeBinding::DedicatedWorkerGlobalScopeMethods;
use crate::dom::bindings::codegen::StructuredSerializeOptions;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::structuredclone::Serialized;
use crate::dom::globalscope::{GlobalScope, IsGlobal};
use crate::dom::messageport::post_message_steps;
use crate::dom::postmessage::{serialize_with_transfer, PostMessage};
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

impl<'js> PostMessage<'js> for DedicatedWorkerGlobalScope<'js> {
    /// <https://html.spec.whatwg.org/#dom-dedicatedworkerglobalscope-postmessage>: the
    /// message port post message steps on the inside port (a global without a Worker
    /// object, as an embedder may create, has none: its messages go nowhere).
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        match self.global_scope().implicit_port.get() {
            Some(port) => post_message_steps(cx, port, false, message, options),
            // Still serialize: the same exceptions as with a Worker object.
            None => serialize_with_transfer(cx, message, options).map(Serialized::dispose),
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
    crate::post_message_methods!();
    /// <https://html.spec.whatwg.org/#dom-dedicatedworkerglobalscope-close>
    fn close(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.global_scope().close_worker();
        Ok(())
    }
    /// The name the worker was created with.
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.worker_global_scope.global_scope().info().name.clone())
    }
}
