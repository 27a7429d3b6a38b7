//! <https://w3c.github.io/IndexedDB/#factory-interface>: `indexedDB`.

use super::keys::value_to_key_or_data_error;
use super::opendbrequest::{open_answered, IDBOpenDBRequest};
use crate::dom::bindings::codegen::IDBFactoryBinding::IDBFactoryMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use net_traits::indexed_db::{ConnectionId, IdbReply, IdbRequest, TransactionId};

/// <https://w3c.github.io/IndexedDB/#idbfactory>
pub struct IDBFactory<'js>(std::marker::PhantomData<&'js ()>);

impl<'js> Trace<'js> for IDBFactory<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> IDBFactory<'js> {
    /// The global's `indexedDB` ([SameObject]).
    pub fn of(ctx: &Ctx<'js>, global: &GlobalScope<'js>) -> Fallible<Dom<'js, IDBFactory<'js>>> {
        if let Some(f) = global.indexed_db.borrow().factory.as_ref() {
            return Ok(f.clone());
        }
        let f = reflect_dom_object(ctx, IDBFactory(std::marker::PhantomData))?;
        global.indexed_db.borrow_mut().factory = Some(f.clone());
        Ok(f)
    }
}

impl<'js> IDBFactoryMethods<'js> for IDBFactory<'js> {
    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-open>
    fn open(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
        version: Option<u64>,
    ) -> Fallible<Dom<'js, IDBOpenDBRequest<'js>>> {
        let ctx = &cx.ctx;
        // Step 1. version 0: TypeError.
        if version == Some(0) {
            return Err(Error::Type("the version must be at least 1".into()));
        }
        // Steps 2-4. The storage key ("SecurityError" for an opaque origin).
        let global = super::global(ctx)?;
        let (service, key) = super::service(&global)?;
        // Step 5. The request.
        let connection = ConnectionId(service.next_id());
        let upgrade = TransactionId(service.next_id());
        let (request, id) = IDBOpenDBRequest::create(ctx, Some(connection), Some(upgrade))?;
        // Step 6. In parallel: open a database connection (the service); its answers come
        // back as tasks, the connection's versionchange events too.
        let tasks = global.info().tasks.clone();
        let events_tasks = tasks.clone();
        service.open(
            &key,
            IdbRequest::Open {
                name: name.to_string(),
                version,
                connection,
                upgrade,
            },
            std::sync::Arc::new(move |event| {
                events_tasks
                    .queue(move |ctx| super::database::connection_event(ctx, connection.0, event))
            }),
            Box::new(move |reply| {
                tasks.queue(move |ctx| open_answered(ctx, id, reply));
            }),
        );
        // Step 7.
        Ok(request)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-deletedatabase>
    fn deleteDatabase(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
    ) -> Fallible<Dom<'js, IDBOpenDBRequest<'js>>> {
        let ctx = &cx.ctx;
        let global = super::global(ctx)?;
        // Steps 1-3. The storage key.
        super::service(&global)?;
        // Step 4. The request. Step 5. In parallel: delete the database.
        let (request, id) = IDBOpenDBRequest::create(ctx, None, None)?;
        super::send(
            &global,
            IdbRequest::DeleteDatabase {
                name: name.to_string(),
            },
            id,
            open_answered,
        )?;
        Ok(request)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-databases>
    fn databases(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let ctx = &cx.ctx;
        let global = super::global(ctx)?;
        // Steps 1-4. The storage key (a rejected promise for an opaque origin).
        if let Err(e) = super::service(&global) {
            return glue::rejected_promise(ctx, e);
        }
        // Step 5. The promise, settled with each database's name and version.
        let (promise, resolve, reject) = ctx.promise()?;
        let id = global.promises.borrow_mut().add(resolve, reject);
        global.awaiting_reply();
        super::send(&global, IdbRequest::Databases, id, databases_answered)?;
        Ok(promise)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-cmp>
    fn cmp(&self, cx: &Cx<'js>, first: Value<'js>, second: Value<'js>) -> Fallible<i16> {
        // Steps 1-4. Both valid keys, or "DataError".
        let a = value_to_key_or_data_error(&cx.ctx, &first)?;
        let b = value_to_key_or_data_error(&cx.ctx, &second)?;
        // Step 5. Compare.
        Ok(match a.compare(&b) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        })
    }
}

/// databases()'s answer: the promise resolves with a list of IDBDatabaseInfo.
fn databases_answered(ctx: &Ctx<'_>, id: u64, reply: IdbReply) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    global.reply_arrived();
    let Some((resolve, reject)) = global.promises.borrow_mut().take(id) else {
        return;
    };
    let result = (|| -> Fallible<Value<'_>> {
        match reply {
            IdbReply::Databases(list) => {
                let array = rquickjs::Array::new(ctx.clone())?;
                for (i, (name, version)) in list.into_iter().enumerate() {
                    let o = Object::new(ctx.clone())?;
                    o.set("name", name)?;
                    o.set("version", version as f64)?;
                    array.set(i, o)?;
                }
                Ok(array.into_value())
            }
            IdbReply::Failed(e) => Err(super::error_of(&e)),
            other => Err(Error::Type(format!("unexpected answer: {other:?}"))),
        }
    })();
    let settled = match result {
        Ok(v) => resolve.call::<_, ()>((v,)),
        Err(e) => {
            let reason = crate::dom::bindings::error::error_value(ctx, e);
            reject.call::<_, ()>((reason,))
        }
    };
    if settled.is_err() {
        let _ = ctx.catch();
    }
}
