//! `net`: the network thread. A tokio runtime with the hyper + rustls client, the Fetch
//! algorithm's checks (ports, mixed content, schemes, CSP, CORS, redirects), and the
//! Background Fetch controller (`background_fetch/`) that owns every background fetch.
//!
//! It talks to script threads only through `net_traits` messages and never touches JS:
//! - [`http::HttpClient`]: hyper + rustls, with the embedder's trust roots, host map and
//!   HTTP proxy (`proxy.rs`) ([`NetworkConfig`]; the WPT runner injects its test CA and maps
//!   the WPT hosts to loopback this way);
//! - [`fetch`]: the Fetch standard's network steps (bad ports, mixed content, CORS with
//!   preflight, redirects, streamed uploads), shared by `fetch()` and background fetch;
//! - [`background_fetch::Controller`]: owns every background fetch, on its own runtime, with
//!   the profile's [`storage`].

pub mod background_fetch;
pub mod cache_storage;
pub mod config;
pub mod content_coding;
pub mod cookies;
pub mod fetch;
pub mod fetch_service;
pub mod http;
pub mod http_cache;
mod proxy;
pub mod sri;
pub mod stack;

pub use config::{NetworkConfig, ProxyConfig};
pub use http::{HttpClient, NetError};
pub use stack::NetworkStack;
