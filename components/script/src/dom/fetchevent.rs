//! <https://w3c.github.io/ServiceWorker/#fetchevent-interface>, and the task of Create
//! Fetch Event and Dispatch that makes and dispatches one at a service worker's global
//! (the registry's side of Handle Fetch is `service_workers::handle_fetch`).

use crate::dom::bindings::callback;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::FetchEventBinding::FetchEventMethods;
use crate::dom::bindings::codegen::{EventInit, FetchEventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::body::{BodyMixin, Relayed, Source};
use crate::dom::extendableevent::{add_lifetime_promise, ExtendableEvent};
use crate::dom::headers::Guard;
use crate::dom::request::Request;
use crate::dom::response::Response;
use crate::service_workers::{FetchEventTask, FetchResponder};
use std::cell::Cell;

/// <https://w3c.github.io/ServiceWorker/#fetchevent-interface>
pub struct FetchEvent<'js> {
    extendable_event: ExtendableEvent<'js>,
    request: Dom<'js, Request<'js>>,
    preload_response: Promise<'js>,
    client_id: String,
    resulting_client_id: String,
    replaces_client_id: String,
    handled: Promise<'js>,
    /// The resolving functions of `handled`, for an event the user agent dispatches.
    handled_settle: DomRefCell<Option<(Function<'js>, Function<'js>)>>,
    /// The respond-with entered flag.
    respond_with_entered: Cell<bool>,
    /// The wait to respond flag.
    wait_to_respond: Cell<bool>,
    /// The respond-with error flag.
    respond_with_error: Cell<bool>,
    /// Where the potential response goes (for an event the user agent dispatches).
    responder: Option<FetchResponder>,
}

impl<'js> HasParent<'js> for FetchEvent<'js> {
    type Parent = ExtendableEvent<'js>;
    fn parent(&self) -> &ExtendableEvent<'js> {
        &self.extendable_event
    }
}

impl<'js> Trace<'js> for FetchEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.extendable_event.trace(tracer);
        self.request.trace(tracer);
        self.preload_response.trace(tracer);
        self.handled.trace(tracer);
        if let Some((resolve, reject)) = self.handled_settle.borrow().as_ref() {
            resolve.trace(tracer);
            reject.trace(tracer);
        }
    }
}

impl<'js> FetchEvent<'js> {
    /// Resolves (`Ok`) or rejects with a "NetworkError" DOMException the event's `handled`
    /// promise, once.
    fn settle_handled(&self, ctx: &Ctx<'js>, handled: Result<(), &str>) {
        let Some((resolve, reject)) = self.handled_settle.borrow_mut().take() else {
            return;
        };
        let _ = match handled {
            Ok(()) => resolve.call::<_, ()>((Value::new_undefined(ctx.clone()),)),
            Err(why) => {
                let reason = crate::dom::bindings::error::error_value(
                    ctx,
                    Error::dom(DomErrorName::NetworkError, why),
                );
                reject.call::<_, ()>((reason,))
            }
        };
    }

    /// The respond-with error flag is set: the client's fetch gets a network error.
    fn respond_with_failed(&self, ctx: &Ctx<'js>, why: &str) {
        self.respond_with_error.set(true);
        self.wait_to_respond.set(false);
        self.settle_handled(ctx, Err(why));
        if let Some(responder) = &self.responder {
            responder.network_error(why);
        }
    }

    /// `respondWith()`'s promise was fulfilled with `response`: it becomes the potential
    /// response, its body piped to the client as it comes.
    fn respond_with_response(&self, ctx: &Ctx<'js>, response: &Response<'js>) {
        let body = response.body_();
        // Getting a reader from a disturbed or locked body fails.
        if body.unusable() {
            return self.respond_with_failed(
                ctx,
                "respondWith(): the response's body has already been used",
            );
        }
        self.wait_to_respond.set(false);
        self.settle_handled(ctx, Ok(()));
        let Some(responder) = &self.responder else {
            return;
        };
        // The potential response: a copy of the response, except for its body.
        let Some(mut client) = responder.respond(response.to_response_meta()) else {
            return;
        };
        let source = match body.rust_source(ctx) {
            Ok(s) => s,
            Err(e) => {
                crate::dom::globalscope::GlobalScope::report_error(ctx, e);
                return client.end(Err("the response's body stream could not be read".into()));
            }
        };
        match source {
            None | Some(Source::Stream) => client.end(Ok(())),
            Some(Source::Bytes(bytes)) => {
                body.disturb();
                client.chunk(&bytes);
                client.end(Ok(()));
            }
            Some(Source::Incoming(incoming)) => {
                body.disturb();
                let mut client = Some(client);
                incoming.relay_to(
                    ctx,
                    Box::new(move |relayed| match relayed {
                        Relayed::Bytes(bytes) => {
                            if let Some(c) = client.as_mut() {
                                if !c.chunk(bytes) {
                                    // The client stopped wanting it.
                                    client = None;
                                }
                            }
                        }
                        Relayed::End(result) => {
                            if let Some(c) = client.take() {
                                c.end(result.map_err(|e| e.to_string()))
                            }
                        }
                    }),
                );
            }
        }
    }
}

fn respond_with_fulfilled<'js>(
    event: &Dom<'js, FetchEvent<'js>>,
    params: &Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    let ctx = params.ctx();
    let value = params
        .arg(0)
        .unwrap_or_else(|| Value::new_undefined(ctx.clone()));
    // Step 10.1. Not a Response: the respond-with error flag.
    match <Response as DomInterface>::unwrap(&value) {
        Some(response) => event.respond_with_response(ctx, &response),
        None => event.respond_with_failed(ctx, "respondWith(): the value is not a Response"),
    }
    Ok(Value::new_undefined(ctx.clone()))
}

fn respond_with_rejected<'js>(
    event: &Dom<'js, FetchEvent<'js>>,
    params: &Params<'_, 'js>,
) -> Fallible<Value<'js>> {
    // Step 9. Upon rejection: the respond-with error flag.
    event.respond_with_failed(params.ctx(), "respondWith(): the promise was rejected");
    Ok(Value::new_undefined(params.ctx().clone()))
}

impl<'js> FetchEventMethods<'js> for FetchEvent<'js> {
    fn request(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Request<'js>>> {
        Ok(self.request.clone())
    }
    fn preloadResponse(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.preload_response.clone())
    }
    fn clientId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.client_id.clone())
    }
    fn resultingClientId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.resulting_client_id.clone())
    }
    fn replacesClientId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.replaces_client_id.clone())
    }
    fn handled(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.handled.clone())
    }

    /// <https://w3c.github.io/ServiceWorker/#fetch-event-respondwith>
    fn respondWith(&self, cx: &Cx<'js>, r: Promise<'js>) -> Fallible<()> {
        let event = self.extendable_event.event();
        // Step 2. The dispatch flag is unset: InvalidStateError.
        if !event.dispatching() {
            return Err(Error::invalid_state(
                "respondWith() must be called while the fetch event is dispatched",
            ));
        }
        // Step 3. Called before: InvalidStateError.
        if self.respond_with_entered.get() {
            return Err(Error::invalid_state("respondWith() was already called"));
        }
        let this = <FetchEvent as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        // Step 4. Add lifetime promise r to event.
        add_lifetime_promise(&cx.ctx, &this.clone().upcast::<ExtendableEvent>(), &r)?;
        // Step 5. The stop propagation and stop immediate propagation flags.
        event.stop_immediate_propagation();
        // Steps 6-7. The respond-with entered and wait to respond flags.
        self.respond_with_entered.set(true);
        self.wait_to_respond.set(true);
        // Steps 9-10. Upon rejection / fulfillment.
        callback::react(
            &cx.ctx,
            &r,
            this,
            respond_with_fulfilled,
            respond_with_rejected,
        )
    }

    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: FetchEventInit<'js>) -> Fallible<Self> {
        let ctx = &cx.ctx;
        // Attributes the init does not give are initialized as when an event is created: a
        // promise resolved with undefined, a pending promise.
        let preload_response = match init.preloadResponse {
            Some(p) => p,
            None => glue::resolved_promise(ctx, Value::new_undefined(ctx.clone()))?,
        };
        let handled = match init.handled {
            Some(p) => p,
            None => ctx.promise()?.0,
        };
        Ok(FetchEvent {
            extendable_event: ExtendableEvent::new_inherited(ctx, &type_, &init.parent.parent),
            request: init.request,
            preload_response,
            client_id: init.clientId,
            resulting_client_id: init.resultingClientId,
            replaces_client_id: init.replacesClientId,
            handled,
            handled_settle: DomRefCell::new(None),
            respond_with_entered: Cell::new(false),
            wait_to_respond: Cell::new(false),
            respond_with_error: Cell::new(false),
            responder: None,
        })
    }
}

/// Create Fetch Event and Dispatch, step 17.3's task: creates the event for `task` and
/// dispatches it at this service worker's global. Without `respondWith()` the network
/// answers (a canceled event: a network error). `deadline` (the event's lifetime limit) is
/// dropped once the event is no longer active.
///
/// <https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch>
pub fn dispatch_fetch_event(
    ctx: &Ctx<'_>,
    task: FetchEventTask,
    deadline: crate::service_workers::Deadline,
) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    let responder = task.responder.clone();
    let made = (|| -> Fallible<Dom<'_, FetchEvent<'_>>> {
        // Steps 17.3.2-17.3.3. A Request object for the request, with immutable headers and
        // a new AbortController's signal.
        let signal = crate::dom::abortsignal::AbortSignal::create(ctx)?;
        let request = Request::create(ctx, &task.request, Guard::Immutable, signal)?;
        // Steps 17.3.4-17.3.11. The event: "fetch", cancelable, with its request, a
        // preloadResponse resolved with undefined (no navigation preload), the client ids and
        // the eventHandled promise.
        let init = EventInit {
            bubbles: false,
            cancelable: true,
            composed: false,
        };
        let (handled, resolve, reject) = ctx.promise()?;
        // (Rejected when the fetch failed; a handler need not listen.)
        callback::mark_as_handled(ctx, &handled)?;
        let preload_response = glue::resolved_promise(ctx, Value::new_undefined(ctx.clone()))?;
        let event = reflect_dom_object(
            ctx,
            FetchEvent {
                extendable_event: ExtendableEvent::new_inherited(ctx, "fetch", &init),
                request,
                preload_response,
                client_id: task.client_id,
                resulting_client_id: task.resulting_client_id,
                replaces_client_id: String::new(),
                handled,
                handled_settle: DomRefCell::new(Some((resolve, reject))),
                respond_with_entered: Cell::new(false),
                wait_to_respond: Cell::new(false),
                respond_with_error: Cell::new(false),
                responder: Some(task.responder),
            },
        )?;
        event.extendable_event.event().set_trusted(true);
        Ok(event)
    })();
    let event = match made {
        Ok(e) => e,
        Err(e) => {
            // The task could not run: the network answers.
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
            return responder.fall_back();
        }
    };
    // Step 17.3.13. Update Service Worker Extended Events Set: the worker has a pending
    // event while this one is active.
    let worker = global.extendable_event_started();
    // Step 17.3.12. Dispatch it at the global.
    let target = crate::dom::globalscope::GlobalScope::as_event_target(&global);
    let as_event = event.clone().upcast::<crate::dom::event::Event<'_>>();
    if let Err(e) = crate::dom::eventtarget::dispatch(ctx, &as_event, &target) {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
    // Steps 17.3.14-17.3.18 and 20-21: without respondWith() the network answers (Handle
    // Fetch returns null), unless the event was canceled (a network error); handled
    // settles accordingly. With it, its promise's reactions answer.
    if !event.respond_with_entered.get() {
        if as_event.canceled() {
            event.settle_handled(ctx, Err("the fetch event was canceled"));
            responder.network_error("the fetch event was canceled without respondWith()");
        } else {
            event.settle_handled(ctx, Ok(()));
            responder.fall_back();
        }
    }
    // Once the event is no longer active, the worker's pending event ends and the lifetime
    // limit no longer applies.
    let extendable = event.clone().upcast::<ExtendableEvent<'_>>();
    if let Some(limit) = worker.as_ref().and_then(|(c, _)| c.event_lifetime()) {
        if let Err(e) = crate::dom::extendableevent::time_out_after(ctx, &extendable, limit) {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
        }
    }
    extendable.when_inactive(Box::new(move |_| {
        drop(deadline);
        if let Some((context, worker)) = worker {
            context.event_finished(worker);
        }
    }));
}
