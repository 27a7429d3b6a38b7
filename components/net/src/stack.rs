//! One network stack per profile: a tokio runtime and one HTTP client (one connection pool),
//! shared by page loads, `fetch()`, worker scripts and the background fetch controller, and
//! the count of foreground requests in flight, which the controller's connection limits
//! include. Foreground requests (what a page is waiting for) are never held back; background
//! fetch takes what the limits leave.

use crate::config::NetworkConfig;
use crate::http::HttpClient;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Foreground requests in flight, by the origin that made them (the key the controller's
/// per-origin limit uses for background fetches).
#[derive(Clone, Default)]
pub struct Traffic(Arc<Mutex<HashMap<String, usize>>>);

impl Traffic {
    /// A request to `server` (its URL's origin) starts; it counts until the guard is
    /// dropped (its body ended).
    pub fn begin(&self, server: &str) -> TrafficGuard {
        *self.0.lock().entry(server.to_string()).or_default() += 1;
        TrafficGuard {
            traffic: self.clone(),
            origin: server.to_string(),
        }
    }

    /// In flight now: `(total, per server)`.
    pub fn snapshot(&self) -> (usize, HashMap<String, usize>) {
        let map = self.0.lock().clone();
        (map.values().sum(), map)
    }
}

/// See [`Traffic::begin`].
pub struct TrafficGuard {
    traffic: Traffic,
    origin: String,
}

impl Drop for TrafficGuard {
    fn drop(&mut self) {
        let mut map = self.traffic.0.lock();
        if let Some(n) = map.get_mut(&self.origin) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.origin);
            }
        }
    }
}

struct Inner {
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
    client: HttpClient,
    traffic: Traffic,
    /// The profile's HTTP cache, when the configuration names its folder.
    http_cache: Option<Arc<crate::http_cache::HttpCache>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Not shut down explicitly: let the runtime go without blocking (also from inside an
        // async context, where dropping a runtime would panic).
        if let Some(runtime) = self.runtime.get_mut().take() {
            runtime.shutdown_background();
        }
    }
}

/// See the module documentation. Cheap to clone: clones are the same stack.
#[derive(Clone)]
pub struct NetworkStack(Arc<Inner>);

impl std::fmt::Debug for NetworkStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetworkStack")
    }
}

impl NetworkStack {
    /// A runtime of `threads` worker threads and a client with `config`'s trust roots and
    /// host map.
    pub fn new(config: &NetworkConfig, threads: usize) -> Result<NetworkStack, String> {
        let client = HttpClient::new(config).map_err(|e| e.to_string())?;
        let http_cache = match &config.http_cache_dir {
            Some(dir) => Some(Arc::new(
                crate::http_cache::HttpCache::open(dir, config.http_cache_max_bytes)
                    .map_err(|e| format!("the HTTP cache in {}: {e}", dir.display()))?,
            )),
            None => None,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("net")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the network threads: {e}"))?;
        Ok(NetworkStack(Arc::new(Inner {
            handle: runtime.handle().clone(),
            runtime: Mutex::new(Some(runtime)),
            client,
            traffic: Traffic::default(),
            http_cache,
        })))
    }

    /// The profile's HTTP cache (`fetch()` and page loads use it; background fetch does not).
    pub fn http_cache(&self) -> Option<Arc<crate::http_cache::HttpCache>> {
        self.0.http_cache.clone()
    }

    /// Where the stack's tasks run.
    pub fn handle(&self) -> &tokio::runtime::Handle {
        &self.0.handle
    }

    /// The one HTTP client (its connection pool is the stack's).
    pub fn client(&self) -> &HttpClient {
        &self.0.client
    }

    /// Foreground requests in flight.
    pub fn traffic(&self) -> &Traffic {
        &self.0.traffic
    }

    /// Stops the runtime, giving running tasks up to `timeout` to end. Everything that uses
    /// the stack (the controller first) should have stopped before. Must not be called from
    /// one of the stack's own threads.
    pub fn shutdown(&self, timeout: Duration) {
        if let Some(runtime) = self.0.runtime.lock().take() {
            runtime.shutdown_timeout(timeout);
        }
    }
}
