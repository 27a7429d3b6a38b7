//! Static files as wptserve serves them: GET and HEAD only (other methods: 404), the
//! Content-Type its extension table gives, `__dir__.headers` and `<file>.headers` sidecars
//! (`.sub.headers` substituted), `.sub.` substitution, single byte ranges, `?pipe=`, and a
//! listing for directories.

use crate::config::WptConfig;
use crate::pipes::{self, Pipe, TrickleStep};
use crate::server::{full, resolve, status_response, Body, RequestInfo, ServerState};
use crate::subst;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Frame;
use std::path::Path;
use std::time::Duration;

/// wptserve's extension table (no charset parameter).
pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xht" | "xhtm" | "xhtml" => "application/xhtml+xml",
        "xml" => "application/xml",
        "xpi" => "application/x-xpinstall",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "oga" => "audio/ogg",
        "weba" => "audio/webm",
        "wav" => "audio/x-wav",
        "bmp" => "image/bmp",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "manifest" => "text/cache-manifest",
        "css" => "text/css",
        "event_stream" => "text/event-stream",
        "htm" | "html" => "text/html",
        "js" | "mjs" => "text/javascript",
        "txt" | "md" => "text/plain",
        "vtt" => "text/vtt",
        "mp4" | "m4v" => "video/mp4",
        "ogg" | "ogv" => "video/ogg",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// `.sub.` files of these types are HTML-escaped when substituted.
fn html_like(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "html" | "htm" | "xht" | "xhtml" | "xml" | "svg"
    )
}

/// `Name: value` lines of a headers file (substituted if it is a `.sub.headers`); a file that
/// fails to substitute is an error (wptserve answers 500).
fn read_headers(
    path: &Path,
    config: &WptConfig,
    info: &RequestInfo,
) -> Result<Vec<(String, String)>, String> {
    let Ok(mut text) = std::fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    if path.to_string_lossy().ends_with(".sub.headers") {
        text = subst::substitute(&text, config, info, false)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect())
}

/// The sidecar headers of `file`: its directory's `__dir__[.sub].headers`, then its own
/// `<file>[.sub].headers`.
pub fn sidecar_headers(
    file: &Path,
    config: &WptConfig,
    info: &RequestInfo,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if let Some(dir) = file.parent() {
        let sub = dir.join("__dir__.sub.headers");
        let plain = dir.join("__dir__.headers");
        out.extend(read_headers(
            if sub.is_file() { &sub } else { &plain },
            config,
            info,
        )?);
    }
    let with = |suffix: &str| {
        let mut p = file.as_os_str().to_owned();
        p.push(suffix);
        std::path::PathBuf::from(p)
    };
    let sub = with(".sub.headers");
    let plain = with(".headers");
    out.extend(read_headers(
        if sub.is_file() { &sub } else { &plain },
        config,
        info,
    )?);
    Ok(out)
}

/// wptserve's `wrap_pipeline` substitutes a file whose path contains `.sub.` (`x.sub.js`,
/// `x.sub.any.js`, `x.sub.https.html`), before any `?pipe=`.
fn implicit_sub(path: &Path) -> bool {
    path.to_string_lossy().contains(".sub.")
}

/// One `bytes=a-b` range of a body of `len` bytes; None: serve the whole body.
pub(crate) fn byte_range(header: &str, len: usize) -> Result<Option<(usize, usize)>, ()> {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Err(());
    };
    if spec.contains(',') {
        // Several ranges would need multipart/byteranges; serve the whole body instead.
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (start, end) = if a.is_empty() {
        let n: usize = b.parse().map_err(|_| ())?;
        if n == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len.checked_sub(1).ok_or(())?)
    } else {
        let start: usize = a.parse().map_err(|_| ())?;
        let end = if b.is_empty() {
            len.checked_sub(1).ok_or(())?
        } else {
            b.parse::<usize>()
                .map_err(|_| ())?
                .min(len.saturating_sub(1))
        };
        (start, end)
    };
    if start >= len || start > end {
        return Err(());
    }
    Ok(Some((start, end)))
}

pub async fn serve(state: &ServerState, info: &RequestInfo) -> Response<Body> {
    let Some(path) = resolve(&state.options.root, &info.path) else {
        return status_response(StatusCode::NOT_FOUND, "not found");
    };
    if info.method != Method::GET && info.method != Method::HEAD {
        return status_response(
            StatusCode::NOT_FOUND,
            "static files answer GET and HEAD only",
        );
    }
    if path.is_dir() {
        if !info.path.ends_with('/') {
            let mut r = status_response(StatusCode::MOVED_PERMANENTLY, "moved");
            if let Ok(v) =
                HeaderValue::from_str(&format!("{}/", info.url().split('?').next().unwrap_or("")))
            {
                r.headers_mut().insert(http::header::LOCATION, v);
            }
            return r;
        }
        return listing(&path, &info.path);
    }
    if !path.is_file() {
        return status_response(StatusCode::NOT_FOUND, "not found");
    }
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return status_response(StatusCode::INTERNAL_SERVER_ERROR, "cannot read the file");
    };
    let mut body = bytes;
    // As wptserve's FileHandler: sidecar headers, then the byte range of the file, then the
    // pipeline (`?pipe=`, or an implicit `sub` for `.sub.` files) over what is left.
    let mut headers = match sidecar_headers(&path, &state.config, info) {
        Ok(h) => h,
        Err(e) => return status_response(StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.insert(0, ("Content-Type".into(), content_type(&path).into()));
    }
    let mut status = StatusCode::OK;
    let mut range_header = None;
    if let Some(range) = info
        .headers
        .get(http::header::RANGE)
        .and_then(|v| v.to_str().ok())
    {
        match byte_range(range, body.len()) {
            Ok(Some((start, end))) => {
                range_header = Some(format!("bytes {start}-{end}/{}", body.len()));
                body = body[start..=end].to_vec();
                status = StatusCode::PARTIAL_CONTENT;
            }
            Ok(None) => {}
            Err(()) => {
                // The sidecar headers stay (a CORS header among them, say).
                let mut r = status_response(StatusCode::RANGE_NOT_SATISFIABLE, "bad range");
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", body.len())) {
                    r.headers_mut().insert(http::header::CONTENT_RANGE, v);
                }
                append_headers(
                    &mut r,
                    headers
                        .into_iter()
                        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")),
                );
                return r;
            }
        }
    }
    let mut trickle = None;
    // `.sub.` files get `sub`, then the last `pipe=` (as wptserve's `wrap_pipeline`).
    let mut pipeline = Vec::new();
    if implicit_sub(&path) {
        pipeline.push(Pipe::Sub {
            html_escape: html_like(&path),
        });
    }
    if let Some(pipe) = info.params("pipe").pop() {
        match pipes::parse(&pipe) {
            Ok(p) => pipeline.extend(p),
            Err(e) => return status_response(StatusCode::INTERNAL_SERVER_ERROR, &e),
        }
    }
    for p in pipeline {
        match p {
            Pipe::Header {
                name,
                value,
                append,
            } => {
                if !append {
                    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
                }
                headers.push((name, value));
            }
            Pipe::Status(code) => {
                status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            }
            Pipe::Sub { html_escape } => {
                match subst::substitute_bytes(&body, &state.config, info, html_escape) {
                    Ok(t) => body = t,
                    Err(e) => return status_response(StatusCode::INTERNAL_SERVER_ERROR, &e),
                }
            }
            Pipe::Slice { start, end } => {
                let (s, e) = pipes::slice_bounds(body.len(), start, end);
                body = body[s..e].to_vec();
            }
            Pipe::Trickle(steps) => trickle = Some(steps),
        }
    }
    let length = body.len();
    let response_body: Body = if info.method == Method::HEAD {
        full(Vec::new())
    } else if let Some(steps) = trickle.clone() {
        trickled(body, steps)
    } else {
        full(body)
    };
    let mut r = Response::new(response_body);
    *r.status_mut() = status;
    if let Some(cr) = range_header.and_then(|v| HeaderValue::from_str(&v).ok()) {
        r.headers_mut().insert(http::header::CONTENT_RANGE, cr);
    }
    append_headers(&mut r, headers);
    if trickle.is_some() {
        for (k, v) in [
            ("cache-control", "no-cache, no-store, must-revalidate"),
            ("pragma", "no-cache"),
            ("expires", "0"),
        ] {
            if !r.headers().contains_key(k) {
                r.headers_mut().insert(k, HeaderValue::from_static(v));
            }
        }
    } else if info.method == Method::HEAD {
        r.headers_mut()
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    r
}

/// Appends `name: value` pairs (skipping ones that are not valid HTTP).
pub fn append_headers(r: &mut Response<Body>, headers: impl IntoIterator<Item = (String, String)>) {
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
}

/// `trickle(...)`: the body sent in pieces with pauses; what the steps do not cover is sent at
/// the end.
fn trickled(body: Vec<u8>, steps: Vec<TrickleStep>) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut pos = 0;
        let mut plan: Vec<TrickleStep> = Vec::new();
        for step in steps {
            match step {
                TrickleStep::Repeat(n) => {
                    let tail: Vec<TrickleStep> = plan[plan.len().saturating_sub(n)..].to_vec();
                    if tail.iter().all(|s| matches!(s, TrickleStep::Delay(_))) || tail.is_empty() {
                        break;
                    }
                    while pos < body.len() {
                        let before = pos;
                        for s in &tail {
                            if !run_step(s, &body, &mut pos, &tx).await {
                                return;
                            }
                        }
                        // A pass that sends nothing (`0:r2`) would spin for ever.
                        if pos == before {
                            break;
                        }
                    }
                }
                s => {
                    if !run_step(&s, &body, &mut pos, &tx).await {
                        return;
                    }
                    plan.push(s);
                }
            }
        }
        if pos < body.len() {
            let _ = tx
                .send(Ok(Frame::data(Bytes::copy_from_slice(&body[pos..]))))
                .await;
        }
    });
    http_body_util::StreamBody::new(crate::faults::ReceiverStream(rx)).boxed()
}

async fn run_step(
    step: &TrickleStep,
    body: &[u8],
    pos: &mut usize,
    tx: &tokio::sync::mpsc::Sender<Result<Frame<Bytes>, std::io::Error>>,
) -> bool {
    match step {
        TrickleStep::Send(n) => {
            let end = (*pos + n).min(body.len());
            let chunk = Bytes::copy_from_slice(&body[*pos..end]);
            *pos = end;
            tx.send(Ok(Frame::data(chunk))).await.is_ok()
        }
        TrickleStep::Delay(secs) => {
            // The parser only lets finite delays of 0 to 600 s through.
            let secs = if secs.is_finite() {
                secs.clamp(0.0, 600.0)
            } else {
                0.0
            };
            tokio::time::sleep(Duration::from_secs_f64(secs)).await;
            true
        }
        TrickleStep::Repeat(_) => true,
    }
}

/// Percent-encodes a path segment for a link (what `urllib.parse.quote` leaves alone stays).
fn url_quote(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn listing(dir: &Path, url: &str) -> Response<Body> {
    let mut entries: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        e.path().is_dir(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let title = subst::html_escape(url);
    let mut html = format!(
        "<!doctype html>\n<title>Directory listing for {title}</title>\n<h1>Directory listing for {title}</h1>\n<ul>\n"
    );
    if url != "/" {
        html.push_str("<li class=\"dir\"><a href=\"..\">..</a></li>\n");
    }
    for (name, is_dir) in entries {
        let (class, slash) = if is_dir { ("dir", "/") } else { ("file", "") };
        let href = subst::html_escape(&url_quote(&name));
        let name = subst::html_escape(&name);
        html.push_str(&format!(
            "<li class=\"{class}\"><a href=\"{href}{slash}\">{name}</a></li>\n"
        ));
    }
    html.push_str("</ul>\n");
    let mut r = Response::new(full(html));
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html"),
    );
    r
}
