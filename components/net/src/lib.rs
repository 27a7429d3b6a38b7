//! `net`: the network thread. A tokio runtime with the hyper + rustls client, the Fetch
//! algorithm's checks (ports, mixed content, schemes, CSP, CORS, redirects), and the
//! Background Fetch controller (`background_fetch/`) that owns every background fetch.
//!
//! It talks to script threads only through `net_traits` messages and never touches JS. What
//! exists today: the HTTP client ([`http::HttpClient`]) whose trust roots and host resolution
//! the embedder configures ([`NetworkConfig`]); the WPT runner injects its test CA and maps the
//! WPT host names to loopback this way.

pub mod background_fetch;
pub mod config;
pub mod fetch;
pub mod http;

pub use config::NetworkConfig;
pub use http::{HttpClient, NetError};
