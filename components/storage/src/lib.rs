//! `storage`: the embedded store of a profile. SQLite (rusqlite, bundled) for background
//! fetch metadata, records and response metadata; plain files for request and response
//! bodies, written as they arrive. Single writer: the network thread.
//!
//! Page-supplied strings never become file names here.
