//! The controller's model of a background fetch and its records (the spec's
//! "background fetch" and "background fetch record"), and what it shows of them.

use super::complete_a_record::{Control, FetchShared, RecordCounters};
use net_traits::*;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::watch;

/// Where a record is in "complete a record".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RecState {
    Pending,
    Running,
    Settled,
}

/// <https://wicg.github.io/background-fetch/#background-fetch-record>, with its response
/// data's response and result (the bytes are in the profile).
pub(super) struct Rec {
    pub(super) index: u32,
    /// The request without its body.
    pub(super) request: RequestData,
    pub(super) body_len: Option<u64>,
    /// The response data's response.
    pub(super) response: Option<ResponseMeta>,
    /// The response data's result.
    pub(super) result: RecordResult,
    pub(super) counters: Arc<RecordCounters>,
    pub(super) state: RecState,
    /// Which response data this is (grows when a whole response replaces a partial one).
    pub(super) generation: u32,
    /// The request may have been sent (stored before a non-GET goes out).
    pub(super) started: bool,
}

/// <https://wicg.github.io/background-fetch/#background-fetch>
pub(super) struct Fetch {
    pub(super) uid: FetchUid,
    pub(super) registration: RegistrationInfo,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) icons: Vec<ImageResource>,
    pub(super) download_total: u64,
    pub(super) upload_total: u64,
    pub(super) result: FetchResult,
    pub(super) failure_reason: FailureReason,
    /// The records available flag.
    pub(super) records_available: bool,
    /// Settled: out of the active map, result set, its event pending or running.
    pub(super) settled: bool,
    pub(super) control: watch::Sender<Control>,
    /// The paused flag is set while a "prompt" permission waits for the user.
    pub(super) awaiting_permission: bool,
    /// The abort all flag was set by the user or `abort()` (not by an immediate failure).
    pub(super) aborted_by_user: bool,
    pub(super) records: Vec<Rec>,
    pub(super) shared: Arc<FetchShared>,
    /// "Perform a background fetch": settled records, the first failure, and an immediate
    /// failure (download total or quota) that stops everything.
    pub(super) settled_records: usize,
    pub(super) first_failure: FailureReason,
    pub(super) immediate_failure: Option<FailureReason>,
    /// Progress to broadcast at the next tick.
    pub(super) dirty: bool,
    pub(super) last_update: Option<InstanceUpdate>,
    pub(super) last_display: Option<DisplayUpdate>,
    /// The uploaded count last stored.
    pub(super) stored_uploaded: u64,
    /// Attempts to fire the completion event that the service worker host could not run.
    pub(super) dispatch_failures: u32,
    /// No record below this index is pending (where the search for the next record to
    /// start begins: a fetch of thousands of records is not scanned from the start each
    /// time a connection frees up).
    pub(super) first_pending: std::cell::Cell<usize>,
}

/// What a new (or restored) [`Fetch`] is made of.
pub(super) struct FetchParts {
    pub uid: FetchUid,
    pub registration: RegistrationInfo,
    pub id: String,
    pub title: String,
    pub icons: Vec<ImageResource>,
    pub download_total: u64,
    pub upload_total: u64,
    /// The paused and abort all flags.
    pub control: Control,
    pub records: Vec<Rec>,
    /// Body bytes already stored (after a restart).
    pub stored_total: u64,
    /// Request body bytes already sent (after a restart).
    pub uploaded: u64,
}

impl Fetch {
    /// A background fetch whose result is still empty; the caller sets what a restart
    /// brings back.
    pub(super) fn new(p: FetchParts) -> Fetch {
        let control = watch::channel(p.control).0;
        let shared = Arc::new(FetchShared {
            download_total: p.download_total,
            stored_total: p.stored_total.into(),
            uploaded: p.uploaded.into(),
            control: control.subscribe(),
        });
        Fetch {
            uid: p.uid,
            registration: p.registration,
            id: p.id,
            title: p.title,
            icons: p.icons,
            download_total: p.download_total,
            upload_total: p.upload_total,
            result: FetchResult::Empty,
            failure_reason: FailureReason::Empty,
            records_available: true,
            settled: false,
            control,
            awaiting_permission: false,
            aborted_by_user: false,
            settled_records: p
                .records
                .iter()
                .filter(|r| r.state == RecState::Settled)
                .count(),
            records: p.records,
            shared,
            first_failure: FailureReason::Empty,
            immediate_failure: None,
            dirty: false,
            last_update: None,
            last_display: None,
            stored_uploaded: p.uploaded,
            dispatch_failures: 0,
            first_pending: 0.into(),
        }
    }

    /// The lowest index of a record that may start now: pending, and when offline, not a
    /// GET (GETs wait for the network).
    pub(super) fn startable_record(&self, online: bool) -> Option<usize> {
        let mut first = self.first_pending.get();
        while self
            .records
            .get(first)
            .is_some_and(|r| r.state != RecState::Pending)
        {
            first += 1;
        }
        self.first_pending.set(first);
        let rest = self.records.get(first..)?;
        rest.iter()
            .position(|r| r.state == RecState::Pending && (online || r.request.method != "GET"))
            .map(|i| first + i)
    }

    /// A record is pending again (it was suspended).
    pub(super) fn record_pending_again(&mut self, index: usize) {
        if let Some(rec) = self.records.get_mut(index) {
            rec.state = RecState::Pending;
            self.first_pending.set(self.first_pending.get().min(index));
        }
    }

    /// <https://wicg.github.io/background-fetch/#background-fetch-stored-body-bytes-total>,
    /// durable bytes only (what progress may report).
    pub(super) fn downloaded(&self) -> u64 {
        self.records
            .iter()
            .map(|r| r.counters.synced.load(Ordering::Acquire))
            .sum()
    }

    pub(super) fn uploaded(&self) -> u64 {
        self.shared.uploaded.load(Ordering::Acquire)
    }

    pub(super) fn snapshot(&self) -> RegistrationSnapshot {
        RegistrationSnapshot {
            uid: self.uid,
            registration: self.registration.id,
            id: self.id.clone(),
            upload_total: self.upload_total,
            uploaded: self.uploaded(),
            download_total: self.download_total,
            downloaded: self.downloaded(),
            result: self.result,
            failure_reason: self.failure_reason,
            records_available: self.records_available,
        }
    }

    pub(super) fn update(&self) -> InstanceUpdate {
        InstanceUpdate {
            uid: self.uid,
            downloaded: self.downloaded(),
            uploaded: self.uploaded(),
            result: self.result,
            failure_reason: self.failure_reason,
            records_available: self.records_available,
        }
    }

    pub(super) fn control(&self) -> Control {
        *self.control.borrow()
    }

    pub(super) fn can_pause(&self) -> bool {
        self.records.iter().all(|r| r.request.method == "GET")
    }

    pub(super) fn display(&self, finished: bool) -> DisplayUpdate {
        DisplayUpdate {
            uid: self.uid,
            origin: self.registration.origin.clone(),
            id: self.id.clone(),
            title: self.title.clone(),
            icons: self.icons.clone(),
            download_total: self.download_total,
            downloaded: self.downloaded(),
            upload_total: self.upload_total,
            uploaded: self.uploaded(),
            records_done: self
                .records
                .iter()
                .filter(|r| r.state == RecState::Settled)
                .count() as u32,
            records: self.records.len() as u32,
            paused: self.control().paused,
            awaiting_permission: self.awaiting_permission,
            can_pause: self.can_pause(),
            result: self.result,
            failure_reason: self.failure_reason,
            finished,
        }
    }
}
