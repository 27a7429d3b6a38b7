//! The harness files under `/resources/`: testharness.js, idlharness.js and webidl2.js from
//! the upstream checkout or, for the own suite, from the npm package wpt-runner; and the
//! runner's own testharnessreport.js, testdriver-vendor.js (and testdriver.js when the root
//! has none), written for this project (wpt/harness/).

use crate::server::{full, status_response, Body, RequestInfo, ServerState};
use http::{HeaderValue, Response, StatusCode};
use std::path::PathBuf;

pub const TESTHARNESSREPORT_JS: &str = include_str!("../harness/testharnessreport.js");
pub const TESTDRIVER_VENDOR_JS: &str = include_str!("../harness/testdriver-vendor.js");
pub const TESTDRIVER_JS: &str = include_str!("../harness/testdriver.js");

fn js(text: impl Into<bytes::Bytes>) -> Response<Body> {
    let mut r = Response::new(full(text.into()));
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

/// The file for a harness path: the root's own `resources/` first, then the npm package.
fn harness_file(state: &ServerState, rel: &str) -> Option<PathBuf> {
    let own = state.options.root.join("resources").join(rel);
    if own.is_file() {
        return Some(own);
    }
    let dir = state.options.harness_dir.as_ref()?;
    let candidates = [
        dir.join(rel),
        dir.join(rel.trim_start_matches("webidl2/lib/")),
    ];
    candidates.into_iter().find(|p| p.is_file())
}

pub async fn serve(state: &ServerState, info: &RequestInfo) -> Option<Response<Body>> {
    // The runner's own test_driver, injected into window tests (as wptrunner injects its
    // testdriver), whatever the checkout's resources/testdriver.js needs.
    if info.path == "/_runner/testdriver.js" {
        return Some(js(TESTDRIVER_JS));
    }
    let rel = info.path.strip_prefix("/resources/")?;
    match rel {
        "testharnessreport.js" => return Some(js(TESTHARNESSREPORT_JS)),
        "testdriver-vendor.js" => return Some(js(TESTDRIVER_VENDOR_JS)),
        _ => {}
    }
    let rel = match rel {
        // wptserve maps the old name to webidl2.js.
        "WebIDLParser.js" => "webidl2/lib/webidl2.js",
        r @ ("testharness.js" | "idlharness.js" | "webidl2/lib/webidl2.js" | "testdriver.js") => r,
        _ => return None,
    };
    match harness_file(state, rel) {
        Some(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => Some(js(bytes)),
            Err(e) => Some(status_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("cannot read {}: {e}", path.display()),
            )),
        },
        None if rel == "testdriver.js" => Some(js(TESTDRIVER_JS)),
        None => Some(status_response(
            StatusCode::NOT_FOUND,
            &format!(
                "/resources/{rel} is missing: run `scripts/setup-harness` (installs the npm package \
                 wpt-runner) or pass --wpt-root"
            ),
        )),
    }
}
