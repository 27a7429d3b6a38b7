//! A background fetch controller driven as a script thread would drive it (net_traits
//! messages only), against the WPT server's fault-injecting routes on loopback.

#![allow(dead_code)]

use crossbeam_channel::{Receiver, RecvTimeoutError};
use net::background_fetch::{Controller, ControllerConfig, EmbedderSinks};
use net_traits::*;
use std::collections::VecDeque;
use std::path::Path;
use std::time::{Duration, Instant};
use wpt::server::{Scheme, Server, ServerOptions};

pub const WAIT: Duration = Duration::from_secs(30);

/// The server, serving a small root of its own (a file to use with pipes).
pub fn server() -> Server {
    server_with(false)
}

/// The same, offering HTTP/2 on its HTTPS ports when `http2`.
pub fn server_with(http2: bool) -> Server {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bgfetch-root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("data.txt"), "some data\n").unwrap();
    let mut config = wpt::config::WptConfig::ephemeral();
    config.http2 = http2;
    Server::start(ServerOptions {
        config,
        root,
        harness_dir: None,
    })
    .expect("the server starts")
}

/// `/_faults/connections`: how many connections the server accepted.
pub fn connections(server: &Server) -> u64 {
    let client = net::HttpClient::new(&server.network_config()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = format!("{}/_faults/connections", server.origin(Scheme::Https));
    let (_, _, body) = rt.block_on(client.get(&url)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["connections"].as_u64().unwrap_or(0)
}

/// Timings short enough for tests.
pub fn config(server: &Server, profile: &Path) -> ControllerConfig {
    let mut c = ControllerConfig::new(profile.to_path_buf(), server.network_config());
    c.progress_interval = Duration::from_millis(50);
    c.retry_delay = Duration::from_millis(20);
    c.max_retry_delay = Duration::from_millis(200);
    c.idle_timeout = Duration::from_secs(10);
    c
}

pub struct Client {
    pub controller: Controller,
    pub id: ClientId,
    pub origin: String,
    replies: Receiver<BackgroundFetchReply>,
    pub events: Receiver<DispatchEvent>,
    pub display: Receiver<DisplayUpdate>,
    next: u64,
    /// Broadcasts received while waiting for replies, in order.
    pub updates: VecDeque<InstanceUpdate>,
    /// Replies that arrived while waiting for another one.
    stash: Vec<BackgroundFetchReply>,
    /// Events that arrived while waiting for another fetch's.
    event_stash: Vec<DispatchEvent>,
}

pub fn start(server: &Server, config: ControllerConfig) -> Client {
    let (events_tx, events) = crossbeam_channel::unbounded();
    let (display_tx, display) = crossbeam_channel::unbounded();
    let controller = Controller::start(
        config,
        EmbedderSinks {
            events: events_tx,
            display: Some(display_tx),
        },
    )
    .expect("the controller starts");
    let origin = server.origin(Scheme::Https);
    let (tx, replies) = crossbeam_channel::unbounded();
    let id = controller.connect(&origin, tx);
    Client {
        controller,
        id,
        origin,
        replies,
        events,
        display,
        next: 1,
        updates: VecDeque::new(),
        stash: Vec::new(),
        event_stash: Vec::new(),
    }
}

pub fn registration(origin: &str) -> RegistrationInfo {
    RegistrationInfo {
        id: RegistrationId(1),
        scope: format!("{origin}/scope/"),
        origin: origin.to_string(),
        has_active_worker: true,
    }
}

fn request_id_of(r: &BackgroundFetchReply) -> Option<RequestId> {
    use BackgroundFetchReply::*;
    match r {
        Fetched { request, .. }
        | Got { request, .. }
        | Ids { request, .. }
        | Aborted { request, .. }
        | Records { request, .. }
        | Body { request, .. }
        | RecordReady { request, .. }
        | UiUpdated { request, .. } => Some(*request),
        Update(_) => None,
    }
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn request_id(&mut self) -> RequestId {
        self.next += 1;
        RequestId(self.next)
    }

    /// Waits for the reply to `id`, keeping broadcasts (and other replies) for later.
    pub fn wait_reply(&mut self, id: RequestId) -> BackgroundFetchReply {
        if let Some(pos) = self.stash.iter().position(|r| request_id_of(r) == Some(id)) {
            return self.stash.remove(pos);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            match self.replies.recv_deadline(deadline) {
                Ok(BackgroundFetchReply::Update(u)) => self.updates.push_back(u),
                Ok(r) if request_id_of(&r) == Some(id) => return r,
                Ok(r) => self.stash.push(r),
                Err(e) => panic!("no reply to {id:?}: {e:?}"),
            }
        }
    }

    /// Takes the broadcasts that arrived so far.
    pub fn drain_updates(&mut self) -> Vec<InstanceUpdate> {
        while let Ok(r) = self.replies.try_recv() {
            match r {
                BackgroundFetchReply::Update(u) => self.updates.push_back(u),
                other => self.stash.push(other),
            }
        }
        self.updates.drain(..).collect()
    }

    /// Waits for a broadcast matching `pred` (keeping the others).
    pub fn wait_update(&mut self, pred: impl Fn(&InstanceUpdate) -> bool) -> InstanceUpdate {
        if let Some(pos) = self.updates.iter().position(&pred) {
            return self.updates.remove(pos).unwrap();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            match self.replies.recv_deadline(deadline) {
                Ok(BackgroundFetchReply::Update(u)) if pred(&u) => return u,
                Ok(BackgroundFetchReply::Update(u)) => self.updates.push_back(u),
                Ok(other) => self.stash.push(other),
                Err(e) => panic!("no matching update: {e:?}; seen {:?}", self.updates),
            }
        }
    }

    pub fn fetch_with(
        &mut self,
        registration: RegistrationInfo,
        id: &str,
        requests: Vec<RequestData>,
        download_total: u64,
        permission: PermissionState,
    ) -> Result<RegistrationSnapshot, BackgroundFetchError> {
        let request = self.request_id();
        self.controller.send(BackgroundFetchRequest::Fetch {
            client: self.id,
            request,
            registration,
            id: id.into(),
            requests,
            download_total,
            title: format!("title of {id}"),
            icons: Vec::new(),
            permission,
        });
        match self.wait_reply(request) {
            BackgroundFetchReply::Fetched { result, .. } => result,
            other => panic!("{other:?}"),
        }
    }

    pub fn fetch(
        &mut self,
        id: &str,
        urls: &[String],
        download_total: u64,
    ) -> Result<RegistrationSnapshot, BackgroundFetchError> {
        let requests = urls.iter().map(|u| RequestData::get(u)).collect();
        let reg = registration(&self.origin);
        self.fetch_with(reg, id, requests, download_total, PermissionState::Granted)
    }

    /// Waits for the functional event of `uid`, and says it is over (as a service worker
    /// whose `waitUntil` promises settled would).
    pub fn complete_event(&mut self, uid: FetchUid) -> DispatchEvent {
        let e = self.wait_event(uid);
        self.controller.send(BackgroundFetchRequest::EventDone {
            event: e.event,
            dispatched: true,
        });
        e
    }

    pub fn wait_event(&mut self, uid: FetchUid) -> DispatchEvent {
        if let Some(pos) = self.event_stash.iter().position(|e| e.fetch.uid == uid) {
            return self.event_stash.remove(pos);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            match self.events.recv_deadline(deadline) {
                Ok(e) if e.fetch.uid == uid => return e,
                Ok(e) => self.event_stash.push(e),
                Err(RecvTimeoutError::Timeout) => panic!("no event for {uid:?}"),
                Err(e) => panic!("{e:?}"),
            }
        }
    }

    pub fn abort(&mut self, uid: FetchUid) -> bool {
        let request = self.request_id();
        self.controller.send(BackgroundFetchRequest::Abort {
            client: self.id,
            request,
            uid,
        });
        match self.wait_reply(request) {
            BackgroundFetchReply::Aborted { aborted, .. } => aborted,
            other => panic!("{other:?}"),
        }
    }

    pub fn get(&mut self, id: &str) -> Option<RegistrationSnapshot> {
        let request = self.request_id();
        self.controller.send(BackgroundFetchRequest::Get {
            client: self.id,
            request,
            registration: RegistrationId(1),
            id: id.into(),
        });
        match self.wait_reply(request) {
            BackgroundFetchReply::Got { registration, .. } => registration,
            other => panic!("{other:?}"),
        }
    }

    pub fn get_ids(&mut self) -> Vec<String> {
        let request = self.request_id();
        self.controller.send(BackgroundFetchRequest::GetIds {
            client: self.id,
            request,
            registration: RegistrationId(1),
        });
        match self.wait_reply(request) {
            BackgroundFetchReply::Ids { ids, .. } => ids,
            other => panic!("{other:?}"),
        }
    }

    pub fn match_all(
        &mut self,
        uid: FetchUid,
        query: Option<RequestData>,
        options: CacheQueryOptions,
    ) -> Result<Vec<RecordSnapshot>, BackgroundFetchError> {
        let request = self.request_id();
        self.controller.send(BackgroundFetchRequest::MatchAll {
            client: self.id,
            request,
            uid,
            query,
            options,
        });
        match self.wait_reply(request) {
            BackgroundFetchReply::Records { result, .. } => result,
            other => panic!("{other:?}"),
        }
    }

    pub fn wait_response(
        &mut self,
        uid: FetchUid,
        index: u32,
    ) -> (Option<ResponseMeta>, RecordResult) {
        let (response, result, _) = self.wait_response_generation(uid, index);
        (response, result)
    }

    /// `WaitForResponse`, with the generation of the response data it is about.
    pub fn wait_response_generation(
        &mut self,
        uid: FetchUid,
        index: u32,
    ) -> (Option<ResponseMeta>, RecordResult, u32) {
        let request = self.request_id();
        self.controller
            .send(BackgroundFetchRequest::WaitForResponse {
                client: self.id,
                request,
                uid,
                index,
            });
        match self.wait_reply(request) {
            BackgroundFetchReply::RecordReady {
                response,
                result,
                generation,
                ..
            } => (response, result, generation),
            other => panic!("{other:?}"),
        }
    }

    /// Reads a record's whole body as a `Response` stream would: chunk by chunk until the end
    /// (or the error that ends it).
    pub fn read_body(&mut self, uid: FetchUid, index: u32) -> Result<Vec<u8>, BodyChunk> {
        let (_, _, generation) = self.wait_response_generation(uid, index);
        self.read_body_of(uid, index, generation)
    }

    /// Reads the body of one response data of a record.
    pub fn read_body_of(
        &mut self,
        uid: FetchUid,
        index: u32,
        generation: u32,
    ) -> Result<Vec<u8>, BodyChunk> {
        self.read_pieces(|client, request, offset| BackgroundFetchRequest::ReadBody {
            client,
            request,
            uid,
            index,
            generation,
            offset,
            max: 256 * 1024,
        })
    }

    /// Reads a record's stored request body.
    pub fn read_request_body(&mut self, uid: FetchUid, index: u32) -> Result<Vec<u8>, BodyChunk> {
        self.read_pieces(
            |client, request, offset| BackgroundFetchRequest::ReadRequestBody {
                client,
                request,
                uid,
                index,
                offset,
                max: 256 * 1024,
            },
        )
    }

    /// Reads a body a piece at a time with the requests `ask` makes.
    fn read_pieces(
        &mut self,
        ask: impl Fn(ClientId, RequestId, u64) -> BackgroundFetchRequest,
    ) -> Result<Vec<u8>, BodyChunk> {
        let mut out = Vec::new();
        loop {
            let request = self.request_id();
            self.controller
                .send(ask(self.id, request, out.len() as u64));
            match self.wait_reply(request) {
                BackgroundFetchReply::Body {
                    chunk: BodyChunk::Data(d),
                    ..
                } => {
                    assert!(!d.is_empty(), "a data chunk is never empty");
                    out.extend_from_slice(&d);
                }
                BackgroundFetchReply::Body {
                    chunk: BodyChunk::End,
                    ..
                } => return Ok(out),
                BackgroundFetchReply::Body { chunk, .. } => return Err(chunk),
                other => panic!("{other:?}"),
            }
        }
    }

    /// The final update (result set) of `uid`.
    pub fn wait_settled(&mut self, uid: FetchUid) -> InstanceUpdate {
        self.wait_update(|u| u.uid == uid && u.result != FetchResult::Empty)
    }

    pub fn shutdown(self) {
        self.controller.shutdown();
    }
}

/// The deterministic body `/_faults/body` serves.
pub fn expected(seed: u64, len: u64) -> Vec<u8> {
    (0..len).map(|i| wpt::faults::body_byte(seed, i)).collect()
}

/// `/_faults/stats` of a key.
pub fn stats(server: &Server, key: &str) -> serde_json::Value {
    let client = net::HttpClient::new(&server.network_config()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = format!("{}/_faults/stats?key={key}", server.origin(Scheme::Https));
    let (_, _, body) = rt.block_on(client.get(&url)).unwrap();
    serde_json::from_slice(&body).unwrap()
}
