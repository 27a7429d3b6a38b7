//! URL predicates that both the script side (service worker registration, background
//! fetch's checks at `fetch()` time) and the network side (fetch) apply: Secure Contexts'
//! potentially trustworthy URLs and Fetch's bad ports.

use url::Url;

/// Secure Contexts "potentially trustworthy URL" for HTTP(S): https, or a loopback host
/// (127.0.0.0/8, ::1, `localhost` and `*.localhost`).
pub fn is_potentially_trustworthy(url: &Url) -> bool {
    if url.scheme() == "https" || url.scheme() == "wss" {
        return true;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// <https://fetch.spec.whatwg.org/#bad-port>
pub const BAD_PORTS: &[u16] = &[
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101,
    102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427,
    465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990,
    993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
    6668, 6669, 6679, 6697, 10080,
];

/// Fetch "port blocking": a bad port on an HTTP(S) URL.
pub fn is_port_blocked(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && url
            .port_or_known_default()
            .is_some_and(|p| BAD_PORTS.contains(&p))
}

/// <https://w3c.github.io/webappsec-referrer-policy/#strip-url>: `url` as a referrer (no
/// credentials or fragment; only its origin when `origin_only`). `None` for a URL that
/// cannot be one (not http(s)).
pub fn strip_url_for_use_as_referrer(url: &Url, origin_only: bool) -> Option<String> {
    // Step 2. A local scheme (about:, blob:, data:) is no referrer; nor is anything but
    // http(s) here.
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut url = url.clone();
    // Steps 3-5. No username, password or fragment.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    // Step 6. Only the origin: path "/", no query.
    if origin_only {
        url.set_path("");
        url.set_query(None);
    }
    Some(url.to_string())
}

/// <https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer>, steps
/// 4-8, for a request to `target` whose referrer source is `source` (its client's URL),
/// under `policy` (the empty string is the default, strict-origin-when-cross-origin).
pub fn determine_referrer(policy: &str, source: &Url, target: &Url) -> Option<String> {
    // Steps 4-5. The referrer URL and its origin-only form.
    let full = strip_url_for_use_as_referrer(source, false)?;
    let origin = strip_url_for_use_as_referrer(source, true)?;
    let same_origin = source.origin() == target.origin();
    // A downgrade: from a potentially trustworthy URL to one that is not.
    let downgrade = is_potentially_trustworthy(source) && !is_potentially_trustworthy(target);
    // Step 7. The policy.
    match policy {
        "no-referrer" => None,
        "origin" => Some(origin),
        "unsafe-url" => Some(full),
        "strict-origin" => (!downgrade).then_some(origin),
        "no-referrer-when-downgrade" => (!downgrade).then_some(full),
        "same-origin" => same_origin.then_some(full),
        "origin-when-cross-origin" => Some(if same_origin { full } else { origin }),
        // "strict-origin-when-cross-origin", and the default.
        _ => {
            if same_origin {
                Some(full)
            } else if downgrade {
                None
            } else {
                Some(origin)
            }
        }
    }
}

/// <https://w3c.github.io/webappsec-referrer-policy/#parse-referrer-policy-from-header>: the
/// last token of the `Referrer-Policy` header values that is a known policy.
pub fn parse_referrer_policy(values: &[String]) -> Option<String> {
    const POLICIES: &[&str] = &[
        "no-referrer",
        "no-referrer-when-downgrade",
        "same-origin",
        "origin",
        "strict-origin",
        "origin-when-cross-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    ];
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .rfind(|t| POLICIES.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trustworthy_urls() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(is_potentially_trustworthy(&u("https://example.test/")));
        assert!(is_potentially_trustworthy(&u("http://127.0.0.1:9/")));
        assert!(is_potentially_trustworthy(&u("http://[::1]/")));
        assert!(is_potentially_trustworthy(&u("http://a.localhost/")));
        assert!(!is_potentially_trustworthy(&u("http://example.test/")));
        assert!(!is_potentially_trustworthy(&u("http://localhost.example/")));
    }

    #[test]
    fn referrers_follow_the_policy() {
        let page = Url::parse("https://user:pw@a.test/p?q#frag").unwrap();
        let same = Url::parse("https://a.test/x").unwrap();
        let cross = Url::parse("https://b.test/x").unwrap();
        let insecure = Url::parse("http://b.test/x").unwrap();
        let full = Some("https://a.test/p?q".to_string());
        let origin = Some("https://a.test/".to_string());
        assert_eq!(determine_referrer("", &page, &same), full);
        assert_eq!(determine_referrer("", &page, &cross), origin);
        assert_eq!(determine_referrer("", &page, &insecure), None);
        assert_eq!(determine_referrer("no-referrer", &page, &same), None);
        assert_eq!(determine_referrer("unsafe-url", &page, &insecure), full);
        assert_eq!(determine_referrer("same-origin", &page, &cross), None);
        assert_eq!(determine_referrer("origin", &page, &same), origin);
        assert_eq!(
            determine_referrer("", &Url::parse("data:,x").unwrap(), &same),
            None
        );
    }
}
