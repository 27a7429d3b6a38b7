//! The embedder's HTTP proxy ([`ProxyConfig`]): which requests go through it, and the
//! connector under [`crate::http::HttpClient`] that reaches an origin one of three ways:
//!
//! - directly, when there is no proxy or the host is in `no_proxy`;
//! - `http:` through the proxy: a connection to the proxy marked as proxied, so hyper sends
//!   each request in absolute form (`GET http://host/path HTTP/1.1`), with
//!   `Proxy-Authorization` added by the client (`HttpClient::send`);
//! - `https:` through a `CONNECT host:port` tunnel, TLS then running end to end on top of it
//!   (the origin's certificate is checked against the embedder's roots, never the proxy's).
//!
//! An `https://` proxy is the same, reached over TLS (its certificate checked against the
//! embedder's roots; HTTP/1.1): an `https:` origin's TLS then runs inside that TLS.
//!
//! A `socks5://` (or `socks5h://`) proxy instead carries every connection, `http:` and
//! `https:` alike, after a SOCKS5 handshake (RFC 1928; username and password from the URL
//! per RFC 1929): the origin's host name is sent to the proxy to resolve, as Chromium does
//! for both schemes, and requests then go in origin form, TLS end to end.
//!
//! The proxy's own host name goes through the embedder's resolver (`NetworkConfig::hosts`,
//! `only_mapped_hosts`); the origin's name is the proxy's to resolve.
//!
//! The proxy URL and its credentials are read by hyper-util's proxy matcher (percent-decoding,
//! the Basic value). The `CONNECT` is hyper's own HTTP/1 client with upgrades rather than
//! hyper-util's `Tunnel`, because `Tunnel` does not say which status a refusing proxy answered
//! (and accepts only 200, where any 2xx opens a tunnel).

use crate::config::ProxyConfig;
use crate::http::NetError;
use bytes::Bytes;
use http::header::{HeaderValue, HOST, PROXY_AUTHORIZATION};
use http::uri::Scheme;
use http::{Request, Uri};
use http_body_util::Empty;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper::upgrade::Upgraded;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How the proxy is spoken to.
#[derive(Debug)]
enum Kind {
    /// An HTTP proxy: absolute-form requests and `CONNECT` tunnels; over TLS to the proxy
    /// (`https://`) with the name its certificate must have.
    Http {
        tls: Option<rustls::pki_types::ServerName<'static>>,
    },
    /// A SOCKS5 proxy, with the username and password to give it (RFC 1929), if any.
    Socks5 {
        credentials: Option<(Vec<u8>, Vec<u8>)>,
    },
}

/// How long a SOCKS5 handshake may take before the connection counts as failed.
const SOCKS_HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The embedder's proxy, checked.
#[derive(Debug)]
pub(crate) struct Proxy {
    kind: Kind,
    /// Where the proxy listens, `http://host:port/` (no credentials): what the connector dials.
    uri: Uri,
    /// `host:port`, for messages (never the credentials).
    name: String,
    /// `Basic ...`, when the URL carries credentials: on every `CONNECT` and every `http:`
    /// request sent through the proxy.
    authorization: Option<HeaderValue>,
    /// The hosts reached directly.
    no_proxy: NoProxy,
}

impl Proxy {
    /// Checks the embedder's configuration: an `http://` URL with a host, and `no_proxy`
    /// entries of the documented forms. Anything else is a [`NetError::Config`].
    pub(crate) fn new(config: &ProxyConfig) -> Result<Proxy, NetError> {
        let raw = config.url.trim();
        let bad = |why: &str| NetError::Config(format!("proxy URL {}: {why}", redacted(raw)));
        let url = url::Url::parse(raw).map_err(|e| bad(&format!("not a URL ({e})")))?;
        let (socks, tls) = match url.scheme() {
            "http" => (false, false),
            "https" => (false, true),
            "socks5" | "socks5h" => (true, false),
            _ => {
                return Err(bad(
                    "http://, https://, socks5:// and socks5h:// proxies are supported \
                     (https:// origins get TLS end to end through any of them)",
                ))
            }
        };
        let host = match url.host_str() {
            Some(host) if !host.is_empty() => host,
            _ => return Err(bad("no host")),
        };
        // (A socks5: URL is not "special": an empty path is its "/".)
        if !matches!(url.path(), "/" | "") || url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "a proxy URL has a host, a port and credentials, nothing more",
            ));
        }
        let port = url
            .port_or_known_default()
            .unwrap_or(if socks { 1080 } else { 80 });
        let server_name = rustls::pki_types::ServerName::try_from(unbracketed(host).to_string())
            .map_err(|e| bad(&format!("not a usable host name ({e})")))?;
        let name = format!("{host}:{port}");
        let uri = format!("http://{name}/")
            .parse::<Uri>()
            .map_err(|e| bad(&format!("not a usable address ({e})")))?;
        let has_credentials = !url.username().is_empty() || url.password().is_some();
        let kind = if socks {
            let credentials = if has_credentials {
                let decode = |s: &str| -> Vec<u8> { percent_decode(s) };
                let (user, pass) = (decode(url.username()), decode(url.password().unwrap_or("")));
                // RFC 1929: each is 1 to 255 bytes.
                if user.is_empty() || user.len() > 255 || pass.len() > 255 {
                    return Err(bad(
                        "a SOCKS5 username and password are 1 to 255 bytes each",
                    ));
                }
                Some((user, pass))
            } else {
                None
            };
            Kind::Socks5 { credentials }
        } else {
            Kind::Http {
                tls: tls.then_some(server_name),
            }
        };
        let authorization = if socks || !has_credentials {
            None
        } else {
            // The serialized URL: userinfo percent-encoded as the matcher expects.
            let matcher = Matcher::builder().http(url.as_str()).build();
            let auth = matcher
                .intercept(&Uri::from_static("http://proxied.invalid/"))
                .and_then(|intercept| intercept.basic_auth().cloned());
            Some(auth.ok_or_else(|| bad("its credentials cannot be read"))?)
        };
        Ok(Proxy {
            kind,
            uri,
            name,
            authorization,
            no_proxy: NoProxy::new(&config.no_proxy)?,
        })
    }

    /// Whether a request to `uri` goes through the proxy (its host is not in `no_proxy`).
    pub(crate) fn intercepts(&self, uri: &Uri) -> bool {
        uri.host().is_some_and(|host| !self.no_proxy.contains(host))
    }

    /// The `Proxy-Authorization` value, when the proxy URL has credentials.
    pub(crate) fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref()
    }

    /// The SOCKS5 handshake over `io`, a connection to the proxy (RFC 1928 sections 3-6,
    /// RFC 1929): `io` is then a connection to `dst`'s host and port.
    async fn socks5_connect<T>(&self, io: T, dst: &Uri) -> Result<T, BoxError>
    where
        T: Read + Write + Unpin + Send + 'static,
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let Kind::Socks5 { credentials } = &self.kind else {
            return Err("not a SOCKS5 proxy".into());
        };
        let host = unbracketed(dst.host().ok_or("the URL has no host")?);
        let port = dst.port_u16().unwrap_or(match dst.scheme() {
            Some(s) if *s == Scheme::HTTPS => 443,
            _ => 80,
        });
        let what = format!("SOCKS5 CONNECT {host}:{port} through proxy {}", self.name);
        let fail = |why: String| -> BoxError { format!("{what}: {why}").into() };
        let mut io = hyper_util::rt::TokioIo::new(io);
        let handshake = async {
            // Method selection: no authentication, or username/password when configured.
            let methods: &[u8] = if credentials.is_some() {
                &[0x00, 0x02]
            } else {
                &[0x00]
            };
            let mut hello = vec![0x05, methods.len() as u8];
            hello.extend_from_slice(methods);
            io.write_all(&hello).await?;
            let mut chosen = [0u8; 2];
            io.read_exact(&mut chosen).await?;
            if chosen[0] != 0x05 {
                return Err(fail("the proxy does not speak SOCKS5".into()));
            }
            match (chosen[1], credentials) {
                (0x00, _) => {}
                (0x02, Some((user, pass))) => {
                    let mut auth = vec![0x01, user.len() as u8];
                    auth.extend_from_slice(user);
                    auth.push(pass.len() as u8);
                    auth.extend_from_slice(pass);
                    io.write_all(&auth).await?;
                    let mut status = [0u8; 2];
                    io.read_exact(&mut status).await?;
                    if status[1] != 0x00 {
                        return Err(fail("the proxy refused the username and password".into()));
                    }
                }
                (0xFF, _) => {
                    return Err(fail(if credentials.is_some() {
                        "the proxy accepts none of our authentication methods".into()
                    } else {
                        "the proxy wants credentials (none in the proxy URL)".into()
                    }))
                }
                (other, _) => return Err(fail(format!("the proxy chose method {other:#04x}"))),
            }
            // The request: CONNECT to an IP address, or a domain name the proxy resolves.
            let mut request = vec![0x05, 0x01, 0x00];
            match host.parse::<IpAddr>() {
                Ok(IpAddr::V4(ip)) => {
                    request.push(0x01);
                    request.extend_from_slice(&ip.octets());
                }
                Ok(IpAddr::V6(ip)) => {
                    request.push(0x04);
                    request.extend_from_slice(&ip.octets());
                }
                Err(_) => {
                    let name = host.as_bytes();
                    if name.len() > 255 {
                        return Err(fail("the host name is too long for SOCKS5".into()));
                    }
                    request.push(0x03);
                    request.push(name.len() as u8);
                    request.extend_from_slice(name);
                }
            }
            request.extend_from_slice(&port.to_be_bytes());
            io.write_all(&request).await?;
            // The reply: version, status, reserved, then the bound address (skipped).
            let mut reply = [0u8; 4];
            io.read_exact(&mut reply).await?;
            if reply[0] != 0x05 {
                return Err(fail("the proxy's reply is not SOCKS5".into()));
            }
            if reply[1] != 0x00 {
                return Err(fail(format!(
                    "the proxy answered: {}",
                    socks5_reply(reply[1])
                )));
            }
            let skip = match reply[3] {
                0x01 => 4,
                0x04 => 16,
                0x03 => {
                    let mut len = [0u8; 1];
                    io.read_exact(&mut len).await?;
                    len[0] as usize
                }
                other => return Err(fail(format!("address type {other:#04x} in its reply"))),
            };
            let mut bound = vec![0u8; skip + 2];
            io.read_exact(&mut bound).await?;
            Ok::<(), BoxError>(())
        };
        match tokio::time::timeout(SOCKS_HANDSHAKE_TIMEOUT, handshake).await {
            Ok(Ok(())) => Ok(io.into_inner()),
            Ok(Err(e)) if e.is::<std::io::Error>() => Err(fail(e.to_string())),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(fail(format!(
                "no answer within {}s",
                SOCKS_HANDSHAKE_TIMEOUT.as_secs()
            ))),
        }
    }

    /// Opens a tunnel to `dst`'s host and port over `io`, a connection to the proxy.
    async fn tunnel<T>(&self, io: T, dst: &Uri) -> Result<Upgraded, BoxError>
    where
        T: Read + Write + Unpin + Send + 'static,
    {
        let host = dst.host().ok_or("the URL has no host")?;
        let port = dst.port_u16().unwrap_or(443);
        let authority = format!("{host}:{port}");
        let what = || format!("CONNECT {authority} through proxy {}", self.name);
        let mut request = Request::connect(authority.as_str()).header(HOST, authority.as_str());
        if let Some(auth) = &self.authorization {
            request = request.header(PROXY_AUTHORIZATION, auth.clone());
        }
        let request = request.body(Empty::<Bytes>::new())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| ProxyError::new(what(), e))?;
        // The connection hands the socket back (and ends) once the proxy answers 2xx; it may
        // end before the response is seen here, which is then already on its way.
        let mut conn = std::pin::pin!(conn.with_upgrades());
        let mut sending = std::pin::pin!(sender.send_request(request));
        let (response, conn_done) = tokio::select! {
            response = &mut sending => (response, false),
            done = &mut conn => {
                done.map_err(|e| ProxyError::new(what(), e))?;
                (sending.await, true)
            }
        };
        let response = response.map_err(|e| ProxyError::new(what(), e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{}: the proxy answered {status}", what()).into());
        }
        let upgraded = if conn_done {
            hyper::upgrade::on(response).await
        } else {
            tokio::join!(hyper::upgrade::on(response), conn).0
        };
        Ok(upgraded.map_err(|e| ProxyError::new(what(), e))?)
    }
}

/// RFC 1928 section 6's reply codes.
fn socks5_reply(code: u8) -> String {
    match code {
        0x01 => "general SOCKS server failure".into(),
        0x02 => "connection not allowed by ruleset".into(),
        0x03 => "network unreachable".into(),
        0x04 => "host unreachable".into(),
        0x05 => "connection refused".into(),
        0x06 => "TTL expired".into(),
        0x07 => "command not supported".into(),
        0x08 => "address type not supported".into(),
        other => format!("reply code {other:#04x}"),
    }
}

/// `%XX` escapes of a URL's userinfo decoded (a malformed escape stays as it is).
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A proxy URL fit for a message: the credentials, if any, replaced by `***`.
fn redacted(raw: &str) -> String {
    let start = raw.find("://").map_or(0, |i| i + 3);
    match raw[start..].rfind('@') {
        Some(at) => format!("{}***@{}", &raw[..start], &raw[start + at + 1..]),
        None => raw.to_string(),
    }
}

/// `ProxyConfig::no_proxy`: the hosts reached directly.
#[derive(Debug, Default)]
struct NoProxy {
    /// `*`: every host.
    all: bool,
    /// Exact names (lower case, no trailing dot).
    names: Vec<String>,
    /// `.suffix` / `*.suffix`: the domain and its subdomains (stored without the dot).
    domains: Vec<String>,
    /// IP addresses.
    ips: Vec<IpAddr>,
}

impl NoProxy {
    fn new(entries: &[String]) -> Result<NoProxy, NetError> {
        let mut no_proxy = NoProxy::default();
        for entry in entries {
            let entry = entry.trim().trim_end_matches('.').to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            if entry == "*" {
                no_proxy.all = true;
            } else if let Ok(ip) = unbracketed(&entry).parse::<IpAddr>() {
                no_proxy.ips.push(ip);
            } else if let Some(domain) = entry
                .strip_prefix("*.")
                .or_else(|| entry.strip_prefix('.'))
                .filter(|domain| !domain.is_empty() && !domain.contains('*'))
            {
                no_proxy.domains.push(domain.to_string());
            } else if entry.contains('*') || entry.starts_with('.') {
                return Err(NetError::Config(format!(
                    "no_proxy entry {entry:?}: `*` stands alone or before a dot (`*.example.com`)"
                )));
            } else {
                no_proxy.names.push(entry);
            }
        }
        Ok(no_proxy)
    }

    /// Whether `host` (as in a URL: IPv6 in brackets) is reached directly.
    fn contains(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        let host = unbracketed(host.trim_end_matches('.')).to_ascii_lowercase();
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.ips.contains(&ip);
        }
        self.names.contains(&host)
            || self.domains.iter().any(|domain| {
                host.strip_suffix(domain.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
            })
    }
}

fn unbracketed(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

/// A failure on the way through the proxy, saying which step and which proxy.
#[derive(Debug)]
struct ProxyError {
    what: String,
    source: BoxError,
}

impl ProxyError {
    fn new(what: String, source: impl Into<BoxError>) -> ProxyError {
        ProxyError {
            what,
            source: source.into(),
        }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for ProxyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Connects to an origin directly, to the proxy (`http:`), or through a tunnel (`https:`);
/// `inner` makes the TCP connections (to the origin or to the proxy).
#[derive(Clone)]
pub(crate) struct ProxyConnector<C> {
    inner: C,
    proxy: Option<Arc<Proxy>>,
    /// TLS with an `https://` proxy (the embedder's roots; HTTP/1.1).
    proxy_tls: Arc<rustls::ClientConfig>,
}

impl<C> ProxyConnector<C> {
    pub(crate) fn new(
        inner: C,
        proxy: Option<Arc<Proxy>>,
        proxy_tls: Arc<rustls::ClientConfig>,
    ) -> ProxyConnector<C> {
        ProxyConnector {
            inner,
            proxy,
            proxy_tls,
        }
    }
}

/// A TLS connection to an `https://` proxy over `T`.
type ProxyTls<T> = TokioIo<tokio_rustls::client::TlsStream<TokioIo<T>>>;

impl<C> tower_service::Service<Uri> for ProxyConnector<C>
where
    C: tower_service::Service<Uri>,
    C::Response: Read + Write + Connection + Unpin + Send + 'static,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = ProxyStream<C::Response>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let proxy = match &self.proxy {
            Some(proxy) if proxy.intercepts(&dst) => proxy.clone(),
            _ => {
                let connecting = self.inner.call(dst);
                return Box::pin(async move {
                    Ok(ProxyStream::Direct(connecting.await.map_err(Into::into)?))
                });
            }
        };
        let connecting = self.inner.call(proxy.uri.clone());
        let proxy_tls = self.proxy_tls.clone();
        Box::pin(async move {
            let io = connecting
                .await
                .map_err(|e| ProxyError::new(format!("cannot reach proxy {}", proxy.name), e))?;
            if let Kind::Http { tls: Some(name) } = &proxy.kind {
                // TLS with the proxy itself, then as through a plain one (an `https:`
                // origin's TLS runs inside this TLS, end to end).
                let stream = tokio_rustls::TlsConnector::from(proxy_tls)
                    .connect(name.clone(), TokioIo::new(io))
                    .await
                    .map_err(|e| ProxyError::new(format!("TLS with proxy {}", proxy.name), e))?;
                let io = TokioIo::new(stream);
                return if dst.scheme() == Some(&Scheme::HTTPS) {
                    log::debug!("{dst}: CONNECT through proxy {} (TLS)", proxy.name);
                    Ok(ProxyStream::Tunnel(proxy.tunnel(io, &dst).await?))
                } else {
                    log::debug!("{dst}: through proxy {} (TLS)", proxy.name);
                    Ok(ProxyStream::ForwardTls(Box::new(io)))
                };
            }
            if let Kind::Socks5 { .. } = proxy.kind {
                // A byte stream to the origin, as a direct connection is.
                log::debug!("{dst}: through SOCKS5 proxy {}", proxy.name);
                Ok(ProxyStream::Direct(proxy.socks5_connect(io, &dst).await?))
            } else if dst.scheme() == Some(&Scheme::HTTPS) {
                log::debug!("{dst}: CONNECT through proxy {}", proxy.name);
                Ok(ProxyStream::Tunnel(proxy.tunnel(io, &dst).await?))
            } else {
                log::debug!("{dst}: through proxy {}", proxy.name);
                Ok(ProxyStream::Forward(io))
            }
        })
    }
}

/// A connection the [`ProxyConnector`] made.
pub(crate) enum ProxyStream<T> {
    /// Straight to the origin.
    Direct(T),
    /// To the proxy, which gets each `http:` request in absolute form.
    Forward(T),
    /// A `CONNECT` tunnel through the proxy to the origin.
    Tunnel(Upgraded),
    /// To an `https://` proxy over TLS, which gets each `http:` request in absolute form.
    ForwardTls(Box<ProxyTls<T>>),
}

impl<T: Connection> Connection for ProxyStream<T> {
    fn connected(&self) -> Connected {
        match self {
            ProxyStream::Direct(io) => io.connected(),
            // `is_proxied`: hyper writes the request target in absolute form.
            ProxyStream::Forward(io) => io.connected().proxy(true),
            ProxyStream::Tunnel(_) => Connected::new(),
            ProxyStream::ForwardTls(io) => io.inner().get_ref().0.inner().connected().proxy(true),
        }
    }
}

impl<T: Read + Write + Unpin> Read for ProxyStream<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => Pin::new(io).poll_read(cx, buf),
            ProxyStream::Tunnel(io) => Pin::new(io).poll_read(cx, buf),
            ProxyStream::ForwardTls(io) => Pin::new(io).poll_read(cx, buf),
        }
    }
}

impl<T: Read + Write + Unpin> Write for ProxyStream<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => Pin::new(io).poll_write(cx, buf),
            ProxyStream::Tunnel(io) => Pin::new(io).poll_write(cx, buf),
            ProxyStream::ForwardTls(io) => Pin::new(io).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => Pin::new(io).poll_flush(cx),
            ProxyStream::Tunnel(io) => Pin::new(io).poll_flush(cx),
            ProxyStream::ForwardTls(io) => Pin::new(io).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => Pin::new(io).poll_shutdown(cx),
            ProxyStream::Tunnel(io) => Pin::new(io).poll_shutdown(cx),
            ProxyStream::ForwardTls(io) => Pin::new(io).poll_shutdown(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => io.is_write_vectored(),
            ProxyStream::Tunnel(io) => io.is_write_vectored(),
            ProxyStream::ForwardTls(io) => io.is_write_vectored(),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ProxyStream::Direct(io) | ProxyStream::Forward(io) => {
                Pin::new(io).poll_write_vectored(cx, bufs)
            }
            ProxyStream::Tunnel(io) => Pin::new(io).poll_write_vectored(cx, bufs),
            ProxyStream::ForwardTls(io) => Pin::new(io).poll_write_vectored(cx, bufs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str, no_proxy: &[&str]) -> ProxyConfig {
        ProxyConfig {
            url: url.to_string(),
            no_proxy: no_proxy.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn no_proxy_forms() {
        let proxy = Proxy::new(&config(
            "http://proxy.test:3128",
            &[
                "exact.test",
                ".dot.test",
                "*.star.test",
                "10.0.0.1",
                "[::1]",
                " Upper.Test. ",
            ],
        ))
        .unwrap();
        let direct = |u: &str| !proxy.intercepts(&uri(u));
        assert!(direct("http://exact.test/"));
        assert!(direct("https://EXACT.test./x"));
        assert!(
            !direct("http://sub.exact.test/"),
            "an exact name is only itself"
        );
        assert!(direct("http://dot.test/") && direct("http://a.b.dot.test/"));
        assert!(direct("http://star.test/") && direct("https://a.star.test/"));
        assert!(
            !direct("http://notstar.test/"),
            "a suffix matches at a dot only"
        );
        assert!(direct("http://10.0.0.1:8080/") && !direct("http://10.0.0.2/"));
        assert!(direct("http://[::1]:8080/"));
        assert!(direct("http://upper.test/"));
        assert!(!direct("http://other.test/"));
    }

    #[test]
    fn star_is_every_host() {
        let proxy = Proxy::new(&config("http://proxy.test", &["*"])).unwrap();
        assert!(!proxy.intercepts(&uri("http://example.test/")));
        assert!(!proxy.intercepts(&uri("https://127.0.0.1/")));
    }

    #[test]
    fn url_forms() {
        let proxy = Proxy::new(&config("http://proxy.test", &[])).unwrap();
        assert_eq!(proxy.uri, uri("http://proxy.test:80/"));
        assert!(proxy.authorization().is_none());

        let proxy = Proxy::new(&config("http://Aladdin:open%20sesame@[::1]:8080/", &[])).unwrap();
        assert_eq!(proxy.name, "[::1]:8080");
        assert_eq!(
            proxy.authorization().unwrap(),
            // base64("Aladdin:open sesame")
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert!(proxy.authorization().unwrap().is_sensitive());
    }

    #[test]
    fn bad_urls_are_config_errors() {
        for (url, says) in [
            ("", "not a URL"),
            (
                "proxy.test:3128",
                "socks5:// and socks5h:// proxies are supported",
            ),
            (
                "socks4://proxy.test",
                "socks5:// and socks5h:// proxies are supported",
            ),
            ("socks5://:secret@proxy.test", "1 to 255 bytes"),
            ("http://proxy.test/pac.js", "nothing more"),
            ("http://user:secret@proxy.test:99999", "not a URL"),
        ] {
            match Proxy::new(&config(url, &[])) {
                Err(NetError::Config(message)) => {
                    assert!(message.contains(says), "{url:?}: {message}");
                    assert!(!message.contains("secret"), "{url:?}: {message}");
                }
                other => panic!("{url:?}: {other:?}"),
            }
        }
        assert!(matches!(
            Proxy::new(&config("http://proxy.test", &["a*.test"])),
            Err(NetError::Config(_))
        ));
    }

    #[test]
    fn redaction() {
        assert_eq!(redacted("http://u:p@h:1"), "http://***@h:1");
        assert_eq!(redacted("u:p@h"), "***@h");
        assert_eq!(redacted("http://h:1"), "http://h:1");
    }
}
