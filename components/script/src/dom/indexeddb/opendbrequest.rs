//! <https://w3c.github.io/IndexedDB/#idbopendbrequest>: the request of open() and
//! deleteDatabase(), and what happens as the service answers it (blocked, upgradeneeded with
//! the upgrade transaction, success or error).

use super::database::IDBDatabase;
use super::request::IDBRequest;
use super::transaction::IDBTransaction;
use super::versionchangeevent::IDBVersionChangeEvent;
use crate::dom::bindings::codegen::IDBOpenDBRequestBinding::IDBOpenDBRequestMethods;
use crate::dom::bindings::codegen::IDBTransactionDurability;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::event::Event;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use net_traits::indexed_db::{ConnectionId, IdbReply, Mode, TransactionId};
use std::cell::Cell;

/// <https://w3c.github.io/IndexedDB/#idbopendbrequest>
pub struct IDBOpenDBRequest<'js> {
    request: IDBRequest<'js>,
    /// The connection and upgrade transaction ids an open() was sent with.
    connection: Cell<Option<ConnectionId>>,
    upgrade: Cell<Option<TransactionId>>,
}

impl<'js> HasParent<'js> for IDBOpenDBRequest<'js> {
    type Parent = IDBRequest<'js>;
    fn parent(&self) -> &IDBRequest<'js> {
        &self.request
    }
}

impl<'js> Trace<'js> for IDBOpenDBRequest<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.request.trace(tracer)
    }
}

impl<'js> IDBOpenDBRequestMethods<'js> for IDBOpenDBRequest<'js> {}

impl<'js> IDBOpenDBRequest<'js> {
    /// A new request, kept by the global (by a new number, returned) until its answer.
    pub fn create(
        ctx: &Ctx<'js>,
        connection: Option<ConnectionId>,
        upgrade: Option<TransactionId>,
    ) -> Fallible<(Dom<'js, IDBOpenDBRequest<'js>>, u64)> {
        let global = super::global(ctx)?;
        let r = reflect_dom_object(
            ctx,
            IDBOpenDBRequest {
                request: IDBRequest::new_inherited(),
                connection: Cell::new(connection),
                upgrade: Cell::new(upgrade),
            },
        )?;
        let id = {
            let mut state = global.indexed_db.borrow_mut();
            state.next_request += 1;
            let id = state.next_request;
            state.open_requests.insert(id, r.clone());
            id
        };
        global.awaiting_reply();
        Ok((r, id))
    }
}

/// The service answered open or delete request `id`.
pub fn open_answered(ctx: &Ctx<'_>, id: u64, reply: IdbReply) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // The service failed the open because the upgrade transaction failed in parallel (it
    // rolled it back): the transaction aborts here first, and the open's error follows its
    // abort event.
    if let IdbReply::Failed(_) = &reply {
        let request = global.indexed_db.borrow().open_requests.get(&id).cloned();
        let upgrade = request
            .and_then(|r| r.upgrade.get())
            .and_then(|t| global.indexed_db.borrow().transactions.get(&t.0).cloned());
        // (Still in the global's map: its abort event has not fired yet.)
        if let Some(t) = upgrade {
            let aborted = match t.abort_if_doomed(ctx) {
                Ok(_) if t.is_finished() => Ok(()),
                Ok(true) => Ok(()),
                Ok(false) => super::dom_exception(ctx, "AbortError", "the upgrade failed")
                    .and_then(|e| t.abort_a_transaction(ctx, Some(e))),
                Err(e) => Err(e),
            };
            if let Err(e) = aborted {
                GlobalScope::report_error(ctx, e);
            }
            global
                .info()
                .tasks
                .queue(move |ctx| open_answered(ctx, id, reply));
            return;
        }
    }
    let final_answer = !matches!(reply, IdbReply::Blocked { .. } | IdbReply::Upgrade { .. });
    let request = if final_answer {
        global.reply_arrived();
        global.indexed_db.borrow_mut().open_requests.remove(&id)
    } else {
        global.indexed_db.borrow().open_requests.get(&id).cloned()
    };
    let Some(request) = request else {
        return;
    };
    if let Err(e) = answered(ctx, &request, reply) {
        GlobalScope::report_error(ctx, e);
    }
}

fn answered<'js>(
    ctx: &Ctx<'js>,
    request: &Dom<'js, IDBOpenDBRequest<'js>>,
    reply: IdbReply,
) -> Fallible<()> {
    let target = request.upcast::<EventTarget>();
    let plain = request.upcast::<IDBRequest>();
    match reply {
        // Open step 10.4 / delete step 6.4: blocked fires at the request.
        IdbReply::Blocked {
            old_version,
            new_version,
        } => {
            let e = IDBVersionChangeEvent::new_trusted(ctx, "blocked", old_version, new_version)?;
            eventtarget::dispatch(ctx, &e.upcast(), &target)?;
        }
        IdbReply::Upgrade { old_version, info } => {
            upgrade_a_database(ctx, request, old_version, info)?;
        }
        // Open steps 11-12: the connection is the result.
        IdbReply::Opened(info) => {
            let global = super::global(ctx)?;
            let id = request.connection.get().unwrap_or(ConnectionId(0));
            let existing = global.indexed_db.borrow().connections.get(&id.0).cloned();
            let connection = match existing {
                Some(c) => c,
                None => IDBDatabase::create(ctx, id, info)?,
            };
            plain.set_transaction(None);
            plain.set_result(connection.reflector().clone().into_value());
            let event = Event::new_trusted(ctx, "success", false, false)?;
            eventtarget::dispatch(ctx, &event, &target)?;
        }
        // Delete step 7: success with the old version and a null new version.
        IdbReply::Deleted { old_version } => {
            plain.set_result(Value::new_undefined(ctx.clone()));
            let e = IDBVersionChangeEvent::new_trusted(ctx, "success", old_version, None)?;
            eventtarget::dispatch(ctx, &e.upcast(), &target)?;
        }
        IdbReply::Failed(error) => {
            // An upgrade that aborted closed its connection.
            let global = super::global(ctx)?;
            if let Some(id) = request.connection.get() {
                let c = global.indexed_db.borrow().connections.get(&id.0).cloned();
                if let Some(c) = c {
                    c.close_a_database_connection(&global);
                }
            }
            plain.set_transaction(None);
            let error = super::exception_of(ctx, &super::error_of(&error))?;
            plain.set_error(error);
            let event = Event::new_trusted(ctx, "error", true, true)?;
            eventtarget::dispatch(ctx, &event, &target)?;
        }
        other => {
            log::warn!("unexpected answer to an IndexedDB open request: {other:?}");
        }
    }
    Ok(())
}

/// <https://w3c.github.io/IndexedDB/#upgrade-a-database>, from the moment the service
/// started the upgrade transaction.
fn upgrade_a_database<'js>(
    ctx: &Ctx<'js>,
    request: &Dom<'js, IDBOpenDBRequest<'js>>,
    old_version: u64,
    info: net_traits::indexed_db::DatabaseInfo,
) -> Fallible<()> {
    let global = super::global(ctx)?;
    let connection_id = request.connection.get().unwrap_or(ConnectionId(0));
    let transaction_id = request.upgrade.get().unwrap_or(TransactionId(0));
    let new_version = info.version;
    // The connection (its version is already the new one).
    let mut before = info.clone();
    before.version = old_version;
    let connection = IDBDatabase::create(ctx, connection_id, info)?;
    // Steps 1-5. The upgrade transaction, scoped to every store, inactive, started.
    let transaction = IDBTransaction::create(
        ctx,
        &connection,
        transaction_id,
        Mode::VersionChange,
        IDBTransactionDurability::Default,
        connection.store_names(),
    )?;
    global
        .indexed_db
        .borrow_mut()
        .cleanup
        .retain(|t| *t != transaction_id.0);
    transaction.set_inactive();
    transaction.set_before(before);
    transaction.set_open_request(request.clone());
    connection.set_upgrade_transaction(Some(transaction.clone()));
    // Steps 8-10 (the task). The request's result is the connection, its transaction the
    // upgrade transaction; it is done.
    let plain = request.upcast::<IDBRequest>();
    plain.set_result(connection.reflector().clone().into_value());
    plain.set_transaction(Some(transaction.clone()));
    // Step 10.4. The transaction is active while upgradeneeded is dispatched.
    transaction.activate();
    let event =
        IDBVersionChangeEvent::new_trusted(ctx, "upgradeneeded", old_version, Some(new_version))?;
    let event_ref = event.upcast::<Event>();
    eventtarget::dispatch(ctx, &event_ref, &request.upcast::<EventTarget>())?;
    // Steps 10.6-10.7. Inactive again; a throwing listener aborts.
    if transaction.deactivate() && event_ref.listeners_threw() {
        let error = super::dom_exception(ctx, "AbortError", "an upgradeneeded listener threw")?;
        transaction.abort_a_transaction(ctx, Some(error))?;
        return Ok(());
    }
    transaction.maybe_auto_commit(ctx);
    Ok(())
}
