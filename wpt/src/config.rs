//! The server's host names and ports, as wptserve's default configuration has them.

use std::net::{IpAddr, Ipv4Addr};

/// The subdomains wptserve serves under both hosts (the last two as punycode).
pub const SUBDOMAINS: &[(&str, &str)] = &[
    ("www", "www"),
    ("www1", "www1"),
    ("www2", "www2"),
    ("天気の良い日", "xn--n8j6ds53lwwkrqhv28a"),
    ("élève", "xn--lve-6lad"),
];

/// Host names and ports of a running server.
#[derive(Clone, Debug)]
pub struct WptConfig {
    /// The main host, `web-platform.test`.
    pub browser_host: String,
    /// The cross-origin "alt" host, `not-web-platform.test`.
    pub alt_host: String,
    /// The address every name resolves to.
    pub ip: IpAddr,
    /// Two HTTP ports and two HTTPS ports (wptserve: 8000+, 8443/8444).
    pub http_ports: [u16; 2],
    pub https_ports: [u16; 2],
    /// Offer HTTP/2 on the HTTPS ports (ALPN `h2`, HTTP/1.1 still accepted). Off by
    /// default, as wptserve's HTTPS ports.
    pub http2: bool,
}

impl Default for WptConfig {
    fn default() -> Self {
        WptConfig {
            browser_host: "web-platform.test".into(),
            alt_host: "not-web-platform.test".into(),
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            http_ports: [8000, 8001],
            https_ports: [8443, 8444],
            http2: false,
        }
    }
}

impl WptConfig {
    /// Ports 0: the system picks free ones (tests).
    pub fn ephemeral() -> Self {
        WptConfig {
            http_ports: [0, 0],
            https_ports: [0, 0],
            ..Default::default()
        }
    }

    /// The subdomain labels (ASCII) wptserve knows: each subdomain and every two-level
    /// product (`www.www1`).
    fn subdomain_labels() -> Vec<String> {
        let mut out: Vec<String> = SUBDOMAINS.iter().map(|(_, a)| a.to_string()).collect();
        for (_, a) in SUBDOMAINS {
            for (_, b) in SUBDOMAINS {
                out.push(format!("{a}.{b}"));
            }
        }
        out
    }

    /// Every host name the server answers for, ASCII (punycode) forms. (`nonexistent.`
    /// names are substituted but never resolve.)
    pub fn all_hosts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for host in [&self.browser_host, &self.alt_host] {
            out.push(host.clone());
            for label in Self::subdomain_labels() {
                out.push(format!("{label}.{host}"));
            }
        }
        out
    }

    /// `{{domains[sub]}}`: `sub.web-platform.test`, or the host itself for "".
    pub fn domain(&self, sub: &str) -> Option<String> {
        self.host_in(&self.browser_host, sub)
    }

    /// `{{hosts[alt][sub]}}`: `sub` may be one label, a two-level product (`www.www1`) or
    /// `nonexistent`.
    pub fn host_in(&self, host: &str, sub: &str) -> Option<String> {
        if sub.is_empty() {
            return Some(host.to_string());
        }
        let mut labels = Vec::new();
        for part in sub.split('.') {
            let ascii = SUBDOMAINS
                .iter()
                .find(|(name, ascii)| *name == part || *ascii == part)
                .map(|(_, ascii)| *ascii)
                .or((part == "nonexistent").then_some("nonexistent"))?;
            labels.push(ascii);
        }
        (labels.len() <= 2).then(|| format!("{}.{host}", labels.join(".")))
    }
}
