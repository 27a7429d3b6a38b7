//! The tables of a database's SQLite file (see `files.rs`) and what they hold about the
//! database, its object stores and indexes
//! (<https://w3c.github.io/IndexedDB/#database-construct>). Each file holds one database:
//! one row of `idb_databases` (its storage key, name and version), its stores (with their
//! key generators' state), indexes, records and index records.
//!
//! Ids are `AUTOINCREMENT`: a script thread holds store and index ids, and an id is never
//! given again to something else of the database after what it named was deleted (a
//! database deleted and created again starts afresh: no connection to the old one is open).

use super::{sql_error, IdbResult};
use crate::StoreError;
use net_traits::indexed_db::{DatabaseInfo, IdbError, IdbErrorName, IndexInfo, KeyPath, StoreInfo};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// Migrations: `MIGRATIONS[n]` takes the database from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema. Keys are `KeyBytes`, whose byte order is the key order, so
    // SQLite's BLOB comparisons and ORDER BY are IndexedDB's. An index's records are ordered
    // by (key, primary key), as the index's list of records is.
    "CREATE TABLE idb_databases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (origin, name)
     );
     CREATE TABLE idb_stores (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        db INTEGER NOT NULL REFERENCES idb_databases (id),
        name TEXT NOT NULL,
        key_path TEXT NOT NULL,
        auto_increment INTEGER NOT NULL,
        current_number INTEGER NOT NULL
     );
     CREATE INDEX idb_stores_by_db ON idb_stores (db);
     CREATE TABLE idb_indexes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        store INTEGER NOT NULL REFERENCES idb_stores (id),
        name TEXT NOT NULL,
        key_path TEXT NOT NULL,
        is_unique INTEGER NOT NULL,
        multi_entry INTEGER NOT NULL
     );
     CREATE INDEX idb_indexes_by_store ON idb_indexes (store);
     CREATE TABLE idb_records (
        store INTEGER NOT NULL,
        key BLOB NOT NULL,
        value BLOB NOT NULL,
        blobs TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (store, key)
     ) WITHOUT ROWID;
     CREATE TABLE idb_index_records (
        idx INTEGER NOT NULL,
        key BLOB NOT NULL,
        primary_key BLOB NOT NULL,
        PRIMARY KEY (idx, key, primary_key)
     ) WITHOUT ROWID;
     CREATE INDEX idb_index_records_by_primary_key ON idb_index_records (idx, primary_key);",
];

/// Brings the database to the last version, refusing one from a newer build.
pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    if found < 0 {
        return Err(corrupt(format!("schema version {found}")));
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = from as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN; {sql}; PRAGMA user_version = {to}; COMMIT;"
        ))
        .map_err(|e| corrupt(format!("migrating to schema version {to}: {e}")))?;
        log::info!(target: "bgfetch", "{}: schema version {to}", path.display());
    }
    Ok(())
}

/// A database as stored: its id and version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Database {
    pub id: i64,
    pub version: u64,
}

/// The database the file holds: (id, storage key, name, version), if it has one (a file
/// whose upgrade creating it did not commit has none).
pub(super) fn stored_database(
    conn: &Connection,
) -> rusqlite::Result<Option<(Database, String, String)>> {
    conn.query_row(
        "SELECT id, version, origin, name FROM idb_databases ORDER BY id LIMIT 1",
        [],
        |r| {
            Ok((
                Database {
                    id: r.get(0)?,
                    version: r.get::<_, i64>(1)? as u64,
                },
                r.get(2)?,
                r.get(3)?,
            ))
        },
    )
    .optional()
}

/// The bytes the file's records count in their origin's quota.
pub(super) fn usage(conn: &Connection) -> rusqlite::Result<u64> {
    let size: i64 = conn.query_row("SELECT COALESCE(SUM(size), 0) FROM idb_records", [], |r| {
        r.get(0)
    })?;
    Ok(size.max(0) as u64)
}

/// The names of the blob files the file's records hold.
pub(super) fn blob_names(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut names = Vec::new();
    let mut stmt = conn.prepare("SELECT blobs FROM idb_records WHERE blobs != '[]'")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let row = row?;
        let list: Vec<String> = serde_json::from_str(&row)
            .map_err(|e| StoreError::BadRow(format!("IndexedDB blob list {row:?}: {e}")))?;
        names.extend(list);
    }
    Ok(names)
}

/// A new database (version 0, no object stores), in the current SQLite transaction.
pub(super) fn create_database(
    conn: &Connection,
    origin: &str,
    name: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO idb_databases (origin, name, version) VALUES (?1, ?2, 0)")?
        .execute(params![origin, name])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn set_version(conn: &Connection, db: i64, version: u64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE idb_databases SET version = ?2 WHERE id = ?1")?
        .execute(params![db, version as i64])?;
    Ok(())
}

/// What a connection sees of database `db`, at `version`.
pub(super) fn database_info(
    conn: &Connection,
    db: i64,
    name: &str,
    version: u64,
) -> IdbResult<DatabaseInfo> {
    let mut stores = Vec::new();
    let rows: Vec<(i64, String, String, bool)> = {
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, name, key_path, auto_increment FROM idb_stores WHERE db = ?1 ORDER BY id",
            )
            .map_err(sql_error)?;
        let rows = stmt
            .query_map([db], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(sql_error)?;
        rows.collect::<Result<_, _>>().map_err(sql_error)?
    };
    for (id, store_name, key_path, auto_increment) in rows {
        let key_path: Option<KeyPath> = parse(&key_path)?;
        let indexes = {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT id, name, key_path, is_unique, multi_entry FROM idb_indexes
                     WHERE store = ?1 ORDER BY id",
                )
                .map_err(sql_error)?;
            let rows = stmt
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                })
                .map_err(sql_error)?;
            let mut indexes = Vec::new();
            for row in rows {
                let (id, name, key_path, unique, multi_entry) = row.map_err(sql_error)?;
                indexes.push(IndexInfo {
                    id,
                    name,
                    key_path: parse(&key_path)?,
                    unique,
                    multi_entry,
                });
            }
            indexes
        };
        stores.push(StoreInfo {
            id,
            name: store_name,
            key_path,
            auto_increment,
            indexes,
        });
    }
    Ok(DatabaseInfo {
        name: name.to_string(),
        version,
        stores,
    })
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> IdbResult<T> {
    serde_json::from_str(json).map_err(|e| {
        IdbError::new(
            IdbErrorName::UnknownError,
            format!("a stored key path does not parse: {e}"),
        )
    })
}

/// An object store as the operations need it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct StoreRow {
    pub id: i64,
    pub db: i64,
    pub auto_increment: bool,
    /// <https://w3c.github.io/IndexedDB/#key-generator-current-number> (an integer, so
    /// that 2^53 + 1 is one).
    pub current_number: i64,
}

pub(super) fn store_row(conn: &Connection, store: i64) -> rusqlite::Result<Option<StoreRow>> {
    conn.prepare_cached(
        "SELECT id, db, auto_increment, current_number FROM idb_stores WHERE id = ?1",
    )?
    .query_row([store], |r| {
        Ok(StoreRow {
            id: r.get(0)?,
            db: r.get(1)?,
            auto_increment: r.get(2)?,
            current_number: r.get(3)?,
        })
    })
    .optional()
}

/// An index as the operations need it: its id, its store, and whether it is unique.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct IndexRow {
    pub id: i64,
    pub store: i64,
    pub unique: bool,
}

pub(super) fn index_row(conn: &Connection, index: i64) -> rusqlite::Result<Option<IndexRow>> {
    conn.prepare_cached("SELECT id, store, is_unique FROM idb_indexes WHERE id = ?1")?
        .query_row([index], |r| {
            Ok(IndexRow {
                id: r.get(0)?,
                store: r.get(1)?,
                unique: r.get(2)?,
            })
        })
        .optional()
}

pub(super) fn indexes_of(conn: &Connection, store: i64) -> rusqlite::Result<Vec<IndexRow>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, store, is_unique FROM idb_indexes WHERE store = ?1")?;
    let rows = stmt.query_map([store], |r| {
        Ok(IndexRow {
            id: r.get(0)?,
            store: r.get(1)?,
            unique: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn constraint(message: String) -> IdbError {
    IdbError::new(IdbErrorName::ConstraintError, message)
}

/// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-createobjectstore> (its storage part):
/// the new store's id.
pub(super) fn create_store(
    conn: &Connection,
    db: i64,
    name: &str,
    key_path: &Option<KeyPath>,
    auto_increment: bool,
) -> IdbResult<i64> {
    if store_named(conn, db, name)?.is_some() {
        return Err(constraint(format!("an object store named {name:?} exists")));
    }
    let key_path = serde_json::to_string(key_path)
        .map_err(|e| IdbError::new(IdbErrorName::UnknownError, e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO idb_stores (db, name, key_path, auto_increment, current_number)
         VALUES (?1, ?2, ?3, ?4, 1)",
    )
    .and_then(|mut stmt| stmt.execute(params![db, name, key_path, auto_increment]))
    .map_err(sql_error)?;
    Ok(conn.last_insert_rowid())
}

fn store_named(conn: &Connection, db: i64, name: &str) -> IdbResult<Option<i64>> {
    conn.prepare_cached("SELECT id FROM idb_stores WHERE db = ?1 AND name = ?2")
        .and_then(|mut stmt| stmt.query_row(params![db, name], |r| r.get(0)).optional())
        .map_err(sql_error)
}

/// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-name> (setting it).
pub(super) fn rename_store(conn: &Connection, store: &StoreRow, name: &str) -> IdbResult<()> {
    match store_named(conn, store.db, name)? {
        Some(id) if id == store.id => return Ok(()),
        Some(_) => return Err(constraint(format!("an object store named {name:?} exists"))),
        None => {}
    }
    conn.prepare_cached("UPDATE idb_stores SET name = ?2 WHERE id = ?1")
        .and_then(|mut stmt| stmt.execute(params![store.id, name]))
        .map_err(sql_error)?;
    Ok(())
}

fn index_named(conn: &Connection, store: i64, name: &str) -> IdbResult<Option<i64>> {
    conn.prepare_cached("SELECT id FROM idb_indexes WHERE store = ?1 AND name = ?2")
        .and_then(|mut stmt| {
            stmt.query_row(params![store, name], |r| r.get(0))
                .optional()
        })
        .map_err(sql_error)
}

/// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-createindex> (its storage part): the
/// index and its records from `entries`; a unique index that would hold a key twice is
/// refused (the caller rolls back what was inserted).
pub(super) fn create_index(
    conn: &Connection,
    store: i64,
    name: &str,
    key_path: &KeyPath,
    unique: bool,
    multi_entry: bool,
    entries: &[(Vec<u8>, Vec<Vec<u8>>)],
) -> IdbResult<i64> {
    if index_named(conn, store, name)?.is_some() {
        return Err(constraint(format!("an index named {name:?} exists")));
    }
    let key_path = serde_json::to_string(key_path)
        .map_err(|e| IdbError::new(IdbErrorName::UnknownError, e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO idb_indexes (store, name, key_path, is_unique, multi_entry)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut stmt| stmt.execute(params![store, name, key_path, unique, multi_entry]))
    .map_err(sql_error)?;
    let index = conn.last_insert_rowid();
    {
        let mut insert = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO idb_index_records (idx, key, primary_key)
                 SELECT ?1, ?2, ?3 WHERE EXISTS
                   (SELECT 1 FROM idb_records WHERE store = ?4 AND key = ?3)",
            )
            .map_err(sql_error)?;
        for (primary_key, keys) in entries {
            for key in keys {
                insert
                    .execute(params![index, key, primary_key, store])
                    .map_err(sql_error)?;
            }
        }
    }
    if unique {
        let twice: Option<i64> = conn
            .prepare_cached(
                "SELECT 1 FROM idb_index_records WHERE idx = ?1
                 GROUP BY key HAVING COUNT(*) > 1 LIMIT 1",
            )
            .and_then(|mut stmt| stmt.query_row([index], |r| r.get(0)).optional())
            .map_err(sql_error)?;
        if twice.is_some() {
            return Err(constraint(format!(
                "the unique index {name:?} would hold a key more than once"
            )));
        }
    }
    Ok(index)
}

/// <https://w3c.github.io/IndexedDB/#dom-idbindex-name> (setting it).
pub(super) fn rename_index(conn: &Connection, index: &IndexRow, name: &str) -> IdbResult<()> {
    match index_named(conn, index.store, name)? {
        Some(id) if id == index.id => return Ok(()),
        Some(_) => return Err(constraint(format!("an index named {name:?} exists"))),
        None => {}
    }
    conn.prepare_cached("UPDATE idb_indexes SET name = ?2 WHERE id = ?1")
        .and_then(|mut stmt| stmt.execute(params![index.id, name]))
        .map_err(sql_error)?;
    Ok(())
}

/// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-deleteindex> (its storage part).
pub(super) fn delete_index(conn: &Connection, index: i64) -> IdbResult<()> {
    conn.prepare_cached("DELETE FROM idb_index_records WHERE idx = ?1")
        .and_then(|mut stmt| stmt.execute([index]))
        .map_err(sql_error)?;
    conn.prepare_cached("DELETE FROM idb_indexes WHERE id = ?1")
        .and_then(|mut stmt| stmt.execute([index]))
        .map_err(sql_error)?;
    Ok(())
}
