//! Background Fetch (<https://wicg.github.io/background-fetch/>): the script-thread side.
//!
//! The background fetches themselves (records, transfers, the edit queue) live on the network
//! thread, in `net::background_fetch`; these objects are their JS faces, talking to it
//! through [`connection`] (the embedder's controller, `GlobalOptions::background_fetch`).

pub mod connection;
pub mod event;
pub mod manager;
pub mod record;
pub mod registration;
pub mod update_ui_event;
