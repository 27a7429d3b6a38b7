//! The built-in HTTPS server for `demo` and `open DIR`: the `wpt` crate's server on a folder,
//! for one host name of our own, listening on 127.0.0.1 only. It generates a CA at start;
//! the engine trusts it and resolves the host to loopback through
//! [`LocalSite::network_config`] (nothing on the system changes, and no other name
//! resolves). Static files are served with Range; `/_faults/body` gives deterministic,
//! optionally rate-limited bodies (the demo's episode).

use crate::error::{job, Result};
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

/// A running server; dropping it stops it.
pub struct LocalSite {
    server: wpt::server::Server,
    /// `https://HOST:PORT`.
    pub origin: String,
}

impl LocalSite {
    /// Serves `root` as `https://host:port/` (`port` 0: any free one).
    pub fn serve(root: &Path, host: &str, port: u16) -> Result<LocalSite> {
        let config = wpt::config::WptConfig {
            browser_host: host.to_string(),
            alt_host: format!("alt.{host}"),
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            http_ports: [0, 0],
            https_ports: [port, 0],
            // As the CDNs real background fetches come from: HTTP/2 (ALPN), HTTP/1.1 too.
            http2: true,
        };
        let server = wpt::server::Server::start(wpt::server::ServerOptions {
            config,
            root: root.to_path_buf(),
            harness_dir: None,
        })
        .map_err(|e| job(format!("the built-in server did not start: {e}")))?;
        let origin = server.origin(wpt::server::Scheme::Https);
        Ok(LocalSite { server, origin })
    }

    /// The HTTPS port it listens on.
    pub fn port(&self) -> u16 {
        self.server.config.https_ports[0]
    }

    /// For the engine: this server's CA trusted, its names mapped to 127.0.0.1, nothing else
    /// resolved.
    pub fn network_config(&self) -> engine::NetworkConfig {
        self.server.network_config()
    }
}

/// For real sites: the system's trust roots and DNS.
pub fn internet_config() -> engine::NetworkConfig {
    let mut config = engine::NetworkConfig::default();
    let found = rustls_native_certs::load_native_certs();
    for e in &found.errors {
        log::warn!("system certificates: {e}");
    }
    config.extra_roots = found.certs.into_iter().map(|c| c.to_vec()).collect();
    if config.extra_roots.is_empty() {
        log::warn!("no system certificates found: https:// sites will not be trusted");
    }
    config
}
