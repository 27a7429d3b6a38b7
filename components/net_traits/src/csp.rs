//! Content Security Policy Level 3 (<https://w3c.github.io/webappsec-csp/>): parsing
//! serialized policies (from `Content-Security-Policy` headers and `<meta http-equiv>`) and
//! the fetch directives' source-list matching, enough to enforce `connect-src`,
//! `script-src(-elem)`, `worker-src` and their `default-src` fallback on the requests a page
//! or worker makes. Violation reports are not sent (report-uri/report-to are ignored).

use crate::Destination;
use serde::{Deserialize, Serialize};
use url::Url;

/// Where a policy came from (`<meta>` policies drop some directives).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Header,
    Meta,
}

/// <https://w3c.github.io/webappsec-csp/#content-security-policy-object>
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// (name in ASCII lowercase, value tokens).
    pub directives: Vec<(String, Vec<String>)>,
    /// "enforce" (report-only policies come from another header, which is not read).
    pub source: Source,
}

impl Policy {
    fn directive(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// <https://w3c.github.io/webappsec-csp/#parse-serialized-policy-list>: a header value may
/// hold several policies separated by commas.
pub fn parse_policy_list(value: &str, source: Source) -> Vec<Policy> {
    value
        .split(',')
        .map(|p| parse_policy(p, source))
        .filter(|p| !p.directives.is_empty())
        .collect()
}

/// <https://w3c.github.io/webappsec-csp/#parse-serialized-policy>
pub fn parse_policy(serialized: &str, source: Source) -> Policy {
    let mut directives: Vec<(String, Vec<String>)> = Vec::new();
    // Step 2. For each token of the result of strictly splitting serialized on ";":
    for token in serialized.split(';') {
        // Step 2.1. Strip leading and trailing ASCII whitespace.
        let token = token.trim_matches(|c: char| c.is_ascii_whitespace());
        // Step 2.2. Empty, or containing non-ASCII code points: continue.
        if token.is_empty() || !token.is_ascii() {
            continue;
        }
        // Steps 2.3-2.5. The name is up to the first whitespace, lowercased.
        let mut parts = token
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|s| !s.is_empty());
        let Some(name) = parts.next() else { continue };
        let name = name.to_ascii_lowercase();
        // Step 2.6. A duplicate directive is ignored.
        if directives.iter().any(|(n, _)| *n == name) {
            continue;
        }
        // HTML's meta processing removes report-uri, frame-ancestors and sandbox.
        if source == Source::Meta
            && matches!(name.as_str(), "report-uri" | "frame-ancestors" | "sandbox")
        {
            continue;
        }
        // Steps 2.7-2.8. The value is the rest, split on ASCII whitespace.
        directives.push((name, parts.map(str::to_string).collect()));
    }
    Policy { directives, source }
}

/// <https://w3c.github.io/webappsec-csp/#effective-directive-for-a-request>
fn effective_directive(destination: Destination) -> &'static str {
    match destination {
        Destination::Empty => "connect-src",
        Destination::Document | Destination::Iframe => "frame-src",
        Destination::Script => "script-src-elem",
        Destination::Worker | Destination::SharedWorker | Destination::ServiceWorker => {
            "worker-src"
        }
        Destination::Image => "img-src",
        Destination::Audio | Destination::Video => "media-src",
    }
}

/// <https://w3c.github.io/webappsec-csp/#directive-fallback-list>
fn fallback_list(directive: &str) -> &'static [&'static str] {
    match directive {
        "script-src-elem" => &["script-src-elem", "script-src", "default-src"],
        "worker-src" => &["worker-src", "child-src", "script-src", "default-src"],
        "connect-src" => &["connect-src", "default-src"],
        "frame-src" => &["frame-src", "child-src", "default-src"],
        _ => &["default-src"],
    }
}

/// The source list that governs `directive` in `policy`, after falling back.
fn governing_list<'p>(policy: &'p Policy, directive: &str) -> Option<(&'static str, &'p [String])> {
    fallback_list(directive)
        .iter()
        .find_map(|d| policy.directive(d).map(|v| (*d, v)))
}

/// <https://w3c.github.io/webappsec-csp/#should-block-request>: the directive that blocks a
/// request for `url` with `destination` from a client at `self_url`, if any enforced policy
/// does.
pub fn blocks_request(
    policies: &[Policy],
    url: &Url,
    destination: Destination,
    self_url: &str,
) -> Option<String> {
    blocks_redirected_request(policies, url, destination, self_url, 0)
}

/// [`blocks_request`] for a request redirected `redirect_count` times: after a redirect, a
/// host-source's path is not compared (CSP3 "does url match expression in origin with
/// redirect count", so a policy does not reveal where a cross-origin redirect went).
pub fn blocks_redirected_request(
    policies: &[Policy],
    url: &Url,
    destination: Destination,
    self_url: &str,
    redirect_count: u32,
) -> Option<String> {
    let Ok(self_url) = Url::parse(self_url) else {
        return None;
    };
    let directive = effective_directive(destination);
    for policy in policies {
        if let Some((name, list)) = governing_list(policy, directive) {
            if !matches_source_list(url, list, &self_url, redirect_count) {
                return Some(format!("{name} {}", list.join(" ")));
            }
        }
    }
    None
}

/// A client's CSP list with the URL its `'self'` stands for: what the network side needs to
/// check every hop of a fetch (main fetch step 7, on each redirect too). Empty: nothing is
/// blocked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspList {
    pub policies: Vec<Policy>,
    /// The policy's self-origin, as a URL (the client's URL, or its origin).
    pub self_url: String,
}

impl CspList {
    pub fn new(policies: Vec<Policy>, self_url: impl Into<String>) -> CspList {
        CspList {
            policies,
            self_url: self_url.into(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Should request be blocked by Content Security Policy, for this hop.
    pub fn blocks(
        &self,
        url: &Url,
        destination: Destination,
        redirect_count: u32,
    ) -> Option<String> {
        if self.policies.is_empty() {
            return None;
        }
        blocks_redirected_request(
            &self.policies,
            url,
            destination,
            &self.self_url,
            redirect_count,
        )
    }
}

/// <https://w3c.github.io/webappsec-csp/#should-block-inline> for a script element without a
/// nonce or hash: allowed when no policy's script-src-elem (or fallback) list is present
/// without 'unsafe-inline'.
pub fn allows_inline_script(policies: &[Policy]) -> bool {
    policies
        .iter()
        .all(|policy| match governing_list(policy, "script-src-elem") {
            None => true,
            Some((_, list)) => {
                // 'unsafe-inline' is ignored when a nonce or hash source is present.
                let has_nonce_or_hash = list.iter().any(|s| {
                    let s = s.to_ascii_lowercase();
                    s.starts_with("'nonce-")
                        || s.starts_with("'sha256-")
                        || s.starts_with("'sha384-")
                        || s.starts_with("'sha512-")
                });
                // 'strict-dynamic' also disables 'unsafe-inline' for scripts.
                let strict_dynamic = list
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case("'strict-dynamic'"));
                !has_nonce_or_hash
                    && !strict_dynamic
                    && list
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case("'unsafe-inline'"))
            }
        })
}

/// <https://w3c.github.io/webappsec-csp/#match-url-to-source-list>
pub fn url_matches_source_list(url: &Url, list: &[String], self_url: &Url) -> bool {
    matches_source_list(url, list, self_url, 0)
}

fn matches_source_list(url: &Url, list: &[String], self_url: &Url, redirect_count: u32) -> bool {
    // Step 2. An empty list (or 'none' alone) matches nothing.
    if list.is_empty() || (list.len() == 1 && list[0].eq_ignore_ascii_case("'none'")) {
        return false;
    }
    list.iter()
        .any(|expr| url_matches_expression(url, expr, self_url, redirect_count))
}

/// <https://w3c.github.io/webappsec-csp/#scheme-part-match>: `a` is the expression's scheme.
fn scheme_part_match(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (a.eq_ignore_ascii_case("http") && b == "https")
        || (a.eq_ignore_ascii_case("ws") && matches!(b, "wss" | "http" | "https"))
        || (a.eq_ignore_ascii_case("wss") && b == "https")
}

/// <https://w3c.github.io/webappsec-csp/#match-url-to-source-expression>
fn url_matches_expression(url: &Url, expr: &str, self_url: &Url, redirect_count: u32) -> bool {
    let scheme = url.scheme();
    // Step 1. "*": network schemes, or the protected resource's scheme.
    if expr == "*" {
        return matches!(scheme, "http" | "https" | "ws" | "wss") || scheme == self_url.scheme();
    }
    // Keywords and schemes compare case-insensitively; a host-source's path does not.
    let lower = expr.to_ascii_lowercase();
    // Step 4. 'self'.
    if lower == "'self'" {
        let same_origin = url.origin() == self_url.origin();
        let upgrade = url.host_str() == self_url.host_str()
            && ((self_url.scheme() == "http" && matches!(scheme, "https" | "wss"))
                || (self_url.scheme() == "https" && scheme == "wss"))
            // The same port, or both their scheme's default (`port()` is None then).
            && url.port() == self_url.port();
        return same_origin || upgrade;
    }
    // Keywords, nonces and hashes never match a URL.
    if lower.starts_with('\'') {
        return false;
    }
    // Step 2. scheme-source: "https:".
    if let Some(s) = lower.strip_suffix(':') {
        if !s.contains('/') && !s.is_empty() {
            return scheme_part_match(s, scheme);
        }
    }
    // Step 3. host-source: [scheme "://"] host [":" port] [path].
    host_source_matches(url, expr, self_url, redirect_count)
}

fn host_source_matches(url: &Url, expr: &str, self_url: &Url, redirect_count: u32) -> bool {
    let (expr_scheme, rest) = match expr.split_once("://") {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
        None => (None, expr),
    };
    let expr_scheme = expr_scheme.as_deref();
    // Step 3.1. The URL must have a host.
    let Some(host) = url.host_str() else {
        return false;
    };
    let scheme = url.scheme();
    // Step 3.2-3.3. The scheme part.
    match expr_scheme {
        Some(s) => {
            if !scheme_part_match(s, scheme) {
                return false;
            }
        }
        None => {
            let own = self_url.scheme();
            let ok = (own == "http" && matches!(scheme, "http" | "https")) || own == scheme;
            if !ok {
                return false;
            }
        }
    }
    let (host_port, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let host_port = host_port.to_ascii_lowercase();
    let host_port = host_port.as_str();
    let (expr_host, expr_port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => (h, Some(p)),
        _ => (host_port, None),
    };
    // Step 3.4. Host part match (a leading "*." matches subdomains only).
    let host = host.to_ascii_lowercase();
    let host_ok = if expr_host == "*" {
        true
    } else if let Some(suffix) = expr_host.strip_prefix("*.") {
        host.ends_with(&format!(".{suffix}"))
    } else {
        host == expr_host
    };
    if !host_ok {
        return false;
    }
    // Step 3.5. Port part match.
    let url_port = url.port_or_known_default();
    let port_ok = match expr_port {
        Some("*") => true,
        Some(p) => p.parse::<u16>().ok() == url_port,
        None => {
            let default = match expr_scheme.unwrap_or(scheme) {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                _ => None,
            };
            // With no port, the scheme's default port matches (and http's 80 also allows
            // https's 443 for an upgraded request).
            url_port == default
                || (default == Some(80)
                    && url_port == Some(443)
                    && matches!(scheme, "https" | "wss"))
        }
    };
    if !port_ok {
        return false;
    }
    // Step 3.6. Path part match: exact, or a prefix ending in "/" (not after a redirect).
    if redirect_count > 0 {
        return true;
    }
    match path {
        None | Some("/") | Some("") => true,
        Some(p) => {
            let url_path = url.path();
            if p.ends_with('/') {
                url_path.starts_with(p)
            } else {
                url_path == p
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn parses_directives() {
        let p = parse_policy(
            "  default-src 'self' ; CONNECT-src https://a.test  ;; connect-src *;",
            Source::Header,
        );
        assert_eq!(
            p.directives,
            vec![
                ("default-src".to_string(), vec!["'self'".to_string()]),
                (
                    "connect-src".to_string(),
                    vec!["https://a.test".to_string()]
                ),
            ]
        );
        let list = parse_policy_list("connect-src 'none', script-src *", Source::Header);
        assert_eq!(list.len(), 2);
        let meta = parse_policy("sandbox; report-uri /r; connect-src 'none'", Source::Meta);
        assert_eq!(meta.directives.len(), 1);
    }

    #[test]
    fn connect_src_and_default_src() {
        let me = "https://web-platform.test:8443/a/page.html";
        let none = parse_policy_list("connect-src 'none'", Source::Meta);
        assert!(blocks_request(
            &none,
            &u("https://web-platform.test:8443/x"),
            Destination::Empty,
            me
        )
        .is_some());
        // connect-src does not govern scripts.
        assert!(blocks_request(
            &none,
            &u("https://web-platform.test:8443/x.js"),
            Destination::Script,
            me
        )
        .is_none());
        let default = parse_policy_list("default-src 'self'", Source::Header);
        assert!(blocks_request(
            &default,
            &u("https://web-platform.test:8443/x"),
            Destination::Empty,
            me
        )
        .is_none());
        assert!(blocks_request(
            &default,
            &u("https://www.web-platform.test:8443/x"),
            Destination::Empty,
            me
        )
        .is_some());
        assert!(blocks_request(
            &default,
            &u("https://www.web-platform.test:8443/x"),
            Destination::Script,
            me
        )
        .is_some());
        // connect-src takes precedence over default-src.
        let both = parse_policy_list("default-src 'none'; connect-src *", Source::Header);
        assert!(
            blocks_request(&both, &u("https://other.test/x"), Destination::Empty, me).is_none()
        );
        assert!(
            blocks_request(&both, &u("https://other.test/x"), Destination::Script, me).is_some()
        );
    }

    #[test]
    fn source_expressions() {
        let me = u("https://a.test/page");
        let m = |url: &str, expr: &str| url_matches_source_list(&u(url), &[expr.to_string()], &me);
        assert!(m("https://b.test/x", "*"));
        assert!(!m("data:text/plain,x", "*"));
        assert!(m("https://b.test/x", "https:"));
        assert!(m("https://b.test/x", "http:"));
        assert!(!m("http://b.test/x", "https:"));
        assert!(m("https://sub.b.test/x", "*.b.test"));
        assert!(!m("https://b.test/x", "*.b.test"));
        assert!(m("https://b.test:8443/x", "b.test:*"));
        assert!(!m("https://b.test:8443/x", "b.test"));
        assert!(m("https://b.test/x", "b.test"));
        assert!(m("https://b.test/dir/file", "https://b.test/dir/"));
        assert!(!m("https://b.test/other/file", "https://b.test/dir/"));
        assert!(m("https://b.test/dir/file", "https://b.test/dir/file"));
        assert!(
            m("https://b.test/Lib/app.js", "https://B.TEST/Lib/"),
            "hosts fold case"
        );
        assert!(
            !m("https://b.test/lib/app.js", "https://b.test/Lib/"),
            "paths do not"
        );
        assert!(m("https://any.test/x", "https://*"), "a bare * host");
        assert!(m("https://a.test/x", "'self'"));
        let on_port = u("http://a.test:8000/page");
        let self_matches =
            |url: &str| url_matches_source_list(&u(url), &["'self'".to_string()], &on_port);
        assert!(
            self_matches("https://a.test:8000/x"),
            "an upgrade on the same port"
        );
        assert!(!self_matches("https://a.test/x"), "not another port");
        assert!(!m("https://a.test/x", "'unsafe-inline'"));
        assert!(!url_matches_source_list(
            &u("https://a.test/x"),
            &["'none'".to_string()],
            &me
        ));
        assert!(!url_matches_source_list(&u("https://a.test/x"), &[], &me));
    }

    #[test]
    fn inline_scripts() {
        assert!(!allows_inline_script(&parse_policy_list(
            "script-src 'unsafe-inline' 'strict-dynamic'",
            Source::Meta
        )));
        assert!(allows_inline_script(&[]));
        assert!(allows_inline_script(&parse_policy_list(
            "connect-src 'none'",
            Source::Meta
        )));
        assert!(!allows_inline_script(&parse_policy_list(
            "default-src 'self'",
            Source::Meta
        )));
        assert!(allows_inline_script(&parse_policy_list(
            "script-src 'unsafe-inline'",
            Source::Meta
        )));
        assert!(!allows_inline_script(&parse_policy_list(
            "script-src 'unsafe-inline' 'nonce-x'",
            Source::Meta
        )));
    }
}
