//! <https://wicg.github.io/background-fetch/#perform-a-background-fetch>, as a state
//! machine on the actor: the scheduler starts "complete a record" for records in turn, each
//! record's result comes back as a report, and the fetch settles in its registration's edit
//! queue.

use super::actor::Actor;
use super::complete_a_record::{RecordJob, Report};
use super::scheduler::{Candidate, Limits};
use super::state::RecState;
use crate::fetch::BodySource;
use net_traits::*;

impl Actor {
    /// <https://wicg.github.io/background-fetch/#perform-a-background-fetch>, steps 1-5: the
    /// fetch joins the scheduler, which starts "complete a record" for its records in turn
    /// ([`Actor::schedule`]); each record's result comes back as a report
    /// ([`Actor::record_completed`]), and the fetch settles in its registration's edit queue
    /// ([`Actor::settle_in_edit_queue`]).
    pub(super) fn perform_a_background_fetch(&mut self, uid: FetchUid) {
        self.scheduler.add(uid);
    }

    /// Gives free connections to records of the admitted fetches, in turn (the scheduler).
    pub(super) fn schedule(&mut self) {
        let (foreground_total, foreground_by_server) = self.traffic.snapshot();
        let limits = Limits {
            max_active: self.config.max_active_fetches,
            max_connections: self.config.max_connections,
            max_per_server: self.config.max_connections_per_origin,
            max_http2_streams: self.config.max_http2_streams_per_origin,
            foreground_total,
            foreground_by_server,
        };
        let online = *self.online.borrow();
        loop {
            let fetches = &self.fetches;
            let next = self.scheduler.next(&limits, |uid| {
                let f = fetches.get(&uid)?;
                let c = f.control();
                let next = (!f.settled && !c.paused && !c.abort_all)
                    .then(|| f.startable_record(online))
                    .flatten();
                Some(Candidate {
                    origin: f.registration.origin.clone(),
                    server: next
                        .and_then(|i| f.records.get(i))
                        .map(|r| server_of(&r.request.url))
                        .unwrap_or_default(),
                    runnable: next.is_some(),
                })
            });
            let Some(uid) = next else {
                break;
            };
            self.start_record(uid, online);
        }
    }

    /// Starts "complete a record" for a fetch's next pending record (step 5's "in parallel").
    fn start_record(&mut self, uid: FetchUid, online: bool) {
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return;
        };
        // Records in index order.
        let Some(rec) = fetch
            .startable_record(online)
            .and_then(|i| fetch.records.get_mut(i))
        else {
            return;
        };
        // A non-GET's request is about to go out: stored first, so a restart does not send
        // it again.
        if rec.request.method != "GET" && !rec.started {
            if let Err(e) = self.store.mark_started(uid, rec.index) {
                log::error!(target: "bgfetch", "fetch {} record {}: {e}", uid.0, rec.index);
                return;
            }
            rec.started = true;
        }
        rec.state = RecState::Running;
        let body = rec.body_len.map(|len| BodySource::File {
            path: self.store.request_body_path(uid, rec.index),
            len,
        });
        let job = RecordJob {
            uid,
            index: rec.index,
            origin: fetch.registration.origin.clone(),
            request: rec.request.clone(),
            body,
            response: rec.response.clone(),
            store: self.store.clone(),
            http: self.http.clone(),
            shared: fetch.shared.clone(),
            counters: rec.counters.clone(),
            online: self.online.subscribe(),
            reports: self.reports_tx.clone(),
            config: self.config.clone(),
            unchecked_response: None,
            response_unsaved: false,
            unpublished: None,
        };
        let index = rec.index;
        let server = server_of(&rec.request.url);
        let handle = tokio::spawn(job.complete_a_record());
        self.scheduler.started(uid, &server);
        self.running
            .insert((uid, index), (handle.abort_handle(), server, false));
    }

    /// What a record task (or one of the actor's timers) reports.
    pub(super) fn report(&mut self, r: Report) {
        match r {
            Report::Response {
                uid,
                index,
                meta,
                replaced,
            } => {
                if let Some(rec) = self
                    .fetches
                    .get_mut(&uid)
                    .and_then(|f| f.records.get_mut(index as usize))
                {
                    rec.response = Some(meta);
                    if replaced {
                        rec.generation += 1;
                    }
                }
                if let Some(f) = self.fetches.get_mut(&uid) {
                    f.dirty = true;
                }
                self.wake_waiters();
            }
            // (The actor schedules after every message: more streams may start now.)
            Report::Http2 { server } => self.scheduler.speaks_http2(&server),
            Report::TransferEnded { uid, index } => {
                if let Some((_, server, ended)) = self.running.get_mut(&(uid, index)) {
                    if !*ended {
                        *ended = true;
                        self.scheduler.transfer_ended(uid, server);
                    }
                }
            }
            Report::Progress { uid } => {
                if let Some(f) = self.fetches.get_mut(&uid) {
                    f.dirty = true;
                }
            }
            Report::Done { uid, index, result } => {
                self.task_ended(uid, index);
                self.record_completed(uid, index, result);
                self.check_settled(uid);
                self.wake_waiters();
            }
            Report::Redispatch { uid } => self.fire_the_completion_event(uid),
            Report::FetchStored { pending, stored } => self.fetch_stored(*pending, stored),
            Report::Suspended { uid, index } => {
                self.task_ended(uid, index);
                if let Some(f) = self.fetches.get_mut(&uid) {
                    f.record_pending_again(index as usize);
                }
                // Suspended while the abort all flag was being set: it ends aborted.
                self.settle_pending_records_if_aborting(uid);
                self.check_settled(uid);
            }
        }
    }

    fn task_ended(&mut self, uid: FetchUid, index: u32) {
        if let Some((_, server, transfer_ended)) = self.running.remove(&(uid, index)) {
            match transfer_ended {
                true => self.scheduler.synced(),
                false => self.scheduler.finished(uid, &server),
            }
        }
    }

    /// "Perform a background fetch" step 5, after "complete a record" returned for a record.
    pub(super) fn record_completed(&mut self, uid: FetchUid, index: u32, result: RecordResult) {
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return;
        };
        let Some(rec) = fetch.records.get_mut(index as usize) else {
            return;
        };
        if rec.state == RecState::Settled {
            return;
        }
        rec.state = RecState::Settled;
        rec.result = result;
        fetch.dirty = true;
        // Step 5.4. settledFetches += 1.
        fetch.settled_records += 1;
        if let RecordResult::Failed(reason) = result {
            // Step 5.3, as intended (the spec's "is not the empty string" is a typo): the
            // first failure is the fetch's failure reason.
            if fetch.first_failure == FailureReason::Empty {
                fetch.first_failure = reason;
            }
            // Step 5.5. download-total-exceeded is an immediate failure (and so is
            // quota-exceeded, which stops everything as Chromium does).
            if is_immediate(reason) && fetch.immediate_failure.is_none() && !fetch.settled {
                fetch.immediate_failure = Some(reason);
            }
        }
        // The uploaded count is stored with the record's end only when it moved (a fetch
        // of GETs never uploads: a commit per record for nothing slowed many-file fetches).
        let uploaded = fetch.uploaded();
        if uploaded != fetch.stored_uploaded {
            if let Err(e) = self.store.set_uploaded(uid, uploaded) {
                log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
            }
            fetch.stored_uploaded = uploaded;
        }
        log::debug!(target: "bgfetch", "fetch {} record {index}: {:?}", uid.0, result);
    }

    /// Steps 6-7: once every record settled, or at an immediate failure, settle the fetch.
    pub(super) fn check_settled(&mut self, uid: FetchUid) {
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
        if fetch.settled {
            return;
        }
        let all = fetch.settled_records == fetch.records.len();
        if let Some(reason) = fetch.immediate_failure {
            if !fetch.control().abort_all {
                // Step 7. An immediate failure sets the abort all flag.
                log::info!(target: "bgfetch", "fetch {}: {} stops every record", uid.0, reason.as_str());
                self.set_abort_all(uid, false);
                return;
            }
        } else if !all {
            return;
        }
        self.settle_in_edit_queue(uid);
    }

    /// Step 8 of "perform a background fetch" (the edit queue steps).
    fn settle_in_edit_queue(&mut self, uid: FetchUid) {
        let Some(mut fetch) = self.fetches.remove(&uid) else {
            return;
        };
        // Steps 8.1-8.4. Leave the active map; if abort() got there first, "aborted".
        let reg = fetch.registration.id;
        let in_map = self
            .active
            .get(&reg)
            .is_some_and(|l| l.iter().any(|(_, u)| *u == uid));
        let failure_reason = if !in_map || fetch.aborted_by_user {
            FailureReason::Aborted
        } else if let Some(reason) = fetch.immediate_failure {
            reason
        } else {
            fetch.first_failure
        };
        if let Some(list) = self.active.get_mut(&reg) {
            list.retain(|(_, u)| *u != uid);
        }
        // Steps 8.5-8.6. The result.
        if failure_reason != FailureReason::Empty {
            fetch.result = FetchResult::Failure;
            fetch.failure_reason = failure_reason;
        } else {
            fetch.result = FetchResult::Success;
        }
        fetch.settled = true;
        self.scheduler.remove(uid);
        // Durable before anyone hears of it: after a crash the event is fired again.
        if let Err(e) = self
            .store
            .settle(uid, fetch.result, fetch.failure_reason)
            .and_then(|_| self.store.set_uploaded(uid, fetch.uploaded()))
        {
            log::error!(target: "bgfetch", "fetch {}: cannot store its result: {e}", uid.0);
        }
        log::info!(target: "bgfetch", "background fetch {} settled: {} {}", uid.0, fetch.result.as_str(), fetch.failure_reason.as_str());
        // Step 8.7. Update background fetch instances (the final state, not throttled).
        self.update_background_fetch_instances(&mut fetch, true);
        self.display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        self.wake_waiters();
        // Steps 8.8-8.11. The functional event.
        self.fire_the_completion_event(uid);
    }

    /// Sets the fetch's abort all flag (by `abort()` or the user when `by_user`, else by an
    /// immediate failure).
    pub(super) fn set_abort_all(&mut self, uid: FetchUid, by_user: bool) {
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return;
        };
        if by_user {
            fetch.aborted_by_user = true;
        }
        fetch.control.send_modify(|c| c.abort_all = true);
        self.settle_pending_records_if_aborting(uid);
        self.check_settled(uid);
    }

    /// With the abort all flag set, records that are not running end "aborted" at once
    /// ("complete a record" would abort them as soon as they started). The flag, why it was
    /// set, and those results are stored in one transaction.
    pub(super) fn settle_pending_records_if_aborting(&mut self, uid: FetchUid) {
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
        if !fetch.control().abort_all {
            return;
        }
        let result = RecordResult::Failed(FailureReason::Aborted);
        let pending: Vec<(u32, RecordResult)> = fetch
            .records
            .iter()
            .filter(|r| r.state == RecState::Pending)
            .map(|r| (r.index, result))
            .collect();
        let immediate = if fetch.aborted_by_user {
            FailureReason::Empty
        } else {
            fetch.immediate_failure.unwrap_or_default()
        };
        if let Err(e) = self.store.abort_records(uid, immediate, &pending) {
            log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
        }
        for (index, result) in pending {
            self.record_completed(uid, index, result);
        }
    }
}

fn is_immediate(reason: FailureReason) -> bool {
    matches!(
        reason,
        FailureReason::DownloadTotalExceeded | FailureReason::QuotaExceeded
    )
}

/// The server a request goes to, for the connection limits: its URL's origin (a URL that
/// does not parse is its own server; its fetch fails anyway).
pub(crate) fn server_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => url.to_string(),
    }
}
