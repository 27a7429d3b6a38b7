//! Fuzz targets for what the WPT server reads from requests and test files: `?pipe=`
//! functions, `{{...}}` substitution (`.sub.` files, `pipe=sub`) and the Range headers of
//! its file and `/_faults/` routes. Errors are fine, panics are not. Bounded here;
//! `BGFETCH_FUZZ_ITERS` runs longer (docs/fuzzing.md).

use crate::config::WptConfig;
use crate::fuzz_support::{run, text, Rng};
use crate::pipes::{self, Pipe};
use crate::server::{RequestInfo, Scheme};

const PIPE_SEEDS: &[&str] = &[
    "header(Access-Control-Allow-Origin, *)|status(404)",
    r"header(X,a\,b\)c|d,True)|sub",
    "slice(2,-1)|sub(none)",
    "trickle(d1:100:r2)",
    "slice(null,9223372036854775807)|header(Content-Type,text/plain,false)",
    "status(200)|trickle(5:d0.01:5:d0)",
];
const PIPE_DICT: &[&str] = &[
    "header",
    "status",
    "sub",
    "slice",
    "trickle",
    "(",
    ")",
    "|",
    ",",
    "\\",
    "\\n",
    "null",
    "true",
    "none",
    "html",
    "d",
    "r",
    ":",
    "-",
    "9223372036854775808",
    "-9223372036854775808",
    "65536",
    "1e308",
    "inf",
    "NaN",
];

#[test]
fn fuzz_pipes() {
    run(
        "wpt: pipe parsing",
        20_000,
        |rng: &mut Rng| text(rng, PIPE_SEEDS, PIPE_DICT),
        |pipe| {
            let Ok(parsed) = pipes::parse(pipe) else {
                return;
            };
            for p in parsed {
                match p {
                    Pipe::Slice { start, end } => {
                        for len in [0usize, 1, 10, usize::MAX] {
                            let (s, e) = pipes::slice_bounds(len, start, end);
                            assert!(s <= e && e <= len, "slice bounds within the body");
                        }
                    }
                    Pipe::Trickle(steps) => {
                        for step in steps {
                            if let pipes::TrickleStep::Delay(d) = step {
                                assert!(d.is_finite() && (0.0..=600.0).contains(&d));
                            }
                        }
                    }
                    _ => {}
                }
            }
        },
    );
}

const SUB_SEEDS: &[&str] = &[
    "<script src=\"http://{{host}}:{{ports[http][0]}}/x.js\"></script>",
    "{{$id:uuid()}} {{$id}} {{location[server]}}{{location[path]}}?{{GET[q]}}",
    "{{domains[www]}} {{hosts[alt][www1]}} {{ports[https][1]}} {{headers[user-agent]}}",
    "{{header_or_default(X-Test, none)}} {{location[query]}} {{ports[ws][0]}}",
    "{{ {{}} }}}} {{hosts[\"\"][]}}",
];
const SUB_DICT: &[&str] = &[
    "{{",
    "}}",
    "{",
    "}",
    "[",
    "]",
    "$",
    ":",
    "host",
    "hosts",
    "domains",
    "ports",
    "location",
    "GET",
    "headers",
    "uuid()",
    "header_or_default(",
    ")",
    "http",
    "https",
    "ws",
    "wss",
    "alt",
    "www",
    "www1",
    "www2",
    "\u{e9}l\u{e8}ve",
    "\"",
    "'",
    "18446744073709551616",
    "-1",
];

/// The request parts a substitution reads: (https, port, query).
type RequestParts = (bool, u16, String);

fn request_parts(rng: &mut Rng) -> RequestParts {
    let query = text(
        rng,
        &["q=1&r=%ZZ&q=2", "a&=b&%FF=%C3%A9"],
        &["&", "=", "%", "q"],
    );
    (rng.bool(), rng.u16(..), query)
}

fn request((https, port, query): &RequestParts) -> RequestInfo {
    let mut headers = http::HeaderMap::new();
    headers.insert("user-agent", http::HeaderValue::from_static("fuzz"));
    headers.insert(
        "x-test",
        http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
    );
    RequestInfo {
        method: http::Method::GET,
        scheme: if *https { Scheme::Https } else { Scheme::Http },
        port: *port,
        host: "web-platform.test".into(),
        path: "/a/b.sub.html".into(),
        raw_path: "/a/b%20c.sub.html".into(),
        query: query.clone(),
        headers,
        version: http::Version::HTTP_11,
    }
}

#[test]
fn fuzz_substitution() {
    let config = WptConfig::default();
    run(
        "wpt: .sub substitution",
        8000,
        |rng: &mut Rng| {
            let body = text(rng, SUB_SEEDS, SUB_DICT);
            let mut bytes = body.into_bytes();
            if rng.u8(0..4) == 0 {
                // Bodies are bytes in any encoding.
                let at = rng.usize(0..=bytes.len());
                bytes.insert(at, rng.u8(0x80..=0xff));
            }
            (bytes, request_parts(rng), rng.bool())
        },
        |(body, parts, escape)| {
            let info = &request(parts);
            let out = crate::subst::substitute_bytes(body, &config, info, *escape);
            // Text without a template comes back as it was.
            if !body.windows(2).any(|w| w == b"{{") {
                assert_eq!(out.as_deref(), Ok(&body[..]));
            }
            let _ =
                crate::subst::substitute(&String::from_utf8_lossy(body), &config, info, *escape);
        },
    );
}

const RANGE_SEEDS: &[&str] = &[
    "bytes=0-",
    "bytes=5-7",
    "bytes=-3",
    "bytes=0-1,3-4",
    " bytes=2-2 ",
];
const RANGE_DICT: &[&str] = &[
    "bytes",
    "=",
    "-",
    ",",
    " ",
    "+",
    "18446744073709551615",
    "0",
];

#[test]
fn fuzz_range_headers() {
    run(
        "wpt: Range headers of files and /_faults/",
        20_000,
        |rng: &mut Rng| {
            let len = match rng.u8(0..4) {
                0 => 0,
                1 => rng.u64(..),
                _ => rng.u64(0..100),
            };
            (text(rng, RANGE_SEEDS, RANGE_DICT), len)
        },
        |(header, len)| {
            if let Some((start, end)) = crate::faults::parse_range(header, *len) {
                assert!(start <= end && end < *len, "a range within the body");
            }
            let len = usize::try_from(*len).unwrap_or(usize::MAX);
            if let Ok(Some((start, end))) = crate::files::byte_range(header, len) {
                assert!(start <= end && end < len, "a range within the file");
            }
        },
    );
}
