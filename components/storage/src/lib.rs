//! `storage`: the embedded store of a profile. SQLite (rusqlite, bundled, WAL) for background
//! fetch metadata, records and response metadata; plain files for request and response
//! bodies, written as they arrive. Single writer: the network thread.
//!
//! Layout under the profile directory:
//!
//! ```text
//! bgfetch.sqlite            fetches, records (requests without bodies, response metadata)
//! bgfetch/<uid>/<index>.req request body bytes (only for requests with a body)
//! bgfetch/<uid>/<index>.res stored response body bytes
//! ```
//!
//! Page-supplied strings (ids, titles, URLs) never become file names: files are named by the
//! controller's numeric ids. What must survive a crash is durable before it is acknowledged:
//! [`Store::insert_fetch`] writes and syncs the request bodies and commits (synchronous=FULL)
//! before it returns; body files are synced with [`BodyFile::sync`] before progress is
//! reported. Per-origin usage is accounted here, against a quota.

mod quota;
mod schema;

pub use quota::{default_quota, QuotaExceeded};

use net_traits::{
    FailureReason, FetchResult, FetchUid, ImageResource, RecordResult, RegistrationId,
    RegistrationInfo, RequestData, ResponseMeta,
};
use parking_lot::Mutex;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
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
    move |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    }
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
    conn: Mutex<Connection>,
    quota: quota::Accounting,
}

impl Store {
    /// Opens (or creates) the store of a profile directory, migrating an older schema.
    pub fn open(profile: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        std::fs::create_dir_all(profile).map_err(io(profile))?;
        let db_path = profile.join("bgfetch.sqlite");
        let bodies = profile.join("bgfetch");
        std::fs::create_dir_all(&bodies).map_err(io(&bodies))?;
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
            conn: Mutex::new(conn),
            quota: quota::Accounting::new(quota),
        };
        store.remove_orphans()?;
        store.recount_usage()?;
        Ok(store)
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The next unused fetch uid.
    pub fn next_uid(&self) -> Result<FetchUid, StoreError> {
        let conn = self.conn.lock();
        let max: Option<i64> = conn.query_row("SELECT MAX(uid) FROM fetches", [], |r| r.get(0))?;
        let meta: Option<i64> = conn
            .query_row("SELECT value FROM counters WHERE name = 'uid'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(FetchUid(max.unwrap_or(0).max(meta.unwrap_or(0)) as u64 + 1))
    }

    fn fetch_dir(&self, uid: FetchUid) -> PathBuf {
        self.bodies.join(uid.0.to_string())
    }

    fn request_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.fetch_dir(uid).join(format!("{index}.req"))
    }

    fn response_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.fetch_dir(uid).join(format!("{index}.res"))
    }

    /// Stores a new background fetch: request bodies written and synced, then the rows in one
    /// durable transaction. Request bodies count against the origin's quota
    /// ([`StoreError::Quota`] when they do not fit, with nothing left behind).
    pub fn insert_fetch(&self, new: &NewFetch<'_>) -> Result<(), StoreError> {
        let origin = new.registration.origin.as_str();
        let body_bytes: u64 = new
            .requests
            .iter()
            .filter_map(|r| r.body.as_ref())
            .map(|b| b.len() as u64)
            .sum();
        self.quota
            .reserve(origin, body_bytes)
            .map_err(StoreError::Quota)?;
        let written = self.write_fetch(new);
        if written.is_err() {
            self.quota.release(origin, body_bytes);
            let _ = std::fs::remove_dir_all(self.fetch_dir(new.uid));
        }
        written
    }

    fn write_fetch(&self, new: &NewFetch<'_>) -> Result<(), StoreError> {
        let dir = self.fetch_dir(new.uid);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        for (index, request) in new.requests.iter().enumerate() {
            if let Some(body) = &request.body {
                let path = self.request_path(new.uid, index as u32);
                let mut f = File::create(&path).map_err(io(&path))?;
                f.write_all(body).map_err(io(&path))?;
                f.sync_all().map_err(io(&path))?;
            }
        }
        sync_dir(&dir);
        sync_dir(&self.bodies);
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO fetches (uid, registration_id, scope, origin, id, title, icons,
                download_total, upload_total, uploaded, state, result, failure_reason, paused,
                awaiting_permission, abort_all)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 'active', '', '', ?10, ?11, 0)",
            params![
                new.uid.0 as i64,
                new.registration.id.0 as i64,
                new.registration.scope,
                new.registration.origin,
                new.id,
                new.title,
                json(&new.icons)?,
                new.download_total as i64,
                new.requests
                    .iter()
                    .filter_map(|r| r.body.as_ref())
                    .map(|b| b.len() as i64)
                    .sum::<i64>(),
                new.paused,
                new.awaiting_permission,
            ],
        )?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO records (uid, idx, request, body_len, response, result)
                 VALUES (?1, ?2, ?3, ?4, NULL, '')",
            )?;
            for (index, request) in new.requests.iter().enumerate() {
                let mut without_body = request.clone();
                let body_len = without_body.body.take().map(|b| b.len() as i64);
                stmt.execute(params![
                    new.uid.0 as i64,
                    index as i64,
                    json(&without_body)?,
                    body_len,
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO counters (name, value) VALUES ('uid', ?1)
             ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)",
            params![new.uid.0 as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every stored background fetch with its records, by uid.
    pub fn load_fetches(&self) -> Result<Vec<StoredFetch>, StoreError> {
        let conn = self.conn.lock();
        let mut fetches = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT uid, registration_id, scope, origin, id, title, icons, download_total,
                    upload_total, uploaded, state, result, failure_reason, paused,
                    awaiting_permission, abort_all, immediate_failure
                 FROM fetches ORDER BY uid",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, i64>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                    (
                        r.get::<_, bool>(13)?,
                        r.get::<_, bool>(14)?,
                        r.get::<_, bool>(15)?,
                    ),
                    r.get::<_, String>(16)?,
                ))
            })?;
            for row in rows {
                let (
                    uid,
                    reg,
                    scope,
                    origin,
                    id,
                    title,
                    icons,
                    download_total,
                    upload_total,
                    uploaded,
                    state,
                    result,
                    reason,
                    (paused, awaiting, abort_all),
                    immediate,
                ) = row?;
                let bad = |what: &str| StoreError::BadRow(format!("fetch {uid}: bad {what}"));
                fetches.push(StoredFetch {
                    uid: FetchUid(uid as u64),
                    registration: RegistrationInfo {
                        id: RegistrationId(reg as u64),
                        scope,
                        origin,
                        has_active_worker: true,
                    },
                    id,
                    title,
                    icons: serde_json::from_str(&icons).map_err(|_| bad("icons"))?,
                    download_total: download_total as u64,
                    upload_total: upload_total as u64,
                    uploaded: uploaded as u64,
                    state: match state.as_str() {
                        "active" => FetchState::Active,
                        "settled" => FetchState::Settled,
                        _ => return Err(bad("state")),
                    },
                    result: FetchResult::parse(&result).ok_or_else(|| bad("result"))?,
                    failure_reason: FailureReason::parse(&reason)
                        .ok_or_else(|| bad("failure reason"))?,
                    paused,
                    awaiting_permission: awaiting,
                    abort_all,
                    immediate_failure: FailureReason::parse(&immediate)
                        .ok_or_else(|| bad("immediate failure"))?,
                    records: Vec::new(),
                });
            }
        }
        let mut stmt = conn.prepare(
            "SELECT idx, request, body_len, response, result, started, settled_seq FROM records
             WHERE uid = ?1 ORDER BY idx",
        )?;
        for fetch in &mut fetches {
            let rows = stmt.query_map(params![fetch.uid.0 as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ))
            })?;
            for row in rows {
                let (index, request, body_len, response, result, started, settled_seq) = row?;
                let bad = |what: &str| {
                    StoreError::BadRow(format!("fetch {} record {index}: bad {what}", fetch.uid.0))
                };
                let index = index as u32;
                let path = self.response_path(fetch.uid, index);
                fetch.records.push(StoredRecord {
                    index,
                    request: serde_json::from_str(&request).map_err(|_| bad("request"))?,
                    body_len: body_len.map(|l| l as u64),
                    response: match response {
                        Some(r) => Some(serde_json::from_str(&r).map_err(|_| bad("response"))?),
                        None => None,
                    },
                    result: RecordResult::parse(&result).ok_or_else(|| bad("result"))?,
                    stored: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
                    started,
                    settled_seq,
                });
            }
        }
        Ok(fetches)
    }

    /// Where a record's request body is stored (streamed from there when it is sent).
    pub fn request_body_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.request_path(uid, index)
    }

    /// The request body of a record, if it has one.
    pub fn request_body(&self, uid: FetchUid, index: u32) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.request_path(uid, index);
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path, error: e }),
        }
    }

    /// Records a record's response (headers), or clears it (`None`).
    pub fn set_response(
        &self,
        uid: FetchUid,
        index: u32,
        response: Option<&ResponseMeta>,
    ) -> Result<(), StoreError> {
        let value = match response {
            Some(r) => Some(json(r)?),
            None => None,
        };
        self.conn.lock().execute(
            "UPDATE records SET response = ?3 WHERE uid = ?1 AND idx = ?2",
            params![uid.0 as i64, index as i64, value],
        )?;
        Ok(())
    }

    /// Sets a record's result (and when it was set, for the settle order).
    pub fn set_record_result(
        &self,
        uid: FetchUid,
        index: u32,
        result: RecordResult,
    ) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE records SET result = ?3, settled_seq = ?4 WHERE uid = ?1 AND idx = ?2",
            params![uid.0 as i64, index as i64, result.as_str(), now_seq()],
        )?;
        Ok(())
    }

    /// Records that a record's request is about to be sent: after a restart a non-GET
    /// record marked so is not sent again (it may have had side effects).
    pub fn mark_started(&self, uid: FetchUid, index: u32) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE records SET started = 1 WHERE uid = ?1 AND idx = ?2",
            params![uid.0 as i64, index as i64],
        )?;
        Ok(())
    }

    /// Sets the abort all flag (with the immediate failure that set it, if any) and the
    /// results of the given records, in one transaction.
    pub fn abort_records(
        &self,
        uid: FetchUid,
        immediate_failure: FailureReason,
        results: &[(u32, RecordResult)],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE fetches SET abort_all = 1, immediate_failure = ?2 WHERE uid = ?1",
            params![uid.0 as i64, immediate_failure.as_str()],
        )?;
        {
            let mut stmt = tx.prepare(
                "UPDATE records SET result = ?3, settled_seq = ?4 WHERE uid = ?1 AND idx = ?2",
            )?;
            let seq = now_seq();
            for (index, result) in results {
                stmt.execute(params![uid.0 as i64, *index as i64, result.as_str(), seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Settles a fetch: its result and failure reason, state `Settled` (event pending).
    pub fn settle(
        &self,
        uid: FetchUid,
        result: FetchResult,
        reason: FailureReason,
    ) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE fetches SET state = 'settled', result = ?2, failure_reason = ?3 WHERE uid = ?1",
            params![uid.0 as i64, result.as_str(), reason.as_str()],
        )?;
        Ok(())
    }

    pub fn set_flags(
        &self,
        uid: FetchUid,
        paused: bool,
        awaiting_permission: bool,
        abort_all: bool,
    ) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE fetches SET paused = ?2, awaiting_permission = ?3, abort_all = ?4 WHERE uid = ?1",
            params![uid.0 as i64, paused, awaiting_permission, abort_all],
        )?;
        Ok(())
    }

    pub fn set_uploaded(&self, uid: FetchUid, uploaded: u64) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE fetches SET uploaded = ?2 WHERE uid = ?1",
            params![uid.0 as i64, uploaded as i64],
        )?;
        Ok(())
    }

    pub fn set_ui(
        &self,
        uid: FetchUid,
        title: &str,
        icons: &[ImageResource],
    ) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "UPDATE fetches SET title = ?2, icons = ?3 WHERE uid = ?1",
            params![uid.0 as i64, title, json(&icons)?],
        )?;
        Ok(())
    }

    /// Deletes a fetch: its rows, then its files, and gives its bytes back to the quota.
    pub fn remove_fetch(&self, uid: FetchUid) -> Result<(), StoreError> {
        let origin: Option<String> = {
            let mut conn = self.conn.lock();
            let tx = conn.transaction()?;
            let origin = tx
                .query_row(
                    "SELECT origin FROM fetches WHERE uid = ?1",
                    params![uid.0 as i64],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute("DELETE FROM records WHERE uid = ?1", params![uid.0 as i64])?;
            tx.execute("DELETE FROM fetches WHERE uid = ?1", params![uid.0 as i64])?;
            tx.commit()?;
            origin
        };
        let dir = self.fetch_dir(uid);
        let size = dir_size(&dir);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StoreError::Io {
                    path: dir,
                    error: e,
                })
            }
        }
        if let Some(origin) = origin {
            self.quota.release(&origin, size);
        }
        Ok(())
    }

    /// Opens a record's response body file for appending (created if missing).
    pub fn body_file(
        &self,
        uid: FetchUid,
        index: u32,
        origin: &str,
    ) -> Result<BodyFile, StoreError> {
        let path = self.response_path(uid, index);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io(&path))?;
        let len = file.metadata().map_err(io(&path))?.len();
        Ok(BodyFile {
            path,
            file,
            len,
            origin: origin.to_string(),
            quota: self.quota.clone(),
            unsynced: false,
            written_back: len,
        })
    }

    /// The stored length of a record's response body.
    pub fn body_len(&self, uid: FetchUid, index: u32) -> u64 {
        std::fs::metadata(self.response_path(uid, index))
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// Reads up to `max` stored response body bytes from `offset`.
    pub fn read_body(
        &self,
        uid: FetchUid,
        index: u32,
        offset: u64,
        max: usize,
    ) -> Result<Vec<u8>, StoreError> {
        let path = self.response_path(uid, index);
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::Io { path, error: e }),
        };
        f.seek(SeekFrom::Start(offset)).map_err(io(&path))?;
        let mut buf = Vec::with_capacity(max.min(1 << 20));
        f.take(max as u64)
            .read_to_end(&mut buf)
            .map_err(io(&path))?;
        Ok(buf)
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

    /// Files of fetches that have no rows (a crash between writing files and committing) go.
    fn remove_orphans(&self) -> Result<(), StoreError> {
        let known: std::collections::HashSet<u64> = {
            let conn = self.conn.lock();
            let mut stmt = conn.prepare("SELECT uid FROM fetches")?;
            let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .map(|u| u as u64)
                .collect()
        };
        let entries = std::fs::read_dir(&self.bodies).map_err(io(&self.bodies))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let orphan = name
                .parse::<u64>()
                .map(|u| !known.contains(&u))
                .unwrap_or(true);
            if orphan {
                log::info!(target: "bgfetch", "removing orphaned background fetch files {name}");
                let path = e.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
        Ok(())
    }

    /// Usage per origin from the files on disk.
    fn recount_usage(&self) -> Result<(), StoreError> {
        let fetches: Vec<(i64, String)> = {
            let conn = self.conn.lock();
            let mut stmt = conn.prepare("SELECT uid, origin FROM fetches")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut usage: HashMap<String, u64> = HashMap::new();
        for (uid, origin) in fetches {
            *usage.entry(origin).or_default() += dir_size(&self.fetch_dir(FetchUid(uid as u64)));
        }
        self.quota.set_all(usage);
        Ok(())
    }
}

/// A record's response body file, appended to as bytes arrive. Writes count against the
/// origin's quota.
pub struct BodyFile {
    path: PathBuf,
    file: File,
    len: u64,
    origin: String,
    quota: quota::Accounting,
    unsynced: bool,
    /// Bytes handed to the kernel's writeback so far.
    written_back: u64,
}

impl BodyFile {
    /// The stored length.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends bytes; [`StoreError::Quota`] (nothing written) when they do not fit.
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        self.quota
            .reserve(&self.origin, bytes.len() as u64)
            .map_err(StoreError::Quota)?;
        if let Err(e) = self.file.write_all(bytes) {
            self.quota.release(&self.origin, bytes.len() as u64);
            // A partial write leaves the file longer than `len`; cut it back.
            let _ = self.file.set_len(self.len);
            return Err(StoreError::Io {
                path: self.path.clone(),
                error: e,
            });
        }
        self.len += bytes.len() as u64;
        self.unsynced = true;
        self.start_writeback();
        Ok(())
    }

    /// Every few MiB, asks the kernel to start writing the new bytes out (without waiting),
    /// so a later sync finds little left to do and appending never stalls behind a big one.
    fn start_writeback(&mut self) {
        const STEP: u64 = 8 << 20;
        if self.len - self.written_back < STEP {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: a valid open descriptor and a range inside the file; the call only
            // schedules writeback.
            unsafe {
                libc::sync_file_range(
                    self.file.as_raw_fd(),
                    self.written_back as libc::off64_t,
                    (self.len - self.written_back) as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
        }
        self.written_back = self.len;
    }

    /// Empties the file (a Range request answered with a whole new response).
    pub fn truncate(&mut self) -> Result<(), StoreError> {
        self.file.set_len(0).map_err(io(&self.path))?;
        self.quota.release(&self.origin, self.len);
        self.len = 0;
        self.written_back = 0;
        self.unsynced = true;
        Ok(())
    }

    /// A sync of what is written so far that can run on another thread while appending
    /// goes on (so the download does not wait for the disk): [`SyncJob::run`] returns the
    /// length that is then durable.
    pub fn sync_job(&self) -> Result<SyncJob, StoreError> {
        Ok(SyncJob {
            file: self.file.try_clone().map_err(io(&self.path))?,
            path: self.path.clone(),
            len: self.len,
        })
    }

    /// Makes what was written durable (before progress that counts it is reported).
    pub fn sync(&mut self) -> Result<(), StoreError> {
        if self.unsynced {
            self.file.sync_data().map_err(io(&self.path))?;
            self.unsynced = false;
        }
        Ok(())
    }
}

/// See [`BodyFile::sync_job`].
pub struct SyncJob {
    file: File,
    path: PathBuf,
    len: u64,
}

impl SyncJob {
    /// Syncs (blocking); the bytes up to the returned length are durable.
    pub fn run(self) -> Result<u64, StoreError> {
        self.file.sync_data().map_err(io(&self.path))?;
        Ok(self.len)
    }
}

/// A monotonic-enough sequence number for settle order: nanoseconds since the epoch.
fn now_seq() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::BadRow(e.to_string()))
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Makes a directory's entries durable (new files in it survive a crash).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
