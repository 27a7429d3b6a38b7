//! <https://html.spec.whatwg.org/#the-workerglobalscope-common-interface>

use crate::dom::bindings::codegen::GlobalKind;
use crate::dom::bindings::codegen::WorkerGlobalScopeBinding::WorkerGlobalScopeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::{GlobalScope, IsGlobal, PortTarget};
use crate::dom::worker::WorkerStart;
use net_traits::{
    CredentialsMode, Destination, FetchEvent, FetchRequest, RequestData, RequestMode,
};

/// <https://html.spec.whatwg.org/#workerglobalscope>
pub struct WorkerGlobalScope<'js> {
    global: GlobalScope<'js>,
    /// The WorkerLocation object (one per global, made when first asked for).
    location: crate::dom::bindings::cell::DomRefCell<
        Option<Dom<'js, crate::dom::workerlocation::WorkerLocation<'js>>>,
    >,
    /// The WorkerNavigator object (made when first asked for).
    navigator: crate::dom::bindings::cell::DomRefCell<
        Option<Dom<'js, crate::dom::workernavigator::WorkerNavigator<'js>>>,
    >,
}

impl<'js> WorkerGlobalScope<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> WorkerGlobalScope<'js> {
        WorkerGlobalScope {
            global,
            location: Default::default(),
            navigator: Default::default(),
        }
    }
}

impl<'js> IsGlobal<'js> for WorkerGlobalScope<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        &self.global
    }
}

impl<'js> HasParent<'js> for WorkerGlobalScope<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        self.global.event_target()
    }
}

impl<'js> Trace<'js> for WorkerGlobalScope<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.global.trace(tracer);
        self.location.trace(tracer);
        self.navigator.trace(tracer);
    }
}

impl<'js> WorkerGlobalScopeMethods<'js> for WorkerGlobalScope<'js> {
    /// The WorkerLocation object of this global's URL (the same object every time).
    fn location(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::workerlocation::WorkerLocation<'js>>> {
        if let Some(l) = self.location.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = reflect_dom_object(
            &cx.ctx,
            crate::dom::workerlocation::WorkerLocation::new_inherited(&self.global.info().url),
        )?;
        *self.location.borrow_mut() = Some(l.clone());
        Ok(l)
    }
    fn navigator(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::workernavigator::WorkerNavigator<'js>>> {
        if let Some(n) = self.navigator.borrow().as_ref() {
            return Ok(n.clone());
        }
        let n = reflect_dom_object(
            &cx.ctx,
            crate::dom::workernavigator::WorkerNavigator::new_inherited(),
        )?;
        *self.navigator.borrow_mut() = Some(n.clone());
        Ok(n)
    }
    fn self_(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, WorkerGlobalScope<'js>>> {
        <WorkerGlobalScope as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))
    }
    /// <https://html.spec.whatwg.org/#dom-workerglobalscope-importscripts>
    fn importScripts(&self, cx: &Cx<'js>, urls: Vec<USVString>) -> Fallible<()> {
        import_scripts(cx, &self.global, urls)
    }
    crate::window_or_worker_global_scope_methods!();
}

/// <https://html.spec.whatwg.org/#import-scripts-into-worker-global-scope>
// TODO(service workers): a service worker may only import scripts before it is installed
// (or from its script resource map); that restriction comes with the service worker issue.
fn import_scripts<'js>(
    cx: &Cx<'js>,
    global: &GlobalScope<'js>,
    urls: Vec<USVString>,
) -> Fallible<()> {
    // Step 1. A module worker's importScripts() throws a TypeError.
    if crate::module_scripts::is_module_worker() {
        return Err(Error::Type(
            "importScripts() cannot be used in a module worker (use import)".into(),
        ));
    }
    // Step 3. If urls is empty, return.
    if urls.is_empty() {
        return Ok(());
    }
    // Step 4-5. Parse every URL first, relative to the API base URL: a failure is a
    // "SyntaxError" DOMException and nothing is fetched.
    let mut records = Vec::new();
    for u in &urls {
        let parsed = global.parse_url(u).map_err(|_| {
            Error::dom(
                DomErrorName::SyntaxError,
                format!("importScripts: '{u}' is not a valid URL"),
            )
        })?;
        records.push(parsed);
    }
    // Step 6. For each URL: fetch a classic worker-imported script (a failure is a
    // "NetworkError" DOMException), then run it, rethrowing its exceptions.
    for url in records {
        // CSP: the worker's own policy (script-src-elem and its fallbacks) governs imports.
        if let Some(directive) = crate::csp::blocks_request(
            &global.csp_policies(),
            &url,
            Destination::Script,
            &global.info().url,
        ) {
            return Err(Error::dom(
                DomErrorName::NetworkError,
                format!(
                    "importScripts: '{url}' is blocked by Content Security Policy ({directive})"
                ),
            ));
        }
        let source = import_script_source(global, &url).map_err(|e| {
            Error::dom(
                DomErrorName::NetworkError,
                format!("importScripts: the script at '{url}' failed to load ({e})"),
            )
        })?;
        crate::script_thread::run_classic_script(&cx.ctx, source, url.as_str(), true)?;
    }
    Ok(())
}

/// "Fetch a classic worker-imported script": a service worker's goes through its script
/// resource map (Service Workers' perform the fetch hook for importScripts); other workers
/// fetch it.
fn import_script_source(global: &GlobalScope<'_>, url: &url::Url) -> Result<String, String> {
    let fetch = || {
        fetch_script_blocking(
            global,
            url.as_str(),
            Destination::Script,
            RequestMode::NoCors,
            CredentialsMode::Include,
        )
    };
    let (Some((_, worker)), Some(sw)) =
        (global.info().service_worker, &global.info().service_workers)
    else {
        return fetch().map(|(source, _)| source);
    };
    use crate::service_workers::ImportedScript;
    match sw.imported_script(worker, url) {
        ImportedScript::Stored(body) => Ok(encoding_rs::UTF_8
            .decode_with_bom_removal(&body)
            .0
            .into_owned()),
        ImportedScript::Refused => Err(
            "an installed service worker can only import the scripts it imported while installing"
                .into(),
        ),
        ImportedScript::Fetch => {
            let (source, _) = fetch()?;
            sw.store_imported_script(
                worker,
                url,
                source.clone().into_bytes(),
                "text/javascript".into(),
            );
            Ok(source)
        }
    }
}

/// <https://mimesniff.spec.whatwg.org/#javascript-mime-type>
pub fn is_javascript_mime_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/ecmascript"
            | "application/javascript"
            | "application/x-ecmascript"
            | "application/x-javascript"
            | "text/ecmascript"
            | "text/javascript"
            | "text/javascript1.0"
            | "text/javascript1.1"
            | "text/javascript1.2"
            | "text/javascript1.3"
            | "text/javascript1.4"
            | "text/javascript1.5"
            | "text/jscript"
            | "text/livescript"
            | "text/x-ecmascript"
            | "text/x-javascript"
    )
}

/// Fetches a classic worker script or worker-imported script, blocking this thread (a
/// worker's own, where HTML fetches them synchronously). The checks of "fetch a classic
/// worker(-imported) script": an ok status, and a JavaScript MIME type for HTTP(S).
/// Returns the script's source, decoded as UTF-8, and the response's Content-Security-Policy
/// header values (a worker's policy container comes from its script's response).
pub fn fetch_script_blocking(
    global: &GlobalScope<'_>,
    url: &str,
    destination: Destination,
    mode: RequestMode,
    credentials: CredentialsMode,
) -> Result<(String, ScriptPolicies), String> {
    let (meta, body) = fetch_script_response_blocking(global, url, destination, mode, credentials)?;
    let is_http = url.starts_with("http:") || url.starts_with("https:");
    let content_type = content_type_of(&meta);
    if is_http && !is_javascript_mime_type(&content_type) {
        return Err(format!("'{content_type}' is not a JavaScript MIME type"));
    }
    let policies = script_policies(&meta);
    // UTF-8 decode (a BOM is removed; invalid bytes become U+FFFD).
    let (text, _) = encoding_rs::UTF_8.decode_with_bom_removal(&body);
    Ok((text.into_owned(), policies))
}

/// What a worker script's response sets of the worker's policy container.
fn script_policies(meta: &net_traits::ResponseMeta) -> ScriptPolicies {
    ScriptPolicies {
        csp: meta.header_values("content-security-policy"),
        referrer_policy: net_traits::security::parse_referrer_policy(
            &meta.header_values("referrer-policy"),
        ),
    }
}

/// The first `Content-Type` value of a response ("" without one).
pub fn content_type_of(meta: &net_traits::ResponseMeta) -> String {
    meta.header_values("content-type")
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The fetch of a script the user agent makes blocking this thread (worker scripts,
/// imported scripts, imported modules): the response, whose status must be ok, and its
/// body.
pub fn fetch_script_response_blocking(
    global: &GlobalScope<'_>,
    url: &str,
    destination: Destination,
    mode: RequestMode,
    credentials: CredentialsMode,
) -> Result<(net_traits::ResponseMeta, Vec<u8>), String> {
    let fetcher = global
        .info()
        .fetcher
        .clone()
        .ok_or_else(|| "this global has no network access".to_string())?;
    let mut request = RequestData::get(url);
    request.mode = mode;
    request.credentials = credentials;
    request.destination = destination;
    request.policy_container = global.csp_list();
    global.resolve_client_referrer(&mut request);
    let (meta, body) = fetch_whole(
        &fetcher,
        FetchRequest {
            request,
            origin: global.info().origin.clone(),
            secure_context: global.info().secure_context,
            unsafe_response: true,
            cancel: Default::default(),
        },
        crate::script_thread::shutting_down,
    )?;
    if !meta.ok() {
        return Err(format!("the response's status is {}", meta.status));
    }
    Ok((meta, body))
}

/// What a worker script's response says of the worker's policy container: its
/// `Content-Security-Policy` values and its `Referrer-Policy`.
pub struct ScriptPolicies {
    pub csp: Vec<String>,
    pub referrer_policy: Option<String>,
}

/// Fetches `request` through `fetcher` and waits for the whole response (the user agent's
/// own script fetches, which run blocking off the event loop); `give_up` is asked every
/// 50 ms (a shutdown). A network error or giving up is the error.
pub fn fetch_whole(
    fetcher: &crate::global_handle::Fetcher,
    request: FetchRequest,
    give_up: impl Fn() -> bool,
) -> Result<(net_traits::ResponseMeta, Vec<u8>), String> {
    let (tx, rx) = crossbeam_channel::unbounded();
    fetcher.0.fetch(
        request,
        Box::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    let mut meta = None;
    let mut body = Vec::new();
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(FetchEvent::Response(m)) => meta = Some(m),
            Ok(FetchEvent::Body(bytes)) => body.extend_from_slice(&bytes),
            Ok(FetchEvent::Done) => break,
            Ok(FetchEvent::Failed(e)) => return Err(e),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if give_up() {
                    return Err("the fetch was given up (shutting down)".into());
                }
            }
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                return Err("the fetch ended without a response".into())
            }
        }
    }
    let meta = meta.ok_or_else(|| "no response".to_string())?;
    Ok((meta, body))
}

/// HTML "initialize a worker global scope's policy container": a worker whose URL is local
/// (blob:, data:) gets a clone of its creator's CSP list (for blob:, HTML names the blob URL
/// entry's environment, which is the creator here: a blob URL resolves in its own profile
/// only); any other worker the CSP of its script's response.
fn initialize_worker_policy_container(
    global: &GlobalScope<'_>,
    start: &WorkerStart,
    response: ScriptPolicies,
) {
    let local = url::Url::parse(&start.url)
        .map(|u| matches!(u.scheme(), "blob" | "data" | "about"))
        .unwrap_or(false);
    if local {
        global.add_csp_policies(start.creator_csp.clone());
        global.set_referrer_policy(start.creator_referrer_policy.clone());
        return;
    }
    if let Some(policy) = response.referrer_policy {
        global.set_referrer_policy(policy);
    }
    for value in response.csp {
        global.add_csp_policies(crate::csp::parse_policy_list(
            &value,
            crate::csp::Source::Header,
        ));
    }
}

/// A worker's script (or a module of its graph) could not be fetched: an error event at
/// the worker object, and this worker ends.
fn worker_script_failed(global: &GlobalScope<'_>, start: &WorkerStart) {
    let outside = start.parent.outside;
    start
        .parent
        .tasks
        .queue(move |ctx| crate::dom::worker::worker_load_failed(ctx, outside));
    global.close_worker();
}

/// "Fetch a module worker script graph", its top-level module: same-origin (HTML "fetch a
/// single module script" for a worker destination), ok, of a JavaScript MIME type; the
/// source and the response's policies.
fn fetch_module_worker_script(
    global: &GlobalScope<'_>,
    url: &str,
    destination: Destination,
    credentials: CredentialsMode,
) -> Result<(String, ScriptPolicies), String> {
    let (meta, body) = fetch_script_response_blocking(
        global,
        url,
        destination,
        RequestMode::SameOrigin,
        credentials,
    )?;
    let content_type = content_type_of(&meta);
    if !is_javascript_mime_type(&content_type) {
        return Err(format!("'{content_type}' is not a JavaScript MIME type"));
    }
    Ok((
        encoding_rs::UTF_8
            .decode_with_bom_removal(&body)
            .0
            .into_owned(),
        script_policies(&meta),
    ))
}

/// <https://html.spec.whatwg.org/#run-a-worker>, the part on the worker's thread: fetch the
/// script, adopt the inside port, run the script, then enable the inside port.
pub fn run_worker(ctx: &Ctx<'_>, start: WorkerStart) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let destination = match start.kind {
        GlobalKind::SharedWorkerGlobalScope => Destination::SharedWorker,
        _ => Destination::Worker,
    };
    let fetched = match start.module {
        // Fetch a classic worker script (same-origin, credentials same-origin).
        None => fetch_script_blocking(
            &global,
            &start.url,
            destination,
            RequestMode::SameOrigin,
            CredentialsMode::SameOrigin,
        ),
        // Fetch a module worker script graph: the top-level module same-origin, with the
        // worker's credentials mode (its descendants load when it runs).
        Some(credentials) => {
            fetch_module_worker_script(&global, &start.url, destination, credentials)
        }
    };
    let source = match fetched {
        Ok((s, policies)) => {
            initialize_worker_policy_container(&global, &start, policies);
            s
        }
        Err(e) => {
            // On failure: an error event at the worker object, and this worker ends.
            log::warn!(target: "script", "worker script {} failed to load: {e}", start.url);
            worker_script_failed(&global, &start);
            return;
        }
    };
    // The inside port: messages to this global (disabled until the script ran).
    if let Some(inside) = start.inside {
        global.profile().ports().adopt(inside, &global.info().tasks);
        global.ports.borrow_mut().insert(inside, PortTarget::Global);
        global.implicit_port.set(Some(inside));
    }
    match start.module {
        // Run the classic script (its exceptions are reported).
        None => {
            if let Err(e) = crate::script_thread::run_classic_script(ctx, source, &start.url, false)
            {
                GlobalScope::report_error(ctx, e);
            }
        }
        // Run the module script (its exceptions are reported); a module of its graph that
        // could not be fetched is a failure to load, as the script's own fetch is.
        Some(credentials) => {
            let options = crate::module_scripts::ModuleFetchOptions {
                destination,
                credentials,
            };
            if let Err(crate::module_scripts::TopLevelFailure::Fetch) =
                crate::module_scripts::run_a_top_level_module(ctx, &start.url, source, options)
            {
                worker_script_failed(&global, &start);
                return;
            }
        }
    }
    // Enable the inside port's port message queue.
    if let Some(inside) = start.inside {
        global.profile().ports().enable(inside);
    }
    // Enable the client message queue of the worker's ServiceWorkerContainer.
    crate::dom::serviceworkercontainer::enable_client_message_queue(&global);
}
