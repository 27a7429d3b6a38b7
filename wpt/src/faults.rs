//! `/_faults/`: responses that misbehave on purpose, for the background fetch engine's tests
//! (ours; wptserve has no such route). Documented in wpt/README.md.
//!
//! - `/_faults/body?size=N[&seed=S][&range=0|1][&etag=V|change][&last_modified=V]`
//!   `[&status=CODE][&reset_after=N][&reset_times=K][&stall_after=N&stall_ms=M]`
//!   `[&delay_ms=M][&rate=BYTES_PER_S][&chunk=N][&chunked=1][&key=K]`
//!   `[&cache_control=V][&vary=V]`:
//!   a deterministic body of N bytes (byte i is `body_byte(seed, i)`), served with Range
//!   support unless `range=0`. `reset_after=N` cuts the connection after N body bytes (for
//!   the first `reset_times` requests with the same `key`, default every request);
//!   `stall_after` pauses; `etag=change` gives a new ETag on every request. `If-Range` is
//!   honoured: a validator that does not match the current ETag/Last-Modified gets the whole
//!   body with 200. A conditional request (`If-None-Match` with the ETag, or
//!   `If-Modified-Since` with the `last_modified` value) gets a 304 without a body.
//!   `cache_control` and `vary` set those response headers (HTTP cache tests).
//! - `/_faults/echo[?key=K][&delay_ms=M]`: counts the request body bytes and answers
//!   `{"received": N}` (after `delay_ms`, once the body is read); with `key`, the request
//!   and its body bytes are counted under it.
//! - `/_faults/stats?key=K`: `{"requests": N, "http2": N, "conditional": N, "ranges":
//!   ["bytes=..."], "bytes_sent": N, "bytes_received": N}` (`conditional`: requests with
//!   `If-None-Match` or `If-Modified-Since`; `bytes_received`: what `echo` read).
//! - `/_faults/loop?n=N`: a 302 redirect to `/_faults/loop?n=N+1`, forever.
//! - `/_faults/connections`: `{"connections": N}`, the connections the server accepted.

use crate::server::{full, status_response, Body, RequestInfo, ServerState};
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Per-key counters, shared by all connections.
#[derive(Default)]
pub struct FaultState {
    keys: Mutex<HashMap<String, KeyStats>>,
    /// Connections accepted on every port (`/_faults/connections`).
    pub connections: std::sync::atomic::AtomicU64,
}

#[derive(Default, Clone)]
struct KeyStats {
    requests: u64,
    /// How many of them came over HTTP/2.
    http2: u64,
    /// How many were conditional (`If-None-Match` / `If-Modified-Since`).
    conditional: u64,
    ranges: Vec<String>,
    bytes_sent: Arc<std::sync::atomic::AtomicU64>,
    /// Request body bytes `/_faults/echo` read under this key.
    bytes_received: Arc<std::sync::atomic::AtomicU64>,
}

impl FaultState {
    /// How many requests arrived under `key` (`/_faults/body` and `/_faults/echo?key=`),
    /// and the request body bytes `/_faults/echo` read under it.
    pub fn requests(&self, key: &str) -> (u64, u64) {
        let keys = match self.keys.lock() {
            Ok(k) => k,
            Err(p) => p.into_inner(),
        };
        keys.get(key).map_or((0, 0), |s| {
            (
                s.requests,
                s.bytes_received.load(std::sync::atomic::Ordering::Relaxed),
            )
        })
    }
}

/// The request-body counter of `key` (made with its stats).
fn received_counter(state: &ServerState, key: &str) -> Arc<std::sync::atomic::AtomicU64> {
    let mut keys = match state.faults.keys.lock() {
        Ok(k) => k,
        Err(p) => p.into_inner(),
    };
    keys.entry(key.to_string())
        .or_default()
        .bytes_received
        .clone()
}

/// Byte `i` of the deterministic body with `seed` (tests compute the expected bytes with it).
pub fn body_byte(seed: u64, i: u64) -> u8 {
    let x = i
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    (x >> 56) as u8 ^ (i as u8)
}

/// Parses `bytes=START-[END]` (a single range).
pub(crate) fn parse_range(header: &str, size: u64) -> Option<(u64, u64)> {
    let spec = header.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    if start.is_empty() {
        let suffix: u64 = end.parse().ok()?;
        let last = size.checked_sub(1)?;
        return (suffix > 0).then(|| (size.saturating_sub(suffix), last));
    }
    let start: u64 = start.parse().ok()?;
    let end: u64 = if end.is_empty() {
        size.checked_sub(1)?
    } else {
        end.parse::<u64>().ok()?.min(size.checked_sub(1)?)
    };
    (start <= end && start < size).then_some((start, end))
}

pub async fn handle(
    state: &Arc<ServerState>,
    info: &RequestInfo,
    route: &str,
    body: Incoming,
) -> Response<Body> {
    match route {
        "body" => body_route(state, info).await,
        "echo" => {
            // With `key`, the request is counted under it (`requests` and `bytes_received`
            // in `/_faults/stats`) as soon as it arrives: a test can tell whether a
            // non-GET reached the server, and how often.
            let received_counter = info.param("key").map(|key| {
                count_request(state, &key, None, info.version, false);
                received_counter(state, &key)
            });
            let mut received = 0u64;
            let mut body = body;
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(f) => {
                        if let Some(d) = f.data_ref() {
                            received += d.len() as u64;
                            if let Some(c) = &received_counter {
                                c.fetch_add(d.len() as u64, std::sync::atomic::Ordering::Relaxed);
                            }
                        }
                    }
                    Err(e) => return status_response(StatusCode::BAD_REQUEST, &e.to_string()),
                }
            }
            // `delay_ms`: the body was read whole; the answer waits (a request that is out
            // and whose response has not come).
            if let Some(ms) = info.param("delay_ms").and_then(|d| d.parse().ok()) {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            json(format!("{{\"received\": {received}}}"))
        }
        "headers" => {
            // The request's headers, as the server got them (names lower-case; repeated
            // ones joined with ", "), readable cross-origin.
            let mut map = serde_json::Map::new();
            for name in info.headers.keys() {
                let values: Vec<String> = info
                    .headers
                    .get_all(name)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect();
                map.insert(name.as_str().to_string(), values.join(", ").into());
            }
            let mut r = json(serde_json::Value::Object(map).to_string());
            r.headers_mut().insert(
                http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
                http::HeaderValue::from_static("*"),
            );
            r
        }
        "stats" => {
            let key = info.param("key").unwrap_or_default();
            let stats = state
                .faults
                .keys
                .lock()
                .map(|m| m.get(&key).cloned().unwrap_or_default())
                .unwrap_or_default();
            let ranges: Vec<String> = stats.ranges.iter().map(|r| format!("{r:?}")).collect();
            json(format!(
                "{{\"requests\": {}, \"http2\": {}, \"conditional\": {}, \"ranges\": [{}], \"bytes_sent\": {}, \"bytes_received\": {}}}",
                stats.requests,
                stats.http2,
                stats.conditional,
                ranges.join(", "),
                stats.bytes_sent.load(std::sync::atomic::Ordering::Relaxed),
                stats.bytes_received.load(std::sync::atomic::Ordering::Relaxed)
            ))
        }
        "connections" => json(format!(
            "{{\"connections\": {}}}",
            state
                .faults
                .connections
                .load(std::sync::atomic::Ordering::Relaxed)
        )),
        "loop" => {
            // A redirect loop: each hop sends the client one further.
            let n: u64 = info.param("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            let mut r = status_response(StatusCode::FOUND, "");
            if let Ok(v) = HeaderValue::from_str(&format!("/_faults/loop?n={}", n + 1)) {
                r.headers_mut().insert(http::header::LOCATION, v);
            }
            r
        }
        _ => status_response(StatusCode::NOT_FOUND, "unknown fault route"),
    }
}

fn json(text: String) -> Response<Body> {
    let mut r = Response::new(full(text));
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `/_faults/body`: the deterministic body, with the faults the query asks for (module doc).
async fn body_route(state: &Arc<ServerState>, info: &RequestInfo) -> Response<Body> {
    let num = |name: &str, default: u64| -> u64 {
        info.param(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let size = num("size", 1024);
    let key = info.param("key").unwrap_or_default();
    let range_header = info
        .headers
        .get(http::header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let if_none_match = header(info, http::header::IF_NONE_MATCH);
    let if_modified_since = header(info, http::header::IF_MODIFIED_SINCE);
    let conditional = if_none_match.is_some() || if_modified_since.is_some();
    let (request_number, bytes_sent) = count_request(
        state,
        &key,
        range_header.as_deref(),
        info.version,
        conditional,
    );
    if let Some(ms) = info.param("delay_ms").and_then(|d| d.parse().ok()) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let etag = match info.param("etag").as_deref() {
        Some("change") => Some(format!("\"v{request_number}\"")),
        Some(v) => Some(format!("\"{v}\"")),
        None => None,
    };
    // A conditional request whose validator still matches: 304.
    let not_modified = match (&if_none_match, &if_modified_since) {
        (Some(inm), _) => etag
            .as_deref()
            .is_some_and(|e| inm.split(',').any(|v| v.trim() == e || v.trim() == "*")),
        (None, Some(ims)) => info.param("last_modified").as_deref() == Some(ims.as_str()),
        (None, None) => false,
    };
    if not_modified {
        let mut r = Response::new(full(Vec::new()));
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        add_common_headers(&mut r, info, etag.as_deref());
        return r;
    }
    let supports_range = info.param("range").as_deref() != Some("0");
    let range_header = range_if_still_valid(info, range_header, etag.as_deref());
    let mut status = StatusCode::from_u16(num("status", 200) as u16).unwrap_or(StatusCode::OK);
    let (start, end) = match (&range_header, supports_range, status == StatusCode::OK) {
        (Some(h), true, true) => match parse_range(h, size) {
            Some(r) => {
                status = StatusCode::PARTIAL_CONTENT;
                r
            }
            None => {
                let mut r = status_response(StatusCode::RANGE_NOT_SATISFIABLE, "");
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    r.headers_mut().insert(http::header::CONTENT_RANGE, v);
                }
                // The validators and CORS header stay on the error too.
                add_common_headers(&mut r, info, etag.as_deref());
                return r;
            }
        },
        _ => (0, size.saturating_sub(1)),
    };
    let length = if size == 0 { 0 } else { end - start + 1 };
    let reset_times = num("reset_times", u64::MAX);
    let plan = BodyPlan {
        seed: num("seed", 0),
        start,
        length,
        reset_after: info
            .param("reset_after")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|_| request_number <= reset_times),
        stall_after: info
            .param("stall_after")
            .and_then(|v| v.parse::<u64>().ok()),
        stall_ms: num("stall_ms", 0),
        rate: num("rate", 0),
        chunk: num("chunk", 64 * 1024).clamp(1, 4 << 20) as usize,
    };
    let chunked = info.param("chunked").as_deref() == Some("1");
    let head = info.method == http::Method::HEAD;

    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(4);
    if !head {
        tokio::spawn(send_body(plan, bytes_sent, tx));
    }
    let body: Body = StreamBody::new(tokio_stream(rx)).boxed();
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if !chunked {
        h.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    if supports_range {
        h.insert(
            http::header::ACCEPT_RANGES,
            HeaderValue::from_static("bytes"),
        );
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{size}")) {
            h.insert(http::header::CONTENT_RANGE, v);
        }
    }
    add_common_headers(&mut r, info, etag.as_deref());
    r
}

/// Counts a request to `/_faults/body` under its key: the request's number (from 1) and the
/// key's sent-bytes counter.
fn count_request(
    state: &ServerState,
    key: &str,
    range_header: Option<&str>,
    version: http::Version,
    conditional: bool,
) -> (u64, Arc<std::sync::atomic::AtomicU64>) {
    let mut keys = match state.faults.keys.lock() {
        Ok(k) => k,
        Err(p) => p.into_inner(),
    };
    let stats = keys.entry(key.to_string()).or_default();
    stats.requests += 1;
    if version == http::Version::HTTP_2 {
        stats.http2 += 1;
    }
    if conditional {
        stats.conditional += 1;
    }
    if let Some(r) = range_header {
        stats.ranges.push(r.to_string());
    }
    (stats.requests, stats.bytes_sent.clone())
}

/// The Range header if it still applies: RFC 9110 §13.1.5, a Range with an If-Range
/// validator that no longer matches is ignored (the whole body comes back with 200), which
/// is how a client learns the resource changed.
fn range_if_still_valid(
    info: &RequestInfo,
    range_header: Option<String>,
    etag: Option<&str>,
) -> Option<String> {
    let if_range = info
        .headers
        .get(http::header::IF_RANGE)
        .and_then(|v| v.to_str().ok());
    match (range_header, if_range) {
        (Some(r), Some(validator)) if etag == Some(validator) => Some(r),
        (Some(r), Some(validator)) => {
            let lm = info.param("last_modified");
            (lm.as_deref() == Some(validator)).then_some(r)
        }
        (r, None) => r,
        (None, Some(_)) => None,
    }
}

/// What a `/_faults/body` response sends: which bytes, in what pieces, and the faults on
/// the way.
struct BodyPlan {
    seed: u64,
    /// The first byte sent (a Range's start).
    start: u64,
    length: u64,
    /// Cut the connection after this many body bytes.
    reset_after: Option<u64>,
    /// Pause once, for `stall_ms`, after this many body bytes.
    stall_after: Option<u64>,
    stall_ms: u64,
    /// Bytes per second (0: as fast as the connection takes them).
    rate: u64,
    chunk: usize,
}

/// Sends the body's frames as `plan` says, counting the bytes in `bytes_sent`.
async fn send_body(
    plan: BodyPlan,
    bytes_sent: Arc<std::sync::atomic::AtomicU64>,
    tx: tokio::sync::mpsc::Sender<Result<Frame<Bytes>, std::io::Error>>,
) {
    let BodyPlan {
        seed,
        start,
        length,
        reset_after,
        stall_after,
        stall_ms,
        rate,
        chunk,
    } = plan;
    let mut sent: u64 = 0;
    let started = std::time::Instant::now();
    let mut stalled = false;
    while sent < length {
        let mut n = (length - sent).min(chunk as u64);
        if let Some(limit) = reset_after {
            if sent >= limit {
                // Let hyper write what it holds first: an error frame makes it drop
                // the connection at once, buffered bytes included. Pending here is
                // what makes it flush.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let _ = tx
                    .send(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "fault: reset",
                    )))
                    .await;
                return;
            }
            n = n.min(limit - sent);
        }
        if let Some(at) = stall_after.filter(|_| !stalled) {
            if sent >= at {
                stalled = true;
                tokio::time::sleep(Duration::from_millis(stall_ms)).await;
            } else {
                n = n.min(at - sent);
            }
        }
        let data: Vec<u8> = (start + sent..start + sent + n)
            .map(|i| body_byte(seed, i))
            .collect();
        if tx.send(Ok(Frame::data(Bytes::from(data)))).await.is_err() {
            return;
        }
        sent += n;
        bytes_sent.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        if rate > 0 {
            let due = Duration::from_secs_f64(sent as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// A request header's value, as text.
fn header(info: &RequestInfo, name: http::header::HeaderName) -> Option<String> {
    info.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// ETag, Last-Modified, Access-Control-Allow-Origin, Cache-Control and Vary as the query
/// asks.
fn add_common_headers(r: &mut Response<Body>, info: &RequestInfo, etag: Option<&str>) {
    let h = r.headers_mut();
    for (param, name) in [
        ("cache_control", http::header::CACHE_CONTROL),
        ("vary", http::header::VARY),
    ] {
        if let Some(v) = info
            .param(param)
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            h.insert(name, v);
        }
    }
    if let Some(e) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        h.insert(http::header::ETAG, e);
    }
    if let Some(lm) = info
        .param("last_modified")
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        h.insert(http::header::LAST_MODIFIED, lm);
    }
    if let Some(origin) = info
        .param("acao")
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        h.insert(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
}

/// A `Stream` over an mpsc receiver.
fn tokio_stream<T>(rx: tokio::sync::mpsc::Receiver<T>) -> ReceiverStream<T> {
    ReceiverStream(rx)
}

/// A `Stream` of an mpsc receiver (bodies produced by a task).
pub struct ReceiverStream<T>(pub tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for ReceiverStream<T> {
    type Item = T;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(parse_range("bytes=5-7", 10), Some((5, 7)));
        assert_eq!(parse_range("bytes=5-100", 10), Some((5, 9)));
        assert_eq!(parse_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(parse_range("bytes=10-", 10), None);
        assert_eq!(parse_range("bytes=0-1,3-4", 10), None);
    }
}
