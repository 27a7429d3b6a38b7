//! Runs testharness.js tests in the engine: one fresh set of globals per test file, scripts
//! fetched from the server over HTTP(S) with the test CA, results taken from testharness.js's
//! completion callback (our testharnessreport.js), timeouts enforced here.

use crate::manifest::TestCase;
use crate::report::{FileResult, FileStatus};
use crate::server::Server;
use engine::{
    Delegate, Engine, EngineConfig, Page, PageEvent, PageId, PageOptions, PermissionState,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A test file's profile: an engine of its own on a temporary directory (its service
/// workers, background fetch controller and permissions end with the file).
struct FileEngine {
    engine: Engine,
    report_rx: crossbeam_channel::Receiver<String>,
    events_rx: crossbeam_channel::Receiver<PageEvent>,
    _profile: tempfile::TempDir,
}

/// The file's delegate: what its pages report goes to the runner (for `--verbose` and for
/// the engine bugs that make a file CRASH); prompts are refused, as in a browser no one
/// answers (tests set the permissions they need with test_driver).
struct FileDelegate {
    events: crossbeam_channel::Sender<PageEvent>,
}

impl Delegate for FileDelegate {
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        let _ = self.events.send(event.clone());
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
        Ok(Runner {
            server,
            client,
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
        let (file, report_tx) = match self.file_engine(timeout) {
            Ok(f) => f,
            Err(e) => return FileResult::harness(id, FileStatus::Crash, &e),
        };
        let mut options = PageOptions {
            script_timeout: Some(timeout),
            ..Default::default()
        };
        // The runner's functions exist before the driver runs (result reporting, and the
        // test_driver hooks that reach the file's engine).
        options.host_functions.push((
            "__wptReport".into(),
            Arc::new(move |json| {
                let _ = report_tx.try_send(json);
                Ok(String::new())
            }),
        ));
        let permissions = file.engine.permissions();
        let perm_origin = origin.clone();
        options.host_functions.push((
            "__wptSetPermission".into(),
            Arc::new(move |json| {
                let (name, state, origin) = parse_permission(&json)?;
                permissions.set(origin.as_deref().unwrap_or(&perm_origin), &name, state);
                Ok(String::new())
            }),
        ));
        // test_driver.click(): the page gets user activation, through its activator (known
        // once the page exists; the test runs after that).
        let activator = Arc::new(std::sync::OnceLock::<engine::PageActivator>::new());
        let page_activator = activator.clone();
        options.host_functions.push((
            "__wptActivate".into(),
            Arc::new(move |_| {
                if let Some(a) = page_activator.get() {
                    a.activate();
                }
                Ok(String::new())
            }),
        ));
        options.init_scripts = driver;
        let page = match file.engine.open_page_with(page_url, options) {
            Ok(p) => p,
            Err(e) => return FileResult::harness(id, FileStatus::Crash, &e.to_string()),
        };
        let _ = activator.set(page.activator());
        self.finish(id, page, file, deadline)
    }

    /// The file's engine, on a temporary profile. Tests fetch from a local server: no
    /// reason to wait long between retries.
    /// Also returns the sender the page's `__wptReport` uses (it goes with the page, so a
    /// page that dies disconnects it).
    fn file_engine(
        &self,
        timeout: Duration,
    ) -> Result<(FileEngine, crossbeam_channel::Sender<String>), String> {
        // A profile is private to its owner (0700), temporary ones too.
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let profile = builder.tempdir().map_err(|e| e.to_string())?;
        let (report_tx, report_rx) = crossbeam_channel::bounded::<String>(1);
        let (events_tx, events_rx) = crossbeam_channel::unbounded();
        let mut config = EngineConfig::new(profile.path());
        config.network = self.server.network_config();
        config.network_threads = 1;
        config.delegate = Arc::new(FileDelegate { events: events_tx });
        config.script_timeout = Some(timeout);
        config.background_fetch.retry_delay = Duration::from_millis(50);
        config.background_fetch.max_retry_delay = Duration::from_millis(500);
        config.background_fetch.quota_per_origin = Some(1 << 30);
        let engine = Engine::start(config).map_err(|e| e.to_string())?;
        let file = FileEngine {
            engine,
            report_rx,
            events_rx,
            _profile: profile,
        };
        Ok((file, report_tx))
    }

    /// Waits for the results (or the deadline, or the page failing to load), ends the file's
    /// engine and makes the file's result.
    fn finish(&self, id: String, page: Page, file: FileEngine, deadline: Instant) -> FileResult {
        // A page that cannot load is an environment error, reported as ERROR.
        let failed = crossbeam_channel::select! {
            recv(page.load_result()) -> r => match r {
                Ok(Err(e)) => Some(e),
                _ => None,
            },
            recv(crossbeam_channel::at(deadline)) -> _ => None,
        };
        if let Some(e) = failed {
            page.close();
            file.engine.shutdown();
            return FileResult::harness(
                id,
                FileStatus::Error,
                &format!("the test page did not load: {e}"),
            );
        }
        let mut crashed = false;
        let report = match file.report_rx.recv_deadline(deadline) {
            Ok(r) => Some(r),
            // The page's global is gone (and its reporting function with it).
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                crashed = true;
                None
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if !page.is_running() {
                    crashed = true;
                    None
                } else {
                    // Out of time: ask testharness.js to time out (interrupting a hung script).
                    page.interrupt();
                    let _ = page.eval_async("if (typeof timeout === 'function') timeout();");
                    file.report_rx.recv_timeout(Duration::from_secs(5)).ok()
                }
            }
        };
        page.close();
        // The file's service workers and background fetches end with it.
        file.engine.shutdown();
        let console: Vec<PageEvent> = file.events_rx.try_iter().collect();
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
    console: &[PageEvent],
) -> FileResult {
    // A panic the engine caught is a bug: the file is a CRASH whatever its results.
    if let Some(PageEvent::EngineBug { message, location }) = console
        .iter()
        .find(|e| matches!(e, PageEvent::EngineBug { .. }))
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
            if let Some(PageEvent::UncaughtError { message, .. }) = console
                .iter()
                .find(|e| matches!(e, PageEvent::UncaughtError { .. }))
            {
                r.message = Some(format!(
                    "the test did not complete; first uncaught error: {message}"
                ));
            }
            r
        }
    }
}

/// `{descriptor: {name}, state[, origin]}`: the permission, its state, and the origin of the
/// `context` testdriver.js was given (a frame of the test page; none: the test's origin).
fn parse_permission(json: &str) -> Result<(String, PermissionState, Option<String>), String> {
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
    let origin = match v.get("origin") {
        None | Some(serde_json::Value::Null) => None,
        Some(o) => Some(
            o.as_str()
                .filter(|o| {
                    let rest = o
                        .strip_prefix("https://")
                        .or_else(|| o.strip_prefix("http://"));
                    rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', '@']))
                })
                .ok_or("set_permission: the context's origin is not an http(s) origin")?
                .to_string(),
        ),
    };
    Ok((name.to_string(), state, origin))
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
            Ok(("background-fetch".into(), PermissionState::Granted, None))
        );
        assert!(parse_permission(r#"{"state":"granted"}"#).is_err());
        assert_eq!(
            parse_permission(
                r#"{"descriptor":{"name":"n"},"state":"denied","origin":"https://www1.a.test:8443"}"#
            ),
            Ok((
                "n".into(),
                PermissionState::Denied,
                Some("https://www1.a.test:8443".into())
            ))
        );
        assert!(parse_permission(
            r#"{"descriptor":{"name":"n"},"state":"denied","origin":"https://a.test/x"}"#
        )
        .is_err());
    }

    #[test]
    fn a_panic_makes_the_file_a_crash_whatever_it_reported() {
        let passing = r#"{"status":0,"tests":[{"name":"a","status":0}]}"#;
        let ok = file_result("/x.html".into(), Some(passing.into()), false, &[]);
        assert_eq!(ok.status, FileStatus::Ok);
        let panic = PageEvent::EngineBug {
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
