//! <https://html.spec.whatwg.org/#shared-workers-and-the-sharedworker-interface>
//!
//! Shared workers are found again by (constructor origin, URL, name) in the profile's
//! [`crate::workers::SharedWorkerRegistry`]; each SharedWorker object gets its own
//! MessageChannel-like pair of ports, the inside one arriving in the worker with a `connect`
//! event.

use crate::dom::bindings::codegen::SharedWorkerBinding::SharedWorkerMethods;
use crate::dom::bindings::codegen::{GlobalKind, MessageEventSource, StringOrWorkerOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::dom::messageevent::MessageEvent;
use crate::dom::messageport::MessagePort;
use crate::dom::worker::{worker_load_failed, Worker, WorkerStart};
use crate::message_router::PortId;
use crate::workers::{SharedWorkerKey, WorkerParent};

/// <https://html.spec.whatwg.org/#sharedworker>
pub struct SharedWorker<'js> {
    event_target: EventTarget<'js>,
    port: Dom<'js, MessagePort<'js>>,
}

impl<'js> HasParent<'js> for SharedWorker<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for SharedWorker<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.port.trace(tracer);
    }
}

/// In the shared worker: the inside port arrives and `connect` fires at the global with it
/// as `source` and only member of `ports`, and `data` the empty string.
fn connect(ctx: &Ctx<'_>, inside: PortId) {
    let result = (|| -> Fallible<()> {
        let global = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("no shared worker global"))?;
        let port = MessagePort::receive(ctx, inside, None)?;
        let data = rquickjs::String::from_str(ctx.clone(), "")?.into_value();
        let event = MessageEvent::new_trusted_from(
            ctx,
            "connect",
            data,
            String::new(),
            Some(MessageEventSource::MessagePort(port.clone())),
            vec![port],
        )?;
        let target = GlobalScope::as_event_target(&global);
        eventtarget::dispatch(ctx, &event.upcast(), &target)?;
        Ok(())
    })();
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

impl<'js> SharedWorkerMethods<'js> for SharedWorker<'js> {
    fn port(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, MessagePort<'js>>> {
        Ok(self.port.clone())
    }

    /// <https://html.spec.whatwg.org/#dom-sharedworker>
    fn Constructor(
        cx: &Cx<'js>,
        script_url: USVString,
        options: StringOrWorkerOptions,
    ) -> Fallible<Self> {
        let ctx = &cx.ctx;
        let global = GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("SharedWorker needs a global"))?;
        // Step 2. A string as options is the name.
        let (name, module) = match options {
            StringOrWorkerOptions::String(name) => (name, None),
            StringOrWorkerOptions::WorkerOptions(o) => (
                o.name,
                crate::dom::worker::worker_module(o.r#type, o.credentials),
            ),
        };
        // Steps 3-5. Parse the URL.
        let url = crate::dom::worker::worker_url(&global, &script_url)?;
        // Steps 6-8. The outside port is this object's `port`; the inside port goes to the
        // worker.
        let (outside, inside) = global
            .profile()
            .ports()
            .create_entangled_pair(&global.info().tasks);
        let port = MessagePort::create(ctx, outside)?;
        global.profile().ports().detach_for_transfer(inside);
        if crate::dom::worker::blocked_by_csp(&global, &url, GlobalKind::SharedWorkerGlobalScope) {
            global.profile().ports().close(inside);
            global
                .info()
                .tasks
                .queue(move |ctx| worker_load_failed(ctx, outside));
            return Ok(SharedWorker {
                event_target: EventTarget::new_inherited(),
                port,
            });
        }
        // Step 11. Find a running shared worker for (origin, URL, name), or run a new one.
        let key = SharedWorkerKey {
            origin: global.info().origin.clone(),
            url: url.to_string(),
            name: name.clone(),
        };
        let parent = WorkerParent {
            tasks: global.info().tasks.clone(),
            outside,
            creator: global.info().environment_id.clone(),
        };
        let registry = global.profile().shared_workers().clone();
        let connected = registry.connect(&key, || {
            Worker::spawn_global(
                &global,
                &name,
                WorkerStart {
                    url: url.to_string(),
                    kind: GlobalKind::SharedWorkerGlobalScope,
                    inside: None,
                    parent: parent.clone(),
                    creator_csp: global.csp_policies(),
                    creator_referrer_policy: global.referrer_policy(),
                    module,
                },
            )
        });
        match connected {
            Ok((tasks, _started)) => {
                global.shared_workers.borrow_mut().push(key);
                // After the script ran (its task is queued first on a new worker).
                tasks.queue(move |ctx| connect(ctx, inside));
            }
            Err(e) => {
                log::error!(target: "script", "cannot start a shared worker for {url}: {e}");
                global.profile().ports().close(inside);
                global
                    .info()
                    .tasks
                    .queue(move |ctx| worker_load_failed(ctx, outside));
            }
        }
        Ok(SharedWorker {
            event_target: EventTarget::new_inherited(),
            port,
        })
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            global
                .worker_objects
                .borrow_mut()
                .insert(this.port.id(), this.upcast());
        }
        Ok(())
    }
}
