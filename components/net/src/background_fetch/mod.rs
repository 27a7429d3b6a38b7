//! The Background Fetch controller (<https://wicg.github.io/background-fetch/>): everything
//! below the JS objects. It owns every background fetch, runs on the network thread (its own
//! tokio runtime), keeps each registration's active background fetches and edit queue, fetches
//! records through [`crate::fetch`] with Range resume, stores bodies as they arrive
//! ([`storage`]), broadcasts "update background fetch instances" to script threads, asks the
//! embedder's service worker host to fire the functional events, and resumes after a restart.
//!
//! Script threads talk to it with [`net_traits`] messages only: [`Controller::connect`] once
//! (with the channel its replies and broadcasts go to), then [`Controller::send`].

mod actor;
mod commands;
mod complete_a_record;
mod display;
mod events;
mod manager;
mod perform;
pub(crate) use perform::server_of;
pub(crate) mod records;
mod registration;
mod restore;
mod scheduler;
pub mod spec;
mod state;
mod update;

use crate::config::NetworkConfig;
use crossbeam_channel::Sender;
use net_traits::{
    BackgroundFetchReply, BackgroundFetchRequest, ClientId, DispatchEvent, DisplayUpdate,
    EmbedderCommand,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How the controller runs. The defaults are what a browser would use; tests shorten the
/// timings.
#[derive(Clone, Debug)]
pub struct ControllerConfig {
    /// The profile directory (the store lives there).
    pub profile: PathBuf,
    /// Trust roots and host resolution.
    pub network: NetworkConfig,
    /// Bytes an origin may store; `None`: a fifth of the free disk ([`storage::default_quota`]).
    pub quota_per_origin: Option<u64>,
    /// Background fetches that download at once; more wait their turn, first come first
    /// served (default 4).
    pub max_active_fetches: usize,
    /// Requests in flight at once, over all fetches (default 6). Free slots go round-robin
    /// to the active fetches, so one huge fetch cannot starve the others.
    pub max_connections: usize,
    /// Requests in flight at once to one server, the origin of the requests' URLs, whichever
    /// sites the fetches are for (default 4).
    pub max_connections_per_origin: usize,
    /// Requests in flight at once to a server whose responses come over HTTP/2: streams
    /// multiplexed on one connection, which counts once against `max_connections`
    /// (default 16).
    pub max_http2_streams_per_origin: usize,
    /// "Update background fetch instances" for a fetch at most this often (default 100 ms:
    /// ten progress events a second); the final state is always sent at once.
    pub progress_interval: Duration,
    /// A GET whose connection fails is retried, resuming with Range: this many times in a
    /// row without new bytes (default 5) before the record fails with `fetch-error`.
    pub max_retries: u32,
    /// The first retry's delay, doubled each time (default 500 ms)...
    pub retry_delay: Duration,
    /// ...up to this (default 20 s).
    pub max_retry_delay: Duration,
    /// A response that sends nothing for this long is a network error (default 60 s).
    pub idle_timeout: Duration,
    /// Worker threads of the network runtime (default 2).
    pub threads: usize,
    /// The profile's network state (the same switch `navigator.onLine` follows; a new one,
    /// online, by default). Offline, GET records wait instead of failing.
    pub online: net_traits::OnlineSignal,
}

impl ControllerConfig {
    pub fn new(profile: PathBuf, network: NetworkConfig) -> ControllerConfig {
        ControllerConfig {
            profile,
            network,
            quota_per_origin: None,
            max_active_fetches: 4,
            max_connections: 6,
            max_connections_per_origin: 4,
            max_http2_streams_per_origin: 16,
            progress_interval: Duration::from_millis(100),
            online: net_traits::OnlineSignal::new(),
            max_retries: 5,
            retry_delay: Duration::from_millis(500),
            max_retry_delay: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
            threads: 2,
        }
    }
}

/// Where the controller's messages to the embedder go.
#[derive(Clone)]
pub struct EmbedderSinks {
    /// The service worker host: fires functional events and answers with
    /// [`BackgroundFetchRequest::EventDone`].
    pub events: Sender<DispatchEvent>,
    /// The UI (optional).
    pub display: Option<Sender<DisplayUpdate>>,
}

/// Why the controller did not start.
#[derive(Debug)]
pub enum StartError {
    Store(storage::StoreError),
    Network(String),
    Runtime(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Store(e) => write!(f, "{e}"),
            StartError::Network(e) => write!(f, "network configuration: {e}"),
            StartError::Runtime(e) => write!(f, "cannot start the network thread: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// What the actor receives.
pub(crate) enum Inbox {
    Connect {
        client: ClientId,
        origin: String,
        sink: net_traits::ReplySink,
    },
    Disconnect(ClientId),
    Request(BackgroundFetchRequest),
    Command(EmbedderCommand),
    /// The profile's online signal changed.
    Online(bool),
    /// The Cache API wants a record's whole body (to store it again without copying): once
    /// the record has its result.
    RecordBody(records::RecordBodyWaiter),
    Shutdown(std::sync::mpsc::Sender<()>),
}

/// The handle embedders and script threads hold. Cheap to clone; the controller stops when
/// [`Controller::shutdown`] is called (or the last handle is dropped).
#[derive(Clone)]
pub struct Controller {
    inbox: tokio::sync::mpsc::UnboundedSender<Inbox>,
    /// The profile's online signal, followed while the controller runs.
    online: net_traits::OnlineSignal,
    online_subscription: Arc<parking_lot::Mutex<Option<net_traits::online::Subscription>>>,
    next_client: Arc<AtomicU64>,
    /// Told when the actor's task has ended.
    done: Arc<parking_lot::Mutex<Option<std::sync::mpsc::Receiver<()>>>>,
    /// The network stack [`Controller::start`] made for it (stopped with it).
    own_stack: Option<crate::NetworkStack>,
    store: Arc<storage::Store>,
}

impl Controller {
    /// Opens the store, starts a network stack of its own (`config.threads` threads) and
    /// resumes what was stored; see [`Controller::start_on`].
    pub fn start(config: ControllerConfig, sinks: EmbedderSinks) -> Result<Controller, StartError> {
        let stack = crate::NetworkStack::new(&config.network, config.threads)
            .map_err(StartError::Network)?;
        let mut controller = Controller::start_on(&stack, config, sinks)?;
        controller.own_stack = Some(stack);
        Ok(controller)
    }

    /// Opens the store and runs the controller on the profile's network stack (its runtime
    /// and connection pool; the connection limits count the stack's foreground traffic too).
    /// What was stored resumes: unfinished fetches continue (Range where the server allows),
    /// settled fetches whose event did not finish get it again. (`config.network` and
    /// `config.threads` are the stack's business then.)
    pub fn start_on(
        stack: &crate::NetworkStack,
        config: ControllerConfig,
        sinks: EmbedderSinks,
    ) -> Result<Controller, StartError> {
        let store = storage::Store::open(
            &config.profile,
            storage::StoreOptions {
                quota_per_origin: config.quota_per_origin,
            },
        )
        .map_err(StartError::Store)?;
        let stored = store.load_fetches().map_err(StartError::Store)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let online = config.online.clone();
        let inbox = tx.clone();
        let subscription = online.subscribe(move |online| {
            let _ = inbox.send(Inbox::Online(online));
        });
        let store = Arc::new(store);
        let actor = actor::Actor::new(config, store.clone(), stack, sinks);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        stack.handle().spawn(async move {
            actor.run(rx, stored).await;
            let _ = done_tx.send(());
        });
        Ok(Controller {
            inbox: tx,
            online,
            online_subscription: Arc::new(parking_lot::Mutex::new(Some(subscription))),
            next_client: Arc::new(AtomicU64::new(1)),
            done: Arc::new(parking_lot::Mutex::new(Some(done_rx))),
            own_stack: None,
            store,
        })
    }

    /// A script thread of `origin` connects: its replies and the broadcasts for its origin go
    /// to `sender`.
    pub fn connect(&self, origin: &str, sender: Sender<BackgroundFetchReply>) -> ClientId {
        self.connect_sink(
            origin,
            Arc::new(move |reply| {
                let _ = sender.send(reply);
            }),
        )
    }

    /// As [`Controller::connect`], delivering to a sink the network thread calls in order
    /// (a script thread's sink queues each reply as a task, so replies and broadcasts reach
    /// its event loop before anything the controller does afterwards, such as firing a
    /// functional event, can).
    pub fn connect_sink(&self, origin: &str, sink: net_traits::ReplySink) -> ClientId {
        let client = ClientId(self.next_client.fetch_add(1, Ordering::Relaxed));
        let _ = self.inbox.send(Inbox::Connect {
            client,
            origin: origin.to_string(),
            sink,
        });
        client
    }

    pub fn disconnect(&self, client: ClientId) {
        let _ = self.inbox.send(Inbox::Disconnect(client));
    }

    /// A request from a script thread (or the service worker host's `EventDone`).
    pub fn send(&self, request: BackgroundFetchRequest) {
        let _ = self.inbox.send(Inbox::Request(request));
    }

    /// A command from the embedder (UI, network state, service worker registry).
    pub fn command(&self, command: EmbedderCommand) {
        let _ = self.inbox.send(Inbox::Command(command));
    }

    /// A record's stored response body, once the record has its result: `(file, length)`,
    /// or why it cannot be had (another origin's, a response data that was replaced, a
    /// record that failed or whose records were released). For the Cache API's `put()`.
    pub fn record_body(
        &self,
        origin: &str,
        body: (net_traits::FetchUid, u32, u32),
    ) -> std::sync::mpsc::Receiver<Result<(std::path::PathBuf, u64), String>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let (uid, index, generation) = body;
        let _ = self
            .inbox
            .send(Inbox::RecordBody(records::RecordBodyWaiter {
                origin: origin.to_string(),
                uid,
                index,
                generation,
                reply: tx,
            }));
        rx
    }

    /// The store the controller keeps its records in (the profile's), for the Cache API,
    /// which shares it (and its quota).
    pub fn store(&self) -> Arc<storage::Store> {
        self.store.clone()
    }

    /// The profile's online signal this controller follows (set it to go offline).
    pub fn online(&self) -> &net_traits::OnlineSignal {
        &self.online
    }

    /// Stops the controller: transfers stop where they are (they resume at the next start),
    /// nothing is marked failed. Waits (bounded) for the actor to end, and stops the network
    /// stack if [`Controller::start`] made it.
    pub fn shutdown(&self) {
        self.online_subscription.lock().take();
        let (tx, rx) = std::sync::mpsc::channel();
        if self.inbox.send(Inbox::Shutdown(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(10));
        }
        if let Some(done) = self.done.lock().take() {
            let _ = done.recv_timeout(Duration::from_secs(10));
        }
        if let Some(stack) = &self.own_stack {
            stack.shutdown(Duration::from_secs(1));
        }
    }
}

impl net_traits::BackgroundFetchService for Controller {
    fn connect(&self, origin: &str, sink: net_traits::ReplySink) -> ClientId {
        Controller::connect_sink(self, origin, sink)
    }
    fn disconnect(&self, client: ClientId) {
        Controller::disconnect(self, client)
    }
    fn send(&self, request: BackgroundFetchRequest) {
        Controller::send(self, request)
    }
}
