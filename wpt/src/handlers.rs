//! Rust equivalents of the two Python handlers the background-fetch suite needs.

use crate::server::{full, status_response, Body, RequestInfo};
use http::{HeaderValue, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use std::time::Duration;

/// Bodies echoed by upload.py are read whole; refuse absurd ones.
const MAX_ECHO: usize = 64 << 20;

/// `background-fetch/resources/upload.py`: any method; the response body is the request
/// body, with the request's Content-Type. Like the Python handler, a request without a
/// Content-Type is a 500.
pub async fn upload(info: &RequestInfo, body: Incoming) -> Response<Body> {
    let content_type: Vec<&str> = info
        .headers
        .get_all(http::header::CONTENT_TYPE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if content_type.is_empty() {
        return status_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "upload.py: the request has no Content-Type",
        );
    }
    let content_type = content_type.join(", ");
    let limited = http_body_util::Limited::new(body, MAX_ECHO);
    let bytes = match limited.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_response(StatusCode::PAYLOAD_TOO_LARGE, &e.to_string()),
    };
    let mut r = Response::new(full(bytes));
    if let Ok(ct) = HeaderValue::from_str(&content_type) {
        r.headers_mut().insert(http::header::CONTENT_TYPE, ct);
    }
    r
}

/// `common/slow.py`: waits 2 seconds (or `?delay=` milliseconds), then 200 with no body.
pub async fn slow(info: &RequestInfo) -> Response<Body> {
    let delay = info
        .param("delay")
        .and_then(|d| d.parse::<f64>().ok())
        .unwrap_or(2000.0)
        .clamp(0.0, 600_000.0);
    tokio::time::sleep(Duration::from_millis(delay as u64)).await;
    Response::new(full(Vec::new()))
}
