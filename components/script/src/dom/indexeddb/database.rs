//! <https://w3c.github.io/IndexedDB/#database-interface>: a connection to a database, with
//! its view of the object stores (changed only by its upgrade transaction).

use super::key_path::{is_valid_key_path, key_path_from_idl};
use super::objectstore::IDBObjectStore;
use super::transaction::IDBTransaction;
use super::versionchangeevent::IDBVersionChangeEvent;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBDatabaseBinding::IDBDatabaseMethods;
use crate::dom::bindings::codegen::{
    IDBObjectStoreParameters, IDBTransactionMode, IDBTransactionOptions, StringOrStringSequence,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::domstringlist::DOMStringList;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use net_traits::indexed_db::{
    ConnectionEvent, ConnectionId, DatabaseInfo, IdbReply, IdbRequest, IndexInfo, KeyPath, Mode,
    Operation, StoreInfo, TransactionId,
};
use std::cell::{Cell, RefCell};

/// <https://w3c.github.io/IndexedDB/#connection>
pub struct IDBDatabase<'js> {
    event_target: EventTarget<'js>,
    id: ConnectionId,
    /// The database's name, version and object store set as this connection sees them.
    info: RefCell<DatabaseInfo>,
    /// <https://w3c.github.io/IndexedDB/#connection-close-pending-flag>
    close_pending: Cell<bool>,
    /// The live upgrade transaction, if any.
    upgrade_transaction: DomRefCell<Option<Dom<'js, IDBTransaction<'js>>>>,
}

impl<'js> HasParent<'js> for IDBDatabase<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for IDBDatabase<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.upgrade_transaction.trace(tracer);
    }
}

impl<'js> IDBDatabase<'js> {
    /// A connection the service opened, known to the global until it closes.
    pub fn create(
        ctx: &Ctx<'js>,
        id: ConnectionId,
        info: DatabaseInfo,
    ) -> Fallible<Dom<'js, IDBDatabase<'js>>> {
        let global = super::global(ctx)?;
        let db = reflect_dom_object(
            ctx,
            IDBDatabase {
                event_target: EventTarget::new_inherited(),
                id,
                info: RefCell::new(info),
                close_pending: Cell::new(false),
                upgrade_transaction: DomRefCell::new(None),
            },
        )?;
        global
            .indexed_db
            .borrow_mut()
            .connections
            .insert(id.0, db.clone());
        Ok(db)
    }

    pub fn id(&self) -> ConnectionId {
        self.id
    }
    pub fn info(&self) -> DatabaseInfo {
        self.info.borrow().clone()
    }
    pub fn is_close_pending(&self) -> bool {
        self.close_pending.get()
    }
    pub fn store_info(&self, name: &str) -> Option<StoreInfo> {
        self.info
            .borrow()
            .stores
            .iter()
            .find(|s| s.name == name)
            .cloned()
    }
    pub fn store_info_by_id(&self, id: i64) -> Option<StoreInfo> {
        self.info
            .borrow()
            .stores
            .iter()
            .find(|s| s.id == id)
            .cloned()
    }
    pub fn store_names(&self) -> Vec<String> {
        self.info
            .borrow()
            .stores
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }
    pub fn set_upgrade_transaction(&self, t: Option<Dom<'js, IDBTransaction<'js>>>) {
        *self.upgrade_transaction.borrow_mut() = t;
    }
    /// Abort of the upgrade transaction: the version and stores as they were.
    pub fn revert_to(&self, info: DatabaseInfo) {
        *self.info.borrow_mut() = info;
    }
    /// Changes this connection's view of store `id` (its upgrade transaction changed it).
    pub fn edit_store(&self, id: i64, f: impl FnOnce(&mut StoreInfo)) {
        if let Some(s) = self
            .info
            .borrow_mut()
            .stores
            .iter_mut()
            .find(|s| s.id == id)
        {
            f(s);
        }
    }
    pub fn remove_store(&self, id: i64) {
        self.info.borrow_mut().stores.retain(|s| s.id != id);
    }
    pub fn add_index(&self, store: i64, index: IndexInfo) {
        self.edit_store(store, |s| s.indexes.push(index));
    }

    /// A transaction of this connection finished.
    pub fn transaction_finished(&self, t: &Dom<'js, IDBTransaction<'js>>) {
        let is_upgrade = self
            .upgrade_transaction
            .borrow()
            .as_ref()
            .is_some_and(|u| u.ptr_eq(t));
        if is_upgrade {
            *self.upgrade_transaction.borrow_mut() = None;
        }
    }

    /// The upgrade transaction, if it is live, or the errors the schema methods throw.
    fn live_upgrade_transaction(&self) -> Fallible<Dom<'js, IDBTransaction<'js>>> {
        let t = self.upgrade_transaction.borrow().clone();
        // (An aborted upgrade transaction stays the connection's until its abort event.)
        let t =
            t.ok_or_else(|| Error::invalid_state("the database is not in an upgrade transaction"))?;
        if !t.is_active() {
            return Err(Error::dom(
                DomErrorName::TransactionInactiveError,
                "the upgrade transaction is not active",
            ));
        }
        Ok(t)
    }

    /// <https://w3c.github.io/IndexedDB/#close-a-database-connection>
    pub fn close_a_database_connection(&self, global: &GlobalScope<'js>) {
        // Step 1. Set the close pending flag (the service waits for the transactions).
        if self.close_pending.replace(true) {
            return;
        }
        global
            .indexed_db
            .borrow_mut()
            .connections
            .remove(&self.id.0);
        super::send_ignoring_reply(
            global,
            IdbRequest::Close {
                connection: self.id,
            },
        );
    }
}

/// The service's event for connection `id`, in a task on its global: versionchange fires
/// at it unless it is closing, then the service hears that it was dispatched.
pub fn connection_event(ctx: &Ctx<'_>, id: u64, event: ConnectionEvent) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let ConnectionEvent::VersionChange {
        old_version,
        new_version,
    } = event;
    let connection = global.indexed_db.borrow().connections.get(&id).cloned();
    if let Some(db) = connection.filter(|db| !db.is_close_pending()) {
        let fired =
            IDBVersionChangeEvent::new_trusted(ctx, "versionchange", old_version, new_version)
                .and_then(|e| eventtarget::dispatch(ctx, &e.upcast(), &db.upcast::<EventTarget>()));
        if let Err(e) = fired {
            GlobalScope::report_error(ctx, e);
        }
    }
    super::send_ignoring_reply(
        &global,
        IdbRequest::VersionChangeFired {
            connection: ConnectionId(id),
        },
    );
}

impl<'js> IDBDatabaseMethods<'js> for IDBDatabase<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.info.borrow().name.clone())
    }

    fn version(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.info.borrow().version)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-objectstorenames>
    fn objectStoreNames(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, DOMStringList<'js>>> {
        let mut names = self.store_names();
        super::sort_by_code_units(&mut names);
        DOMStringList::new(&cx.ctx, names)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-transaction>
    fn transaction(
        &self,
        cx: &Cx<'js>,
        store_names: StringOrStringSequence,
        mode: IDBTransactionMode,
        options: IDBTransactionOptions,
    ) -> Fallible<Dom<'js, IDBTransaction<'js>>> {
        // Step 1. A live upgrade transaction: "InvalidStateError".
        if self
            .upgrade_transaction
            .borrow()
            .as_ref()
            .is_some_and(|t| !t.is_finished())
        {
            return Err(Error::invalid_state("an upgrade transaction is running"));
        }
        // Step 2. Close pending: "InvalidStateError".
        if self.close_pending.get() {
            return Err(Error::invalid_state("the connection is closing"));
        }
        // Step 3. scope: the names, without duplicates.
        let mut scope: Vec<String> = match store_names {
            StringOrStringSequence::String(s) => vec![s.to_string()],
            StringOrStringSequence::StringSequence(v) => {
                v.into_iter().map(|s| s.to_string()).collect()
            }
        };
        scope.sort();
        scope.dedup();
        // Step 4. Every name must be a store's: "NotFoundError".
        if let Some(missing) = scope.iter().find(|n| self.store_info(n).is_none()) {
            return Err(Error::dom(
                DomErrorName::NotFoundError,
                format!("no object store named {missing:?}"),
            ));
        }
        // Step 5. An empty scope: "InvalidAccessError".
        if scope.is_empty() {
            return Err(Error::dom(
                DomErrorName::InvalidAccessError,
                "a transaction needs at least one object store",
            ));
        }
        // Step 6. Only readonly and readwrite: TypeError.
        let mode = match mode {
            IDBTransactionMode::Readonly => Mode::ReadOnly,
            IDBTransactionMode::Readwrite => Mode::ReadWrite,
            IDBTransactionMode::Versionchange => {
                return Err(Error::Type(
                    "a transaction cannot be made in versionchange mode".into(),
                ))
            }
        };
        // Steps 7-9. The transaction, with the durability hint; its cleanup event loop is
        // the current one.
        let global = super::global(&cx.ctx)?;
        let (service, _) = super::service(&global)?;
        let this = global
            .indexed_db
            .borrow()
            .connections
            .get(&self.id.0)
            .cloned()
            .ok_or_else(|| Error::invalid_state("the connection is closed"))?;
        IDBTransaction::create(
            &cx.ctx,
            &this,
            TransactionId(service.next_id()),
            mode,
            options.durability,
            scope,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-close>
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        let global = super::global(&cx.ctx)?;
        self.close_a_database_connection(&global);
        Ok(())
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-createobjectstore>
    fn createObjectStore(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
        options: IDBObjectStoreParameters,
    ) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        // Steps 1-4. The upgrade transaction, live and active.
        let transaction = self.live_upgrade_transaction()?;
        // Step 5. keyPath. Step 6. Not a valid key path: "SyntaxError".
        let key_path = options.keyPath.map(key_path_from_idl);
        if let Some(p) = &key_path {
            if !is_valid_key_path(p) {
                return Err(Error::dom(
                    DomErrorName::SyntaxError,
                    "the key path is not valid",
                ));
            }
        }
        // Step 7. A store of that name exists: "ConstraintError".
        if self.store_info(&name).is_some() {
            return Err(Error::dom(
                DomErrorName::ConstraintError,
                format!("an object store named {name:?} exists"),
            ));
        }
        // Step 8-9. autoIncrement with an empty or sequence key path: "InvalidAccessError".
        let auto_increment = options.autoIncrement;
        let empty_or_sequence = match &key_path {
            Some(KeyPath::String(s)) => s.is_empty(),
            Some(KeyPath::Sequence(_)) => true,
            None => false,
        };
        if auto_increment && empty_or_sequence {
            return Err(Error::dom(
                DomErrorName::InvalidAccessError,
                "a store with a key generator cannot have an empty or sequence key path",
            ));
        }
        // Step 10. The store, created in the database (by the service, in the transaction).
        let global = super::global(&cx.ctx)?;
        let id = match super::call(
            &global,
            IdbRequest::Run {
                transaction: transaction.id(),
                operation: Operation::CreateObjectStore {
                    name: name.to_string(),
                    key_path: key_path.clone(),
                    auto_increment,
                },
            },
        )? {
            IdbReply::StoreCreated(id) => id,
            IdbReply::Failed(e) => return Err(super::error_of(&e)),
            other => {
                return Err(Error::dom(
                    DomErrorName::UnknownError,
                    format!("unexpected answer: {other:?}"),
                ))
            }
        };
        self.info.borrow_mut().stores.push(StoreInfo {
            id,
            name: name.to_string(),
            key_path,
            auto_increment,
            indexes: Vec::new(),
        });
        // Step 11. A new handle for the store and transaction.
        IDBTransaction::handle_for(&transaction, &cx.ctx, &name)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbdatabase-deleteobjectstore>
    fn deleteObjectStore(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<()> {
        // Steps 1-4. The upgrade transaction, live and active.
        let transaction = self.live_upgrade_transaction()?;
        // Step 5. No such store: "NotFoundError".
        let store = self.store_info(&name).ok_or_else(|| {
            Error::dom(
                DomErrorName::NotFoundError,
                format!("no object store named {name:?}"),
            )
        })?;
        // Step 6. Remove it from this connection's object store set (and its handles are
        // deleted).
        self.remove_store(store.id);
        transaction.store_deleted(store.id);
        // Step 7. Destroy the store (the service, in the transaction).
        let global = super::global(&cx.ctx)?;
        match super::call(
            &global,
            IdbRequest::Run {
                transaction: transaction.id(),
                operation: Operation::DeleteObjectStore { store: store.id },
            },
        )? {
            IdbReply::Failed(e) => Err(super::error_of(&e)),
            _ => Ok(()),
        }
    }
}
