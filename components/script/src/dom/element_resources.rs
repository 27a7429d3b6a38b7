//! Fetching the resource of an `<img>` or a media element: a no-cors (or CORS, with
//! `crossorigin`) GET from the node document, which delays the document's load event until
//! its response has arrived; the body is read and dropped (nothing is decoded). The element's
//! own code decides what a response means (`load` or `error`).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::globalscope::GlobalScope;
use crate::dom::node::{self, Node};
use net_traits::{CredentialsMode, Destination, FetchRequest, RequestData, RequestMode};

/// What the element learns: whether the response was ok (2xx and not a network error).
pub type Done = for<'js> fn(&Ctx<'js>, &Dom<'js, Element<'js>>, bool, u64);

/// Starts fetching `url` for `element` (`generation` comes back to `done`, so that a newer
/// request can make an older response stale). Returns false when nothing was started (no
/// document with a browsing context, no network, or CSP blocked it).
pub fn fetch_for_element<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    url: &url::Url,
    destination: Destination,
    generation: u64,
    done: Done,
) -> bool {
    let Some(document) = node::node_document(&element.upcast::<Node>()) else {
        return false;
    };
    if !document.has_browsing_context() {
        return false;
    }
    let Some(global) = GlobalScope::current(ctx) else {
        return false;
    };
    if let Some(directive) =
        crate::csp::blocks_request(&global.csp_policies(), url, destination, &document.url_())
    {
        log::warn!(target: "script", "{url} was blocked by Content Security Policy ({directive})");
        return false;
    }
    // "Create a potential-CORS request" from the crossorigin attribute.
    let mut request = RequestData::get(url.as_str());
    request.destination = destination;
    match element
        .get_attr("crossorigin")
        .map(|c| c.to_ascii_lowercase())
    {
        None => {
            request.mode = RequestMode::NoCors;
            request.credentials = CredentialsMode::Include;
        }
        Some(c) if c == "use-credentials" => {
            request.mode = RequestMode::Cors;
            request.credentials = CredentialsMode::Include;
        }
        Some(_) => {
            request.mode = RequestMode::Cors;
            request.credentials = CredentialsMode::SameOrigin;
        }
    }
    request.policy_container = global.csp_list();
    global.resolve_client_referrer(&mut request);
    let id = document.register_fetching_element(element.clone());
    document.delay_load(true);
    let started = crate::dom::fetch::fetch_discarding_body(
        &global,
        FetchRequest {
            request,
            origin: global.info().origin.clone(),
            secure_context: global.info().secure_context,
            unsafe_response: true,
            cancel: Default::default(),
        },
        move |ctx, result| {
            let Some(document) = crate::dom::window::associated_document(ctx) else {
                return;
            };
            let Some(el) = document.take_fetching_element(id) else {
                return;
            };
            let ok = matches!(&result, Ok((meta, _)) if meta.ok());
            if let Err(e) = &result {
                log::debug!(target: "script", "resource fetch failed: {e}");
            }
            done(ctx, &el, ok, generation);
            document.delay_load(false);
            document.check_load(ctx);
        },
    );
    if !started {
        let _ = document.take_fetching_element(id);
        document.delay_load(false);
    }
    started
}
