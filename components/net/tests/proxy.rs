//! `NetworkConfig::proxy`: `http:` requests go to the proxy in absolute form, `https:` ones
//! through a `CONNECT` tunnel with TLS end to end, credentials become `Proxy-Authorization`,
//! `no_proxy` hosts are reached directly, and a proxy that refuses or a bad proxy URL is an
//! error.
//!
//! A tiny proxy and two origins (plain HTTP, and HTTPS with HTTP/2 by ALPN and a certificate
//! from a test CA) listen on 127.0.0.1, port 0; they are tasks of each test's runtime and end
//! with it. The client knows only `proxy.test` (and `direct.test` for the bypass): every
//! other name is the proxy's to resolve, so a request that skipped the proxy would fail.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use net::{HttpClient, NetError, NetworkConfig, ProxyConfig};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A request head as a server received it: the request line and the headers (names in
/// lower case).
#[derive(Clone, Debug)]
struct Head {
    line: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Head>>>;

/// What the test proxy does with a `CONNECT`.
#[derive(Clone, Copy)]
enum Connect {
    Tunnel,
    /// Answers 403 and keeps the connection open (the client must not wait for more).
    Refuse,
}

/// A proxy on 127.0.0.1 that resolves every name to 127.0.0.1 and logs each request head.
struct TestProxy {
    port: u16,
    seen: Log,
}

impl TestProxy {
    async fn start(connect: Connect) -> TestProxy {
        let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Log::default();
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(proxy_connection(client, connect, log.clone()));
            }
        });
        TestProxy { port, seen }
    }

    /// The same proxy, spoken to over TLS (an `https://` proxy) with `tls`'s certificate.
    async fn start_tls(
        connect: Connect,
        tls: Arc<tokio_rustls::rustls::ServerConfig>,
    ) -> TestProxy {
        let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Log::default();
        let log = seen.clone();
        let acceptor = tokio_rustls::TlsAcceptor::from(tls);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (acceptor, log) = (acceptor.clone(), log.clone());
                tokio::spawn(async move {
                    if let Ok(client) = acceptor.accept(client).await {
                        proxy_connection(client, connect, log).await;
                    }
                });
            }
        });
        TestProxy { port, seen }
    }

    fn seen(&self) -> Vec<Head> {
        self.seen.lock().unwrap().clone()
    }
}

async fn proxy_connection<S>(mut client: S, connect: Connect, log: Log)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Some(head) = read_head(&mut client).await else {
        return;
    };
    log.lock().unwrap().push(head.clone());
    let mut parts = head.line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "CONNECT" {
        match connect {
            Connect::Refuse => {
                let _ = client
                    .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    .await;
                // Held open until the client gives up on it.
                let _ = client.read(&mut [0; 1]).await;
            }
            Connect::Tunnel => {
                let Some(mut origin) = dial(target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
            }
        }
        return;
    }
    // An absolute-form request: forwarded in origin form, one per connection.
    let Some(rest) = target.strip_prefix("http://") else {
        let _ = client.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        return;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Some(mut origin) = dial(authority).await else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
        return;
    };
    let path = if path.is_empty() { "/" } else { path };
    let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in &head.headers {
        if name != "proxy-authorization" && name != "connection" {
            forwarded.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    forwarded.push_str("connection: close\r\n\r\n");
    if origin.write_all(forwarded.as_bytes()).await.is_ok() {
        let _ = tokio::io::copy(&mut origin, &mut client).await;
    }
    let _ = client.shutdown().await;
}

/// Connects to `host:port`, every host being 127.0.0.1.
async fn dial(authority: &str) -> Option<TcpStream> {
    let port: u16 = authority.rsplit_once(':')?.1.parse().ok()?;
    TcpStream::connect((LOOPBACK, port)).await.ok()
}

/// Reads a request head byte by byte (so nothing after it is consumed).
async fn read_head<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> Option<Head> {
    let mut bytes = Vec::new();
    while !bytes.ends_with(b"\r\n\r\n") {
        bytes.push(stream.read_u8().await.ok()?);
        if bytes.len() > 64 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let line = lines.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Head { line, headers })
}

/// An origin on 127.0.0.1 answering `<path> from origin`; it logs what it received (its
/// request target and headers). With `tls`, HTTPS (h2 or http/1.1 by ALPN).
struct Origin {
    port: u16,
    seen: Log,
}

impl Origin {
    async fn start(tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>) -> Origin {
        let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Log::default();
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (tls, log) = (tls.clone(), log.clone());
                tokio::spawn(async move {
                    match tls {
                        Some(tls) => {
                            let acceptor = tokio_rustls::TlsAcceptor::from(tls);
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve_origin(TokioIo::new(stream), log).await;
                            }
                        }
                        None => serve_origin(TokioIo::new(stream), log).await,
                    }
                });
            }
        });
        Origin { port, seen }
    }

    fn seen(&self) -> Vec<Head> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve_origin<I>(io: I, log: Log)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(Head {
                line: format!(
                    "{} {} {:?}",
                    request.method(),
                    request.uri(),
                    request.version()
                ),
                headers: request
                    .headers()
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect(),
            });
            let body = format!("{} from origin", request.uri().path());
            Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from(body))))
        }
    });
    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
        .serve_connection(io, service)
        .await;
}

/// A test CA and a server configuration for `origin.test` and `direct.test` signed by it.
fn tls_origin() -> (Vec<u8>, Arc<tokio_rustls::rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
    use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec![
        "origin.test".into(),
        "direct.test".into(),
        "proxy.test".into(),
    ])
    .unwrap()
    .signed_by(&leaf_key, &Issuer::from_params(&ca, &ca_key))
    .unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    (ca_cert.der().to_vec(), Arc::new(config))
}

/// A client that knows only `proxy.test` and `direct.test` (both 127.0.0.1), trusts
/// `roots`, and uses the proxy at `url`.
fn client(url: &str, no_proxy: &[&str], roots: Vec<Vec<u8>>) -> Result<HttpClient, NetError> {
    let mut config =
        NetworkConfig::loopback_only(["proxy.test".into(), "direct.test".into()], LOOPBACK);
    config.extra_roots = roots;
    config.proxy = Some(ProxyConfig {
        url: url.to_string(),
        no_proxy: no_proxy.iter().map(|s| s.to_string()).collect(),
    });
    HttpClient::new(&config)
}

/// GETs `url`: the response's version and body, or why not. A refusal must be an answer,
/// not a wait: past 20 s this panics.
async fn get(client: &HttpClient, url: &str) -> Result<(http::Version, String), NetError> {
    let request = http::Request::get(url).body(net::http::empty()).unwrap();
    let response = tokio::time::timeout(Duration::from_secs(20), client.send(request))
        .await
        .expect("the request neither succeeded nor failed")?;
    let version = response.version();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Ok((version, String::from_utf8(body.to_vec()).unwrap()))
}

#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form() {
    let proxy = TestProxy::start(Connect::Tunnel).await;
    let origin = Origin::start(None).await;
    let client = client(&format!("http://proxy.test:{}", proxy.port), &[], vec![]).unwrap();

    let url = format!("http://origin.test:{}/page?q=1", origin.port);
    let (_, body) = get(&client, &url).await.unwrap();
    assert_eq!(body, "/page from origin");

    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].line, format!("GET {url} HTTP/1.1"));
    assert_eq!(
        seen[0].header("host"),
        Some(format!("origin.test:{}", origin.port).as_str())
    );
    assert_eq!(seen[0].header("proxy-authorization"), None);
    assert_eq!(origin.seen().len(), 1);
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_tls_end_to_end() {
    let proxy = TestProxy::start(Connect::Tunnel).await;
    let (ca, tls) = tls_origin();
    let origin = Origin::start(Some(tls)).await;
    let authority = format!("origin.test:{}", origin.port);
    let url = format!("https://{authority}/secure");

    // Without the test CA the origin's certificate is refused: TLS is with the origin.
    let untrusting = client(&format!("http://proxy.test:{}", proxy.port), &[], vec![]).unwrap();
    let error = get(&untrusting, &url).await.unwrap_err();
    assert!(matches!(error, NetError::Network(_)), "{error}");
    assert!(origin.seen().is_empty());

    let client = client(&format!("http://proxy.test:{}", proxy.port), &[], vec![ca]).unwrap();
    let (version, body) = get(&client, &url).await.unwrap();
    assert_eq!(body, "/secure from origin");
    // ALPN reached the origin through the tunnel.
    assert_eq!(version, http::Version::HTTP_2);

    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for head in &seen {
        assert_eq!(head.line, format!("CONNECT {authority} HTTP/1.1"));
        assert_eq!(head.header("host"), Some(authority.as_str()));
        assert_eq!(head.header("proxy-authorization"), None);
    }
    // The origin got the request in origin form; the proxy saw only the tunnel.
    let at_origin = origin.seen();
    assert_eq!(at_origin.len(), 1, "{at_origin:?}");
    assert_eq!(at_origin[0].line, format!("GET {url} HTTP/2.0"));
}

#[tokio::test]
async fn credentials_in_the_proxy_url_become_proxy_authorization() {
    let proxy = TestProxy::start(Connect::Tunnel).await;
    let (ca, tls) = tls_origin();
    let secure = Origin::start(Some(tls)).await;
    let plain = Origin::start(None).await;
    // `%40` is `@`: the credentials are percent-decoded before they are encoded.
    let url = format!("http://alad%40din:open%20sesame@proxy.test:{}", proxy.port);
    let client = client(&url, &[], vec![ca]).unwrap();
    // base64("alad@din:open sesame")
    let expected = "Basic YWxhZEBkaW46b3BlbiBzZXNhbWU=";

    get(&client, &format!("http://origin.test:{}/a", plain.port))
        .await
        .unwrap();
    get(&client, &format!("https://origin.test:{}/b", secure.port))
        .await
        .unwrap();

    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0].line.starts_with("GET http://origin.test:"),
        "{seen:?}"
    );
    assert!(seen[1].line.starts_with("CONNECT origin.test:"), "{seen:?}");
    for head in &seen {
        assert_eq!(
            head.header("proxy-authorization"),
            Some(expected),
            "{head:?}"
        );
    }
    // Through the tunnel the origin never sees the proxy's credentials.
    let at_origin = secure.seen();
    assert_eq!(at_origin.len(), 1);
    assert!(at_origin[0]
        .headers
        .iter()
        .all(|(name, _)| name != "proxy-authorization"));
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let proxy = TestProxy::start(Connect::Tunnel).await;
    let (ca, tls) = tls_origin();
    let secure = Origin::start(Some(tls)).await;
    let plain = Origin::start(None).await;
    let bypassing = client(
        &format!("http://proxy.test:{}", proxy.port),
        &["other.test", "direct.test"],
        vec![ca],
    )
    .unwrap();

    let (_, body) = get(&bypassing, &format!("http://direct.test:{}/p", plain.port))
        .await
        .unwrap();
    assert_eq!(body, "/p from origin");
    let (_, body) = get(
        &bypassing,
        &format!("https://direct.test:{}/s", secure.port),
    )
    .await
    .unwrap();
    assert_eq!(body, "/s from origin");
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(plain.seen().len(), 1);
    assert_eq!(secure.seen().len(), 1);

    // `*` sends everything direct: origin.test is then not resolvable by this client.
    let everything = client(&format!("http://proxy.test:{}", proxy.port), &["*"], vec![]).unwrap();
    let error = get(&everything, &format!("http://origin.test:{}/", plain.port))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("origin.test"), "{error}");
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn a_refused_connect_is_a_network_error_naming_the_status() {
    let proxy = TestProxy::start(Connect::Refuse).await;
    let client = client(&format!("http://proxy.test:{}", proxy.port), &[], vec![]).unwrap();

    let error = get(&client, "https://origin.test:443/").await.unwrap_err();
    let NetError::Network(message) = &error else {
        panic!("{error:?}");
    };
    assert!(message.contains("403 Forbidden"), "{message}");
    assert!(
        message.contains(&format!("proxy.test:{}", proxy.port)),
        "{message}"
    );
    assert_eq!(proxy.seen().len(), 1);
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_network_error() {
    // A port nothing listens on any more.
    let port = TcpListener::bind((LOOPBACK, 0))
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = client(&format!("http://proxy.test:{port}"), &[], vec![]).unwrap();
    for url in ["http://origin.test/", "https://origin.test/"] {
        let error = get(&unreachable, url).await.unwrap_err();
        let NetError::Network(message) = &error else {
            panic!("{error:?}");
        };
        assert!(
            message.contains(&format!("cannot reach proxy proxy.test:{port}")),
            "{message}"
        );
    }
    // The proxy's own name goes through the embedder's host map.
    let unmapped = client("http://elsewhere.test:3128", &[], vec![]).unwrap();
    let error = get(&unmapped, "http://origin.test/").await.unwrap_err();
    assert!(error.to_string().contains("elsewhere.test"), "{error}");
}

#[test]
fn a_bad_proxy_url_is_a_config_error() {
    for url in [
        "",
        "not a url",
        "proxy.test:3128",
        "ftp://proxy.test:3128",
        "socks4://proxy.test:1080",
        "http://user:secret@proxy.test:3128/some/path",
    ] {
        match client(url, &[], vec![]) {
            Err(NetError::Config(message)) => {
                assert!(message.contains("proxy URL"), "{url:?}: {message}");
                assert!(!message.contains("secret"), "{url:?}: {message}");
            }
            Err(other) => panic!("{url:?}: {other}"),
            Ok(_) => panic!("{url:?} was accepted"),
        }
    }
    match client("http://proxy.test", &["bad*.test"], vec![]) {
        Err(NetError::Config(message)) => assert!(message.contains("no_proxy"), "{message}"),
        other => panic!("{:?}", other.err()),
    }
}

/// What the test SOCKS5 proxy asks of its clients.
#[derive(Clone)]
enum SocksAuth {
    None,
    /// Username and password (RFC 1929).
    Password(&'static str, &'static str),
}

/// A SOCKS5 proxy on 127.0.0.1: every host name resolves to 127.0.0.1; it logs each
/// `CONNECT` target as `host:port`, and "refused:" when it refused the credentials.
struct TestSocks {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl TestSocks {
    async fn start(auth: SocksAuth) -> TestSocks {
        let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(socks_connection(client, auth.clone(), log.clone()));
            }
        });
        TestSocks { port, seen }
    }
}

async fn socks_connection(
    mut client: TcpStream,
    auth: SocksAuth,
    log: Arc<Mutex<Vec<String>>>,
) -> Option<()> {
    let mut head = [0u8; 2];
    client.read_exact(&mut head).await.ok()?;
    let mut methods = vec![0u8; head[1] as usize];
    client.read_exact(&mut methods).await.ok()?;
    match &auth {
        SocksAuth::None => client.write_all(&[0x05, 0x00]).await.ok()?,
        SocksAuth::Password(user, pass) => {
            if !methods.contains(&0x02) {
                client.write_all(&[0x05, 0xFF]).await.ok()?;
                return None;
            }
            client.write_all(&[0x05, 0x02]).await.ok()?;
            let mut v = [0u8; 2];
            client.read_exact(&mut v).await.ok()?;
            let mut u = vec![0u8; v[1] as usize];
            client.read_exact(&mut u).await.ok()?;
            let mut plen = [0u8; 1];
            client.read_exact(&mut plen).await.ok()?;
            let mut p = vec![0u8; plen[0] as usize];
            client.read_exact(&mut p).await.ok()?;
            if u != user.as_bytes() || p != pass.as_bytes() {
                log.lock().unwrap().push("refused:".into());
                client.write_all(&[0x01, 0x01]).await.ok()?;
                return None;
            }
            client.write_all(&[0x01, 0x00]).await.ok()?;
        }
    }
    let mut request = [0u8; 4];
    client.read_exact(&mut request).await.ok()?;
    let host = match request[3] {
        0x01 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).await.ok()?;
            Ipv4Addr::from(ip).to_string()
        }
        0x03 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len).await.ok()?;
            let mut name = vec![0u8; len[0] as usize];
            client.read_exact(&mut name).await.ok()?;
            String::from_utf8(name).ok()?
        }
        _ => return None,
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port).await.ok()?;
    let port = u16::from_be_bytes(port);
    log.lock().unwrap().push(format!("{host}:{port}"));
    let Ok(mut origin) = TcpStream::connect((LOOPBACK, port)).await else {
        // Connection refused.
        client
            .write_all(&[0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])
            .await
            .ok()?;
        return None;
    };
    client
        .write_all(&[0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x04, 0x38])
        .await
        .ok()?;
    let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
    Some(())
}

#[tokio::test]
async fn a_socks5_proxy_carries_http_and_https_with_the_name_resolved_by_the_proxy() {
    let socks = TestSocks::start(SocksAuth::None).await;
    let plain = Origin::start(None).await;
    let (ca, tls) = tls_origin();
    let secure = Origin::start(Some(tls)).await;
    let client = client(
        &format!("socks5h://proxy.test:{}", socks.port),
        &[],
        vec![ca],
    )
    .unwrap();

    // `http:` in origin form (the proxy only carries bytes).
    let (_, body) = get(&client, &format!("http://origin.test:{}/a", plain.port))
        .await
        .unwrap();
    assert_eq!(body, "/a from origin");
    assert_eq!(plain.seen()[0].line, "GET /a HTTP/1.1");
    assert_eq!(plain.seen()[0].header("proxy-authorization"), None);

    // `https:` with TLS (and ALPN) end to end.
    let url = format!("https://origin.test:{}/b", secure.port);
    let (version, body) = get(&client, &url).await.unwrap();
    assert_eq!(body, "/b from origin");
    assert_eq!(version, http::Version::HTTP_2);

    // Both names went to the proxy, which the client alone could not have resolved.
    let seen = socks.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            format!("origin.test:{}", plain.port),
            format!("origin.test:{}", secure.port)
        ]
    );
}

#[tokio::test]
async fn socks5_credentials_come_from_the_proxy_url_and_a_refusal_is_an_error() {
    let socks = TestSocks::start(SocksAuth::Password("user name", "pa:ss")).await;
    let origin = Origin::start(None).await;
    let url = format!("http://origin.test:{}/c", origin.port);

    let good = client(
        &format!("socks5://user%20name:pa%3Ass@proxy.test:{}", socks.port),
        &[],
        vec![],
    )
    .unwrap();
    let (_, body) = get(&good, &url).await.unwrap();
    assert_eq!(body, "/c from origin");

    let wrong = client(
        &format!("socks5://user%20name:wrong@proxy.test:{}", socks.port),
        &[],
        vec![],
    )
    .unwrap();
    let error = get(&wrong, &url).await.unwrap_err();
    assert!(
        matches!(&error, NetError::Network(m) if m.contains("refused the username and password")),
        "{error}"
    );
    assert!(!error.to_string().contains("wrong"), "{error}");

    let none = client(&format!("socks5://proxy.test:{}", socks.port), &[], vec![]).unwrap();
    let error = get(&none, &url).await.unwrap_err();
    assert!(error.to_string().contains("wants credentials"), "{error}");
    assert_eq!(
        origin.seen().len(),
        1,
        "only the good client reached the origin"
    );

    // A target the proxy cannot connect to: its reply code, named.
    let closed = {
        let l = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
        l.local_addr().unwrap().port()
    };
    let error = get(&good, &format!("http://origin.test:{closed}/"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("connection refused"), "{error}");
}

#[tokio::test]
async fn an_https_proxy_is_reached_over_tls_and_carries_http_and_https() {
    let (ca, tls) = tls_origin();
    let proxy = TestProxy::start_tls(Connect::Tunnel, tls.clone()).await;
    let plain = Origin::start(None).await;
    let secure = Origin::start(Some(tls)).await;
    let proxy_url = format!("https://proxy.test:{}", proxy.port);

    // Without the test CA the proxy's own certificate is refused.
    let untrusting = client(&proxy_url, &[], vec![]).unwrap();
    let error = get(&untrusting, &format!("http://origin.test:{}/x", plain.port))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("TLS with proxy"), "{error}");
    assert!(proxy.seen().is_empty());

    let client = client(&proxy_url, &[], vec![ca]).unwrap();
    let (_, body) = get(&client, &format!("http://origin.test:{}/x", plain.port))
        .await
        .unwrap();
    assert_eq!(body, "/x from origin");
    // TLS inside the TLS to the proxy, with the origin, ALPN and all.
    let (version, body) = get(&client, &format!("https://origin.test:{}/y", secure.port))
        .await
        .unwrap();
    assert_eq!(body, "/y from origin");
    assert_eq!(version, http::Version::HTTP_2);
    let seen = proxy.seen();
    assert_eq!(
        seen[0].line,
        format!("GET http://origin.test:{}/x HTTP/1.1", plain.port)
    );
    assert!(
        seen.iter()
            .any(|h| h.line == format!("CONNECT origin.test:{} HTTP/1.1", secure.port)),
        "{seen:?}"
    );
}
