//! <https://dom.spec.whatwg.org/#interface-document> and the parts of HTML's Document a page
//! that runs background fetch needs: readiness, the script lists of the script processing
//! model, the load event, `currentScript`, `head`/`body`/`title`.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::DocumentBinding::DocumentMethods;
use crate::dom::bindings::codegen::{DocumentReadyState, StringOrElementCreationOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::comment::Comment;
use crate::dom::element::{self, Element};
use crate::dom::event::Event;
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlbodyelement::HTMLBodyElement;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::HTMLElement;
use crate::dom::htmlheadelement::HTMLHeadElement;
use crate::dom::htmlhtmlelement::HTMLHtmlElement;
use crate::dom::htmlscriptelement::HTMLScriptElement;
use crate::dom::htmltitleelement::HTMLTitleElement;
use crate::dom::node::{self, Node, DOCUMENT_NODE};
use crate::dom::text::Text;
use html5ever::{ns, LocalName, QualName};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// The script lists of HTML's script processing model, on a document.
#[derive(Default)]
pub struct ScriptLists<'js> {
    pub pending_parsing_blocking: Option<Dom<'js, HTMLScriptElement<'js>>>,
    pub deferred: Vec<Dom<'js, HTMLScriptElement<'js>>>,
    pub in_order: Vec<Dom<'js, HTMLScriptElement<'js>>>,
    pub asap: Vec<Dom<'js, HTMLScriptElement<'js>>>,
    /// Scripts whose fetch is in flight, by id (the network task finds them here).
    fetching: HashMap<u64, Dom<'js, HTMLScriptElement<'js>>>,
    next_fetch: u64,
}

impl<'js> Trace<'js> for ScriptLists<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.pending_parsing_blocking.trace(tracer);
        self.deferred.trace(tracer);
        self.in_order.trace(tracer);
        self.asap.trace(tracer);
        for v in self.fetching.values() {
            v.trace(tracer);
        }
    }
}

/// Where a loading document is on its way to the load event (HTML "the end").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadStage {
    /// The parser is running (or the document was not made by a parser).
    Parsing,
    /// Parsing is done; waiting for the deferred scripts, then DOMContentLoaded.
    Deferred,
    /// DOMContentLoaded was queued; waiting for the other scripts and load delayers.
    WaitingForLoad,
    /// The load event was queued or fired.
    Loaded,
}

/// <https://dom.spec.whatwg.org/#interface-document>
pub struct Document<'js> {
    node: Node<'js>,
    /// The document's NodeIterators (their pre-removing steps run on removals).
    pub(crate) node_iterators:
        DomRefCell<Vec<Dom<'js, crate::dom::nodeiterator::NodeIterator<'js>>>>,
    url: DomRefCell<url::Url>,
    content_type: String,
    /// An HTML document (as opposed to an XML one).
    is_html: bool,
    /// The window's document has a browsing context; `new Document()` does not.
    browsing_context: bool,
    quirks: Cell<bool>,
    ready_state: Cell<DocumentReadyState>,
    referrer: String,
    pub(crate) current_script: DomRefCell<Option<Dom<'js, HTMLScriptElement<'js>>>>,
    pub(crate) scripts: DomRefCell<ScriptLists<'js>>,
    /// The HTML parser while it runs. Not traced: it holds node handles as roots, and is
    /// dropped when parsing ends or the global goes away ([`Document::teardown`]).
    pub(crate) parser: RefCell<Option<Rc<crate::dom::servoparser::ServoParser<'js>>>>,
    /// The [SameObject] DOMImplementation.
    implementation:
        DomRefCell<Option<Dom<'js, crate::dom::domimplementation::DOMImplementation<'js>>>>,
    /// The inert document that owns template contents (HTML's "appropriate template
    /// contents owner document"), made when first needed.
    template_owner: DomRefCell<Option<Dom<'js, Document<'js>>>>,
    /// How many things delay the load event (HTML "delay the load event").
    load_delay: Cell<usize>,
    pub(crate) stage: Cell<LoadStage>,
    /// Called once the load event has fired (the embedder's navigation waits on it).
    pub(crate) on_load: RefCell<Option<Box<dyn FnOnce()>>>,
    /// The focused area when it is an element (<https://html.spec.whatwg.org/#focused-area-of-the-document>);
    /// none is the viewport.
    focused: DomRefCell<Option<Dom<'js, Element<'js>>>>,
    /// Elements waiting for a resource (images, media), by fetch id.
    fetching_elements: DomRefCell<(u64, std::collections::HashMap<u64, Dom<'js, Element<'js>>>)>,
}

impl<'js> HasParent<'js> for Document<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for Document<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer);
        self.template_owner.trace(tracer);
        self.node_iterators.trace(tracer);
        self.implementation.trace(tracer);
        self.current_script.trace(tracer);
        self.scripts.trace(tracer);
        self.focused.trace(tracer);
        for e in self.fetching_elements.borrow().1.values() {
            e.trace(tracer);
        }
    }
}

impl<'js> Document<'js> {
    fn new_inherited(
        url: url::Url,
        content_type: &str,
        is_html: bool,
        browsing_context: bool,
    ) -> Document<'js> {
        Document {
            node: Node::new_inherited(DOCUMENT_NODE, None),
            url: DomRefCell::new(url),
            content_type: content_type.to_string(),
            is_html,
            browsing_context,
            quirks: Cell::new(false),
            ready_state: Cell::new(DocumentReadyState::Complete),
            referrer: String::new(),
            current_script: DomRefCell::new(None),
            scripts: DomRefCell::new(ScriptLists::default()),
            parser: RefCell::new(None),
            template_owner: DomRefCell::new(None),
            node_iterators: DomRefCell::new(Vec::new()),
            implementation: DomRefCell::new(None),
            load_delay: Cell::new(0),
            stage: Cell::new(LoadStage::Loaded),
            on_load: RefCell::new(None),
            focused: DomRefCell::new(None),
            fetching_elements: Default::default(),
        }
    }

    pub fn focused_element(&self) -> Option<Dom<'js, Element<'js>>> {
        self.focused.borrow().clone()
    }
    pub fn set_focused_element(&self, e: Option<Dom<'js, Element<'js>>>) {
        *self.focused.borrow_mut() = e;
    }

    /// A copy of this document's metadata without a browsing context (cloning a document).
    pub fn clone_document(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
        let doc = Document::new_inherited(
            self.url.borrow().clone(),
            &self.content_type,
            self.is_html,
            false,
        );
        doc.quirks.set(self.quirks.get());
        reflect_dom_object(ctx, doc)
    }

    /// A window's document for `url`, about to be parsed (readiness "loading").
    pub fn new_for_window(
        ctx: &Ctx<'js>,
        url: url::Url,
        content_type: &str,
    ) -> Fallible<Dom<'js, Document<'js>>> {
        let doc = reflect_dom_object(ctx, Document::new_inherited(url, content_type, true, true))?;
        doc.ready_state.set(DocumentReadyState::Loading);
        doc.stage.set(LoadStage::Parsing);
        Ok(doc)
    }

    /// The initial about:blank-like document of a window that loaded no page: `<html>`,
    /// `<head>` and `<body>`, complete, at the global's URL.
    pub fn new_initial(ctx: &Ctx<'js>, url: url::Url) -> Fallible<Dom<'js, Document<'js>>> {
        let doc = reflect_dom_object(ctx, Document::new_inherited(url, "text/html", true, true))?;
        let html = create_html_element(ctx, &doc, "html")?;
        let head = create_html_element(ctx, &doc, "head")?;
        let body = create_html_element(ctx, &doc, "body")?;
        let d = doc.upcast::<Node>();
        node::insert(ctx, &html, &d, None, false);
        node::insert(ctx, &head, &html, None, false);
        node::insert(ctx, &body, &html, None, false);
        Ok(doc)
    }

    /// The profile's cookies for `document.cookie`, `None` for a cookie-averse document
    /// (no browsing context, or a URL that is not http(s)); an opaque origin is a
    /// "SecurityError" (`document.cookie`'s step 2).
    fn cookie_jar(&self, cx: &Cx<'js>) -> Fallible<Option<crate::global_handle::CookieConnector>> {
        let url = self.url_();
        if !self.has_browsing_context()
            || !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Ok(None);
        }
        let Some(global) = crate::dom::globalscope::GlobalScope::current(&cx.ctx) else {
            return Ok(None);
        };
        if global.info().origin == "null" {
            return Err(Error::dom(
                crate::dom::bindings::error::DomErrorName::SecurityError,
                "a document of an opaque origin has no cookies",
            ));
        }
        Ok(global.info().cookies.clone())
    }

    pub fn has_browsing_context(&self) -> bool {
        self.browsing_context
    }
    pub fn url_(&self) -> String {
        self.url.borrow().to_string()
    }
    /// The document's URL (<https://dom.spec.whatwg.org/#concept-document-url>).
    pub fn url_value(&self) -> url::Url {
        self.url.borrow().clone()
    }
    /// <https://html.spec.whatwg.org/#appropriate-template-contents-owner-document>: a
    /// document without a browsing context (so scripts in templates never run).
    pub fn template_contents_owner(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
        if let Some(d) = self.template_owner.borrow().as_ref() {
            return Ok(d.clone());
        }
        let d = reflect_dom_object(
            ctx,
            Document::new_inherited(
                url::Url::parse("about:blank").map_err(|e| Error::Type(e.to_string()))?,
                "text/html",
                self.is_html,
                false,
            ),
        )?;
        *self.template_owner.borrow_mut() = Some(d.clone());
        Ok(d)
    }
    /// A document without a browsing context (DOMImplementation's), not yet reflected.
    pub fn new_detached(url: url::Url, content_type: &str, is_html: bool) -> Document<'js> {
        Document::new_inherited(url, content_type, is_html, false)
    }
    /// A new HTML document without a browsing context (the fragment parser's).
    pub fn new_inert(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
        reflect_dom_object(
            ctx,
            Document::new_inherited(self.url.borrow().clone(), "text/html", true, false),
        )
    }
    pub fn is_quirks(&self) -> bool {
        self.quirks.get()
    }
    pub fn set_quirks(&self, quirks: bool) {
        self.quirks.set(quirks)
    }
    /// Parses `input` relative to the document's base URL (HTML "encoding-parsing a URL").
    pub fn parse_url(&self, input: &str) -> Result<url::Url, url::ParseError> {
        url::Url::options()
            .base_url(Some(&self.url.borrow()))
            .parse(input)
    }

    pub fn register_fetching_script(&self, el: Dom<'js, HTMLScriptElement<'js>>) -> u64 {
        let mut s = self.scripts.borrow_mut();
        s.next_fetch += 1;
        let id = s.next_fetch;
        s.fetching.insert(id, el);
        id
    }
    pub fn take_fetching_script(&self, id: u64) -> Option<Dom<'js, HTMLScriptElement<'js>>> {
        self.scripts.borrow_mut().fetching.remove(&id)
    }

    /// Keeps `el` until its resource's response arrives (the fetch's task finds it by id).
    pub fn register_fetching_element(&self, el: Dom<'js, Element<'js>>) -> u64 {
        let mut f = self.fetching_elements.borrow_mut();
        f.0 += 1;
        let id = f.0;
        f.1.insert(id, el);
        id
    }
    pub fn take_fetching_element(&self, id: u64) -> Option<Dom<'js, Element<'js>>> {
        self.fetching_elements.borrow_mut().1.remove(&id)
    }

    /// Adds (or removes) one thing that delays the load event.
    pub fn delay_load(&self, on: bool) {
        let n = self.load_delay.get();
        self.load_delay
            .set(if on { n + 1 } else { n.saturating_sub(1) });
    }

    /// <https://html.spec.whatwg.org/#update-the-current-document-readiness>
    pub fn set_ready_state(
        this: &Dom<'js, Document<'js>>,
        ctx: &Ctx<'js>,
        state: DocumentReadyState,
    ) {
        if this.ready_state.get() == state {
            return;
        }
        this.ready_state.set(state);
        let _ = crate::dom::eventtarget::fire_event(
            ctx,
            &this.upcast(),
            "readystatechange",
            false,
            false,
        );
    }

    /// HTML "the end", steps 7-9: once parsing and the deferred scripts are done and no
    /// script or load delayer is left, queue the load event. Called whenever one of those
    /// may have changed.
    pub fn check_load(&self, ctx: &Ctx<'js>) {
        if self.stage.get() != LoadStage::WaitingForLoad {
            return;
        }
        {
            let s = self.scripts.borrow();
            if !s.asap.is_empty() || !s.in_order.is_empty() {
                return;
            }
        }
        if self.load_delay.get() > 0 {
            return;
        }
        self.stage.set(LoadStage::Loaded);
        // Step 9. Queue a global task on the DOM manipulation task source.
        let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
            return;
        };
        let Some(document) = crate::dom::window::associated_document(ctx)
            .filter(|d| std::ptr::eq::<Document<'js>>(&**d, self))
        else {
            return;
        };
        global.queue_task(Box::new(move |ctx| {
            // Step 9.1. Update the current document readiness to "complete".
            Document::set_ready_state(&document, ctx, DocumentReadyState::Complete);
            // Step 9.4-9.5. Fire load at the window, with legacy target override (the
            // event's target is the document).
            if let Some(window) = crate::dom::window::current_window(ctx) {
                let event = Event::new_trusted(ctx, "load", false, false)?;
                crate::dom::eventtarget::dispatch_with_target_override(
                    ctx,
                    &event,
                    &window.upcast::<EventTarget>(),
                    Some(document.upcast::<EventTarget>()),
                )?;
            }
            // Step 12. Completely finish loading.
            if let Some(f) = document.on_load.borrow_mut().take() {
                f();
            }
            Ok(())
        }));
    }

    /// Drops the parser and the script lists (the global is going away: nothing in them may
    /// outlive the runtime).
    pub fn teardown(&self) {
        self.parser.borrow_mut().take();
        *self.scripts.borrow_mut() = ScriptLists::default();
        self.current_script.borrow_mut().take();
        self.on_load.borrow_mut().take();
        self.fetching_elements.borrow_mut().1.clear();
        self.focused.borrow_mut().take();
    }

    /// <https://html.spec.whatwg.org/#dom-document-fgcolor> and the other legacy colors: the
    /// body element's attribute (empty without a body element).
    fn body_attr(&self, cx: &Cx<'js>, name: &str) -> Fallible<DOMString> {
        let this = node::this_node(cx)?;
        Ok(body_element(&this)
            .filter(|b| b.upcast::<Element>().local_name_() == "body")
            .and_then(|b| b.upcast::<Element>().get_attr(name))
            .unwrap_or_default())
    }
    fn set_body_attr(&self, cx: &Cx<'js>, name: &str, value: DOMString) -> Fallible<()> {
        let this = node::this_node(cx)?;
        if let Some(b) = body_element(&this) {
            let e = b.upcast::<Element>();
            if e.local_name_() == "body" {
                e.set_attr(&cx.ctx, &e, name, value);
            }
        }
        Ok(())
    }

    /// A live collection rooted at this document.
    fn collection(
        &self,
        cx: &Cx<'js>,
        filter: crate::dom::htmlcollection::CollectionFilter,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(&cx.ctx, &node::this_node(cx)?, filter)
    }

    fn this_document(cx: &Cx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
        <Document as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))
    }
}

fn create_html_element<'js>(
    ctx: &Ctx<'js>,
    doc: &Dom<'js, Document<'js>>,
    name: &str,
) -> Fallible<Dom<'js, Node<'js>>> {
    let q = QualName::new(None, ns!(html), LocalName::from(name));
    Ok(crate::dom::create::create_element(ctx, doc, q, Vec::new(), false)?.upcast())
}

/// The html element child of the document (the document element if it is `<html>`).
fn html_element<'js>(doc: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Element<'js>>> {
    node::element_children(doc)
        .into_iter()
        .next()
        .filter(|e| node::downcast::<HTMLHtmlElement>(&e.upcast()).is_some())
}

/// <https://html.spec.whatwg.org/#the-head-element-2>
pub fn head_element<'js>(doc: &Dom<'js, Node<'js>>) -> Option<Dom<'js, HTMLHeadElement<'js>>> {
    let html = html_element(doc)?;
    node::element_children(&html.upcast())
        .iter()
        .find_map(|e| node::downcast::<HTMLHeadElement>(&e.upcast()))
}

/// <https://html.spec.whatwg.org/#the-body-element-2> (no framesets).
fn body_element<'js>(doc: &Dom<'js, Node<'js>>) -> Option<Dom<'js, HTMLElement<'js>>> {
    let html = html_element(doc)?;
    node::element_children(&html.upcast())
        .iter()
        .find(|e| node::downcast::<HTMLBodyElement>(&e.upcast()).is_some())
        .and_then(|e| node::downcast::<HTMLElement>(&e.upcast()))
}

impl<'js> DocumentMethods<'js> for Document<'js> {
    /// <https://dom.spec.whatwg.org/#dom-document-createnodeiterator>
    fn createNodeIterator(
        &self,
        cx: &Cx<'js>,
        root: Dom<'js, Node<'js>>,
        what_to_show: u32,
        filter: Option<crate::dom::bindings::codegen::NodeFilter<'js>>,
    ) -> Fallible<Dom<'js, crate::dom::nodeiterator::NodeIterator<'js>>> {
        let traverser = crate::dom::treewalker::Traverser::new(root, what_to_show, filter);
        let iterator = reflect_dom_object(
            &cx.ctx,
            crate::dom::nodeiterator::NodeIterator::new_inherited(traverser),
        )?;
        // (Kept for the pre-removing steps while the document lives.)
        self.node_iterators.borrow_mut().push(iterator.clone());
        Ok(iterator)
    }

    /// <https://dom.spec.whatwg.org/#dom-document-createtreewalker>
    fn createTreeWalker(
        &self,
        cx: &Cx<'js>,
        root: Dom<'js, Node<'js>>,
        what_to_show: u32,
        filter: Option<crate::dom::bindings::codegen::NodeFilter<'js>>,
    ) -> Fallible<Dom<'js, crate::dom::treewalker::TreeWalker<'js>>> {
        let traverser = crate::dom::treewalker::Traverser::new(root, what_to_show, filter);
        reflect_dom_object(
            &cx.ctx,
            crate::dom::treewalker::TreeWalker::new_inherited(traverser),
        )
    }

    fn implementation(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::domimplementation::DOMImplementation<'js>>> {
        if let Some(i) = self.implementation.borrow().as_ref() {
            return Ok(i.clone());
        }
        let i = crate::dom::domimplementation::DOMImplementation::create(
            &cx.ctx,
            &Self::this_document(cx)?,
        )?;
        *self.implementation.borrow_mut() = Some(i.clone());
        Ok(i)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-createelementns>
    fn createElementNS(
        &self,
        cx: &Cx<'js>,
        namespace: Option<DOMString>,
        qualified_name: DOMString,
        _options: StringOrElementCreationOptions,
    ) -> Fallible<Dom<'js, Element<'js>>> {
        // "internal createElementNS steps": validate and extract, then create an element.
        let q = crate::dom::domimplementation::validate_and_extract(
            namespace.as_deref(),
            &qualified_name,
        )?;
        let doc = Self::this_document(cx)?;
        crate::dom::create::create_element(&cx.ctx, &doc, q, Vec::new(), false)
    }
    fn URL(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.url_())
    }
    /// <https://html.spec.whatwg.org/#dom-document-cookie>
    fn cookie(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        // Step 1. A cookie-averse document: the empty string.
        let Some(cookies) = self.cookie_jar(cx)? else {
            return Ok(String::new());
        };
        // Step 3. The cookie-string for the URL, for a "non-HTTP" API.
        Ok(cookies.0.cookie_string(&self.url_()))
    }
    /// <https://html.spec.whatwg.org/#dom-document-cookie>
    fn set_cookie(&self, cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        // Step 1. A cookie-averse document: nothing.
        let Some(cookies) = self.cookie_jar(cx)? else {
            return Ok(());
        };
        // Step 3. Receive a set-cookie-string for the URL, for a "non-HTTP" API.
        cookies.0.set_cookie_string(&self.url_(), &value);
        Ok(())
    }
    fn documentURI(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.url_())
    }
    fn compatMode(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(if self.quirks.get() {
            "BackCompat"
        } else {
            "CSS1Compat"
        }
        .into())
    }
    fn characterSet(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("UTF-8".into())
    }
    fn charset(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("UTF-8".into())
    }
    fn inputEncoding(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("UTF-8".into())
    }
    fn contentType(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.content_type.clone())
    }
    fn doctype(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::documenttype::DocumentType<'js>>>> {
        let this = node::this_node(cx)?;
        Ok(this.child_list().iter().find_map(node::downcast))
    }
    fn documentElement(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(node::element_children(&node::this_node(cx)?)
            .into_iter()
            .next())
    }
    /// <https://html.spec.whatwg.org/#dom-document-location>: the window's Location when this
    /// is the window's document, otherwise null.
    fn location(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::location::Location<'js>>>> {
        let this = Self::this_document(cx)?;
        let Some(window) = crate::dom::window::current_window(&cx.ctx) else {
            return Ok(None);
        };
        match crate::dom::window::associated_document(&cx.ctx) {
            Some(d) if d.ptr_eq(&this) => Ok(Some(window.location_object(&cx.ctx)?)),
            _ => Ok(None),
        }
    }
    fn referrer(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.referrer.clone())
    }
    fn readyState(&self, _cx: &Cx<'js>) -> Fallible<DocumentReadyState> {
        Ok(self.ready_state.get())
    }
    /// <https://html.spec.whatwg.org/#document.title>: the first title element's child
    /// text, whitespace stripped and collapsed.
    fn title(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let this = node::this_node(cx)?;
        let title = node::descendants(&this)
            .into_iter()
            .find_map(|n| node::downcast::<HTMLTitleElement>(&n));
        let text = title
            .map(|t| node::child_text_content(&t.upcast()))
            .unwrap_or_default();
        Ok(text.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
    fn set_title(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = node::this_node(cx)?;
        let title = node::descendants(&this)
            .into_iter()
            .find_map(|n| node::downcast::<HTMLTitleElement>(&n));
        let title = match title {
            Some(t) => t.upcast::<Node>(),
            None => {
                // Append a new title element to the head element, if there is one.
                let Some(head) = head_element(&this) else {
                    return Ok(());
                };
                let doc = Self::this_document(cx)?;
                let q = QualName::new(None, ns!(html), LocalName::from("title"));
                let t = crate::dom::create::create_element(&cx.ctx, &doc, q, Vec::new(), false)?
                    .upcast::<Node>();
                node::append(&cx.ctx, &t, &head.upcast())?;
                t
            }
        };
        crate::dom::htmlelement::set_child_text(&cx.ctx, &title, value)
    }
    fn body(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLElement<'js>>>> {
        Ok(body_element(&node::this_node(cx)?))
    }
    /// <https://html.spec.whatwg.org/#dom-document-body> (setter).
    fn set_body(&self, cx: &Cx<'js>, value: Option<Dom<'js, HTMLElement<'js>>>) -> Fallible<()> {
        let this = node::this_node(cx)?;
        // Step 1. If the new value is not a body or frameset element, throw.
        let Some(new) = value.filter(|v| node::downcast::<HTMLBodyElement>(&v.upcast()).is_some())
        else {
            return Err(Error::dom(
                DomErrorName::HierarchyRequestError,
                "the new body must be a body element",
            ));
        };
        let new = new.upcast::<Node>();
        // Step 2. If it is already the body element, return.
        let old = body_element(&this);
        if old
            .as_ref()
            .is_some_and(|o| o.upcast::<Node>().ptr_eq(&new))
        {
            return Ok(());
        }
        // Step 3. Replace the old body.
        if let Some(old) = old {
            let old = old.upcast::<Node>();
            if let Some(parent) = old.parent_node() {
                node::replace(&cx.ctx, &old, &new, &parent)?;
            }
            return Ok(());
        }
        // Step 4-5. No document element: HierarchyRequestError; else append to it.
        let Some(root) = node::element_children(&this).into_iter().next() else {
            return Err(Error::dom(
                DomErrorName::HierarchyRequestError,
                "the document has no document element",
            ));
        };
        node::append(&cx.ctx, &new, &root.upcast())?;
        Ok(())
    }
    fn head(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLHeadElement<'js>>>> {
        Ok(head_element(&node::this_node(cx)?))
    }
    fn currentScript(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLScriptElement<'js>>>> {
        Ok(self.current_script.borrow().clone())
    }
    /// <https://html.spec.whatwg.org/#dom-document-defaultview>
    fn defaultView(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::window::Window<'js>>>> {
        let this = Self::this_document(cx)?;
        match crate::dom::window::associated_document(&cx.ctx) {
            Some(d) if d.ptr_eq(&this) => Ok(crate::dom::window::current_window(&cx.ctx)),
            _ => Ok(None),
        }
    }
    /// <https://html.spec.whatwg.org/#dom-document-dir>: the html element's `dir`, limited to
    /// known values.
    fn dir(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let this = node::this_node(cx)?;
        Ok(node::element_children(&this)
            .into_iter()
            .find(|e| e.is_html() && e.local_name_() == "html")
            .and_then(|e| e.get_attr("dir"))
            .map(|d| d.to_ascii_lowercase())
            .filter(|d| matches!(d.as_str(), "ltr" | "rtl" | "auto"))
            .unwrap_or_default())
    }
    fn set_dir(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = node::this_node(cx)?;
        if let Some(html) = node::element_children(&this)
            .into_iter()
            .find(|e| e.is_html() && e.local_name_() == "html")
        {
            html.set_attr(&cx.ctx, &html, "dir", value);
        }
        Ok(())
    }
    fn fgColor(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.body_attr(cx, "text")
    }
    fn set_fgColor(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_body_attr(cx, "text", value)
    }
    fn linkColor(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.body_attr(cx, "link")
    }
    fn set_linkColor(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_body_attr(cx, "link", value)
    }
    fn vlinkColor(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.body_attr(cx, "vlink")
    }
    fn set_vlinkColor(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_body_attr(cx, "vlink", value)
    }
    fn alinkColor(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.body_attr(cx, "alink")
    }
    fn set_alinkColor(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_body_attr(cx, "alink", value)
    }
    fn bgColor(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.body_attr(cx, "bgcolor")
    }
    fn set_bgColor(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_body_attr(cx, "bgcolor", value)
    }
    fn images(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::QualifiedName("img".into()))
    }
    fn embeds(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::QualifiedName("embed".into()))
    }
    fn plugins(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::QualifiedName("embed".into()))
    }
    fn links(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::Links)
    }
    fn forms(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::QualifiedName("form".into()))
    }
    fn scripts(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        self.collection(cx, CollectionFilter::QualifiedName("script".into()))
    }
    /// <https://html.spec.whatwg.org/#dom-documentorshadowroot-activeelement>: the focused
    /// element, else the body, else the document element.
    fn activeElement(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        if let Some(f) = self.focused_element() {
            return Ok(Some(f));
        }
        let this = node::this_node(cx)?;
        if let Some(b) = body_element(&this) {
            return Ok(Some(b.upcast()));
        }
        Ok(node::element_children(&this).into_iter().next())
    }
    fn hasFocus(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        // No focus: there is no user interface with input.
        Ok(false)
    }
    fn getElementsByTagName(
        &self,
        cx: &Cx<'js>,
        qualified_name: DOMString,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        element::elements_by_qualified_name(&cx.ctx, &node::this_node(cx)?, &qualified_name)
    }
    fn getElementsByClassName(
        &self,
        cx: &Cx<'js>,
        class_names: DOMString,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        element::elements_by_class_name(&cx.ctx, &node::this_node(cx)?, &class_names)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-createelement>
    fn createElement(
        &self,
        cx: &Cx<'js>,
        local_name: DOMString,
        _options: StringOrElementCreationOptions,
    ) -> Fallible<Dom<'js, Element<'js>>> {
        // Step 1. If localName is not a valid element local name, throw an
        // "InvalidCharacterError" DOMException.
        if !element::is_valid_element_local_name(&local_name) {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{local_name}' is not a valid element name"),
            ));
        }
        // Step 2. In an HTML document, lowercase it.
        let local_name = if self.is_html {
            local_name.to_ascii_lowercase()
        } else {
            local_name
        };
        // Step 5. The namespace is the HTML namespace for HTML documents and
        // application/xhtml+xml; null otherwise.
        let namespace = if self.is_html || self.content_type == "application/xhtml+xml" {
            ns!(html)
        } else {
            ns!()
        };
        // Step 6. Create an element (no custom elements: "is" is ignored).
        let doc = Self::this_document(cx)?;
        crate::dom::create::create_element(
            &cx.ctx,
            &doc,
            QualName::new(None, namespace, LocalName::from(local_name)),
            Vec::new(),
            false,
        )
    }
    fn createTextNode(&self, cx: &Cx<'js>, data: DOMString) -> Fallible<Dom<'js, Text<'js>>> {
        Text::create(&cx.ctx, &Self::this_document(cx)?, data)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-createcdatasection>
    fn createCDATASection(
        &self,
        cx: &Cx<'js>,
        data: DOMString,
    ) -> Fallible<Dom<'js, crate::dom::cdatasection::CDATASection<'js>>> {
        // Step 1. Not in an HTML document.
        if self.is_html {
            return Err(Error::dom(
                DomErrorName::NotSupportedError,
                "CDATA sections are for XML documents",
            ));
        }
        // Step 2. "]]>" cannot be in the data.
        if data.contains("]]>") {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                "CDATA data cannot contain ]]>",
            ));
        }
        crate::dom::cdatasection::CDATASection::create(&cx.ctx, &Self::this_document(cx)?, data)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-createprocessinginstruction>
    fn createProcessingInstruction(
        &self,
        cx: &Cx<'js>,
        target: DOMString,
        data: DOMString,
    ) -> Fallible<Dom<'js, crate::dom::processinginstruction::ProcessingInstruction<'js>>> {
        // Step 1. target must be an XML Name.
        if !crate::dom::element::is_xml_name(&target) {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{target}' is not a valid processing instruction target"),
            ));
        }
        // Step 2. "?>" cannot be in the data.
        if data.contains("?>") {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                "processing instruction data cannot contain ?>",
            ));
        }
        crate::dom::processinginstruction::ProcessingInstruction::create(
            &cx.ctx,
            &Self::this_document(cx)?,
            target,
            data,
        )
    }
    fn createComment(&self, cx: &Cx<'js>, data: DOMString) -> Fallible<Dom<'js, Comment<'js>>> {
        Comment::create(&cx.ctx, &Self::this_document(cx)?, data)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-adoptnode>
    fn adoptNode(&self, cx: &Cx<'js>, node: Dom<'js, Node<'js>>) -> Fallible<Dom<'js, Node<'js>>> {
        // Step 1. A document cannot be adopted: "NotSupportedError".
        if node.is_document() {
            return Err(Error::dom(
                DomErrorName::NotSupportedError,
                "a document cannot be adopted",
            ));
        }
        // Step 3. Adopt node into this.
        node::adopt(&cx.ctx, &node, &Self::this_document(cx)?);
        Ok(node)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-createevent> (for the event interfaces
    /// that exist here).
    fn createEvent(&self, cx: &Cx<'js>, interface: DOMString) -> Fallible<Dom<'js, Event<'js>>> {
        let init = crate::dom::bindings::codegen::EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let event: Dom<'js, Event<'js>> = match interface.to_ascii_lowercase().as_str() {
            "event" | "events" | "htmlevents" | "svgevents" => {
                reflect_dom_object(&cx.ctx, Event::new_inherited(&cx.ctx, "", &init))?
            }
            "customevent" => {
                use crate::dom::bindings::codegen::CustomEventBinding::CustomEventMethods;
                let e = <crate::dom::customevent::CustomEvent as CustomEventMethods>::Constructor(
                    cx,
                    String::new(),
                    crate::dom::bindings::codegen::CustomEventInit {
                        parent: init.clone(),
                        detail: Value::new_null(cx.ctx.clone()),
                    },
                )?;
                reflect_dom_object(&cx.ctx, e)?.upcast()
            }
            _ => {
                return Err(Error::dom(
                    DomErrorName::NotSupportedError,
                    format!("createEvent: '{interface}' is not a supported event interface"),
                ))
            }
        };
        // Steps 4-6. The initialized flag is unset; isTrusted false.
        event.set_initialized(false);
        Ok(event)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-document>: an XML document.
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(Document::new_inherited(
            url::Url::parse("about:blank").map_err(|e| Error::Type(e.to_string()))?,
            "application/xml",
            false,
            false,
        ))
    }
    fn getElementById(
        &self,
        cx: &Cx<'js>,
        element_id: DOMString,
    ) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(node::element_by_id(&node::this_node(cx)?, &element_id))
    }
    fn createDocumentFragment(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::documentfragment::DocumentFragment<'js>>> {
        crate::dom::documentfragment::DocumentFragment::create(&cx.ctx, &Self::this_document(cx)?)
    }
    /// <https://dom.spec.whatwg.org/#dom-document-importnode>
    fn importNode(
        &self,
        cx: &Cx<'js>,
        node: Dom<'js, Node<'js>>,
        options: crate::dom::bindings::codegen::BooleanOrImportNodeOptions,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        // Step 1. A document cannot be imported.
        if node.is_document() {
            return Err(Error::dom(
                DomErrorName::NotSupportedError,
                "a document cannot be imported",
            ));
        }
        // Steps 2-3. subtree is the boolean, or !selfOnly.
        let subtree = match options {
            crate::dom::bindings::codegen::BooleanOrImportNodeOptions::Boolean(b) => b,
            crate::dom::bindings::codegen::BooleanOrImportNodeOptions::ImportNodeOptions(o) => {
                !o.selfOnly
            }
        };
        // Step 5. Clone node with document this.
        node::clone_a_node(&cx.ctx, &node, Some(&Self::this_document(cx)?), subtree)
    }
    crate::parent_node_methods!();
}
