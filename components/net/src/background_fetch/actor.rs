//! The controller's state, owned by one task on the network runtime. Every message is
//! handled to the end before the next, so each registration's "active background fetches
//! edit queue" is this task's message order: concurrent `fetch()` calls with one id, or an
//! `abort()` racing a fetch's completion, are settled in one order, as the spec requires.

use super::record::{Control, FetchShared, RecordCounters, RecordJob, Report};
use super::scheduler::{Candidate, Limits, Scheduler};
use super::spec::request_matches_cached_item;
use super::{ControllerConfig, EmbedderSinks, Inbox};
use crate::fetch::BodySource;
use crate::http::HttpClient;
use net_traits::*;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use storage::{FetchState, NewFetch, Store, StoreError, StoredFetch};
use tokio::sync::{mpsc, watch};

/// Page-supplied ids and titles longer than this are refused with a TypeError.
const MAX_STRING: usize = 1 << 20;

struct Client {
    origin: String,
    sink: net_traits::ReplySink,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RecState {
    Pending,
    Running,
    Settled,
}

struct Rec {
    index: u32,
    /// The request without its body.
    request: RequestData,
    body_len: Option<u64>,
    /// The response data's response.
    response: Option<ResponseMeta>,
    /// The response data's result.
    result: RecordResult,
    counters: Arc<RecordCounters>,
    state: RecState,
    /// Which response data this is (grows when a whole response replaces a partial one).
    generation: u32,
    /// The request may have been sent (stored before a non-GET goes out).
    started: bool,
}

/// <https://wicg.github.io/background-fetch/#background-fetch>
struct Fetch {
    uid: FetchUid,
    registration: RegistrationInfo,
    id: String,
    title: String,
    icons: Vec<ImageResource>,
    download_total: u64,
    upload_total: u64,
    result: FetchResult,
    failure_reason: FailureReason,
    /// The records available flag.
    records_available: bool,
    /// Settled: out of the active map, result set, its event pending or running.
    settled: bool,
    control: watch::Sender<Control>,
    /// The paused flag is set while a "prompt" permission waits for the user.
    awaiting_permission: bool,
    /// The abort all flag was set by the user or `abort()` (not by an immediate failure).
    aborted_by_user: bool,
    records: Vec<Rec>,
    shared: Arc<FetchShared>,
    /// "Perform a background fetch": settled records, the first failure, and an immediate
    /// failure (download total or quota) that stops everything.
    settled_records: usize,
    first_failure: FailureReason,
    immediate_failure: Option<FailureReason>,
    /// Progress to broadcast at the next tick.
    dirty: bool,
    last_update: Option<InstanceUpdate>,
    last_display: Option<DisplayUpdate>,
    /// The uploaded count last stored.
    stored_uploaded: u64,
    /// Attempts to fire the completion event that the service worker host could not run.
    dispatch_failures: u32,
}

impl Fetch {
    fn downloaded(&self) -> u64 {
        self.records
            .iter()
            .map(|r| r.counters.synced.load(Ordering::Acquire))
            .sum()
    }

    fn uploaded(&self) -> u64 {
        self.shared.uploaded.load(Ordering::Acquire)
    }

    fn snapshot(&self) -> RegistrationSnapshot {
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

    fn update(&self) -> InstanceUpdate {
        InstanceUpdate {
            uid: self.uid,
            downloaded: self.downloaded(),
            uploaded: self.uploaded(),
            result: self.result,
            failure_reason: self.failure_reason,
            records_available: self.records_available,
        }
    }

    fn control(&self) -> Control {
        *self.control.borrow()
    }

    fn can_pause(&self) -> bool {
        self.records.iter().all(|r| r.request.method == "GET")
    }

    fn display(&self, finished: bool) -> DisplayUpdate {
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

struct BodyWaiter {
    client: ClientId,
    request: RequestId,
    uid: FetchUid,
    index: u32,
    generation: u32,
    offset: u64,
    max: u32,
}

/// Body reads return at most this much at a time.
const MAX_READ: u32 = 1 << 20;

/// A completion event the service worker host could not run is tried again this many times
/// (1 s, 2 s, 4 s, ...), then the records are released.
const MAX_DISPATCH_FAILURES: u32 = 5;

/// Finished fetches whose UI may still be clicked.
const FINISHED_KEPT: usize = 64;

struct ResponseWaiter {
    client: ClientId,
    request: RequestId,
    uid: FetchUid,
    index: u32,
}

pub(crate) struct Actor {
    config: ControllerConfig,
    store: Arc<Store>,
    http: HttpClient,
    sinks: EmbedderSinks,
    clients: HashMap<ClientId, Client>,
    /// Each registration's active background fetches: id -> uid, in insertion order.
    active: HashMap<RegistrationId, Vec<(String, FetchUid)>>,
    fetches: HashMap<FetchUid, Fetch>,
    scheduler: Scheduler,
    online: watch::Sender<bool>,
    reports_tx: mpsc::UnboundedSender<Report>,
    reports_rx: Option<mpsc::UnboundedReceiver<Report>>,
    /// Running record tasks, with the origin their connection counts against.
    running: HashMap<(FetchUid, u32), (tokio::task::AbortHandle, String)>,
    events: HashMap<EventId, FetchUid>,
    next_event: u64,
    /// Fetches whose records were released, for a click on a UI that stayed up.
    finished: std::collections::VecDeque<(RegistrationInfo, RegistrationSnapshot)>,
    body_waiters: Vec<BodyWaiter>,
    response_waiters: Vec<ResponseWaiter>,
}

impl Actor {
    pub fn new(
        config: ControllerConfig,
        store: Arc<Store>,
        http: HttpClient,
        sinks: EmbedderSinks,
    ) -> Actor {
        let (reports_tx, reports_rx) = mpsc::unbounded_channel();
        Actor {
            config,
            store,
            http,
            sinks,
            clients: HashMap::new(),
            active: HashMap::new(),
            fetches: HashMap::new(),
            scheduler: Scheduler::default(),
            online: watch::channel(true).0,
            reports_tx,
            reports_rx: Some(reports_rx),
            running: HashMap::new(),
            events: HashMap::new(),
            // Not reused across starts: a late EventDone from before cannot end a new event.
            next_event: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_micros() as u64)
                .unwrap_or(1),
            finished: std::collections::VecDeque::new(),
            body_waiters: Vec::new(),
            response_waiters: Vec::new(),
        }
    }

    pub async fn run(
        mut self,
        mut inbox: mpsc::UnboundedReceiver<Inbox>,
        stored: Vec<StoredFetch>,
    ) {
        let Some(mut reports) = self.reports_rx.take() else {
            return;
        };
        for f in stored {
            self.restore(f);
        }
        self.schedule();
        let mut ticker = tokio::time::interval(self.config.progress_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                msg = inbox.recv() => match msg {
                    None => break,
                    Some(Inbox::Shutdown(done)) => {
                        self.stop_all();
                        let _ = done.send(());
                        break;
                    }
                    Some(Inbox::Connect { client, origin, sink }) => {
                        self.clients.insert(client, Client { origin, sink });
                    }
                    Some(Inbox::Disconnect(client)) => {
                        self.clients.remove(&client);
                        self.body_waiters.retain(|w| w.client != client);
                        self.response_waiters.retain(|w| w.client != client);
                    }
                    Some(Inbox::Request(r)) => self.request(r),
                    Some(Inbox::Command(c)) => self.command(c),
                },
                Some(report) = reports.recv() => self.report(report),
                _ = ticker.tick() => self.tick(),
            }
            self.schedule();
        }
        self.stop_all();
    }

    /// Stops every transfer where it is (a shutdown, not a failure).
    fn stop_all(&mut self) {
        for (_, (handle, _)) in self.running.drain() {
            handle.abort();
        }
    }

    /// Stops a fetch's running record tasks (its connections are given back).
    fn stop_tasks(&mut self, uid: FetchUid) {
        let keys: Vec<(FetchUid, u32)> = self
            .running
            .keys()
            .filter(|(u, _)| *u == uid)
            .copied()
            .collect();
        for key in keys {
            if let Some((handle, origin)) = self.running.remove(&key) {
                handle.abort();
                self.scheduler.finished(uid, &origin);
            }
        }
    }

    // ---- Restart -------------------------------------------------------------------------

    /// Rebuilds a stored fetch: an active one resumes, a settled one gets its event again.
    fn restore(&mut self, f: StoredFetch) {
        let settled = f.state == FetchState::Settled;
        let control = watch::channel(Control {
            paused: f.paused,
            abort_all: f.abort_all,
        })
        .0;
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
            if let Err(e) = self.store.set_record_result(f.uid, *index, *result) {
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
        let shared = Arc::new(FetchShared {
            download_total: f.download_total,
            stored_total: stored_total.into(),
            uploaded: f.uploaded.into(),
            control: control.subscribe(),
        });
        let immediate =
            (f.immediate_failure != FailureReason::Empty).then_some(f.immediate_failure);
        let mut fetch = Fetch {
            uid: f.uid,
            registration: f.registration,
            id: f.id,
            title: f.title,
            icons: f.icons,
            download_total: f.download_total,
            upload_total: f.upload_total,
            result: f.result,
            failure_reason: f.failure_reason,
            records_available: true,
            settled,
            control,
            awaiting_permission: f.awaiting_permission,
            // The abort all flag without an immediate failure was the user's (or abort()).
            aborted_by_user: f.abort_all && immediate.is_none(),
            settled_records: records
                .iter()
                .filter(|r| r.state == RecState::Settled)
                .count(),
            first_failure: order.first().map(|(_, r)| *r).unwrap_or_default(),
            immediate_failure: immediate,
            records,
            shared,
            dirty: false,
            last_update: None,
            last_display: None,
            stored_uploaded: f.uploaded,
            dispatch_failures: 0,
        };
        let uid = fetch.uid;
        log::info!(target: "bgfetch", "resuming background fetch {} ({:?}) after a restart{}", uid.0, fetch.id, if settled { ": its event is pending" } else { "" });
        if !settled {
            self.active
                .entry(fetch.registration.id)
                .or_default()
                .push((fetch.id.clone(), uid));
            self.scheduler.add(uid);
        }
        self.send_display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        if settled {
            self.dispatch_completion_event(uid);
        } else {
            self.settle_pending_records_if_aborting(uid);
            self.check_settled(uid);
        }
    }

    // ---- Script requests -----------------------------------------------------------------

    fn reply(&self, client: ClientId, msg: BackgroundFetchReply) {
        if let Some(c) = self.clients.get(&client) {
            (c.sink)(msg);
        }
    }

    /// The origin a client connected with (requests are only about that origin's fetches).
    fn origin_of(&self, client: ClientId) -> Option<&str> {
        self.clients.get(&client).map(|c| c.origin.as_str())
    }

    /// A fetch a client may see: known, and of the client's origin.
    fn visible(&self, client: ClientId, uid: FetchUid) -> bool {
        match (self.origin_of(client), self.fetches.get(&uid)) {
            (Some(origin), Some(f)) => f.registration.origin == origin,
            _ => false,
        }
    }

    /// `uid` if the client may see that fetch, else the uid no fetch has (a waiter on it
    /// is answered as for an unknown fetch, so other origins' fetches stay invisible).
    fn visible_uid(&self, client: ClientId, uid: FetchUid) -> FetchUid {
        if self.visible(client, uid) {
            uid
        } else {
            FetchUid(0)
        }
    }

    fn request(&mut self, r: BackgroundFetchRequest) {
        match r {
            BackgroundFetchRequest::Fetch {
                client,
                request,
                registration,
                id,
                requests,
                download_total,
                title,
                icons,
                permission,
            } => {
                // A script thread acts for its own origin only.
                if self.origin_of(client) != Some(registration.origin.as_str()) {
                    let result = Err(BackgroundFetchError::Type(
                        "the registration is not of this client's origin".into(),
                    ));
                    self.reply(client, BackgroundFetchReply::Fetched { request, result });
                    return;
                }
                let result = self.fetch(
                    registration,
                    id,
                    requests,
                    download_total,
                    title,
                    icons,
                    permission,
                );
                self.reply(client, BackgroundFetchReply::Fetched { request, result });
            }
            BackgroundFetchRequest::Get {
                client,
                request,
                registration,
                id,
            } => {
                // get() step 2: the registration's active background fetches[id].
                let snapshot = self
                    .active
                    .get(&registration)
                    .and_then(|list| list.iter().find(|(i, _)| *i == id))
                    .and_then(|(_, uid)| self.fetches.get(uid))
                    .filter(|f| Some(f.registration.origin.as_str()) == self.origin_of(client))
                    .map(Fetch::snapshot);
                self.reply(
                    client,
                    BackgroundFetchReply::Got {
                        request,
                        registration: snapshot,
                    },
                );
            }
            BackgroundFetchRequest::GetIds {
                client,
                request,
                registration,
            } => {
                // getIds(): the keys of the registration's active background fetches.
                let ids = self
                    .active
                    .get(&registration)
                    .map(|list| {
                        list.iter()
                            .filter(|(_, uid)| self.visible(client, *uid))
                            .map(|(id, _)| id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                self.reply(client, BackgroundFetchReply::Ids { request, ids });
            }
            BackgroundFetchRequest::Abort {
                client,
                request,
                uid,
            } => {
                let aborted = self.visible(client, uid) && self.abort(uid);
                self.reply(client, BackgroundFetchReply::Aborted { request, aborted });
            }
            BackgroundFetchRequest::MatchAll {
                client,
                request,
                uid,
                query,
                options,
            } => {
                let result = if self.visible(client, uid) {
                    self.match_all(uid, query.as_ref(), options)
                } else {
                    Err(BackgroundFetchError::InvalidState(
                        "no such background fetch".into(),
                    ))
                };
                self.reply(client, BackgroundFetchReply::Records { request, result });
            }
            BackgroundFetchRequest::ReadBody {
                client,
                request,
                uid,
                index,
                generation,
                offset,
                max,
            } => {
                let waiter = BodyWaiter {
                    client,
                    request,
                    uid: self.visible_uid(client, uid),
                    index,
                    generation,
                    offset,
                    max: max.clamp(1, MAX_READ),
                };
                if let Some(w) = self.try_read_body(waiter) {
                    self.body_waiters.push(w);
                }
            }
            BackgroundFetchRequest::WaitForResponse {
                client,
                request,
                uid,
                index,
            } => {
                let waiter = ResponseWaiter {
                    client,
                    request,
                    uid: self.visible_uid(client, uid),
                    index,
                };
                if let Some(w) = self.try_response(waiter) {
                    self.response_waiters.push(w);
                }
            }
            BackgroundFetchRequest::UpdateUi {
                client,
                request,
                uid,
                title,
                icons,
            } => {
                let result = if self.visible(client, uid) {
                    self.update_ui(uid, title, icons)
                } else {
                    Err(BackgroundFetchError::InvalidState(
                        "no such background fetch".into(),
                    ))
                };
                self.reply(client, BackgroundFetchReply::UiUpdated { request, result });
            }
            BackgroundFetchRequest::EventDone { event, dispatched } => {
                self.event_done(event, dispatched);
            }
        }
    }

    /// The edit-queue steps of <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-fetch>
    /// (step 8), with the records' request bodies already read by the script side.
    #[allow(clippy::too_many_arguments)]
    fn fetch(
        &mut self,
        registration: RegistrationInfo,
        id: String,
        requests: Vec<RequestData>,
        download_total: u64,
        title: String,
        icons: Vec<ImageResource>,
        permission: PermissionState,
    ) -> Result<RegistrationSnapshot, BackgroundFetchError> {
        use BackgroundFetchError as E;
        // Step 8.1-8.2. A denied permission is a NotAllowedError.
        if permission == PermissionState::Denied {
            return Err(E::NotAllowed(
                "the background-fetch permission is denied".into(),
            ));
        }
        // Step 8.4. An active worker is needed.
        if !registration.has_active_worker {
            return Err(E::Type(
                "the service worker registration has no active worker".into(),
            ));
        }
        // Step 8.5. The id must not be an active background fetch's.
        if self
            .active
            .get(&registration.id)
            .is_some_and(|list| list.iter().any(|(i, _)| *i == id))
        {
            return Err(E::Type(format!(
                "there is already an active background fetch with the id {id:?}"
            )));
        }
        if requests.is_empty() {
            return Err(E::Type("no requests".into()));
        }
        if id.len() > MAX_STRING || title.len() > MAX_STRING {
            return Err(E::Type("the id or title is too long".into()));
        }
        // The quota must hold the promised download up front (BEHAVIOURS 7).
        if download_total > 0 && !self.store.fits(&registration.origin, download_total) {
            return Err(E::QuotaExceeded(
                "the download total exceeds the storage quota".into(),
            ));
        }
        // Steps 8.6-8.10. Store the requests and their bodies (durably, before answering).
        let uid = self.store.next_uid().map_err(storage_error)?;
        let prompt = permission == PermissionState::Prompt;
        self.store
            .insert_fetch(&NewFetch {
                uid,
                registration: &registration,
                id: &id,
                title: &title,
                icons: &icons,
                download_total,
                paused: prompt,
                awaiting_permission: prompt,
                requests: &requests,
            })
            .map_err(|e| match e {
                // Step 8.7. Storing the requests past the quota: QuotaExceededError.
                StoreError::Quota(_) => {
                    E::QuotaExceeded("the requests exceed the storage quota".into())
                }
                other => storage_error(other),
            })?;
        // Step 8.11. The new background fetch.
        let upload_total = requests
            .iter()
            .filter_map(|r| r.body.as_ref())
            .map(|b| b.len() as u64)
            .sum();
        let control = watch::channel(Control {
            paused: prompt,
            abort_all: false,
        })
        .0;
        let shared = Arc::new(FetchShared {
            download_total,
            stored_total: 0.into(),
            uploaded: 0.into(),
            control: control.subscribe(),
        });
        let records = requests
            .into_iter()
            .enumerate()
            .map(|(index, mut request)| {
                let body_len = request.body.take().map(|b| b.len() as u64);
                Rec {
                    index: index as u32,
                    request,
                    body_len,
                    response: None,
                    result: RecordResult::Empty,
                    counters: Arc::default(),
                    state: RecState::Pending,
                    generation: 0,
                    started: false,
                }
            })
            .collect();
        let fetch = Fetch {
            uid,
            registration,
            id: id.clone(),
            title,
            icons,
            download_total,
            upload_total,
            result: FetchResult::Empty,
            failure_reason: FailureReason::Empty,
            records_available: true,
            settled: false,
            control,
            awaiting_permission: prompt,
            aborted_by_user: false,
            records,
            shared,
            settled_records: 0,
            first_failure: FailureReason::Empty,
            immediate_failure: None,
            dirty: false,
            last_update: None,
            last_display: None,
            stored_uploaded: 0,
            dispatch_failures: 0,
        };
        // Step 8.12. bgFetchMap[id] = bgFetch.
        self.active
            .entry(fetch.registration.id)
            .or_default()
            .push((id, uid));
        let snapshot = fetch.snapshot();
        log::info!(target: "bgfetch", "background fetch {} registered: {:?}, {} request(s), {}", uid.0, snapshot.id, fetch.records.len(), fetch.registration.origin);
        // Steps 8.14-8.15. Display it, and perform it.
        let mut fetch = fetch;
        self.send_display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        self.scheduler.add(uid);
        Ok(snapshot)
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-abort>
    fn abort(&mut self, uid: FetchUid) -> bool {
        let Some(fetch) = self.fetches.get(&uid) else {
            return false;
        };
        let reg = fetch.registration.id;
        // Step 3.3. If the active fetches do not contain this background fetch: false.
        let Some(list) = self.active.get_mut(&reg) else {
            return false;
        };
        let Some(pos) = list.iter().position(|(_, u)| *u == uid) else {
            return false;
        };
        // Steps 3.4-3.6. Remove it, answer true, set the abort all flag.
        list.remove(pos);
        self.set_abort_all(uid, true);
        true
    }

    fn set_abort_all(&mut self, uid: FetchUid, by_user: bool) {
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
    fn settle_pending_records_if_aborting(&mut self, uid: FetchUid) {
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
            self.record_done(uid, index, result);
        }
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-matchall>
    /// (the in-parallel steps; the records available check is the script side's, and here).
    fn match_all(
        &self,
        uid: FetchUid,
        query: Option<&RequestData>,
        options: CacheQueryOptions,
    ) -> Result<Vec<RecordSnapshot>, BackgroundFetchError> {
        let fetch = self
            .fetches
            .get(&uid)
            .filter(|f| f.records_available)
            .ok_or_else(|| {
                BackgroundFetchError::InvalidState("the records are no longer available".into())
            })?;
        let mut out = Vec::new();
        for r in &fetch.records {
            if let Some(q) = query {
                if !request_matches_cached_item(q, &r.request, r.response.as_ref(), options) {
                    continue;
                }
            }
            let mut request = r.request.clone();
            if r.body_len.is_some() {
                request.body = self
                    .store
                    .request_body(uid, r.index)
                    .map_err(storage_error)?;
            }
            out.push(RecordSnapshot {
                uid,
                index: r.index,
                request,
                response: r.response.as_ref().map(ResponseMeta::for_script),
                result: r.result,
                stored: r.counters.synced.load(Ordering::Acquire),
                generation: r.generation,
            });
        }
        Ok(out)
    }

    /// Answers a body read if it can be answered now; gives the waiter back otherwise.
    fn try_read_body(&self, w: BodyWaiter) -> Option<BodyWaiter> {
        let fail = |message: &str| {
            self.reply(
                w.client,
                BackgroundFetchReply::Body {
                    request: w.request,
                    chunk: BodyChunk::Failed(message.into()),
                },
            );
            None
        };
        let Some((fetch, rec)) = self
            .fetches
            .get(&w.uid)
            .and_then(|f| f.records.get(w.index as usize).map(|r| (f, r)))
        else {
            // A reader that comes after an aborted fetch released its records: the body
            // still errors with an AbortError.
            if self.finished_aborted(w.uid) {
                self.reply(
                    w.client,
                    BackgroundFetchReply::Body {
                        request: w.request,
                        chunk: BodyChunk::Aborted,
                    },
                );
                return None;
            }
            return fail("the records are no longer available");
        };
        if !fetch.records_available {
            // An aborted record's body errors with an AbortError, also once the records
            // were released (a reader may come late).
            if rec.result == RecordResult::Failed(FailureReason::Aborted) {
                self.reply(
                    w.client,
                    BackgroundFetchReply::Body {
                        request: w.request,
                        chunk: BodyChunk::Aborted,
                    },
                );
                return None;
            }
            return fail("the records are no longer available");
        }
        // The response data being read became redundant: its stream errors (it must never
        // go on with another response's bytes).
        if rec.generation != w.generation {
            return fail("the response was replaced by a new one");
        }
        if rec.response.as_ref().is_some_and(ResponseMeta::is_opaque) {
            return fail("an opaque response has no readable body");
        }
        let available = rec.counters.synced.load(Ordering::Acquire);
        // Create record objects, pull step 3: bytes if there are more and they may be exposed.
        if available > w.offset && rec.result.exposed() {
            let store = self.store.clone();
            let sink = self.clients.get(&w.client).map(|c| c.sink.clone());
            let len = (available - w.offset).min(w.max as u64) as usize;
            let (uid, index, offset, request) = (w.uid, w.index, w.offset, w.request);
            tokio::task::spawn_blocking(move || {
                let chunk = match store.read_body(uid, index, offset, len) {
                    // Shorter than counted: the file was cut (a replacement) meanwhile.
                    Ok(bytes) if bytes.is_empty() => {
                        BodyChunk::Failed("the response was replaced by a new one".into())
                    }
                    Ok(bytes) => BodyChunk::Data(bytes),
                    Err(e) => BodyChunk::Failed(e.to_string()),
                };
                if let Some(sink) = sink {
                    sink(BackgroundFetchReply::Body { request, chunk });
                }
            });
            return None;
        }
        let chunk = match rec.result {
            // Nothing new yet: wait.
            RecordResult::Empty => return Some(w),
            r if r.exposed() => BodyChunk::End,
            RecordResult::Failed(FailureReason::Aborted) => BodyChunk::Aborted,
            _ => BodyChunk::Failed("the response cannot be exposed".into()),
        };
        self.reply(
            w.client,
            BackgroundFetchReply::Body {
                request: w.request,
                chunk,
            },
        );
        None
    }

    fn try_response(&self, w: ResponseWaiter) -> Option<ResponseWaiter> {
        let Some(rec) = self
            .fetches
            .get(&w.uid)
            .and_then(|f| f.records.get(w.index as usize))
        else {
            // The records are gone: an aborted fetch's still reject with an AbortError.
            let reason = if self.finished_aborted(w.uid) {
                FailureReason::Aborted
            } else {
                FailureReason::FetchError
            };
            self.reply(
                w.client,
                BackgroundFetchReply::RecordReady {
                    request: w.request,
                    response: None,
                    result: RecordResult::Failed(reason),
                    generation: 0,
                },
            );
            return None;
        };
        // Create record objects step 2.9: wait for the response, or a result without one.
        let (response, result) = match (&rec.response, rec.result) {
            (Some(r), result) if result.exposed() => (Some(r.for_script()), result),
            (_, RecordResult::Empty) => return Some(w),
            (_, result) => (None, result),
        };
        self.reply(
            w.client,
            BackgroundFetchReply::RecordReady {
                request: w.request,
                response,
                result,
                generation: rec.generation,
            },
        );
        None
    }

    fn wake_waiters(&mut self) {
        let body = std::mem::take(&mut self.body_waiters);
        self.body_waiters = body
            .into_iter()
            .filter_map(|w| self.try_read_body(w))
            .collect();
        let response = std::mem::take(&mut self.response_waiters);
        self.response_waiters = response
            .into_iter()
            .filter_map(|w| self.try_response(w))
            .collect();
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchupdateuievent-updateui>
    /// steps 4-7 (the event checks are the script side's).
    fn update_ui(
        &mut self,
        uid: FetchUid,
        title: Option<String>,
        icons: Option<Vec<ImageResource>>,
    ) -> Result<(), BackgroundFetchError> {
        if title.as_ref().is_some_and(|t| t.len() > MAX_STRING) {
            return Err(BackgroundFetchError::Type("the title is too long".into()));
        }
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return Err(BackgroundFetchError::InvalidState(
                "the background fetch is gone".into(),
            ));
        };
        if let Some(icons) = icons {
            fetch.icons = icons;
        }
        if let Some(title) = title {
            fetch.title = title;
        }
        self.store
            .set_ui(uid, &fetch.title, &fetch.icons)
            .map_err(storage_error)?;
        self.with_fetch(uid, |this, fetch| this.send_display(fetch, false));
        Ok(())
    }

    // ---- Embedder commands ----------------------------------------------------------------

    fn command(&mut self, c: EmbedderCommand) {
        match c {
            EmbedderCommand::Pause(uid) => self.set_paused(uid, true),
            EmbedderCommand::Resume(uid) => {
                // A fetch waiting for the permission answer resumes only with a grant.
                if self
                    .fetches
                    .get(&uid)
                    .is_some_and(|f| !f.awaiting_permission)
                {
                    self.set_paused(uid, false)
                }
            }
            // The UI sets the abort all flag (the fetch stays in the active map until it
            // settles, as "aborted").
            EmbedderCommand::Abort(uid) => self.set_abort_all(uid, true),
            EmbedderCommand::Click(uid) => {
                // Fire a background fetch click event: while the fetch runs, and after it
                // completed if its UI stayed up.
                if self.fetches.contains_key(&uid) {
                    self.dispatch(uid, FunctionalEvent::Click);
                } else if let Some((registration, fetch)) =
                    self.finished.iter().find(|(_, f)| f.uid == uid).cloned()
                {
                    let event = EventId(self.next_event);
                    self.next_event += 1;
                    let _ = self.sinks.events.send(DispatchEvent {
                        event,
                        kind: FunctionalEvent::Click,
                        registration,
                        fetch,
                    });
                }
            }
            EmbedderCommand::PermissionAnswer { uid, granted } => {
                let Some(fetch) = self.fetches.get_mut(&uid) else {
                    return;
                };
                if !fetch.awaiting_permission {
                    return;
                }
                fetch.awaiting_permission = false;
                if granted {
                    self.set_paused(uid, false);
                } else {
                    self.set_abort_all(uid, true);
                }
            }
            EmbedderCommand::SetOnline(online) => {
                self.online.send_replace(online);
                log::info!(target: "bgfetch", "the network is {}", if online { "back" } else { "gone" });
            }
            EmbedderCommand::RegistrationRemoved(reg) => self.registration_removed(reg),
        }
    }

    fn set_paused(&mut self, uid: FetchUid, paused: bool) {
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return;
        };
        // Pause is only offered when every request is a GET; a permission wait also pauses.
        if fetch.settled || (paused && !fetch.can_pause()) {
            return;
        }
        fetch.control.send_modify(|c| c.paused = paused);
        let c = fetch.control();
        if let Err(e) = self
            .store
            .set_flags(uid, c.paused, fetch.awaiting_permission, c.abort_all)
        {
            log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
        }
        self.with_fetch(uid, |this, fetch| this.send_display(fetch, false));
    }

    /// A service worker registration went away: its fetches end (aborted) and their data
    /// is cleared; no event can be fired any more.
    fn registration_removed(&mut self, reg: RegistrationId) {
        self.active.remove(&reg);
        let uids: Vec<FetchUid> = self
            .fetches
            .values()
            .filter(|f| f.registration.id == reg)
            .map(|f| f.uid)
            .collect();
        for uid in uids {
            self.stop_tasks(uid);
            if let Some(mut fetch) = self.fetches.remove(&uid) {
                fetch.control.send_modify(|c| c.abort_all = true);
                if !fetch.settled {
                    fetch.result = FetchResult::Failure;
                    fetch.failure_reason = FailureReason::Aborted;
                }
                fetch.records_available = false;
                self.scheduler.remove(uid);
                self.broadcast(&mut fetch, true);
                self.send_display(&mut fetch, true);
            }
            self.events.retain(|_, u| *u != uid);
            if let Err(e) = self.store.remove_fetch(uid) {
                log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
            }
        }
        self.wake_waiters();
    }

    // ---- Record reports ------------------------------------------------------------------

    fn report(&mut self, r: Report) {
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
            Report::Progress { uid } => {
                if let Some(f) = self.fetches.get_mut(&uid) {
                    f.dirty = true;
                }
            }
            Report::Done { uid, index, result } => {
                self.task_ended(uid, index);
                self.record_done(uid, index, result);
                self.check_settled(uid);
                self.wake_waiters();
            }
            Report::Redispatch { uid } => self.dispatch_completion_event(uid),
            Report::Suspended { uid, index } => {
                self.task_ended(uid, index);
                if let Some(rec) = self
                    .fetches
                    .get_mut(&uid)
                    .and_then(|f| f.records.get_mut(index as usize))
                {
                    rec.state = RecState::Pending;
                }
                // Suspended while the abort all flag was being set: it ends aborted.
                self.settle_pending_records_if_aborting(uid);
                self.check_settled(uid);
            }
        }
    }

    fn task_ended(&mut self, uid: FetchUid, index: u32) {
        if let Some((_, origin)) = self.running.remove(&(uid, index)) {
            self.scheduler.finished(uid, &origin);
        }
    }

    /// "Perform a background fetch" step 5, after "complete a record" returned for a record.
    fn record_done(&mut self, uid: FetchUid, index: u32, result: RecordResult) {
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
            // Step 5.5. download-total-exceeded (and, as BEHAVIOURS 14 asks, quota-exceeded)
            // is an immediate failure.
            if is_immediate(reason) && fetch.immediate_failure.is_none() && !fetch.settled {
                fetch.immediate_failure = Some(reason);
            }
        }
        let uploaded = fetch.uploaded();
        if let Err(e) = self.store.set_uploaded(uid, uploaded) {
            log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
        }
        log::debug!(target: "bgfetch", "fetch {} record {index}: {:?}", uid.0, result);
    }

    /// Step 6: once every record settled, or at an immediate failure, settle the fetch.
    fn check_settled(&mut self, uid: FetchUid) {
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
        self.settle(uid);
    }

    /// Step 8 of "perform a background fetch" (the edit queue steps).
    fn settle(&mut self, uid: FetchUid) {
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
        self.broadcast(&mut fetch, true);
        self.send_display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        self.wake_waiters();
        // Steps 8.8-8.11. The functional event.
        self.dispatch_completion_event(uid);
    }

    fn dispatch_completion_event(&mut self, uid: FetchUid) {
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
        let kind = match fetch.failure_reason {
            FailureReason::Aborted => FunctionalEvent::Abort,
            FailureReason::Empty => FunctionalEvent::Success,
            _ => FunctionalEvent::Fail,
        };
        self.dispatch(uid, kind);
    }

    /// Fire a functional event: hand it to the service worker host. Without a host (its
    /// channel closed) the event stays pending in the store, for the next start.
    fn dispatch(&mut self, uid: FetchUid, kind: FunctionalEvent) {
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
        let event = EventId(self.next_event);
        self.next_event += 1;
        let msg = DispatchEvent {
            event,
            kind,
            registration: fetch.registration.clone(),
            fetch: fetch.snapshot(),
        };
        if kind != FunctionalEvent::Click {
            self.events.insert(event, uid);
        }
        if self.sinks.events.send(msg).is_err() {
            log::warn!(target: "bgfetch", "no service worker host: {} for fetch {} waits for the next start", kind.name(), uid.0);
            self.events.remove(&event);
        }
    }

    /// Steps 8.11.1-8.11.3: the event is no longer active; the records go. An event the host
    /// could not fire (its worker would not start) is tried again a few times first.
    fn event_done(&mut self, event: EventId, dispatched: bool) {
        let Some(uid) = self.events.remove(&event) else {
            return;
        };
        if !dispatched {
            let Some(fetch) = self.fetches.get_mut(&uid) else {
                return;
            };
            fetch.dispatch_failures += 1;
            if fetch.dispatch_failures <= MAX_DISPATCH_FAILURES {
                let delay = std::time::Duration::from_secs(1 << (fetch.dispatch_failures - 1));
                log::warn!(target: "bgfetch", "fetch {}: its event could not be fired; again in {delay:?}", uid.0);
                let reports = self.reports_tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = reports.send(Report::Redispatch { uid });
                });
                return;
            }
            log::warn!(target: "bgfetch", "fetch {}: its event could not be fired; giving up", uid.0);
        }
        // Anything still running (records an immediate failure stopped) ends first.
        self.stop_tasks(uid);
        let Some(mut fetch) = self.fetches.remove(&uid) else {
            return;
        };
        // Release the stored records (durably), then unset the records available flag and
        // update the instances.
        if let Err(e) = self.store.remove_fetch(uid) {
            log::error!(target: "bgfetch", "fetch {}: cannot release its records: {e}", uid.0);
        }
        fetch.records_available = false;
        self.broadcast(&mut fetch, true);
        self.send_display(&mut fetch, true);
        self.finished
            .push_back((fetch.registration.clone(), fetch.snapshot()));
        if self.finished.len() > FINISHED_KEPT {
            self.finished.pop_front();
        }
        self.wake_waiters();
    }

    /// Whether `uid` is a recently finished fetch that was aborted.
    fn finished_aborted(&self, uid: FetchUid) -> bool {
        self.finished
            .iter()
            .any(|(_, s)| s.uid == uid && s.failure_reason == FailureReason::Aborted)
    }

    /// Runs `f` with a fetch taken out of the map (so `self` stays usable), then puts it back.
    fn with_fetch(&mut self, uid: FetchUid, f: impl FnOnce(&Self, &mut Fetch)) {
        if let Some(mut fetch) = self.fetches.remove(&uid) {
            f(self, &mut fetch);
            self.fetches.insert(uid, fetch);
        }
    }

    // ---- Progress ------------------------------------------------------------------------

    fn tick(&mut self) {
        let dirty: Vec<FetchUid> = self
            .fetches
            .values()
            .filter(|f| f.dirty)
            .map(|f| f.uid)
            .collect();
        for uid in dirty {
            if let Some(mut fetch) = self.fetches.remove(&uid) {
                fetch.dirty = false;
                // Uploaded bytes are kept across restarts (progress never goes backwards).
                let uploaded = fetch.uploaded();
                if uploaded != fetch.stored_uploaded {
                    if let Err(e) = self.store.set_uploaded(uid, uploaded) {
                        log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
                    }
                    fetch.stored_uploaded = uploaded;
                }
                self.broadcast(&mut fetch, false);
                self.send_display(&mut fetch, false);
                self.fetches.insert(uid, fetch);
            }
        }
        self.wake_waiters();
    }

    /// <https://wicg.github.io/background-fetch/#update-background-fetch-instances>: the
    /// values go to every client of the registration's origin, if they changed.
    fn broadcast(&self, fetch: &mut Fetch, force: bool) {
        let update = fetch.update();
        if !force && fetch.last_update.as_ref() == Some(&update) {
            return;
        }
        fetch.last_update = Some(update.clone());
        for c in self.clients.values() {
            if c.origin == fetch.registration.origin {
                (c.sink)(BackgroundFetchReply::Update(update.clone()));
            }
        }
    }

    /// Tells the UI, if what it shows changed.
    fn send_display(&self, fetch: &mut Fetch, finished: bool) {
        let Some(sink) = &self.sinks.display else {
            return;
        };
        let d = fetch.display(finished);
        if fetch.last_display.as_ref() == Some(&d) {
            return;
        }
        fetch.last_display = Some(d.clone());
        let _ = sink.send(d);
    }

    // ---- Scheduling ----------------------------------------------------------------------

    fn schedule(&mut self) {
        let limits = Limits {
            max_active: self.config.max_active_fetches,
            max_connections: self.config.max_connections,
            max_per_origin: self.config.max_connections_per_origin,
        };
        let online = *self.online.borrow();
        loop {
            let fetches = &self.fetches;
            let next = self.scheduler.next(&limits, |uid| {
                let f = fetches.get(&uid)?;
                let c = f.control();
                let runnable = !f.settled
                    && !c.paused
                    && !c.abort_all
                    && f.records.iter().any(|r| {
                        r.state == RecState::Pending && (online || r.request.method != "GET")
                    });
                Some(Candidate {
                    origin: f.registration.origin.clone(),
                    runnable,
                })
            });
            let Some(uid) = next else {
                break;
            };
            self.start_record(uid, online);
        }
    }

    fn start_record(&mut self, uid: FetchUid, online: bool) {
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return;
        };
        // Records in index order.
        let Some(rec) = fetch
            .records
            .iter_mut()
            .find(|r| r.state == RecState::Pending && (online || r.request.method != "GET"))
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
        };
        let index = rec.index;
        let origin = fetch.registration.origin.clone();
        let handle = tokio::spawn(job.run());
        self.scheduler.started(uid, &origin);
        self.running
            .insert((uid, index), (handle.abort_handle(), origin));
    }
}

fn is_immediate(reason: FailureReason) -> bool {
    matches!(
        reason,
        FailureReason::DownloadTotalExceeded | FailureReason::QuotaExceeded
    )
}

fn storage_error(e: StoreError) -> BackgroundFetchError {
    log::error!(target: "bgfetch", "{e}");
    BackgroundFetchError::Type(format!("the background fetch could not be stored: {e}"))
}
