//! <https://wicg.github.io/background-fetch/#background-fetch-registration>

use crate::dom::bindings::codegen::BackgroundFetchRegistrationBinding::BackgroundFetchRegistrationMethods;
use crate::dom::bindings::codegen::{
    BackgroundFetchFailureReason, BackgroundFetchResult, CacheQueryOptions, RequestInfo,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use std::cell::Cell;

/// What a BackgroundFetchRegistration copies from its background fetch when created.
#[derive(Clone, Debug, PartialEq)]
pub struct BackgroundFetchState {
    pub id: String,
    pub upload_total: u64,
    pub uploaded: u64,
    pub download_total: u64,
    pub downloaded: u64,
    pub result: BackgroundFetchResult,
    pub failure_reason: BackgroundFetchFailureReason,
    pub records_available: bool,
}

/// <https://wicg.github.io/background-fetch/#background-fetch-registration>
pub struct BackgroundFetchRegistration<'js> {
    event_target: EventTarget<'js>,
    /// The background fetch's id.
    id: String,
    /// The upload total.
    upload_total: u64,
    /// The download total.
    download_total: u64,
    /// The uploaded count, updated by "update background fetch instances".
    uploaded: Cell<u64>,
    /// The downloaded count.
    downloaded: Cell<u64>,
    /// The result.
    result: Cell<BackgroundFetchResult>,
    /// The failure reason.
    failure_reason: Cell<BackgroundFetchFailureReason>,
    /// The records available flag.
    records_available: Cell<bool>,
}

impl<'js> HasParent<'js> for BackgroundFetchRegistration<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for BackgroundFetchRegistration<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer)
    }
}

impl<'js> BackgroundFetchRegistration<'js> {
    pub fn new_inherited(state: BackgroundFetchState) -> BackgroundFetchRegistration<'js> {
        BackgroundFetchRegistration {
            event_target: EventTarget::new_inherited(),
            id: state.id,
            upload_total: state.upload_total,
            download_total: state.download_total,
            uploaded: Cell::new(state.uploaded),
            downloaded: Cell::new(state.downloaded),
            result: Cell::new(state.result),
            failure_reason: Cell::new(state.failure_reason),
            records_available: Cell::new(state.records_available),
        }
    }
}

fn not_connected<'js>(ctx: &Ctx<'js>) -> Fallible<Promise<'js>> {
    // TODO(issue 5): the background fetch lives on the network thread; until that engine is
    // connected, operations that need it fail plainly instead of pretending.
    let reason = crate::dom::bindings::error::error_value(
        ctx,
        Error::invalid_state("background fetch engine is not connected"),
    );
    let (promise, _, reject) = ctx.promise()?;
    reject.call::<_, ()>((reason,))?;
    Ok(promise)
}

impl<'js> BackgroundFetchRegistrationMethods<'js> for BackgroundFetchRegistration<'js> {
    fn id(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.id.clone())
    }
    fn uploadTotal(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.upload_total)
    }
    fn uploaded(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.uploaded.get())
    }
    fn downloadTotal(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.download_total)
    }
    fn downloaded(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.downloaded.get())
    }
    fn result(&self, _cx: &Cx<'js>) -> Fallible<BackgroundFetchResult> {
        Ok(self.result.get())
    }
    fn failureReason(&self, _cx: &Cx<'js>) -> Fallible<BackgroundFetchFailureReason> {
        Ok(self.failure_reason.get())
    }
    fn recordsAvailable(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.records_available.get())
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-abort>
    fn abort(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        not_connected(&cx.ctx)
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-match>
    fn r#match(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        // Step 1. matchAll(request, options) ...
        self.matchAll(cx, Some(request), options)
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-matchall>
    fn matchAll(
        &self,
        cx: &Cx<'js>,
        _request: Option<RequestInfo<'js>>,
        _options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        // Step 1. If this's records available flag is unset, reject with InvalidStateError.
        if !self.records_available.get() {
            return Err(Error::invalid_state("the records are no longer available"));
        }
        // TODO(spec steps 2-4, issue 5): match the records held by the engine.
        not_connected(&cx.ctx)
    }
}
