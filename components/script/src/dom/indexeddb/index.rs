//! <https://w3c.github.io/IndexedDB/#index-interface>: an index handle (an index as one
//! store handle sees it).

use super::cursor::{open_a_cursor, CursorSource};
use super::key_path::key_path_to_value;
use super::keys::convert_a_value_to_a_key_range;
use super::objectstore::{
    count_limit, direction_of, inactive, inject_path, optional_range, IDBObjectStore,
};
use super::request::{Expect, IDBRequest, RequestSource};
use super::transaction::IDBTransaction;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBCursorDirection;
use crate::dom::bindings::codegen::IDBIndexBinding::IDBIndexMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use net_traits::indexed_db::{IdbReply, IdbRequest, IndexInfo, Operation, Source, StoreInfo};
use std::cell::{Cell, RefCell};

/// <https://w3c.github.io/IndexedDB/#index-handle-construct>
pub struct IDBIndex<'js> {
    index_id: i64,
    name: RefCell<String>,
    store: Dom<'js, IDBObjectStore<'js>>,
    deleted: Cell<bool>,
    key_path_value: DomRefCell<Option<Value<'js>>>,
}

impl<'js> Trace<'js> for IDBIndex<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.store.trace(tracer);
        self.key_path_value.trace(tracer);
    }
}

impl<'js> IDBIndex<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        store: &Dom<'js, IDBObjectStore<'js>>,
        index: &IndexInfo,
    ) -> Fallible<Dom<'js, IDBIndex<'js>>> {
        reflect_dom_object(
            ctx,
            IDBIndex {
                index_id: index.id,
                name: RefCell::new(index.name.clone()),
                store: store.clone(),
                deleted: Cell::new(false),
                key_path_value: DomRefCell::new(None),
            },
        )
    }

    pub fn index_id(&self) -> i64 {
        self.index_id
    }
    pub fn is_deleted(&self) -> bool {
        self.deleted.get() || self.store.is_deleted()
    }
    pub fn mark_deleted(&self) {
        self.deleted.set(true);
    }
    pub fn store_(&self) -> Dom<'js, IDBObjectStore<'js>> {
        self.store.clone()
    }
    fn transaction_(&self) -> Dom<'js, IDBTransaction<'js>> {
        self.store.transaction_()
    }

    /// Abort of an upgrade transaction: the name as it was (an index created by it is
    /// deleted).
    pub fn revert(&self, store: &StoreInfo) {
        match store.indexes.iter().find(|i| i.id == self.index_id) {
            Some(i) => {
                *self.name.borrow_mut() = i.name.clone();
                self.deleted.set(false);
            }
            None => self.deleted.set(true),
        }
    }

    /// The index and its store as the connection sees them now.
    pub fn info(&self) -> Fallible<(IndexInfo, StoreInfo)> {
        let store = self.store.info()?;
        let index = store
            .indexes
            .iter()
            .find(|i| i.id == self.index_id)
            .cloned()
            .ok_or_else(|| Error::invalid_state("the index has been deleted"))?;
        Ok((index, store))
    }

    /// "If index or index's object store has been deleted, throw InvalidStateError; if
    /// transaction is not active, throw TransactionInactiveError".
    fn check_usable(&self) -> Fallible<(IndexInfo, StoreInfo)> {
        if self.is_deleted() {
            return Err(Error::invalid_state("the index has been deleted"));
        }
        let info = self.info()?;
        if !self.transaction_().is_active() {
            return Err(inactive());
        }
        Ok(info)
    }

    /// Its own reference (from its store handle).
    fn this(&self, ctx: &Ctx<'js>) -> Fallible<Dom<'js, IDBIndex<'js>>> {
        let (index, _) = self.info()?;
        self.store.index_handle(ctx, &index)
    }

    fn place(
        &self,
        ctx: &Ctx<'js>,
        operation: Operation,
        expect: Expect<'js>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let this = self.this(ctx)?;
        IDBTransaction::asynchronously_execute_a_request(
            &self.transaction_(),
            ctx,
            RequestSource::Index(this),
            operation,
            expect,
            None,
        )
    }

    fn open_cursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
        key_only: bool,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let ctx = &cx.ctx;
        let (_, store) = self.check_usable()?;
        let range = optional_range(ctx, query.as_ref())?;
        let this = self.this(ctx)?;
        open_a_cursor(
            ctx,
            CursorSource::Index(this),
            &self.transaction_(),
            range,
            direction_of(direction),
            key_only,
            inject_path(&store),
        )
    }
}

impl<'js> IDBIndexMethods<'js> for IDBIndex<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.borrow().clone())
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-name>
    fn set_name(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let name = value.to_string();
        let transaction = self.transaction_();
        // Step 4. Not an upgrade transaction: "InvalidStateError".
        if !transaction.is_upgrade() {
            return Err(Error::invalid_state(
                "indexes are renamed in upgrade transactions only",
            ));
        }
        // Step 5. Not active: "TransactionInactiveError".
        if !transaction.is_active() {
            return Err(inactive());
        }
        // Step 6. Deleted: "InvalidStateError".
        if self.is_deleted() {
            return Err(Error::invalid_state("the index has been deleted"));
        }
        // Step 7. The same name: nothing.
        if *self.name.borrow() == name {
            return Ok(());
        }
        // Step 8. Another index of the store has it: "ConstraintError".
        let (_, store) = self.info()?;
        if store.indexes.iter().any(|i| i.name == name) {
            return Err(Error::dom(
                DomErrorName::ConstraintError,
                format!("an index named {name:?} exists"),
            ));
        }
        // Steps 9-10. Rename the index and the handle.
        let global = super::global(&cx.ctx)?;
        if self.index_id >= 0 {
            if let IdbReply::Failed(e) = super::call(
                &global,
                IdbRequest::Run {
                    transaction: transaction.id(),
                    operation: Operation::RenameIndex {
                        index: self.index_id,
                        name: name.clone(),
                    },
                },
            )? {
                return Err(super::error_of(&e));
            }
        }
        let id = self.index_id;
        transaction.db_().edit_store(self.store.store_id(), |s| {
            if let Some(i) = s.indexes.iter_mut().find(|i| i.id == id) {
                i.name = name.clone();
            }
        });
        *self.name.borrow_mut() = name;
        Ok(())
    }

    fn objectStore(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        Ok(self.store.clone())
    }

    fn keyPath(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        if let Some(v) = self.key_path_value.borrow().as_ref() {
            return Ok(v.clone());
        }
        let (index, _) = self.info()?;
        let v = key_path_to_value(&cx.ctx, Some(&index.key_path))?;
        *self.key_path_value.borrow_mut() = Some(v.clone());
        Ok(v)
    }

    fn multiEntry(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.info().map(|(i, _)| i.multi_entry).unwrap_or(false))
    }

    fn unique(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.info().map(|(i, _)| i.unique).unwrap_or(false))
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-get>
    fn get(&self, cx: &Cx<'js>, query: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let (_, store) = self.check_usable()?;
        let range = convert_a_value_to_a_key_range(&cx.ctx, Some(&query), true)?;
        self.place(
            &cx.ctx,
            Operation::Get {
                source: Source::Index(self.index_id),
                range,
            },
            Expect::Value {
                inject: inject_path(&store),
            },
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-getkey>
    fn getKey(&self, cx: &Cx<'js>, query: Value<'js>) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.check_usable()?;
        let range = convert_a_value_to_a_key_range(&cx.ctx, Some(&query), true)?;
        self.place(
            &cx.ctx,
            Operation::GetKey {
                source: Source::Index(self.index_id),
                range,
            },
            Expect::Key,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-getall>
    fn getAll(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        count: Option<u32>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let (_, store) = self.check_usable()?;
        let range = optional_range(&cx.ctx, query.as_ref())?;
        self.place(
            &cx.ctx,
            Operation::GetAll {
                source: Source::Index(self.index_id),
                range,
                count: count_limit(count),
            },
            Expect::Values {
                inject: inject_path(&store),
            },
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-getallkeys>
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
                source: Source::Index(self.index_id),
                range,
                count: count_limit(count),
            },
            Expect::Keys,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-count>
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
                source: Source::Index(self.index_id),
                range,
            },
            Expect::Count,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-opencursor>
    fn openCursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.open_cursor(cx, query, direction, false)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbindex-openkeycursor>
    fn openKeyCursor(
        &self,
        cx: &Cx<'js>,
        query: Option<Value<'js>>,
        direction: IDBCursorDirection,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        self.open_cursor(cx, query, direction, true)
    }
}
