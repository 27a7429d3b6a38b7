//! <https://w3c.github.io/IndexedDB/#object-store-interface>: an object store handle (a
//! store as one transaction sees it), and what stores and indexes share: placing read
//! requests and extracting a value's index keys.

use super::index::IDBIndex;
use super::key_path::{
    check_that_a_key_could_be_injected_into_a_value, extract_a_key_from_a_value_using_a_key_path,
    is_valid_key_path, key_path_from_idl, key_path_to_value,
};
use super::keys::{convert_a_value_to_a_key, convert_a_value_to_a_key_range, data_error};
use super::request::{Expect, IDBRequest, RequestSource};
use super::transaction::{IDBTransaction, State};
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBObjectStoreBinding::IDBObjectStoreMethods;
use crate::dom::bindings::codegen::{
    IDBCursorDirection, IDBIndexParameters, StringOrStringSequence,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::domstringlist::DOMStringList;
use net_traits::indexed_db::{
    DatabaseInfo, Direction, IdbReply, IdbRequest, IndexInfo, Key, KeyBytes, KeyPath, KeyRange,
    Mode, Operation, Source, StoreInfo,
};
use std::cell::{Cell, RefCell};

/// <https://w3c.github.io/IndexedDB/#object-store-handle-construct>
pub struct IDBObjectStore<'js> {
    store_id: i64,
    name: RefCell<String>,
    transaction: Dom<'js, IDBTransaction<'js>>,
    /// The index handles made from this handle (one per index).
    indexes: DomRefCell<Vec<Dom<'js, IDBIndex<'js>>>>,
    deleted: Cell<bool>,
    /// `keyPath` returns the same array each time.
    key_path_value: DomRefCell<Option<Value<'js>>>,
}

impl<'js> Trace<'js> for IDBObjectStore<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.transaction.trace(tracer);
        self.indexes.trace(tracer);
        self.key_path_value.trace(tracer);
    }
}

impl<'js> IDBObjectStore<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        transaction: &Dom<'js, IDBTransaction<'js>>,
        store_id: i64,
        name: &str,
    ) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        reflect_dom_object(
            ctx,
            IDBObjectStore {
                store_id,
                name: RefCell::new(name.to_string()),
                transaction: transaction.clone(),
                indexes: DomRefCell::new(Vec::new()),
                deleted: Cell::new(false),
                key_path_value: DomRefCell::new(None),
            },
        )
    }

    pub fn store_id(&self) -> i64 {
        self.store_id
    }
    pub fn name_(&self) -> String {
        self.name.borrow().clone()
    }
    pub fn is_deleted(&self) -> bool {
        self.deleted.get()
    }
    pub fn mark_deleted(&self) {
        self.deleted.set(true);
        for i in self.indexes.borrow().iter() {
            i.mark_deleted();
        }
    }
    pub fn transaction_(&self) -> Dom<'js, IDBTransaction<'js>> {
        self.transaction.clone()
    }

    /// The store as the connection sees it now.
    pub fn info(&self) -> Fallible<StoreInfo> {
        self.transaction
            .db_()
            .store_info_by_id(self.store_id)
            .ok_or_else(|| Error::invalid_state("the object store has been deleted"))
    }

    /// Abort of an upgrade transaction: the name and indexes as they were (a store created
    /// by it is deleted).
    pub fn revert(&self, before: &DatabaseInfo) {
        match before.stores.iter().find(|s| s.id == self.store_id) {
            Some(s) => {
                *self.name.borrow_mut() = s.name.clone();
                self.deleted.set(false);
                for i in self.indexes.borrow().iter() {
                    i.revert(s);
                }
            }
            None => self.mark_deleted(),
        }
    }

    /// "If store has been deleted, throw InvalidStateError; if transaction is not active,
    /// throw TransactionInactiveError" (the first steps of most methods).
    pub fn check_usable(&self) -> Fallible<StoreInfo> {
        if self.deleted.get() {
            return Err(Error::invalid_state("the object store has been deleted"));
        }
        let info = self.info()?;
        if !self.transaction.is_active() {
            return Err(inactive());
        }
        Ok(info)
    }

    /// Also "If transaction is a read-only transaction, throw ReadOnlyError".
    fn check_writable(&self) -> Fallible<StoreInfo> {
        let info = self.check_usable()?;
        if self.transaction.mode_() == Mode::ReadOnly {
            return Err(Error::dom(
                DomErrorName::ReadOnlyError,
                "the transaction is read-only",
            ));
        }
        Ok(info)
    }

    /// Its own reference (from the transaction's handles).
    fn this(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        IDBTransaction::handle_for(&self.transaction, ctx, &self.name_())
    }

    /// <https://w3c.github.io/IndexedDB/#add-or-put>
    fn add_or_put(
        &self,
        ctx: &Ctx<'js>,
        value: Value<'js>,
        key: Option<Value<'js>>,
        no_overwrite: bool,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        // Steps 1-5. Deleted, inactive, read-only.
        let info = self.check_writable()?;
        let key = key.filter(|k| !k.is_undefined());
        // Step 6. In-line keys and a key given: "DataError".
        if info.key_path.is_some() && key.is_some() {
            return Err(data_error(
                "the object store uses in-line keys; no key may be given",
            ));
        }
        // Step 7. Out-of-line keys, no key generator, no key: "DataError".
        if info.key_path.is_none() && !info.auto_increment && key.is_none() {
            return Err(data_error("the object store needs a key"));
        }
        // Step 8. The key given, converted.
        let mut key: Option<Key> = match key {
            Some(k) => Some(
                convert_a_value_to_a_key(ctx, &k)?
                    .ok_or_else(|| data_error("the key is not a valid key"))?,
            ),
            None => None,
        };
        // Steps 9-10. A clone of the value, made while the transaction is inactive.
        let (clone, stored) = clone_during_transaction(ctx, &self.transaction, value)?;
        // Step 11. In-line keys: from the clone, or generated (then it must be injectable).
        if let Some(path) = &info.key_path {
            match extract_a_key_from_a_value_using_a_key_path(ctx, &clone, path, false)? {
                Some(Some(k)) => key = Some(k),
                Some(None) => return Err(data_error("the value's key is not a valid key")),
                None => {
                    if !info.auto_increment {
                        return Err(data_error("the value has no key at the key path"));
                    }
                    let KeyPath::String(p) = path else {
                        return Err(data_error("the value has no key at the key path"));
                    };
                    if !check_that_a_key_could_be_injected_into_a_value(ctx, &clone, p)? {
                        return Err(data_error("the generated key cannot be put in the value"));
                    }
                }
            }
        }
        // Step 12. "Store a record into an object store" (the service), with the index keys
        // the value has (an index on the key path gets the generated key).
        let index_keys = match (&info.key_path, &key) {
            // The key generator makes the key: a placeholder goes where it will be, so
            // index key paths that include it extract it (the service puts the key in).
            (Some(KeyPath::String(p)), None) => {
                let marked = super::keys::generated_key_placeholder(ctx)?;
                super::key_path::inject_a_value_using_a_key_path(ctx, &clone, marked, p)?;
                index_keys_of(ctx, &clone, &info)?
            }
            _ => index_keys_of(ctx, &clone, &info)?,
        };
        let operation = Operation::Put {
            store: self.store_id,
            key: key.map(|k| k.encode()),
            value: stored,
            index_keys,
            no_overwrite,
        };
        // Step 13. Asynchronously execute a request.
        let this = self.this(ctx)?;
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction,
            ctx,
            RequestSource::Store(this),
            operation,
            Expect::Key,
            None,
        )
    }

    /// Places a request whose source is this store.
    fn place(
        &self,
        ctx: &Ctx<'js>,
        operation: Operation,
        expect: Expect<'js>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let this = self.this(ctx)?;
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction,
            ctx,
            RequestSource::Store(this),
            operation,
            expect,
            None,
        )
    }
}

/// "TransactionInactiveError".
pub fn inactive() -> Error {
    Error::dom(
        DomErrorName::TransactionInactiveError,
        "the transaction is not active",
    )
}

/// <https://w3c.github.io/IndexedDB/#clone-a-value>: the clone in this realm (made with
/// the transaction inactive, so getters cannot place requests), and its serialization as
/// stored.
pub fn clone_during_transaction<'js>(
    ctx: &Ctx<'js>,
    transaction: &Dom<'js, IDBTransaction<'js>>,
    value: Value<'js>,
) -> Fallible<(Value<'js>, net_traits::indexed_db::StoredValue)> {
    use crate::dom::bindings::structuredclone;
    // Step 1. Assert: transaction's state is active. Step 2. Set it to inactive.
    transaction.set_inactive();
    // Step 3. serialized = ? StructuredSerializeForStorage(value).
    let serialized = structuredclone::serialize(ctx, value, Vec::new());
    // Step 5. Set transaction's state to active (also when serializing threw).
    if transaction.state() == State::Inactive {
        transaction.activate();
    }
    let serialized = serialized?;
    let stored = super::values::to_stored(&serialized);
    // Step 4. clone = ? StructuredDeserialize(serialized, targetRealm).
    let clone = structuredclone::deserialize(ctx, serialized)?;
    Ok((clone, stored))
}

/// The keys `value` has in each index of `store` (steps 4-5 of "store a record": a key path
/// that yields nothing or an invalid key gives no entry; a multiEntry index gets each
/// valid, distinct member of an array).
pub fn index_keys_of<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    store: &StoreInfo,
) -> Fallible<Vec<(i64, Vec<KeyBytes>)>> {
    let mut out = Vec::new();
    for index in &store.indexes {
        let keys = index_keys_for(ctx, value, index)?;
        if !keys.is_empty() {
            out.push((index.id, keys));
        }
    }
    Ok(out)
}

/// The keys `value` has in `index`.
pub fn index_keys_for<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    index: &IndexInfo,
) -> Fallible<Vec<KeyBytes>> {
    let Some(Some(key)) = extract_a_key_from_a_value_using_a_key_path(
        ctx,
        value,
        &index.key_path,
        index.multi_entry,
    )?
    else {
        return Ok(Vec::new());
    };
    let multi = index.multi_entry && matches!(index.key_path, KeyPath::String(_));
    Ok(match key {
        Key::Array(items) if multi => items.iter().map(Key::encode).collect(),
        k => vec![k.encode()],
    })
}

/// The cursor direction of the IDL enum.
pub fn direction_of(d: IDBCursorDirection) -> Direction {
    match d {
        IDBCursorDirection::Next => Direction::Next,
        IDBCursorDirection::Nextunique => Direction::NextUnique,
        IDBCursorDirection::Prev => Direction::Prev,
        IDBCursorDirection::Prevunique => Direction::PrevUnique,
    }
}

/// The store's key path when its key generator's keys are put back into values read.
pub fn inject_path(info: &StoreInfo) -> Option<String> {
    match (&info.key_path, info.auto_increment) {
        (Some(KeyPath::String(p)), true) => Some(p.clone()),
        _ => None,
    }
}

/// getAll()'s count: 0 is "no limit".
pub fn count_limit(count: Option<u32>) -> Option<u32> {
    count.filter(|c| *c != 0)
}

/// A query argument that may be absent, as a key range.
pub fn optional_range<'js>(ctx: &Ctx<'js>, query: Option<&Value<'js>>) -> Fallible<KeyRange> {
    convert_a_value_to_a_key_range(ctx, query, false)
}

impl<'js> IDBObjectStoreMethods<'js> for IDBObjectStore<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name_())
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-name>
    fn set_name(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let name = value.to_string();
        let transaction = &self.transaction;
        // Step 3. Deleted: "InvalidStateError".
        if self.deleted.get() {
            return Err(Error::invalid_state("the object store has been deleted"));
        }
        // Step 4. Not an upgrade transaction: "InvalidStateError".
        if !transaction.is_upgrade() {
            return Err(Error::invalid_state(
                "stores are renamed in upgrade transactions only",
            ));
        }
        // Step 5. Not active: "TransactionInactiveError".
        if !transaction.is_active() {
            return Err(inactive());
        }
        // Step 6. The same name: nothing to do.
        if self.name_() == name {
            return Ok(());
        }
        // Step 7. Another store has the name: "ConstraintError".
        let db = transaction.db_();
        if db.store_info(&name).is_some() {
            return Err(Error::dom(
                DomErrorName::ConstraintError,
                format!("an object store named {name:?} exists"),
            ));
        }
        // Steps 8-9. Rename the store and the handle.
        let global = super::global(&cx.ctx)?;
        if let IdbReply::Failed(e) = super::call(
            &global,
            IdbRequest::Run {
                transaction: transaction.id(),
                operation: Operation::RenameObjectStore {
                    store: self.store_id,
                    name: name.clone(),
                },
            },
        )? {
            return Err(super::error_of(&e));
        }
        db.edit_store(self.store_id, |s| s.name = name.clone());
        *self.name.borrow_mut() = name;
        Ok(())
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-keypath>
    fn keyPath(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        if let Some(v) = self.key_path_value.borrow().as_ref() {
            return Ok(v.clone());
        }
        let info = self.info()?;
        let v = key_path_to_value(&cx.ctx, info.key_path.as_ref())?;
        *self.key_path_value.borrow_mut() = Some(v.clone());
        Ok(v)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-indexnames>
    fn indexNames(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, DOMStringList<'js>>> {
        let mut names: Vec<String> = match self.info() {
            Ok(info) => info.indexes.iter().map(|i| i.name.clone()).collect(),
            Err(_) => Vec::new(),
        };
        super::sort_by_code_units(&mut names);
        DOMStringList::new(&cx.ctx, names)
    }

    fn transaction(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, IDBTransaction<'js>>> {
        Ok(self.transaction.clone())
    }

    fn autoIncrement(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.info().map(|i| i.auto_increment).unwrap_or(false))
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-put>
    fn put(
        &self,
        cx: &Cx<'js>,
        value: Value<'js>,
        key: Option<Value<'js>>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.add_or_put(&cx.ctx, value, key, false)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-add>
    fn add(
        &self,
        cx: &Cx<'js>,
        value: Value<'js>,
        key: Option<Value<'js>>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.add_or_put(&cx.ctx, value, key, true)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-delete>
    fn delete(&self, cx: &Cx<'js>, query: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        // Steps 1-5. Deleted, inactive, read-only.
        self.check_writable()?;
        // Step 6. range = ? convert query to a key range (null disallowed).
        let range = convert_a_value_to_a_key_range(&cx.ctx, Some(&query), true)?;
        // Steps 7-8. Delete records from an object store.
        self.place(
            &cx.ctx,
            Operation::Delete {
                store: self.store_id,
                range,
            },
            Expect::Undefined,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-clear>
    fn clear(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.check_writable()?;
        self.place(
            &cx.ctx,
            Operation::Clear {
                store: self.store_id,
            },
            Expect::Undefined,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-get>
    fn get(&self, cx: &Cx<'js>, query: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let info = self.check_usable()?;
        let range = convert_a_value_to_a_key_range(&cx.ctx, Some(&query), true)?;
        self.place(
            &cx.ctx,
            Operation::Get {
                source: Source::Store(self.store_id),
                range,
            },
            Expect::Value {
                inject: inject_path(&info),
            },
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-getkey>
    fn getKey(&self, cx: &Cx<'js>, query: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.check_usable()?;
        let range = convert_a_value_to_a_key_range(&cx.ctx, Some(&query), true)?;
        self.place(
            &cx.ctx,
            Operation::GetKey {
                source: Source::Store(self.store_id),
                range,
            },
            Expect::Key,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-getall>
    fn getAll(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        count: Option<u32>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let info = self.check_usable()?;
        let range = optional_range(&cx.ctx, query.as_ref())?;
        self.place(
            &cx.ctx,
            Operation::GetAll {
                source: Source::Store(self.store_id),
                range,
                count: count_limit(count),
            },
            Expect::Values {
                inject: inject_path(&info),
            },
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-getallkeys>
    fn getAllKeys(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        count: Option<u32>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.check_usable()?;
        let range = optional_range(&cx.ctx, query.as_ref())?;
        self.place(
            &cx.ctx,
            Operation::GetAllKeys {
                source: Source::Store(self.store_id),
                range,
                count: count_limit(count),
            },
            Expect::Keys,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-count>
    fn count(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.check_usable()?;
        let range = optional_range(&cx.ctx, query.as_ref())?;
        self.place(
            &cx.ctx,
            Operation::Count {
                source: Source::Store(self.store_id),
                range,
            },
            Expect::Count,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-opencursor>
    fn openCursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.open_cursor(cx, query, direction, false)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-openkeycursor>
    fn openKeyCursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.open_cursor(cx, query, direction, true)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-index>
    fn index(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<Dom<'js, IDBIndex<'js>>> {
        // Steps 3-4. Deleted, or the transaction finished: "InvalidStateError".
        if self.deleted.get() || self.transaction.is_finished() {
            return Err(Error::invalid_state(
                "the object store or its transaction is gone",
            ));
        }
        // Step 5. No such index: "NotFoundError".
        let info = self.info()?;
        let index = info
            .indexes
            .iter()
            .find(|i| i.name == *name)
            .cloned()
            .ok_or_else(|| {
                Error::dom(
                    DomErrorName::NotFoundError,
                    format!("no index named {name:?}"),
                )
            })?;
        // Step 6. The handle for it (one per index and store handle).
        self.index_handle(&cx.ctx, &index)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-createindex>
    fn createIndex(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
        key_path: StringOrStringSequence,
        options: IDBIndexParameters,
    ) -> Fallible<Dom<'js, IDBIndex<'js>>> {
        let ctx = &cx.ctx;
        let transaction = self.transaction.clone();
        // Step 3. Not an upgrade transaction: "InvalidStateError".
        if !transaction.is_upgrade() {
            return Err(Error::invalid_state(
                "indexes are created in upgrade transactions only",
            ));
        }
        // Step 4. Deleted: "InvalidStateError".
        if self.deleted.get() {
            return Err(Error::invalid_state("the object store has been deleted"));
        }
        // Step 5. Not active: "TransactionInactiveError".
        if !transaction.is_active() {
            return Err(inactive());
        }
        let info = self.info()?;
        // Step 6. An index of that name: "ConstraintError".
        if info.indexes.iter().any(|i| i.name == *name) {
            return Err(Error::dom(
                DomErrorName::ConstraintError,
                format!("an index named {name:?} exists"),
            ));
        }
        // Step 7. Not a valid key path: "SyntaxError".
        let key_path = key_path_from_idl(key_path);
        if !is_valid_key_path(&key_path) {
            return Err(Error::dom(
                DomErrorName::SyntaxError,
                "the key path is not valid",
            ));
        }
        // Steps 8-10. A sequence key path with multiEntry: "InvalidAccessError".
        if matches!(key_path, KeyPath::Sequence(_)) && options.multiEntry {
            return Err(Error::dom(
                DomErrorName::InvalidAccessError,
                "a multiEntry index cannot have a sequence key path",
            ));
        }
        let mut index = IndexInfo {
            id: -1,
            name: name.to_string(),
            key_path,
            unique: options.unique,
            multi_entry: options.multiEntry,
        };
        // Step 11. The index, populated from the store's records (keys extracted here, in
        // this realm; the service checks uniqueness). A violation aborts the upgrade
        // transaction with a "ConstraintError"; the handle is still returned.
        let global = super::global(ctx)?;
        let records = match super::call(
            &global,
            IdbRequest::Run {
                transaction: transaction.id(),
                operation: Operation::AllRecords {
                    store: self.store_id,
                },
            },
        )? {
            IdbReply::Records(r) => r,
            IdbReply::Failed(e) => return Err(super::error_of(&e)),
            other => {
                return Err(Error::dom(
                    DomErrorName::UnknownError,
                    format!("unexpected answer: {other:?}"),
                ))
            }
        };
        let mut entries = Vec::with_capacity(records.len());
        for r in records {
            let value = super::request::stored_to_value(ctx, r.value)?;
            entries.push((r.key, index_keys_for(ctx, &value, &index)?));
        }
        match super::call(
            &global,
            IdbRequest::Run {
                transaction: transaction.id(),
                operation: Operation::CreateIndex {
                    store: self.store_id,
                    name: index.name.clone(),
                    key_path: index.key_path.clone(),
                    unique: index.unique,
                    multi_entry: index.multi_entry,
                    entries,
                },
            },
        )? {
            IdbReply::IndexCreated(id) => index.id = id,
            IdbReply::Failed(e) => {
                transaction.doom(ctx, super::error_of(&e));
            }
            _ => {}
        }
        transaction.db_().add_index(self.store_id, index.clone());
        // Step 12. The handle.
        self.index_handle(ctx, &index)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbobjectstore-deleteindex>
    fn deleteIndex(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<()> {
        let transaction = self.transaction.clone();
        // Steps 3-5. Upgrade transaction, not deleted, active.
        if !transaction.is_upgrade() {
            return Err(Error::invalid_state(
                "indexes are deleted in upgrade transactions only",
            ));
        }
        if self.deleted.get() {
            return Err(Error::invalid_state("the object store has been deleted"));
        }
        if !transaction.is_active() {
            return Err(inactive());
        }
        // Step 6. No such index: "NotFoundError".
        let info = self.info()?;
        let index = info
            .indexes
            .iter()
            .find(|i| i.name == *name)
            .cloned()
            .ok_or_else(|| {
                Error::dom(
                    DomErrorName::NotFoundError,
                    format!("no index named {name:?}"),
                )
            })?;
        // Step 7. Remove it from the store's index set; its handles are deleted.
        transaction
            .db_()
            .edit_store(self.store_id, |s| s.indexes.retain(|i| i.id != index.id));
        for h in self
            .indexes
            .borrow()
            .iter()
            .filter(|h| h.index_id() == index.id)
        {
            h.mark_deleted();
        }
        // Step 8. Destroy the index.
        let global = super::global(&cx.ctx)?;
        if index.id >= 0 {
            if let IdbReply::Failed(e) = super::call(
                &global,
                IdbRequest::Run {
                    transaction: transaction.id(),
                    operation: Operation::DeleteIndex { index: index.id },
                },
            )? {
                return Err(super::error_of(&e));
            }
        }
        Ok(())
    }
}

impl<'js> IDBObjectStore<'js> {
    /// The handle for `index` from this store handle (made once).
    pub(crate) fn index_handle(
        &self,
        ctx: &Ctx<'js>,
        index: &IndexInfo,
    ) -> Fallible<Dom<'js, IDBIndex<'js>>> {
        if let Some(h) = self
            .indexes
            .borrow()
            .iter()
            .find(|h| h.index_id() == index.id && !h.is_deleted())
        {
            return Ok(h.clone());
        }
        let this = self.this(ctx)?;
        let h = IDBIndex::create(ctx, &this, index)?;
        self.indexes.borrow_mut().push(h.clone());
        Ok(h)
    }

    /// openCursor() and openKeyCursor().
    fn open_cursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
        key_only: bool,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let ctx = &cx.ctx;
        // Steps 1-4. Deleted, inactive.
        let info = self.check_usable()?;
        // Step 5. range = ? convert query to a key range.
        let range = optional_range(ctx, query.as_ref())?;
        // Steps 6-10. The cursor, iterated a first time in a request.
        let this = self.this(ctx)?;
        super::cursor::open_a_cursor(
            ctx,
            super::cursor::CursorSource::Store(this),
            &self.transaction,
            range,
            direction_of(direction),
            key_only,
            inject_path(&info),
        )
    }
}
