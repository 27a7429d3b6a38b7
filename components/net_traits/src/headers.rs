//! The Fetch spec's header classifications that both sides need: the network side decides
//! whether a request needs a CORS preflight, the script side applies the `Headers` object's
//! "request-no-cors" guard. One definition, so the two cannot drift apart.

/// <https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte>
pub fn has_cors_unsafe_byte(value: &[u8]) -> bool {
    value
        .iter()
        .any(|&b| (b < 0x20 && b != 0x09) || b"\"():<>?@[\\]{}\x7f".contains(&b))
}

/// <https://fetch.spec.whatwg.org/#cors-safelisted-request-header>
pub fn is_cors_safelisted_request_header(name: &[u8], value: &[u8]) -> bool {
    // Step 1. If value's length is greater than 128, then return false.
    if value.len() > 128 {
        return false;
    }
    // Step 2. Byte-lowercase name and switch on the result.
    match name.to_ascii_lowercase().as_slice() {
        b"accept" => !has_cors_unsafe_byte(value),
        b"accept-language" | b"content-language" => value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(b)),
        b"content-type" => {
            if has_cors_unsafe_byte(value) {
                return false;
            }
            let essence = String::from_utf8_lossy(value)
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            matches!(
                essence.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        b"range" => is_simple_range_header_value(value),
        // Otherwise, return false.
        _ => false,
    }
}

/// <https://fetch.spec.whatwg.org/#simple-range-header-value>: `bytes=N-` or `bytes=N-M`.
pub fn is_simple_range_header_value(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let Some(dash) = rest.iter().position(|&b| b == b'-') else {
        return false;
    };
    let (start, end) = (&rest[..dash], &rest[dash + 1..]);
    !start.is_empty() && start.iter().all(u8::is_ascii_digit) && end.iter().all(u8::is_ascii_digit)
}

/// <https://fetch.spec.whatwg.org/#simple-range-header-value>'s general form: "parse a
/// single range header value". `(start, end)`, either of which may be absent (not both);
/// `None` is failure.
pub fn parse_single_range_header_value(
    value: &[u8],
    allow_whitespace: bool,
) -> Option<(Option<u64>, Option<u64>)> {
    // Step 1. Let data be the isomorphic decoding of value (bytes stand for themselves).
    let data = value;
    // Step 2. position.
    let mut position = 0usize;
    let collect = |position: &mut usize, f: fn(u8) -> bool| -> &[u8] {
        let start = *position;
        while data.get(*position).is_some_and(|&b| f(b)) {
            *position += 1;
        }
        &data[start..*position]
    };
    let tab_or_space = |b: u8| b == b'\t' || b == b' ';
    // Steps 3-4. The type, ASCII case-insensitively "bytes".
    let kind = collect(&mut position, |b| b.is_ascii_alphabetic());
    if !kind.eq_ignore_ascii_case(b"bytes") {
        return None;
    }
    // Step 5.
    if allow_whitespace {
        collect(&mut position, tab_or_space);
    }
    // Steps 6-7. "=".
    if data.get(position) != Some(&b'=') {
        return None;
    }
    position += 1;
    // Step 8.
    if allow_whitespace {
        collect(&mut position, tab_or_space);
    }
    // Steps 9-10. rangeStart (digits that overflow are a failure).
    let number = |digits: &[u8]| -> Result<Option<u64>, ()> {
        if digits.is_empty() {
            return Ok(None);
        }
        std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse().ok())
            .map(Some)
            .ok_or(())
    };
    let start = number(collect(&mut position, |b| b.is_ascii_digit())).ok()?;
    // Step 11.
    if allow_whitespace {
        collect(&mut position, tab_or_space);
    }
    // Steps 12-13. "-".
    if data.get(position) != Some(&b'-') {
        return None;
    }
    position += 1;
    // Step 14.
    if allow_whitespace {
        collect(&mut position, tab_or_space);
    }
    // Steps 15-16. rangeEnd.
    let end = number(collect(&mut position, |b| b.is_ascii_digit())).ok()?;
    // Step 17. Nothing may follow.
    if position < data.len() {
        return None;
    }
    // Steps 18-19.
    match (start, end) {
        (None, None) => None,
        (Some(s), Some(e)) if s > e => None,
        // Step 20.
        range => Some(range),
    }
}

/// The first and last byte a single range selects from a body of `full_length` bytes, as
/// the blob URL fetch computes them (a suffix range takes the last bytes); `None` when it
/// is not satisfiable.
pub fn resolve_single_range(
    (start, end): (Option<u64>, Option<u64>),
    full_length: u64,
) -> Option<(u64, u64)> {
    match start {
        None => {
            // A suffix: the last `end` bytes (all of them if the body is shorter).
            let suffix = end?.min(full_length);
            if suffix == 0 {
                return None;
            }
            Some((full_length - suffix, full_length - 1))
        }
        Some(start) => {
            if start >= full_length {
                return None;
            }
            let last = end.map_or(full_length - 1, |e| e.min(full_length - 1));
            Some((start, last))
        }
    }
}

/// <https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name>
pub fn is_no_cors_safelisted_request_header_name(name: &[u8]) -> bool {
    matches!(
        name.to_ascii_lowercase().as_slice(),
        b"accept" | b"accept-language" | b"content-language" | b"content-type"
    )
}

/// <https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header>
pub fn is_no_cors_safelisted_request_header(name: &[u8], value: &[u8]) -> bool {
    // Step 1. If name is not a no-CORS-safelisted request-header name, then return false.
    // Step 2. Return whether (name, value) is a CORS-safelisted request-header.
    is_no_cors_safelisted_request_header_name(name)
        && is_cors_safelisted_request_header(name, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_range_header_values() {
        let p = |v: &str| parse_single_range_header_value(v.as_bytes(), false);
        assert_eq!(p("bytes=0-1"), Some((Some(0), Some(1))));
        assert_eq!(p("Bytes=5-"), Some((Some(5), None)));
        assert_eq!(p("bytes=-5"), Some((None, Some(5))));
        for bad in [
            "bytes=-",
            "bytes=2-1",
            "bytes=1-2,3-4",
            "bits=1-2",
            "bytes 1-2",
            "bytes=1-2 ",
            "bytes=99999999999999999999-",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
        assert_eq!(p("bytes = 1 - 2"), None);
        assert_eq!(
            parse_single_range_header_value(b"bytes = 1 - 2", true),
            Some((Some(1), Some(2)))
        );
        let r = |v: &str, len| resolve_single_range(p(v).unwrap(), len);
        assert_eq!(r("bytes=0-1", 10), Some((0, 1)));
        assert_eq!(r("bytes=5-", 10), Some((5, 9)));
        assert_eq!(r("bytes=5-100", 10), Some((5, 9)));
        assert_eq!(r("bytes=-3", 10), Some((7, 9)));
        assert_eq!(r("bytes=-30", 10), Some((0, 9)));
        assert_eq!(r("bytes=10-", 10), None);
        assert_eq!(r("bytes=-0", 10), None);
        assert_eq!(r("bytes=0-", 0), None);
    }

    #[test]
    fn safelisted_request_headers() {
        assert!(is_cors_safelisted_request_header(
            b"Content-Type",
            b"text/plain;charset=utf-8"
        ));
        assert!(!is_cors_safelisted_request_header(
            b"Content-Type",
            b"text/json"
        ));
        assert!(!is_cors_safelisted_request_header(b"Accept", b"a(b"));
        assert!(!is_cors_safelisted_request_header(b"Accept", &[b'a'; 129]));
        assert!(is_cors_safelisted_request_header(b"Range", b"bytes=100-"));
        assert!(is_cors_safelisted_request_header(b"Range", b"bytes=1-2"));
        assert!(!is_cors_safelisted_request_header(b"Range", b"bytes=-100"));
        assert!(!is_cors_safelisted_request_header(b"X-Custom", b"1"));
        // Range is CORS-safelisted but not no-CORS-safelisted.
        assert!(!is_no_cors_safelisted_request_header(b"Range", b"bytes=1-"));
        assert!(is_no_cors_safelisted_request_header(
            b"Accept-Language",
            b"en-GB, fr;q=0.5"
        ));
        assert!(!is_no_cors_safelisted_request_header(
            b"Accept-Language",
            b"en_GB"
        ));
    }
}
