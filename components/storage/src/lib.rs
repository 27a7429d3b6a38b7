//! `storage`: the embedded store of a profile. SQLite (rusqlite, bundled, WAL) for background
//! fetch metadata, records and response metadata, and the Cache API's caches and entries;
//! plain files for request and response bodies, written as they arrive.
//!
//! Layout under the profile directory:
//!
//! ```text
//! bgfetch.sqlite            fetches, records (requests without bodies, response metadata)
//! bgfetch/<uid>/<index>.req request body bytes (only for requests with a body)
//! bgfetch/<uid>/<index>.res stored response body bytes
//! caches/<entry id>         a Cache API entry's response body (staged in caches/tmp/)
//! indexeddb/<origin>/<db>/database.sqlite
//!                           an IndexedDB database: its object stores, indexes, records
//! indexeddb/<origin>/<db>/blobs/<name>
//!                           a Blob or File held by one of its records
//! ```
//!
//! Page-supplied strings (ids, titles, URLs) never become file names: files are named by the
//! controller's numeric ids (an IndexedDB database's folders by the hex, or for a long
//! string the SHA-256, of its origin and name: see [`indexed_db::database_dir`]). What must
//! survive a crash is durable before it is acknowledged: [`Store::insert_fetch`] writes and
//! syncs the request bodies and commits (synchronous=FULL) before it returns; body files are
//! synced with [`BodyFile::sync`] before progress is reported. Per-origin usage is
//! accounted here, against a quota.

mod bodies;
mod caches;
mod fetches;
pub mod fsck;
mod group_commit;
pub mod indexed_db;
pub mod private;
mod quota;
mod registrations;
mod schema;

pub use bodies::{BodyFile, SyncJob};
pub use caches::{CacheEntry, CacheTransaction, CacheUpload, StagedBody};
pub use quota::{default_quota, QuotaExceeded};

use bodies::dir_size;

use net_traits::{
    FailureReason, FetchResult, FetchUid, ImageResource, RecordResult, RegistrationId,
    RegistrationInfo, RequestData, ResponseMeta,
};
use parking_lot::Mutex;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::VERSION;

/// Everything that can go wrong, each saying what to do about it.
#[derive(Debug)]
pub enum StoreError {
    /// The database cannot be opened or is not a SQLite database.
    Corrupt { path: PathBuf, message: String },
    /// The database was written by a newer build.
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// A file under the profile could not be read or written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A SQLite error on an open database.
    Sql(rusqlite::Error),
    /// A stored value does not parse (the row names it).
    BadRow(String),
    /// The origin's quota would be exceeded.
    Quota(QuotaExceeded),
    /// The disk (or the user's disk quota) holding the profile is full: as for the quota,
    /// nothing more fits.
    DiskFull { path: PathBuf },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Corrupt { path, message } => write!(
                f,
                "the background fetch database {} is unreadable ({message}); move it away to start afresh",
                path.display()
            ),
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => write!(
                f,
                "the background fetch database {} has schema version {found}, newer than this build supports ({supported})",
                path.display()
            ),
            StoreError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            StoreError::Sql(e) => write!(f, "background fetch database: {e}"),
            StoreError::BadRow(m) => write!(f, "background fetch database: {m}"),
            StoreError::Quota(q) => write!(f, "{q}"),
            StoreError::DiskFull { path } => {
                write!(f, "the disk holding {} is full", path.display())
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e)
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |error| {
        if is_disk_full(&error) {
            return StoreError::DiskFull {
                path: path.to_path_buf(),
            };
        }
        StoreError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// The error says the disk is full (`ENOSPC`), or the user's disk quota is (`EDQUOT`).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || matches!(e.raw_os_error(), Some(code) if code == libc::ENOSPC || code == libc::EDQUOT)
}

/// How a store is opened.
#[derive(Clone, Debug, Default)]
pub struct StoreOptions {
    /// Bytes each origin may store (request and response bodies). `None`: [`default_quota`].
    pub quota_per_origin: Option<u64>,
}

/// Where a background fetch is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchState {
    /// In the registration's active background fetches; records are being fetched.
    Active,
    /// Settled (result set, removed from the active map); its functional event has not
    /// finished yet, so it must be dispatched (again, after a restart).
    Settled,
}

/// A background fetch as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFetch {
    pub uid: FetchUid,
    pub registration: RegistrationInfo,
    pub id: String,
    pub title: String,
    pub icons: Vec<ImageResource>,
    pub download_total: u64,
    pub upload_total: u64,
    pub uploaded: u64,
    pub state: FetchState,
    pub result: FetchResult,
    pub failure_reason: FailureReason,
    pub paused: bool,
    pub awaiting_permission: bool,
    pub abort_all: bool,
    /// The failure (download total, quota) that set the abort all flag, if it was not the
    /// user.
    pub immediate_failure: FailureReason,
    pub records: Vec<StoredRecord>,
}

/// A background fetch record as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRecord {
    pub index: u32,
    /// The request without its body (see [`Store::request_body`]).
    pub request: RequestData,
    pub body_len: Option<u64>,
    pub response: Option<ResponseMeta>,
    pub result: RecordResult,
    /// The stored response body bytes (the body file's length).
    pub stored: u64,
    /// The request may have been sent (see [`Store::mark_started`]).
    pub started: bool,
    /// When the result was set, relative to the other records (for the first failure).
    pub settled_seq: Option<i64>,
}

/// A new background fetch, written by [`Store::insert_fetch`].
#[derive(Clone, Debug)]
pub struct NewFetch<'a> {
    pub uid: FetchUid,
    pub registration: &'a RegistrationInfo,
    pub id: &'a str,
    pub title: &'a str,
    pub icons: &'a [ImageResource],
    pub download_total: u64,
    pub paused: bool,
    pub awaiting_permission: bool,
    pub requests: &'a [RequestData],
}

/// The store. Share it (`Arc`); the SQLite connection is behind a lock.
pub struct Store {
    db_path: PathBuf,
    bodies: PathBuf,
    /// Cache API bodies (`caches/<entry id>`, staged in `caches/tmp/`).
    caches: PathBuf,
    /// Names staged bodies uniquely.
    staging: std::sync::atomic::AtomicU64,
    conn: Mutex<Connection>,
    /// Small writes waiting to share a commit ([`Store::write_grouped`]).
    writes: group_commit::WriteQueue,
    quota: quota::Accounting,
}

impl Store {
    /// Opens (or creates) the store of a profile directory, migrating an older schema.
    pub fn open(profile: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        private::create_dir_all(profile).map_err(io(profile))?;
        let db_path = profile.join("bgfetch.sqlite");
        let bodies = profile.join("bgfetch");
        private::create_dir_all(&bodies).map_err(io(&bodies))?;
        let caches = profile.join("caches");
        private::create_dir_all(&caches.join("tmp")).map_err(io(&caches))?;
        // The database is created private (SQLite gives its journal the same mode), and
        // a profile an older build left open to other accounts is made private.
        private::open_options()
            .create(true)
            .append(true)
            .open(&db_path)
            .map_err(io(&db_path))?;
        private::make_private(profile).map_err(io(profile))?;
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
            path: db_path.clone(),
            message: e.to_string(),
        };
        let conn = Connection::open(&db_path).map_err(corrupt)?;
        // The first statement reads the file: a file that is not a database fails here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&conn, &db_path)?;
        let quota = options
            .quota_per_origin
            .unwrap_or_else(|| default_quota(profile));
        let store = Store {
            db_path,
            bodies,
            caches,
            staging: std::sync::atomic::AtomicU64::new(0),
            conn: Mutex::new(conn),
            writes: Default::default(),
            quota: quota::Accounting::new(quota),
        };
        store.remove_orphans()?;
        store.recount_usage()?;
        Ok(store)
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Bytes `origin` stores now.
    pub fn usage(&self, origin: &str) -> u64 {
        self.quota.usage(origin)
    }

    /// The quota of each origin.
    pub fn quota(&self) -> u64 {
        self.quota.limit()
    }

    /// Whether `more` bytes would fit in `origin`'s quota.
    pub fn fits(&self, origin: &str, more: u64) -> bool {
        self.quota.fits(origin, more)
    }

    /// Counts `n` more bytes for `origin` (stored by another part of the profile, such as
    /// IndexedDB), or refuses them when they would exceed its quota.
    pub fn reserve_quota(&self, origin: &str, n: u64) -> Result<(), QuotaExceeded> {
        self.quota.reserve(origin, n)
    }

    /// Stops counting `n` bytes of `origin` (what [`Store::reserve_quota`] counted).
    pub fn release_quota(&self, origin: &str, n: u64) {
        self.quota.release(origin, n)
    }

    /// Counts `n` bytes `origin` already stores elsewhere in the profile (found when that
    /// part opens), even past the quota.
    pub fn count_usage(&self, origin: &str, n: u64) {
        self.quota.add(origin, n)
    }

    /// Usage per origin from the files on disk.
    fn recount_usage(&self) -> Result<(), StoreError> {
        let fetches: Vec<(i64, String)> = {
            let conn = self.conn.lock();
            let mut stmt = conn.prepare("SELECT uid, origin FROM fetches")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        // Cache entries count too (their files were checked against the rows first).
        let mut usage = self.tidy_caches()?;
        for (uid, origin) in fetches {
            // Saturating: corrupt cache rows may already claim nearly u64::MAX bytes.
            let u = usage.entry(origin).or_default();
            *u = u.saturating_add(dir_size(&self.fetch_dir(FetchUid(uid as u64))));
        }
        self.quota.set_all(usage);
        Ok(())
    }
}
