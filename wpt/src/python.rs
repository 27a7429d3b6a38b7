//! Python handlers through wptserve: a request for a `*.py` file of the test root is
//! answered by the checkout's own handler running in real wptserve (`sidecar.py`), started
//! on the first such request and stopped with the server. The request goes over as it came
//! (method, path and query, headers with the original Host, the body streamed) to the
//! sidecar's port for its scheme, and the response comes back streamed.
//!
//! Which Python: `BGFETCH_WPT_PYTHON` if set; else, for a checkout with `tools/wptserve`,
//! `python3` (the checkout's `tools/localpaths.py` puts its own third-party packages on the
//! path, as `./wpt serve` does); else the virtual environment `scripts/setup-wptserve`
//! makes under `.cache/wptserve-venv` (the PyPI `wptserve` package).

use crate::config::{WptConfig, SUBDOMAINS};
use crate::server::{Body, RequestInfo, Scheme};
use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

const SIDECAR: &str = include_str!("sidecar.py");

/// The sidecar of one server.
pub struct PythonHandlers {
    root: PathBuf,
    config: WptConfig,
    state: tokio::sync::Mutex<State>,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Body>,
    /// How many `.py` requests were answered by Python, and how many could not be.
    pub answered: std::sync::atomic::AtomicU64,
    pub unanswered: std::sync::atomic::AtomicU64,
}

enum State {
    NotStarted,
    Running(Sidecar),
    /// It could not start: every `.py` request is a 500 saying why.
    Failed(String),
}

/// A running sidecar process.
struct Sidecar {
    child: Child,
    /// Closing it tells the sidecar to stop (it shuts its stash process down first).
    stdin: Option<ChildStdin>,
    /// The script, written where Python can read it.
    _script: tempfile::NamedTempFile,
    http_port: u16,
    https_port: u16,
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        log::warn!("the Python handler process did not stop: killed");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PythonHandlers {
    pub fn new(root: &Path, config: &WptConfig) -> PythonHandlers {
        PythonHandlers {
            root: root.to_path_buf(),
            config: config.clone(),
            state: tokio::sync::Mutex::new(State::NotStarted),
            client: Client::builder(TokioExecutor::new()).build_http(),
            answered: Default::default(),
            unanswered: Default::default(),
        }
    }

    /// Whether `info` asks for a Python handler of the root (a `*.py` file, or wptserve's
    /// `/.well-known/origin-policy`).
    pub fn handles(&self, info: &RequestInfo) -> bool {
        (info.path.ends_with(".py") || info.path == "/.well-known/origin-policy") && {
            let rel = info.path.trim_start_matches('/');
            !rel.split('/').any(|c| c == "..") && self.root.join(rel).is_file()
        }
    }

    /// Answers a `.py` request through the sidecar (a 500 naming the problem when Python
    /// cannot run it).
    pub async fn handle(&self, info: &RequestInfo, body: Incoming) -> Response<Body> {
        let port = match self.ports().await {
            Ok((http, https)) => match info.scheme {
                Scheme::Http => http,
                Scheme::Https => https,
            },
            Err(e) => {
                self.unanswered
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return error_response(&format!("{}: {e}", info.path));
            }
        };
        let target = if info.query.is_empty() {
            format!("http://127.0.0.1:{port}{}", info.raw_path)
        } else {
            format!("http://127.0.0.1:{port}{}?{}", info.raw_path, info.query)
        };
        let mut request = http::Request::builder()
            .method(info.method.clone())
            .uri(&target);
        for (name, value) in &info.headers {
            request = request.header(name, value);
        }
        let body: Body = body.map_err(std::io::Error::other).boxed();
        let request = match request.body(body) {
            Ok(r) => r,
            Err(e) => return error_response(&format!("{}: {e}", info.path)),
        };
        match self.client.request(request).await {
            Ok(response) => {
                self.answered
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (parts, body) = response.into_parts();
                Response::from_parts(parts, body.map_err(std::io::Error::other).boxed())
            }
            Err(e) => error_response(&format!(
                "{}: the Python handler process did not answer: {e}",
                info.path
            )),
        }
    }

    /// The sidecar's ports, starting it on first use.
    async fn ports(&self) -> Result<(u16, u16), String> {
        let mut state = self.state.lock().await;
        if let State::NotStarted = *state {
            let (root, described) = (self.root.clone(), self.described());
            *state = match tokio::task::spawn_blocking(move || start(&root, &described)).await {
                Ok(Ok(sidecar)) => State::Running(sidecar),
                Ok(Err(e)) => {
                    log::warn!("Python handlers are not available: {e}");
                    State::Failed(e)
                }
                Err(e) => State::Failed(e.to_string()),
            };
        }
        match &*state {
            State::Running(s) => Ok((s.http_port, s.https_port)),
            State::Failed(e) => Err(e.clone()),
            State::NotStarted => Err("not started".into()),
        }
    }

    /// The Rust server's hosts and ports, for wptserve's config.
    fn described(&self) -> String {
        serde_json::json!({
            "browser_host": self.config.browser_host,
            "alt_host": self.config.alt_host,
            "subdomains": SUBDOMAINS.iter().map(|(unicode, _)| *unicode).collect::<Vec<_>>(),
            "http_ports": self.config.http_ports,
            "https_ports": self.config.https_ports,
        })
        .to_string()
    }

    /// Whether the sidecar runs (or can be started).
    pub async fn available(&self) -> bool {
        self.ports().await.is_ok()
    }

    /// For the run's summary: how many `.py` requests Python could not answer, and why.
    pub fn shortfall(&self) -> Option<String> {
        let n = self.unanswered.load(std::sync::atomic::Ordering::Relaxed);
        if n == 0 {
            return None;
        }
        let why = match self.state.try_lock().as_deref() {
            Ok(State::Failed(e)) => e.clone(),
            _ => "see the log".into(),
        };
        Some(format!(
            "{n} request(s) for Python handlers got a 500: {why}"
        ))
    }
}

/// Which Python runs the handlers of `root`, and why that one.
fn python_for(root: &Path) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("BGFETCH_WPT_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    if root.join("tools/wptserve/wptserve").is_dir() && root.join("tools/localpaths.py").is_file() {
        return Ok(PathBuf::from("python3"));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/wptserve-venv/bin/python");
    if venv.is_file() {
        return Ok(venv);
    }
    Err(format!(
        "the test root has no tools/wptserve and {} does not exist (run scripts/setup-wptserve)",
        venv.display()
    ))
}

/// Starts the sidecar and waits for its `READY` line.
fn start(root: &Path, described: &str) -> Result<Sidecar, String> {
    let python = python_for(root)?;
    let mut script = tempfile::Builder::new()
        .prefix("wpt-sidecar")
        .suffix(".py")
        .tempfile()
        .map_err(|e| format!("a temporary file: {e}"))?;
    std::io::Write::write_all(&mut script, SIDECAR.as_bytes())
        .map_err(|e| format!("writing the sidecar script: {e}"))?;
    let mut child = Command::new(&python)
        .arg(script.path())
        .arg(root)
        .arg(described)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    // The first line says where it listens (or the process ends, having said why).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
    let mut sidecar = Sidecar {
        child,
        stdin,
        _script: script,
        http_port: 0,
        https_port: 0,
    };
    let ports: Vec<u16> = line
        .strip_prefix("READY ")
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let [http_port, https_port] = ports[..] else {
        return Err(format!(
            "{} did not start wptserve (see the log above)",
            python.display()
        ));
    };
    sidecar.http_port = http_port;
    sidecar.https_port = https_port;
    Ok(sidecar)
}

fn error_response(message: &str) -> Response<Body> {
    log::warn!("{message}");
    let mut r = Response::new(crate::server::full(Bytes::from(format!(
        "Python handler unavailable: {message}\n"
    ))));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r
}
