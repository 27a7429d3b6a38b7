//! <https://wicg.github.io/background-fetch/#background-fetch-record-interface>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::BackgroundFetchRecordBinding::BackgroundFetchRecordMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::request::Request;

/// <https://wicg.github.io/background-fetch/#background-fetch-record-interface>
pub struct BackgroundFetchRecord<'js> {
    /// The request.
    request: Dom<'js, Request<'js>>,
    /// The record on the network side (its background fetch and index).
    record: Option<(net_traits::FetchUid, u32)>,
    /// The response promise, made when first asked for (as Chromium does: a record whose
    /// responseReady nobody reads never reports an unhandled rejection).
    response_ready: DomRefCell<Option<Promise<'js>>>,
}

impl<'js> BackgroundFetchRecord<'js> {
    pub fn new_inherited(
        request: Dom<'js, Request<'js>>,
        record: Option<(net_traits::FetchUid, u32)>,
    ) -> BackgroundFetchRecord<'js> {
        BackgroundFetchRecord {
            request,
            record,
            response_ready: DomRefCell::new(None),
        }
    }
}

impl<'js> Trace<'js> for BackgroundFetchRecord<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.request.trace(tracer);
        self.response_ready.trace(tracer);
    }
}

impl<'js> BackgroundFetchRecordMethods<'js> for BackgroundFetchRecord<'js> {
    fn request(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Request<'js>>> {
        Ok(self.request.clone())
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchrecord-responseready>:
    /// the response promise, which settles when the record's response is known
    /// ("create record objects", steps 2.4-2.5).
    fn responseReady(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        if let Some(p) = self.response_ready.borrow().as_ref() {
            return Ok(p.clone());
        }
        let (promise, resolve, reject) = cx.ctx.promise()?;
        match (
            self.record,
            crate::dom::globalscope::GlobalScope::current(&cx.ctx),
        ) {
            (Some((uid, index)), Some(global)) => {
                crate::dom::backgroundfetch::connection::wait_for_response(
                    &global, uid, index, resolve, reject,
                )?;
            }
            _ => {
                let reason = crate::dom::bindings::error::error_value(
                    &cx.ctx,
                    Error::Type("this record has no response".into()),
                );
                reject.call::<_, ()>((reason,))?;
            }
        }
        *self.response_ready.borrow_mut() = Some(promise.clone());
        Ok(promise)
    }
}
