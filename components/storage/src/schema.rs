//! The database schema and its migrations (`PRAGMA user_version`).

use crate::StoreError;
use rusqlite::Connection;
use std::path::Path;

/// The version this build writes.
pub const VERSION: i64 = 4;

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
    // 1 -> 2: a record's request may have gone out (a non-GET is never sent twice); the order
    // records settled in (the first failure is the fetch's reason); why the abort all flag
    // is set (an immediate failure, or the user).
    "ALTER TABLE records ADD COLUMN started INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE records ADD COLUMN settled_seq INTEGER;
     ALTER TABLE fetches ADD COLUMN immediate_failure TEXT NOT NULL DEFAULT '';",
    // 2 -> 3: the Cache API: each origin's name to cache map (creation order is id order;
    // a deleted cache keeps its row with a null name while its Cache objects may still use
    // it, until the store opens again) and each cache's request response list (insertion
    // order is id order); bodies are files named by entry id.
    "CREATE TABLE caches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL,
        name TEXT,
        UNIQUE (origin, name)
     );
     CREATE TABLE cache_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        cache_id INTEGER NOT NULL REFERENCES caches (id),
        request TEXT NOT NULL,
        response TEXT NOT NULL,
        body_len INTEGER
     );
     CREATE INDEX cache_entries_by_cache ON cache_entries (cache_id);",
    // 3 -> 4: service worker registrations in the registration map, their waiting and
    // active workers, and each worker's script resource map (main script first).
    "CREATE TABLE sw_registrations (
        id INTEGER PRIMARY KEY,
        storage_key TEXT NOT NULL,
        scope TEXT NOT NULL,
        update_via_cache TEXT NOT NULL,
        last_update_check INTEGER,
        position INTEGER NOT NULL
     );
     CREATE TABLE sw_workers (
        id INTEGER PRIMARY KEY,
        registration_id INTEGER NOT NULL REFERENCES sw_registrations (id),
        slot TEXT NOT NULL,
        script_url TEXT NOT NULL,
        worker_type TEXT NOT NULL,
        csp TEXT NOT NULL,
        event_types TEXT NOT NULL DEFAULT '[]'
     );
     CREATE TABLE sw_scripts (
        worker_id INTEGER NOT NULL REFERENCES sw_workers (id),
        position INTEGER NOT NULL,
        url TEXT NOT NULL,
        body BLOB NOT NULL,
        content_type TEXT NOT NULL,
        PRIMARY KEY (worker_id, position)
     );",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_database_migrates_with_its_data() {
        let dir = std::env::temp_dir().join(format!("bgfetch-schema-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&format!(
                "BEGIN; {}; PRAGMA user_version = 1; COMMIT;",
                MIGRATIONS[0]
            ))
            .unwrap();
            conn.execute_batch(
                "INSERT INTO fetches VALUES (1, 2, 's', 'o', 'id', 't', '[]', 0, 0, 0, 'active', '', '', 0, 0, 1);
                 INSERT INTO records VALUES (1, 0, '{}', NULL, NULL, 'aborted');",
            )
            .unwrap();
        }
        let conn = Connection::open(&path).unwrap();
        migrate(&conn, &path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION);
        let (started, seq, result): (bool, Option<i64>, String) = conn
            .query_row(
                "SELECT started, settled_seq, result FROM records",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((started, seq, result.as_str()), (false, None, "aborted"));
        let immediate: String = conn
            .query_row("SELECT immediate_failure FROM fetches", [], |r| r.get(0))
            .unwrap();
        assert_eq!(immediate, "");
        // Migrating again changes nothing.
        migrate(&conn, &path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
