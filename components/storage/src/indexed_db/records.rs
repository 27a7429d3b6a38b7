//! The storage operations of a running transaction
//! (<https://w3c.github.io/IndexedDB/#object-store-storage-operation> and the index ones):
//! records of object stores, their index records, key generators and cursors.
//!
//! An object store's records are rows of `idb_records` (primary key `(store, key)`); an
//! index's records are rows of `idb_index_records` (primary key `(idx, key, primary_key)`),
//! so both lists are in the order the spec keeps them, and a key range is a pair of SQL
//! bounds on the `KeyBytes` column.

use super::blobs::Files;
use super::schema::{self, IndexRow, StoreRow};
use super::{sql_error, IdbResult};
use crate::Store;
use net_traits::indexed_db::{
    number_key, CursorRecord, Direction, IdbError, IdbErrorName, IdbReply, Key, KeyBytes, KeyRange,
    Mode, Operation, Record, Source, StoredValue,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

/// The largest key a key generator makes (2^53).
const MAX_GENERATED_KEY: i64 = 1 << 53;

/// What a transaction did outside its SQLite rows: undone when it rolls back, finished
/// after it commits.
#[derive(Clone, Debug, Default)]
pub(super) struct Effects {
    /// Blob files written (removed if the transaction rolls back).
    pub created: Vec<String>,
    /// Blob files of records deleted or overwritten (removed once it committed).
    pub doomed: Vec<String>,
    /// Bytes counted in the origin's quota (released if it rolls back).
    pub reserved: u64,
    /// Bytes of records deleted or overwritten (released once it committed).
    pub freed: u64,
}

/// A running transaction as its operations see it.
pub(super) struct Context<'a> {
    pub conn: &'a Connection,
    pub files: &'a Files,
    pub quota: &'a Store,
    pub origin: &'a str,
    /// The transaction's database.
    pub db: i64,
    pub mode: Mode,
    /// The stores in scope (every store of the database for a version change).
    pub scope: &'a [i64],
    pub effects: &'a mut Effects,
}

fn error(name: IdbErrorName, message: impl Into<String>) -> IdbError {
    IdbError::new(name, message)
}

fn io_error(e: std::io::Error) -> IdbError {
    error(
        IdbErrorName::UnknownError,
        format!("IndexedDB blob file: {e}"),
    )
}

/// Whether an operation changes the database (it then runs in a savepoint: all or nothing).
fn writes(op: &Operation) -> bool {
    !matches!(
        op,
        Operation::AllRecords { .. }
            | Operation::Get { .. }
            | Operation::GetKey { .. }
            | Operation::GetAll { .. }
            | Operation::GetAllKeys { .. }
            | Operation::Count { .. }
            | Operation::Iterate { .. }
    )
}

/// `WHERE` terms putting `col` in `range`, their values appended to `values`.
fn range_terms(col: &str, range: &KeyRange, values: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if let Some(lower) = &range.lower {
        let op = if range.lower_open { ">" } else { ">=" };
        sql.push_str(&format!(" AND {col} {op} ?"));
        values.push(Value::Blob(lower.clone()));
    }
    if let Some(upper) = &range.upper {
        let op = if range.upper_open { "<" } else { "<=" };
        sql.push_str(&format!(" AND {col} {op} ?"));
        values.push(Value::Blob(upper.clone()));
    }
    sql
}

/// An object store or an index, resolved and checked against the transaction.
enum Target {
    Store(StoreRow),
    Index(IndexRow),
}

impl Target {
    /// The table of its records, the column naming it, its id, the column of the records'
    /// primary keys.
    fn table(&self) -> (&'static str, &'static str, i64, &'static str) {
        match self {
            Target::Store(s) => ("idb_records", "store", s.id, "key"),
            Target::Index(i) => ("idb_index_records", "idx", i.id, "primary_key"),
        }
    }

    fn store(&self) -> i64 {
        match self {
            Target::Store(s) => s.id,
            Target::Index(i) => i.store,
        }
    }
}

impl Context<'_> {
    /// Runs `op`; a failed operation that writes leaves nothing behind (a savepoint, and
    /// the files and quota it took are given back).
    pub fn run(&mut self, op: Operation) -> IdbResult<IdbReply> {
        if !writes(&op) {
            return self.operation(op);
        }
        self.check_writable(&op)?;
        let before = self.effects.clone();
        self.conn
            .prepare_cached("SAVEPOINT idb_operation")
            .and_then(|mut stmt| stmt.execute([]))
            .map_err(sql_error)?;
        let result = self.operation(op);
        let ended = match &result {
            Ok(_) => self
                .conn
                .prepare_cached("RELEASE idb_operation")
                .and_then(|mut stmt| stmt.execute([]))
                .map(|_| ()),
            Err(_) => self
                .conn
                .execute_batch("ROLLBACK TO idb_operation; RELEASE idb_operation"),
        };
        if result.is_err() || ended.is_err() {
            self.files
                .remove(&self.effects.created[before.created.len()..]);
            self.quota
                .release_quota(self.origin, self.effects.reserved - before.reserved);
            *self.effects = before;
        }
        ended.map_err(sql_error)?;
        result
    }

    /// Writing operations need a writing transaction; schema changes a version change.
    fn check_writable(&self, op: &Operation) -> IdbResult<()> {
        let schema_change = matches!(
            op,
            Operation::CreateObjectStore { .. }
                | Operation::DeleteObjectStore { .. }
                | Operation::RenameObjectStore { .. }
                | Operation::CreateIndex { .. }
                | Operation::DeleteIndex { .. }
                | Operation::RenameIndex { .. }
        );
        match self.mode {
            Mode::VersionChange => Ok(()),
            Mode::ReadWrite if !schema_change => Ok(()),
            Mode::ReadWrite => Err(error(
                IdbErrorName::InvalidStateError,
                "the schema changes only in a version change transaction",
            )),
            Mode::ReadOnly => Err(error(
                IdbErrorName::InvalidStateError,
                "the transaction is read-only",
            )),
        }
    }

    fn operation(&mut self, op: Operation) -> IdbResult<IdbReply> {
        match op {
            Operation::CreateObjectStore {
                name,
                key_path,
                auto_increment,
            } => schema::create_store(self.conn, self.db, &name, &key_path, auto_increment)
                .map(IdbReply::StoreCreated),
            Operation::DeleteObjectStore { store } => {
                let store = self.store(store)?;
                self.delete_store(&store)?;
                Ok(IdbReply::Done)
            }
            Operation::RenameObjectStore { store, name } => {
                let store = self.store(store)?;
                schema::rename_store(self.conn, &store, &name)?;
                Ok(IdbReply::Done)
            }
            Operation::CreateIndex {
                store,
                name,
                key_path,
                unique,
                multi_entry,
                entries,
            } => {
                let store = self.store(store)?;
                schema::create_index(
                    self.conn,
                    store.id,
                    &name,
                    &key_path,
                    unique,
                    multi_entry,
                    &entries,
                )
                .map(IdbReply::IndexCreated)
            }
            Operation::DeleteIndex { index } => {
                let index = self.index(index)?;
                schema::delete_index(self.conn, index.id)?;
                Ok(IdbReply::Done)
            }
            Operation::RenameIndex { index, name } => {
                let index = self.index(index)?;
                schema::rename_index(self.conn, &index, &name)?;
                Ok(IdbReply::Done)
            }
            Operation::AllRecords { store } => {
                let store = self.store(store)?;
                self.store_records(store.id, &KeyRange::all(), None)
                    .map(IdbReply::Records)
            }
            Operation::Put {
                store,
                key,
                value,
                index_keys,
                no_overwrite,
            } => {
                let store = self.store(store)?;
                self.store_a_record(&store, key, value, &index_keys, no_overwrite)
                    .map(IdbReply::Key)
            }
            Operation::Get { source, range } => {
                let target = self.target(source)?;
                Ok(IdbReply::Record(
                    self.records(&target, &range, Some(1))?.into_iter().next(),
                ))
            }
            Operation::GetKey { source, range } => {
                let target = self.target(source)?;
                let keys = self.entries(&target, &range, Some(1))?;
                Ok(IdbReply::Keys(keys.into_iter().map(|(_, pk)| pk).collect()))
            }
            Operation::GetAll {
                source,
                range,
                count,
            } => {
                let target = self.target(source)?;
                self.records(&target, &range, count).map(IdbReply::Records)
            }
            Operation::GetAllKeys {
                source,
                range,
                count,
            } => {
                let target = self.target(source)?;
                let keys = self.entries(&target, &range, count)?;
                Ok(IdbReply::Keys(keys.into_iter().map(|(_, pk)| pk).collect()))
            }
            Operation::Count { source, range } => {
                let target = self.target(source)?;
                self.count(&target, &range).map(IdbReply::Count)
            }
            Operation::Delete { store, range } => {
                let store = self.store(store)?;
                self.delete_records(store.id, &range)?;
                Ok(IdbReply::Done)
            }
            Operation::Clear { store } => {
                let store = self.store(store)?;
                self.delete_records(store.id, &KeyRange::all())?;
                Ok(IdbReply::Done)
            }
            Operation::Iterate {
                source,
                range,
                direction,
                position,
                object_store_position,
                key,
                primary_key,
                count,
                with_value,
            } => {
                let target = self.target(source)?;
                let cursor = Cursor {
                    range: &range,
                    direction,
                    position,
                    object_store_position,
                };
                let found = self.iterate_a_cursor(
                    &target,
                    cursor,
                    key.as_deref(),
                    primary_key.as_deref(),
                    count,
                )?;
                let Some((key, primary_key)) = found else {
                    return Ok(IdbReply::Cursor(None));
                };
                let value = if with_value {
                    let record = self.record(target.store(), &primary_key)?.ok_or_else(|| {
                        error(
                            IdbErrorName::UnknownError,
                            "an index record references no record",
                        )
                    })?;
                    Some(record.value)
                } else {
                    None
                };
                Ok(IdbReply::Cursor(Some(CursorRecord {
                    key,
                    primary_key,
                    value,
                })))
            }
        }
    }

    /// The object store `id`, if the transaction's database has it and it is in scope.
    fn store(&self, id: i64) -> IdbResult<StoreRow> {
        schema::store_row(self.conn, id)
            .map_err(sql_error)?
            .filter(|s| s.db == self.db && self.in_scope(s.id))
            .ok_or_else(|| {
                error(
                    IdbErrorName::NotFoundError,
                    "no such object store in the transaction's scope",
                )
            })
    }

    fn in_scope(&self, store: i64) -> bool {
        self.mode == Mode::VersionChange || self.scope.contains(&store)
    }

    /// The index `id`, if its object store is one the transaction may use.
    fn index(&self, id: i64) -> IdbResult<IndexRow> {
        let index = schema::index_row(self.conn, id)
            .map_err(sql_error)?
            .ok_or_else(|| error(IdbErrorName::NotFoundError, "no such index"))?;
        self.store(index.store)?;
        Ok(index)
    }

    fn target(&self, source: Source) -> IdbResult<Target> {
        match source {
            Source::Store(id) => self.store(id).map(Target::Store),
            Source::Index(id) => self.index(id).map(Target::Index),
        }
    }

    /// A record's value: its bytes and its Blobs read back from their files.
    fn value(&self, bytes: Vec<u8>, blobs: &str) -> IdbResult<StoredValue> {
        let names: Vec<String> = serde_json::from_str(blobs).map_err(|e| {
            error(
                IdbErrorName::UnknownError,
                format!("a record's blob list does not parse: {e}"),
            )
        })?;
        let blobs = names
            .iter()
            .map(|name| self.files.read(name))
            .collect::<Result<_, _>>()
            .map_err(io_error)?;
        Ok(StoredValue { bytes, blobs })
    }

    /// The record of `store` with key `key`.
    fn record(&self, store: i64, key: &[u8]) -> IdbResult<Option<Record>> {
        let row: Option<(Vec<u8>, String)> = self
            .conn
            .prepare_cached("SELECT value, blobs FROM idb_records WHERE store = ?1 AND key = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![store, key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql_error)?;
        row.map(|(bytes, blobs)| {
            Ok(Record {
                key: key.to_vec(),
                value: self.value(bytes, &blobs)?,
            })
        })
        .transpose()
    }

    /// Up to `count` records of `store` in `range` (all for `None` or 0), in key order.
    fn store_records(
        &self,
        store: i64,
        range: &KeyRange,
        count: Option<u32>,
    ) -> IdbResult<Vec<Record>> {
        let mut values = vec![Value::Integer(store)];
        let terms = range_terms("key", range, &mut values);
        values.push(Value::Integer(limit(count)));
        let sql = format!(
            "SELECT key, value, blobs FROM idb_records WHERE store = ?{terms} ORDER BY key LIMIT ?"
        );
        let rows: Vec<(Vec<u8>, Vec<u8>, String)> = {
            let mut stmt = self.conn.prepare_cached(&sql).map_err(sql_error)?;
            let rows = stmt
                .query_map(params_from_iter(values), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .map_err(sql_error)?;
            rows.collect::<Result<_, _>>().map_err(sql_error)?
        };
        rows.into_iter()
            .map(|(key, bytes, blobs)| {
                Ok(Record {
                    key,
                    value: self.value(bytes, &blobs)?,
                })
            })
            .collect()
    }

    /// Up to `count` (key, primary key) pairs of `target`'s records in `range`, in order.
    fn entries(
        &self,
        target: &Target,
        range: &KeyRange,
        count: Option<u32>,
    ) -> IdbResult<Vec<(KeyBytes, KeyBytes)>> {
        let (table, owner, id, primary) = target.table();
        let mut values = vec![Value::Integer(id)];
        let terms = range_terms("key", range, &mut values);
        values.push(Value::Integer(limit(count)));
        let sql = format!(
            "SELECT key, {primary} FROM {table} WHERE {owner} = ?{terms}
             ORDER BY key, {primary} LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(sql_error)?;
        let rows = stmt
            .query_map(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_error)?;
        rows.collect::<Result<_, _>>().map_err(sql_error)
    }

    /// The records `target` holds in `range`: an index's are the records its entries
    /// reference, in the index's order.
    fn records(
        &self,
        target: &Target,
        range: &KeyRange,
        count: Option<u32>,
    ) -> IdbResult<Vec<Record>> {
        match target {
            Target::Store(store) => self.store_records(store.id, range, count),
            Target::Index(index) => {
                let mut records = Vec::new();
                for (_, primary_key) in self.entries(target, range, count)? {
                    if let Some(record) = self.record(index.store, &primary_key)? {
                        records.push(record);
                    }
                }
                Ok(records)
            }
        }
    }

    fn count(&self, target: &Target, range: &KeyRange) -> IdbResult<u64> {
        let (table, owner, id, _) = target.table();
        let mut values = vec![Value::Integer(id)];
        let terms = range_terms("key", range, &mut values);
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {owner} = ?{terms}");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_row(params_from_iter(values), |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(sql_error)
    }

    /// <https://w3c.github.io/IndexedDB/#delete-records-from-an-object-store>: the records
    /// of `store` in `range` and the index records referencing them.
    fn delete_records(&mut self, store: i64, range: &KeyRange) -> IdbResult<()> {
        // Step 1. Let records be all records in store's list of records in range.
        let mut values = vec![Value::Integer(store)];
        let terms = range_terms("key", range, &mut values);
        let gone: Vec<(String, i64)> = {
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT blobs, size FROM idb_records WHERE store = ?{terms}"
                ))
                .map_err(sql_error)?;
            let rows = stmt
                .query_map(params_from_iter(values.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(sql_error)?;
            rows.collect::<Result<_, _>>().map_err(sql_error)?
        };
        if gone.is_empty() {
            return Ok(());
        }
        // Step 3. For each index which references store, remove every record from index's
        // list of records whose value is the key of one of the removed records.
        let mut index_values = vec![Value::Integer(store)];
        index_values.extend(values.iter().cloned());
        self.conn
            .prepare_cached(&format!(
                "DELETE FROM idb_index_records
                 WHERE idx IN (SELECT id FROM idb_indexes WHERE store = ?1)
                 AND primary_key IN (SELECT key FROM idb_records WHERE store = ?{terms})"
            ))
            .and_then(|mut stmt| stmt.execute(params_from_iter(index_values)))
            .map_err(sql_error)?;
        // Step 2. Remove records from store's list of records.
        self.conn
            .prepare_cached(&format!("DELETE FROM idb_records WHERE store = ?{terms}"))
            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
            .map_err(sql_error)?;
        for (blobs, size) in gone {
            self.doom(&blobs, size);
        }
        Ok(())
    }

    /// "Delete records from an object store" for the single record of `store` with key
    /// `key`, already read (its `blobs` and `size`), and the records of `indexes` (all the
    /// indexes of `store`) referencing it.
    fn delete_a_record(
        &mut self,
        store: i64,
        key: &[u8],
        indexes: &[IndexRow],
        blobs: &str,
        size: i64,
    ) -> IdbResult<()> {
        // Step 3. For each index which references store, remove every record from index's
        // list of records whose value is key.
        for index in indexes {
            self.conn
                .prepare_cached("DELETE FROM idb_index_records WHERE idx = ?1 AND primary_key = ?2")
                .and_then(|mut stmt| stmt.execute(params![index.id, key]))
                .map_err(sql_error)?;
        }
        // Step 2. Remove the record from store's list of records.
        self.conn
            .prepare_cached("DELETE FROM idb_records WHERE store = ?1 AND key = ?2")
            .and_then(|mut stmt| stmt.execute(params![store, key]))
            .map_err(sql_error)?;
        self.doom(blobs, size);
        Ok(())
    }

    /// A deleted record's files and bytes go once the transaction committed.
    fn doom(&mut self, blobs: &str, size: i64) {
        if let Ok(names) = serde_json::from_str::<Vec<String>>(blobs) {
            self.effects.doomed.extend(names);
        }
        self.effects.freed += size.max(0) as u64;
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-deleteobjectstore> (its storage
    /// part): the store, its records, its indexes and their records.
    fn delete_store(&mut self, store: &StoreRow) -> IdbResult<()> {
        self.delete_records(store.id, &KeyRange::all())?;
        for index in schema::indexes_of(self.conn, store.id).map_err(sql_error)? {
            schema::delete_index(self.conn, index.id)?;
        }
        self.conn
            .prepare_cached("DELETE FROM idb_stores WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute([store.id]))
            .map_err(sql_error)?;
        Ok(())
    }

    /// <https://w3c.github.io/IndexedDB/#store-a-record-into-an-object-store>
    fn store_a_record(
        &mut self,
        store: &StoreRow,
        key: Option<KeyBytes>,
        value: StoredValue,
        index_keys: &[(i64, Vec<KeyBytes>)],
        no_overwrite: bool,
    ) -> IdbResult<KeyBytes> {
        // Step 1. If store uses a key generator, then:
        let key = match key {
            // Step 1.1. If key is undefined, then: let key be the result of generating a
            // key for store; if key is failure, return a "ConstraintError".
            None if store.auto_increment => self.generate_a_key(store)?,
            None => {
                return Err(error(
                    IdbErrorName::DataError,
                    "the object store has no key generator and no key was given",
                ))
            }
            Some(key) => {
                if Key::decode(&key).is_none() {
                    return Err(error(IdbErrorName::DataError, "not a valid key"));
                }
                // Step 1.2. Otherwise, run possibly update the key generator for store
                // with key.
                if store.auto_increment {
                    self.possibly_update_the_key_generator(store, &key)?;
                }
                key
            }
        };
        // A NaN number (never a valid key) in an index key stands for the record's key:
        // the store's key generator just made it, and the script side extracted the index
        // keys with a placeholder where it goes.
        let record_key = Key::decode(&key);
        let index_keys: Vec<(i64, Vec<KeyBytes>)> = index_keys
            .iter()
            .map(|(i, keys)| {
                let keys = keys
                    .iter()
                    .map(|k| match (&record_key, Key::decode(k)) {
                        (Some(r), Some(ik)) if has_placeholder(&ik) => {
                            replace_placeholder(ik, r).encode()
                        }
                        _ => k.clone(),
                    })
                    .collect();
                (*i, keys)
            })
            .collect();
        let index_keys = &index_keys;
        // Step 2. If the no-overwrite flag was given to these steps and is true, and a
        // record already exists in store with its key equal to key, then this operation
        // failed with a "ConstraintError".
        let existing: Option<(String, i64)> = self
            .conn
            .prepare_cached("SELECT blobs, size FROM idb_records WHERE store = ?1 AND key = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![store.id, key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql_error)?;
        if existing.is_some() && no_overwrite {
            return Err(error(
                IdbErrorName::ConstraintError,
                "a record with this key exists in the object store",
            ));
        }
        // The store's indexes, read once for the whole operation.
        let indexes = schema::indexes_of(self.conn, store.id).map_err(sql_error)?;
        // Step 3. If a record already exists in store with its key equal to key, then run
        // delete records from an object store with store and a key range containing only
        // key (the one record just read: no need to look it up again).
        if let Some((blobs, size)) = existing {
            self.delete_a_record(store.id, &key, &indexes, &blobs, size)?;
        }
        // Step 5 (checked first, so that a refused record leaves nothing): for each index
        // which references store, if index's unique flag is true and index already
        // contains a record with key equal to index key, this operation failed with a
        // "ConstraintError".
        for (index_id, keys) in index_keys {
            let Some(index) = indexes.iter().find(|i| i.id == *index_id) else {
                return Err(error(
                    IdbErrorName::NotFoundError,
                    "an index key is for an index of another object store",
                ));
            };
            if !index.unique {
                continue;
            }
            for index_key in keys {
                let taken: Option<i64> = self
                    .conn
                    .prepare_cached(
                        "SELECT 1 FROM idb_index_records WHERE idx = ?1 AND key = ?2 LIMIT 1",
                    )
                    .and_then(|mut stmt| {
                        stmt.query_row(params![index.id, index_key], |r| r.get(0))
                            .optional()
                    })
                    .map_err(sql_error)?;
                if taken.is_some() {
                    return Err(error(
                        IdbErrorName::ConstraintError,
                        "a unique index already holds this key",
                    ));
                }
            }
        }
        // Step 4. Store a record in store containing key as its key and value as its
        // value. (Its bytes count in the origin's quota; its Blobs are files.)
        let size =
            value.bytes.len() as u64 + value.blobs.iter().map(|b| b.len() as u64).sum::<u64>();
        self.quota
            .reserve_quota(self.origin, size)
            .map_err(|e| error(IdbErrorName::QuotaExceededError, e.to_string()))?;
        self.effects.reserved += size;
        let mut names = Vec::with_capacity(value.blobs.len());
        for blob in &value.blobs {
            let name = self.files.write(blob).map_err(io_error)?;
            self.effects.created.push(name.clone());
            names.push(name);
        }
        let names = serde_json::to_string(&names)
            .map_err(|e| error(IdbErrorName::UnknownError, e.to_string()))?;
        self.conn
            .prepare_cached(
                "INSERT INTO idb_records (store, key, value, blobs, size) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut stmt| stmt.execute(params![store.id, key, value.bytes, names, size as i64]))
            .map_err(sql_error)?;
        // Step 5. For each index which references store: store a record in index
        // containing index key as its key and key as its value.
        let mut insert = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO idb_index_records (idx, key, primary_key) VALUES (?1, ?2, ?3)",
            )
            .map_err(sql_error)?;
        for (index, keys) in index_keys {
            for index_key in keys {
                insert
                    .execute(params![index, index_key, key])
                    .map_err(sql_error)?;
            }
        }
        // Step 6. Return key.
        Ok(key)
    }

    /// <https://w3c.github.io/IndexedDB/#generate-a-key>
    fn generate_a_key(&self, store: &StoreRow) -> IdbResult<KeyBytes> {
        // Step 2. Let key be generator's current number.
        let key = store.current_number;
        // Step 3. If key is greater than 2^53 (9007199254740992), then return failure.
        if key > MAX_GENERATED_KEY {
            return Err(error(
                IdbErrorName::ConstraintError,
                "the object store's key generator is spent",
            ));
        }
        // Step 4. Increase generator's current number by 1.
        self.set_current_number(store.id, key + 1)?;
        // Step 5. Return key.
        Ok(Key::Number(key as f64).encode())
    }

    /// <https://w3c.github.io/IndexedDB/#possibly-update-the-key-generator>
    fn possibly_update_the_key_generator(&self, store: &StoreRow, key: &[u8]) -> IdbResult<()> {
        // Step 1. If the type of key is not number, abort these steps.
        let Some(value) = number_key(key) else {
            return Ok(());
        };
        // Step 3. Set value to the minimum of value and 2^53 (9007199254740992).
        let value = value.min(MAX_GENERATED_KEY as f64);
        // Step 4. Set value to the largest integer not greater than value (exact: at most
        // 2^53; below i64's range it saturates, which is below every current number).
        let value = value.floor() as i64;
        // Step 6. If value is greater than or equal to generator's current number, then set
        // generator's current number to value + 1.
        if value >= store.current_number {
            self.set_current_number(store.id, value + 1)?;
        }
        Ok(())
    }

    /// The key generator's state is a column: it rolls back with the transaction.
    fn set_current_number(&self, store: i64, n: i64) -> IdbResult<()> {
        self.conn
            .prepare_cached("UPDATE idb_stores SET current_number = ?2 WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute(params![store, n]))
            .map_err(sql_error)?;
        Ok(())
    }

    /// <https://w3c.github.io/IndexedDB/#iterate-a-cursor>: the (key, primary key) of the
    /// record the cursor moves to, or `None`.
    ///
    /// Step 9 finds a record `count` times, each time from the one found before. Every
    /// condition of step 9.1 keeps the records after a point of the source's order (key,
    /// then primary key; for the unique directions, one record per key: the one with the
    /// lowest primary key, as "nextunique" and "prevunique" both pick), and the position
    /// condition of the next pass keeps those after the record just found. So the record
    /// of the last pass is the `count`th of the first pass's list: one query with an
    /// `OFFSET` (advance() does not cost a query per record).
    fn iterate_a_cursor(
        &self,
        target: &Target,
        cursor: Cursor<'_>,
        key: Option<&[u8]>,
        primary_key: Option<&[u8]>,
        count: u32,
    ) -> IdbResult<Option<(KeyBytes, KeyBytes)>> {
        let is_index = matches!(target, Target::Index(_));
        // Step 3. Assert: if primaryKey is given, source is an index and direction is
        // "next" or "prev" (checked by the script side; ignored otherwise).
        let primary_key = primary_key
            .filter(|_| is_index && matches!(cursor.direction, Direction::Next | Direction::Prev));
        // Step 8. If count is not given, let count be 1.
        let count = count.max(1);
        // Steps 9.1-9.5, count times; step 9.2: no found record is null.
        self.find_record(
            target,
            cursor.range,
            cursor.direction,
            Positions {
                key,
                primary_key,
                position: cursor.position.as_deref(),
                object_store_position: cursor.object_store_position.as_deref(),
            },
            count - 1,
        )
    }

    /// Step 9.1 of "iterate a cursor": the found record for `direction`, after skipping
    /// `skip` of them (see [`Context::iterate_a_cursor`]).
    fn find_record(
        &self,
        target: &Target,
        range: &KeyRange,
        direction: Direction,
        at: Positions<'_>,
        skip: u32,
    ) -> IdbResult<Option<(KeyBytes, KeyBytes)>> {
        let (table, owner, id, primary) = target.table();
        let is_index = matches!(target, Target::Index(_));
        let mut values = vec![Value::Integer(id)];
        // The record's key is in range.
        let mut terms = range_terms("key", range, &mut values);
        let blob = |b: &[u8]| Value::Blob(b.to_vec());
        let forward = matches!(direction, Direction::Next | Direction::NextUnique);
        let (ge, gt) = if forward { (">=", ">") } else { ("<=", "<") };
        // If key is defined: the record's key is greater than or equal to key (less than
        // or equal for "prev" and "prevunique").
        if let Some(key) = at.key {
            terms.push_str(&format!(" AND key {ge} ?"));
            values.push(blob(key));
        }
        // "next"/"prev" only: if primaryKey is defined, the record's key is equal to key and
        // its value is greater than or equal to (less than or equal to) primaryKey, or the
        // record's key is greater than (less than) key.
        let unique = matches!(direction, Direction::NextUnique | Direction::PrevUnique);
        if let (Some(key), Some(primary_key), false) = (at.key, at.primary_key, unique) {
            terms.push_str(&format!(
                " AND ((key = ? AND {primary} {ge} ?) OR key {gt} ?)"
            ));
            values.extend([blob(key), blob(primary_key), blob(key)]);
        }
        if let Some(position) = at.position {
            match (is_index && !unique, at.object_store_position) {
                // If position is defined and source is an index: the record's key is equal
                // to position and its value is greater than (less than) object store
                // position, or the record's key is greater than (less than) position.
                (true, Some(osp)) => {
                    terms.push_str(&format!(
                        " AND ((key = ? AND {primary} {gt} ?) OR key {gt} ?)"
                    ));
                    values.extend([blob(position), blob(osp), blob(position)]);
                }
                // If position is defined and source is an object store (or the direction is
                // unique): the record's key is greater than (less than) position.
                _ => {
                    terms.push_str(&format!(" AND key {gt} ?"));
                    values.push(blob(position));
                }
            }
        }
        // "next": the first such record; "prev": the last. "nextunique": the first, which
        // is its key's record with the lowest primary key; "prevunique": the last one's
        // key (temp record), then the first record in records with that key.
        let order = if forward { "" } else { " DESC" };
        values.push(Value::Integer(i64::from(skip)));
        let sql = if unique && is_index {
            format!(
                "SELECT key, MIN({primary}) FROM {table} WHERE {owner} = ?{terms}
                 GROUP BY key ORDER BY key{order} LIMIT 1 OFFSET ?"
            )
        } else {
            format!(
                "SELECT key, {primary} FROM {table} WHERE {owner} = ?{terms}
                 ORDER BY key{order}, {primary}{order} LIMIT 1 OFFSET ?"
            )
        };
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_row(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql_error)
    }
}

/// The cursor "iterate a cursor" moves.
struct Cursor<'a> {
    range: &'a KeyRange,
    direction: Direction,
    position: Option<KeyBytes>,
    object_store_position: Option<KeyBytes>,
}

/// The constraints of step 9.1: continue()'s key and primary key, and where the cursor is.
#[derive(Clone, Copy)]
struct Positions<'a> {
    key: Option<&'a [u8]>,
    primary_key: Option<&'a [u8]>,
    position: Option<&'a [u8]>,
    object_store_position: Option<&'a [u8]>,
}

/// A SQL `LIMIT`: `count` records, or all of them for `None` or 0.
fn limit(count: Option<u32>) -> i64 {
    match count {
        Some(n) if n > 0 => n as i64,
        _ => -1,
    }
}

/// Whether an index key holds the generated-key placeholder (a NaN number).
fn has_placeholder(k: &Key) -> bool {
    match k {
        Key::Number(n) => n.is_nan(),
        Key::Array(items) => items.iter().any(has_placeholder),
        _ => false,
    }
}

/// The index key with each placeholder replaced by the record's key.
fn replace_placeholder(k: Key, record: &Key) -> Key {
    match k {
        Key::Number(n) if n.is_nan() => record.clone(),
        Key::Array(items) => Key::Array(
            items
                .into_iter()
                .map(|i| replace_placeholder(i, record))
                .collect(),
        ),
        other => other,
    }
}
