//! Runs testharness.js tests in the engine: one fresh set of globals per test file, scripts
//! fetched from the server over HTTP(S) with the test CA, results taken from testharness.js's
//! completion callback (our testharnessreport.js), timeouts enforced here.

use crate::manifest::TestCase;
use crate::report::{FileResult, FileStatus};
use crate::server::Server;
use script::{
    GlobalEvent, GlobalHandle, GlobalKind, GlobalOptions, PermissionState, PermissionStore,
    ServiceWorkerRegistry,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the runner keeps while a test file runs: the harness's report, the global's
/// events, and the file's service worker registry (its profile: dropping it ends the file's
/// service workers).
struct FileHarness {
    report_rx: crossbeam_channel::Receiver<String>,
    events_rx: crossbeam_channel::Receiver<GlobalEvent>,
    profile: ServiceWorkerRegistry,
    background_fetch: Arc<crate::bgfetch::FileController>,
}

impl FileHarness {
    /// The file's profile ends: its service workers, then its background fetch controller.
    fn end_profile(
        profile: ServiceWorkerRegistry,
        background_fetch: &crate::bgfetch::FileController,
    ) {
        drop(profile);
        background_fetch.shutdown();
    }
}

/// How tests run.
#[derive(Clone, Debug)]
pub struct RunnerOptions {
    pub timeout_multiplier: f64,
    /// Print console output and uncaught errors of every test.
    pub verbose: bool,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        RunnerOptions {
            timeout_multiplier: 1.0,
            verbose: false,
        }
    }
}

/// What the runner shares across test files: the server and an HTTP client for it.
pub struct Runner {
    pub server: Arc<Server>,
    client: net::HttpClient,
    /// fetch() for the tests' globals: the engine's network side with the test CA.
    fetcher: script::Fetcher,
    runtime: tokio::runtime::Runtime,
    options: RunnerOptions,
}

impl Runner {
    pub fn new(server: Arc<Server>, options: RunnerOptions) -> Result<Runner, String> {
        let client = net::HttpClient::new(&server.network_config()).map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("wpt-client")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let fetcher = script::Fetcher(Arc::new(net::fetch_service::NetFetchService::new(
            &server.network_config(),
        )?));
        Ok(Runner {
            server,
            client,
            fetcher,
            runtime,
            options,
        })
    }

    /// The URL a test is loaded from (its wrapper's URL).
    pub fn test_url(&self, case: &TestCase) -> String {
        let origin = if case.secure {
            self.server.origin(crate::server::Scheme::Https)
        } else {
            self.server.origin(crate::server::Scheme::Http)
        };
        format!("{origin}{}", case.id)
    }

    /// GETs a script, giving up at `deadline` (the test file's time runs while its scripts
    /// load).
    fn fetch_text(&self, url: &str, deadline: Instant) -> Result<String, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        let (status, _, body) = self
            .runtime
            .block_on(async { tokio::time::timeout(left, self.client.get(url)).await })
            .map_err(|_| format!("loading {url} took longer than the test's timeout"))?
            .map_err(|e| format!("cannot load {url}: {e}"))?;
        if !status.is_success() {
            return Err(format!("cannot load {url}: HTTP {status}"));
        }
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Runs one test file.
    pub fn run(&self, case: &TestCase) -> FileResult {
        let started = Instant::now();
        let mut result = self.run_inner(case);
        result.duration = started.elapsed();
        result
    }

    fn run_inner(&self, case: &TestCase) -> FileResult {
        // One clock for the whole file: loading its scripts, running them, waiting.
        let timeout = Duration::from_secs_f64(
            if case.meta.timeout_long { 60.0 } else { 10.0 } * self.options.timeout_multiplier,
        );
        let deadline = Instant::now() + timeout;
        let page_url = self.test_url(case);
        // Every test runs from its page: a worker's results reach the page's harness through
        // fetch_tests_from_worker; a service worker's wrapper page registers it first.
        self.run_page(case, &page_url, deadline, timeout)
    }

    /// A window test: the engine loads the test's page (the wrapper, or the `.html` test
    /// itself) from the server, parses it and runs its scripts as a browser would; the page's
    /// CSP headers and `<meta>`s apply. The runner's test_driver is installed in the window
    /// before the page loads (as wptrunner injects its testdriver).
    fn run_page(
        &self,
        case: &TestCase,
        page_url: &str,
        deadline: Instant,
        timeout: Duration,
    ) -> FileResult {
        let id = case.id.clone();
        let origin = page_url
            .splitn(4, '/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let mut driver = Vec::new();
        for u in [
            format!("{origin}/_runner/testdriver.js"),
            format!("{origin}/resources/testdriver-vendor.js"),
        ] {
            match self.fetch_text(&u, deadline) {
                Ok(text) => driver.push((text, u)),
                Err(e) => return FileResult::harness(id, FileStatus::Error, &e),
            }
        }
        let (mut options, harness) =
            self.runner_options(GlobalKind::Window, page_url, &origin, timeout);
        // Setup hooks run in order: the runner's functions exist before the driver runs.
        options.setup.push(Box::new(move |ctx| {
            for (text, url) in driver {
                let mut eval = rquickjs::context::EvalOptions::default();
                eval.global = true;
                eval.strict = false;
                eval.filename = Some(url);
                if ctx.eval_with_options::<(), _>(text, eval).is_err() {
                    let e = ctx.catch();
                    return Err(script::dom::bindings::error::Error::Type(format!(
                        "the runner's test_driver failed: {}",
                        script::dom::bindings::error::describe_exception(ctx, &e)
                    )));
                }
            }
            Ok(())
        }));
        let global = match GlobalHandle::spawn(options) {
            Ok(g) => g,
            Err(e) => return FileResult::harness(id, FileStatus::Crash, &e),
        };
        let navigation = global.navigate(page_url);
        self.finish(id, global, harness, deadline, Some(navigation))
    }

    /// The options every test global starts with: its URL and origin, the runner's
    /// permission store and fetcher, a fresh service worker registry (the file's own
    /// profile), a per-task time limit, and the runner's functions (result reporting,
    /// test_driver hooks) installed before any script runs. Returns them with what the
    /// runner keeps for the file ([`FileHarness`]).
    fn runner_options(
        &self,
        kind: GlobalKind,
        url: &str,
        origin: &str,
        timeout: Duration,
    ) -> (GlobalOptions, FileHarness) {
        let (report_tx, report_rx) = crossbeam_channel::bounded::<String>(1);
        let (events_tx, events_rx) = crossbeam_channel::unbounded();
        let permissions = PermissionStore::default();
        let mut options = GlobalOptions::new(kind);
        options.url = url.to_string();
        options.origin = origin.to_string();
        options.secure_context = url.starts_with("https:")
            || origin.contains("://localhost")
            || origin.contains("://127.0.0.1");
        options.events = Some(events_tx);
        options.permissions = permissions.clone();
        options.fetcher = Some(self.fetcher.clone());
        let profile = ServiceWorkerRegistry::new();
        options.service_workers = Some(profile.context());
        let background_fetch = crate::bgfetch::FileController::new(
            self.server.network_config(),
            profile.context(),
            options.profile.online().clone(),
        );
        options.background_fetch = Some(script::BackgroundFetcher(background_fetch.clone()));
        // A single task (a script, a listener) may use the file's whole time, no more.
        options.script_timeout = Some(timeout);
        let perm_origin = origin.to_string();
        options.setup.push(Box::new(move |ctx| {
            install_runner_functions(ctx, report_tx, permissions, perm_origin)
        }));
        let harness = FileHarness {
            report_rx,
            events_rx,
            profile,
            background_fetch,
        };
        (options, harness)
    }

    /// Waits for the results (or the deadline, or the page failing to load), shuts the
    /// global down and makes the file's result.
    fn finish(
        &self,
        id: String,
        global: GlobalHandle,
        harness: FileHarness,
        deadline: Instant,
        navigation: Option<crossbeam_channel::Receiver<Result<(), String>>>,
    ) -> FileResult {
        let FileHarness {
            report_rx,
            events_rx,
            profile,
            background_fetch,
        } = harness;
        if let Some(nav) = &navigation {
            // A page that cannot load is an environment error, reported as ERROR.
            let failed = crossbeam_channel::select! {
                recv(nav) -> r => match r {
                    Ok(Err(e)) => Some(e),
                    _ => None,
                },
                recv(crossbeam_channel::at(deadline)) -> _ => None,
            };
            if let Some(e) = failed {
                global.shutdown();
                FileHarness::end_profile(profile, &background_fetch);
                return FileResult::harness(
                    id,
                    FileStatus::Error,
                    &format!("the test page did not load: {e}"),
                );
            }
        }
        let mut crashed = false;
        let report = match report_rx.recv_deadline(deadline) {
            Ok(r) => Some(r),
            // The global's thread is gone (its end of the channel with it).
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                crashed = true;
                None
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                // Out of time: ask testharness.js to time out (interrupting a hung script).
                global.interrupt();
                let _ = global.eval_async("if (typeof timeout === 'function') timeout();");
                report_rx.recv_timeout(Duration::from_secs(5)).ok()
            }
        };
        global.shutdown();
        // The file's service workers and background fetches end with it.
        FileHarness::end_profile(profile, &background_fetch);
        let console: Vec<GlobalEvent> = events_rx.try_iter().collect();
        if self.options.verbose {
            for e in &console {
                eprintln!("  [{id}] {e:?}");
            }
        }
        file_result(id, report, crashed, &console)
    }
}

/// The file's result from what the harness reported (`None`: nothing, `crashed`: because the
/// global's thread is gone) and what the global told its embedder.
fn file_result(
    id: String,
    report: Option<String>,
    crashed: bool,
    console: &[GlobalEvent],
) -> FileResult {
    // A panic the engine caught is a bug: the file is a CRASH whatever its results.
    if let Some(GlobalEvent::Panic { message, location }) = console
        .iter()
        .find(|e| matches!(e, GlobalEvent::Panic { .. }))
    {
        return FileResult::harness(
            id,
            FileStatus::Crash,
            &format!("the engine panicked: {message} at {location}"),
        );
    }
    match report {
        Some(json) => crate::report::parse_completion(&id, &json).unwrap_or_else(|e| {
            FileResult::harness(id.clone(), FileStatus::Error, &format!("bad report: {e}"))
        }),
        None if crashed => FileResult::harness(
            id,
            FileStatus::Crash,
            "the engine's global ended without reporting results",
        ),
        None => {
            let mut r = FileResult::harness(id, FileStatus::Timeout, "the test did not complete");
            if let Some(GlobalEvent::UncaughtError { message, .. }) = console
                .iter()
                .find(|e| matches!(e, GlobalEvent::UncaughtError { .. }))
            {
                r.message = Some(format!(
                    "the test did not complete; first uncaught error: {message}"
                ));
            }
            r
        }
    }
}

/// `__wptReport(json)` and `__wptSetPermission(json)`: the runner's side of
/// testharnessreport.js and testdriver-vendor.js. Their closures hold no JS values.
fn install_runner_functions<'js>(
    ctx: &rquickjs::Ctx<'js>,
    report: crossbeam_channel::Sender<String>,
    permissions: PermissionStore,
    origin: String,
) -> Result<(), script::dom::bindings::error::Error> {
    use rquickjs::{Function, Value};
    let global = ctx.globals();
    let report_fn = Function::new(ctx.clone(), move |json: String| {
        let _ = report.try_send(json);
    })?;
    global.set("__wptReport", report_fn)?;
    let set_permission = Function::new(
        ctx.clone(),
        move |ctx: rquickjs::Ctx<'js>, json: String| -> rquickjs::Result<Value<'js>> {
            let (promise, resolve, reject) = ctx.promise()?;
            match parse_permission(&json) {
                Ok((name, state)) => {
                    permissions.set(&origin, &name, state);
                    resolve.call::<_, ()>(())?;
                }
                Err(e) => {
                    let error = rquickjs::Exception::from_message(ctx.clone(), &e)?;
                    reject.call::<_, ()>((error,))?;
                }
            }
            Ok(promise.into_value())
        },
    )?;
    global.set("__wptSetPermission", set_permission)?;
    Ok(())
}

/// `{"descriptor": {"name": "background-fetch"}, "state": "granted"}`.
fn parse_permission(json: &str) -> Result<(String, PermissionState), String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let name = v
        .pointer("/descriptor/name")
        .and_then(|n| n.as_str())
        .ok_or("set_permission: the descriptor has no name")?;
    let state = v
        .get("state")
        .and_then(|s| s.as_str())
        .and_then(PermissionState::parse)
        .ok_or("set_permission: the state must be granted, denied or prompt")?;
    Ok((name.to_string(), state))
}

/// Resolves `reference` against `base` (absolute paths and full URLs; relative paths).
pub fn url_join(base: &str, reference: &str) -> Option<String> {
    if reference.contains("://") {
        return Some(reference.to_string());
    }
    let scheme_end = base.find("://")? + 3;
    let path_start = base[scheme_end..].find('/').map(|i| scheme_end + i)?;
    let origin = &base[..path_start];
    if reference.starts_with('/') {
        return Some(format!("{origin}{reference}"));
    }
    let path = &base[path_start..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in reference.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = if reference.ends_with('/') { "/" } else { "" };
    Some(format!("{origin}/{}{trailing}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let base = "https://web-platform.test:8443/background-fetch/fetch.https.window.js";
        assert_eq!(
            url_join(base, "resources/utils.js").unwrap(),
            "https://web-platform.test:8443/background-fetch/resources/utils.js"
        );
        assert_eq!(
            url_join(base, "/service-workers/x.js").unwrap(),
            "https://web-platform.test:8443/service-workers/x.js"
        );
        assert_eq!(
            url_join(base, "../common/a.js").unwrap(),
            "https://web-platform.test:8443/common/a.js"
        );
    }

    #[test]
    fn permissions() {
        assert_eq!(
            parse_permission(r#"{"descriptor":{"name":"background-fetch"},"state":"granted"}"#),
            Ok(("background-fetch".into(), PermissionState::Granted))
        );
        assert!(parse_permission(r#"{"state":"granted"}"#).is_err());
    }

    #[test]
    fn a_panic_makes_the_file_a_crash_whatever_it_reported() {
        let passing = r#"{"status":0,"tests":[{"name":"a","status":0}]}"#;
        let ok = file_result("/x.html".into(), Some(passing.into()), false, &[]);
        assert_eq!(ok.status, FileStatus::Ok);
        let panic = GlobalEvent::Panic {
            message: "index out of bounds".into(),
            location: "components/script/src/dom/node.rs:10:5".into(),
        };
        let crash = file_result("/x.html".into(), Some(passing.into()), false, &[panic]);
        assert_eq!(crash.status, FileStatus::Crash);
        let message = crash.message.unwrap();
        assert!(message.contains("index out of bounds"), "{message}");
        assert!(message.contains("node.rs:10:5"), "{message}");
    }
}
