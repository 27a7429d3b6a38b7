//! Service worker registrations as a profile keeps them across restarts
//! (<https://w3c.github.io/ServiceWorker/#dfn-service-worker-registration>): each
//! registration with its waiting and active service workers, and each service worker's
//! script resource map (the main script and the scripts it imported), so that a restarted
//! engine finds the same registrations, under the same ids, and can run their workers on
//! demand without the network.

use serde::{Deserialize, Serialize};

/// A script of a service worker's script resource map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredScript {
    pub url: String,
    pub body: Vec<u8>,
    /// The response's Content-Type (a JavaScript MIME type).
    pub content_type: String,
}

/// A service worker (installed or activated) as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWorker {
    pub id: u64,
    pub script_url: String,
    /// "classic" or "module".
    pub worker_type: String,
    /// The main script first, then the imported scripts in the order they were imported.
    pub scripts: Vec<StoredScript>,
    /// The main script response's Content-Security-Policy header values.
    pub csp: Vec<String>,
    /// <https://w3c.github.io/ServiceWorker/#dfn-set-of-event-types-to-handle>: the event
    /// types it had listeners for when its script was first evaluated (`None`: not known,
    /// every event is dispatched).
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
}

/// A registration as stored (only those in the registration map are).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRegistration {
    pub id: u64,
    pub storage_key: String,
    pub scope: String,
    /// "imports", "all" or "none".
    pub update_via_cache: String,
    /// When the last update check ran (milliseconds since the Unix epoch).
    pub last_update_check: Option<u64>,
    pub waiting: Option<StoredWorker>,
    pub active: Option<StoredWorker>,
}

/// Where a profile keeps its registrations. Every call is durable when it returns.
pub trait RegistrationStore: Send + Sync {
    /// Every stored registration, in the order they were first stored.
    fn load_registrations(&self) -> Result<Vec<StoredRegistration>, String>;
    /// Stores (or replaces) a registration and its workers.
    fn save_registration(&self, registration: &StoredRegistration) -> Result<(), String>;
    /// Forgets a registration.
    fn remove_registration(&self, id: u64) -> Result<(), String>;
    /// `count` new ids, never handed out before (also across restarts): the first of them.
    fn reserve_ids(&self, count: u64) -> Result<u64, String>;
}
