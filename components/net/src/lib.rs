//! `net`: the network thread. A tokio runtime with the hyper + rustls client, the Fetch
//! algorithm's checks (ports, mixed content, schemes, CSP, CORS, redirects), and the
//! Background Fetch controller (`background_fetch/`) that owns every background fetch.
//!
//! It talks to script threads only through `net_traits` messages and never touches JS.
