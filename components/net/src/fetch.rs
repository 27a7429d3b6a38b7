//! The Fetch standard's network-side steps (<https://fetch.spec.whatwg.org/#fetching>) that a
//! request from a service worker registration's origin goes through: scheme, bad port and
//! mixed content checks, CORS (CORS-preflight, the CORS check, response tainting and exposed
//! headers), redirects, and a streamed upload whose transmitted bytes are reported. The
//! response body is handed over as it streams; nothing here buffers it.
//!
//! One implementation for `fetch()` and background fetch, cookies included (the profile's
//! jar, `cookies.rs`, as the credentials mode allows), and the profile's HTTP cache
//! (`http_cache.rs`) per the request's cache mode where the caller gives one (`fetch()` and
//! page loads do; background fetch bypasses it). Content codings:
//! with `accept_encoding` the request says `Accept-Encoding` and the caller decodes
//! (`content_coding`, for fetch()); background fetch asks for identity. CSP is checked on the
//! script side (the client's policy container) before a request is sent.

use crate::http::{HttpClient, RequestBody};
use crate::http_cache::{HttpCache, ResponseBody};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming};
use net_traits::headers::is_cors_safelisted_request_header;
use net_traits::security::determine_referrer;
use net_traits::{
    ByteString, CacheMode, CredentialsMode, HeaderList, RedirectMode, RequestData, RequestMode,
    ResponseMeta, ResponseType,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use url::Url;

/// Why a fetch gave a network error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// Refused by a check (scheme, port, mixed content, CORS, redirect rules): retrying
    /// cannot help.
    Blocked(String),
    /// The network failed (connection refused or reset, TLS, timeout): a GET may be retried.
    Network(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Blocked(m) => write!(f, "blocked: {m}"),
            FetchError::Network(m) => write!(f, "network error: {m}"),
        }
    }
}

/// Who is fetching: the environment the request comes from.
#[derive(Clone, Debug)]
pub struct FetchClient {
    /// The request's origin, serialized (`https://example.com`).
    pub origin: String,
    /// Whether the client is a secure context (mixed content is blocked then).
    pub secure: bool,
}

/// A request body that can be sent again (after a 307/308 redirect): bytes in memory or a
/// file (a stored background fetch request body).
#[derive(Clone, Debug)]
pub enum BodySource {
    Bytes(Bytes),
    File { path: std::path::PathBuf, len: u64 },
}

impl BodySource {
    pub fn len(&self) -> u64 {
        match self {
            BodySource::Bytes(b) => b.len() as u64,
            BodySource::File { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What to fetch.
pub struct FetchParams {
    pub request: RequestData,
    pub body: Option<BodySource>,
    /// Fetch's "add a range header" with this start (0: no Range header).
    pub range_start: u64,
    /// Called with the request body bytes transmitted so far in this attempt.
    pub on_upload: Option<Arc<dyn Fn(u64) + Send + Sync>>,
    /// Waiting this long for the connection, the upload to move on, or the response headers
    /// is a network error.
    pub idle_timeout: std::time::Duration,
    /// Send `Accept-Encoding` (fetch(); the caller decodes the body). Without it, or with a
    /// Range request, servers answer with identity.
    pub accept_encoding: bool,
    /// The profile's HTTP cache, used per the request's cache mode (`None`: as if there were
    /// none, Fetch's "no-store").
    pub http_cache: Option<Arc<HttpCache>>,
}

/// A response whose body is still arriving.
pub struct FetchResponse {
    pub meta: ResponseMeta,
    pub body: ResponseBody,
    /// The final response came over HTTP/2 (not from the HTTP cache).
    pub http2: bool,
}

pub use net_traits::security::is_potentially_trustworthy;
pub use net_traits::security::{is_port_blocked, BAD_PORTS};

/// Mixed Content §4.1 "should fetching request be blocked": an http URL from a secure
/// context, unless the URL is potentially trustworthy.
pub fn is_mixed_content(client: &FetchClient, url: &Url) -> bool {
    client.secure && !is_potentially_trustworthy(url)
}

/// <https://fetch.spec.whatwg.org/#cors-safelisted-method>
fn is_cors_safelisted_method(m: &str) -> bool {
    matches!(m, "GET" | "HEAD" | "POST")
}

/// <https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names>: sorted, lower-case,
/// unique.
fn cors_unsafe_request_header_names(headers: &HeaderList) -> Vec<String> {
    let mut names: Vec<String> = headers
        .iter()
        .filter(|(n, v)| !is_cors_safelisted_request_header(&n.0, &v.0))
        .map(|(n, _)| n.to_latin1().to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn header_str(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| v.as_bytes().iter().map(|&b| b as char).collect())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// <https://fetch.spec.whatwg.org/#concept-cors-check>
fn cors_check(origin: &str, credentials: bool, headers: &http::HeaderMap) -> Result<(), String> {
    let Some(acao) = header_str(headers, "access-control-allow-origin") else {
        return Err("no Access-Control-Allow-Origin".into());
    };
    if !credentials && acao == "*" {
        return Ok(());
    }
    if acao != origin {
        return Err(format!(
            "Access-Control-Allow-Origin {acao:?} does not allow {origin}"
        ));
    }
    if !credentials {
        return Ok(());
    }
    if header_str(headers, "access-control-allow-credentials").as_deref() != Some("true") {
        return Err("credentials need Access-Control-Allow-Credentials: true".into());
    }
    Ok(())
}

fn uses_credentials(request: &RequestData) -> bool {
    request.credentials == CredentialsMode::Include
}

/// The serialized origin of a URL (opaque: "null").
pub fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn to_header_list(headers: &http::HeaderMap) -> HeaderList {
    headers
        .iter()
        .map(|(n, v)| {
            (
                ByteString(n.as_str().as_bytes().to_vec()),
                ByteString(v.as_bytes().to_vec()),
            )
        })
        .collect()
}

fn network(e: impl std::fmt::Display) -> FetchError {
    FetchError::Network(e.to_string())
}

/// Fetch: the checks, redirects and CORS steps around HTTP-network fetch. Returns once the
/// final response's headers arrived (its body streams on).
pub async fn fetch(
    client: &HttpClient,
    fetch_client: &FetchClient,
    params: FetchParams,
) -> Result<FetchResponse, FetchError> {
    let FetchParams {
        request,
        body,
        range_start,
        on_upload,
        idle_timeout,
        accept_encoding,
        http_cache,
    } = params;
    let transfer = Transfer {
        range_start,
        on_upload,
        idle_timeout,
        accept_encoding,
        http_cache,
    };
    let mut f = Fetching::new(request, body, &fetch_client.origin)?;
    let mut origin = fetch_client.origin.clone();
    loop {
        let same_origin = main_fetch_checks(fetch_client, &mut f, &origin)?;
        let cors = f.response_tainting_cors;
        let response =
            http_network_fetch(client, &f, &origin, &fetch_client.origin, &transfer).await?;
        // The CORS check applies to every response of a CORS request, redirects included.
        if cors {
            cors_check(&origin, uses_credentials(&f.request), response.headers())
                .map_err(|m| FetchError::Blocked(format!("{}: CORS: {m}", f.url)))?;
        }
        match http_redirect_fetch(&mut f, &mut origin, &response)? {
            Redirect::Follow => {
                // A redirect on its way into the HTTP cache is stored once its (small) body
                // ended.
                finish_storing(response.into_body(), transfer.idle_timeout).await;
                continue;
            }
            Redirect::Manual => {
                let meta = ResponseMeta {
                    response_type: ResponseType::OpaqueRedirect,
                    url_list: f.url_list,
                    status: 0,
                    ..Default::default()
                };
                return Ok(FetchResponse {
                    meta,
                    http2: response.version() == http::Version::HTTP_2,
                    body: response.into_body(),
                });
            }
            Redirect::None => {}
        }
        let meta = filtered_response_meta(&f, same_origin, &response);
        return Ok(FetchResponse {
            meta,
            http2: response.version() == http::Version::HTTP_2,
            body: response.into_body(),
        });
    }
}

/// How a request goes over the wire ([`FetchParams`] without the request).
struct Transfer {
    range_start: u64,
    on_upload: Option<Arc<dyn Fn(u64) + Send + Sync>>,
    idle_timeout: std::time::Duration,
    accept_encoding: bool,
    http_cache: Option<Arc<HttpCache>>,
}

/// A fetch in progress: the request as redirects change it, and the fetch's state.
struct Fetching {
    request: RequestData,
    body: Option<BodySource>,
    /// The request's current URL (the last of its URL list).
    url: Url,
    url_list: Vec<String>,
    /// The response tainting is "cors".
    response_tainting_cors: bool,
    /// The request's redirect count.
    redirects: u32,
    /// The request's origin (serialized), as it was before any redirect tainted it.
    client_origin: String,
    /// The request's referrer, when it is a URL (its client's, resolved by the caller).
    referrer: Option<Url>,
    /// Determine request's referrer, for the current URL (main fetch, on every hop).
    referrer_value: Option<String>,
}

impl Fetching {
    fn new(
        request: RequestData,
        body: Option<BodySource>,
        client_origin: &str,
    ) -> Result<Fetching, FetchError> {
        let mut url = Url::parse(&request.url)
            .map_err(|e| FetchError::Blocked(format!("{}: {e}", request.url)))?;
        url.set_fragment(None);
        Ok(Fetching {
            url_list: vec![url.to_string()],
            url,
            body,
            response_tainting_cors: false,
            redirects: 0,
            client_origin: client_origin.to_string(),
            referrer: Url::parse(&request.referrer).ok(),
            referrer_value: None,
            request,
        })
    }
}

/// <https://fetch.spec.whatwg.org/#main-fetch>, the checks before anything is sent (for
/// the request's current URL, on every redirect too): scheme, bad port, mixed content, and
/// what the mode makes of a cross-origin request. Returns whether the URL is same origin
/// with `origin`.
fn main_fetch_checks(
    fetch_client: &FetchClient,
    f: &mut Fetching,
    origin: &str,
) -> Result<bool, FetchError> {
    let url = &f.url;
    // Step 2: scheme checks (background fetch requests are HTTP(S) only).
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::Blocked(format!("{url}: not an HTTP(S) URL")));
    }
    // Step 7: port blocking.
    if is_port_blocked(url) {
        return Err(FetchError::Blocked(format!("{url}: the port is blocked")));
    }
    // Step 7: mixed content.
    if is_mixed_content(fetch_client, url) {
        return Err(FetchError::Blocked(format!(
            "{url}: mixed content from a secure context"
        )));
    }
    // Step 7: Content Security Policy, for this hop (main fetch runs again for every
    // redirect, so a policy also blocks where a redirect leads).
    if let Some(directive) =
        f.request
            .policy_container
            .blocks(url, f.request.destination, f.redirects)
    {
        return Err(FetchError::Blocked(format!(
            "{url}: refused by the Content Security Policy directive \"{directive}\""
        )));
    }
    // Step 9: determine request's referrer (Referrer Policy), for this URL.
    f.referrer_value = f
        .referrer
        .as_ref()
        .and_then(|source| determine_referrer(&f.request.referrer_policy, source, url));
    let same_origin = origin_of(url) == origin;
    // Step 12: the mode decides what a cross-origin request becomes.
    if !same_origin {
        match f.request.mode {
            RequestMode::SameOrigin => {
                return Err(FetchError::Blocked(format!(
                    "{url}: cross-origin request in same-origin mode"
                )))
            }
            RequestMode::Cors => f.response_tainting_cors = true,
            RequestMode::NoCors | RequestMode::Navigate => {}
        }
    }
    Ok(same_origin)
}

/// <https://fetch.spec.whatwg.org/#http-network-or-cache-fetch> and HTTP-network fetch,
/// with the CORS-preflight fetch before it when the method or a header is not safelisted.
async fn http_network_fetch(
    client: &HttpClient,
    f: &Fetching,
    origin: &str,
    client_origin: &str,
    params: &Transfer,
) -> Result<http::Response<ResponseBody>, FetchError> {
    let (request, url, cors) = (&f.request, &f.url, f.response_tainting_cors);
    let with_cookies = cookies_allowed(request, url, origin, client_origin);
    let mut headers: HeaderList = request.headers.clone();
    if params.range_start > 0 {
        // Fetch "add a range header".
        headers.retain(|(n, _)| !n.0.eq_ignore_ascii_case(b"range"));
        headers.push((
            "Range".into(),
            ByteString(format!("bytes={}-", params.range_start).into_bytes()),
        ));
    }
    // CORS-preflight fetch, when the method or a header is not safelisted.
    if cors {
        let unsafe_names = cors_unsafe_request_header_names(&headers);
        if !is_cors_safelisted_method(&request.method) || !unsafe_names.is_empty() {
            let idle = AtomicU64::new(0);
            until_idle(
                preflight(client, f, origin, &unsafe_names),
                params.idle_timeout,
                &idle,
            )
            .await??;
        }
    }
    let mut builder = http::Request::builder()
        .method(
            http::Method::from_bytes(request.method.as_bytes())
                .map_err(|e| FetchError::Blocked(format!("bad method: {e}")))?,
        )
        .uri(url.as_str());
    for (n, v) in &headers {
        builder = builder.header(n.as_bytes(), v.as_bytes());
    }
    // The user agent's `Accept-Encoding` (identity for a Range request, whose offsets count
    // coded bytes).
    if params.accept_encoding && params.range_start == 0 {
        builder = builder.header("Accept-Encoding", crate::content_coding::ACCEPT_ENCODING);
    }
    // HTTP-network-or-cache fetch: `Referer` (the determined referrer) and the default
    // `User-Agent` unless the request has one.
    if let Some(referrer) = &f.referrer_value {
        builder = builder.header("Referer", referrer.as_str());
    }
    if !headers
        .iter()
        .any(|(n, _)| n.0.eq_ignore_ascii_case(b"user-agent"))
    {
        builder = builder.header("User-Agent", net_traits::USER_AGENT);
    }
    // HTTP-network-or-cache fetch step 8.21: the cookies of the URL, if credentials are
    // included (`Cookie` is a forbidden request header: script never sets it).
    if with_cookies {
        if let Some(cookies) = client.cookies().request_cookies(url) {
            builder = builder.header("Cookie", cookies);
        }
    }
    // `Origin` for CORS requests and unsafe methods.
    if cors || !matches!(request.method.as_str(), "GET" | "HEAD") {
        builder = builder.header("Origin", origin);
    }
    let mut cache = HttpCacheFetch::new(params, client_origin, f, &headers, with_cookies);
    builder = cache.add_request_headers(builder);
    let upload_len = f.body.as_ref().map(BodySource::len).unwrap_or(0);
    let uploaded = Arc::new(AtomicU64::new(0));
    let http_body = match &f.body {
        Some(b) => upload_body(b.clone(), params.on_upload.clone(), uploaded.clone()),
        None => crate::http::empty(),
    };
    if f.body.is_some() {
        builder = builder.header("Content-Length", upload_len);
    }
    let mut http_request = builder
        .body(http_body)
        .map_err(|e| FetchError::Blocked(format!("bad request: {e}")))?;
    // HTTP-network-or-cache fetch steps 8.25-8.26: a stored response, used as it is or
    // revalidated.
    if let Some(stored) = cache.select(&mut http_request)? {
        return Ok(stored);
    }
    let response = until_idle(client.send(http_request), params.idle_timeout, &uploaded)
        .await?
        .map_err(|e| match e {
            crate::http::NetError::BadUrl(m) => FetchError::Blocked(m),
            other => network(other),
        })?;
    // HTTP-network fetch step 13: the response's `Set-Cookie` headers are stored (redirects
    // too), if credentials are included.
    if with_cookies {
        client.cookies().store_response(
            url,
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.as_bytes()),
        );
    }
    // Step 10: invalidation, a 304 of a revalidation, storing the response.
    Ok(cache.after_network(response))
}

/// HTTP-network-or-cache fetch's cache steps for one request
/// (<https://fetch.spec.whatwg.org/#http-network-or-cache-fetch>).
/// A parsed single range: first and last byte, either of which may be absent.
type SingleRange = (Option<u64>, Option<u64>);

struct HttpCacheFetch {
    /// The cache, when this request may use it at all (GET and unsafe methods, no Range).
    cache: Option<Arc<HttpCache>>,
    mode: CacheMode,
    key: String,
    url: String,
    method: String,
    /// The request as the cache sees it (the header list that is sent).
    head: http::Request<()>,
    /// The cache partition (the client's origin).
    partition: String,
    /// storedResponse, when it is being revalidated (the revalidatingFlag).
    revalidating: Option<crate::http_cache::Stored>,
    /// A Range request that a fresh stored whole response may answer (with a 206 of the
    /// bytes it asks for); nothing is stored for it.
    range_read: Option<(Arc<HttpCache>, SingleRange)>,
    has_cache_control: bool,
    has_pragma: bool,
}

impl HttpCacheFetch {
    fn new(
        params: &Transfer,
        partition: &str,
        f: &Fetching,
        headers: &HeaderList,
        with_credentials: bool,
    ) -> Self {
        let has = |name: &str| {
            headers
                .iter()
                .any(|(n, _)| n.0.eq_ignore_ascii_case(name.as_bytes()))
        };
        let mut mode = f.request.cache;
        // Step 8.17: a conditional request in "default" mode does not use the cache.
        if mode == CacheMode::Default
            && [
                "if-modified-since",
                "if-none-match",
                "if-unmodified-since",
                "if-match",
                "if-range",
            ]
            .iter()
            .any(|n| has(n))
        {
            mode = CacheMode::NoStore;
        }
        // A Range request (and background fetch's resumes) does not fill the cache (stored
        // responses are whole ones); a single range may be served from a fresh whole one.
        let range_read = params
            .http_cache
            .clone()
            .filter(|_| {
                params.range_start == 0
                    && matches!(
                        mode,
                        CacheMode::Default | CacheMode::ForceCache | CacheMode::OnlyIfCached
                    )
            })
            .and_then(|cache| {
                let mut values = headers
                    .iter()
                    .filter(|(n, _)| n.0.eq_ignore_ascii_case(b"range"));
                let (_, value) = values.next()?;
                if values.next().is_some() {
                    return None;
                }
                let range = net_traits::headers::parse_single_range_header_value(&value.0, false)?;
                Some((cache, range))
            });
        let cache = params
            .http_cache
            .clone()
            .filter(|_| params.range_start == 0 && !has("range"));
        // Step 8.24: without a cache, "no-store" (a Range request keeps its mode while a
        // stored whole response may answer it).
        if cache.is_none() && range_read.is_none() {
            mode = CacheMode::NoStore;
        }
        HttpCacheFetch {
            cache,
            mode,
            // Responses to requests with and without credentials are kept apart: one must
            // never answer the other (a no-cors credentialed response read back by a
            // credential-less CORS request).
            key: HttpCache::key(
                &format!("{partition} credentials={with_credentials}"),
                f.url.as_str(),
            ),
            url: f.url.to_string(),
            method: f.request.method.clone(),
            head: http::Request::new(()),
            partition: partition.to_string(),
            revalidating: None,
            range_read,
            has_cache_control: has("cache-control"),
            has_pragma: has("pragma"),
        }
    }

    /// Steps 8.18-8.19: the headers the cache mode adds.
    fn add_request_headers(&self, mut builder: http::request::Builder) -> http::request::Builder {
        match self.mode {
            CacheMode::NoCache if !self.has_cache_control => {
                builder = builder.header("Cache-Control", "max-age=0");
            }
            CacheMode::NoStore | CacheMode::Reload => {
                if !self.has_pragma {
                    builder = builder.header("Pragma", "no-cache");
                }
                if !self.has_cache_control {
                    builder = builder.header("Cache-Control", "no-cache");
                }
            }
            _ => {}
        }
        builder
    }

    /// Step 8.25: selecting a stored response. Returns the response when one is used as it
    /// is; adds the validators to `request` when it is stale (the revalidatingFlag).
    fn select(
        &mut self,
        request: &mut http::Request<RequestBody>,
    ) -> Result<Option<http::Response<ResponseBody>>, FetchError> {
        let mut head = http::Request::new(());
        *head.method_mut() = request.method().clone();
        *head.uri_mut() = request.uri().clone();
        *head.headers_mut() = request.headers().clone();
        self.head = head;
        if let Some(response) = self.select_range() {
            return Ok(Some(response));
        }
        let Some(cache) = &self.cache else {
            return Ok(None);
        };
        // The request's own `Cache-Control` directives (RFC 9111 5.2.1): `no-store` does not
        // use a stored response; `only-if-cached` wants a fresh stored one or a 504.
        let directives = crate::http_cache::cache_control_directives(request.headers());
        let only_if_cached = directives.iter().any(|d| d == "only-if-cached");
        if self.method == "GET"
            && !matches!(self.mode, CacheMode::NoStore | CacheMode::Reload)
            && !directives.iter().any(|d| d == "no-store")
        {
            if let Some(stored) = cache.lookup(&self.key) {
                use http_cache_semantics::BeforeRequest;
                match stored
                    .policy()
                    .before_request(&self.head, std::time::SystemTime::now())
                {
                    // Fresh: used as it is (cache state "local").
                    // (The stored header list with every value of a repeated field; the
                    // policy's view keeps one per name. Its `Age` and `Date` are used.)
                    BeforeRequest::Fresh(parts) => {
                        let (status, mut headers) = stored.head();
                        for name in ["age", "date"] {
                            if let Some(v) = parts.headers.get(name) {
                                headers.insert(name, v.clone());
                            }
                        }
                        let mut response =
                            http::Response::new(ResponseBody::Cached(stored.into_body()));
                        *response.status_mut() = status;
                        *response.headers_mut() = headers;
                        return Ok(Some(response));
                    }
                    // Another selection of a varying resource: not this request's.
                    BeforeRequest::Stale { matches: false, .. } => {}
                    BeforeRequest::Stale { matches: true, .. } => {
                        let (status, headers) = stored.head();
                        // force-cache and only-if-cached use a stale response too.
                        if matches!(self.mode, CacheMode::ForceCache | CacheMode::OnlyIfCached) {
                            let mut response =
                                http::Response::new(ResponseBody::Cached(stored.into_body()));
                            *response.status_mut() = status;
                            *response.headers_mut() = headers;
                            return Ok(Some(response));
                        }
                        // Step 8.25.2.2.2: the validators.
                        let sent = request.headers_mut();
                        if let Some(etag) = headers.get("etag") {
                            sent.insert("if-none-match", etag.clone());
                        }
                        if let Some(modified) = headers.get("last-modified") {
                            sent.insert("if-modified-since", modified.clone());
                        }
                        self.revalidating = Some(stored);
                    }
                }
            }
        }
        // Step 10.1.
        if self.mode == CacheMode::OnlyIfCached {
            return Err(FetchError::Blocked(format!(
                "{}: only-if-cached and not in the HTTP cache",
                self.url
            )));
        }
        if only_if_cached && self.revalidating.is_none() {
            let mut response =
                http::Response::new(ResponseBody::Cached(crate::http_cache::CachedBody::empty()));
            *response.status_mut() = http::StatusCode::GATEWAY_TIMEOUT;
            return Ok(Some(response));
        }
        Ok(None)
    }

    /// A Range request answered from a stored whole response (RFC 9111 3.4 lets a cache
    /// serve a range from a complete stored response): a fresh 200 (or a stale one in
    /// force-cache and only-if-cached modes) whose body holds the range gives a 206 of
    /// those bytes. Anything else goes to the network.
    fn select_range(&self) -> Option<http::Response<ResponseBody>> {
        use http_cache_semantics::BeforeRequest;
        let (cache, range) = self.range_read.as_ref()?;
        if self.method != "GET"
            || crate::http_cache::cache_control_directives(self.head.headers())
                .iter()
                .any(|d| d == "no-store" || d == "no-cache")
        {
            return None;
        }
        let stored = cache.lookup(&self.key)?;
        let age_and_date = match stored
            .policy()
            .before_request(&self.head, std::time::SystemTime::now())
        {
            BeforeRequest::Fresh(parts) => Some(parts.headers),
            BeforeRequest::Stale { matches: true, .. }
                if matches!(self.mode, CacheMode::ForceCache | CacheMode::OnlyIfCached) =>
            {
                None
            }
            BeforeRequest::Stale { .. } => return None,
        };
        let (status, mut headers) = stored.head();
        if status != http::StatusCode::OK {
            return None;
        }
        let full = stored.body_len();
        let (first, last) = net_traits::headers::resolve_single_range(*range, full)?;
        if let Some(parts) = age_and_date {
            for name in ["age", "date"] {
                if let Some(v) = parts.get(name) {
                    headers.insert(name, v.clone());
                }
            }
        }
        let body = stored.into_body_range(first, last).ok()?;
        headers.insert(http::header::CONTENT_LENGTH, (last + 1 - first).into());
        let content_range = format!("bytes {first}-{last}/{full}");
        headers.insert(
            http::header::CONTENT_RANGE,
            http::HeaderValue::from_str(&content_range).ok()?,
        );
        let mut response = http::Response::new(ResponseBody::Cached(body));
        *response.status_mut() = http::StatusCode::PARTIAL_CONTENT;
        *response.headers_mut() = headers;
        Some(response)
    }

    /// Step 10.3-10.5, for the forwarded response.
    fn after_network(self, response: http::Response<Incoming>) -> http::Response<ResponseBody> {
        let Some(cache) = self.cache else {
            return response.map(ResponseBody::Network);
        };
        let status = response.status().as_u16();
        // Step 10.3: an unsafe method's success invalidates the stored responses of the
        // URL and of same-origin `Location` and `Content-Location` URLs (RFC 9111 4.4).
        if !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE")
            && (200..=399).contains(&status)
        {
            // (Both the credentialed and the anonymous response of each URL.)
            let invalidate = |url: &str| {
                for credentials in [true, false] {
                    cache.invalidate(&HttpCache::key(
                        &format!("{} credentials={credentials}", self.partition),
                        url,
                    ));
                }
            };
            invalidate(&self.url);
            if let Ok(url) = Url::parse(&self.url) {
                for name in ["location", "content-location"] {
                    let Some(target) = header_str(response.headers(), name) else {
                        continue;
                    };
                    if let Ok(target) = url.join(&target) {
                        if origin_of(&target) == origin_of(&url) {
                            invalidate(target.as_str());
                        }
                    }
                }
            }
            return response.map(ResponseBody::Network);
        }
        let now = std::time::SystemTime::now();
        // Step 10.4: a 304 to a revalidation freshens storedResponse, which is the response.
        // The validators sent were this stored response's own, so the 304 is about it (also
        // without validators of its own, or with another ETag from another server of a
        // farm): a request that was not conditional never sees a 304.
        if let (Some(stored), 304) = (self.revalidating, status) {
            let stored_status = stored.head().0;
            let headers = cache.freshen(&stored, &self.head, response.headers(), now);
            let mut fresh = http::Response::new(ResponseBody::Cached(stored.into_body()));
            *fresh.status_mut() = stored_status;
            *fresh.headers_mut() = headers;
            return fresh;
        }
        // Step 10.5: store the response ("no-store" stores nothing; a 304 that did not
        // freshen a stored response is passed on, never stored).
        if self.method != "GET" || self.mode == CacheMode::NoStore || status == 304 {
            return response.map(ResponseBody::Network);
        }
        let policy =
            crate::http_cache::policy_for(&self.head, response.status(), response.headers(), now);
        if !policy.is_storable() {
            return response.map(ResponseBody::Network);
        }
        let writer = cache.start_storing(
            self.key,
            &self.url,
            policy,
            response.status(),
            response.headers(),
        );
        match writer {
            Some(writer) => response.map(|body| ResponseBody::Storing(body, Box::new(writer))),
            None => response.map(ResponseBody::Network),
        }
    }
}

/// Whether a request sends and stores cookies: its credentials mode includes credentials
/// for this URL (Fetch's "includeCredentials": "include", or "same-origin" to a same-origin
/// URL), and the URL is same-site with the request's client (third-party cookies are off;
/// a top-level navigation is its own site).
fn cookies_allowed(request: &RequestData, url: &Url, origin: &str, client: &str) -> bool {
    let include = match request.credentials {
        CredentialsMode::Include => true,
        CredentialsMode::SameOrigin => url.origin().ascii_serialization() == origin,
        CredentialsMode::Omit => false,
    };
    include && (request.mode == RequestMode::Navigate || crate::cookies::same_site(url, client))
}

/// Reads a redirect's body to its end (a few bytes; at most 64 KiB and the idle timeout)
/// when it is being stored in the HTTP cache, so that the redirect is stored.
async fn finish_storing(body: ResponseBody, idle: std::time::Duration) {
    let ResponseBody::Storing(..) = body else {
        return;
    };
    let mut body = body;
    let mut read = 0usize;
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(idle, body.frame()).await {
        read += frame.data_ref().map(|d| d.len()).unwrap_or(0);
        if read > 64 * 1024 {
            return;
        }
    }
}

/// What HTTP fetch does with a response.
enum Redirect {
    /// Not a redirect (or one without a Location): the response is the answer.
    None,
    /// The redirect mode is "manual": an opaque-redirect filtered response.
    Manual,
    /// The request was changed to follow the redirect: fetch again.
    Follow,
}

/// <https://fetch.spec.whatwg.org/#http-redirect-fetch>, for a redirect status with a
/// Location: the redirect mode, the redirect count, the new URL's checks, the method and
/// body rewrite, the tainted origin and the Authorization header.
fn http_redirect_fetch(
    f: &mut Fetching,
    origin: &mut String,
    response: &http::Response<ResponseBody>,
) -> Result<Redirect, FetchError> {
    let status = response.status().as_u16();
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Ok(Redirect::None);
    }
    let Some(location) = header_str(response.headers(), "location") else {
        return Ok(Redirect::None);
    };
    let url = &f.url;
    match f.request.redirect {
        RedirectMode::Error => return Err(FetchError::Blocked(format!("{url}: redirected"))),
        RedirectMode::Manual => return Ok(Redirect::Manual),
        RedirectMode::Follow => {}
    }
    let next = url
        .join(&location)
        .map_err(|e| FetchError::Blocked(format!("bad Location {location}: {e}")))?;
    f.redirects += 1;
    if f.redirects > 20 {
        return Err(FetchError::Blocked("more than 20 redirects".into()));
    }
    if !matches!(next.scheme(), "http" | "https") {
        return Err(FetchError::Blocked(format!("redirect to {next}")));
    }
    let includes_credentials = !next.username().is_empty() || next.password().is_some();
    // Step 7: a CORS-mode request may not be redirected to another origin's URL with
    // credentials (whatever the tainting of the hops so far).
    if f.request.mode == RequestMode::Cors
        && includes_credentials
        && origin_of(&next) != f.client_origin
    {
        return Err(FetchError::Blocked(format!(
            "{url}: a CORS request redirected to another origin's URL with credentials"
        )));
    }
    // Step 8: nor may a response-tainting-"cors" one, to any URL with credentials.
    if f.response_tainting_cors && includes_credentials {
        return Err(FetchError::Blocked(
            "a CORS redirect to a URL with credentials".into(),
        ));
    }
    // Step 14 (Referrer Policy): a `Referrer-Policy` header on the redirect sets the
    // request's referrer policy for the next hop.
    let values: Vec<String> = response
        .headers()
        .get_all("referrer-policy")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    if let Some(policy) = net_traits::security::parse_referrer_policy(&values) {
        f.request.referrer_policy = policy;
    }
    // Step 10: a 303, or a 301/302 of a POST, becomes a GET without a body.
    let request = &mut f.request;
    if (status == 303 && !matches!(request.method.as_str(), "GET" | "HEAD"))
        || (matches!(status, 301 | 302) && request.method == "POST")
    {
        request.method = "GET".into();
        f.body = None;
        request.headers.retain(|(n, _)| {
            let n = n.to_latin1().to_ascii_lowercase();
            !matches!(
                n.as_str(),
                "content-encoding" | "content-language" | "content-location" | "content-type"
            )
        });
    }
    // Step 13: a cross-origin redirect of a request whose origin differs from the current
    // URL's taints the origin.
    if origin_of(&next) != origin_of(url) && *origin != origin_of(url) {
        *origin = "null".into();
    }
    // Step 14: Authorization does not follow a cross-origin redirect.
    if origin_of(&next) != origin_of(url) {
        request
            .headers
            .retain(|(n, _)| !n.0.eq_ignore_ascii_case(b"authorization"));
    }
    f.url = next;
    f.url_list.push(f.url.to_string());
    Ok(Redirect::Follow)
}

/// The response's head as the caller may see it: a basic, CORS or opaque filtered response
/// (main fetch step 14), with the CORS-exposed header-name list of a CORS response.
fn filtered_response_meta(
    f: &Fetching,
    same_origin: bool,
    response: &http::Response<ResponseBody>,
) -> ResponseMeta {
    let cors = f.response_tainting_cors;
    let headers = response.headers();
    let status_text = ByteString(
        response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .as_bytes()
            .to_vec(),
    );
    let exposed = if cors {
        let mut names: Vec<String> = net_traits::SAFELISTED_RESPONSE_HEADERS
            .iter()
            .map(|s| s.to_string())
            .collect();
        let aceh = list(header_str(headers, "access-control-expose-headers"));
        if aceh.iter().any(|n| n == "*") && !uses_credentials(&f.request) {
            names.extend(headers.keys().map(|k| k.as_str().to_string()));
        } else {
            names.extend(aceh.into_iter().map(|n| n.to_ascii_lowercase()));
        }
        names.sort();
        names.dedup();
        names
    } else {
        Vec::new()
    };
    ResponseMeta {
        response_type: if cors {
            ResponseType::Cors
        } else if same_origin {
            ResponseType::Basic
        } else {
            ResponseType::Opaque
        },
        url_list: f.url_list.clone(),
        status: response.status().as_u16(),
        status_text,
        headers: to_header_list(headers),
        cors_exposed_header_names: exposed,
        opaque_status: None,
    }
}

/// <https://fetch.spec.whatwg.org/#cors-preflight-fetch>
async fn preflight(
    client: &HttpClient,
    f: &Fetching,
    origin: &str,
    unsafe_names: &[String],
) -> Result<(), FetchError> {
    let (url, request) = (&f.url, &f.request);
    let mut builder = http::Request::builder()
        .method(http::Method::OPTIONS)
        .uri(url.as_str())
        .header("Accept", "*/*")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", request.method.as_str())
        .header("User-Agent", net_traits::USER_AGENT);
    // The preflight's referrer is the request's.
    if let Some(referrer) = &f.referrer_value {
        builder = builder.header("Referer", referrer.as_str());
    }
    if !unsafe_names.is_empty() {
        builder = builder.header("Access-Control-Request-Headers", unsafe_names.join(","));
    }
    let preflight = builder
        .body(crate::http::empty())
        .map_err(|e| FetchError::Blocked(e.to_string()))?;
    let response = client.send(preflight).await.map_err(network)?;
    let status = response.status();
    let headers = response.headers().clone();
    // The preflight's body is not used (dropping it closes that connection).
    drop(response);
    // Step 7: the CORS check passes and the status is an ok status.
    if !status.is_success() {
        return Err(FetchError::Blocked(format!(
            "{url}: CORS preflight answered {status}"
        )));
    }
    let credentials = uses_credentials(request);
    cors_check(origin, credentials, &headers)
        .map_err(|m| FetchError::Blocked(format!("{url}: CORS preflight: {m}")))?;
    let methods = list(header_str(&headers, "access-control-allow-methods"));
    let method_ok = is_cors_safelisted_method(&request.method)
        || methods.iter().any(|m| m == &request.method)
        || (!credentials && methods.iter().any(|m| m == "*"));
    if !method_ok {
        return Err(FetchError::Blocked(format!(
            "{url}: CORS preflight does not allow {}",
            request.method
        )));
    }
    let allowed: Vec<String> = list(header_str(&headers, "access-control-allow-headers"))
        .into_iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    for name in unsafe_names {
        let wildcard = !credentials && allowed.iter().any(|h| h == "*") && name != "authorization";
        if !wildcard && !allowed.contains(name) {
            return Err(FetchError::Blocked(format!(
                "{url}: CORS preflight does not allow the header {name}"
            )));
        }
    }
    Ok(())
}

/// Runs `f`, failing with a network error once `idle` passes without it finishing or
/// `progress` moving (an upload that goes on is not idle).
async fn until_idle<T>(
    f: impl std::future::Future<Output = T>,
    idle: std::time::Duration,
    progress: &AtomicU64,
) -> Result<T, FetchError> {
    tokio::pin!(f);
    let mut seen = progress.load(Ordering::Acquire);
    loop {
        tokio::select! {
            out = &mut f => return Ok(out),
            _ = tokio::time::sleep(idle) => {
                let now = progress.load(Ordering::Acquire);
                if now == seen {
                    return Err(FetchError::Network(format!("nothing happened for {idle:?}")));
                }
                seen = now;
            }
        }
    }
}

/// A request body streamed from bytes or a file, reporting the bytes handed to the
/// connection.
fn upload_body(
    source: BodySource,
    on_upload: Option<Arc<dyn Fn(u64) + Send + Sync>>,
    sent: Arc<AtomicU64>,
) -> RequestBody {
    const CHUNK: usize = 64 * 1024;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(1);
    tokio::spawn(async move {
        match source {
            BodySource::Bytes(bytes) => {
                let mut at = 0;
                while at < bytes.len() {
                    let end = (at + CHUNK).min(bytes.len());
                    if tx
                        .send(Ok(Frame::data(bytes.slice(at..end))))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    at = end;
                }
            }
            BodySource::File { path, .. } => {
                use tokio::io::AsyncReadExt;
                let mut file = match tokio::fs::File::open(&path).await {
                    Ok(f) => f,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                let mut buf = vec![0u8; CHUNK];
                loop {
                    match file.read(&mut buf).await {
                        Ok(0) => return,
                        Ok(n) => {
                            let chunk = Bytes::copy_from_slice(&buf[..n]);
                            if tx.send(Ok(Frame::data(chunk))).await.is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e)).await;
                            return;
                        }
                    }
                }
            }
        }
    });
    let stream = CountingStream {
        rx,
        sent,
        on_upload,
    };
    http_body_util::StreamBody::new(stream).boxed()
}

/// Yields the upload's frames and counts their bytes as the connection takes them.
struct CountingStream {
    rx: tokio::sync::mpsc::Receiver<Result<Frame<Bytes>, std::io::Error>>,
    sent: Arc<AtomicU64>,
    on_upload: Option<Arc<dyn Fn(u64) + Send + Sync>>,
}

impl futures_core::Stream for CountingStream {
    type Item = Result<Frame<Bytes>, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let polled = self.rx.poll_recv(cx);
        if let std::task::Poll::Ready(Some(Ok(frame))) = &polled {
            if let Some(data) = frame.data_ref() {
                let total =
                    self.sent.fetch_add(data.len() as u64, Ordering::Relaxed) + data.len() as u64;
                if let Some(f) = &self.on_upload {
                    f(total);
                }
            }
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_blocking_and_trustworthiness() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(is_port_blocked(&u("https://a.test:587/")));
        assert!(!is_port_blocked(&u("https://a.test:8080/")));
        assert!(!is_port_blocked(&u("http://a.test/")));
        assert!(is_potentially_trustworthy(&u("http://127.0.0.1:9/")));
        assert!(is_potentially_trustworthy(&u("http://[::1]/")));
        assert!(is_potentially_trustworthy(&u("http://localhost/")));
        assert!(is_potentially_trustworthy(&u("http://a.localhost/")));
        assert!(!is_potentially_trustworthy(&u("http://a.test/")));
        let secure = FetchClient {
            origin: "https://a.test".into(),
            secure: true,
        };
        assert!(is_mixed_content(&secure, &u("http://a.test/")));
        assert!(!is_mixed_content(&secure, &u("https://b.test/")));
    }

    #[test]
    fn unsafe_header_names() {
        let h: HeaderList = vec![
            ("X-B".into(), "1".into()),
            ("Accept".into(), "*/*".into()),
            ("x-a".into(), "2".into()),
            ("X-b".into(), "3".into()),
        ];
        assert_eq!(cors_unsafe_request_header_names(&h), ["x-a", "x-b"]);
    }

    #[test]
    fn cors_checks() {
        let mut h = http::HeaderMap::new();
        assert!(cors_check("https://a.test", false, &h).is_err());
        h.insert("access-control-allow-origin", "*".parse().unwrap());
        assert!(cors_check("https://a.test", false, &h).is_ok());
        assert!(
            cors_check("https://a.test", true, &h).is_err(),
            "* is not for credentials"
        );
        h.insert(
            "access-control-allow-origin",
            "https://a.test".parse().unwrap(),
        );
        assert!(cors_check("https://a.test", true, &h).is_err());
        h.insert("access-control-allow-credentials", "true".parse().unwrap());
        assert!(cors_check("https://a.test", true, &h).is_ok());
        assert!(cors_check("https://b.test", false, &h).is_err());
    }
}
