//! The Cache API's storage: each origin's name to cache map and request response lists, as
//! rows (`caches`, `cache_entries`), and each cached response body as a file
//! `caches/<entry id>` (numeric names only). A body file is written and synced (or hard
//! linked from a file the profile already holds) before the transaction that makes it an
//! entry commits; replaced and deleted entries' files move to `caches/retired/` after the
//! commit, where Response objects taken before stay readable ("the existing DOM objects
//! should remain functional"), until they are an hour old or the store opens again. A crash
//! at any point leaves the old entry or the new one; files no row names are removed when
//! the store opens.
//!
//! The Cache API's algorithms (Query Cache, Batch Cache Operations) run in
//! `net::cache_storage` over a [`CacheTransaction`]; this module keeps them atomic and
//! durable, and counts the bodies against the origin's quota (shared with background fetch).

use super::bodies::sync_dir;
use super::fetches::json;
use super::*;
use net_traits::cache::{CacheId, EntryId};

/// A cached request/response pair.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheEntry {
    pub id: EntryId,
    pub request: RequestData,
    pub response: ResponseMeta,
    /// `None`: a null body.
    pub body_len: Option<u64>,
}

/// A body ready to become an entry's: a file in `caches/tmp/` (or nothing, a null body).
#[derive(Debug)]
pub struct StagedBody {
    path: Option<PathBuf>,
    len: Option<u64>,
}

impl StagedBody {
    /// A null body.
    pub fn none() -> StagedBody {
        StagedBody {
            path: None,
            len: None,
        }
    }

    /// The body's length (`None`: a null body).
    pub fn body_len(&self) -> Option<u64> {
        self.len
    }
}

impl Drop for StagedBody {
    /// A staged body that never became an entry's is removed.
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A body being staged a piece at a time ([`Store::begin_cache_upload`]). Dropped unfinished,
/// its file is removed.
pub struct CacheUpload {
    staged: StagedBody,
    file: std::io::BufWriter<File>,
}

impl CacheUpload {
    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.staged.path.clone().unwrap_or_default();
        self.file.write_all(bytes).map_err(io(&path))?;
        self.staged.len = Some(self.staged.len.unwrap_or(0) + bytes.len() as u64);
        Ok(())
    }

    /// How many bytes it has.
    pub fn len(&self) -> u64 {
        self.staged.len.unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole body, written and synced, ready for a batch.
    pub fn finish(mut self) -> Result<StagedBody, StoreError> {
        let path = self.staged.path.clone().unwrap_or_default();
        self.file.flush().map_err(io(&path))?;
        self.file.get_ref().sync_all().map_err(io(&path))?;
        Ok(std::mem::replace(&mut self.staged, StagedBody::none()))
    }
}

/// What a batch changes, inside one SQLite transaction (see the module documentation).
pub struct CacheTransaction<'a> {
    /// Taken when the batch commits.
    tx: Option<rusqlite::Transaction<'a>>,
    store: &'a Store,
    origin: String,
    cache: CacheId,
    /// Entries removed, with their body lengths (their files go after the commit).
    removed: Vec<(EntryId, Option<u64>)>,
    /// Files renamed into place for new entries (removed again if the batch fails).
    added_files: Vec<PathBuf>,
    added_bytes: u64,
}

impl CacheTransaction<'_> {
    /// The cache's entries now (as this transaction changed them), in insertion order.
    pub fn entries(&self) -> Result<Vec<CacheEntry>, StoreError> {
        entries_of(self.tx(), "cache_id = ?1", "id", params![self.cache.0])
    }

    fn tx(&self) -> &rusqlite::Transaction<'_> {
        self.tx
            .as_ref()
            .expect("the transaction is taken only by finish")
    }

    /// Removes an entry (its body file goes once the batch commits).
    pub fn remove(&mut self, entry: EntryId) -> Result<(), StoreError> {
        let body_len: Option<Option<i64>> = self
            .tx()
            .query_row(
                "SELECT body_len FROM cache_entries WHERE id = ?1 AND cache_id = ?2",
                params![entry.0, self.cache.0],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(len) = body_len {
            self.tx()
                .execute("DELETE FROM cache_entries WHERE id = ?1", params![entry.0])?;
            self.removed.push((entry, len.map(|l| l as u64)));
        }
        Ok(())
    }

    /// Appends a new entry with `body` (which becomes its file).
    pub fn insert(
        &mut self,
        request: &RequestData,
        response: &ResponseMeta,
        mut body: StagedBody,
    ) -> Result<EntryId, StoreError> {
        self.tx().execute(
            "INSERT INTO cache_entries (cache_id, request, response, body_len) VALUES (?1, ?2, ?3, ?4)",
            params![
                self.cache.0,
                json(request)?,
                json(response)?,
                body.len.map(|l| l as i64)
            ],
        )?;
        let id = EntryId(self.tx().last_insert_rowid());
        if let Some(staged) = body.path.take() {
            let path = self.store.cache_body_path(id);
            std::fs::rename(&staged, &path).map_err(io(&path))?;
            self.added_files.push(path);
            self.added_bytes += body.len.unwrap_or(0);
        }
        Ok(id)
    }

    /// Commits (durably), or gives everything back: rows, files and quota.
    fn finish(mut self, commit: bool) -> Result<(), StoreError> {
        let removed_bytes: u64 = self.removed.iter().filter_map(|(_, l)| *l).sum();
        let quota = &self.store.quota;
        let result = if !commit {
            Err(None)
        } else if self.added_bytes > removed_bytes {
            quota
                .reserve(&self.origin, self.added_bytes - removed_bytes)
                .map_err(|q| Some(StoreError::Quota(q)))
        } else {
            Ok(())
        }
        .and_then(|()| {
            sync_dir(&self.store.caches);
            let tx = self.tx.take().expect("finish runs once");
            tx.commit().map_err(|e| {
                if self.added_bytes > removed_bytes {
                    quota.release(&self.origin, self.added_bytes - removed_bytes);
                }
                Some(StoreError::Sql(e))
            })
        });
        match result {
            Ok(()) => {
                if removed_bytes > self.added_bytes {
                    quota.release(&self.origin, removed_bytes - self.added_bytes);
                }
                for (entry, _) in &self.removed {
                    self.store.retire_cache_body(*entry);
                }
                self.store.sweep_retired_cache_bodies();
                Ok(())
            }
            Err(e) => {
                for f in &self.added_files {
                    let _ = std::fs::remove_file(f);
                }
                e.map_or(Ok(()), Err)
            }
        }
    }
}

fn entries_of(
    conn: &Connection,
    filter: &str,
    order: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<CacheEntry>, StoreError> {
    let sql = format!(
        "SELECT id, request, response, body_len FROM cache_entries WHERE {filter} ORDER BY {order}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, request, response, body_len) = row?;
        out.push(CacheEntry {
            id: EntryId(id),
            request: serde_json::from_str(&request)
                .map_err(|e| StoreError::BadRow(format!("cache entry {id}: request: {e}")))?,
            response: serde_json::from_str(&response)
                .map_err(|e| StoreError::BadRow(format!("cache entry {id}: response: {e}")))?,
            body_len: stored_body_len(id, body_len)?,
        });
    }
    Ok(out)
}

/// A cache entry's stored body length; a negative one is a corrupt row.
fn stored_body_len(id: i64, len: Option<i64>) -> Result<Option<u64>, StoreError> {
    len.map(|l| {
        u64::try_from(l)
            .map_err(|_| StoreError::BadRow(format!("cache entry {id}: body length {l}")))
    })
    .transpose()
}

impl Store {
    /// The file of an entry's body.
    pub fn cache_body_path(&self, entry: EntryId) -> PathBuf {
        self.caches.join(entry.0.to_string())
    }

    /// The origin's cache names, in creation order.
    pub fn cache_names(&self, origin: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT name FROM caches WHERE origin = ?1 AND name IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map(params![origin], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The origin's cache named `name`, if it has one.
    pub fn cache_id(&self, origin: &str, name: &str) -> Result<Option<CacheId>, StoreError> {
        let conn = self.conn.lock();
        Ok(conn
            .query_row(
                "SELECT id FROM caches WHERE origin = ?1 AND name = ?2",
                params![origin, name],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(CacheId))
    }

    /// The origin's cache named `name`, created (durably) if missing.
    pub fn cache_open(&self, origin: &str, name: &str) -> Result<CacheId, StoreError> {
        if let Some(id) = self.cache_id(origin, name)? {
            return Ok(id);
        }
        let conn = self.conn.lock();
        conn.execute(
            "INSERT OR IGNORE INTO caches (origin, name) VALUES (?1, ?2)",
            params![origin, name],
        )?;
        let id = conn.query_row(
            "SELECT id FROM caches WHERE origin = ?1 AND name = ?2",
            params![origin, name],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(CacheId(id))
    }

    /// Removes the origin's cache `name` from its name to cache map; whether there was one.
    /// The cache is doomed, not gone: Cache objects that represent it keep working until the
    /// store opens again, which removes it with its entries.
    pub fn cache_delete(&self, origin: &str, name: &str) -> Result<bool, StoreError> {
        let conn = self.conn.lock();
        let changed = conn.execute(
            "UPDATE caches SET name = NULL WHERE origin = ?1 AND name = ?2",
            params![origin, name],
        )?;
        Ok(changed > 0)
    }

    /// The entries of `cache` (or of every cache of the origin, caches in creation order),
    /// each cache's in insertion order.
    pub fn cache_entries(
        &self,
        origin: &str,
        cache: Option<CacheId>,
    ) -> Result<Vec<CacheEntry>, StoreError> {
        let conn = self.conn.lock();
        match cache {
            Some(c) => entries_of(&conn, "cache_id = ?1", "id", params![c.0]),
            None => entries_of(
                &conn,
                "cache_id IN (SELECT id FROM caches WHERE origin = ?1 AND name IS NOT NULL)",
                "cache_id, id",
                params![origin],
            ),
        }
    }

    /// The entry's response metadata and body length, if it still exists.
    pub fn cache_entry(&self, entry: EntryId) -> Result<Option<CacheEntry>, StoreError> {
        let conn = self.conn.lock();
        Ok(entries_of(&conn, "id = ?1", "id", params![entry.0])?
            .into_iter()
            .next())
    }

    /// The origin whose cache holds `entry`, if the entry exists.
    pub fn cache_entry_origin(&self, entry: EntryId) -> Result<Option<String>, StoreError> {
        let conn = self.conn.lock();
        Ok(conn
            .query_row(
                "SELECT c.origin FROM cache_entries e JOIN caches c ON c.id = e.cache_id WHERE e.id = ?1",
                params![entry.0],
                |r| r.get::<_, String>(0),
            )
            .optional()?)
    }

    /// Stages `bytes` as a body (written and synced).
    pub fn stage_cache_bytes(&self, bytes: &[u8]) -> Result<StagedBody, StoreError> {
        let path = self.staging_path();
        let mut f = crate::private::create_file(&path).map_err(io(&path))?;
        let staged = StagedBody {
            path: Some(path.clone()),
            len: Some(bytes.len() as u64),
        };
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))?;
        Ok(staged)
    }

    /// Stages a copy of a file the profile holds (a background fetch record's body, another
    /// entry's): a hard link where the disk allows (no bytes copied), else a streamed copy.
    /// `len` bytes of it count.
    pub fn stage_cache_file(&self, source: &Path, len: u64) -> Result<StagedBody, StoreError> {
        let path = self.staging_path();
        let staged = StagedBody {
            path: Some(path.clone()),
            len: Some(len),
        };
        if std::fs::hard_link(source, &path).is_err() {
            let mut from = File::open(source).map_err(io(source))?;
            let mut to = crate::private::create_file(&path).map_err(io(&path))?;
            std::io::copy(&mut (&mut from).take(len), &mut to).map_err(io(&path))?;
            to.sync_all().map_err(io(&path))?;
        }
        let actual = std::fs::metadata(&path).map_err(io(&path))?.len();
        if actual != len {
            return Err(StoreError::BadRow(format!(
                "{}: {actual} bytes where {len} were expected",
                source.display()
            )));
        }
        Ok(staged)
    }

    /// A body that arrives in pieces (a response still downloading): appended to a staging
    /// file as it comes, never held whole in memory; [`CacheUpload::finish`] makes it a
    /// [`StagedBody`]. A crash leaves only a file in `caches/tmp/`, removed at the next open.
    pub fn begin_cache_upload(&self) -> Result<CacheUpload, StoreError> {
        let path = self.staging_path();
        let file = crate::private::create_file(&path).map_err(io(&path))?;
        Ok(CacheUpload {
            staged: StagedBody {
                path: Some(path),
                len: Some(0),
            },
            file: std::io::BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn staging_path(&self) -> PathBuf {
        let n = self
            .staging
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.caches
            .join("tmp")
            .join(format!("{}-{n}", std::process::id()))
    }

    /// Runs `f` on `cache` in one transaction; commits (durably) when it returns `Ok`,
    /// leaves everything as it was when it returns `Err` or the quota would be exceeded.
    pub fn cache_batch<T, E: From<StoreError>>(
        &self,
        origin: &str,
        cache: CacheId,
        f: impl FnOnce(&mut CacheTransaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction().map_err(StoreError::from)?;
        let mut batch = CacheTransaction {
            tx: Some(tx),
            store: self,
            origin: origin.to_string(),
            cache,
            removed: Vec::new(),
            added_files: Vec::new(),
            added_bytes: 0,
        };
        match f(&mut batch) {
            Ok(v) => {
                batch.finish(true)?;
                Ok(v)
            }
            Err(e) => {
                // The transaction rolls back; files staged into place go.
                let _ = batch.finish(false);
                Err(e)
            }
        }
    }

    /// A removed entry's body moves aside (readable a while longer, see the module doc).
    fn retire_cache_body(&self, entry: EntryId) {
        let from = self.cache_body_path(entry);
        let to = self.caches.join("retired").join(entry.0.to_string());
        if std::fs::rename(&from, &to).is_err() {
            let _ = std::fs::remove_file(&from);
        }
    }

    /// Retired bodies older than an hour go.
    fn sweep_retired_cache_bodies(&self) {
        let Ok(dir) = std::fs::read_dir(self.caches.join("retired")) else {
            return;
        };
        let hour = std::time::Duration::from_secs(3600);
        for e in dir.flatten() {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > hour);
            if old {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// At most `len` bytes of an entry's body from `offset` (empty at the end); also of an
    /// entry removed meanwhile, while its body is retired.
    pub fn read_cache_body(
        &self,
        entry: EntryId,
        offset: u64,
        len: usize,
    ) -> Result<Vec<u8>, StoreError> {
        let (mut f, path) = self.open_cache_body_at(entry)?;
        f.seek(SeekFrom::Start(offset)).map_err(io(&path))?;
        let mut buf = Vec::with_capacity(len.min(1 << 20));
        f.take(len as u64)
            .read_to_end(&mut buf)
            .map_err(io(&path))?;
        Ok(buf)
    }

    /// An entry's body file, opened for reading; also of an entry removed meanwhile, while
    /// its body is retired. The open file stays readable whatever happens to the entry.
    pub fn open_cache_body(&self, entry: EntryId) -> Result<File, StoreError> {
        Ok(self.open_cache_body_at(entry)?.0)
    }

    fn open_cache_body_at(&self, entry: EntryId) -> Result<(File, PathBuf), StoreError> {
        let live = self.cache_body_path(entry);
        let path = if live.exists() {
            live
        } else {
            self.caches.join("retired").join(entry.0.to_string())
        };
        let f = File::open(&path).map_err(io(&path))?;
        Ok((f, path))
    }

    /// Files under `caches/` no entry names (a crash between a body's staging and its
    /// commit, or between a commit and the removal of replaced bodies) are removed, and the
    /// origins' usage counts the entries.
    pub(crate) fn tidy_caches(&self) -> Result<HashMap<String, u64>, StoreError> {
        // Caches deleted before (doomed) go now, with their entries; their files are
        // orphans below.
        {
            let mut conn = self.conn.lock();
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM cache_entries WHERE cache_id IN (SELECT id FROM caches WHERE name IS NULL)",
                [],
            )?;
            tx.execute("DELETE FROM caches WHERE name IS NULL", [])?;
            tx.commit()?;
        }
        for dir in ["tmp", "retired"] {
            let _ = std::fs::remove_dir_all(self.caches.join(dir));
            crate::private::create_dir_all(&self.caches.join(dir)).map_err(io(&self.caches))?;
        }
        let rows: Vec<(i64, String, Option<i64>)> = {
            let conn = self.conn.lock();
            let mut stmt = conn.prepare(
                "SELECT e.id, c.origin, e.body_len FROM cache_entries e JOIN caches c ON c.id = e.cache_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let known: std::collections::HashSet<i64> = rows.iter().map(|(id, _, _)| *id).collect();
        for e in std::fs::read_dir(&self.caches)
            .map_err(io(&self.caches))?
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == "tmp" || name == "retired" {
                continue;
            }
            if !name.parse::<i64>().is_ok_and(|id| known.contains(&id)) {
                log::info!(target: "bgfetch", "removing an orphaned cache body {name}");
                let _ = std::fs::remove_file(e.path());
            }
        }
        let mut usage: HashMap<String, u64> = HashMap::new();
        for (id, origin, len) in rows {
            // A corrupt (negative) length is an error, not a wrapped-around huge usage.
            let len = stored_body_len(id, len)?.unwrap_or(0);
            let u = usage.entry(origin).or_default();
            *u = u.saturating_add(len);
        }
        Ok(usage)
    }
}
