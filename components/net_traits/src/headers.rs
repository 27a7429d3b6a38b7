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
