//! <https://wicg.github.io/background-fetch/#update-background-fetch-instances>: the
//! progress every script-side `BackgroundFetchRegistration` sees, throttled to the
//! controller's progress interval.

use super::actor::Actor;
use super::state::Fetch;
use net_traits::*;

impl Actor {
    /// Every progress interval: the fetches whose progress moved are told to their instances
    /// and the UI (this is the throttle the spec's "debounce" issue asks for).
    pub(super) fn tick(&mut self) {
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
                self.update_background_fetch_instances(&mut fetch, false);
                self.display(&mut fetch, false);
                self.fetches.insert(uid, fetch);
            }
        }
        self.wake_waiters();
    }

    /// <https://wicg.github.io/background-fetch/#update-background-fetch-instances>: the
    /// values go to every client of the registration's origin, if they changed (or with
    /// `force`, always: the final state). Steps 6.1-6.9 run on each script thread.
    pub(super) fn update_background_fetch_instances(&self, fetch: &mut Fetch, force: bool) {
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
}
