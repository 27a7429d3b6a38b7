//! Background Fetch (<https://wicg.github.io/background-fetch/>): the script-thread side.
//!
//! The background fetches themselves (records, transfers, the edit queue) live on the network
//! thread, in `net::background_fetch`; these objects are their JS faces. Until that engine is
//! connected (issue 5), a manager has no service worker registration: `fetch()` rejects as the
//! spec says for a registration without an active worker, and `get()`/`getIds()` see none.

pub mod event;
pub mod manager;
pub mod record;
pub mod registration;
pub mod update_ui_event;
