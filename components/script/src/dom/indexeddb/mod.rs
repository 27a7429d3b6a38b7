//! IndexedDB (<https://w3c.github.io/IndexedDB/>) in a global: the interfaces, and what
//! they share. The "in parallel" steps (the connection queue, version changes, transaction
//! scheduling and the storage operations) run in the profile's IndexedDB service, reached
//! through [`net_traits::indexed_db::IndexedDbService`]; its answers come back as tasks on
//! this global, in the order each transaction placed its requests.
//!
//! The global keeps, by id, what those tasks must find: its open connections, unfinished
//! transactions and pending requests ([`IdbGlobal`]).

pub mod cursor;
pub mod cursorwithvalue;
pub mod database;
pub mod factory;
pub mod index;
pub mod key_path;
pub mod keyrange;
pub mod keys;
pub mod objectstore;
pub mod opendbrequest;
pub mod request;
pub mod transaction;
pub mod values;
pub mod versionchangeevent;

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::GlobalScope;
use database::IDBDatabase;
use net_traits::indexed_db::{IdbError, IdbErrorName, IdbReply, IdbRequest};
use opendbrequest::IDBOpenDBRequest;
use request::IDBRequest;
use std::collections::HashMap;
use transaction::IDBTransaction;

/// What a global's IndexedDB objects need found again when the service answers.
#[derive(Default)]
pub struct IdbGlobal<'js> {
    /// `self.indexedDB` ([SameObject]).
    pub factory: Option<Dom<'js, factory::IDBFactory<'js>>>,
    /// Connections not yet closed, by connection id (where versionchange events go).
    pub connections: HashMap<u64, Dom<'js, IDBDatabase<'js>>>,
    /// Transactions not yet finished, by transaction id.
    pub transactions: HashMap<u64, Dom<'js, IDBTransaction<'js>>>,
    /// Requests placed and not yet processed, by this global's request number.
    pub requests: HashMap<u64, Dom<'js, IDBRequest<'js>>>,
    /// Open and delete requests awaiting the service, by request number.
    pub open_requests: HashMap<u64, Dom<'js, IDBOpenDBRequest<'js>>>,
    pub next_request: u64,
    /// Transactions whose "cleanup event loop" is this one: made inactive at the end of the
    /// microtask checkpoint.
    pub cleanup: Vec<u64>,
}

impl<'js> Trace<'js> for IdbGlobal<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.factory.trace(tracer);
        for v in self.connections.values() {
            v.trace(tracer);
        }
        for v in self.transactions.values() {
            v.trace(tracer);
        }
        for v in self.requests.values() {
            v.trace(tracer);
        }
        for v in self.open_requests.values() {
            v.trace(tracer);
        }
    }
}

/// The global the current realm belongs to.
pub(crate) fn global<'js>(ctx: &Ctx<'js>) -> Fallible<Dom<'js, GlobalScope<'js>>> {
    GlobalScope::current(ctx).ok_or_else(|| Error::invalid_state("IndexedDB needs a global"))
}

/// The profile's IndexedDB service and this global's storage key, or the error the API
/// gives where there is none (an opaque origin: "SecurityError").
pub(crate) fn service(
    global: &GlobalScope<'_>,
) -> Fallible<(
    std::sync::Arc<dyn net_traits::indexed_db::IndexedDbService>,
    String,
)> {
    let origin = global.info().origin.clone();
    if origin == "null" {
        return Err(Error::dom(
            DomErrorName::SecurityError,
            "an opaque origin has no IndexedDB",
        ));
    }
    let Some(service) = global.info().indexed_db.clone() else {
        return Err(Error::dom(
            DomErrorName::InvalidStateError,
            "this global has no IndexedDB storage",
        ));
    };
    Ok((service.0, origin))
}

/// What handles an answer of the service, in a task on the global (by an id it was sent
/// with).
pub(crate) type ReplyHandler = for<'a> fn(&Ctx<'a>, u64, IdbReply);

/// Sends `request`; each answer is handled by `handler(ctx, id, reply)` in a task on this
/// global (every answer of every request goes through the global's task queue in the order
/// the service gave them).
pub(crate) fn send(
    global: &GlobalScope<'_>,
    request: IdbRequest,
    id: u64,
    handler: ReplyHandler,
) -> Fallible<()> {
    let (service, key) = service(global)?;
    let tasks = global.info().tasks.clone();
    service.send(
        &key,
        request,
        Box::new(move |reply| {
            tasks.queue(move |ctx| handler(ctx, id, reply));
        }),
    );
    Ok(())
}

/// Sends `request` and ignores the answer (closing, aborting).
pub(crate) fn send_ignoring_reply(global: &GlobalScope<'_>, request: IdbRequest) {
    if let Ok((service, key)) = service(global) {
        service.send(&key, request, Box::new(|_| {}));
    }
}

/// Sends `request` and waits for its answer, blocking this thread: only for the schema
/// operations of an upgrade transaction, which has started and excludes every other
/// transaction of the database, so the service answers without waiting for anything.
pub(crate) fn call(global: &GlobalScope<'_>, request: IdbRequest) -> Fallible<IdbReply> {
    let (service, key) = service(global)?;
    let (tx, rx) = crossbeam_channel::bounded(1);
    service.send(
        &key,
        request,
        Box::new(move |reply| {
            let _ = tx.try_send(reply);
        }),
    );
    rx.recv().map_err(|_| {
        Error::dom(
            DomErrorName::UnknownError,
            "the IndexedDB service has stopped",
        )
    })
}

/// The DOMException an answer's error is.
pub(crate) fn error_of(e: &IdbError) -> Error {
    let name = match e.name {
        IdbErrorName::ConstraintError => DomErrorName::ConstraintError,
        IdbErrorName::DataError => DomErrorName::DataError,
        IdbErrorName::VersionError => DomErrorName::VersionError,
        IdbErrorName::QuotaExceededError => DomErrorName::QuotaExceededError,
        IdbErrorName::AbortError => DomErrorName::AbortError,
        IdbErrorName::UnknownError => DomErrorName::UnknownError,
        IdbErrorName::NotFoundError => DomErrorName::NotFoundError,
        IdbErrorName::InvalidStateError => DomErrorName::InvalidStateError,
    };
    Error::dom(name, &e.message)
}

/// A new DOMException object for `name` and `message`.
pub(crate) fn dom_exception<'js>(
    ctx: &Ctx<'js>,
    name: &str,
    message: &str,
) -> Fallible<Dom<'js, crate::dom::domexception::DOMException<'js>>> {
    reflect_dom_object(
        ctx,
        crate::dom::domexception::DOMException::new_inherited(message, name),
    )
}

/// The DOMException object an error is (its name and message).
pub(crate) fn exception_of<'js>(
    ctx: &Ctx<'js>,
    e: &Error,
) -> Fallible<Dom<'js, crate::dom::domexception::DOMException<'js>>> {
    match e {
        Error::Dom(name, message) => dom_exception(ctx, name.as_str(), message),
        other => dom_exception(ctx, "UnknownError", &format!("{other:?}")),
    }
}

/// <https://dom.spec.whatwg.org/#get-the-parent> for IndexedDB's event targets: a
/// request's transaction, a transaction's connection (`None`: not an IndexedDB object).
pub fn get_the_parent<'js>(value: &Value<'js>) -> Option<Option<Dom<'js, EventTarget<'js>>>> {
    if let Some(request) = <IDBRequest as DomInterface>::unwrap(value) {
        return Some(request.transaction_().map(|t| t.upcast::<EventTarget>()));
    }
    if let Some(transaction) = <IDBTransaction as DomInterface>::unwrap(value) {
        return Some(Some(transaction.db_().upcast::<EventTarget>()));
    }
    None
}

/// <https://w3c.github.io/IndexedDB/#cleanup-indexed-database-transactions>, at the end of
/// a microtask checkpoint: each transaction made in it becomes inactive; one with no
/// request left can never become active again, so it commits.
pub fn cleanup_indexed_database_transactions(ctx: &Ctx<'_>) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let ids = std::mem::take(&mut global.indexed_db.borrow_mut().cleanup);
    for id in ids {
        let transaction = global.indexed_db.borrow().transactions.get(&id).cloned();
        if let Some(t) = transaction {
            t.cleanup(ctx);
        }
    }
}

/// The global ends: its transactions are aborted and its connections closed, so the
/// service never waits for them.
pub fn close_all(global: &GlobalScope<'_>) {
    let mut state = global.indexed_db.borrow_mut();
    for (id, _) in state.transactions.drain() {
        send_ignoring_reply(
            global,
            IdbRequest::Abort {
                transaction: net_traits::indexed_db::TransactionId(id),
            },
        );
    }
    for (id, _) in state.connections.drain() {
        send_ignoring_reply(
            global,
            IdbRequest::Close {
                connection: net_traits::indexed_db::ConnectionId(id),
            },
        );
    }
    state.requests.clear();
    state.open_requests.clear();
    state.factory = None;
}

/// Sorts names in code unit order (DOMStringList's of store and index names; a name may
/// hold lone surrogates, escaped as `bindings::domstring` does).
pub(crate) fn sort_by_code_units(names: &mut [String]) {
    use crate::dom::bindings::domstring::utf16;
    names.sort_by_cached_key(|n| utf16(n));
}
