//! The in-parallel steps of `BackgroundFetchRegistration`'s `abort()` and `match()`/
//! `matchAll()` (<https://wicg.github.io/background-fetch/#background-fetch-registration>).

use super::actor::Actor;
use net_traits::cache::request_matches_cached_item;
use net_traits::*;
use std::sync::atomic::Ordering;

impl Actor {
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-abort>
    pub(super) fn abort(&mut self, uid: FetchUid) -> bool {
        let Some(fetch) = self.fetches.get(&uid) else {
            return false;
        };
        let reg = fetch.registration.id;
        // Step 3.3. If the active fetches do not contain this background fetch: false.
        let Some(list) = self.active.get_mut(&reg) else {
            return false;
        };
        let Some(pos) = list.iter().position(|(_, u)| *u == uid) else {
            return false;
        };
        // Steps 3.4-3.6. Remove it, answer true, set the abort all flag.
        list.remove(pos);
        self.set_abort_all(uid, true);
        true
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchregistration-matchall>
    /// (the in-parallel steps; the records available check is the script side's, and here).
    pub(super) fn match_all(
        &self,
        uid: FetchUid,
        query: Option<&RequestData>,
        options: CacheQueryOptions,
    ) -> Result<Vec<RecordSnapshot>, BackgroundFetchError> {
        let fetch = self
            .fetches
            .get(&uid)
            .filter(|f| f.records_available)
            .ok_or_else(|| {
                BackgroundFetchError::InvalidState("the records are no longer available".into())
            })?;
        let mut out = Vec::new();
        for r in &fetch.records {
            if let Some(q) = query {
                if !request_matches_cached_item(q, &r.request, r.response.as_ref(), options) {
                    continue;
                }
            }
            out.push(RecordSnapshot {
                uid,
                index: r.index,
                request: r.request.clone(),
                request_body_len: r.body_len,
                response: r.response.as_ref().map(ResponseMeta::for_script),
                result: r.result,
                stored: r.counters.synced.load(Ordering::Acquire),
                generation: r.generation,
            });
        }
        Ok(out)
    }
}
