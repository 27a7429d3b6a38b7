//! Loading a page into a window: fetch the document, parse it with html5ever (Servo's HTML
//! parser) into the DOM tree, run its scripts in document order, then HTML's "the end"
//! (DOMContentLoaded, the deferred scripts, the load event).
//!
//! The parser is resumable: html5ever's tokenizer returns at every `</script>`, the script is
//! prepared, and if it is parser-blocking the parser stays paused until the script's fetch
//! task marks it ready ([`resume`]), while the event loop goes on running other tasks.

use crate::dom::bindings::codegen::DocumentReadyState;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::characterdata::CharacterData;
use crate::dom::comment::Comment;
use crate::dom::document::{Document, LoadStage};
use crate::dom::documenttype::DocumentType;
use crate::dom::element::Element;
use crate::dom::globalscope::GlobalScope;
use crate::dom::htmlscriptelement::{self, HTMLScriptElement};
use crate::dom::node::{self, Node, TEXT_NODE};
use crate::dom::text::Text;
use html5ever::buffer_queue::BufferQueue;
use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::TokenizerResult;
use html5ever::{Attribute, LocalName, Namespace, QualName};
use net_traits::{CredentialsMode, Destination, FetchRequest, RequestData, RequestMode};
use std::borrow::Cow;
use std::cell::Cell;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// An element's name as html5ever asks for it.
#[derive(Debug)]
pub struct OwnedElemName(Namespace, LocalName);

impl ElemName for OwnedElemName {
    fn ns(&self) -> &Namespace {
        &self.0
    }
    fn local_name(&self) -> &LocalName {
        &self.1
    }
}

/// The tree sink: html5ever's tree construction over our nodes, with the DOM's insertion
/// algorithms (so a `<meta http-equiv>` runs its insertion steps as the parser inserts it).
pub struct Sink<'js> {
    ctx: Ctx<'js>,
    document: Dom<'js, Document<'js>>,
    /// Set if creating a node failed (out of memory): later operations on that node become
    /// no-ops on the document instead of panicking.
    failed: Cell<bool>,
    /// How many parse errors the parser reported (an XML document with any is not
    /// well-formed).
    errors: Rc<Cell<usize>>,
    /// The name of each element this sink created, by node: the tree builder asks for the
    /// names on its stack of open elements at every token (scanning the whole stack for
    /// "in scope"), so it must be cheap; finding the element interface of a node is not.
    names: RefCell<HashMap<usize, (Namespace, LocalName)>>,
}

/// A node's identity while it lives (its data does not move).
fn node_key(node: &Dom<'_, Node<'_>>) -> usize {
    &**node as *const Node<'_> as usize
}

impl<'js> Sink<'js> {
    fn doc_node(&self) -> Dom<'js, Node<'js>> {
        self.document.upcast()
    }
    fn or_document(&self, r: Fallible<Dom<'js, Node<'js>>>) -> Dom<'js, Node<'js>> {
        r.unwrap_or_else(|_| {
            self.failed.set(true);
            self.doc_node()
        })
    }
    fn text_node(&self, text: &str) -> Option<Dom<'js, Node<'js>>> {
        Text::create(&self.ctx, &self.document, text.to_string())
            .map(|t| t.upcast::<Node>())
            .ok()
    }
    /// Inserts `child` (a node, or text merged into an adjacent Text node) into `parent`
    /// before `before`.
    fn insert(
        &self,
        parent: &Dom<'js, Node<'js>>,
        before: Option<&Dom<'js, Node<'js>>>,
        child: NodeOrText<Dom<'js, Node<'js>>>,
    ) {
        match child {
            NodeOrText::AppendNode(n) => {
                if n.ptr_eq(parent) || n.is_document() {
                    return;
                }
                node::insert(&self.ctx, &n, parent, before, false);
            }
            NodeOrText::AppendText(text) => {
                let children = parent.child_list();
                let prev = match before {
                    Some(b) => children
                        .iter()
                        .position(|c| c.ptr_eq(b))
                        .and_then(|i| i.checked_sub(1))
                        .map(|i| children[i].clone()),
                    None => children.last().cloned(),
                };
                if let Some(prev) = prev.filter(|p| p.node_type_() == TEXT_NODE) {
                    if let Some(cd) = node::downcast::<CharacterData>(&prev) {
                        cd.append_str(&text);
                        return;
                    }
                }
                if let Some(t) = self.text_node(&text) {
                    node::insert(&self.ctx, &t, parent, before, false);
                }
            }
        }
    }
}

fn attrs_of(attrs: Vec<Attribute>) -> Vec<(String, String)> {
    attrs
        .into_iter()
        .map(|a| {
            let name = match &a.name.prefix {
                Some(p) => format!("{}:{}", p, a.name.local),
                None => a.name.local.to_string(),
            };
            (name, a.value.to_string())
        })
        .collect()
}

impl<'js> TreeSink for Sink<'js> {
    type Handle = Dom<'js, Node<'js>>;
    type Output = ();
    type ElemName<'a>
        = OwnedElemName
    where
        Self: 'a;

    fn finish(self) {}

    fn parse_error(&self, msg: Cow<'static, str>) {
        log::trace!(target: "script", "parse error: {msg}");
        self.errors.set(self.errors.get() + 1);
    }

    fn get_document(&self) -> Self::Handle {
        self.doc_node()
    }

    fn elem_name<'a>(&'a self, target: &'a Self::Handle) -> OwnedElemName {
        if let Some((ns, local)) = self.names.borrow().get(&node_key(target)) {
            return OwnedElemName(ns.clone(), local.clone());
        }
        match node::downcast::<Element>(target) {
            Some(e) => OwnedElemName(e.qual_name().ns.clone(), e.qual_name().local.clone()),
            None => OwnedElemName(Namespace::from(""), LocalName::from("")),
        }
    }

    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<Attribute>,
        _flags: ElementFlags,
    ) -> Self::Handle {
        let (ns, local) = (name.ns.clone(), name.local.clone());
        let r = crate::dom::create::create_element(
            &self.ctx,
            &self.document,
            name,
            attrs_of(attrs),
            true,
        )
        .map(|e| e.upcast::<Node>());
        let node = self.or_document(r);
        if !node.is_document() {
            self.names.borrow_mut().insert(node_key(&node), (ns, local));
        }
        node
    }

    fn create_comment(&self, text: StrTendril) -> Self::Handle {
        let r = Comment::create(&self.ctx, &self.document, text.to_string())
            .map(|c| c.upcast::<Node>());
        self.or_document(r)
    }

    /// Processing instructions only occur in XML; an HTML parser makes comments of them.
    fn create_pi(&self, _target: StrTendril, data: StrTendril) -> Self::Handle {
        self.create_comment(data)
    }

    fn append(&self, parent: &Self::Handle, child: NodeOrText<Self::Handle>) {
        self.insert(parent, None, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &Self::Handle,
        prev_element: &Self::Handle,
        child: NodeOrText<Self::Handle>,
    ) {
        if element.parent_node().is_some() {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        if let Ok(d) = DocumentType::create(
            &self.ctx,
            &self.document,
            name.to_string(),
            public_id.to_string(),
            system_id.to_string(),
        ) {
            node::insert(&self.ctx, &d.upcast(), &self.doc_node(), None, false);
        }
    }

    fn mark_script_already_started(&self, node: &Self::Handle) {
        if let Some(s) = node::downcast::<HTMLScriptElement>(node) {
            s.set_already_started();
        }
    }

    /// The template's contents fragment (its nodes belong to an inert document).
    fn get_template_contents(&self, target: &Self::Handle) -> Self::Handle {
        let contents = node::downcast::<crate::dom::htmltemplateelement::HTMLTemplateElement>(
            target,
        )
        .map(|t| crate::dom::htmltemplateelement::HTMLTemplateElement::contents(&t, &self.ctx));
        match contents {
            Some(Ok(fragment)) => fragment.upcast(),
            _ => self.or_document(Err(Error::invalid_state("not a template"))),
        }
    }

    fn same_node(&self, x: &Self::Handle, y: &Self::Handle) -> bool {
        x.ptr_eq(y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.document.set_quirks(mode == QuirksMode::Quirks);
    }

    fn append_before_sibling(&self, sibling: &Self::Handle, new_node: NodeOrText<Self::Handle>) {
        if let Some(parent) = sibling.parent_node() {
            self.insert(&parent, Some(sibling), new_node)
        }
    }

    fn add_attrs_if_missing(&self, target: &Self::Handle, attrs: Vec<Attribute>) {
        let Some(e) = node::downcast::<Element>(target) else {
            return;
        };
        for (name, value) in attrs_of(attrs) {
            if !e.has_attr(&name) {
                e.set_attr(&self.ctx, &e, &name, value);
            }
        }
    }

    fn remove_from_parent(&self, target: &Self::Handle) {
        node::remove(target);
    }

    fn reparent_children(&self, node: &Self::Handle, new_parent: &Self::Handle) {
        for c in node.child_list() {
            node::insert(&self.ctx, &c, new_parent, None, false);
        }
    }
}

/// A document's HTML parser (<https://html.spec.whatwg.org/#html-parser>), with the whole
/// input already received.
pub struct ServoParser<'js> {
    tokenizer: Tokenizer<TreeBuilder<Dom<'js, Node<'js>>, Sink<'js>>>,
    input: BufferQueue,
    /// Set while [`resume`] runs, so a script that finishes loading meanwhile does not
    /// re-enter the tokenizer.
    running: Cell<bool>,
}

impl<'js> ServoParser<'js> {
    pub fn new(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>, text: &str) -> ServoParser<'js> {
        let sink = Sink::new(ctx, document);
        let tree_builder = TreeBuilder::new(
            sink,
            TreeBuilderOpts {
                scripting_enabled: true,
                ..Default::default()
            },
        );
        let tokenizer = Tokenizer::new(tree_builder, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(text));
        ServoParser {
            tokenizer,
            input,
            running: Cell::new(false),
        }
    }
}

/// Runs the parser until it ends or waits for a parser-blocking script; after parsing, goes
/// on with "the end" (which may be waiting for a deferred script).
pub fn resume<'js>(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) {
    let parser = document.parser.borrow().clone();
    let Some(parser) = parser else {
        if document.stage.get() == LoadStage::Deferred {
            continue_the_end(ctx, document);
        }
        return;
    };
    if parser.running.replace(true) {
        return;
    }
    loop {
        if crate::script_thread::shutting_down() {
            break;
        }
        // A pending parsing-blocking script: run it once it is ready, else stay paused.
        let pending = document.scripts.borrow().pending_parsing_blocking.clone();
        if let Some(script) = pending {
            if !script.is_ready() {
                break;
            }
            document.scripts.borrow_mut().pending_parsing_blocking = None;
            htmlscriptelement::execute(ctx, &script);
            continue;
        }
        match parser.tokenizer.feed(&parser.input) {
            TokenizerResult::Script(handle) => {
                // The tree builder saw </script>: prepare the script element (an inline one
                // runs now; an external parser-blocking one pauses the loop above).
                if let Some(script) = node::downcast::<HTMLScriptElement>(&handle) {
                    htmlscriptelement::prepare(ctx, &script);
                }
            }
            // A <meta charset> after decoding started: the input is already decoded (the
            // response's charset or UTF-8), so the parser goes on.
            // TODO(meta charset re-decoding): re-decode with the indicated encoding.
            TokenizerResult::EncodingIndicator(_) => {}
            TokenizerResult::Done => {
                parser.tokenizer.end();
                document.parser.borrow_mut().take();
                parser.running.set(false);
                the_end(ctx, document);
                return;
            }
        }
    }
    parser.running.set(false);
}

/// <https://html.spec.whatwg.org/#the-end>, steps 1-5.
fn the_end<'js>(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) {
    // Step 2. Update the current document readiness to "interactive".
    Document::set_ready_state(document, ctx, DocumentReadyState::Interactive);
    document.stage.set(LoadStage::Deferred);
    continue_the_end(ctx, document);
}

/// "The end", steps 5-6: run the deferred scripts in order as they become ready, then queue
/// DOMContentLoaded; then wait for the load event ([`Document::check_load`]).
fn continue_the_end<'js>(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) {
    loop {
        let first = document.scripts.borrow().deferred.first().cloned();
        let Some(first) = first else { break };
        if !first.is_ready() {
            return;
        }
        htmlscriptelement::execute(ctx, &first);
        document.scripts.borrow_mut().deferred.remove(0);
    }
    document.stage.set(LoadStage::WaitingForLoad);
    // Step 6. Queue a global task to fire DOMContentLoaded (bubbles) at the document.
    if let Some(global) = GlobalScope::current(ctx) {
        let doc = document.clone();
        global.queue_task(Box::new(move |ctx| {
            crate::dom::eventtarget::fire_event(
                ctx,
                &doc.upcast(),
                "DOMContentLoaded",
                true,
                false,
            )?;
            // Step 6.4. Enable the client message queue of the ServiceWorkerContainer whose
            // service worker client is the document's relevant settings object.
            if let Some(global) = GlobalScope::current(ctx) {
                crate::dom::serviceworkercontainer::enable_client_message_queue(&global);
            }
            Ok(())
        }));
    }
    // Steps 7-9.
    document.check_load(ctx);
}

/// What a navigation reports: the load event fired, or why the page did not load.
pub type LoadCallback = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Navigates the current window to `url` (a simplified "navigate" + "load a document" for
/// an HTML response): fetch, make the window's document from the response (its CSP
/// headers become the window's policies), parse it. `done` is called once the load event
/// has fired, or with the reason the page failed to load.
pub fn load_page(ctx: &Ctx<'_>, url: String, done: LoadCallback) {
    let Some(global) = GlobalScope::current(ctx) else {
        done(Err("no global".into()));
        return;
    };
    let mut request = RequestData::get(&url);
    request.mode = RequestMode::Navigate;
    request.credentials = CredentialsMode::Include;
    // A frame's window navigates as an iframe (its container's request destination).
    request.destination = if crate::nested::parent_of(ctx).is_some() {
        Destination::Iframe
    } else {
        Destination::Document
    };
    let done = std::sync::Arc::new(parking_lot::Mutex::new(Some(done)));
    let on_fail = done.clone();
    let started = crate::dom::fetch::fetch_bytes(
        &global,
        FetchRequest {
            request,
            origin: global.info().origin.clone(),
            secure_context: global.info().secure_context,
            unsafe_response: true,
            cancel: Default::default(),
        },
        move |ctx, result| {
            let Some(done) = done.lock().take() else {
                return;
            };
            match result {
                Ok((meta, body)) => {
                    if let Err(e) = start_document(ctx, meta, body, done) {
                        log::warn!(target: "script", "loading {url}: {e:?}");
                    }
                }
                Err(e) => done(Err(format!("{url}: {e}"))),
            }
        },
    );
    if !started {
        if let Some(done) = on_fail.lock().take() {
            done(Err("this global has no network access".into()));
        }
    }
}

/// Loads a document made of `text` (a `srcdoc`) at `url` into the current window, as a
/// response of `content_type` would be; `done` as for [`load_page`].
pub fn load_document_text(
    ctx: &Ctx<'_>,
    url: url::Url,
    content_type: &str,
    text: String,
    done: LoadCallback,
) {
    let mut meta = net_traits::ResponseMeta {
        url_list: vec![url.to_string()],
        status: 200,
        ..Default::default()
    };
    meta.headers.push((
        "content-type".into(),
        format!("{content_type};charset=utf-8").as_str().into(),
    ));
    if let Err(e) = start_document(ctx, meta, text.into_bytes(), done) {
        log::warn!(target: "script", "loading {url}: {e:?}");
    }
}

/// The header's media type essence, e.g. `text/html`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn start_document<'js>(
    ctx: &Ctx<'js>,
    meta: net_traits::ResponseMeta,
    body: Vec<u8>,
    done: LoadCallback,
) -> Fallible<()> {
    let Some(global) = GlobalScope::current(ctx) else {
        return Ok(());
    };
    let url_string = meta.url_list.last().cloned().unwrap_or_default();
    let url = url::Url::parse(&url_string).map_err(|e| Error::Type(e.to_string()))?;
    let content_type = meta
        .header_values("content-type")
        .into_iter()
        .next()
        .unwrap_or_else(|| "text/html".into());
    // The response's Referrer-Policy becomes the window's.
    if let Some(policy) =
        net_traits::security::parse_referrer_policy(&meta.header_values("referrer-policy"))
    {
        global.set_referrer_policy(policy);
    }
    // The response's Content-Security-Policy headers become the window's policies.
    for value in meta.header_values("content-security-policy") {
        global.add_csp_policies(crate::csp::parse_policy_list(
            &value,
            crate::csp::Source::Header,
        ));
    }
    // Decode: the charset parameter, else a BOM, else UTF-8.
    let encoding = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .find_map(|label| encoding_rs::Encoding::for_label(label.trim_matches('"').as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(&body);
    let document = Document::new_for_window(ctx, url, &essence(&content_type))?;
    *document.on_load.borrow_mut() = Some(Box::new(move || done(Ok(()))));
    global.set_document(document.clone());
    if let Some(window) = crate::dom::window::current_window(ctx) {
        window.document_url_changed(&document.url_value());
    }
    if !meta.ok() {
        log::warn!(target: "script", "{url_string}: status {}", meta.status);
    }
    let parser = ServoParser::new(ctx, &document, &text);
    *document.parser.borrow_mut() = Some(Rc::new(parser));
    resume(ctx, &document);
    Ok(())
}

impl<'js> Sink<'js> {
    fn new(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) -> Sink<'js> {
        Sink {
            ctx: ctx.clone(),
            document: document.clone(),
            failed: Cell::new(false),
            errors: Rc::new(Cell::new(0)),
            names: RefCell::new(HashMap::new()),
        }
    }
}

/// <https://html.spec.whatwg.org/#parse-html-from-a-string>: `text` parsed into `document`
/// (a document without a browsing context), scripting disabled, all at once.
pub fn parse_html_from_a_string<'js>(
    ctx: &Ctx<'js>,
    document: &Dom<'js, Document<'js>>,
    text: &str,
) {
    use html5ever::tendril::TendrilSink;
    let opts = html5ever::ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::driver::parse_document(Sink::new(ctx, document), opts)
        .one(StrTendril::from_slice(text));
}

/// An XML document parsed from `text` into `document` with xml5ever; whether it was
/// well-formed (no parse error).
pub fn parse_xml_from_a_string<'js>(
    ctx: &Ctx<'js>,
    document: &Dom<'js, Document<'js>>,
    text: &str,
) -> bool {
    use xml5ever::tendril::TendrilSink;
    let sink = Sink::new(ctx, document);
    let errors = sink.errors.clone();
    xml5ever::driver::parse_document(sink, xml5ever::driver::XmlParseOpts::default())
        .one(xml5ever::tendril::StrTendril::from_slice(text));
    errors.get() == 0
}

/// <https://html.spec.whatwg.org/#html-fragment-parsing-algorithm>: parses `markup` as the
/// children of an element like `context`, in a new inert document (so nothing runs or
/// loads); returns the resulting nodes (they still belong to that document).
pub fn parse_fragment<'js>(
    ctx: &Ctx<'js>,
    context: &Dom<'js, Element<'js>>,
    markup: &str,
) -> Fallible<Vec<Dom<'js, Node<'js>>>> {
    use html5ever::tendril::TendrilSink;
    // Step 1. A new Document (HTML, no browsing context).
    let context_doc = node::node_document(&context.upcast())
        .ok_or_else(|| Error::invalid_state("no node document"))?;
    let document = context_doc.new_inert(ctx)?;
    let sink = Sink::new(ctx, &document);
    // Steps 4-14: the tokenizer state and insertion mode come from the context element;
    // html5ever makes the root html element and marks scripts as already started.
    let parser = html5ever::driver::parse_fragment(
        sink,
        html5ever::ParseOpts::default(),
        context.qual_name().clone(),
        Vec::new(),
        true,
    );
    parser.one(StrTendril::from_slice(markup));
    // Step 16. The root's children, in tree order.
    let root = node::element_children(&document.upcast())
        .into_iter()
        .next();
    Ok(root
        .map(|r| r.upcast::<Node>().child_list())
        .unwrap_or_default())
}

/// <https://html.spec.whatwg.org/#serialising-html-fragments>: the HTML serialization of
/// `node`'s children (`include_node`: of `node` itself, for outerHTML).
pub fn serialize<'js>(node: &Dom<'js, Node<'js>>, include_node: bool) -> String {
    use crate::dom::htmltemplateelement::HTMLTemplateElement;
    enum Step<'js> {
        Enter(Dom<'js, Node<'js>>),
        Close(String),
    }
    // A template's children are its contents.
    let children_of = |n: &Dom<'js, Node<'js>>| -> Vec<Dom<'js, Node<'js>>> {
        match node::downcast::<HTMLTemplateElement>(n) {
            Some(t) => t
                .content_if_made()
                .map(|c| c.upcast::<Node>().child_list())
                .unwrap_or_default(),
            None => n.child_list(),
        }
    };
    let mut out = String::new();
    let mut stack: Vec<Step<'js>> = if include_node {
        vec![Step::Enter(node.clone())]
    } else {
        children_of(node)
            .into_iter()
            .rev()
            .map(Step::Enter)
            .collect()
    };
    while let Some(step) = stack.pop() {
        let n = match step {
            Step::Close(tag) => {
                out.push_str(&tag);
                continue;
            }
            Step::Enter(n) => n,
        };
        match n.node_type_() {
            node::ELEMENT_NODE => {
                let Some(e) = node::downcast::<Element>(&n) else {
                    continue;
                };
                // The qualified name: the local name for HTML, SVG and MathML elements.
                let tag = e.local_name_().to_string();
                out.push('<');
                out.push_str(&tag);
                for (name, value) in e.attrs_clone() {
                    out.push(' ');
                    out.push_str(&name);
                    out.push_str("=\"");
                    escape(&value, true, &mut out);
                    out.push('"');
                }
                out.push('>');
                // Void elements have no children and no end tag.
                const VOID: &[&str] = &[
                    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
                    "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
                ];
                if e.is_html() && VOID.contains(&tag.as_str()) {
                    continue;
                }
                stack.push(Step::Close(format!("</{tag}>")));
                stack.extend(children_of(&n).into_iter().rev().map(Step::Enter));
            }
            node::TEXT_NODE | node::CDATA_SECTION_NODE => {
                let data = node::downcast::<crate::dom::characterdata::CharacterData>(&n)
                    .map(|c| c.data_())
                    .unwrap_or_default();
                // Text in raw text elements is written as is.
                let raw = n
                    .parent_node()
                    .and_then(|p| node::downcast::<Element>(&p))
                    .is_some_and(|p| {
                        p.is_html()
                            && matches!(
                                p.local_name_(),
                                "style"
                                    | "script"
                                    | "xmp"
                                    | "iframe"
                                    | "noembed"
                                    | "noframes"
                                    | "plaintext"
                                    | "noscript"
                            )
                    });
                if raw {
                    out.push_str(&data);
                } else {
                    escape(&data, false, &mut out);
                }
            }
            node::PROCESSING_INSTRUCTION_NODE => {
                if let Some(p) =
                    node::downcast::<crate::dom::processinginstruction::ProcessingInstruction>(&n)
                {
                    out.push_str("<?");
                    out.push_str(p.target_());
                    out.push(' ');
                    out.push_str(
                        &p.upcast::<crate::dom::characterdata::CharacterData>()
                            .data_(),
                    );
                    out.push('>');
                }
            }
            node::COMMENT_NODE => {
                let data = node::downcast::<crate::dom::characterdata::CharacterData>(&n)
                    .map(|c| c.data_())
                    .unwrap_or_default();
                out.push_str("<!--");
                out.push_str(&data);
                out.push_str("-->");
            }
            node::DOCUMENT_TYPE_NODE => {
                if let Some(d) = node::downcast::<crate::dom::documenttype::DocumentType>(&n) {
                    out.push_str("<!DOCTYPE ");
                    out.push_str(d.name_());
                    out.push('>');
                }
            }
            _ => stack.extend(children_of(&n).into_iter().rev().map(Step::Enter)),
        }
    }
    out
}

/// <https://html.spec.whatwg.org/#escapingString>
fn escape(s: &str, attribute: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '"' if attribute => out.push_str("&quot;"),
            '<' if !attribute => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}
