//! <https://w3c.github.io/ServiceWorker/#clients-interface>: the service worker's view of the
//! pages and workers of its origin.

use crate::dom::bindings::codegen::ClientsBinding::ClientsMethods;
use crate::dom::bindings::codegen::{ClientQueryOptions, ClientType};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::client::Client;
use crate::dom::globalscope::GlobalScope;
use crate::dom::serviceworkercontainer::{new_job_promise, settle_job_promise};
use crate::service_workers::{ClientSnapshot, EnvironmentKind, JobOutcome, WorkerId};

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
pub(crate) fn window_url(global: &GlobalScope<'_>, url: &str) -> Fallible<url::Url> {
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
pub(crate) fn this_worker(
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
        let url = match window_url(&global, &url) {
            Ok(u) => u,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        // Step 4. No window of this origin has transient activation, and this worker is not
        // handling a click (notificationclick, backgroundfetchclick): "InvalidAccessError".
        if !crate::user_activation::window_interaction_allowed() {
            return glue::rejected_promise(
                &cx.ctx,
                Error::dom(
                    DomErrorName::InvalidAccessError,
                    "openWindow() needs a user activation (a click on a notification or on a \
                     background fetch, or a window of this origin the user just used)",
                ),
            );
        }
        let (context, _) = match this_worker(&global) {
            Ok(w) => w,
            Err(e) => return glue::rejected_promise(&cx.ctx, e),
        };
        // One window per click, as Chromium allows.
        crate::user_activation::consume_window_interaction();
        // Steps 5-7. In parallel, a new top-level browsing context navigated to url (the
        // embedder opens it); once it loaded, resolve in a task here.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        let tasks = global.info().tasks.clone();
        context.open_window(
            url,
            Box::new(move |opened| {
                tasks.queue(move |ctx| resolve_opened_window(ctx, id, opened));
            }),
        );
        Ok(promise)
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

/// openWindow() step 7.2 (on the service worker's event loop): the new window's client, if
/// it is of this worker's storage key (else null); a window that did not open rejects the
/// promise with a TypeError (HandleNavigate threw).
pub(crate) fn resolve_opened_window(ctx: &Ctx<'_>, promise: u64, opened: Result<String, String>) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some((resolve, reject)) = global.promises.borrow_mut().take(promise) else {
        return;
    };
    let result = match opened {
        Err(why) => {
            let reason = crate::dom::bindings::error::error_value(
                ctx,
                Error::Type(format!("the window did not open: {why}")),
            );
            reject.call::<_, ()>((reason,)).map_err(Error::from)
        }
        Ok(client_id) => {
            // Step 7.2.7.1. Another storage key (or a window already gone): null.
            let client = this_worker(&global)
                .ok()
                .and_then(|(c, w)| c.clients(w, Some(&client_id), true).into_iter().next());
            match client {
                Some(c) => Client::create(ctx, c).and_then(|c| {
                    resolve
                        .call::<_, ()>((c.reflector().clone(),))
                        .map_err(Error::from)
                }),
                None => resolve
                    .call::<_, ()>((rquickjs::Null,))
                    .map_err(Error::from),
            }
        }
    };
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}
