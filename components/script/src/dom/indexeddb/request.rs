//! <https://w3c.github.io/IndexedDB/#request-api>: a request placed against a transaction,
//! and what happens when the service answers it (firing success or error events, with the
//! transaction active while they are dispatched).

use super::cursor::IDBCursor;
use super::index::IDBIndex;
use super::keys::key_bytes_to_value;
use super::objectstore::IDBObjectStore;
use super::transaction::IDBTransaction;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::IDBRequestBinding::IDBRequestMethods;
use crate::dom::bindings::codegen::{IDBObjectStoreOrIDBIndexOrIDBCursor, IDBRequestReadyState};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::domexception::DOMException;
use crate::dom::event::Event;
use crate::dom::eventtarget::{self, EventTarget};
use net_traits::indexed_db::{IdbReply, Record, StoredValue};
use std::cell::Cell;

/// <https://w3c.github.io/IndexedDB/#request-source>
#[derive(Clone)]
pub enum RequestSource<'js> {
    Store(Dom<'js, IDBObjectStore<'js>>),
    Index(Dom<'js, IDBIndex<'js>>),
    Cursor(Dom<'js, IDBCursor<'js>>),
}

impl<'js> Trace<'js> for RequestSource<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            RequestSource::Store(s) => s.trace(tracer),
            RequestSource::Index(i) => i.trace(tracer),
            RequestSource::Cursor(c) => c.trace(tracer),
        }
    }
}

/// What a request's answer becomes as its result.
pub enum Expect<'js> {
    /// undefined (delete, clear, cursor update's store operation gives a key).
    Undefined,
    /// A key (add/put: the record's key; getKey: a key or undefined).
    Key,
    /// A record's value, or undefined; `inject` is the store's key path when its key
    /// generator's keys are put back into values read.
    Value {
        inject: Option<String>,
    },
    /// An array of values.
    Values {
        inject: Option<String>,
    },
    /// An array of keys.
    Keys,
    Count,
    /// The cursor (or null at the end).
    Cursor(Dom<'js, IDBCursor<'js>>),
}

impl<'js> Trace<'js> for Expect<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let Expect::Cursor(c) = self {
            c.trace(tracer)
        }
    }
}

/// <https://w3c.github.io/IndexedDB/#request-construct>
pub struct IDBRequest<'js> {
    event_target: EventTarget<'js>,
    source: DomRefCell<Option<RequestSource<'js>>>,
    transaction: DomRefCell<Option<Dom<'js, IDBTransaction<'js>>>>,
    /// <https://w3c.github.io/IndexedDB/#request-processed-flag>
    processed: Cell<bool>,
    /// <https://w3c.github.io/IndexedDB/#request-done-flag>
    done: Cell<bool>,
    result: DomRefCell<Option<Value<'js>>>,
    error: DomRefCell<Option<Dom<'js, DOMException<'js>>>>,
    expect: DomRefCell<Option<Expect<'js>>>,
    /// The number the global knows this request by while it is pending.
    id: Cell<u64>,
}

impl<'js> HasParent<'js> for IDBRequest<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for IDBRequest<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.source.trace(tracer);
        self.transaction.trace(tracer);
        self.result.trace(tracer);
        self.error.trace(tracer);
        self.expect.trace(tracer);
    }
}

impl<'js> IDBRequest<'js> {
    pub fn new_inherited() -> IDBRequest<'js> {
        IDBRequest {
            event_target: EventTarget::new_inherited(),
            source: DomRefCell::new(None),
            transaction: DomRefCell::new(None),
            processed: Cell::new(false),
            done: Cell::new(false),
            result: DomRefCell::new(None),
            error: DomRefCell::new(None),
            expect: DomRefCell::new(None),
            id: Cell::new(0),
        }
    }

    pub fn transaction_(&self) -> Option<Dom<'js, IDBTransaction<'js>>> {
        self.transaction.borrow().clone()
    }
    pub fn set_transaction(&self, t: Option<Dom<'js, IDBTransaction<'js>>>) {
        *self.transaction.borrow_mut() = t;
    }
    pub fn set_source(&self, s: Option<RequestSource<'js>>) {
        *self.source.borrow_mut() = s;
    }
    pub fn is_done(&self) -> bool {
        self.done.get()
    }
    pub fn is_processed(&self) -> bool {
        self.processed.get()
    }
    pub fn id(&self) -> u64 {
        self.id.get()
    }
    pub fn set_id(&self, id: u64) {
        self.id.set(id);
    }

    /// The request is placed again (a cursor iterating): not done until answered.
    pub fn reset(&self) {
        self.processed.set(false);
        self.done.set(false);
    }

    pub fn mark_processed(&self) {
        self.processed.set(true);
    }

    pub fn set_expect(&self, e: Expect<'js>) {
        *self.expect.borrow_mut() = Some(e);
    }

    /// Done, with `result` (error cleared).
    pub fn set_result(&self, result: Value<'js>) {
        self.processed.set(true);
        self.done.set(true);
        *self.result.borrow_mut() = Some(result);
        *self.error.borrow_mut() = None;
    }

    /// Done, with `error` (result undefined).
    pub fn set_error(&self, error: Dom<'js, DOMException<'js>>) {
        self.processed.set(true);
        self.done.set(true);
        *self.result.borrow_mut() = None;
        *self.error.borrow_mut() = Some(error);
    }

    pub fn error_(&self) -> Option<Dom<'js, DOMException<'js>>> {
        self.error.borrow().clone()
    }

    /// The answer as the request's result (steps after "the operation's result").
    fn result_of(&self, ctx: &Ctx<'js>, reply: IdbReply) -> Fallible<Value<'js>> {
        let expect = self.expect.borrow_mut().take().unwrap_or(Expect::Undefined);
        let undefined = Value::new_undefined(ctx.clone());
        Ok(match (expect, reply) {
            (Expect::Undefined, _) => undefined,
            (Expect::Key, IdbReply::Key(k)) => key_bytes_to_value(ctx, &k)?,
            (Expect::Key, IdbReply::Keys(keys)) => match keys.first() {
                Some(k) => key_bytes_to_value(ctx, k)?,
                None => undefined,
            },
            (Expect::Value { inject }, IdbReply::Record(r)) => match r {
                Some(r) => record_value(ctx, r, inject.as_deref())?,
                None => undefined,
            },
            (Expect::Values { inject }, IdbReply::Records(records)) => {
                let a = rquickjs::Array::new(ctx.clone())?;
                for (i, r) in records.into_iter().enumerate() {
                    a.set(i, record_value(ctx, r, inject.as_deref())?)?;
                }
                a.into_value()
            }
            (Expect::Keys, IdbReply::Keys(keys)) => {
                let a = rquickjs::Array::new(ctx.clone())?;
                for (i, k) in keys.iter().enumerate() {
                    a.set(i, key_bytes_to_value(ctx, k)?)?;
                }
                a.into_value()
            }
            (Expect::Count, IdbReply::Count(n)) => Value::new_number(ctx.clone(), n as f64),
            (Expect::Cursor(cursor), IdbReply::Cursor(found)) => cursor.moved(ctx, found)?,
            (_, other) => {
                return Err(Error::dom(
                    DomErrorName::UnknownError,
                    format!("unexpected answer from the IndexedDB service: {other:?}"),
                ))
            }
        })
    }
}

/// A stored record's value in this realm, with its key put back where the store's key
/// generator made it.
pub fn record_value<'js>(ctx: &Ctx<'js>, r: Record, inject: Option<&str>) -> Fallible<Value<'js>> {
    let value = stored_to_value(ctx, r.value)?;
    if let Some(path) = inject {
        // Only a value that lacks its key (the key generator made it) gets it injected.
        let has_key = super::key_path::evaluate_a_key_path_on_a_value(
            ctx,
            &value,
            &net_traits::indexed_db::KeyPath::String(path.to_string()),
        )?
        .is_some();
        if !has_key
            && super::key_path::check_that_a_key_could_be_injected_into_a_value(ctx, &value, path)?
        {
            let key = super::keys::decode(&r.key)?;
            super::key_path::inject_a_key_into_a_value_using_a_key_path(ctx, &value, &key, path)?;
        }
    }
    Ok(value)
}

/// StructuredDeserialize of a stored value in this realm.
pub fn stored_to_value<'js>(ctx: &Ctx<'js>, v: StoredValue) -> Fallible<Value<'js>> {
    let serialized = super::values::from_stored(v)?;
    crate::dom::bindings::structuredclone::deserialize(ctx, serialized)
}

/// The service answered request `id`: its result or error, and the event
/// (<https://w3c.github.io/IndexedDB/#asynchronously-execute-a-request> steps 5.5-5.7).
pub fn request_answered(ctx: &Ctx<'_>, id: u64, reply: IdbReply) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    global.reply_arrived();
    // A request of an aborted transaction was already answered with an AbortError.
    let Some(request) = global.indexed_db.borrow_mut().requests.remove(&id) else {
        return;
    };
    let Some(transaction) = request.transaction_() else {
        return;
    };
    if transaction.is_finished() {
        return;
    }
    // A transaction that failed in parallel aborts at the first answer to a request
    // placed after the failure (this request gets its AbortError).
    match transaction.abort_if_doomed_before(ctx, request.id()) {
        Ok(true) => return,
        Ok(false) => {}
        Err(e) => {
            crate::dom::globalscope::GlobalScope::report_error(ctx, e);
            return;
        }
    }
    transaction.remove_request(&request);
    let outcome = match reply {
        IdbReply::Failed(e) => Err(super::error_of(&e)),
        reply => request.result_of(ctx, reply),
    };
    let fired = match outcome {
        Ok(result) => {
            request.set_result(result);
            fire_a_success_event(ctx, &request, &transaction)
        }
        Err(e) => match super::exception_of(ctx, &e) {
            Ok(error) => {
                request.set_error(error);
                fire_an_error_event(ctx, &request, &transaction)
            }
            Err(e) => Err(e),
        },
    };
    if let Err(e) = fired {
        crate::dom::globalscope::GlobalScope::report_error(ctx, e);
    }
}

/// <https://w3c.github.io/IndexedDB/#fire-a-success-event>
pub fn fire_a_success_event<'js>(
    ctx: &Ctx<'js>,
    request: &Dom<'js, IDBRequest<'js>>,
    transaction: &Dom<'js, IDBTransaction<'js>>,
) -> Fallible<()> {
    // Steps 1-3. A "success" event that neither bubbles nor can be canceled.
    let event = Event::new_trusted(ctx, "success", false, false)?;
    dispatch_in_transaction(ctx, request, transaction, event).map(|_| ())
}

/// <https://w3c.github.io/IndexedDB/#fire-an-error-event>
pub fn fire_an_error_event<'js>(
    ctx: &Ctx<'js>,
    request: &Dom<'js, IDBRequest<'js>>,
    transaction: &Dom<'js, IDBTransaction<'js>>,
) -> Fallible<()> {
    // Steps 1-3. An "error" event that bubbles and can be canceled.
    let event = Event::new_trusted(ctx, "error", true, true)?;
    let canceled = dispatch_in_transaction(ctx, request, transaction, event)?;
    // Step 6 (after dispatch). Not canceled (and no listener threw): abort with the error.
    if !canceled && !transaction.is_finished() {
        let error = request.error_();
        transaction.abort_a_transaction(ctx, error)?;
    }
    transaction.maybe_auto_commit(ctx);
    Ok(())
}

/// The shared steps of firing a success or error event: the transaction is active while
/// the event is dispatched; a listener that throws aborts it ("AbortError"). Returns
/// whether the event was canceled; an aborted transaction reports true (nothing more to
/// do).
fn dispatch_in_transaction<'js>(
    ctx: &Ctx<'js>,
    request: &Dom<'js, IDBRequest<'js>>,
    transaction: &Dom<'js, IDBTransaction<'js>>,
    event: Dom<'js, Event<'js>>,
) -> Fallible<bool> {
    // Step 4. If transaction's state is inactive, then set it to active.
    transaction.activate();
    // Step 5. Dispatch event at request (legacy-output-did-listeners-throw flag).
    let not_canceled = eventtarget::dispatch(ctx, &event, &request.upcast::<EventTarget>())?;
    // Step 6. If transaction's state is active: inactive. A throwing listener aborts
    // (also after commit() was called: as browsers and the upstream tests do).
    // A listener that threw aborts the transaction if it was active (not after commit()).
    let was_active = transaction.deactivate();
    if was_active && event.listeners_threw() {
        let error = super::dom_exception(ctx, "AbortError", "an event listener threw")?;
        transaction.abort_a_transaction(ctx, Some(error))?;
        return Ok(true);
    }
    let canceled = !not_canceled;
    if event.type_() == "success" {
        // Step 6.3. If the request list is empty, commit (auto-commit).
        transaction.maybe_auto_commit(ctx);
    }
    Ok(canceled)
}

impl<'js> IDBRequestMethods<'js> for IDBRequest<'js> {
    /// <https://w3c.github.io/IndexedDB/#dom-idbrequest-result>
    fn result(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        // Step 1. If the done flag is false, throw an "InvalidStateError".
        if !self.done.get() {
            return Err(Error::invalid_state("the request is not done"));
        }
        // Step 2. The result, or undefined.
        Ok(self
            .result
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbrequest-error>
    fn error(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, DOMException<'js>>>> {
        if !self.done.get() {
            return Err(Error::invalid_state("the request is not done"));
        }
        Ok(self.error.borrow().clone())
    }

    fn source(&self, _cx: &Cx<'js>) -> Fallible<Option<IDBObjectStoreOrIDBIndexOrIDBCursor<'js>>> {
        Ok(self.source.borrow().as_ref().map(|s| match s {
            RequestSource::Store(s) => {
                IDBObjectStoreOrIDBIndexOrIDBCursor::IDBObjectStore(s.clone())
            }
            RequestSource::Index(i) => IDBObjectStoreOrIDBIndexOrIDBCursor::IDBIndex(i.clone()),
            RequestSource::Cursor(c) => IDBObjectStoreOrIDBIndexOrIDBCursor::IDBCursor(c.clone()),
        }))
    }

    fn transaction(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, IDBTransaction<'js>>>> {
        Ok(self.transaction.borrow().clone())
    }

    fn readyState(&self, _cx: &Cx<'js>) -> Fallible<IDBRequestReadyState> {
        Ok(if self.done.get() {
            IDBRequestReadyState::Done
        } else {
            IDBRequestReadyState::Pending
        })
    }
}
