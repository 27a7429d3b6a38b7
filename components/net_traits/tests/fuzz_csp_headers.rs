//! Fuzz targets for the header-value parsers shared by `net` and `script`: CSP policies (and
//! matching URLs against them), the Range and CORS-safelisting checks, Referrer-Policy.
//! Bounded here; `BGFETCH_FUZZ_ITERS` runs longer (docs/fuzzing.md).

#[path = "../../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{run, text, Rng};
use net_traits::csp::{self, CspList, Source};
use net_traits::headers;
use net_traits::Destination;
use url::Url;

const CSP_SEEDS: &[&str] = &[
    "default-src 'self'; connect-src https://a.test:8443/api/ *.b.test",
    "script-src 'nonce-abc' 'strict-dynamic' https:; worker-src blob: 'self'",
    "connect-src http://*:* ws: wss://[::1]:9/x; report-uri /r, default-src 'none'",
    "script-src-elem 'unsafe-inline' 'sha256-AAAA'; frame-ancestors 'none'; sandbox",
    "connect-src https://a.test/dir/file.js?q=1 http://A.TEST:80 *",
];
const CSP_DICT: &[&str] = &[
    "default-src",
    "connect-src",
    "script-src",
    "script-src-elem",
    "worker-src",
    "'self'",
    "'none'",
    "'unsafe-inline'",
    "'strict-dynamic'",
    "'nonce-",
    "'sha256-",
    "*",
    "*.",
    "://",
    "https:",
    "http:",
    "ws:",
    "wss:",
    "blob:",
    "data:",
    ":",
    "/",
    ";",
    ",",
    " ",
    "[",
    "]",
    "[::1]",
    ":*",
    ":443",
    ":99999",
    ":-1",
    "a.test",
    "A.TEST",
    "%2F",
    "\u{e9}",
    "\t",
];
const URLS: &[&str] = &[
    "https://a.test/",
    "https://a.test:8443/api/x",
    "http://a.test/",
    "wss://a.test/",
    "https://x.b.test/dir/file.js?q=1",
    "http://[::1]:9/x",
    "blob:https://a.test/0000",
    "data:text/plain,x",
    "file:///etc/passwd",
    "https://xn--nxasmq6b.test/",
    "http://1.2.3.4:80/",
];

fn destination(rng: &mut Rng) -> Destination {
    [
        Destination::Empty,
        Destination::Document,
        Destination::Iframe,
        Destination::Script,
        Destination::Worker,
        Destination::SharedWorker,
        Destination::ServiceWorker,
        Destination::Image,
        Destination::Audio,
        Destination::Video,
    ][rng.usize(0..10)]
}

#[test]
fn fuzz_csp_policies() {
    run(
        "csp: parse and match",
        20_000,
        |rng: &mut Rng| {
            let policy = text(rng, CSP_SEEDS, CSP_DICT);
            let meta = rng.bool();
            let url = URLS[rng.usize(0..URLS.len())];
            let self_url = text(rng, URLS, CSP_DICT);
            (policy, meta, url, self_url, destination(rng), rng.u32(0..3))
        },
        |(value, meta, url, self_url, destination, redirects)| {
            let source = if *meta { Source::Meta } else { Source::Header };
            let list = csp::parse_policy_list(value, source);
            for policy in &list {
                // What the parser promises: non-empty ASCII lower-case names, each once, no
                // empty tokens; `<meta>` policies without the directives it may not set.
                for (i, (name, tokens)) in policy.directives.iter().enumerate() {
                    assert!(!name.is_empty() && name.is_ascii());
                    assert_eq!(*name, name.to_ascii_lowercase());
                    assert!(policy.directives[..i].iter().all(|(n, _)| n != name));
                    assert!(tokens.iter().all(|t| !t.is_empty() && t.is_ascii()));
                    if *meta {
                        assert!(!matches!(
                            name.as_str(),
                            "report-uri" | "frame-ancestors" | "sandbox"
                        ));
                    }
                }
            }
            let url = Url::parse(url).unwrap();
            let _ = csp::blocks_request(&list, &url, *destination, self_url);
            let _ =
                CspList::new(list.clone(), self_url.clone()).blocks(&url, *destination, *redirects);
            let _ = csp::allows_inline_script(&list);
            if let Ok(self_url) = Url::parse(self_url) {
                for policy in &list {
                    for (_, tokens) in &policy.directives {
                        let _ = csp::url_matches_source_list(&url, tokens, &self_url);
                    }
                }
            }
        },
    );
}

const HEADER_SEEDS: &[&str] = &[
    "bytes=0-",
    "bytes=10-19",
    "bytes=-5",
    "text/plain;charset=UTF-8",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "en-US,en;q=0.9",
    "no-referrer, strict-origin-when-cross-origin",
];
const HEADER_DICT: &[&str] = &[
    "bytes",
    "=",
    "-",
    ",",
    ";",
    "\"",
    "\0",
    "\r\n",
    "\x7f",
    "q=",
    "accept",
    "content-type",
    "range",
    "content-language",
    "accept-language",
    "no-referrer",
    "unsafe-url",
    "origin",
    "same-origin",
    "strict-origin",
];
const HEADER_NAMES: &[&str] = &["Range", "Accept", "Content-Type", "Accept-Language"];

#[test]
fn fuzz_request_header_checks() {
    run(
        "headers: range, safelisting, referrer policy",
        20_000,
        |rng: &mut Rng| {
            let name = text(rng, HEADER_NAMES, HEADER_DICT);
            let value = text(rng, HEADER_SEEDS, HEADER_DICT);
            let mut bytes = value.into_bytes();
            if rng.u8(0..4) == 0 {
                // Raw (non-UTF-8) header bytes too.
                let at = rng.usize(0..=bytes.len());
                bytes.insert(at, rng.u8(0x80..=0xff));
            }
            (name.into_bytes(), bytes)
        },
        |(name, value)| {
            if headers::is_simple_range_header_value(value) {
                // `bytes=` digits `-` [digits]: the start is a number, so a range can be
                // read from it.
                let rest = &value[b"bytes=".len()..];
                let dash = rest.iter().position(|&b| b == b'-').unwrap();
                assert!(dash > 0 && rest[..dash].iter().all(u8::is_ascii_digit));
            }
            let _ = headers::has_cors_unsafe_byte(value);
            let _ = headers::is_cors_safelisted_request_header(name, value);
            let _ = headers::is_no_cors_safelisted_request_header_name(name);
            let _ = headers::is_no_cors_safelisted_request_header(name, value);
            let text = String::from_utf8_lossy(value).into_owned();
            let values: Vec<String> = text.split('\n').map(str::to_string).collect();
            if let Some(policy) = net_traits::security::parse_referrer_policy(&values) {
                let a = Url::parse("https://a.test/p?q#f").unwrap();
                let b = Url::parse("http://b.test/").unwrap();
                let _ = net_traits::security::determine_referrer(&policy, &a, &b);
            }
        },
    );
}
