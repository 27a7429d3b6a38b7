//! The edit-queue steps of `BackgroundFetchManager`'s `fetch()`, `get()` and `getIds()`
//! (<https://wicg.github.io/background-fetch/#background-fetch-manager>). The script side
//! runs the synchronous steps (argument checks, Request construction, reading the request
//! bodies) and sends what is left; these run in the registration's edit queue, which is the
//! actor's message order.

use super::actor::{storage_error, Actor};
use super::complete_a_record::{Control, Report};
use super::state::{Fetch, FetchParts, Rec, RecState};
use net_traits::*;
use std::sync::Arc;
use storage::{NewFetch, StoreError};

/// A `fetch()` whose requests are being stored (off the actor): what the steps after the
/// store need. Its registration's edit queue waits for it meanwhile.
pub(crate) struct PendingFetch {
    client: ClientId,
    request: RequestId,
    uid: FetchUid,
    registration: RegistrationInfo,
    id: String,
    requests: Vec<RequestData>,
    download_total: u64,
    title: String,
    icons: Vec<ImageResource>,
    prompt: bool,
}

impl Actor {
    /// The edit-queue steps of <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-fetch>
    /// (step 8), with the records' request bodies already read by the script side. The
    /// checks run here; storing the requests and their bodies (steps 8.6-8.10: files synced,
    /// rows committed) runs on a blocking thread, and the steps after it
    /// ([`Actor::fetch_stored`]) when it is done. Until then the registration's edit queue
    /// waits ([`Actor::defer_for_edit_queue`]); other registrations go on.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fetch(
        &mut self,
        client: ClientId,
        request: RequestId,
        registration: RegistrationInfo,
        id: String,
        requests: Vec<RequestData>,
        download_total: u64,
        title: String,
        icons: Vec<ImageResource>,
        permission: PermissionState,
    ) {
        if let Err(e) = self.check_fetch(
            &registration,
            &id,
            &requests,
            download_total,
            &title,
            &icons,
            permission,
        ) {
            return self.reply(
                client,
                BackgroundFetchReply::Fetched {
                    request,
                    result: Err(e),
                },
            );
        }
        let uid = FetchUid(self.next_uid);
        self.next_uid += 1;
        let pending = Box::new(PendingFetch {
            client,
            request,
            uid,
            registration,
            id,
            requests,
            download_total,
            title,
            icons,
            prompt: permission == PermissionState::Prompt,
        });
        // The registration's edit queue waits for the store.
        self.edit_queues
            .insert(pending.registration.id, std::collections::VecDeque::new());
        let store = self.store.clone();
        let reports = self.reports_tx.clone();
        tokio::task::spawn_blocking(move || {
            // Steps 8.6-8.10. Store the requests and their bodies (durably, before answering).
            let stored = store.insert_fetch(&NewFetch {
                uid: pending.uid,
                registration: &pending.registration,
                id: &pending.id,
                title: &pending.title,
                icons: &pending.icons,
                download_total: pending.download_total,
                paused: pending.prompt,
                awaiting_permission: pending.prompt,
                requests: &pending.requests,
            });
            let _ = reports.send(Report::FetchStored { pending, stored });
        });
    }

    /// Steps 8.1-8.5 of `fetch()` and this implementation's checks, before anything is stored.
    #[allow(clippy::too_many_arguments)]
    fn check_fetch(
        &self,
        registration: &RegistrationInfo,
        id: &str,
        requests: &[RequestData],
        download_total: u64,
        title: &str,
        icons: &[ImageResource],
        permission: PermissionState,
    ) -> Result<(), BackgroundFetchError> {
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
        // This implementation's limits (checked by the script side already).
        check_limits(Some(id), Some(title), Some(icons)).map_err(E::Type)?;
        // The quota must hold the promised download up front (as Chromium does: the spec is
        // silent, and failing at once beats failing after gigabytes).
        if download_total > 0 && !self.store.fits(&registration.origin, download_total) {
            return Err(E::QuotaExceeded(
                "the download total exceeds the storage quota".into(),
            ));
        }
        Ok(())
    }

    /// `fetch()` after its requests were stored: steps 8.11-8.15, the answer, then the
    /// registration's edit queue goes on.
    pub(super) fn fetch_stored(&mut self, pending: PendingFetch, stored: Result<(), StoreError>) {
        use BackgroundFetchError as E;
        let PendingFetch {
            client,
            request,
            uid,
            registration,
            id,
            requests,
            download_total,
            title,
            icons,
            prompt,
        } = pending;
        let registration_id = registration.id;
        let result = match stored {
            // Step 8.7. Storing the requests past the quota: QuotaExceededError.
            Err(StoreError::Quota(_)) => Err(E::QuotaExceeded(
                "the requests exceed the storage quota".into(),
            )),
            Err(other) => Err(storage_error(other)),
            Ok(()) => Ok(self.new_background_fetch(
                uid,
                registration,
                id,
                requests,
                download_total,
                title,
                icons,
                prompt,
            )),
        };
        self.reply(client, BackgroundFetchReply::Fetched { request, result });
        self.resume_edit_queue(registration_id);
    }

    /// Steps 8.11-8.15: the new background fetch, in the registration's active fetches,
    /// displayed and performed.
    #[allow(clippy::too_many_arguments)]
    fn new_background_fetch(
        &mut self,
        uid: FetchUid,
        registration: RegistrationInfo,
        id: String,
        requests: Vec<RequestData>,
        download_total: u64,
        title: String,
        icons: Vec<ImageResource>,
        prompt: bool,
    ) -> RegistrationSnapshot {
        // Step 8.11. The new background fetch.
        let upload_total = requests
            .iter()
            .filter_map(|r| r.body.as_ref())
            .map(|b| b.len() as u64)
            .sum();
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
        let mut fetch = Fetch::new(FetchParts {
            uid,
            registration,
            id: id.clone(),
            title,
            icons,
            download_total,
            upload_total,
            control: Control {
                paused: prompt,
                abort_all: false,
            },
            records,
            stored_total: 0,
            uploaded: 0,
        });
        fetch.awaiting_permission = prompt;
        // Step 8.12. bgFetchMap[id] = bgFetch.
        self.active
            .entry(fetch.registration.id)
            .or_default()
            .push((id, uid));
        let snapshot = fetch.snapshot();
        log::info!(target: "bgfetch", "background fetch {} registered: {:?}, {} request(s), {}", uid.0, snapshot.id, fetch.records.len(), fetch.registration.origin);
        // Step 8.14. Display it.
        self.display(&mut fetch, false);
        self.fetches.insert(uid, fetch);
        // Step 8.15. Perform it.
        self.perform_a_background_fetch(uid);
        snapshot
    }

    /// A request for `registration`'s edit queue while a `fetch()` of it is being stored:
    /// kept, in order, for when it is done. Gives the request back when the queue is free.
    pub(super) fn defer_for_edit_queue(
        &mut self,
        registration: RegistrationId,
        r: BackgroundFetchRequest,
    ) -> Option<BackgroundFetchRequest> {
        match self.edit_queues.get_mut(&registration) {
            Some(queue) => {
                queue.push_back(r);
                None
            }
            None => Some(r),
        }
    }

    /// The registration's edit queue is free again: what waited runs, in order, until a
    /// `fetch()` among it stores again.
    fn resume_edit_queue(&mut self, registration: RegistrationId) {
        let Some(mut queue) = self.edit_queues.remove(&registration) else {
            return;
        };
        while let Some(r) = queue.pop_front() {
            self.receive(r);
            if let Some(waiting) = self.edit_queues.get_mut(&registration) {
                waiting.extend(queue);
                return;
            }
        }
    }

    /// The edit-queue steps of <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-get>
    /// (step 5): the registration's active background fetches[id], if the client may see it.
    pub(super) fn get(
        &self,
        client: ClientId,
        registration: RegistrationId,
        id: &str,
    ) -> Option<RegistrationSnapshot> {
        self.active
            .get(&registration)
            .and_then(|list| list.iter().find(|(i, _)| i == id))
            .and_then(|(_, uid)| self.fetches.get(uid))
            .filter(|f| Some(f.registration.origin.as_str()) == self.origin_of(client))
            .map(Fetch::snapshot)
    }

    /// The edit-queue steps of <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-getids>:
    /// the keys of the registration's active background fetches.
    pub(super) fn get_ids(&self, client: ClientId, registration: RegistrationId) -> Vec<String> {
        self.active
            .get(&registration)
            .map(|list| {
                list.iter()
                    .filter(|(_, uid)| self.visible(client, *uid))
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}
