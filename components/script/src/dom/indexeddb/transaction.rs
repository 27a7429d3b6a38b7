//! <https://w3c.github.io/IndexedDB/#transaction>: a transaction's state machine (active,
//! inactive, committing, finished), its request list, committing and aborting.

use super::database::IDBDatabase;
use super::objectstore::IDBObjectStore;
use super::opendbrequest::IDBOpenDBRequest;
use super::request::{Expect, IDBRequest, RequestSource};
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBTransactionBinding::IDBTransactionMethods;
use crate::dom::bindings::codegen::{IDBTransactionDurability, IDBTransactionMode};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::domexception::DOMException;
use crate::dom::domstringlist::DOMStringList;
use crate::dom::event::Event;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use net_traits::indexed_db::{
    ConnectionId, DatabaseInfo, IdbReply, IdbRequest, Mode, Operation, TransactionId,
};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

/// <https://w3c.github.io/IndexedDB/#transaction-state>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Active,
    Inactive,
    Committing,
    Finished,
}

/// <https://w3c.github.io/IndexedDB/#transaction-construct>
pub struct IDBTransaction<'js> {
    event_target: EventTarget<'js>,
    id: TransactionId,
    connection: Dom<'js, IDBDatabase<'js>>,
    mode: Mode,
    durability: IDBTransactionDurability,
    /// The scope: store names (for an upgrade transaction, every store, as they change).
    scope: RefCell<Vec<String>>,
    state: Cell<State>,
    error: DomRefCell<Option<Dom<'js, DOMException<'js>>>>,
    /// The request list: placed and not yet processed, in order.
    requests: DomRefCell<VecDeque<Dom<'js, IDBRequest<'js>>>>,
    /// The object store handles made in this transaction (one per store).
    handles: DomRefCell<Vec<Dom<'js, IDBObjectStore<'js>>>>,
    /// An upgrade transaction's open request.
    open_request: DomRefCell<Option<Dom<'js, IDBOpenDBRequest<'js>>>>,
    /// An upgrade transaction's database as it was (reverted to on abort).
    before: RefCell<Option<DatabaseInfo>>,
    /// An error that, found in parallel (a unique index over duplicate records), aborts
    /// the transaction instead of letting it commit.
    doomed: RefCell<Option<Error>>,
    /// The last request number placed before the failure (those were answered normally).
    doomed_after: Cell<u64>,
    /// The service was asked to commit (once every request was answered).
    commit_sent: Cell<bool>,
}

impl<'js> HasParent<'js> for IDBTransaction<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for IDBTransaction<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.connection.trace(tracer);
        self.error.trace(tracer);
        self.requests.trace(tracer);
        self.handles.trace(tracer);
        self.open_request.trace(tracer);
    }
}

impl<'js> IDBTransaction<'js> {
    /// A new transaction of `connection` (the service is told, except for an upgrade
    /// transaction, which the service began itself); its cleanup event loop is this one.
    pub fn create(
        ctx: &Ctx<'js>,
        connection: &Dom<'js, IDBDatabase<'js>>,
        id: TransactionId,
        mode: Mode,
        durability: IDBTransactionDurability,
        scope: Vec<String>,
    ) -> Fallible<Dom<'js, IDBTransaction<'js>>> {
        let global = super::global(ctx)?;
        let store_ids = scope
            .iter()
            .filter_map(|name| connection.store_info(name).map(|s| s.id))
            .collect();
        let t = reflect_dom_object(
            ctx,
            IDBTransaction {
                event_target: EventTarget::new_inherited(),
                id,
                connection: connection.clone(),
                mode,
                durability,
                scope: RefCell::new(scope),
                state: Cell::new(State::Active),
                error: DomRefCell::new(None),
                requests: DomRefCell::new(VecDeque::new()),
                handles: DomRefCell::new(Vec::new()),
                open_request: DomRefCell::new(None),
                before: RefCell::new(None),
                doomed: RefCell::new(None),
                doomed_after: Cell::new(u64::MAX),
                commit_sent: Cell::new(false),
            },
        )?;
        {
            let mut state = global.indexed_db.borrow_mut();
            state.transactions.insert(id.0, t.clone());
            state.cleanup.push(id.0);
        }
        if mode != Mode::VersionChange {
            super::send_ignoring_reply(
                &global,
                IdbRequest::Begin {
                    connection: ConnectionId(connection.id().0),
                    transaction: id,
                    mode,
                    scope: store_ids,
                },
            );
        }
        Ok(t)
    }

    pub fn id(&self) -> TransactionId {
        self.id
    }
    pub fn db_(&self) -> Dom<'js, IDBDatabase<'js>> {
        self.connection.clone()
    }
    pub fn mode_(&self) -> Mode {
        self.mode
    }
    pub fn state(&self) -> State {
        self.state.get()
    }
    pub fn is_finished(&self) -> bool {
        self.state.get() == State::Finished
    }
    pub fn is_active(&self) -> bool {
        self.state.get() == State::Active
    }
    pub fn is_upgrade(&self) -> bool {
        self.mode == Mode::VersionChange
    }
    pub fn set_open_request(&self, r: Dom<'js, IDBOpenDBRequest<'js>>) {
        *self.open_request.borrow_mut() = Some(r);
    }
    pub fn set_before(&self, info: DatabaseInfo) {
        *self.before.borrow_mut() = Some(info);
    }
    pub fn in_scope(&self, name: &str) -> bool {
        self.scope.borrow().iter().any(|n| n == name)
    }
    /// An upgrade transaction's scope follows the stores created, renamed and deleted.
    pub fn set_scope(&self, scope: Vec<String>) {
        *self.scope.borrow_mut() = scope;
    }
    pub fn set_inactive(&self) {
        if self.state.get() == State::Active {
            self.state.set(State::Inactive);
        }
    }
    /// Inactive -> active (while a request's event is dispatched).
    pub fn activate(&self) {
        if self.state.get() == State::Inactive {
            self.state.set(State::Active);
        }
    }
    /// Active -> inactive; whether it was active.
    pub fn deactivate(&self) -> bool {
        let was = self.state.get() == State::Active;
        if was {
            self.state.set(State::Inactive);
        }
        was
    }

    /// The object store handle for store `name` in this transaction (one per store).
    pub fn handle_for(
        this: &Dom<'js, IDBTransaction<'js>>,
        ctx: &Ctx<'js>,
        name: &str,
    ) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        if let Some(h) = this
            .handles
            .borrow()
            .iter()
            .find(|h| h.name_() == name && !h.is_deleted())
        {
            return Ok(h.clone());
        }
        let info = this.connection.store_info(name).ok_or_else(|| {
            Error::dom(
                DomErrorName::NotFoundError,
                format!("no object store named {name:?}"),
            )
        })?;
        let h = IDBObjectStore::create(ctx, this, info.id, name)?;
        this.handles.borrow_mut().push(h.clone());
        Ok(h)
    }

    /// <https://w3c.github.io/IndexedDB/#asynchronously-execute-a-request>: places
    /// `operation` (steps 1-4: the request joins the request list and goes to the
    /// service); the answer fires the request's event later.
    pub fn asynchronously_execute_a_request(
        this: &Dom<'js, IDBTransaction<'js>>,
        ctx: &Ctx<'js>,
        source: RequestSource<'js>,
        operation: Operation,
        expect: Expect<'js>,
        request: Option<Dom<'js, IDBRequest<'js>>>,
    ) -> Fallible<Dom<'js, IDBRequest<'js>>> {
        let global = super::global(ctx)?;
        // Step 2. Assert: transaction's state is active.
        // Step 3. The request given (a cursor's), or a new request with source.
        let request = match request {
            Some(r) => {
                r.reset();
                r
            }
            None => {
                let r = reflect_dom_object(ctx, IDBRequest::new_inherited())?;
                r.set_source(Some(source));
                r
            }
        };
        request.set_transaction(Some(this.clone()));
        request.set_expect(expect);
        // Step 4. Append request to transaction's request list.
        this.requests.borrow_mut().push_back(request.clone());
        let id = {
            let mut state = global.indexed_db.borrow_mut();
            state.next_request += 1;
            let id = state.next_request;
            state.requests.insert(id, request.clone());
            id
        };
        request.set_id(id);
        // Step 5. Run the operation in parallel (the service, in the transaction's order).
        global.awaiting_reply();
        super::send(
            &global,
            IdbRequest::Run {
                transaction: this.id,
                operation,
            },
            id,
            super::request::request_answered,
        )?;
        Ok(request)
    }

    /// Store `id` was deleted in this (upgrade) transaction: its handle is marked deleted.
    pub fn store_deleted(&self, id: i64) {
        for h in self.handles.borrow().iter().filter(|h| h.store_id() == id) {
            h.mark_deleted();
        }
    }

    /// The request was answered: it leaves the request list.
    pub fn remove_request(&self, request: &Dom<'js, IDBRequest<'js>>) {
        let mut requests = self.requests.borrow_mut();
        // Answers come in the order requests were placed: it is the first, but for the
        // schema operations' internal ones.
        if requests.front().is_some_and(|r| r.ptr_eq(request)) {
            requests.pop_front();
        } else {
            requests.retain(|r| !r.ptr_eq(request));
        }
    }

    /// The cleanup event loop's steps: inactive, and committed if nothing is pending.
    pub fn cleanup(&self, ctx: &Ctx<'js>) {
        self.set_inactive();
        self.maybe_auto_commit(ctx);
    }

    /// An inactive transaction with an empty request list can never become active again:
    /// the user agent commits it.
    pub fn maybe_auto_commit(&self, ctx: &Ctx<'js>) {
        let result = match self.state.get() {
            State::Inactive if self.requests.borrow().is_empty() => self.commit_a_transaction(ctx),
            State::Committing => self.send_commit_when_ready(ctx),
            _ => Ok(()),
        };
        if let Err(e) = result {
            GlobalScope::report_error(ctx, e);
        }
    }

    /// The transaction failed in parallel with `e` (the service rolled it back): it aborts
    /// with `e` at the next answer or when it would commit.
    pub fn doom(&self, ctx: &Ctx<'js>, e: Error) {
        *self.doomed.borrow_mut() = Some(e);
        if let Ok(global) = super::global(ctx) {
            self.doomed_after
                .set(global.indexed_db.borrow().next_request);
            super::send_ignoring_reply(
                &global,
                IdbRequest::Abort {
                    transaction: self.id,
                },
            );
        }
    }

    /// Aborts with the error the transaction was doomed by if request `id` was placed after
    /// the failure; whether it did.
    pub fn abort_if_doomed_before(&self, ctx: &Ctx<'js>, id: u64) -> Fallible<bool> {
        if id <= self.doomed_after.get() {
            return Ok(false);
        }
        self.abort_if_doomed(ctx)
    }

    /// Aborts with the error the transaction was doomed by; whether it was.
    pub fn abort_if_doomed(&self, ctx: &Ctx<'js>) -> Fallible<bool> {
        let Some(e) = self.doomed.borrow_mut().take() else {
            return Ok(false);
        };
        let error = super::exception_of(ctx, &e)?;
        self.abort_a_transaction(ctx, Some(error))?;
        Ok(true)
    }

    /// <https://w3c.github.io/IndexedDB/#commit-a-transaction>
    pub fn commit_a_transaction(&self, ctx: &Ctx<'js>) -> Fallible<()> {
        if self.abort_if_doomed(ctx)? {
            return Ok(());
        }
        // Step 1. Set transaction's state to committing.
        self.state.set(State::Committing);
        // Step 2. In parallel: wait until every request was processed (their events fired:
        // an unhandled error may still abort), then write.
        self.send_commit_when_ready(ctx)
    }

    /// Step 2 of commit: the service is asked once no request is pending; its answer fires
    /// complete or aborts.
    fn send_commit_when_ready(&self, ctx: &Ctx<'js>) -> Fallible<()> {
        if self.state.get() != State::Committing
            || !self.requests.borrow().is_empty()
            || self.commit_sent.replace(true)
        {
            return Ok(());
        }
        let global = super::global(ctx)?;
        global.awaiting_reply();
        super::send(
            &global,
            IdbRequest::Commit {
                transaction: self.id,
            },
            self.id.0,
            committed,
        )
    }

    /// <https://w3c.github.io/IndexedDB/#abort-a-transaction>
    pub fn abort_a_transaction(
        &self,
        ctx: &Ctx<'js>,
        error: Option<Dom<'js, DOMException<'js>>>,
    ) -> Fallible<()> {
        let global = super::global(ctx)?;
        if self.state.get() == State::Finished {
            return Ok(());
        }
        // Step 1. All the changes made to the database by the transaction are reverted
        // (the service rolls back).
        super::send_ignoring_reply(
            &global,
            IdbRequest::Abort {
                transaction: self.id,
            },
        );
        // Step 2. An upgrade transaction: "abort an upgrade transaction".
        if self.is_upgrade() {
            self.abort_an_upgrade_transaction();
        }
        // Step 3. Set transaction's state to finished.
        self.state.set(State::Finished);
        // Step 4. If error is not null, set transaction's error to error.
        if let Some(e) = error {
            *self.error.borrow_mut() = Some(e);
        }
        // Step 5. Each request of the request list: processed, and in a task, done with an
        // "AbortError" and an error event (which bubbles and can be canceled).
        // (They stay in the request list until that task; the service's answers to them
        // are ignored from now on.)
        let n = {
            let requests = self.requests.borrow();
            let mut state = global.indexed_db.borrow_mut();
            for r in requests.iter() {
                r.mark_processed();
                if state.requests.remove(&r.id()).is_some() {
                    global.reply_arrived();
                }
            }
            requests.len()
        };
        let tasks = global.info().tasks.clone();
        let id = self.id.0;
        tasks.queue(move |ctx| abort_requests(ctx, id, n));
        // Step 6. In a task: the open request's transaction is cleared and abort fires.
        tasks.queue(move |ctx| fire_abort(ctx, id));
        Ok(())
    }

    /// <https://w3c.github.io/IndexedDB/#abort-an-upgrade-transaction>
    fn abort_an_upgrade_transaction(&self) {
        // Steps 1-5. The connection's version and object store set are what they were
        // (version 0 for a database created by this upgrade); the handles follow.
        if let Some(before) = self.before.borrow().clone() {
            self.connection.revert_to(before.clone());
            for h in self.handles.borrow().iter() {
                h.revert(&before);
            }
        }
    }
}

/// Step 5 of abort: each request gets its AbortError and error event, in order.
fn abort_requests(ctx: &Ctx<'_>, id: u64, n: usize) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some(transaction) = global.indexed_db.borrow().transactions.get(&id).cloned() else {
        return;
    };
    for _ in 0..n {
        let Some(request) = transaction.requests.borrow_mut().pop_front() else {
            break;
        };
        let fired = (|| -> Fallible<()> {
            let error = super::dom_exception(ctx, "AbortError", "the transaction was aborted")?;
            request.set_error(error);
            let event = Event::new_trusted(ctx, "error", true, true)?;
            eventtarget::dispatch(ctx, &event, &request.upcast::<EventTarget>())?;
            Ok(())
        })();
        if let Err(e) = fired {
            GlobalScope::report_error(ctx, e);
        }
    }
}

/// Step 6 of abort: the abort event (it bubbles to the connection).
fn fire_abort(ctx: &Ctx<'_>, id: u64) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some(transaction) = global.indexed_db.borrow_mut().transactions.remove(&id) else {
        return;
    };
    // The connection's upgrade transaction is gone while abort fires; the open request's
    // transaction is cleared once it fired (its error follows).
    transaction.connection.transaction_finished(&transaction);
    if let Err(e) = eventtarget::fire_event(
        ctx,
        &transaction.upcast::<EventTarget>(),
        "abort",
        true,
        false,
    ) {
        GlobalScope::report_error(ctx, e);
    }
    let open_request = transaction.open_request.borrow().clone();
    if let Some(r) = open_request {
        r.upcast::<IDBRequest>().set_transaction(None);
    }
}

/// The service answered a commit: complete fires, or the transaction aborts with the
/// error the write failed with.
fn committed(ctx: &Ctx<'_>, id: u64, reply: IdbReply) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    global.reply_arrived();
    let Some(transaction) = global.indexed_db.borrow().transactions.get(&id).cloned() else {
        return;
    };
    if transaction.is_finished() {
        return;
    }
    let result = (|| -> Fallible<()> {
        match reply {
            IdbReply::Failed(e) => {
                let error = super::exception_of(ctx, &super::error_of(&e))?;
                transaction.abort_a_transaction(ctx, Some(error))
            }
            _ => {
                // Commit step 5: finished, and complete fires.
                transaction.state.set(State::Finished);
                global.indexed_db.borrow_mut().transactions.remove(&id);
                transaction.connection.transaction_finished(&transaction);
                eventtarget::fire_event(
                    ctx,
                    &transaction.upcast::<EventTarget>(),
                    "complete",
                    false,
                    false,
                )?;
                // The open request's transaction is cleared once complete fired (its
                // success follows).
                if transaction.is_upgrade() {
                    if let Some(r) = transaction.open_request.borrow().as_ref() {
                        r.upcast::<IDBRequest>().set_transaction(None);
                    }
                }
                Ok(())
            }
        }
    })();
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
}

impl<'js> IDBTransactionMethods<'js> for IDBTransaction<'js> {
    /// <https://w3c.github.io/IndexedDB/#dom-idbtransaction-objectstorenames>
    fn objectStoreNames(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, DOMStringList<'js>>> {
        // An upgrade transaction's scope is every store of the database.
        let mut names = if self.is_upgrade() {
            self.connection.store_names()
        } else {
            self.scope.borrow().clone()
        };
        super::sort_by_code_units(&mut names);
        DOMStringList::new(&cx.ctx, names)
    }

    fn mode(&self, _cx: &Cx<'js>) -> Fallible<IDBTransactionMode> {
        Ok(match self.mode {
            Mode::ReadOnly => IDBTransactionMode::Readonly,
            Mode::ReadWrite => IDBTransactionMode::Readwrite,
            Mode::VersionChange => IDBTransactionMode::Versionchange,
        })
    }

    fn durability(&self, _cx: &Cx<'js>) -> Fallible<IDBTransactionDurability> {
        Ok(self.durability)
    }

    fn db(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, IDBDatabase<'js>>> {
        Ok(self.connection.clone())
    }

    fn error(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, DOMException<'js>>>> {
        Ok(self.error.borrow().clone())
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbtransaction-objectstore>
    fn objectStore(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
    ) -> Fallible<Dom<'js, IDBObjectStore<'js>>> {
        // Step 1. Finished: "InvalidStateError".
        if self.is_finished() {
            return Err(Error::invalid_state("the transaction has finished"));
        }
        // Step 2. Not in scope: "NotFoundError".
        let in_scope = if self.is_upgrade() {
            self.connection.store_info(&name).is_some()
        } else {
            self.in_scope(&name)
        };
        if !in_scope {
            return Err(Error::dom(
                DomErrorName::NotFoundError,
                format!("{name:?} is not in the transaction's scope"),
            ));
        }
        // Step 3. The handle for the store in this transaction.
        let this = self.this(cx)?;
        IDBTransaction::handle_for(&this, &cx.ctx, &name)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbtransaction-commit>
    fn commit(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Not active: "InvalidStateError".
        if self.state.get() != State::Active {
            return Err(Error::invalid_state("the transaction is not active"));
        }
        // Step 2. Commit.
        self.commit_a_transaction(&cx.ctx)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbtransaction-abort>
    fn abort(&self, cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Committing or finished: "InvalidStateError".
        if matches!(self.state.get(), State::Committing | State::Finished) {
            return Err(Error::invalid_state(
                "the transaction is committing or finished",
            ));
        }
        // Step 2. Set the state to inactive. Step 3. Abort with null.
        self.state.set(State::Inactive);
        self.abort_a_transaction(&cx.ctx, None)
    }
}

impl<'js> IDBTransaction<'js> {
    /// This transaction's own reference (from the global's map).
    fn this(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, IDBTransaction<'js>>> {
        let global = super::global(&cx.ctx)?;
        let t = global
            .indexed_db
            .borrow()
            .transactions
            .get(&self.id.0)
            .cloned();
        t.ok_or_else(|| Error::invalid_state("the transaction has finished"))
    }
}
