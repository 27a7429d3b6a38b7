//! <https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element>: the
//! element, its content navigable and the window in it. The child window is a realm on this
//! thread (`crate::nested`); `contentWindow`/`contentDocument` reach it when it is same
//! origin with the caller.

use crate::dom::bindings::codegen::HTMLIFrameElementBinding::HTMLIFrameElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::globalscope::GlobalScope;
use crate::dom::htmlelement::simple_html_element;
use crate::dom::node::{self, Node};
use crate::dom::window::{same_origin, Window};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element>
    HTMLIFrameElement
);

fn this_element<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Element<'js>>> {
    crate::dom::element::this_element(cx)
}

/// The child window of `iframe` that the current realm may reach.
fn reachable_child<'js>(cx: &Cx<'js>) -> Fallible<Option<Ctx<'js>>> {
    let iframe = this_element(cx)?;
    let Some((_, child)) = crate::nested::child_of_container(&cx.ctx, &iframe) else {
        return Ok(None);
    };
    let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
    Ok(same_origin(&incumbent, &child).then_some(child))
}

impl<'js> HTMLIFrameElementMethods<'js> for HTMLIFrameElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-iframe-contentdocument>: the content navigable's
    /// active document, if its origin is the current realm's (null otherwise and without a
    /// content navigable).
    fn contentDocument(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Document<'js>>>> {
        Ok(reachable_child(cx)?.and_then(|c| crate::dom::window::associated_document(&c)))
    }
    /// <https://html.spec.whatwg.org/#dom-iframe-contentwindow>: the content navigable's
    /// WindowProxy (a cross-origin one for a window of another origin).
    fn contentWindow(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Window<'js>>>> {
        let iframe = this_element(cx)?;
        let Some((_, child)) = crate::nested::child_of_container(&cx.ctx, &iframe) else {
            return Ok(None);
        };
        let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
        Ok(crate::nested::window_proxy(&incumbent, &child))
    }
}

/// The realm on this thread whose window's document is `document` (a document with a
/// browsing context), if any.
fn realm_of_document<'js>(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) -> Option<Ctx<'js>> {
    crate::dom::bindings::realm::all_realms(ctx)
        .into_iter()
        .filter(|c| !crate::nested::is_discarded(c))
        .find(|c| {
            GlobalScope::current(c)
                .and_then(|g| g.document())
                .is_some_and(|d| d.ptr_eq(document))
        })
}

/// The iframe's "HTML element post-connection steps": create a new child navigable for it,
/// then process the iframe attributes with initialInsertion true. Only in a document that
/// has a browsing context (a window's document).
pub(crate) fn post_connection_steps<'js>(ctx: &Ctx<'js>, iframe: &Dom<'js, Element<'js>>) {
    let Some(document) = node::node_document(&iframe.upcast()) else {
        return;
    };
    let Some(parent) = realm_of_document(ctx, &document) else {
        return;
    };
    if crate::nested::child_of_container(ctx, iframe).is_some() {
        return;
    }
    process_the_iframe_attributes(&parent, iframe, true);
}

/// The iframe's attribute change steps: `srcdoc` set, changed or removed, or `src` set,
/// changed or removed without a `srcdoc`, on an iframe with a content navigable.
pub(crate) fn attribute_changed<'js>(ctx: &Ctx<'js>, iframe: &Dom<'js, Element<'js>>, name: &str) {
    if name != "srcdoc" && (name != "src" || iframe.has_attr("srcdoc")) {
        return;
    }
    let Some((_, child)) = crate::nested::child_of_container(ctx, iframe) else {
        return;
    };
    let Some(parent) = crate::nested::parent_of(&child) else {
        return;
    };
    process_the_iframe_attributes(&parent, iframe, false);
}

/// What a frame loads: a srcdoc document, about:blank, or a URL.
enum Source {
    Srcdoc(String),
    Blank,
    Url(url::Url),
}

/// <https://html.spec.whatwg.org/#process-the-iframe-attributes>, in `parent` (the realm
/// of the iframe's document). Navigating replaces the frame's window with a new one.
fn process_the_iframe_attributes<'js>(
    parent: &Ctx<'js>,
    iframe: &Dom<'js, Element<'js>>,
    initial_insertion: bool,
) {
    // Step 1. A srcdoc attribute: navigate to about:srcdoc with its value.
    // Step 2. Otherwise, the URL from the src attribute (absent, empty or failing to parse
    // is about:blank).
    let source = if let Some(srcdoc) = iframe.get_attr("srcdoc") {
        Source::Srcdoc(srcdoc)
    } else {
        match iframe.get_attr("src").filter(|s| !s.is_empty()) {
            None => Source::Blank,
            Some(src) => match parse_in_document(iframe, &src) {
                Some(url) if url.as_str() == "about:blank" => Source::Blank,
                Some(url) => Source::Url(url),
                None => Source::Blank,
            },
        }
    };
    navigate_iframe(parent, iframe, source, initial_insertion, None);
}

/// Navigates the frame of `iframe` (in `parent`) to `url`, as Client.navigate() does;
/// `reply` gets the new window's client id once it loaded.
pub(crate) fn navigate_iframe_to<'js>(
    parent: &Ctx<'js>,
    iframe: &Dom<'js, Element<'js>>,
    url: url::Url,
    reply: crate::dom::windowclient::NavigateReply,
) {
    let source = if url.as_str() == "about:blank" {
        Source::Blank
    } else {
        Source::Url(url)
    };
    navigate_iframe(parent, iframe, source, false, Some(reply));
}

/// The navigation that "process the iframe attributes" starts: a new window for the
/// iframe, showing `source`. `reply` (Client.navigate()) gets its client id once loaded.
fn navigate_iframe<'js>(
    parent: &Ctx<'js>,
    iframe: &Dom<'js, Element<'js>>,
    source: Source,
    initial_insertion: bool,
    reply: Option<crate::dom::windowclient::NavigateReply>,
) {
    let Some(parent_global) = GlobalScope::current(parent) else {
        return;
    };
    let (url, origin) = match &source {
        Source::Srcdoc(_) => (about("about:srcdoc"), parent_global.info().origin.clone()),
        Source::Blank => (about("about:blank"), parent_global.info().origin.clone()),
        Source::Url(url) => (url.clone(), url.origin().ascii_serialization()),
    };
    // The iframe's sandboxing flag set (HTML "parse a sandboxing directive"): without the
    // `allow-same-origin` keyword the sandboxed origin browsing context flag is set, and the
    // document gets an opaque origin (no scripting restriction is applied here: the
    // `allow-scripts` keyword is not enforced).
    let origin = match iframe.get_attr("sandbox") {
        Some(tokens)
            if !tokens
                .split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("allow-same-origin")) =>
        {
            "null".to_string()
        }
        _ => origin,
    };
    // The old window (if any) is discarded: this engine gives each navigation a new one.
    if let Some((_, old)) = crate::nested::child_of_container(parent, iframe) {
        crate::nested::discard(&old);
    }
    let name = iframe.get_attr("name").unwrap_or_default();
    let (id, child) =
        match crate::nested::create_child_navigable(parent, iframe, &url, origin, name) {
            Ok(c) => c,
            Err(e) => {
                if let Some(reply) = reply {
                    reply(Err(format!("{e:?}")));
                }
                GlobalScope::report_error(parent, e);
                return;
            }
        };
    let client = GlobalScope::current(&child)
        .map(|g| g.info().environment_id.clone())
        .unwrap_or_default();
    // Its initial about:blank document is there at once (script can reach it while the
    // real one loads).
    if let Some(global) = GlobalScope::current(&child) {
        if let Ok(doc) = Document::new_initial(&child, about("about:blank")) {
            global.set_document(doc);
        }
    }
    let parent_tasks = parent_global.info().tasks.clone();
    let done: crate::dom::servoparser::LoadCallback = Box::new(move |result| {
        if let Err(e) = &result {
            log::info!(target: "script", "a frame did not load: {e}");
        }
        if let Some(reply) = reply {
            reply(result.map(|()| client));
        }
        // Completely finish loading: queue the iframe load event steps on the parent.
        parent_tasks.queue(move |ctx| iframe_load_event_steps(ctx, id));
    });
    match source {
        // about:blank on first insertion: the iframe load event steps run at once.
        Source::Blank if initial_insertion => {
            let _ =
                crate::dom::eventtarget::fire_event(parent, &iframe.upcast(), "load", false, false);
        }
        Source::Blank => done(Ok(())),
        Source::Srcdoc(text) => {
            crate::nested::delay_parent_load(&child);
            crate::dom::servoparser::load_document_text(&child, url, "text/html", text, done)
        }
        Source::Url(url) => {
            crate::nested::delay_parent_load(&child);
            crate::dom::servoparser::load_page(&child, url.to_string(), done)
        }
    }
}

fn about(s: &str) -> url::Url {
    url::Url::parse(s).expect("a valid about: URL")
}

/// `src` parsed against the iframe's node document's base URL.
fn parse_in_document<'js>(iframe: &Dom<'js, Element<'js>>, src: &str) -> Option<url::Url> {
    let document = node::node_document(&iframe.upcast::<Node>())?;
    document.parse_url(src).ok()
}

/// <https://html.spec.whatwg.org/#iframe-load-event-steps>: fire `load` at the container of
/// the child window `id`, if it still is its container.
fn iframe_load_event_steps<'js>(ctx: &Ctx<'js>, id: u64) {
    let Some(iframe) = crate::nested::container_of(ctx, id) else {
        return;
    };
    let _ = crate::dom::eventtarget::fire_event(ctx, &iframe.upcast(), "load", false, false);
    // The parent document's load event no longer waits for this frame.
    crate::nested::finished_loading(ctx, id);
}
