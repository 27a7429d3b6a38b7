//! The database schema and its migrations (`PRAGMA user_version`).

use crate::StoreError;
use rusqlite::Connection;
use std::path::Path;

/// The version this build writes.
pub const VERSION: i64 = 1;

/// Migrations: `MIGRATIONS[n]` takes a database from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    "CREATE TABLE fetches (
        uid INTEGER PRIMARY KEY,
        registration_id INTEGER NOT NULL,
        scope TEXT NOT NULL,
        origin TEXT NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        icons TEXT NOT NULL,
        download_total INTEGER NOT NULL,
        upload_total INTEGER NOT NULL,
        uploaded INTEGER NOT NULL,
        state TEXT NOT NULL,
        result TEXT NOT NULL,
        failure_reason TEXT NOT NULL,
        paused INTEGER NOT NULL,
        awaiting_permission INTEGER NOT NULL,
        abort_all INTEGER NOT NULL
     );
     CREATE INDEX fetches_by_registration ON fetches (registration_id);
     CREATE TABLE records (
        uid INTEGER NOT NULL REFERENCES fetches (uid),
        idx INTEGER NOT NULL,
        request TEXT NOT NULL,
        body_len INTEGER,
        response TEXT,
        result TEXT NOT NULL,
        PRIMARY KEY (uid, idx)
     );
     CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
];

/// Brings the database to [`VERSION`], refusing one from a newer build.
pub fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    if found > VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: VERSION,
        });
    }
    if found < 0 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            message: format!("schema version {found}"),
        });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = from as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN; {sql}; PRAGMA user_version = {to}; COMMIT;"
        ))
        .map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: format!("migrating to schema version {to}: {e}"),
        })?;
        log::info!(target: "bgfetch", "{}: schema version {to}", path.display());
    }
    Ok(())
}
