//! The HTTP client: hyper's pooled client over rustls, with the embedder's trust roots, host
//! map and proxy (`proxy.rs`). Bodies are streamed (`hyper::body::Incoming`); nothing here
//! buffers a response.

use crate::config::NetworkConfig;
use crate::proxy::{Proxy, ProxyConnector};
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A request body: anything that streams bytes.
pub type RequestBody = BoxBody<Bytes, std::io::Error>;

/// Why a request failed before a response arrived.
#[derive(Debug)]
pub enum NetError {
    /// The configuration is unusable (a bad certificate, say).
    Config(String),
    /// The URL cannot be requested (bad scheme, no host).
    BadUrl(String),
    /// Name resolution, connection, TLS or protocol failure: a network error.
    Network(String),
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::Config(m) => write!(f, "network configuration: {m}"),
            NetError::BadUrl(m) => write!(f, "bad URL: {m}"),
            NetError::Network(m) => write!(f, "network error: {m}"),
        }
    }
}

impl std::error::Error for NetError {}

/// Resolves the embedder's mapped names itself, the rest through the system (unless the
/// configuration forbids it).
#[derive(Clone)]
struct Resolver {
    hosts: Arc<HashMap<String, IpAddr>>,
    only_mapped: bool,
    system: GaiResolver,
}

type Addrs = std::vec::IntoIter<SocketAddr>;

impl tower_service::Service<Name> for Resolver {
    type Response = Addrs;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Addrs, std::io::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        if let Some(ip) = self.hosts.get(&host) {
            let addrs = vec![SocketAddr::new(*ip, 0)];
            return Box::pin(async move { Ok(addrs.into_iter()) });
        }
        if let Ok(ip) = host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
        {
            return Box::pin(async move { Ok(vec![SocketAddr::new(ip, 0)].into_iter()) });
        }
        if self.only_mapped {
            return Box::pin(async move {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{host} is not a mapped host and other names are not resolved"),
                ))
            });
        }
        let mut system = self.system.clone();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = system.call(name).await?.collect();
            Ok(addrs.into_iter())
        })
    }
}

/// The client. Cheap to clone; every clone shares the connection pool.
#[derive(Clone)]
pub struct HttpClient {
    client:
        Client<hyper_rustls::HttpsConnector<ProxyConnector<HttpConnector<Resolver>>>, RequestBody>,
    /// The embedder's proxy (`None`: every connection is direct).
    proxy: Option<Arc<Proxy>>,
    /// The profile's cookies (every request of this client goes through them).
    cookies: Arc<crate::cookies::CookieJar>,
}

impl HttpClient {
    pub fn new(config: &NetworkConfig) -> Result<HttpClient, NetError> {
        let mut roots = rustls::RootCertStore::empty();
        for der in &config.extra_roots {
            roots
                .add(rustls::pki_types::CertificateDer::from(der.clone()))
                .map_err(|e| NetError::Config(format!("bad root certificate: {e}")))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| NetError::Config(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let proxy = config
            .proxy
            .as_ref()
            .map(Proxy::new)
            .transpose()?
            .map(Arc::new);
        // Resolves the origin's host, or the proxy's when a connection goes through it.
        let resolver = Resolver {
            hosts: Arc::new(config.hosts.clone()),
            only_mapped: config.only_mapped_hosts,
            system: GaiResolver::new(),
        };
        let mut http = HttpConnector::new_with_resolver(resolver);
        http.enforce_http(false);
        http.set_nodelay(true);
        // TLS with an https:// proxy: the same roots; CONNECT and absolute-form requests
        // are HTTP/1.1.
        let mut proxy_tls = tls.clone();
        proxy_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let connector = ProxyConnector::new(http, proxy.clone(), Arc::new(proxy_tls));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            // HTTP/2 when the server offers it (ALPN `h2`); its requests then share one
            // connection per origin.
            .enable_http2()
            .wrap_connector(connector);
        // HTTP/2 flow control sized for bulk downloads: with hyper's defaults (16 KiB
        // frames, 2 MiB stream and 5 MiB connection windows) the frame reader spends a
        // fifth of a 1 GiB download reallocating its buffer (`BytesMut::reserve_inner`
        // under perf); larger frames and windows bring HTTP/2 level with HTTP/1.1.
        let client = Client::builder(TokioExecutor::new())
            .http2_max_frame_size(1 << 20)
            .http2_initial_stream_window_size(8 << 20)
            .http2_initial_connection_window_size(16 << 20)
            .build(https);
        Ok(HttpClient {
            client,
            proxy,
            cookies: Arc::new(crate::cookies::CookieJar::open(config.cookie_file.clone())),
        })
    }

    /// The profile's cookie jar.
    pub fn cookies(&self) -> &Arc<crate::cookies::CookieJar> {
        &self.cookies
    }

    /// Sends a request; the response body streams.
    pub async fn send(
        &self,
        mut request: http::Request<RequestBody>,
    ) -> Result<http::Response<hyper::body::Incoming>, NetError> {
        let scheme = request.uri().scheme_str().unwrap_or("");
        if scheme != "http" && scheme != "https" {
            return Err(NetError::BadUrl(format!(
                "{} is not an HTTP(S) URL",
                request.uri()
            )));
        }
        // An `http:` request through the proxy is the proxy's to authorize (an `https:` one
        // is authorized on its tunnel's CONNECT and reaches only the origin).
        if let Some(proxy) = &self.proxy {
            if scheme == "http" && proxy.intercepts(request.uri()) {
                if let Some(auth) = proxy.authorization() {
                    request
                        .headers_mut()
                        .insert(http::header::PROXY_AUTHORIZATION, auth.clone());
                }
            }
        }
        self.client
            .request(request)
            .await
            .map_err(|e| NetError::Network(error_chain(&e)))
    }

    /// GETs `url` and reads the whole body (for small resources such as scripts).
    pub async fn get(
        &self,
        url: &str,
    ) -> Result<(http::StatusCode, http::HeaderMap, Bytes), NetError> {
        let request = http::Request::get(url)
            .body(empty())
            .map_err(|e| NetError::BadUrl(e.to_string()))?;
        let response = self.send(request).await?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| NetError::Network(error_chain(&e)))?
            .to_bytes();
        Ok((parts.status, parts.headers, body))
    }
}

/// An empty request body.
pub fn empty() -> RequestBody {
    Empty::<Bytes>::new()
        .map_err(|never| match never {})
        .boxed()
}

/// A request body from bytes in memory.
pub fn full(bytes: impl Into<Bytes>) -> RequestBody {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// The error and its sources, one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}
