//! URL predicates from Secure Contexts that both the script side (service worker
//! registration) and the network side (mixed content) apply.

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
