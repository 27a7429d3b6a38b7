//! <https://w3c.github.io/IndexedDB/#cursor-interface>: a cursor over a store or an index;
//! each step is an "iterate a cursor" operation the service runs from the cursor's
//! position.

use super::cursorwithvalue::IDBCursorWithValue;
use super::index::IDBIndex;
use super::key_path::extract_a_key_from_a_value_using_a_key_path;
use super::keys::{convert_a_value_to_a_key, data_error, key_bytes_to_value};
use super::objectstore::{clone_during_transaction, inactive, index_keys_of, IDBObjectStore};
use super::request::{record_value, Expect, IDBRequest, RequestSource};
use super::transaction::IDBTransaction;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBCursorBinding::IDBCursorMethods;
use crate::dom::bindings::codegen::{IDBCursorDirection, IDBObjectStoreOrIDBIndex};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use net_traits::indexed_db::{
    CursorRecord, Direction, KeyBytes, KeyRange, Mode, Operation, Record, Source, StoreInfo,
};
use std::cell::{Cell, RefCell};

/// <https://w3c.github.io/IndexedDB/#cursor-source>
#[derive(Clone)]
pub enum CursorSource<'js> {
    Store(Dom<'js, IDBObjectStore<'js>>),
    Index(Dom<'js, IDBIndex<'js>>),
}

impl<'js> Trace<'js> for CursorSource<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            CursorSource::Store(s) => s.trace(tracer),
            CursorSource::Index(i) => i.trace(tracer),
        }
    }
}

/// <https://w3c.github.io/IndexedDB/#cursor-construct>
pub struct IDBCursor<'js> {
    source: CursorSource<'js>,
    transaction: Dom<'js, IDBTransaction<'js>>,
    direction: Direction,
    range: KeyRange,
    position: RefCell<Option<KeyBytes>>,
    object_store_position: RefCell<Option<KeyBytes>>,
    /// The current key and primary key (encoded), and their values as returned (the same
    /// object until the cursor moves).
    key: RefCell<Option<KeyBytes>>,
    primary_key: RefCell<Option<KeyBytes>>,
    key_value: DomRefCell<Option<Value<'js>>>,
    primary_key_value: DomRefCell<Option<Value<'js>>>,
    value: DomRefCell<Option<Value<'js>>>,
    /// <https://w3c.github.io/IndexedDB/#cursor-got-value-flag>
    got_value: Cell<bool>,
    /// <https://w3c.github.io/IndexedDB/#cursor-key-only-flag>
    key_only: bool,
    request: DomRefCell<Option<Dom<'js, IDBRequest<'js>>>>,
    /// The effective store's key path when generated keys are put back into values.
    inject: Option<String>,
    /// The cursor's own reference (what requests' results are).
    self_ref: DomRefCell<Option<Dom<'js, IDBCursor<'js>>>>,
}

impl<'js> Trace<'js> for IDBCursor<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.source.trace(tracer);
        self.transaction.trace(tracer);
        self.key_value.trace(tracer);
        self.primary_key_value.trace(tracer);
        self.value.trace(tracer);
        self.request.trace(tracer);
        self.self_ref.trace(tracer);
    }
}

impl<'js> IDBCursor<'js> {
    pub fn new_inherited(
        source: CursorSource<'js>,
        transaction: &Dom<'js, IDBTransaction<'js>>,
        direction: Direction,
        range: KeyRange,
        key_only: bool,
        inject: Option<String>,
    ) -> IDBCursor<'js> {
        IDBCursor {
            source,
            transaction: transaction.clone(),
            direction,
            range,
            position: RefCell::new(None),
            object_store_position: RefCell::new(None),
            key: RefCell::new(None),
            primary_key: RefCell::new(None),
            key_value: DomRefCell::new(None),
            primary_key_value: DomRefCell::new(None),
            value: DomRefCell::new(None),
            got_value: Cell::new(false),
            key_only,
            request: DomRefCell::new(None),
            inject,
            self_ref: DomRefCell::new(None),
        }
    }

    /// A new cursor: an IDBCursorWithValue unless it is a key cursor.
    pub fn create(
        ctx: &Ctx<'js>,
        source: CursorSource<'js>,
        transaction: &Dom<'js, IDBTransaction<'js>>,
        direction: Direction,
        range: KeyRange,
        key_only: bool,
        inject: Option<String>,
    ) -> Fallible<Dom<'js, IDBCursor<'js>>> {
        let cursor =
            IDBCursor::new_inherited(source, transaction, direction, range, key_only, inject);
        let cursor: Dom<'js, IDBCursor<'js>> = if key_only {
            reflect_dom_object(ctx, cursor)?
        } else {
            reflect_dom_object(ctx, IDBCursorWithValue::new_inherited(cursor))?.upcast()
        };
        *cursor.self_ref.borrow_mut() = Some(cursor.clone());
        Ok(cursor)
    }

    pub fn set_request(&self, r: Dom<'js, IDBRequest<'js>>) {
        *self.request.borrow_mut() = Some(r);
    }

    pub fn value_(&self) -> Option<Value<'js>> {
        self.value.borrow().clone()
    }

    /// The effective object store handle.
    fn effective_store(&self) -> Dom<'js, IDBObjectStore<'js>> {
        match &self.source {
            CursorSource::Store(s) => s.clone(),
            CursorSource::Index(i) => i.store_(),
        }
    }

    fn source_deleted(&self) -> bool {
        match &self.source {
            CursorSource::Store(s) => s.is_deleted(),
            CursorSource::Index(i) => i.is_deleted(),
        }
    }

    /// The source of the requests that iterate this cursor.
    fn request_source(&self) -> RequestSource<'js> {
        match &self.source {
            CursorSource::Store(s) => RequestSource::Store(s.clone()),
            CursorSource::Index(i) => RequestSource::Index(i.clone()),
        }
    }

    fn service_source(&self) -> Source {
        match &self.source {
            CursorSource::Store(s) => Source::Store(s.store_id()),
            CursorSource::Index(i) => Source::Index(i.index_id()),
        }
    }

    /// The iterate operation found `found` (or nothing): the cursor moves there, and the
    /// request's result is the cursor (or null).
    pub fn moved(&self, ctx: &Ctx<'js>, found: Option<CursorRecord>) -> Fallible<Value<'js>> {
        let Some(found) = found else {
            // The end: key and value undefined, no value got.
            *self.key.borrow_mut() = None;
            *self.key_value.borrow_mut() = None;
            *self.primary_key.borrow_mut() = None;
            *self.primary_key_value.borrow_mut() = None;
            *self.value.borrow_mut() = None;
            return Ok(Value::new_null(ctx.clone()));
        };
        // Steps 7-12 of iterate a cursor: position, key, primary key, value, got value.
        *self.position.borrow_mut() = Some(found.key.clone());
        if matches!(self.source, CursorSource::Index(_)) {
            *self.object_store_position.borrow_mut() = Some(found.primary_key.clone());
        }
        *self.key_value.borrow_mut() = Some(key_bytes_to_value(ctx, &found.key)?);
        *self.primary_key_value.borrow_mut() = Some(key_bytes_to_value(ctx, &found.primary_key)?);
        *self.key.borrow_mut() = Some(found.key);
        let primary = found.primary_key;
        *self.primary_key.borrow_mut() = Some(primary.clone());
        if let Some(v) = found.value {
            let value = record_value(
                ctx,
                Record {
                    key: primary,
                    value: v,
                },
                self.inject.as_deref(),
            )?;
            *self.value.borrow_mut() = Some(value);
        }
        self.got_value.set(true);
        Ok(self.request_result())
    }

    /// The cursor as the request's result (its reflector).
    fn request_result(&self) -> Value<'js> {
        match self.self_ref.borrow().as_ref() {
            Some(c) => c.reflector().clone().into_value(),
            None => Value::new_null(self.transaction.reflector().ctx().clone()),
        }
    }

    /// The checks before a step (advance, continue, continuePrimaryKey).
    fn check_can_iterate(&self) -> Fallible<()> {
        // Transaction not active: "TransactionInactiveError".
        if !self.transaction.is_active() {
            return Err(inactive());
        }
        // Source or effective store deleted: "InvalidStateError".
        if self.source_deleted() || self.effective_store().is_deleted() {
            return Err(Error::invalid_state("the cursor's source has been deleted"));
        }
        // Got value false (iterating, or at the end): "InvalidStateError".
        if !self.got_value.get() {
            return Err(Error::invalid_state(
                "the cursor is iterating or at its end",
            ));
        }
        Ok(())
    }

    /// Places the iterate operation on the cursor's request again.
    fn iterate(
        &self,
        ctx: &Ctx<'js>,
        this: Dom<'js, IDBCursor<'js>>,
        key: Option<KeyBytes>,
        primary_key: Option<KeyBytes>,
        count: u32,
    ) -> Fallible<()> {
        // Set got value to false; the request is not done.
        self.got_value.set(false);
        let request = self.request.borrow().clone();
        let operation = Operation::Iterate {
            source: self.service_source(),
            range: self.range.clone(),
            direction: self.direction,
            position: self.position.borrow().clone(),
            object_store_position: self.object_store_position.borrow().clone(),
            key,
            primary_key,
            count,
            with_value: !self.key_only,
        };
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction,
            ctx,
            self.request_source(),
            operation,
            Expect::Cursor(this),
            request,
        )?;
        Ok(())
    }

    /// The checks before update() and delete().
    fn check_can_write(&self) -> Fallible<StoreInfo> {
        if !self.transaction.is_active() {
            return Err(inactive());
        }
        if self.transaction.mode_() == Mode::ReadOnly {
            return Err(Error::dom(
                DomErrorName::ReadOnlyError,
                "the transaction is read-only",
            ));
        }
        if self.source_deleted() || self.effective_store().is_deleted() {
            return Err(Error::invalid_state("the cursor's source has been deleted"));
        }
        if !self.got_value.get() {
            return Err(Error::invalid_state(
                "the cursor is iterating or at its end",
            ));
        }
        if self.key_only {
            return Err(Error::invalid_state("a key cursor has no value"));
        }
        self.effective_store().info()
    }

    /// The cursor's own reference.
    fn this(&self, _ctx: &Ctx<'js>) -> Fallible<Dom<'js, IDBCursor<'js>>> {
        self.self_ref
            .borrow()
            .clone()
            .ok_or_else(|| Error::invalid_state("the cursor is not reachable"))
    }
}

/// What openCursor() and openKeyCursor() of a store or an index do once their checks passed
/// (steps 6-10): a new cursor over `range` and the request that iterates it a first time,
/// whose source is the store or index.
pub fn open_a_cursor<'js>(
    ctx: &Ctx<'js>,
    source: CursorSource<'js>,
    transaction: &Dom<'js, IDBTransaction<'js>>,
    range: KeyRange,
    direction: Direction,
    key_only: bool,
    inject: Option<String>,
) -> Fallible<Dom<'js, IDBRequest<'js>>> {
    let cursor = IDBCursor::create(
        ctx,
        source,
        transaction,
        direction,
        range.clone(),
        key_only,
        inject,
    )?;
    let request = IDBTransaction::asynchronously_execute_a_request(
        transaction,
        ctx,
        cursor.request_source(),
        Operation::Iterate {
            source: cursor.service_source(),
            range,
            direction,
            position: None,
            object_store_position: None,
            key: None,
            primary_key: None,
            count: 1,
            with_value: !key_only,
        },
        Expect::Cursor(cursor.clone()),
        None,
    )?;
    cursor.set_request(request.clone());
    Ok(request)
}

impl<'js> IDBCursorMethods<'js> for IDBCursor<'js> {
    fn source(&self, _cx: &Cx<'js>) -> Fallible<IDBObjectStoreOrIDBIndex<'js>> {
        Ok(match &self.source {
            CursorSource::Store(s) => IDBObjectStoreOrIDBIndex::IDBObjectStore(s.clone()),
            CursorSource::Index(i) => IDBObjectStoreOrIDBIndex::IDBIndex(i.clone()),
        })
    }

    fn direction(&self, _cx: &Cx<'js>) -> Fallible<IDBCursorDirection> {
        Ok(match self.direction {
            Direction::Next => IDBCursorDirection::Next,
            Direction::NextUnique => IDBCursorDirection::Nextunique,
            Direction::Prev => IDBCursorDirection::Prev,
            Direction::PrevUnique => IDBCursorDirection::Prevunique,
        })
    }

    fn key(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .key_value
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }

    fn primaryKey(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .primary_key_value
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }

    fn request(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.request
            .borrow()
            .clone()
            .ok_or_else(|| Error::invalid_state("the cursor has no request"))
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbcursor-advance>
    fn advance(&self, cx: &Cx<'js>, count: u32) -> Fallible<()> {
        // Step 1. 0: TypeError.
        if count == 0 {
            return Err(Error::Type("advance() needs a count of at least 1".into()));
        }
        // Steps 2-5.
        self.check_can_iterate()?;
        // Steps 6-10. Iterate count times.
        let this = self.this(&cx.ctx)?;
        self.iterate(&cx.ctx, this, None, None, count)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbcursor-continue>
    fn r#continue(&self, cx: &Cx<'js>, key: Option<Value<'js>>) -> Fallible<()> {
        let ctx = &cx.ctx;
        // Steps 1-4.
        self.check_can_iterate()?;
        // Step 5. A key: valid, and beyond the position in the cursor's direction.
        let key = match key.filter(|k| !k.is_undefined()) {
            None => None,
            Some(k) => {
                let k = convert_a_value_to_a_key(ctx, &k)?
                    .ok_or_else(|| data_error("the key is not a valid key"))?
                    .encode();
                let position = self.position.borrow().clone().unwrap_or_default();
                let behind = match self.direction {
                    Direction::Next | Direction::NextUnique => k <= position,
                    Direction::Prev | Direction::PrevUnique => k >= position,
                };
                if behind {
                    return Err(data_error("the key is not beyond the cursor's position"));
                }
                Some(k)
            }
        };
        // Steps 6-9.
        let this = self.this(ctx)?;
        self.iterate(ctx, this, key, None, 1)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbcursor-continueprimarykey>
    fn continuePrimaryKey(
        &self,
        cx: &Cx<'js>,
        key: Value<'js>,
        primary_key: Value<'js>,
    ) -> Fallible<()> {
        let ctx = &cx.ctx;
        // Step 1. Transaction not active: "TransactionInactiveError".
        if !self.transaction.is_active() {
            return Err(inactive());
        }
        // Step 2. Source or effective store deleted: "InvalidStateError".
        if self.source_deleted() || self.effective_store().is_deleted() {
            return Err(Error::invalid_state("the cursor's source has been deleted"));
        }
        // Step 3. Not an index: "InvalidAccessError".
        if !matches!(self.source, CursorSource::Index(_)) {
            return Err(Error::dom(
                DomErrorName::InvalidAccessError,
                "continuePrimaryKey() is for index cursors",
            ));
        }
        // Step 4. Only next and prev: "InvalidAccessError".
        if !matches!(self.direction, Direction::Next | Direction::Prev) {
            return Err(Error::dom(
                DomErrorName::InvalidAccessError,
                "continuePrimaryKey() is for next and prev cursors",
            ));
        }
        // Step 5. Got value false: "InvalidStateError".
        if !self.got_value.get() {
            return Err(Error::invalid_state(
                "the cursor is iterating or at its end",
            ));
        }
        // Steps 6-9. Both valid keys.
        let key = convert_a_value_to_a_key(ctx, &key)?
            .ok_or_else(|| data_error("the key is not a valid key"))?
            .encode();
        let primary_key = convert_a_value_to_a_key(ctx, &primary_key)?
            .ok_or_else(|| data_error("the primary key is not a valid key"))?
            .encode();
        // Steps 10-11. Beyond the position (and object store position on the same key).
        let position = self.position.borrow().clone().unwrap_or_default();
        let store_position = self
            .object_store_position
            .borrow()
            .clone()
            .unwrap_or_default();
        let behind = match self.direction {
            Direction::Next => key < position || (key == position && primary_key <= store_position),
            _ => key > position || (key == position && primary_key >= store_position),
        };
        if behind {
            return Err(data_error("the key is not beyond the cursor's position"));
        }
        // Steps 12-15.
        let this = self.this(ctx)?;
        self.iterate(ctx, this, Some(key), Some(primary_key), 1)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbcursor-update>
    fn update(&self, cx: &Cx<'js>, value: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let ctx = &cx.ctx;
        // Steps 1-6.
        let info = self.check_can_write()?;
        // Steps 7-8. A clone of the value, made with the transaction inactive.
        let (clone, stored) = clone_during_transaction(ctx, &self.transaction, value)?;
        let primary = self.primary_key.borrow().clone().unwrap_or_default();
        // Step 9. In-line keys: the clone's key must be the cursor's primary key.
        if let Some(path) = &info.key_path {
            let same = match extract_a_key_from_a_value_using_a_key_path(ctx, &clone, path, false)?
            {
                Some(Some(k)) => k.encode() == primary,
                _ => false,
            };
            if !same {
                return Err(data_error(
                    "the value's key is not the cursor's primary key",
                ));
            }
        }
        // Steps 10-11. Store a record (overwriting) with the effective key.
        let index_keys = index_keys_of(ctx, &clone, &info)?;
        let this = self.this(ctx)?;
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction,
            ctx,
            RequestSource::Cursor(this),
            Operation::Put {
                store: info.id,
                key: Some(primary),
                value: stored,
                index_keys,
                no_overwrite: false,
            },
            Expect::Key,
            None,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbcursor-delete>
    fn delete(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let ctx = &cx.ctx;
        // Steps 1-6.
        let info = self.check_can_write()?;
        let primary = self.primary_key.borrow().clone().unwrap_or_default();
        // Steps 7-8. Delete the record at the effective key.
        let this = self.this(ctx)?;
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction,
            ctx,
            RequestSource::Cursor(this),
            Operation::Delete {
                store: info.id,
                range: KeyRange::only(primary),
            },
            Expect::Undefined,
            None,
        )
    }
}
