//! The functional events of a background fetch: `backgroundfetchsuccess`/`fail`/`abort`
//! (perform a background fetch, step 8) and `backgroundfetchclick`, and what happens once
//! such an event is no longer active.

use super::actor::Actor;
use super::complete_a_record::Report;
use net_traits::*;

/// A completion event the service worker host could not run is tried again this many times
/// (1 s, 2 s, 4 s, ...), then the records are released.
const MAX_DISPATCH_FAILURES: u32 = 5;

/// Finished fetches whose UI may still be clicked.
const FINISHED_KEPT: usize = 64;

impl Actor {
    /// Perform a background fetch, steps 8.8-8.11: the event its result calls for (`abort`,
    /// `fail` or `success`), fired on the registration.
    pub(super) fn fire_the_completion_event(&mut self, uid: FetchUid) {
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
        let kind = match fetch.failure_reason {
            FailureReason::Aborted => FunctionalEvent::Abort,
            FailureReason::Empty => FunctionalEvent::Success,
            _ => FunctionalEvent::Fail,
        };
        self.fire_a_functional_event(uid, kind);
    }

    /// <https://wicg.github.io/background-fetch/#fire-a-background-fetch-click-event>: while
    /// the fetch runs, and after it completed if its UI stayed up.
    pub(super) fn fire_a_background_fetch_click_event(&mut self, uid: FetchUid) {
        if self.fetches.contains_key(&uid) {
            self.fire_a_functional_event(uid, FunctionalEvent::Click);
        } else if let Some((registration, fetch)) =
            self.finished.iter().find(|(_, f)| f.uid == uid).cloned()
        {
            let event = self.next_event_id();
            let _ = self.sinks.events.send(DispatchEvent {
                event,
                kind: FunctionalEvent::Click,
                registration,
                fetch,
            });
        }
    }

    /// A new event id (never one a late EventDone from an earlier start could name).
    fn next_event_id(&mut self) -> EventId {
        let event = EventId(self.next_event);
        self.next_event += 1;
        event
    }

    /// "Fire a functional event" (Service Workers), as far as the controller goes: hand it to
    /// the embedder's service worker host. Without a host (its channel closed) the event
    /// stays pending in the store, for the next start.
    fn fire_a_functional_event(&mut self, uid: FetchUid, kind: FunctionalEvent) {
        if !self.fetches.contains_key(&uid) {
            return;
        }
        let event = self.next_event_id();
        let Some(fetch) = self.fetches.get(&uid) else {
            return;
        };
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
    pub(super) fn event_done(&mut self, event: EventId, dispatched: bool) {
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
        self.update_background_fetch_instances(&mut fetch, true);
        self.display(&mut fetch, true);
        self.finished
            .push_back((fetch.registration.clone(), fetch.snapshot()));
        if self.finished.len() > FINISHED_KEPT {
            self.finished.pop_front();
        }
        self.wake_waiters();
    }

    /// Whether `uid` is a recently finished fetch that was aborted.
    pub(super) fn finished_aborted(&self, uid: FetchUid) -> bool {
        self.finished
            .iter()
            .any(|(_, s)| s.uid == uid && s.failure_reason == FailureReason::Aborted)
    }
}
