//! Pure algorithms of the Background Fetch spec (and the one it borrows from Service
//! Workers), kept apart from the controller's state so they can be tested alone.

use net_traits::{header_get, CacheQueryOptions, RequestData, ResponseMeta};
use url::Url;

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

/// <https://w3c.github.io/ServiceWorker/#request-matches-cached-item-algorithm>
pub fn request_matches_cached_item(
    query: &RequestData,
    request: &RequestData,
    response: Option<&ResponseMeta>,
    options: CacheQueryOptions,
) -> bool {
    // Step 1. If ignoreMethod is false and request's method is not GET, return false.
    if !options.ignore_method && request.method != "GET" {
        return false;
    }
    // Steps 2-4. The URLs, without fragments (and queries with ignoreSearch), must be equal.
    let normalize = |s: &str| -> Option<String> {
        let mut u = Url::parse(s).ok()?;
        u.set_fragment(None);
        if options.ignore_search {
            u.set_query(None);
        }
        Some(u.to_string())
    };
    match (normalize(&query.url), normalize(&request.url)) {
        (Some(a), Some(b)) if a == b => {}
        _ => return false,
    }
    // Step 5. No response, ignoreVary, or no Vary: a match.
    let Some(response) = response else {
        return true;
    };
    if options.ignore_vary {
        return true;
    }
    let Some(vary) = header_get(&response.headers, "Vary") else {
        return true;
    };
    // Step 6. Every header the response varies on must have the same value in both requests.
    for field in String::from_utf8_lossy(&vary).split(',') {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        if field == "*" || header_get(&request.headers, field) != header_get(&query.headers, field)
        {
            return false;
        }
    }
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

    #[test]
    fn cached_item_matching() {
        let q = |u: &str| RequestData::get(u);
        let stored = q("https://a.test/x?y=1#f");
        let o = CacheQueryOptions::default();
        assert!(request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &stored,
            None,
            o
        ));
        assert!(!request_matches_cached_item(
            &q("https://a.test/x"),
            &stored,
            None,
            o
        ));
        let ignore_search = CacheQueryOptions {
            ignore_search: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &q("https://a.test/x"),
            &stored,
            None,
            ignore_search
        ));
        let mut post = stored.clone();
        post.method = "POST".into();
        assert!(!request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &post,
            None,
            o
        ));
        let ignore_method = CacheQueryOptions {
            ignore_method: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &post,
            None,
            ignore_method
        ));
        let vary = ResponseMeta {
            headers: vec![("Vary".into(), "Accept".into())],
            ..Default::default()
        };
        let mut with_accept = q("https://a.test/x?y=1");
        with_accept.headers = vec![("Accept".into(), "text/html".into())];
        assert!(!request_matches_cached_item(
            &with_accept,
            &stored,
            Some(&vary),
            o
        ));
        let ignore_vary = CacheQueryOptions {
            ignore_vary: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &with_accept,
            &stored,
            Some(&vary),
            ignore_vary
        ));
    }
}
