//! <https://html.spec.whatwg.org/#message-channels>

use crate::dom::bindings::codegen::MessageChannelBinding::MessageChannelMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::messageport::MessagePort;

/// <https://html.spec.whatwg.org/#message-channels>
pub struct MessageChannel<'js> {
    port1: Dom<'js, MessagePort<'js>>,
    port2: Dom<'js, MessagePort<'js>>,
}

impl<'js> Trace<'js> for MessageChannel<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.port1.trace(tracer);
        self.port2.trace(tracer);
    }
}

impl<'js> MessageChannelMethods<'js> for MessageChannel<'js> {
    fn port1(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, MessagePort<'js>>> {
        Ok(self.port1.clone())
    }
    fn port2(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, MessagePort<'js>>> {
        Ok(self.port2.clone())
    }
    /// <https://html.spec.whatwg.org/#dom-messagechannel>
    fn Constructor(cx: &Cx<'js>) -> Fallible<Self> {
        // Steps 1-3. Two new MessagePorts in this's relevant realm, entangled.
        let (port1, port2) = MessagePort::new_entangled_pair(&cx.ctx)?;
        Ok(MessageChannel { port1, port2 })
    }
}
