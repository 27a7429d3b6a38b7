//! <https://wicg.github.io/background-fetch/#background-fetch-registration>

use crate::dom::backgroundfetch::connection;
use crate::dom::bindings::codegen::BackgroundFetchRegistrationBinding::BackgroundFetchRegistrationMethods;
use crate::dom::bindings::codegen::{
    BackgroundFetchFailureReason, BackgroundFetchResult, CacheQueryOptions, RequestInfo,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::GlobalScope;
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
    /// The background fetch (its unique id on the network side; none for an instance that
    /// was made without one).
    uid: Option<net_traits::FetchUid>,
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
            uid: None,
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

fn result_of(r: net_traits::FetchResult) -> BackgroundFetchResult {
    match r {
        net_traits::FetchResult::Empty => BackgroundFetchResult::Empty,
        net_traits::FetchResult::Success => BackgroundFetchResult::Success,
        net_traits::FetchResult::Failure => BackgroundFetchResult::Failure,
    }
}

fn reason_of(r: net_traits::FailureReason) -> BackgroundFetchFailureReason {
    use net_traits::FailureReason as F;
    match r {
        F::Empty => BackgroundFetchFailureReason::Empty,
        F::Aborted => BackgroundFetchFailureReason::Aborted,
        F::BadStatus => BackgroundFetchFailureReason::BadStatus,
        F::FetchError => BackgroundFetchFailureReason::FetchError,
        F::QuotaExceeded => BackgroundFetchFailureReason::QuotaExceeded,
        F::DownloadTotalExceeded => BackgroundFetchFailureReason::DownloadTotalExceeded,
    }
}

impl<'js> BackgroundFetchRegistration<'js> {
    /// A new instance for a background fetch the controller described.
    pub fn from_snapshot(s: &net_traits::RegistrationSnapshot) -> BackgroundFetchRegistration<'js> {
        let mut r = BackgroundFetchRegistration::new_inherited(BackgroundFetchState {
            id: s.id.clone(),
            upload_total: s.upload_total,
            uploaded: s.uploaded,
            download_total: s.download_total,
            downloaded: s.downloaded,
            result: result_of(s.result),
            failure_reason: reason_of(s.failure_reason),
            records_available: s.records_available,
        });
        r.uid = Some(s.uid);
        r
    }

    /// <https://wicg.github.io/background-fetch/#update-background-fetch-instances>, steps
    /// 6.3-6.7 in this realm.
    pub fn update(
        this: &Dom<'js, BackgroundFetchRegistration<'js>>,
        ctx: &Ctx<'js>,
        u: &net_traits::InstanceUpdate,
    ) -> Fallible<()> {
        // Step 6.3. Records that went are unavailable from now on.
        if !u.records_available && this.records_available.get() {
            this.records_available.set(false);
        }
        // Step 6.4. A settled registration reports no more progress.
        if this.result.get() != BackgroundFetchResult::Empty {
            return Ok(());
        }
        let (result, reason) = (result_of(u.result), reason_of(u.failure_reason));
        // Step 6.5. Nothing changed: no event.
        if this.downloaded.get() == u.downloaded
            && this.uploaded.get() == u.uploaded
            && this.result.get() == result
            && this.failure_reason.get() == reason
        {
            return Ok(());
        }
        // Steps 6.6-6.7. Take the values and fire progress.
        this.downloaded.set(u.downloaded);
        this.uploaded.set(u.uploaded);
        this.result.set(result);
        this.failure_reason.set(reason);
        let target = this.upcast::<EventTarget>();
        crate::dom::eventtarget::fire_event(ctx, &target, "progress", false, false)?;
        Ok(())
    }
}

/// An instance made without a background fetch behind it (only Rust code can make one)
/// has nothing to abort or match.
fn not_connected<'js>(ctx: &Ctx<'js>) -> Fallible<Promise<'js>> {
    let reason = crate::dom::bindings::error::error_value(
        ctx,
        Error::invalid_state("this registration has no background fetch behind it"),
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
        let (Some(uid), Some(global)) = (self.uid, GlobalScope::current(&cx.ctx)) else {
            return not_connected(&cx.ctx);
        };
        // Steps 1-4 run in the background fetch's edit queue on the network side: true for
        // the first abort of an active fetch.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        connection::send(
            &global,
            connection::Pending::Abort(resolve, reject),
            |client, request| net_traits::BackgroundFetchRequest::Abort {
                client,
                request,
                uid,
            },
        )?;
        Ok(promise)
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-match>
    fn r#match(
        &self,
        cx: &Cx<'js>,
        request: RequestInfo<'js>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        // Step 1. matchAll(request, options), resolving with the first record or undefined.
        self.match_records(cx, Some(request), options, true)
    }
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-matchall>
    fn matchAll(
        &self,
        cx: &Cx<'js>,
        request: Option<RequestInfo<'js>>,
        options: CacheQueryOptions,
    ) -> Fallible<Promise<'js>> {
        self.match_records(cx, request, options, false)
    }
}

impl<'js> BackgroundFetchRegistration<'js> {
    /// matchAll's steps (match's with `single`).
    fn match_records(
        &self,
        cx: &Cx<'js>,
        request: Option<RequestInfo<'js>>,
        options: CacheQueryOptions,
        single: bool,
    ) -> Fallible<Promise<'js>> {
        // Step 1. If this's records available flag is unset, reject with InvalidStateError.
        if !self.records_available.get() {
            return Err(Error::invalid_state("the records are no longer available"));
        }
        let (Some(uid), Some(global)) = (self.uid, GlobalScope::current(&cx.ctx)) else {
            return not_connected(&cx.ctx);
        };
        // Step 2.1. The request, as the Request constructor makes it (its exception rejects).
        let query = match request {
            // A Request is used as it is (its body is not read or disturbed).
            Some(RequestInfo::Request(r)) => Some(r.to_request_data()),
            Some(r) => {
                let init = crate::dom::request::empty_init(&cx.ctx)?;
                let r = <crate::dom::request::Request as crate::dom::bindings::codegen::RequestBinding::RequestMethods>::Constructor(cx, r, init)?;
                Some(r.to_request_data())
            }
            None => None,
        };
        let options = net_traits::CacheQueryOptions {
            ignore_search: options.ignoreSearch,
            ignore_method: options.ignoreMethod,
            ignore_vary: options.ignoreVary,
        };
        // Steps 2.2-2.4. The matching records (Request Matches Cached Item), then their
        // record objects, in a task.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        connection::send(
            &global,
            connection::Pending::Records {
                resolve,
                reject,
                single,
            },
            |client, request| net_traits::BackgroundFetchRequest::MatchAll {
                client,
                request,
                uid,
                query,
                options,
            },
        )?;
        Ok(promise)
    }
}
