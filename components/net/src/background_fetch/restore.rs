//! Restart: every stored background fetch is rebuilt; an active one resumes (its GETs
//! with Range), a settled one gets its pending functional event again.

use super::actor::Actor;
use super::complete_a_record::{Control, RecordCounters};
use super::state::{Fetch, FetchParts, Rec, RecState};
use net_traits::*;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use storage::{FetchState, StoredFetch};

impl Actor {
    /// Rebuilds a stored fetch: an active one resumes, a settled one gets its event again.
    pub(super) fn restore(&mut self, f: StoredFetch) {
        let settled = f.state == FetchState::Settled;
        // Records without a result that cannot simply go on get one now (stored at once):
        // those of a settled fetch were stopped by it (aborted); a non-GET whose request may
        // have gone out is not sent again (fetch-error).
        let mut fixed = Vec::new();
        let mut records: Vec<(Option<i64>, Rec)> = Vec::new();
        for r in f.records {
            let mut result = r.result;
            if result == RecordResult::Empty {
                if settled {
                    result = RecordResult::Failed(FailureReason::Aborted);
                    fixed.push((r.index, result));
                } else if r.started && r.request.method != "GET" {
                    result = RecordResult::Failed(FailureReason::FetchError);
                    fixed.push((r.index, result));
                    log::info!(target: "bgfetch", "fetch {} record {}: a {} may have been sent before the restart; not sending it again", f.uid.0, r.index, r.request.method);
                }
            }
            let counters = Arc::new(RecordCounters::default());
            counters.stored.store(r.stored, Ordering::Release);
            counters.synced.store(r.stored, Ordering::Release);
            let seq = if r.result == RecordResult::Empty {
                None
            } else {
                r.settled_seq
            };
            records.push((
                seq,
                Rec {
                    index: r.index,
                    request: r.request,
                    body_len: r.body_len,
                    response: r.response,
                    state: if result == RecordResult::Empty {
                        RecState::Pending
                    } else {
                        RecState::Settled
                    },
                    result,
                    counters,
                    generation: 0,
                    started: r.started,
                },
            ));
        }
        for (index, result) in &fixed {
            if let Err(e) = self.store.set_record_result(f.uid, *index, *result, None) {
                log::error!(target: "bgfetch", "fetch {}: {e}", f.uid.0);
            }
        }
        // The first failure in the order records settled.
        let mut order: Vec<(i64, FailureReason)> = records
            .iter()
            .filter_map(|(seq, r)| match r.result {
                RecordResult::Failed(reason) => Some((seq.unwrap_or(i64::MAX), reason)),
                _ => None,
            })
            .collect();
        order.sort_by_key(|(seq, _)| *seq);
        let records: Vec<Rec> = records.into_iter().map(|(_, r)| r).collect();
        let stored_total: u64 = records
            .iter()
            .map(|r| r.counters.stored.load(Ordering::Acquire))
            .sum();
        let immediate =
            (f.immediate_failure != FailureReason::Empty).then_some(f.immediate_failure);
        let mut fetch = Fetch::new(FetchParts {
            uid: f.uid,
            registration: f.registration,
            id: f.id,
            title: f.title,
            icons: f.icons,
            download_total: f.download_total,
            upload_total: f.upload_total,
            control: Control {
                paused: f.paused,
                abort_all: f.abort_all,
            },
            records,
            stored_total,
            uploaded: f.uploaded,
        });
        fetch.result = f.result;
        fetch.failure_reason = f.failure_reason;
        fetch.settled = settled;
        fetch.awaiting_permission = f.awaiting_permission;
        // The abort all flag without an immediate failure was the user's (or abort()).
        fetch.aborted_by_user = f.abort_all && immediate.is_none();
        fetch.first_failure = order.first().map(|(_, r)| *r).unwrap_or_default();
        fetch.immediate_failure = immediate;
        let uid = fetch.uid;
        log::info!(target: "bgfetch", "resuming background fetch {} ({:?}) after a restart{}", uid.0, fetch.id, if settled { ": its event is pending" } else { "" });
        if !settled {
            self.active
                .entry(fetch.registration.id)
                .or_default()
                .push((fetch.id.clone(), uid));
        }
        self.display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        if settled {
            self.fire_the_completion_event(uid);
        } else {
            self.perform_a_background_fetch(uid);
            self.settle_pending_records_if_aborting(uid);
            self.check_settled(uid);
        }
    }
}
