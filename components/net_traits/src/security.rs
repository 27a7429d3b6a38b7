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
}
