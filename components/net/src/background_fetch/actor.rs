//! The controller's state, owned by one task on the network runtime. Every message is
//! handled to the end before the next, so each registration's "active background fetches
//! edit queue" is this task's message order: concurrent `fetch()` calls with one id, or an
//! `abort()` racing a fetch's completion, are settled in one order, as the spec requires.
//!
//! This file is the loop alone: receive a message and hand it to the algorithm it is for.
//! The algorithms live beside it, each in the file named after it: `manager` (the edit queue
//! steps of `fetch()`/`get()`/`getIds()`), `perform` ("perform a background fetch"),
//! `complete_a_record`, `registration` (`abort()`, `matchAll()`), `records` ("create record
//! objects"), `update` ("update background fetch instances"), `events` (the functional
//! events), `display` (the UI, `updateUI()` and the embedder's commands) and `restore` (after
//! a restart).

use super::complete_a_record::Report;
use super::records::{BodyWaiter, ResponseWaiter};
use super::scheduler::Scheduler;
use super::state::Fetch;
use super::{ControllerConfig, EmbedderSinks, Inbox};
use crate::http::HttpClient;
use net_traits::*;
use std::collections::HashMap;
use std::sync::Arc;
use storage::{Store, StoreError, StoredFetch};
use tokio::sync::{mpsc, watch};

/// A connected script thread: the origin it acts for and where its replies go.
pub(super) struct Client {
    pub origin: String,
    pub sink: net_traits::ReplySink,
}

pub(crate) struct Actor {
    pub(super) config: ControllerConfig,
    pub(super) store: Arc<Store>,
    pub(super) http: HttpClient,
    /// The stack's foreground requests in flight (the connection limits count them).
    pub(super) traffic: crate::stack::Traffic,
    pub(super) sinks: EmbedderSinks,
    pub(super) clients: HashMap<ClientId, Client>,
    /// Each registration's active background fetches: id -> uid, in insertion order.
    pub(super) active: HashMap<RegistrationId, Vec<(String, FetchUid)>>,
    pub(super) fetches: HashMap<FetchUid, Fetch>,
    pub(super) scheduler: Scheduler,
    pub(super) online: watch::Sender<bool>,
    pub(super) reports_tx: mpsc::UnboundedSender<Report>,
    reports_rx: Option<mpsc::UnboundedReceiver<Report>>,
    /// Running record tasks, with the server their connection counts against and whether
    /// their transfer ended (the connection is free; the task is syncing).
    pub(super) running: HashMap<(FetchUid, u32), (tokio::task::AbortHandle, String, bool)>,
    /// Functional events being fired (not click events), and their fetch.
    pub(super) events: HashMap<EventId, FetchUid>,
    pub(super) next_event: u64,
    /// Fetches whose records were released, for a click on a UI that stayed up.
    pub(super) finished: std::collections::VecDeque<(RegistrationInfo, RegistrationSnapshot)>,
    pub(super) body_waiters: Vec<BodyWaiter>,
    pub(super) response_waiters: Vec<ResponseWaiter>,
    pub(super) record_body_waiters: Vec<super::records::RecordBodyWaiter>,
    /// The next fetch's uid (uids are given here, before the store writes the fetch).
    pub(super) next_uid: u64,
    /// Registrations whose edit queue waits for a `fetch()` being stored, with the
    /// requests that came meanwhile.
    pub(super) edit_queues:
        HashMap<RegistrationId, std::collections::VecDeque<BackgroundFetchRequest>>,
}

impl Actor {
    pub fn new(
        config: ControllerConfig,
        store: Arc<Store>,
        stack: &crate::NetworkStack,
        sinks: EmbedderSinks,
    ) -> Actor {
        let (reports_tx, reports_rx) = mpsc::unbounded_channel();
        let online = config.online.is_online();
        Actor {
            config,
            store,
            http: stack.client().clone(),
            traffic: stack.traffic().clone(),
            sinks,
            clients: HashMap::new(),
            active: HashMap::new(),
            fetches: HashMap::new(),
            scheduler: Scheduler::default(),
            online: watch::channel(online).0,
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
            record_body_waiters: Vec::new(),
            next_uid: 1,
            edit_queues: HashMap::new(),
        }
    }

    /// The loop: every message is handled to the end before the next one (the edit queue).
    pub async fn run(
        mut self,
        mut inbox: mpsc::UnboundedReceiver<Inbox>,
        stored: Vec<StoredFetch>,
    ) {
        let Some(mut reports) = self.reports_rx.take() else {
            return;
        };
        self.next_uid = match self.store.next_uid() {
            Ok(uid) => uid.0,
            Err(e) => {
                log::error!(target: "bgfetch", "cannot read the next fetch uid: {e}");
                return;
            }
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
                    Some(Inbox::Request(r)) => self.receive(r),
                    Some(Inbox::Command(c)) => self.command(c),
                    Some(Inbox::Online(online)) => self.set_online(online),
                    Some(Inbox::RecordBody(waiter)) => self.wait_for_record_body(waiter),
                },
                Some(report) = reports.recv() => self.report(report),
                _ = ticker.tick() => self.tick(),
            }
            self.schedule();
        }
        self.stop_all();
    }

    /// Hands a script thread's request to the algorithm it asks for (a request for a
    /// registration whose edit queue waits for a `fetch()` being stored waits too).
    pub(super) fn receive(&mut self, r: BackgroundFetchRequest) {
        use BackgroundFetchRequest as R;
        let edit_queue = match &r {
            R::Fetch { registration, .. } => Some(registration.id),
            R::Get { registration, .. } | R::GetIds { registration, .. } => Some(*registration),
            _ => None,
        };
        let r = match edit_queue {
            Some(registration) => match self.defer_for_edit_queue(registration, r) {
                Some(r) => r,
                None => return,
            },
            None => r,
        };
        match r {
            R::Fetch {
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
                } else {
                    self.fetch(
                        client,
                        request,
                        registration,
                        id,
                        requests,
                        download_total,
                        title,
                        icons,
                        permission,
                    );
                }
            }
            R::Get {
                client,
                request,
                registration,
                id,
            } => {
                let registration = self.get(client, registration, &id);
                self.reply(
                    client,
                    BackgroundFetchReply::Got {
                        request,
                        registration,
                    },
                );
            }
            R::GetIds {
                client,
                request,
                registration,
            } => {
                let ids = self.get_ids(client, registration);
                self.reply(client, BackgroundFetchReply::Ids { request, ids });
            }
            R::Abort {
                client,
                request,
                uid,
            } => {
                let aborted = self.visible(client, uid) && self.abort(uid);
                self.reply(client, BackgroundFetchReply::Aborted { request, aborted });
            }
            R::MatchAll {
                client,
                request,
                uid,
                query,
                options,
            } => {
                let result = if self.visible(client, uid) {
                    self.match_all(uid, query.as_ref(), options)
                } else {
                    Err(no_such_fetch())
                };
                self.reply(client, BackgroundFetchReply::Records { request, result });
            }
            R::ReadRequestBody {
                client,
                request,
                uid,
                index,
                offset,
                max,
            } => {
                let uid = self.visible_uid(client, uid);
                self.read_request_body(client, request, uid, index, offset, max);
            }
            R::ReadBody {
                client,
                request,
                uid,
                index,
                generation,
                offset,
                max,
            } => {
                let uid = self.visible_uid(client, uid);
                self.read_body(BodyWaiter::new(
                    client, request, uid, index, generation, offset, max,
                ));
            }
            R::WaitForResponse {
                client,
                request,
                uid,
                index,
            } => {
                let uid = self.visible_uid(client, uid);
                self.wait_for_response(ResponseWaiter {
                    client,
                    request,
                    uid,
                    index,
                });
            }
            R::UpdateUi {
                client,
                request,
                uid,
                title,
                icons,
            } => {
                let result = if self.visible(client, uid) {
                    self.update_ui(uid, title, icons)
                } else {
                    Err(no_such_fetch())
                };
                self.reply(client, BackgroundFetchReply::UiUpdated { request, result });
            }
            R::EventDone { event, dispatched } => self.event_done(event, dispatched),
        }
    }

    /// Stops every transfer where it is (a shutdown, not a failure).
    fn stop_all(&mut self) {
        for (_, (handle, _, _)) in self.running.drain() {
            handle.abort();
        }
    }

    /// Stops a fetch's running record tasks (its connections are given back).
    pub(super) fn stop_tasks(&mut self, uid: FetchUid) {
        let keys: Vec<(FetchUid, u32)> = self
            .running
            .keys()
            .filter(|(u, _)| *u == uid)
            .copied()
            .collect();
        for key in keys {
            if let Some((handle, server, transfer_ended)) = self.running.remove(&key) {
                handle.abort();
                match transfer_ended {
                    true => self.scheduler.synced(),
                    false => self.scheduler.finished(uid, &server),
                }
            }
        }
    }

    pub(super) fn reply(&self, client: ClientId, msg: BackgroundFetchReply) {
        if let Some(c) = self.clients.get(&client) {
            (c.sink)(msg);
        }
    }

    /// The origin a client connected with (requests are only about that origin's fetches).
    pub(super) fn origin_of(&self, client: ClientId) -> Option<&str> {
        self.clients.get(&client).map(|c| c.origin.as_str())
    }

    /// A fetch a client may see: known, and of the client's origin.
    pub(super) fn visible(&self, client: ClientId, uid: FetchUid) -> bool {
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

    /// Runs `f` with a fetch taken out of the map (so `self` stays usable), then puts it back.
    pub(super) fn with_fetch(&mut self, uid: FetchUid, f: impl FnOnce(&Self, &mut Fetch)) {
        if let Some(mut fetch) = self.fetches.remove(&uid) {
            f(self, &mut fetch);
            self.fetches.insert(uid, fetch);
        }
    }
}

fn no_such_fetch() -> BackgroundFetchError {
    BackgroundFetchError::InvalidState("no such background fetch".into())
}

pub(super) fn storage_error(e: StoreError) -> BackgroundFetchError {
    log::error!(target: "bgfetch", "{e}");
    BackgroundFetchError::Type(format!("the background fetch could not be stored: {e}"))
}
