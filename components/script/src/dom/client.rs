//! <https://w3c.github.io/ServiceWorker/#client-interface>,
//! <https://w3c.github.io/ServiceWorker/#windowclient-interface> and
//! <https://w3c.github.io/ServiceWorker/#clients-interface>: the service worker's view of
//! the pages and workers of its origin.

use crate::dom::bindings::codegen::ClientBinding::ClientMethods;
use crate::dom::bindings::codegen::ClientsBinding::ClientsMethods;
use crate::dom::bindings::codegen::WindowClientBinding::WindowClientMethods;
use crate::dom::bindings::codegen::{
    ClientQueryOptions, ClientType, DocumentVisibilityState, FrameType, StructuredSerializeOptions,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::bindings::structuredclone;
use crate::dom::globalscope::GlobalScope;
use crate::dom::serviceworkercontainer::{new_job_promise, settle_job_promise};
use crate::service_workers::{ClientSnapshot, EnvironmentKind, JobOutcome, WorkerId};

/// <https://w3c.github.io/ServiceWorker/#client-interface>
pub struct Client<'js> {
    client: ClientSnapshot,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Client<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// <https://w3c.github.io/ServiceWorker/#windowclient-interface>
pub struct WindowClient<'js> {
    client: Client<'js>,
    /// The ancestor origins array ([SameObject]): empty, as every window here is top-level.
    ancestor_origins: FrozenArray<'js>,
}

impl<'js> HasParent<'js> for WindowClient<'js> {
    type Parent = Client<'js>;
    fn parent(&self) -> &Client<'js> {
        &self.client
    }
}

impl<'js> Trace<'js> for WindowClient<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.ancestor_origins.trace(tracer)
    }
}

impl<'js> Client<'js> {
    fn new_inherited(client: ClientSnapshot) -> Client<'js> {
        Client {
            client,
            _js: std::marker::PhantomData,
        }
    }

    /// Create Client / Create Window Client: a new object for the client (a WindowClient for
    /// a window client).
    pub fn create(ctx: &Ctx<'js>, client: ClientSnapshot) -> Fallible<Dom<'js, Client<'js>>> {
        if client.kind == EnvironmentKind::Window {
            let w = reflect_dom_object(
                ctx,
                WindowClient {
                    client: Client::new_inherited(client),
                    ancestor_origins: FrozenArray::new(ctx, Vec::<String>::new())?,
                },
            )?;
            return Ok(w.upcast::<Client>());
        }
        reflect_dom_object(ctx, Client::new_inherited(client))
    }

    /// <https://w3c.github.io/ServiceWorker/#client-postmessage-options>
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        transfer: Vec<Object<'js>>,
    ) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("postMessage() needs a global"))?;
        // Step 3. StructuredSerializeWithTransfer, rethrowing.
        let serialized = structuredclone::serialize(&cx.ctx, message, transfer)?;
        // Step 4. In parallel: find the client and queue the message on its client message
        // queue (the source is this service worker).
        let info = global.info();
        match info.service_workers.as_ref().zip(info.service_worker) {
            Some((context, (_, worker))) => {
                context.post_to_client(&self.client.id, serialized, worker, info.origin.clone())
            }
            None => crate::message_router::dispose(serialized),
        }
        Ok(())
    }
}

impl<'js> ClientMethods<'js> for Client<'js> {
    /// <https://w3c.github.io/ServiceWorker/#client-url>
    fn url(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.client.url.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-frametype>: windows here are top-level
    /// browsing contexts (no iframes, no auxiliary windows); workers have none.
    fn frameType(&self, _cx: &Cx<'js>) -> Fallible<FrameType> {
        Ok(match self.client.kind {
            EnvironmentKind::Window => FrameType::TopLevel,
            _ => FrameType::None,
        })
    }
    /// <https://w3c.github.io/ServiceWorker/#client-id>
    fn id(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.client.id.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-type>
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<ClientType> {
        Ok(match self.client.kind {
            EnvironmentKind::DedicatedWorker => ClientType::Worker,
            EnvironmentKind::SharedWorker => ClientType::Sharedworker,
            _ => ClientType::Window,
        })
    }
    /// <https://w3c.github.io/ServiceWorker/#client-postmessage>
    fn postMessage(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        transfer: Vec<Object<'js>>,
    ) -> Fallible<()> {
        self.post_message(cx, message, transfer)
    }
    /// <https://w3c.github.io/ServiceWorker/#client-postmessage-options>
    fn postMessage_1(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        self.post_message(cx, message, options.transfer)
    }
}

impl<'js> WindowClientMethods<'js> for WindowClient<'js> {
    /// <https://w3c.github.io/ServiceWorker/#client-visibilitystate>: a headless embedder's
    /// page is shown (as in Chromium's headless mode).
    fn visibilityState(&self, _cx: &Cx<'js>) -> Fallible<DocumentVisibilityState> {
        Ok(DocumentVisibilityState::Visible)
    }
    /// <https://w3c.github.io/ServiceWorker/#client-focused>: no window has system focus.
    fn focused(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    fn ancestorOrigins(&self, _cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        Ok(self.ancestor_origins.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-focus>
    fn focus(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        // Step 1. Without transient activation, reject with an "InvalidAccessError"
        // (nothing gives a window of this engine user activation).
        glue::rejected_promise(
            &cx.ctx,
            Error::dom(
                DomErrorName::InvalidAccessError,
                "focus() needs a user activation",
            ),
        )
    }
    /// <https://w3c.github.io/ServiceWorker/#client-navigate>
    fn navigate(&self, cx: &Cx<'js>, url: USVString) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("navigate() needs a global"))?;
        // Steps 1-3. Parse url (failure or about:blank: TypeError).
        if let Err(e) = window_url(&global, &url) {
            return glue::rejected_promise(&cx.ctx, e);
        }
        // Step 4. The client must be controlled by this service worker, else TypeError.
        let info = global.info();
        let controlled = info
            .service_workers
            .as_ref()
            .zip(info.service_worker)
            .and_then(|(c, (_, w))| {
                c.active_worker_of(&self.client.client.id)
                    .map(|(a, _)| a.id == w)
            })
            .unwrap_or(false);
        if !controlled {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type("navigate() on a client this service worker does not control".into()),
            );
        }
        // Steps 5-7 navigate the client's browsing context; this engine's windows cannot be
        // navigated by another global yet (Location navigation is not implemented).
        glue::rejected_promise(
            &cx.ctx,
            Error::Type("navigating a window client is not supported yet".into()),
        )
    }
}

/// <https://w3c.github.io/ServiceWorker/#clients-interface>
pub struct Clients<'js> {
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Clients<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> Clients<'js> {
    pub fn new_inherited() -> Clients<'js> {
        Clients {
            _js: std::marker::PhantomData,
        }
    }
}

/// Steps 1-3 of openWindow() and WindowClient.navigate(): `url` parsed with the API base
/// URL; a failure, or about:blank, is a TypeError.
fn window_url(global: &GlobalScope<'_>, url: &str) -> Fallible<url::Url> {
    let parsed = global
        .parse_url(url)
        .map_err(|_| Error::Type(format!("'{url}' is not a valid URL")))?;
    if parsed.as_str() == "about:blank" {
        return Err(Error::Type(
            "a window cannot be opened at about:blank".into(),
        ));
    }
    Ok(parsed)
}

/// The service worker of the current global, with its registry.
fn this_worker(
    global: &GlobalScope<'_>,
) -> Fallible<(crate::service_workers::ServiceWorkerContext, WorkerId)> {
    let info = global.info();
    info.service_workers
        .clone()
        .zip(info.service_worker.map(|(_, w)| w))
        .ok_or_else(|| Error::invalid_state("this global is not a registered service worker"))
}

fn type_matches(kind: EnvironmentKind, wanted: ClientType) -> bool {
    match wanted {
        ClientType::All => true,
        ClientType::Window => kind == EnvironmentKind::Window,
        ClientType::Worker => kind == EnvironmentKind::DedicatedWorker,
        ClientType::Sharedworker => kind == EnvironmentKind::SharedWorker,
    }
}

impl<'js> ClientsMethods<'js> for Clients<'js> {
    /// <https://w3c.github.io/ServiceWorker/#clients-get>
    fn get(&self, cx: &Cx<'js>, id: DOMString) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("get() needs a global"))?;
        let (context, worker) = match this_worker(&global) {
            Ok(w) => w,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        let (promise, resolve, _) = cx.ctx.promise()?;
        // Step 2. The client of the same storage key with this id (all clients here are
        // execution ready), then resolve in a task.
        let found = context.clients(worker, Some(&id), true).into_iter().next();
        global.queue_task(Box::new(move |ctx| {
            match found {
                Some(c) => resolve.call::<_, ()>((Client::create(ctx, c)?.reflector().clone(),))?,
                None => resolve.call::<_, ()>(())?,
            }
            Ok(())
        }));
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#clients-matchall>
    fn matchAll(&self, cx: &Cx<'js>, options: ClientQueryOptions) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("matchAll() needs a global"))?;
        let (context, worker) = match this_worker(&global) {
            Ok(w) => w,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        let (promise, resolve, _) = cx.ctx.promise()?;
        // Steps 2.1-2.4. The target clients, window clients first, of the asked type.
        let clients: Vec<ClientSnapshot> = context
            .clients(worker, None, options.includeUncontrolled)
            .into_iter()
            .filter(|c| type_matches(c.kind, options.r#type))
            .collect();
        // Step 2.5. In a task: new Client objects, as a frozen array.
        global.queue_task(Box::new(move |ctx| {
            let objects = clients
                .into_iter()
                .map(|c| Client::create(ctx, c))
                .collect::<Fallible<Vec<_>>>()?;
            resolve.call::<_, ()>((FrozenArray::new(ctx, objects)?.to_js(ctx)?,))?;
            Ok(())
        }));
        Ok(promise)
    }

    /// <https://w3c.github.io/ServiceWorker/#clients-openwindow>
    fn openWindow(&self, cx: &Cx<'js>, url: USVString) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("openWindow() needs a global"))?;
        // Steps 1-3. Parse url (failure or about:blank: TypeError).
        if let Err(e) = window_url(&global, &url) {
            return glue::rejected_promise(&cx.ctx, e);
        }
        // Step 4. No window of this origin has transient activation (nothing gives a window
        // of this engine user activation): "InvalidAccessError".
        glue::rejected_promise(
            &cx.ctx,
            Error::dom(
                DomErrorName::InvalidAccessError,
                "openWindow() needs a window of this origin with user activation",
            ),
        )
    }

    /// <https://w3c.github.io/ServiceWorker/#clients-claim>
    fn claim(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("claim() needs a global"))?;
        let (context, worker) = match this_worker(&global) {
            Ok(w) => w,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        // Step 1 (InvalidStateError unless active) and step 3.1: take over the clients.
        if let Err(e) = context.claim(worker) {
            return glue::rejected_promise(
                &cx.ctx,
                crate::dom::serviceworkercontainer::job_error(e),
            );
        }
        // Step 3.2. Resolve in a task.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        global.queue_task(Box::new(move |ctx| {
            settle_job_promise(ctx, id, JobOutcome::Undefined);
            Ok(())
        }));
        Ok(promise)
    }
}
