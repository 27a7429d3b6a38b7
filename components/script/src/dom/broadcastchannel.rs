//! <https://html.spec.whatwg.org/#broadcasting-to-other-browsing-contexts>: messages to
//! every other `BroadcastChannel` of the same name and storage key in the profile, on any of
//! its globals (windows, workers, service workers).

use crate::dom::bindings::codegen::BroadcastChannelBinding::BroadcastChannelMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::bindings::structuredclone::{self, Serialized};
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::dom::messageevent::MessageEvent;
use std::cell::Cell;

/// <https://html.spec.whatwg.org/#broadcastchannel>
pub struct BroadcastChannel<'js> {
    event_target: EventTarget<'js>,
    /// <https://html.spec.whatwg.org/#concept-broadcastchannel-name>
    name: String,
    /// Its id in the profile's broadcast router (set once constructed).
    id: Cell<u64>,
    /// <https://html.spec.whatwg.org/#concept-broadcastchannel-closed>
    closed: Cell<bool>,
}

impl<'js> HasParent<'js> for BroadcastChannel<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for BroadcastChannel<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer)
    }
}

/// The storage key of a global's channels (its origin; an opaque origin has none to share).
fn storage_key(global: &GlobalScope<'_>) -> Option<String> {
    let origin = &global.info().origin;
    (origin != "null").then(|| origin.clone())
}

impl<'js> BroadcastChannel<'js> {
    fn close_(&self, global: &GlobalScope<'js>) {
        if self.closed.replace(true) {
            return;
        }
        global.profile().broadcast_channels().remove(self.id.get());
        global
            .broadcast_channels
            .borrow_mut()
            .remove(&self.id.get());
    }
}

impl<'js> BroadcastChannelMethods<'js> for BroadcastChannel<'js> {
    /// <https://html.spec.whatwg.org/#dom-broadcastchannel>
    fn Constructor(_cx: &Cx<'js>, name: DOMString) -> Fallible<Self> {
        // Step 1. Set this's channel name to name.
        Ok(BroadcastChannel {
            event_target: EventTarget::new_inherited(),
            name: name.to_string(),
            id: Cell::new(0),
            closed: Cell::new(false),
        })
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("BroadcastChannel needs a global"))?;
        // The global keeps an open channel (and so its listeners) alive: messages can reach
        // it until it closes or the global ends.
        let id = global.profile().broadcast_channels().add(
            &storage_key(&global).unwrap_or_default(),
            &this.name,
            global.info().tasks.clone(),
        );
        this.id.set(id);
        global
            .broadcast_channels
            .borrow_mut()
            .insert(id, this.clone());
        Ok(())
    }

    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }

    /// <https://html.spec.whatwg.org/#dom-broadcastchannel-postmessage>
    fn postMessage(&self, cx: &Cx<'js>, message: Value<'js>) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("postMessage() needs a global"))?;
        // Step 1. A non-fully-active document's channel: do nothing (not reachable here).
        // Step 2. Closed: "InvalidStateError".
        if self.closed.get() {
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the BroadcastChannel is closed",
            ));
        }
        // Step 3. StructuredSerialize(message) (a DataCloneError is rethrown).
        let serialized = structuredclone::serialize(&cx.ctx, message, Vec::new())?;
        // Steps 4-5. The source's origin and storage key.
        let Some(key) = storage_key(&global) else {
            return Ok(());
        };
        let origin = global.info().origin.clone();
        // Steps 6-8. Every other open channel of the storage key and name, in creation
        // order (the profile's globals whose documents are active or workers not closing:
        // closed ones left the router).
        let destinations =
            global
                .profile()
                .broadcast_channels()
                .destinations(&key, &self.name, self.id.get());
        // Step 9. For each, queue a global task on its event loop.
        for (id, tasks) in destinations {
            let (serialized, origin) = (serialized.clone(), origin.clone());
            tasks.queue(move |ctx| deliver(ctx, id, serialized, origin));
        }
        Ok(())
    }

    /// <https://html.spec.whatwg.org/#dom-broadcastchannel-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Set this's closed flag to true.
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            self.close_(&global);
        }
        self.closed.set(true);
        Ok(())
    }
}

/// Step 9 of postMessage(), in the destination's global.
fn deliver(ctx: &Ctx<'_>, id: u64, serialized: Serialized, origin: String) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // Step 9.1. If destination's closed flag is true, abort.
    let Some(channel) = global.broadcast_channels.borrow().get(&id).cloned() else {
        return;
    };
    if channel.closed.get() {
        return;
    }
    let target = channel.upcast::<EventTarget>();
    let result = (|| -> Fallible<()> {
        // Step 9.2. StructuredDeserialize; a failure fires messageerror.
        let event = match structuredclone::deserialize(ctx, serialized) {
            Ok(data) => {
                MessageEvent::new_trusted_from(ctx, "message", data, origin, None, Vec::new())?
            }
            Err(_) => MessageEvent::new_trusted_from(
                ctx,
                "messageerror",
                Value::new_null(ctx.clone()),
                origin,
                None,
                Vec::new(),
            )?,
        };
        // Step 9.3. Fire the event at destination.
        eventtarget::dispatch(ctx, &event.upcast(), &target)?;
        Ok(())
    })();
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

/// The global ends (or a worker closes): its channels leave the profile's router.
pub fn close_all(global: &GlobalScope<'_>) {
    let ids: Vec<u64> = global
        .broadcast_channels
        .borrow_mut()
        .drain()
        .map(|(id, _)| id)
        .collect();
    for id in ids {
        global.profile().broadcast_channels().remove(id);
    }
}
