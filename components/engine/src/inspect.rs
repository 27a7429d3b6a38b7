//! What the profile's Cache API storage holds, for tools outside the page (a storage
//! inspector, or the demo checking the bytes a service worker stored): read-only, by origin,
//! cache name and request URL, with the body as a file opened for streaming.

use crate::{Engine, EngineError};
use std::fs::File;

/// A response an origin's cache holds.
#[derive(Debug)]
pub struct CachedResponse {
    /// The request URL it was stored under.
    pub url: String,
    pub status: u16,
    /// The response's header list, as stored (bytes as Latin-1 characters).
    pub headers: Vec<(String, String)>,
    /// The body's length; `None` for a null body.
    pub body_len: Option<u64>,
    /// The body, opened for reading (it stays readable if the entry is replaced meanwhile);
    /// `None` for a null body.
    pub body: Option<File>,
}

impl Engine {
    /// The first response in `origin`'s cache `cache_name` stored for a GET of `url`
    /// (fragments ignored, as Cache API matching does); `Ok(None)` when the cache or the
    /// entry does not exist.
    pub fn cached_response(
        &self,
        origin: &str,
        cache_name: &str,
        url: &str,
    ) -> Result<Option<CachedResponse>, EngineError> {
        let store = self.shared.controller.store();
        let failed = |e: storage::StoreError| EngineError::Profile(format!("cache storage: {e}"));
        let Some(cache) = store.cache_id(origin, cache_name).map_err(failed)? else {
            return Ok(None);
        };
        let wanted = without_fragment(url);
        let entries = store.cache_entries(origin, Some(cache)).map_err(failed)?;
        let Some(entry) = entries
            .into_iter()
            .find(|e| e.request.method == "GET" && without_fragment(&e.request.url) == wanted)
        else {
            return Ok(None);
        };
        let body = match entry.body_len {
            None => None,
            Some(_) => Some(store.open_cache_body(entry.id).map_err(failed)?),
        };
        Ok(Some(CachedResponse {
            url: entry.request.url,
            status: entry.response.status,
            headers: entry
                .response
                .headers
                .iter()
                .map(|(n, v)| (n.to_latin1(), v.to_latin1()))
                .collect(),
            body_len: entry.body_len,
            body,
        }))
    }
}

fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u)
}
