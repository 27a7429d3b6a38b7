//! What the embedder tells the controller: the user's answers to the display (pause,
//! resume, abort, click, a permission prompt) and a service worker registration that was
//! cleared. (The network state comes from the profile's [`net_traits::OnlineSignal`].)

use super::actor::Actor;
use net_traits::*;

impl Actor {
    /// A command from the embedder: the UI (pause, resume, abort, click, a permission
    /// answer), the service worker registry.
    pub(super) fn command(&mut self, c: EmbedderCommand) {
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
            // The user activated the display.
            EmbedderCommand::Click(uid) => self.fire_a_background_fetch_click_event(uid),
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
            EmbedderCommand::RegistrationRemoved(reg) => self.registration_removed(reg),
        }
    }

    /// Sets or unsets the paused flag (stored; records give their connection back).
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
        self.with_fetch(uid, |this, fetch| this.display(fetch, false));
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
                self.update_background_fetch_instances(&mut fetch, true);
                self.display(&mut fetch, true);
            }
            self.events.retain(|_, u| *u != uid);
            if let Err(e) = self.store.remove_fetch(uid) {
                log::error!(target: "bgfetch", "fetch {}: {e}", uid.0);
            }
        }
        self.wake_waiters();
    }

    /// The profile's network went away or came back: offline, GET records give their
    /// connection back and wait; back online, they resume with Range.
    pub(super) fn set_online(&mut self, online: bool) {
        if *self.online.borrow() != online {
            self.online.send_replace(online);
            log::info!(target: "bgfetch", "the network is {}", if online { "back" } else { "gone" });
        }
    }
}
