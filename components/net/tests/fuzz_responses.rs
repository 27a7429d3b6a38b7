//! Fuzz targets for what a hostile server controls in a response: `Content-Range` (and the
//! partial-response validation a resumed background fetch relies on), content codings,
//! `Cache-Control`, and the page-supplied `integrity` metadata. Bounded here;
//! `BGFETCH_FUZZ_ITERS` runs longer (docs/fuzzing.md).

#[path = "../../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{mutate, run, text, Rng};
use net::background_fetch::spec::{extract_content_range_values, validate_partial_response};
use net::content_coding::Decoder;
use net_traits::{ByteString, ResponseMeta};
use std::io::Write;

const RANGE_SEEDS: &[&str] = &[
    "bytes 0-9/100",
    "bytes 10-19/*",
    "bytes=5-5/6",
    "bytes */100",
    "bytes 18446744073709551614-18446744073709551615/18446744073709551615",
];
const RANGE_DICT: &[&str] = &[
    "bytes", " ", "=", "-", "/", "*", ",", "+", "0", "9", "\u{ff}",
];

fn partial(content_range: &[u8], etag: Option<&str>) -> ResponseMeta {
    let mut headers = vec![("Content-Range".into(), ByteString(content_range.to_vec()))];
    if let Some(e) = etag {
        headers.push(("ETag".into(), e.into()));
    }
    ResponseMeta {
        status: 206,
        headers,
        ..Default::default()
    }
}

#[test]
fn fuzz_content_range() {
    run(
        "net: Content-Range",
        20_000,
        |rng: &mut Rng| {
            let mut v = text(rng, RANGE_SEEDS, RANGE_DICT).into_bytes();
            if rng.u8(0..4) == 0 {
                let at = rng.usize(0..=v.len());
                v.insert(at, rng.u8(0x80..=0xff));
            }
            (v, text(rng, RANGE_SEEDS, RANGE_DICT), rng.u64(0..200))
        },
        |(value, previous, start)| {
            let meta = partial(value, Some("\"e\""));
            if let Some(r) = extract_content_range_values(&meta) {
                // A parsed range is in order, and it serializes and parses back the same.
                assert!(r.first_byte_pos <= r.last_byte_pos);
                let complete = r
                    .complete_length
                    .map_or_else(|| "*".to_string(), |l| l.to_string());
                let again = format!("bytes {}-{}/{complete}", r.first_byte_pos, r.last_byte_pos);
                assert_eq!(
                    extract_content_range_values(&partial(again.as_bytes(), None)),
                    Some(r)
                );
            }
            let prev = partial(previous.as_bytes(), Some("\"e\""));
            let valid = validate_partial_response(*start, &meta, Some(&prev));
            if valid {
                let r = extract_content_range_values(&meta).unwrap();
                assert_eq!(r.first_byte_pos, *start);
            }
            let _ = validate_partial_response(*start, &meta, None);
        },
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn fuzz_content_codings() {
    let plain = b"hello hello hello, a body that compresses: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("gzip", gzip(plain)),
        ("x-gzip", gzip(b"")),
        ("deflate", zlib(plain)),
        // A valid brotli stream (an empty metablock, last), and a few raw bytes.
        ("br", vec![0x06]),
        ("br", vec![0x0b, 0x02, 0x80, b'h', b'i', 0x03]),
        ("gzip, br", plain.to_vec()),
        ("identity", plain.to_vec()),
    ];
    let others: Vec<&[u8]> = seeds.iter().map(|(_, b)| b.as_slice()).collect();
    run(
        "net: content codings",
        5000,
        |rng: &mut Rng| {
            let (coding, body) = &seeds[rng.usize(0..seeds.len())];
            let body = if rng.u8(0..5) == 0 {
                body.clone()
            } else {
                mutate(rng, body, &[], &others)
            };
            // Fed in chunks of random sizes, as a body arrives.
            let mut cuts: Vec<usize> = (0..rng.usize(0..4))
                .map(|_| rng.usize(0..=body.len()))
                .collect();
            cuts.sort_unstable();
            (coding.to_string(), body, cuts)
        },
        |(coding, body, cuts)| {
            let mut d = Decoder::for_content_encoding(Some(coding));
            let mut out = Vec::new();
            let mut from = 0;
            for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
                match d.push(&body[from..cut]) {
                    Ok(bytes) => out.extend(bytes),
                    Err(_) => return,
                }
                from = cut;
            }
            if let Ok(rest) = d.finish() {
                out.extend(rest);
            }
            if coding == "identity" || coding == "gzip, br" {
                assert_eq!(&out, body, "unknown codings leave the body alone");
            }
        },
    );
}

const INTEGRITY_SEEDS: &[&str] = &[
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb sha512-abc?opt",
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
    "md5-xxx   sha256-",
];

#[test]
fn fuzz_integrity_metadata_and_cache_control() {
    run(
        "net: integrity metadata, Cache-Control",
        20_000,
        |rng: &mut Rng| {
            let integrity = text(
                rng,
                INTEGRITY_SEEDS,
                &["sha256-", "sha384-", "sha512-", "=", "?", " ", "+/"],
            );
            let cc = text(
                rng,
                &[
                    "max-age=60, no-store",
                    "private, no-cache=\"set-cookie\", s-maxage=1",
                ],
                &["max-age", "=", ",", "\"", "no-cache", "immutable"],
            );
            (integrity, cc)
        },
        |(integrity, cc)| {
            if let Some(mut check) = net::sri::IntegrityCheck::new(integrity) {
                check.update(b"");
                let _ = check.matches();
            }
            let mut headers = http::HeaderMap::new();
            if let Ok(v) = http::HeaderValue::from_str(cc) {
                headers.append("cache-control", v);
            }
            for d in net::http_cache::cache_control_directives(&headers) {
                assert_eq!(d, d.to_ascii_lowercase());
                assert!(!d.contains(','));
            }
        },
    );
}
