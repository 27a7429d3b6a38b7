//! <https://html.spec.whatwg.org/#message-ports>
//!
//! The JS side of a port. Entanglement and the port message queue live in the profile's
//! [`MessageRouter`], keyed by the port's id, so a port can be transferred to another global
//! of the profile (on another thread) with its queued messages.

use crate::dom::bindings::codegen::MessagePortBinding::MessagePortMethods;
use crate::dom::bindings::codegen::StructuredSerializeOptions;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::structuredclone;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::{GlobalScope, PortTarget};
use crate::dom::messageevent::MessageEvent;
use crate::dom::postmessage::{serialize_with_transfer, PostMessage};
use crate::message_router::{MessageRouter, PortId, PortTask};
use std::cell::Cell;

/// <https://html.spec.whatwg.org/#message-ports>
pub struct MessagePort<'js> {
    event_target: EventTarget<'js>,
    /// The id of this port (and of its port message queue) in the message router.
    id: PortId,
    /// The profile's message router.
    router: MessageRouter,
    /// [[Detached]]: set by close() and by transferring the port away.
    detached: Cell<bool>,
}

impl<'js> HasParent<'js> for MessagePort<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for MessagePort<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer)
    }
}

impl<'js> MessagePort<'js> {
    /// A new port object for the router's port `id`, in the current realm, registered with
    /// the current global so its messages can be delivered.
    pub(crate) fn create(ctx: &Ctx<'js>, id: PortId) -> Fallible<Dom<'js, MessagePort<'js>>> {
        let global = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("a MessagePort needs a global"))?;
        let port = reflect_dom_object(
            ctx,
            MessagePort {
                event_target: EventTarget::new_inherited(),
                id,
                router: global.profile().ports().clone(),
                detached: Cell::new(false),
            },
        )?;
        global
            .ports
            .borrow_mut()
            .insert(id, PortTarget::Port(port.clone()));
        Ok(port)
    }

    /// Two new entangled ports (MessageChannel's constructor).
    pub fn new_entangled_pair(
        ctx: &Ctx<'js>,
    ) -> Fallible<(Dom<'js, MessagePort<'js>>, Dom<'js, MessagePort<'js>>)> {
        let global = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("MessageChannel needs a global"))?;
        let (a, b) = global
            .profile()
            .ports()
            .create_entangled_pair(&global.info().tasks);
        Ok((Self::create(ctx, a)?, Self::create(ctx, b)?))
    }

    /// The transfer-receiving steps: a port arriving in a message becomes a new MessagePort
    /// of the current realm, entangled as the transferred one was, its queue disabled. A port
    /// from another profile's router (`from`) never arrives: it is closed there, and the
    /// receiver gets a port entangled with nothing.
    pub fn receive(
        ctx: &Ctx<'js>,
        id: PortId,
        from: Option<&MessageRouter>,
    ) -> Fallible<Dom<'js, MessagePort<'js>>> {
        let global = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("a port cannot be received here"))?;
        let router = global.profile().ports();
        if from.is_some_and(|from| from != router) {
            if let Some(from) = from {
                from.close(id);
            }
            let id = router.create_unentangled(&global.info().tasks);
            return Self::create(ctx, id);
        }
        router.adopt(id, &global.info().tasks);
        Self::create(ctx, id)
    }

    /// The transfer steps: the port leaves this global; this object is detached and the
    /// router keeps the queue for whoever receives the port.
    pub fn transfer(&self, ctx: &Ctx<'js>) -> PortId {
        self.router.detach_for_transfer(self.id);
        self.detached.set(true);
        if let Some(global) = GlobalScope::current(ctx) {
            global.ports.borrow_mut().remove(&self.id);
        }
        self.id
    }

    pub fn is_detached(&self) -> bool {
        self.detached.get()
    }

    pub fn id(&self) -> PortId {
        self.id
    }

    /// Enables the port message queue (also when `onmessage` is first set).
    pub fn start_(&self) {
        // A detached port's queue went with the transfer (or was closed).
        if !self.detached.get() {
            self.router.enable(self.id);
        }
    }
}

/// <https://html.spec.whatwg.org/#message-port-post-message-steps>, for the port `source`
/// (a MessagePort, or a worker's implicit port; `detached`: the source port object is).
pub fn post_message_steps<'js>(
    cx: &Cx<'js>,
    source: PortId,
    detached: bool,
    message: Value<'js>,
    options: StructuredSerializeOptions<'js>,
) -> Fallible<()> {
    let global = GlobalScope::current(&cx.ctx)
        .ok_or_else(|| Error::invalid_state("postMessage() needs a global"))?;
    let router = global.profile().ports().clone();
    // Step 1. Let targetPort be the port with which sourcePort is entangled, if any.
    let target = if detached {
        None
    } else {
        router.entangled_with(source)
    };
    // Step 3. If transfer contains sourcePort, throw a "DataCloneError" DOMException.
    let ports_in_transfer: Vec<PortId> = options
        .transfer
        .iter()
        .filter_map(|o| MessagePort::unwrap(&o.clone().into_value()))
        .map(|p| p.id)
        .collect();
    if !detached && ports_in_transfer.contains(&source) {
        return Err(Error::dom(
            crate::dom::bindings::error::DomErrorName::DataCloneError,
            "A MessagePort cannot be transferred through itself.",
        ));
    }
    // Steps 4-5. Posting the target port through its own channel dooms the message.
    let doomed = target.is_some_and(|t| ports_in_transfer.contains(&t));
    if doomed {
        log::warn!(target: "script", "a MessagePort was posted to itself: the channel is lost");
    }
    // Step 6. StructuredSerializeWithTransfer (rethrowing).
    let serialized = serialize_with_transfer(cx, message, options)?;
    // Step 7. No target, or doomed: the message (and the ports it carries) is lost.
    if target.is_none() || doomed {
        serialized.dispose();
        return Ok(());
    }
    // Step 8. Add a task to targetPort's port message queue.
    if let Err(lost) = router.post(source, serialized) {
        lost.dispose();
    }
    Ok(())
}

/// Runs a port task the router queued on this global's event loop.
pub fn run_port_task(ctx: &Ctx<'_>, id: PortId, generation: u64, task: PortTask) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let target = global.ports.borrow().get(&id).cloned();
    let Some(target) = target else {
        return;
    };
    let event_target = match &target {
        PortTarget::Port(p) => p.upcast::<EventTarget>(),
        PortTarget::Object(o) => o.clone(),
        PortTarget::Global => GlobalScope::as_event_target(&global),
    };
    let result = match task {
        PortTask::Message => {
            let Some(message) = global.profile().ports().take_message(id, generation) else {
                return;
            };
            deliver_message(ctx, &event_target, message)
        }
        // Only MessagePort objects have close events (a worker's implicit ports do not).
        PortTask::Close => {
            if !matches!(target, PortTarget::Port(_))
                || !global.profile().ports().is_current(id, generation)
            {
                return;
            }
            eventtarget::fire_event(ctx, &event_target, "close", false, false).map(|_| ())
        }
    };
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

/// Step 8 of the message port post message steps, in the final target port's realm.
fn deliver_message<'js>(
    ctx: &Ctx<'js>,
    target: &Dom<'js, EventTarget<'js>>,
    message: structuredclone::Serialized,
) -> Fallible<()> {
    // Step 8.3. StructuredDeserializeWithTransfer; on failure fire messageerror.
    let (data, transferred) = match structuredclone::deserialize_with_transfer(ctx, message) {
        Ok(r) => r,
        Err(e) => {
            log::debug!(target: "script", "a message could not be deserialized: {e:?}");
            let event = MessageEvent::new_trusted(
                ctx,
                "messageerror",
                Value::new_null(ctx.clone()),
                Vec::new(),
            )?;
            eventtarget::dispatch(ctx, &event.upcast(), target)?;
            return Ok(());
        }
    };
    // Step 8.5. newPorts: the MessagePorts among the transferred values, in order.
    let new_ports: Vec<Dom<'js, MessagePort<'js>>> =
        transferred.iter().filter_map(MessagePort::unwrap).collect();
    // Step 8.6. Fire "message" with data and ports.
    let event = MessageEvent::new_trusted(ctx, "message", data, new_ports)?;
    eventtarget::dispatch(ctx, &event.upcast(), target)?;
    Ok(())
}

impl<'js> PostMessage<'js> for MessagePort<'js> {
    /// <https://html.spec.whatwg.org/#dom-messageport-postmessage>: run the message port
    /// post message steps given this, message and options.
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        post_message_steps(cx, self.id, self.detached.get(), message, options)
    }
}

impl<'js> MessagePortMethods<'js> for MessagePort<'js> {
    crate::post_message_methods!();

    /// <https://html.spec.whatwg.org/#dom-messageport-start>
    fn start(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.start_();
        Ok(())
    }

    /// <https://html.spec.whatwg.org/#dom-messageport-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        // A port transferred away is no longer this object's to close.
        if self.detached.replace(true) {
            return Ok(());
        }
        // Step 1. Set this's [[Detached]] to true. Step 2. If this is entangled,
        // disentangle it (the other port gets a close event).
        self.router.close(self.id);
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            global.ports.borrow_mut().remove(&self.id);
        }
        Ok(())
    }
}
