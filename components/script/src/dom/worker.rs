//! <https://html.spec.whatwg.org/#dedicated-workers-and-the-worker-interface>
//!
//! A `Worker` object starts a dedicated worker global on its own thread (its own QuickJS
//! runtime) and talks to it through a pair of entangled implicit ports in the message
//! router: the outside port delivers to the Worker object, the inside port to the worker's
//! global.

use crate::dom::bindings::codegen::WorkerBinding::WorkerMethods;
use crate::dom::bindings::codegen::{
    GlobalKind, StructuredSerializeOptions, WorkerOptions, WorkerType,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::{GlobalScope, PortTarget};
use crate::dom::messageport::post_message_steps;
use crate::dom::postmessage::PostMessage;
use crate::global_handle::GlobalHandle;
use crate::message_router::PortId;
use crate::workers::WorkerParent;

/// <https://html.spec.whatwg.org/#worker>
pub struct Worker<'js> {
    event_target: EventTarget<'js>,
    /// The outside port's id (the worker's inside port is entangled with it).
    outside: PortId,
}

impl<'js> HasParent<'js> for Worker<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for Worker<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer)
    }
}

/// What a new worker global runs first ("run a worker", on the worker's thread).
pub struct WorkerStart {
    /// The worker URL.
    pub url: String,
    pub kind: GlobalKind,
    /// A dedicated worker's inside port (in transit until the worker adopts it).
    pub inside: Option<PortId>,
    pub parent: WorkerParent,
    /// The creator's CSP list: a worker whose script URL is local (blob:, data:) runs
    /// under a clone of it (HTML "initialize a worker global scope's policy container").
    pub creator_csp: Vec<crate::csp::Policy>,
    /// The creator's referrer policy, for the same case.
    pub creator_referrer_policy: String,
    /// A module worker's credentials mode (`WorkerOptions.credentials`); `None`: classic.
    pub module: Option<net_traits::CredentialsMode>,
}

/// The origin of a worker created from `url` by a global of `origin`: the same origin, as
/// the script fetch is same-origin (a data: URL worker would get an opaque origin).
pub fn worker_origin(url: &url::Url, origin: &str) -> String {
    if url.scheme() == "data" {
        "null".into()
    } else {
        origin.to_string()
    }
}

/// Steps shared by the Worker and SharedWorker constructors: parse the URL against the
/// API base URL ("SyntaxError" DOMException on failure).
pub fn worker_url(global: &GlobalScope<'_>, script_url: &str) -> Fallible<url::Url> {
    global.parse_url(script_url).map_err(|_| {
        Error::dom(
            DomErrorName::SyntaxError,
            format!("'{script_url}' is not a valid URL"),
        )
    })
}

/// The module credentials of a worker of `type_` with `credentials` (`None`: classic).
pub fn worker_module(
    type_: WorkerType,
    credentials: crate::dom::bindings::codegen::RequestCredentials,
) -> Option<net_traits::CredentialsMode> {
    use crate::dom::bindings::codegen::RequestCredentials as C;
    (type_ == WorkerType::Module).then_some(match credentials {
        C::Omit => net_traits::CredentialsMode::Omit,
        C::SameOrigin => net_traits::CredentialsMode::SameOrigin,
        C::Include => net_traits::CredentialsMode::Include,
    })
}

/// Whether the creating global's Content Security Policy blocks fetching the worker script
/// at `url` (worker-src, falling back to child-src, script-src, default-src). Such a worker
/// never runs; its object gets an `error` event, as for any failed script fetch.
pub fn blocked_by_csp(global: &GlobalScope<'_>, url: &url::Url, kind: GlobalKind) -> bool {
    let destination = match kind {
        GlobalKind::SharedWorkerGlobalScope => net_traits::Destination::SharedWorker,
        _ => net_traits::Destination::Worker,
    };
    match crate::csp::blocks_request(&global.csp_policies(), url, destination, &global.info().url) {
        Some(directive) => {
            log::warn!(target: "script", "the worker script {url} is blocked by Content Security Policy ({directive})");
            true
        }
        None => false,
    }
}

impl<'js> Worker<'js> {
    /// Starts the worker global for `start` and queues "run a worker" on it (for
    /// SharedWorker too).
    pub fn spawn_global(
        global: &GlobalScope<'js>,
        name: &str,
        start: WorkerStart,
    ) -> Result<GlobalHandle, String> {
        let origin = url::Url::parse(&start.url)
            .map(|u| worker_origin(&u, &global.info().origin))
            .unwrap_or_else(|_| "null".into());
        let options = global.info().inherited.worker_options(
            start.kind,
            &start.url,
            &origin,
            name,
            Some(start.parent.clone()),
        );
        let handle = GlobalHandle::spawn(options)?;
        handle.queue(move |ctx| crate::dom::workerglobalscope::run_worker(ctx, start));
        Ok(handle)
    }
}

/// A worker's script could not be fetched: a simple `error` event at its Worker (or
/// SharedWorker) object, as a task on the creating global.
pub fn worker_load_failed(ctx: &Ctx<'_>, outside: PortId) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let target = global.worker_objects.borrow().get(&outside).cloned();
    if let Some(target) = target {
        if let Err(e) = eventtarget::fire_event(ctx, &target, "error", false, false) {
            GlobalScope::report_error(ctx, e);
        }
    }
}

impl<'js> PostMessage<'js> for Worker<'js> {
    /// <https://html.spec.whatwg.org/#dom-worker-postmessage-options>: the message port
    /// post message steps on the outside port.
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        post_message_steps(cx, self.outside, false, message, options)
    }
}

impl<'js> WorkerMethods<'js> for Worker<'js> {
    /// <https://html.spec.whatwg.org/#dom-worker-terminate>
    fn terminate(&self, cx: &Cx<'js>) -> Fallible<()> {
        let Some(global) = GlobalScope::current(&cx.ctx) else {
            return Ok(());
        };
        // "Terminate a worker": its event loop stops and drops its tasks (the thread is
        // joined when this global ends, so terminate() never blocks).
        if let Some(handle) = global.workers.borrow().get(&self.outside) {
            handle.request_shutdown();
        }
        // Messages it sent that were not delivered yet are dropped with the outside port.
        global.profile().ports().close(self.outside);
        global.ports.borrow_mut().remove(&self.outside);
        Ok(())
    }

    crate::post_message_methods!();

    /// <https://html.spec.whatwg.org/#dom-worker>
    fn Constructor(cx: &Cx<'js>, script_url: USVString, options: WorkerOptions) -> Fallible<Self> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("Worker needs a global"))?;
        // Steps 1-4. Parse the URL against the outside settings' API base URL.
        let url = worker_url(&global, &script_url)?;
        // Steps 5-8. The outside port, and the inside port the worker will own.
        let (outside, inside) = global
            .profile()
            .ports()
            .create_entangled_pair(&global.info().tasks);
        global.profile().ports().detach_for_transfer(inside);
        if blocked_by_csp(&global, &url, GlobalKind::DedicatedWorkerGlobalScope) {
            global.profile().ports().close(inside);
            global
                .info()
                .tasks
                .queue(move |ctx| worker_load_failed(ctx, outside));
            return Ok(Worker {
                event_target: EventTarget::new_inherited(),
                outside,
            });
        }
        // Step 9. Run a worker, in parallel (on the worker's own thread).
        let start = WorkerStart {
            url: url.to_string(),
            kind: GlobalKind::DedicatedWorkerGlobalScope,
            inside: Some(inside),
            parent: WorkerParent {
                tasks: global.info().tasks.clone(),
                outside,
                creator: global.info().environment_id.clone(),
            },
            creator_csp: global.csp_policies(),
            creator_referrer_policy: global.referrer_policy(),
            module: worker_module(options.r#type, options.credentials),
        };
        match Worker::spawn_global(&global, &options.name, start) {
            Ok(handle) => {
                global.workers.borrow_mut().insert(outside, handle);
            }
            Err(e) => {
                log::error!(target: "script", "cannot start a worker for {url}: {e}");
                global
                    .info()
                    .tasks
                    .queue(move |ctx| worker_load_failed(ctx, outside));
            }
        }
        Ok(Worker {
            event_target: EventTarget::new_inherited(),
            outside,
        })
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("Worker needs a global"))?;
        let target = this.upcast::<EventTarget>();
        global
            .ports
            .borrow_mut()
            .insert(this.outside, PortTarget::Object(target.clone()));
        global
            .worker_objects
            .borrow_mut()
            .insert(this.outside, target);
        // The outside port's message queue is enabled from the start.
        global.profile().ports().enable(this.outside);
        Ok(())
    }
}
