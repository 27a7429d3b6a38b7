//! JavaScript module scripts (HTML "fetch a module script graph", "fetch a single module
//! script", "create a JavaScript module script", "run a module script", "resolve a module
//! specifier"): `<script type="module">`, module workers and service workers, static
//! `import`/`export`, dynamic `import()` and `import.meta`.
//!
//! QuickJS links a module graph synchronously: when a module is compiled, its runtime asks
//! the module loader (installed on every global's runtime by [`install`]) for each module it
//! imports, by the URL [`resolve_a_module_specifier`] made of the specifier. The loader
//! answers from the global's module sources (a top-level module fetched ahead, without
//! blocking the event loop) or fetches the module there and then, blocking this global's
//! thread (a documented approximation of HTML's parallel graph fetch: descendants load one
//! after the other while no other task of this global runs). QuickJS keeps every module it
//! loaded by URL, so a graph loads each URL once per global (HTML's module map); a failed
//! fetch is not kept and is tried again by a later import, as Chromium does.
//!
//! A service worker's imported modules go through its script resource map, as its
//! `importScripts()` does: fetched and stored while it is being installed, afterwards only
//! read from the map.
//!
//! Import maps are not supported: a bare specifier is a TypeError, as in a browser without
//! one. Module types: JavaScript and (with `with { type: "json" }`) JSON.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use net_traits::{CredentialsMode, Destination, RequestMode};
use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::module::Declared;
use rquickjs::{Exception, Module};
use std::cell::RefCell;
use std::collections::HashMap;

/// The fetch options of a module graph (HTML's "script fetch options" that matter here),
/// which its descendants inherit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleFetchOptions {
    pub destination: Destination,
    pub credentials: CredentialsMode,
}

impl Default for ModuleFetchOptions {
    /// The "default script fetch options" (dynamic `import()` from a classic script).
    fn default() -> Self {
        ModuleFetchOptions {
            destination: Destination::Script,
            credentials: CredentialsMode::SameOrigin,
        }
    }
}

/// This thread's global's module loading state (one global per thread).
#[derive(Default)]
struct ModuleState {
    /// Module sources fetched ahead (a top-level module), by URL: the loader takes them
    /// from here instead of fetching.
    fetched: HashMap<String, String>,
    /// The options of the graph being loaded.
    options: ModuleFetchOptions,
    /// This global is a module worker (or module service worker).
    module_worker: bool,
    /// A graph is being loaded (not a dynamic `import()`).
    loading_graph: bool,
    /// A module of the graph being loaded failed to fetch (HTML's null result: the script
    /// element gets an `error` event rather than an exception report).
    fetch_failed: bool,
}

thread_local! {
    static STATE: RefCell<ModuleState> = RefCell::new(ModuleState::default());
}

/// Installs the module resolver and loader on a global's runtime.
pub(crate) fn install(runtime: &rquickjs::Runtime) {
    runtime.set_loader(ModuleLoader, ModuleLoader);
}

/// The global's module resolver and loader (see the module documentation).
struct ModuleLoader;

/// Runs a loader step; a panic (a bug) must not unwind into QuickJS: it is reported to the
/// embedder and the import fails with a TypeError.
fn guarded<'js, T>(
    ctx: &Ctx<'js>,
    what: &str,
    f: impl FnOnce() -> rquickjs::Result<T>,
) -> rquickjs::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = crate::dom::bindings::panic::caught(ctx, what, &*payload);
            Err(Exception::throw_type(ctx, &message))
        }
    }
}

impl Resolver for ModuleLoader {
    fn resolve<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        guarded(ctx, "resolving a module specifier", || {
            resolve(ctx, base, name)
        })
    }
}

impl Loader for ModuleLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        guarded(ctx, "loading a module", || load(ctx, name, attributes))
    }
}

/// The resolver's steps (see [`resolve_a_module_specifier`]).
fn resolve<'js>(ctx: &Ctx<'js>, base: &str, name: &str) -> rquickjs::Result<String> {
    // HTML HostLoadImportedModule, step 1: a service worker cannot import() (its modules
    // are those of its script's graph, kept in its script resource map).
    let in_service_worker = GlobalScope::current(ctx)
        .is_some_and(|g| g.info().kind == crate::GlobalKind::ServiceWorkerGlobalScope);
    if in_service_worker && !STATE.with(|s| s.borrow().loading_graph) {
        return Err(Exception::throw_type(
            ctx,
            "import() is not allowed in a service worker",
        ));
    }
    // The referencing script's base URL: the module's or classic script's URL QuickJS
    // names it by; code without one (a timer's string) uses the global's API base URL.
    let base = url::Url::parse(base)
        .ok()
        .or_else(|| GlobalScope::current(ctx).and_then(|g| g.parse_url("").ok()));
    match resolve_a_module_specifier(name, base.as_ref()) {
        Ok(url) => Ok(url.into()),
        Err(message) => Err(Exception::throw_type(ctx, &message)),
    }
}

/// The loader's steps: the module's source (fetched ahead, or fetched now), compiled.
fn load<'js>(
    ctx: &Ctx<'js>,
    name: &str,
    attributes: Option<ImportAttributes<'js>>,
) -> rquickjs::Result<Module<'js, Declared>> {
    let module_type = match attributes.as_ref().map(|a| a.get_type()).transpose()? {
        None | Some(None) => ModuleType::JavaScript,
        Some(Some(t)) if t == "json" => ModuleType::Json,
        Some(Some(t)) => {
            return Err(Exception::throw_type(
                ctx,
                &format!("'{t}' is not a module type this user agent supports"),
            ))
        }
    };
    let source = match take_fetched(name) {
        Some(source) => source,
        None => match fetch_a_single_module_script(ctx, name, module_type) {
            Ok(source) => source,
            Err(reason) => {
                STATE.with(|s| s.borrow_mut().fetch_failed = true);
                return Err(Exception::throw_type(
                    ctx,
                    &format!("failed to fetch the module '{name}': {reason}"),
                ));
            }
        },
    };
    create_a_module_script(ctx, name, source, module_type)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModuleType {
    JavaScript,
    Json,
}

fn take_fetched(url: &str) -> Option<String> {
    STATE.with(|s| s.borrow_mut().fetched.remove(url))
}

/// <https://html.spec.whatwg.org/#resolve-a-module-specifier>, without import maps: a
/// URL-like specifier resolved against `base`, or a TypeError's message.
pub fn resolve_a_module_specifier(
    specifier: &str,
    base: Option<&url::Url>,
) -> Result<url::Url, String> {
    resolve_a_url_like_module_specifier(specifier, base).ok_or_else(|| {
        format!(
            "failed to resolve the module specifier '{specifier}': relative references must \
             start with '/', './' or '../' (bare specifiers need an import map)"
        )
    })
}

/// <https://html.spec.whatwg.org/#resolving-a-url-like-module-specifier>
fn resolve_a_url_like_module_specifier(
    specifier: &str,
    base: Option<&url::Url>,
) -> Option<url::Url> {
    // Step 1. "/", "./" or "../": parse relative to the base URL.
    if specifier.starts_with('/') || specifier.starts_with("./") || specifier.starts_with("../") {
        return url::Url::options().base_url(base).parse(specifier).ok();
    }
    // Steps 2-3. Otherwise an absolute URL, or null.
    url::Url::parse(specifier).ok()
}

/// <https://html.spec.whatwg.org/#fetch-a-single-module-script>, blocking this thread: the
/// module's source, or why it could not be had (a network error, a status that is not ok, a
/// MIME type that is not the module type's).
fn fetch_a_single_module_script(
    ctx: &Ctx<'_>,
    url: &str,
    module_type: ModuleType,
) -> Result<String, String> {
    let global = GlobalScope::current(ctx).ok_or("no global")?;
    let options = STATE.with(|s| s.borrow().options);
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    // CSP: the global's policy governs the imports of its scripts (script-src-elem).
    if let Some(directive) = crate::csp::blocks_request(
        &global.csp_policies(),
        &parsed,
        Destination::Script,
        &global.info().url,
    ) {
        return Err(format!("blocked by Content Security Policy ({directive})"));
    }
    let fetch = || {
        use crate::dom::workerglobalscope::{content_type_of, fetch_script_response_blocking};
        let (meta, body) = fetch_script_response_blocking(
            &global,
            url,
            options.destination,
            RequestMode::Cors,
            options.credentials,
        )?;
        Ok::<_, String>((body, content_type_of(&meta)))
    };
    // A service worker's imports go through its script resource map.
    let (body, content_type) = match (
        global.info().service_worker,
        global.info().service_workers.clone(),
    ) {
        (Some((_, worker)), Some(sw)) => {
            use crate::service_workers::ImportedScript;
            match sw.imported_script(worker, &parsed) {
                // Checked when it was stored.
                ImportedScript::Stored(body) => return Ok(decode_module_source(&body)),
                ImportedScript::Refused => {
                    return Err(
                        "an installed service worker can only import the modules it \
                                imported while installing"
                            .into(),
                    )
                }
                ImportedScript::Fetch => {
                    let (body, content_type) = fetch()?;
                    // Stored only if it is a module.
                    check_module_mime_type(&content_type, module_type)?;
                    sw.store_imported_script(worker, &parsed, body.clone(), content_type.clone());
                    (body, content_type)
                }
            }
        }
        _ => fetch()?,
    };
    check_module_mime_type(&content_type, module_type)?;
    Ok(decode_module_source(&body))
}

/// Module scripts are always UTF-8 (a BOM is removed; invalid bytes become U+FFFD).
fn decode_module_source(body: &[u8]) -> String {
    encoding_rs::UTF_8
        .decode_with_bom_removal(body)
        .0
        .into_owned()
}

/// Steps of "fetch a single module script" on the response's MIME type: a JavaScript MIME
/// type for a JavaScript module, a JSON MIME type for a JSON module.
fn check_module_mime_type(content_type: &str, module_type: ModuleType) -> Result<(), String> {
    let ok = match module_type {
        ModuleType::JavaScript => {
            crate::dom::workerglobalscope::is_javascript_mime_type(content_type)
        }
        ModuleType::Json => {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json"
                || essence == "text/json"
                || essence.ends_with("+json") && essence.contains('/')
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{content_type}' is not a {} MIME type",
            match module_type {
                ModuleType::JavaScript => "JavaScript",
                ModuleType::Json => "JSON",
            }
        ))
    }
}

/// <https://html.spec.whatwg.org/#creating-a-javascript-module-script> (and "creating a
/// JSON module script"): compiles `source` as the module named `url`, which loads the
/// modules it imports, and sets its `import.meta`.
fn create_a_module_script<'js>(
    ctx: &Ctx<'js>,
    url: &str,
    source: String,
    module_type: ModuleType,
) -> rquickjs::Result<Module<'js, Declared>> {
    let source = match module_type {
        ModuleType::JavaScript => source,
        // A JSON module's default export is the parsed JSON (parsed at evaluation; a
        // parse failure is its evaluation's SyntaxError).
        ModuleType::Json => format!("export default JSON.parse({});", string_literal(&source)),
    };
    let module = Module::declare(ctx.clone(), url, source)?;
    host_get_import_meta_properties(ctx, &module, url)?;
    Ok(module)
}

/// `text` as a JavaScript string literal.
fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// <https://html.spec.whatwg.org/#hostgetimportmetaproperties>: `import.meta.url` and
/// `import.meta.resolve(specifier)`.
fn host_get_import_meta_properties<'js>(
    ctx: &Ctx<'js>,
    module: &Module<'js, Declared>,
    url: &str,
) -> rquickjs::Result<()> {
    let meta = module.meta()?;
    meta.set("url", url)?;
    let base = url::Url::parse(url).ok();
    let resolve = rquickjs::Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, specifier: rquickjs::Coerced<String>| -> rquickjs::Result<String> {
            resolve_a_module_specifier(&specifier.0, base.as_ref())
                .map(String::from)
                .map_err(|m| Exception::throw_type(&ctx, &m))
        },
    )?
    .with_name("resolve")?;
    meta.set("resolve", resolve)?;
    Ok(())
}

/// How loading a module graph ended, when it did not run.
pub enum ModuleFailure<'js> {
    /// A module of the graph could not be fetched (HTML's null result).
    Fetch,
    /// A module did not parse or link: the exception to report.
    Exception(Value<'js>),
}

/// Starts loading a graph: its options, and no failure yet.
fn begin_graph(options: ModuleFetchOptions) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.options = options;
        s.fetch_failed = false;
        s.loading_graph = true;
    });
}

/// Ends loading a graph: dynamic `import()` goes on with the default options. Whether a
/// module of the graph failed to fetch.
fn end_graph() -> bool {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.options = ModuleFetchOptions::default();
        s.loading_graph = false;
        std::mem::take(&mut s.fetch_failed)
    })
}

/// <https://html.spec.whatwg.org/#fetch-a-module-script-tree> for a top-level module whose
/// source was fetched already, then <https://html.spec.whatwg.org/#run-a-module-script>:
/// loads the graph of `url`, evaluates it (once per global: a URL already loaded is not run
/// again) and returns its evaluation promise, whose rejection is reported unless the caller
/// handles it. A graph that could not be loaded is a [`ModuleFailure`].
pub fn run_a_module_graph<'js>(
    ctx: &Ctx<'js>,
    url: &str,
    source: Option<String>,
    options: ModuleFetchOptions,
) -> Result<Promise<'js>, ModuleFailure<'js>> {
    if let Some(source) = source {
        STATE.with(|s| s.borrow_mut().fetched.insert(url.to_string(), source));
    }
    begin_graph(options);
    let promise = Module::import(ctx, url);
    let fetch_failed = end_graph();
    // A source fetched ahead that was not taken (the URL was loaded already) goes.
    take_fetched(url);
    let promise = match promise {
        Ok(p) => p,
        Err(_) => return Err(ModuleFailure::Exception(ctx.catch())),
    };
    // Loading is synchronous: a graph that failed to load rejected its promise already.
    if let rquickjs::promise::PromiseState::Rejected = promise.state() {
        let reason = promise.result::<Value>().and_then(Result::err);
        let reason = match reason {
            Some(rquickjs::Error::Exception) => ctx.catch(),
            _ => Value::new_undefined(ctx.clone()),
        };
        // Handled here: the caller reports it (or fires `error`), not the rejection tracker.
        let _ = crate::dom::bindings::callback::mark_as_handled(ctx, &promise);
        return Err(if fetch_failed {
            ModuleFailure::Fetch
        } else {
            ModuleFailure::Exception(reason)
        });
    }
    Ok(promise)
}

/// An inline module script (`<script type="module">` with text): compiled as a module of
/// its own named by `base_url` (not kept in the module map), its graph loaded, then run.
pub fn run_an_inline_module_script<'js>(
    ctx: &Ctx<'js>,
    base_url: &str,
    source: String,
    options: ModuleFetchOptions,
) -> Result<Promise<'js>, ModuleFailure<'js>> {
    begin_graph(options);
    let module = create_a_module_script(ctx, base_url, source, ModuleType::JavaScript);
    let fetch_failed = end_graph();
    let module = match module {
        Ok(m) => m,
        Err(_) if fetch_failed => {
            let _ = ctx.catch();
            return Err(ModuleFailure::Fetch);
        }
        Err(_) => return Err(ModuleFailure::Exception(ctx.catch())),
    };
    match module.eval() {
        Ok((_, promise)) => Ok(promise),
        Err(_) => Err(ModuleFailure::Exception(ctx.catch())),
    }
}

/// "Run a module script", step 7 (`preventErrorReporting` false): once the evaluation
/// promise rejects, report the exception.
pub fn report_rejection<'js>(ctx: &Ctx<'js>, promise: &Promise<'js>) -> Fallible<()> {
    fn ignore<'a, 'js>(_: &Value<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    fn report<'a, 'js>(_: &Value<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        let ctx = params.ctx();
        crate::dom::error_reporting::report_an_exception(
            ctx,
            crate::dom::bindings::glue::arg(params, 0),
        );
        Ok(Value::new_undefined(ctx.clone()))
    }
    crate::dom::bindings::callback::react(
        ctx,
        promise,
        Value::new_undefined(ctx.clone()),
        ignore,
        report,
    )
}

/// Why a worker's top-level module graph did not run.
#[derive(Debug)]
pub enum TopLevelFailure {
    /// A module of it could not be fetched.
    Fetch,
    /// It threw (parsing, linking or evaluating): the exception, reported and described.
    Exception(String),
}

/// A worker's top-level module graph (module workers, module service workers): loads and
/// runs it, and the global is a module worker from then on. An evaluation still pending
/// (top-level await) is not waited for.
pub(crate) fn run_a_top_level_module<'js>(
    ctx: &Ctx<'js>,
    url: &str,
    source: String,
    options: ModuleFetchOptions,
) -> Result<(), TopLevelFailure> {
    STATE.with(|s| s.borrow_mut().module_worker = true);
    let report = |exception: Value<'js>| {
        let description = crate::dom::bindings::error::describe_exception(ctx, &exception);
        crate::dom::error_reporting::report_an_exception(ctx, exception);
        Err(TopLevelFailure::Exception(description))
    };
    let result = match run_a_module_graph(ctx, url, Some(source), options) {
        Ok(promise) => match promise.state() {
            // Evaluated synchronously, and threw.
            rquickjs::promise::PromiseState::Rejected => {
                let _ = crate::dom::bindings::callback::mark_as_handled(ctx, &promise);
                match promise.result::<Value>().and_then(Result::err) {
                    Some(rquickjs::Error::Exception) => report(ctx.catch()),
                    _ => report(Value::new_undefined(ctx.clone())),
                }
            }
            _ => {
                let _ = report_rejection(ctx, &promise);
                Ok(())
            }
        },
        Err(ModuleFailure::Fetch) => Err(TopLevelFailure::Fetch),
        Err(ModuleFailure::Exception(e)) => report(e),
    };
    crate::script_thread::clean_up_after_running_script(ctx);
    result
}

/// This thread's global is a module worker: `importScripts()` throws.
pub(crate) fn is_module_worker() -> bool {
    STATE.with(|s| s.borrow().module_worker)
}
