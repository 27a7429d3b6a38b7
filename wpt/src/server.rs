//! A wptserve-compatible server: HTTPS and HTTP on two ports each, for the WPT host names,
//! serving a test root with wptserve's behaviours (wrappers for `.window.js`/`.any.js`,
//! `.sub` substitution, `.headers` files, `?pipe=`, the Python handlers the background-fetch
//! suite needs) and our fault-injection route (`/_faults/`, see wpt/README.md).

use crate::certs;
use crate::config::WptConfig;
use crate::faults::{self, FaultState};
use crate::files;
use crate::manifest;
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A response body: bytes, possibly streamed (faults stream slowly or break off).
pub type Body = BoxBody<Bytes, std::io::Error>;

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// Where the harness files come from.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    pub config: WptConfig,
    /// The test root: `wpt/tests` for the own suite, or an upstream checkout.
    pub root: PathBuf,
    /// Where testharness.js, idlharness.js and webidl2.js are read from when the root has no
    /// `resources/` of its own (the own suite: the npm package wpt-runner).
    pub harness_dir: Option<PathBuf>,
}

/// What every request handler sees.
pub struct ServerState {
    pub options: ServerOptions,
    pub config: WptConfig,
    pub faults: FaultState,
    /// The checkout's `*.py` handlers, run by wptserve.
    pub python: crate::python::PythonHandlers,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// A running server. Dropping it stops every listener.
pub struct Server {
    pub config: WptConfig,
    /// The test CA (DER): the engine under test trusts it.
    pub ca_der: Vec<u8>,
    state: Arc<ServerState>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Binds every port (0: any free one) and starts serving on a runtime of its own.
    pub fn start(options: ServerOptions) -> Result<Server, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("wpt-server")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the server runtime: {e}"))?;
        let mut config = options.config.clone();
        let certs = certs::generate(&config.all_hosts())?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(certs.chain.clone(), certs.key.clone_key())
            .map_err(|e| format!("bad server certificate: {e}"))?;
        if config.http2 {
            tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        }
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let ip = config.ip;
        let mut listeners = Vec::new();
        for (scheme, ports) in [
            (Scheme::Http, config.http_ports),
            (Scheme::Https, config.https_ports),
        ] {
            let mut bound = [0u16; 2];
            for (i, port) in ports.iter().enumerate() {
                let listener = runtime
                    .block_on(TcpListener::bind(SocketAddr::new(ip, *port)))
                    .map_err(|e| format!("cannot listen on {ip}:{port}: {e}"))?;
                bound[i] = listener.local_addr().map_err(|e| e.to_string())?.port();
                listeners.push((scheme, listener));
            }
            match scheme {
                Scheme::Http => config.http_ports = bound,
                Scheme::Https => config.https_ports = bound,
            }
        }
        let state = Arc::new(ServerState {
            python: crate::python::PythonHandlers::new(&options.root, &config),
            options,
            config: config.clone(),
            faults: FaultState::default(),
        });
        for (scheme, listener) in listeners {
            let state = state.clone();
            let acceptor = acceptor.clone();
            runtime.spawn(accept_loop(listener, scheme, state, acceptor));
        }
        Ok(Server {
            config,
            ca_der: certs.ca_der,
            state,
            runtime: Some(runtime),
        })
    }

    /// `https://web-platform.test:PORT` style origin of the first port of a scheme.
    /// How many requests for Python handlers could not be answered, and why (`None`: all
    /// were, or there were none).
    pub fn python_shortfall(&self) -> Option<String> {
        self.state.python.shortfall()
    }

    pub fn origin(&self, scheme: Scheme) -> String {
        match scheme {
            Scheme::Http => format!(
                "http://{}:{}",
                self.config.browser_host, self.config.http_ports[0]
            ),
            Scheme::Https => format!(
                "https://{}:{}",
                self.config.browser_host, self.config.https_ports[0]
            ),
        }
    }

    pub fn state(&self) -> &Arc<ServerState> {
        &self.state
    }

    /// A network configuration for a client of this server: the CA trusted, every WPT host
    /// mapped to loopback, nothing else resolved.
    pub fn network_config(&self) -> net::NetworkConfig {
        let mut c = net::NetworkConfig::loopback_only(self.config.all_hosts(), self.config.ip);
        c.hosts.insert("localhost".into(), self.config.ip);
        c.extra_roots.push(self.ca_der.clone());
        c
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    scheme: Scheme,
    state: Arc<ServerState>,
    acceptor: TlsAcceptor,
) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                log::warn!("accept failed: {e}");
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        state
            .faults
            .connections
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let state = state.clone();
        let acceptor = acceptor.clone();
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let http2 = state.config.http2;
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(handle(state, req, scheme, port).await) }
            });
            let builder = hyper::server::conn::http1::Builder::new();
            let result = match scheme {
                Scheme::Http => builder
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                    .map_err(|e| e.to_string()),
                Scheme::Https => match acceptor.accept(stream).await {
                    // HTTP/2 (ALPN h2) or HTTP/1.1 on the same port.
                    Ok(tls) if http2 => hyper_util::server::conn::auto::Builder::new(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .serve_connection(TokioIo::new(tls), service)
                    .await
                    .map_err(|e| e.to_string()),
                    Ok(tls) => builder
                        .serve_connection(TokioIo::new(tls), service)
                        .await
                        .map_err(|e| e.to_string()),
                    Err(e) => {
                        log::debug!("TLS handshake failed: {e}");
                        return;
                    }
                },
            };
            if let Err(e) = result {
                log::debug!("connection ended: {e}");
            }
        });
    }
}

/// What a handler needs to know about the request.
pub struct RequestInfo {
    pub method: Method,
    pub scheme: Scheme,
    pub port: u16,
    pub host: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The path as the request line had it.
    pub raw_path: String,
    pub query: String,
    pub headers: http::HeaderMap,
    /// HTTP/1.1 or HTTP/2.
    pub version: http::Version,
}

impl RequestInfo {
    /// The first value of a query parameter, percent-decoded (pairs with an empty value do
    /// not count, as in wptserve).
    pub fn param(&self, name: &str) -> Option<String> {
        self.params(name).into_iter().next()
    }

    /// Every value of a query parameter, in order.
    pub fn params(&self, name: &str) -> Vec<String> {
        self.query
            .split('&')
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (!v.is_empty() && percent_decode(k) == name).then(|| percent_decode(v))
            })
            .collect()
    }
    pub fn url(&self) -> String {
        let scheme = match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!(
            "{scheme}://{}:{}{}{}",
            self.host, self.port, self.path, query
        )
    }
}

/// Percent-decodes a query component (`+` is a space there).
pub fn percent_decode(s: &str) -> String {
    decode(s, true)
}

/// Percent-decodes a path (a `+` stays a `+`).
fn percent_decode_path(p: &str) -> String {
    decode(p, false)
}

fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Bytes, not str slices: raw UTF-8 may follow a `%`.
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' && plus_is_space { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// An error as wptserve writes it: `{"error": {"code": N, "message": "..."}}`.
pub fn status_response(status: StatusCode, text: &str) -> Response<Body> {
    let body = serde_json::json!({"error": {"code": status.as_u16(), "message": text}});
    let mut r = Response::new(full(body.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

async fn handle(
    state: Arc<ServerState>,
    req: Request<Incoming>,
    scheme: Scheme,
    port: u16,
) -> Response<Body> {
    let (parts, body) = req.into_parts();
    // The Host header, or (HTTP/2) the request URI's authority.
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.rsplit_once(':').map(|(h, _)| h).unwrap_or(h).to_string())
        .or_else(|| parts.uri.host().map(str::to_string))
        .unwrap_or_else(|| state.config.browser_host.clone());
    let info = RequestInfo {
        method: parts.method.clone(),
        scheme,
        port,
        host,
        path: percent_decode_path(parts.uri.path()),
        raw_path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers.clone(),
        version: parts.version,
    };
    let response = route(&state, &info, body).await;
    log::debug!("{} {} -> {}", info.method, info.url(), response.status());
    response
}

async fn route(state: &Arc<ServerState>, info: &RequestInfo, body: Incoming) -> Response<Body> {
    let path = info.path.as_str();
    // Our own routes first.
    if let Some(rest) = path.strip_prefix("/_faults/") {
        return faults::handle(state, info, rest, body).await;
    }
    // The checkout's Python handlers, in wptserve; two stand-ins in Rust when Python cannot
    // run them.
    let stand_in = matches!(
        path,
        "/background-fetch/resources/upload.py" | "/common/slow.py"
    );
    if state.python.handles(info) && (!stand_in || state.python.available().await) {
        return state.python.handle(info, body).await;
    }
    match path {
        "/background-fetch/resources/upload.py" => {
            return crate::handlers::upload(info, body).await
        }
        "/common/slow.py" => return crate::handlers::slow(info).await,
        _ => {}
    }
    // Harness files the runner provides.
    if let Some(r) = crate::harness::serve(state, info).await {
        return r;
    }
    // Wrappers generated for .window.js and .any.js tests.
    if let Some(r) = wrapper(state, info) {
        return r;
    }
    files::serve(state, info).await
}

/// `X.window.html`, `X.any.html`, `X.any.worker.html`, `X.any.sharedworker.html`,
/// `X.any.serviceworker.html` and `X.any.worker.js`, when the `.js` test exists.
fn wrapper(state: &ServerState, info: &RequestInfo) -> Option<Response<Body>> {
    // As wptserve routes its wrapper handlers: GET and HEAD only.
    if info.method != http::Method::GET && info.method != http::Method::HEAD {
        return None;
    }
    let (test_path, kind) = manifest::wrapper_for(&info.path)?;
    let file = resolve(&state.options.root, &test_path)?;
    if !file.is_file() {
        return None;
    }
    let source = std::fs::read_to_string(&file).ok()?;
    let meta = manifest::Meta::parse(&source);
    let query = if info.query.is_empty() {
        String::new()
    } else {
        format!("?{}", info.query)
    };
    let (text, content_type) = match kind {
        manifest::Wrapper::WorkerScript => (
            manifest::worker_script_text(&test_path, &meta),
            "text/javascript",
        ),
        manifest::Wrapper::Page(variant) => {
            let any = test_path.ends_with(".any.js");
            if any && !meta.globals().contains(&variant) {
                return Some(status_response(
                    StatusCode::NOT_FOUND,
                    &format!("{test_path} does not run in {variant:?}"),
                ));
            }
            manifest::wrapper_text(&test_path, &meta, variant, &query)
        }
    };
    let mut r = Response::new(full(text));
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    // Sidecar headers of the .js source replace the defaults.
    match crate::files::sidecar_headers(&file, &state.config, info) {
        Ok(headers) => {
            for (k, v) in headers {
                if let (Ok(k), Ok(v)) = (
                    http::HeaderName::from_bytes(k.as_bytes()),
                    HeaderValue::from_str(&v),
                ) {
                    r.headers_mut().insert(k, v);
                }
            }
        }
        Err(e) => return Some(status_response(StatusCode::INTERNAL_SERVER_ERROR, &e)),
    }
    Some(r)
}

/// The file a URL path names inside `root`, refusing anything that climbs out.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for part in url_path.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            // A backslash or a drive prefix (`C:`) could climb out or replace the root on
            // some systems; NUL is never a file name.
            p if p.contains(['\\', ':', '\0']) => return None,
            p => out.push(p),
        }
    }
    Some(out)
}
