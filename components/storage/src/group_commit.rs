//! Group commit: small durable writes that arrive together share one commit.
//!
//! With `synchronous=FULL` every commit syncs the write-ahead log, and a background fetch of
//! thousands of small files makes a few such writes per record (its response, its result):
//! one sync each, taken one after another under the connection's lock, is what bounded
//! such a fetch's speed. Here a writer queues its statement and then takes the connection;
//! whoever gets it first runs every queued statement in one transaction (each inside its
//! own savepoint, so one failing statement fails only its writer) and commits once. Writers
//! that queued meanwhile find their result ready when they get the lock.
//!
//! Nothing is acknowledged early: a writer returns only after the commit that holds its
//! statement (or with that commit's error).

use super::{Store, StoreError};
use parking_lot::Mutex;
use rusqlite::Connection;
use std::sync::Arc;

/// A queued statement.
type Job = Box<dyn FnOnce(&Connection) -> rusqlite::Result<()> + Send>;

/// Where a queued write's result goes (set only once its commit is over).
type Slot = Arc<Mutex<Option<Result<(), StoreError>>>>;

/// The writes waiting for a commit.
#[derive(Default)]
pub(crate) struct WriteQueue(Mutex<Vec<(Job, Slot)>>);

impl Store {
    /// Runs `job` in a durable transaction, shared with the writes queued at the same time;
    /// returns once that transaction is committed.
    pub(crate) fn write_grouped(
        &self,
        job: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
    ) -> Result<(), StoreError> {
        let slot: Slot = Arc::default();
        self.writes.0.lock().push((Box::new(job), slot.clone()));
        let conn = self.conn.lock();
        // A writer that had the connection before us committed our statement with its own.
        if let Some(done) = slot.lock().take() {
            return done;
        }
        // Otherwise ours is still queued (a batch is taken, run and answered under the
        // connection's lock, which we hold now): take it with everything queued since.
        let batch = std::mem::take(&mut *self.writes.0.lock());
        commit_batch(&conn, batch);
        drop(conn);
        let done = slot.lock().take();
        done.unwrap_or_else(|| {
            Err(StoreError::BadRow(
                "a grouped write was lost before its commit".into(),
            ))
        })
    }
}

/// Runs a batch of writes in one transaction and answers each writer.
fn commit_batch(conn: &Connection, batch: Vec<(Job, Slot)>) {
    if batch.len() == 1 {
        // Nothing to share: the statement commits on its own.
        for (job, slot) in batch {
            *slot.lock() = Some(job(conn).map_err(StoreError::from));
        }
        return;
    }
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        for (_, slot) in batch {
            *slot.lock() = Some(Err(copy_error(&e)));
        }
        return;
    }
    let mut results = Vec::with_capacity(batch.len());
    for (job, slot) in batch {
        let result = conn
            .execute_batch("SAVEPOINT grouped_write")
            .and_then(|()| match job(conn) {
                Ok(()) => conn.execute_batch("RELEASE grouped_write"),
                Err(e) => {
                    // Undo this statement alone; the others stay in the transaction.
                    let _ = conn.execute_batch("ROLLBACK TO grouped_write; RELEASE grouped_write");
                    Err(e)
                }
            });
        results.push((result, slot));
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => {
            for (result, slot) in results {
                *slot.lock() = Some(result.map_err(StoreError::from));
            }
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            for (_, slot) in results {
                *slot.lock() = Some(Err(copy_error(&e)));
            }
        }
    }
}

/// The same error for every writer of a failed commit (`rusqlite::Error` is not `Clone`).
fn copy_error(e: &rusqlite::Error) -> StoreError {
    StoreError::Sql(match e {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone())
        }
        other => rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(other.to_string()),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    #[test]
    fn concurrent_writers_each_see_their_own_result_after_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path(), StoreOptions::default()).unwrap());
        store
            .conn
            .lock()
            .execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
            .unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for i in 0..50i64 {
                        let k = t * 1000 + i;
                        // Every fifth write breaks the NOT NULL rule: only it must fail.
                        let v = if i % 5 == 4 { None } else { Some(i) };
                        let r = store.write_grouped(move |c| {
                            c.execute("INSERT INTO t (k, v) VALUES (?1, ?2)", (k, v))
                                .map(|_| ())
                        });
                        assert_eq!(r.is_err(), v.is_none(), "write {k}: {r:?}");
                        // Acknowledged means committed: another connection sees it.
                        if v.is_some() {
                            let other = Connection::open(store.db_path()).unwrap();
                            let n: i64 = other
                                .query_row("SELECT COUNT(*) FROM t WHERE k = ?1", [k], |r| r.get(0))
                                .unwrap();
                            assert_eq!(n, 1, "write {k} is committed");
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let n: i64 = store
            .conn
            .lock()
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 8 * 40);
    }
}
