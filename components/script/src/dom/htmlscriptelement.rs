//! <https://html.spec.whatwg.org/#the-script-element>: classic scripts, inline and external,
//! parser-inserted and dynamically inserted, with the HTML processing model's four ways to
//! run (parser-blocking, deferred, in order as soon as possible, as soon as possible), and
//! module scripts (`type="module"`, inline and external; their graphs load through
//! [`crate::module_scripts`]). Import maps are not supported: such elements do not run.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLScriptElementBinding::HTMLScriptElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::globalscope::GlobalScope;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use crate::module_scripts::ModuleFetchOptions;
use html5ever::QualName;
use net_traits::{CredentialsMode, Destination, FetchRequest, RequestData, RequestMode};
use std::cell::Cell;

/// A script's result (<https://html.spec.whatwg.org/#concept-script-result>).
#[derive(Clone, Debug, Default)]
pub enum ScriptResult {
    /// "uninitialized": not ready yet.
    #[default]
    Uninitialized,
    /// null: the fetch failed (an `error` event fires instead of running).
    Failed,
    /// A classic script: its source text and URL (for error reports).
    Classic { source: String, url: String },
    /// A module script: the top-level module's source and URL (an inline one's is the
    /// document's base URL), whose graph loads when it runs.
    Module {
        source: String,
        url: String,
        inline: bool,
        options: ModuleFetchOptions,
    },
}

/// Which list of the preparation-time document the script is in (HTML "prepare the script
/// element", step 31).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheduling {
    None,
    /// The pending parsing-blocking script.
    ParserBlocking,
    /// "list of scripts that will execute when the document has finished parsing".
    Deferred,
    /// "list of scripts that will execute in order as soon as possible".
    InOrder,
    /// "set of scripts that will execute as soon as possible".
    Asap,
}

/// <https://html.spec.whatwg.org/#htmlscriptelement>
pub struct HTMLScriptElement<'js> {
    html: HTMLElement<'js>,
    /// The parser document (set for parser-inserted scripts until prepared).
    parser_document: DomRefCell<Option<Dom<'js, Document<'js>>>>,
    preparation_time_document: DomRefCell<Option<Dom<'js, Document<'js>>>>,
    force_async: Cell<bool>,
    from_external_file: Cell<bool>,
    already_started: Cell<bool>,
    result: DomRefCell<ScriptResult>,
    scheduling: Cell<Scheduling>,
    /// Whether this element delays its document's load event now.
    delaying_load: Cell<bool>,
}

impl<'js> HasParent<'js> for HTMLScriptElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLScriptElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        self.parser_document.trace(tracer);
        self.preparation_time_document.trace(tracer);
    }
}

impl<'js> HTMLScriptElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
        parser_inserted: bool,
    ) -> HTMLScriptElement<'js> {
        HTMLScriptElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            parser_document: DomRefCell::new(parser_inserted.then(|| document.clone())),
            preparation_time_document: DomRefCell::new(None),
            // Non-parser-inserted scripts start with force async true.
            force_async: Cell::new(!parser_inserted),
            from_external_file: Cell::new(false),
            already_started: Cell::new(false),
            result: DomRefCell::new(ScriptResult::Uninitialized),
            scheduling: Cell::new(Scheduling::None),
            delaying_load: Cell::new(false),
        }
    }
    fn element(&self) -> &Element<'js> {
        self.html.element()
    }
    pub fn is_already_started(&self) -> bool {
        self.already_started.get()
    }
    pub fn set_already_started(&self) {
        self.already_started.set(true);
    }
    pub fn is_ready(&self) -> bool {
        !matches!(*self.result.borrow(), ScriptResult::Uninitialized)
    }
    pub fn scheduling(&self) -> Scheduling {
        self.scheduling.get()
    }
    pub fn delays_load(&self) -> bool {
        self.delaying_load.get()
    }
}

/// <https://html.spec.whatwg.org/#script-processing-model>: the post-connection steps (and
/// the children changed steps, which do the same).
pub fn post_connection_steps<'js>(ctx: &Ctx<'js>, script: &Dom<'js, HTMLScriptElement<'js>>) {
    // Step 1. If insertedNode is not connected, return.
    if !node::is_connected(&script.upcast::<Node>()) {
        return;
    }
    // Step 2. If insertedNode is parser-inserted, return.
    if script.parser_document.borrow().is_some() {
        return;
    }
    // Step 3. Prepare the script element.
    prepare(ctx, script);
}

/// A src attribute set on a connected, non-parser-inserted script element that had none.
pub fn src_attribute_set<'js>(ctx: &Ctx<'js>, script: &Dom<'js, HTMLScriptElement<'js>>) {
    post_connection_steps(ctx, script);
}

/// <https://mimesniff.spec.whatwg.org/#javascript-mime-type-essence-match>
fn is_javascript_type(t: &str) -> bool {
    crate::dom::workerglobalscope::is_javascript_mime_type(t.trim())
}

/// <https://html.spec.whatwg.org/#prepare-the-script-element>
pub fn prepare<'js>(ctx: &Ctx<'js>, el: &Dom<'js, HTMLScriptElement<'js>>) {
    let element = el.element();
    let as_node = el.upcast::<Node>();
    // Step 1. If el's already started is true, then return.
    if el.already_started.get() {
        return;
    }
    // Steps 2-3. Let parser document be el's parser document; set it to null.
    let parser_document = el.parser_document.borrow_mut().take();
    // Step 4. If parser document is non-null and el has no async attribute, force async.
    if parser_document.is_some() && !element.has_attr("async") {
        el.force_async.set(true);
    }
    // Step 5. Let source text be el's child text content.
    let source_text = node::child_text_content(&as_node);
    // Step 6. No src attribute and empty source text: return.
    let src = element.get_attr("src");
    if src.is_none() && source_text.is_empty() {
        return;
    }
    // Step 7. If el is not connected, then return.
    if !node::is_connected(&as_node) {
        return;
    }
    // Step 8. The type: classic for a JavaScript MIME type (or none given), module for
    // "module"; anything else (import maps, data blocks) does not run here.
    let type_attr = element.get_attr("type");
    let language = element.get_attr("language");
    let module = type_attr.as_deref().is_some_and(|t| {
        t.trim_matches(|c: char| c.is_ascii_whitespace())
            .eq_ignore_ascii_case("module")
    });
    let classic = match (&type_attr, &language) {
        (Some(t), _) if !t.is_empty() => is_javascript_type(t),
        (None, Some(l)) if !l.is_empty() => is_javascript_type(&format!("text/{l}")),
        _ => true,
    };
    if !classic && !module {
        return;
    }
    // Step 9. If parser document is non-null, restore it and unset force async.
    if let Some(pd) = &parser_document {
        *el.parser_document.borrow_mut() = Some(pd.clone());
        el.force_async.set(false);
    }
    // Step 10. Set el's already started to true.
    el.already_started.set(true);
    // Step 11. Set el's preparation-time document to its node document.
    let Some(document) = node::node_document(&as_node) else {
        return;
    };
    *el.preparation_time_document.borrow_mut() = Some(document.clone());
    // Step 12. If parser document is non-null and is not the preparation-time document,
    // return.
    if parser_document
        .as_ref()
        .is_some_and(|pd| !pd.ptr_eq(&document))
    {
        return;
    }
    // Step 13. Scripting is disabled for documents without a browsing context.
    if !document.has_browsing_context() {
        return;
    }
    // Step 14. nomodule on a classic script: return.
    if classic && element.has_attr("nomodule") {
        return;
    }
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // Step 16. The `for`/`event` attributes: only `for=window event=onload` scripts run.
    if let (Some(for_), Some(event)) = (element.get_attr("for"), element.get_attr("event")) {
        let for_ = for_.trim_matches(|c: char| c.is_ascii_whitespace());
        let event = event.trim_matches(|c: char| c.is_ascii_whitespace());
        if !for_.eq_ignore_ascii_case("window")
            || !(event.eq_ignore_ascii_case("onload") || event.eq_ignore_ascii_case("onload()"))
        {
            return;
        }
    }
    // Step 15. CSP: an inline script may be blocked.
    if src.is_none() && !crate::csp::allows_inline_script(&global.csp_policies()) {
        log::warn!(target: "script", "an inline script was blocked by Content Security Policy");
        return;
    }
    // Step 18. The encoding: the charset attribute's, if it names one (else the
    // document's: UTF-8 here).
    let encoding = element
        .get_attr("charset")
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    // Step 19. The CORS setting from the crossorigin attribute.
    let cors = element.get_attr("crossorigin");
    // Step 26. If el has a src content attribute:
    if let Some(src) = &src {
        // Step 26.2. An empty src fires an error event.
        if src.is_empty() {
            queue_error_event(ctx, el);
            return;
        }
        // Step 26.3. Set el's from an external file to true.
        el.from_external_file.set(true);
        // Steps 26.4-26.5. Parse the URL relative to the document; failure: error event.
        let Ok(url) = document.parse_url(src) else {
            queue_error_event(ctx, el);
            return;
        };
        // Step 26.7. Delay the load event (until the script has run).
        el.delaying_load.set(true);
        document.delay_load(true);
        if module {
            // Step 26.8. Fetch an external module script graph.
            fetch_external_module_script(&global, el, &document, url, cors);
        } else {
            // Step 26.8. Fetch a classic script.
            fetch_classic_script(ctx, &global, el, &document, url, cors, encoding);
        }
    } else if module {
        // Step 27. Inline module: its graph is fetched when it runs (see
        // `module_scripts`); the result is ready now.
        *el.result.borrow_mut() = ScriptResult::Module {
            source: source_text,
            url: document.url_(),
            inline: true,
            options: module_fetch_options(cors.as_deref()),
        };
    } else {
        // Step 27. Inline: the result is a classic script made from the source text.
        *el.result.borrow_mut() = ScriptResult::Classic {
            source: source_text,
            url: document.url_(),
        };
    }
    // Step 31. Scheduling.
    let parser_inserted = parser_document.is_some();
    let has_async = element.has_attr("async");
    if module {
        schedule_module_script(ctx, &global, el, &document, has_async, parser_inserted);
    } else if src.is_some() && element.has_attr("defer") && parser_inserted && !has_async {
        // Step 31.2. Deferred until the document has finished parsing.
        el.scheduling.set(Scheduling::Deferred);
        document.scripts.borrow_mut().deferred.push(el.clone());
    } else if src.is_some() && parser_inserted && !has_async {
        // Step 31.3. The pending parsing-blocking script.
        el.scheduling.set(Scheduling::ParserBlocking);
        document.scripts.borrow_mut().pending_parsing_blocking = Some(el.clone());
    } else if src.is_some() && !has_async && !el.force_async.get() {
        // Step 31.4. In order, as soon as possible.
        el.scheduling.set(Scheduling::InOrder);
        document.scripts.borrow_mut().in_order.push(el.clone());
    } else if src.is_some() {
        // Step 31.5. As soon as possible.
        el.scheduling.set(Scheduling::Asap);
        document.scripts.borrow_mut().asap.push(el.clone());
    } else {
        // Step 32. Otherwise (inline): immediately execute (the parser-blocking case for
        // style sheets does not arise: there are no style sheets).
        execute(ctx, el);
    }
}

/// Step 31 of "prepare the script element" for a module script (external or inline).
fn schedule_module_script<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    el: &Dom<'js, HTMLScriptElement<'js>>,
    document: &Dom<'js, Document<'js>>,
    has_async: bool,
    parser_inserted: bool,
) {
    let _ = ctx;
    let scheduling = if has_async || el.force_async.get() {
        // Step 31.2. As soon as possible.
        document.scripts.borrow_mut().asap.push(el.clone());
        Scheduling::Asap
    } else if !parser_inserted {
        // Step 31.3. In order, as soon as possible.
        document.scripts.borrow_mut().in_order.push(el.clone());
        Scheduling::InOrder
    } else {
        // Step 31.4. Deferred (a module script is, whatever its defer attribute).
        document.scripts.borrow_mut().deferred.push(el.clone());
        Scheduling::Deferred
    };
    el.scheduling.set(scheduling);
    // An inline module's result is ready already: its "when ready" steps run in a task (a
    // deferred one waits for the end of parsing, which finds it ready).
    if el.is_ready() && scheduling != Scheduling::Deferred {
        let el = el.clone();
        global.queue_task(Box::new(move |ctx| {
            script_ready(ctx, &el);
            Ok(())
        }));
    }
}

/// The fetch options of a module script element: cors, with credentials from its
/// crossorigin attribute (missing or "anonymous": same-origin; "use-credentials": include).
fn module_fetch_options(cors: Option<&str>) -> ModuleFetchOptions {
    ModuleFetchOptions {
        destination: Destination::Script,
        credentials: match cors.map(|c| c.to_ascii_lowercase()) {
            Some(c) if c == "use-credentials" => CredentialsMode::Include,
            _ => CredentialsMode::SameOrigin,
        },
    }
}

/// <https://html.spec.whatwg.org/#fetch-an-external-module-script-graph>: the top-level
/// module is fetched without blocking (its descendants load when it runs); the response,
/// ok and of a JavaScript MIME type, makes the script ready.
fn fetch_external_module_script<'js>(
    global: &Dom<'js, GlobalScope<'js>>,
    el: &Dom<'js, HTMLScriptElement<'js>>,
    document: &Dom<'js, Document<'js>>,
    url: url::Url,
    cors: Option<String>,
) {
    let options = module_fetch_options(cors.as_deref());
    let mut request = RequestData::get(url.as_str());
    request.destination = Destination::Script;
    request.mode = RequestMode::Cors;
    request.credentials = options.credentials;
    fetch_top_level_script(global, el, document, url, request, move |meta, body| {
        let content_type = crate::dom::workerglobalscope::content_type_of(meta);
        if !crate::dom::workerglobalscope::is_javascript_mime_type(&content_type) {
            log::warn!(target: "script", "module script {}: '{content_type}' is not a JavaScript MIME type", meta.url_list.last().map(String::as_str).unwrap_or(""));
            return ScriptResult::Failed;
        }
        ScriptResult::Module {
            source: encoding_rs::UTF_8
                .decode_with_bom_removal(body)
                .0
                .into_owned(),
            url: meta.url_list.last().cloned().unwrap_or_default(),
            inline: false,
            options,
        }
    });
}

/// Fires `error` at the element in a task (steps 26.2 and 26.4).
fn queue_error_event<'js>(ctx: &Ctx<'js>, el: &Dom<'js, HTMLScriptElement<'js>>) {
    if let Some(global) = GlobalScope::current(ctx) {
        let el = el.clone();
        global.queue_task(Box::new(move |ctx| {
            crate::dom::eventtarget::fire_event(ctx, &el.upcast(), "error", false, false)?;
            Ok(())
        }));
    }
}

/// <https://html.spec.whatwg.org/#fetch-a-classic-script>: the response arrives as a task,
/// which marks the script ready.
fn fetch_classic_script<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    el: &Dom<'js, HTMLScriptElement<'js>>,
    document: &Dom<'js, Document<'js>>,
    url: url::Url,
    cors: Option<String>,
    encoding: &'static encoding_rs::Encoding,
) {
    let _ = ctx;
    // "create a potential-CORS request": no crossorigin attribute is no-cors with
    // credentials included; "anonymous" (or any unknown value) is cors + same-origin;
    // "use-credentials" is cors + include.
    let mut request = RequestData::get(url.as_str());
    request.destination = Destination::Script;
    match cors.as_deref().map(|c| c.to_ascii_lowercase()) {
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
    fetch_top_level_script(global, el, document, url, request, move |meta, body| {
        // The response's charset wins over the element's; a BOM wins over both.
        let from_header = meta
            .headers
            .iter()
            .find(|(n, _)| n.0.eq_ignore_ascii_case(b"content-type"))
            .and_then(|(_, v)| crate::dom::body::parse_mime(&v.0))
            .and_then(|(_, params)| {
                params
                    .into_iter()
                    .find(|(k, _)| k == "charset")
                    .and_then(|(_, v)| encoding_rs::Encoding::for_label(v.as_bytes()))
            });
        let (text, _, _) = from_header.unwrap_or(encoding).decode(body);
        ScriptResult::Classic {
            source: text.into_owned(),
            url: meta.url_list.last().cloned().unwrap_or_default(),
        }
    });
}

/// The fetch of a script element's top-level script (classic or module): CSP first, then
/// `request` from the document; an ok response becomes the element's result through
/// `make_result` (anything else is null), which makes the script ready in a task.
fn fetch_top_level_script<'js>(
    global: &Dom<'js, GlobalScope<'js>>,
    el: &Dom<'js, HTMLScriptElement<'js>>,
    document: &Dom<'js, Document<'js>>,
    url: url::Url,
    mut request: RequestData,
    make_result: impl FnOnce(&net_traits::ResponseMeta, &[u8]) -> ScriptResult + Send + 'static,
) {
    let fail = |el: &Dom<'js, HTMLScriptElement<'js>>| {
        *el.result.borrow_mut() = ScriptResult::Failed;
        let el = el.clone();
        global.queue_task(Box::new(move |ctx| {
            script_ready(ctx, &el);
            Ok(())
        }));
    };
    // CSP: script-src-elem (falling back to script-src, default-src).
    if let Some(directive) = crate::csp::blocks_request(
        &global.csp_policies(),
        &url,
        Destination::Script,
        &document.url_(),
    ) {
        log::warn!(target: "script", "{url} was blocked by Content Security Policy ({directive})");
        fail(el);
        return;
    }
    request.policy_container = global.csp_list();
    global.resolve_client_referrer(&mut request);
    let id = document.register_fetching_script(el.clone());
    let started = crate::dom::fetch::fetch_bytes(
        global,
        FetchRequest {
            request,
            origin: global.info().origin.clone(),
            secure_context: global.info().secure_context,
            // HTML uses the unsafe response (the body of an opaque no-cors script).
            unsafe_response: true,
            cancel: Default::default(),
        },
        move |ctx, result| {
            let Some(document) = crate::dom::window::associated_document(ctx) else {
                return;
            };
            let Some(el) = document.take_fetching_script(id) else {
                return;
            };
            // "If response is a network error or its status is not ok, the result is null."
            *el.result.borrow_mut() = match result {
                Ok((meta, body)) if meta.ok() => make_result(&meta, &body),
                Ok((meta, _)) => {
                    log::warn!(target: "script", "script {}: status {}", meta.url_list.last().map(String::as_str).unwrap_or(""), meta.status);
                    ScriptResult::Failed
                }
                Err(e) => {
                    log::warn!(target: "script", "script fetch failed: {e}");
                    ScriptResult::Failed
                }
            };
            script_ready(ctx, &el);
        },
    );
    if !started {
        let _ = document.take_fetching_script(id);
        fail(el);
    }
}

/// The script's result became ready: run what step 31 of "prepare the script element" set up
/// for that moment.
fn script_ready<'js>(ctx: &Ctx<'js>, el: &Dom<'js, HTMLScriptElement<'js>>) {
    let Some(document) = el.preparation_time_document.borrow().clone() else {
        return;
    };
    match el.scheduling.get() {
        // The parser (or "the end") is waiting for it.
        Scheduling::ParserBlocking | Scheduling::Deferred => {
            crate::dom::servoparser::resume(ctx, &document);
        }
        Scheduling::InOrder => run_in_order_scripts(ctx, &document),
        Scheduling::Asap => {
            // Execute the script element, then remove it from the set.
            execute(ctx, el);
            document.scripts.borrow_mut().asap.retain(|s| !s.ptr_eq(el));
        }
        Scheduling::None => execute(ctx, el),
    }
    document.check_load(ctx);
}

/// Step 31.4's "when the script is ready": run the ready scripts at the head of the list.
fn run_in_order_scripts<'js>(ctx: &Ctx<'js>, document: &Dom<'js, Document<'js>>) {
    loop {
        let first = document.scripts.borrow().in_order.first().cloned();
        let Some(first) = first else { break };
        if !first.is_ready() {
            break;
        }
        execute(ctx, &first);
        document.scripts.borrow_mut().in_order.remove(0);
    }
}

/// <https://html.spec.whatwg.org/#execute-the-script-element>
pub fn execute<'js>(ctx: &Ctx<'js>, el: &Dom<'js, HTMLScriptElement<'js>>) {
    let finish = |el: &Dom<'js, HTMLScriptElement<'js>>| {
        if el.delaying_load.replace(false) {
            if let Some(d) = el.preparation_time_document.borrow().as_ref() {
                d.delay_load(false);
            }
        }
    };
    // Step 1. Let document be el's node document.
    let as_node = el.upcast::<Node>();
    let document = node::node_document(&as_node);
    // Step 2. If el's preparation-time document is not document, return.
    let prep = el.preparation_time_document.borrow().clone();
    if !matches!((&prep, &document), (Some(a), Some(b)) if a.ptr_eq(b)) {
        finish(el);
        return;
    }
    let Some(document) = document else { return };
    // Step 4. If el's result is null, fire an event named error at el, and return.
    let result = std::mem::take(&mut *el.result.borrow_mut());
    let fire_error = |el: &Dom<'js, HTMLScriptElement<'js>>| {
        let _ = crate::dom::eventtarget::fire_event(ctx, &el.upcast(), "error", false, false);
    };
    match result {
        ScriptResult::Classic { source, url } => {
            // Steps 6.1-6.3. currentScript is el while it runs (restored after).
            let old = document.current_script.replace(Some(el.clone()));
            if let Err(e) = crate::script_thread::run_classic_script(ctx, source, &url, false) {
                GlobalScope::report_error(ctx, e);
            }
            *document.current_script.borrow_mut() = old;
        }
        ScriptResult::Module {
            source,
            url,
            inline,
            options,
        } => {
            use crate::module_scripts::{self as modules, ModuleFailure};
            // Step 6 (module). currentScript is null while it runs; run the module script
            // (its graph loads first: a module that cannot be fetched makes the result
            // null, so `error` fires).
            let old = document.current_script.replace(None);
            let run = if inline {
                modules::run_an_inline_module_script(ctx, &url, source, options)
            } else {
                modules::run_a_module_graph(ctx, &url, Some(source), options)
            };
            *document.current_script.borrow_mut() = old;
            match run {
                Ok(promise) => {
                    if let Err(e) = modules::report_rejection(ctx, &promise) {
                        GlobalScope::report_error(ctx, e);
                    }
                }
                Err(ModuleFailure::Fetch) => {
                    finish(el);
                    fire_error(el);
                    return;
                }
                Err(ModuleFailure::Exception(e)) => {
                    crate::dom::error_reporting::report_an_exception(ctx, e)
                }
            }
        }
        ScriptResult::Failed | ScriptResult::Uninitialized => {
            finish(el);
            fire_error(el);
            return;
        }
    }
    // "Clean up after running script": a microtask checkpoint when no script is running.
    crate::script_thread::clean_up_after_running_script(ctx);
    finish(el);
    // Step 8. If el's from an external file is true, fire an event named load at el.
    if el.from_external_file.get() {
        let _ = crate::dom::eventtarget::fire_event(ctx, &el.upcast(), "load", false, false);
    }
}

impl<'js> HTMLScriptElementMethods<'js> for HTMLScriptElement<'js> {
    /// `[ReflectURL] src`: the attribute parsed against the document's URL.
    fn src(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        let Some(v) = self.element().get_attr("src") else {
            return Ok(String::new());
        };
        let doc = node::node_document(&node::this_node(cx)?);
        Ok(match doc.and_then(|d| d.parse_url(&v).ok()) {
            Some(u) => u.to_string(),
            None => v,
        })
    }
    fn set_src(&self, cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        self.element()
            .set_attr(&cx.ctx, &this_element(cx)?, "src", value);
        Ok(())
    }
    fn noModule(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.element().has_attr("nomodule"))
    }
    fn set_noModule(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        self.element()
            .set_bool_attr(&cx.ctx, &this_element(cx)?, "nomodule", value);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-script-async>
    fn r#async(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        // Step 1. If this's force async is true, then return true.
        // Step 2-3. Otherwise whether this has an async content attribute.
        Ok(self.force_async.get() || self.element().has_attr("async"))
    }
    fn set_async(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        // Step 1. Set this's force async to false.
        self.force_async.set(false);
        // Steps 2-3. Set or remove the async content attribute.
        self.element()
            .set_bool_attr(&cx.ctx, &this_element(cx)?, "async", value);
        Ok(())
    }
    fn defer(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.element().has_attr("defer"))
    }
    fn set_defer(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        self.element()
            .set_bool_attr(&cx.ctx, &this_element(cx)?, "defer", value);
        Ok(())
    }
    /// The crossorigin attribute, limited to known values ("anonymous" is the invalid value
    /// default; missing is null).
    fn crossOrigin(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        Ok(self.element().get_attr("crossorigin").map(|v| {
            if v.eq_ignore_ascii_case("use-credentials") {
                "use-credentials".to_string()
            } else {
                "anonymous".to_string()
            }
        }))
    }
    fn set_crossOrigin(&self, cx: &Cx<'js>, value: Option<DOMString>) -> Fallible<()> {
        let this = this_element(cx)?;
        match value {
            Some(v) => self.element().set_attr(&cx.ctx, &this, "crossorigin", v),
            None => self.element().remove_attr(&cx.ctx, &this, "crossorigin"),
        }
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-script-text>: the child text content.
    fn text(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(node::child_text_content(&node::this_node(cx)?))
    }
    fn set_text(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        crate::dom::htmlelement::set_child_text(&cx.ctx, &node::this_node(cx)?, value)
    }
    /// <https://html.spec.whatwg.org/#dom-script-supports>: the script types this user
    /// agent runs. Only classic scripts do (module scripts and import maps are not
    /// supported), so only "classic" is true.
    fn supports(_cx: &Cx<'js>, type_: DOMString) -> Fallible<bool> {
        Ok(type_ == "classic")
    }
}
