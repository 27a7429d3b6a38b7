//! The background fetch rows of the profile's database: a fetch with its records (requests
//! without bodies, response metadata, results) and the flags and counters that must survive
//! a restart. Every change is committed (synchronous=FULL) before it returns.

use super::bodies::{dir_size, sync_dir};
use super::*;

impl Store {
    /// The next unused fetch uid.
    pub fn next_uid(&self) -> Result<FetchUid, StoreError> {
        let conn = self.conn.lock();
        let max: Option<i64> = conn.query_row("SELECT MAX(uid) FROM fetches", [], |r| r.get(0))?;
        let meta: Option<i64> = conn
            .query_row("SELECT value FROM counters WHERE name = 'uid'", [], |r| {
                r.get(0)
            })
            .optional()?;
        // Uids are positive: a negative one (or none left) is a corrupt row, not an overflow.
        let last = max.unwrap_or(0).max(meta.unwrap_or(0));
        match last.checked_add(1) {
            Some(next) if next > 0 => Ok(FetchUid(next as u64)),
            _ => Err(StoreError::BadRow(format!("no fetch uid follows {last}"))),
        }
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
        crate::private::create_dir_all(&dir).map_err(io(&dir))?;
        for (index, request) in new.requests.iter().enumerate() {
            if let Some(body) = &request.body {
                let path = self.request_path(new.uid, index as u32);
                let mut f = crate::private::create_file(&path).map_err(io(&path))?;
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
                    body_len: body_len
                        .map(|l| u64::try_from(l).map_err(|_| bad("body length")))
                        .transpose()?,
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
        self.write_grouped(move |conn| {
            conn.prepare_cached("UPDATE records SET response = ?3 WHERE uid = ?1 AND idx = ?2")?
                .execute(params![uid.0 as i64, index as i64, value])
                .map(drop)
        })
    }

    /// Sets a record's result (and when it was set, for the settle order), and with
    /// `response`, its response too, in the same commit.
    pub fn set_record_result(
        &self,
        uid: FetchUid,
        index: u32,
        result: RecordResult,
        response: Option<&ResponseMeta>,
    ) -> Result<(), StoreError> {
        let seq = now_seq();
        let response = response.map(json).transpose()?;
        self.write_grouped(move |conn| {
            if let Some(response) = response {
                conn.prepare_cached(
                    "UPDATE records SET response = ?3 WHERE uid = ?1 AND idx = ?2",
                )?
                .execute(params![uid.0 as i64, index as i64, response])?;
            }
            conn.prepare_cached(
                "UPDATE records SET result = ?3, settled_seq = ?4 WHERE uid = ?1 AND idx = ?2",
            )?
            .execute(params![uid.0 as i64, index as i64, result.as_str(), seq])
            .map(drop)
        })
    }

    /// Records that a record's request is about to be sent: after a restart a non-GET
    /// record marked so is not sent again (it may have had side effects).
    pub fn mark_started(&self, uid: FetchUid, index: u32) -> Result<(), StoreError> {
        self.write_grouped(move |conn| {
            conn.prepare_cached("UPDATE records SET started = 1 WHERE uid = ?1 AND idx = ?2")?
                .execute(params![uid.0 as i64, index as i64])
                .map(drop)
        })
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
        self.write_grouped(move |conn| {
            conn.prepare_cached("UPDATE fetches SET uploaded = ?2 WHERE uid = ?1")?
                .execute(params![uid.0 as i64, uploaded as i64])
                .map(drop)
        })
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
}

/// A monotonic-enough sequence number for settle order: nanoseconds since the epoch.
pub(crate) fn now_seq() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::BadRow(e.to_string()))
}
