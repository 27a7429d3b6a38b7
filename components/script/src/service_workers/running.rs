//! Service workers that run when something is due for them, and stop when nothing is: a
//! functional event, a message or a fetch event for a worker that does not run starts its
//! global from the stored script resource map (Run Service Worker, with the profile's
//! settings as the registry keeps them); a running worker with no active extendable event
//! and nothing new for the idle timeout stops (Terminate Service Worker). An extendable
//! event counts as done once its lifetime limit passed, whatever its `waitUntil` promises
//! do, so a stuck handler cannot hold what waits for it forever.

use super::register::{start_service_worker, terminate_service_worker};
use super::registry::{spawn_helper, Shared};
use super::{WorkerId, WorkerState};
use crate::script_thread::GlobalHandle;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the idle check runs.
const IDLE_CHECK: Duration = Duration::from_millis(250);

/// The worker's global, started from its stored script if it does not run. Blocks while
/// the script runs (call it off the registry's lock, on a helper thread or the caller's).
pub(super) fn ensure_running(
    shared: &Shared,
    worker: WorkerId,
) -> Result<Arc<GlobalHandle>, String> {
    // One start at a time: a second caller finds the global the first one started.
    let _starting = shared.starting.lock();
    let (registration, script_url, worker_type, csp, body) = {
        let mut inner = shared.inner.lock();
        if inner.shut_down {
            return Err("the user agent is shutting down".into());
        }
        let w = inner
            .workers
            .get_mut(&worker)
            .ok_or("the service worker is gone")?;
        w.last_activity = Instant::now();
        if let Some(g) = &w.global {
            return Ok(g.clone());
        }
        if w.state == WorkerState::Redundant {
            return Err("the service worker is redundant".into());
        }
        (
            w.registration,
            w.script_url.clone(),
            w.worker_type,
            w.csp.clone(),
            w.script.clone(),
        )
    };
    let defaults = shared
        .worker_defaults
        .lock()
        .clone()
        .ok_or("no settings to start a service worker without a client")?;
    log::info!(target: "script", "starting the service worker {script_url}");
    start_service_worker(
        shared,
        &defaults,
        (registration, worker),
        &script_url,
        worker_type,
        csp,
        &body,
    )
}

/// Stops running workers that have been idle for the registry's idle timeout, until the
/// registry shuts down. Runs on a helper thread of its own.
pub(super) fn stop_idle_workers(shared: &Arc<Shared>) {
    spawn_helper(shared, "sw-idle", |shared| loop {
        // Woken at once by shutdown.
        if let Err(crossbeam_channel::RecvTimeoutError::Disconnected) =
            shared.stopping.recv_timeout(IDLE_CHECK)
        {
            return;
        }
        let idle_after = shared.settings.idle_timeout;
        let globals: Vec<Arc<GlobalHandle>> = {
            let mut inner = shared.inner.lock();
            if inner.shut_down {
                return;
            }
            inner
                .workers
                .values_mut()
                .filter(|w| {
                    w.global.is_some()
                        && w.pending_events == 0
                        && matches!(w.state, WorkerState::Activated | WorkerState::Installed)
                        && w.last_activity.elapsed() >= idle_after
                })
                .filter_map(|w| {
                    log::info!(target: "script", "stopping the idle service worker {}", w.script_url);
                    w.global.take()
                })
                .collect()
        };
        for g in globals {
            terminate_service_worker(Some(g));
        }
    });
}

/// The lifetime limits of the extendable events in flight: one timer thread per registry
/// (a fetch event per request must not cost a thread), which calls each expired entry's
/// closure once.
#[derive(Default)]
pub(super) struct Deadlines {
    entries: parking_lot::Mutex<std::collections::BTreeMap<(Instant, u64), Expire>>,
    next: std::sync::atomic::AtomicU64,
    /// Woken when an earlier deadline arrives.
    wake: parking_lot::Mutex<Option<crossbeam_channel::Sender<()>>>,
}

type Expire = Box<dyn FnOnce() + Send>;

impl Deadlines {
    /// Calls `expire` at `at`, unless the returned key is cancelled first.
    fn add(&self, at: Instant, expire: Expire) -> (Instant, u64) {
        let key = (
            at,
            self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        );
        let mut entries = self.entries.lock();
        let earliest = entries.keys().next().is_none_or(|first| key < *first);
        entries.insert(key, expire);
        drop(entries);
        if earliest {
            if let Some(wake) = self.wake.lock().as_ref() {
                let _ = wake.try_send(());
            }
        }
        key
    }

    fn cancel(&self, key: (Instant, u64)) {
        self.entries.lock().remove(&key);
    }
}

/// Runs the registry's deadlines until it shuts down (on a helper thread of its own).
pub(super) fn run_deadlines(shared: &Arc<Shared>) {
    let (wake, woken) = crossbeam_channel::bounded(1);
    *shared.deadlines.wake.lock() = Some(wake);
    spawn_helper(shared, "sw-event-lifetime", move |shared| loop {
        let now = Instant::now();
        let expired: Vec<Expire> = {
            let mut entries = shared.deadlines.entries.lock();
            let later = entries.split_off(&(now, u64::MAX));
            std::mem::replace(&mut *entries, later)
                .into_values()
                .collect()
        };
        for expire in expired {
            expire();
        }
        let next = shared.deadlines.entries.lock().keys().next().map(|k| k.0);
        let wait = next.map_or(Duration::from_secs(3600), |at| {
            at.saturating_duration_since(Instant::now())
        });
        crossbeam_channel::select! {
            recv(woken) -> _ => {}
            recv(shared.stopping) -> _ => return,
            default(wait) => {}
        }
    });
}

/// A deadline of the registry's timer: its closure runs when it passes, unless this is
/// dropped first.
pub struct Deadline {
    shared: std::sync::Weak<Shared>,
    key: (Instant, u64),
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            shared.deadlines.cancel(self.key);
        }
    }
}

/// Runs `expire` once the registry's event lifetime has passed, unless the returned
/// [`Deadline`] is dropped first.
pub(super) fn after_event_lifetime(
    shared: &Arc<Shared>,
    expire: impl FnOnce() + Send + 'static,
) -> Deadline {
    let at = Instant::now() + shared.settings.event_lifetime;
    Deadline {
        shared: Arc::downgrade(shared),
        key: shared.deadlines.add(at, Box::new(expire)),
    }
}

/// Calls `done` once: when the event stops being active (through the returned function,
/// which the event's dispatcher calls), or with `true` once the registry's event lifetime
/// passed: then the event counts as done.
pub(super) fn with_lifetime_limit(
    shared: &Arc<Shared>,
    what: String,
    done: Box<dyn FnOnce(bool) + Send>,
) -> Box<dyn FnOnce(bool) + Send> {
    let lifetime = shared.settings.event_lifetime;
    let done = Arc::new(parking_lot::Mutex::new(Some(done)));
    let timer_done = done.clone();
    let deadline = after_event_lifetime(shared, move || {
        if let Some(done) = timer_done.lock().take() {
            log::warn!(target: "script", "{what} was still active after {lifetime:?}: it counts as done");
            done(true);
        }
    });
    Box::new(move |dispatched| {
        drop(deadline);
        if let Some(done) = done.lock().take() {
            done(dispatched);
        }
    })
}
