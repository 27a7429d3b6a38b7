//! <https://w3c.github.io/ServiceWorker/#windowclient-interface>

use crate::dom::bindings::codegen::DocumentVisibilityState;
use crate::dom::bindings::codegen::WindowClientBinding::WindowClientMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::client::Client;
use crate::dom::clients::{this_worker, window_url};
use crate::dom::globalscope::GlobalScope;
use crate::dom::serviceworkercontainer::new_job_promise;
use crate::service_workers::ClientSnapshot;

/// <https://w3c.github.io/ServiceWorker/#windowclient-interface>
pub struct WindowClient<'js> {
    client: Client<'js>,
    /// The ancestor origins array ([SameObject]): empty, as every window here is top-level.
    ancestor_origins: FrozenArray<'js>,
    /// <https://w3c.github.io/ServiceWorker/#dfn-service-worker-client-focusstate>
    focused: bool,
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

impl<'js> WindowClient<'js> {
    pub fn new_inherited(ctx: &Ctx<'js>, client: ClientSnapshot) -> Fallible<WindowClient<'js>> {
        let focused = GlobalScope::current(ctx)
            .is_some_and(|g| g.profile().user_activations().has_focus(&client.id));
        let ancestor_origins = FrozenArray::new(ctx, client.ancestor_origins.clone())?;
        Ok(WindowClient {
            client: Client::new_inherited(client),
            ancestor_origins,
            focused,
        })
    }
}

impl<'js> WindowClientMethods<'js> for WindowClient<'js> {
    /// <https://w3c.github.io/ServiceWorker/#client-visibilitystate>: a headless embedder's
    /// page is shown (as in Chromium's headless mode).
    fn visibilityState(&self, _cx: &Cx<'js>) -> Fallible<DocumentVisibilityState> {
        Ok(DocumentVisibilityState::Visible)
    }
    /// <https://w3c.github.io/ServiceWorker/#client-focused>: the focus state when this
    /// object was made (the window the user last used, or that a worker focused).
    fn focused(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.focused)
    }
    fn ancestorOrigins(&self, _cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        Ok(self.ancestor_origins.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-focus>
    fn focus(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        // Step 1. Without transient activation (or a click being handled), reject with an
        // "InvalidAccessError".
        if !crate::user_activation::window_interaction_allowed() {
            return glue::rejected_promise(
                &cx.ctx,
                Error::dom(
                    DomErrorName::InvalidAccessError,
                    "focus() needs a user activation",
                ),
            );
        }
        crate::user_activation::consume_window_interaction();
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("focus() needs a global"))?;
        // Steps 4.1-4.5. The focusing steps for the client's window, then its state now.
        let snapshot = self.client.snapshot().clone();
        global.profile().user_activations().focus(&snapshot.id);
        // Steps 4.6.1-4.6.3 (in a task): a new WindowClient, focused: resolve with it.
        let (promise, resolve, _) = cx.ctx.promise()?;
        global.queue_task(Box::new(move |ctx| {
            let client = Client::create(ctx, snapshot)?;
            resolve.call::<_, ()>((client.reflector().clone(),))?;
            Ok(())
        }));
        Ok(promise)
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
        let controlled = this_worker(&global)
            .ok()
            .and_then(|(c, w)| {
                c.active_worker_of(&self.client.snapshot().id)
                    .map(|(a, _)| a.id == w)
            })
            .unwrap_or(false);
        if !controlled {
            return glue::rejected_promise(
                &cx.ctx,
                Error::Type("navigate() on a client this service worker does not control".into()),
            );
        }
        let url = window_url(&global, &url)?;
        let Ok((context, _)) = this_worker(&global) else {
            return glue::rejected_promise(&cx.ctx, Error::Type("no service worker".into()));
        };
        // Steps 5-7. In parallel: queue a task on the client's event loop that navigates its
        // browsing context; once that completed, resolve here (in a task) with a new
        // WindowClient for its new client, or null for another storage key.
        let (promise, id) = new_job_promise(&cx.ctx, &global)?;
        let tasks = global.info().tasks.clone();
        let queued = context.queue_on_client(&self.client.snapshot().id, move |ctx| {
            navigate_client(
                ctx,
                url,
                Box::new(move |navigated| {
                    tasks.queue(move |ctx| {
                        crate::dom::clients::resolve_opened_window(ctx, id, navigated)
                    });
                }),
            )
        });
        // Step 7.2. The browsing context is gone: null.
        if !queued {
            global.queue_task(Box::new(move |ctx| {
                crate::dom::clients::resolve_opened_window(ctx, id, Ok(String::new()));
                Ok(())
            }));
        }
        Ok(promise)
    }
}

/// What a navigation of a client reports: the client id of the window that then shows the
/// document, or why it could not navigate.
pub(crate) type NavigateReply = Box<dyn FnOnce(Result<String, String>) + Send>;

/// Client.navigate() step 7.3, on the client's event loop (in its realm): HandleNavigate.
/// A frame's window is navigated as its iframe is (a new window, so a new client); a
/// top-level window loads the document in place when it is of the same origin, and cannot
/// be navigated to another origin here (its origin is fixed when the embedder creates it).
fn navigate_client<'js>(ctx: &Ctx<'js>, url: url::Url, reply: NavigateReply) {
    // Step 7.3.1. A document that is not fully active: TypeError.
    if crate::nested::is_discarded(ctx) {
        reply(Err("the window is gone".into()));
        return;
    }
    if let Some(parent) = crate::nested::parent_of(ctx) {
        let Some(iframe) = crate::dom::window::current_window(ctx).and_then(|w| w.container())
        else {
            reply(Err("the frame is gone".into()));
            return;
        };
        crate::dom::htmliframeelement::navigate_iframe_to(&parent, &iframe, url, reply);
        return;
    }
    let Some(global) = GlobalScope::current(ctx) else {
        reply(Err("the window is gone".into()));
        return;
    };
    if url.origin().ascii_serialization() != global.info().origin {
        reply(Err(format!(
            "a top-level window of {} cannot be navigated to another origin ({url}) here",
            global.info().origin
        )));
        return;
    }
    let client = global.info().environment_id.clone();
    let registry = global.info().service_workers.clone();
    let href = url.to_string();
    crate::dom::servoparser::load_page(
        ctx,
        href.clone(),
        Box::new(move |loaded| {
            reply(loaded.map(|()| {
                if let Some(registry) = registry {
                    registry.set_environment_url(&client, href);
                }
                client
            }))
        }),
    );
}
