//! The edit-queue steps of `BackgroundFetchManager`'s `fetch()`, `get()` and `getIds()`
//! (<https://wicg.github.io/background-fetch/#background-fetch-manager>). The script side
//! runs the synchronous steps (argument checks, Request construction, reading the request
//! bodies) and sends what is left; these run in the registration's edit queue, which is the
//! actor's message order.

use super::actor::{storage_error, Actor};
use super::complete_a_record::Control;
use super::state::{Fetch, FetchParts, Rec, RecState};
use net_traits::*;
use std::sync::Arc;
use storage::{NewFetch, StoreError};

impl Actor {
    /// The edit-queue steps of <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-fetch>
    /// (step 8), with the records' request bodies already read by the script side.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fetch(
        &mut self,
        registration: RegistrationInfo,
        id: String,
        requests: Vec<RequestData>,
        download_total: u64,
        title: String,
        icons: Vec<ImageResource>,
        permission: PermissionState,
    ) -> Result<RegistrationSnapshot, BackgroundFetchError> {
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
        check_limits(Some(&id), Some(&title), Some(&icons)).map_err(E::Type)?;
        // The quota must hold the promised download up front (as Chromium does: the spec is
        // silent, and failing at once beats failing after gigabytes).
        if download_total > 0 && !self.store.fits(&registration.origin, download_total) {
            return Err(E::QuotaExceeded(
                "the download total exceeds the storage quota".into(),
            ));
        }
        // Steps 8.6-8.10. Store the requests and their bodies (durably, before answering).
        let uid = self.store.next_uid().map_err(storage_error)?;
        let prompt = permission == PermissionState::Prompt;
        self.store
            .insert_fetch(&NewFetch {
                uid,
                registration: &registration,
                id: &id,
                title: &title,
                icons: &icons,
                download_total,
                paused: prompt,
                awaiting_permission: prompt,
                requests: &requests,
            })
            .map_err(|e| match e {
                // Step 8.7. Storing the requests past the quota: QuotaExceededError.
                StoreError::Quota(_) => {
                    E::QuotaExceeded("the requests exceed the storage quota".into())
                }
                other => storage_error(other),
            })?;
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
        Ok(snapshot)
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
