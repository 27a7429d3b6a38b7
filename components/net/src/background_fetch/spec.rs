//! Pure algorithms of the Background Fetch spec, kept apart from the controller's state so
//! they can be tested alone. (Request Matches Cached Item, which `match()` borrows from
//! Service Workers, is `net_traits::cache::request_matches_cached_item`, shared with the
//! Cache API.)

use net_traits::{header_get, ResponseMeta};

/// The values of a single byte content-range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentRange {
    pub first_byte_pos: u64,
    pub last_byte_pos: u64,
    /// `None` for `*`.
    pub complete_length: Option<u64>,
}

/// <https://wicg.github.io/background-fetch/#extract-content-range-values>
pub fn extract_content_range_values(response: &ResponseMeta) -> Option<ContentRange> {
    // Steps 1-2. The first Content-Range header's value.
    let value = response
        .headers
        .iter()
        .find(|(n, _)| n.0.eq_ignore_ascii_case(b"content-range"))
        .map(|(_, v)| v.to_latin1())?;
    // Step 3. Parse it as a single byte content-range ("bytes " per RFC 9110; the spec's
    // ABNF writes "bytes=", which no server sends, so both are read).
    let rest = value
        .strip_prefix("bytes ")
        .or_else(|| value.strip_prefix("bytes="))?;
    let (range, complete) = rest.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let digits = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // Steps 4-7.
    let first_byte_pos = digits(first)?;
    let last_byte_pos = digits(last)?;
    let complete_length = if complete == "*" {
        None
    } else {
        Some(digits(complete)?)
    };
    if last_byte_pos < first_byte_pos {
        return None;
    }
    // Step 8.
    Some(ContentRange {
        first_byte_pos,
        last_byte_pos,
        complete_length,
    })
}

/// <https://wicg.github.io/background-fetch/#validate-a-partial-response>: true for valid.
pub fn validate_partial_response(
    expected_range_start: u64,
    partial: &ResponseMeta,
    previous: Option<&ResponseMeta>,
) -> bool {
    // Step 1. Assert: partialResponse's status is 206.
    debug_assert_eq!(partial.status, 206);
    // Step 2. Extract the content-range values; failure is invalid.
    let Some(range) = extract_content_range_values(partial) else {
        return false;
    };
    // Step 3. The first byte must be where we asked to start.
    if range.first_byte_pos != expected_range_start {
        return false;
    }
    // Step 4. Against the previous response, if any.
    if let Some(previous) = previous {
        // Step 4.1. ETag and Last-Modified must not have changed.
        for name in ["ETag", "Last-Modified"] {
            if let Some(before) = header_get(&previous.headers, name) {
                if header_get(&partial.headers, name).as_deref() != Some(&before[..]) {
                    return false;
                }
            }
        }
        // Step 4.2. Nor the complete length, if the previous response was partial too.
        if previous.status == 206 {
            let Some(prev) = extract_content_range_values(previous) else {
                return false;
            };
            if prev.complete_length.is_some() && range.complete_length != prev.complete_length {
                return false;
            }
        }
    }
    // Step 5.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial(range: &str, etag: Option<&str>) -> ResponseMeta {
        let mut headers = vec![("Content-Range".into(), range.into())];
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
    fn content_range_values() {
        let r = extract_content_range_values(&partial("bytes 10-19/100", None)).unwrap();
        assert_eq!(
            (r.first_byte_pos, r.last_byte_pos, r.complete_length),
            (10, 19, Some(100))
        );
        let r = extract_content_range_values(&partial("bytes 0-9/*", None)).unwrap();
        assert_eq!(r.complete_length, None);
        for bad in [
            "bytes 10-/100",
            "bytes -5/100",
            "items 0-1/2",
            "bytes 5-1/10",
            "bytes 1-2/x",
        ] {
            assert!(
                extract_content_range_values(&partial(bad, None)).is_none(),
                "{bad}"
            );
        }
    }

    #[test]
    fn partial_responses_are_validated() {
        let first = ResponseMeta {
            status: 200,
            headers: vec![("ETag".into(), "\"v1\"".into())],
            ..Default::default()
        };
        assert!(validate_partial_response(
            10,
            &partial("bytes 10-99/100", Some("\"v1\"")),
            Some(&first)
        ));
        assert!(!validate_partial_response(
            11,
            &partial("bytes 10-99/100", Some("\"v1\"")),
            Some(&first)
        ));
        assert!(!validate_partial_response(
            10,
            &partial("bytes 10-99/100", Some("\"v2\"")),
            Some(&first)
        ));
        assert!(!validate_partial_response(
            10,
            &partial("bytes 10-99/100", None),
            Some(&first)
        ));
        assert!(validate_partial_response(
            10,
            &partial("bytes 10-99/100", None),
            None
        ));
        let prev = partial("bytes 0-9/100", None);
        assert!(!validate_partial_response(
            10,
            &partial("bytes 10-99/200", None),
            Some(&prev)
        ));
        assert!(validate_partial_response(
            10,
            &partial("bytes 10-99/100", None),
            Some(&prev)
        ));
    }
}
