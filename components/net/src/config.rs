//! What the embedder decides about the network: whom to trust and how names resolve.

use std::collections::HashMap;
use std::net::IpAddr;

/// Network policy supplied by the embedder.
#[derive(Clone, Debug, Default)]
pub struct NetworkConfig {
    /// Certificate authorities (DER) trusted for HTTPS. There are no built-in roots: an
    /// embedder that wants the web PKI passes it here.
    pub extra_roots: Vec<Vec<u8>>,
    /// Host names answered without DNS (e.g. `web-platform.test` -> 127.0.0.1).
    pub hosts: HashMap<String, IpAddr>,
    /// Refuse to resolve names that are not in `hosts` (test harnesses: nothing may leave the
    /// machine by accident).
    pub only_mapped_hosts: bool,
    /// Where the profile's persistent cookies are kept (`None`: cookies live in memory
    /// only, for as long as the network stack).
    pub cookie_file: Option<std::path::PathBuf>,
    /// Where the profile's HTTP cache keeps its responses (`None`: no HTTP cache; every
    /// request goes to the network).
    pub http_cache_dir: Option<std::path::PathBuf>,
    /// The HTTP cache's size bound in bytes (bodies and headers; the least recently used
    /// responses go first). `0`: the default, 256 MiB.
    pub http_cache_max_bytes: u64,
    /// Send requests through this proxy (`None`: connect directly).
    pub proxy: Option<ProxyConfig>,
}

/// An HTTP proxy: `http://` URLs are sent to it in absolute form, `https://` ones through a
/// `CONNECT` tunnel (TLS stays end to end).
#[derive(Clone, Debug, Default)]
pub struct ProxyConfig {
    /// `http://[user:password@]host:port` or `https://...` (TLS to the proxy; credentials
    /// become `Proxy-Authorization: Basic`),
    /// or `socks5://[user:password@]host[:port]` / `socks5h://...` (SOCKS5, the origins'
    /// names resolved by the proxy; credentials by RFC 1929).
    pub url: String,
    /// Hosts reached directly: exact names, `.suffix` / `*.suffix` for a domain and its
    /// subdomains, IP addresses, or `*` for every host.
    pub no_proxy: Vec<String>,
}

impl NetworkConfig {
    /// Maps every name to `ip` and resolves nothing else.
    pub fn loopback_only(names: impl IntoIterator<Item = String>, ip: IpAddr) -> NetworkConfig {
        NetworkConfig {
            extra_roots: Vec::new(),
            hosts: names.into_iter().map(|n| (n, ip)).collect(),
            only_mapped_hosts: true,
            cookie_file: None,
            http_cache_dir: None,
            http_cache_max_bytes: 0,
            proxy: None,
        }
    }
}
