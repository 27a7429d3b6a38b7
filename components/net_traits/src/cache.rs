//! The Cache API's side of the thread boundary (<https://w3c.github.io/ServiceWorker/#cache-objects>):
//! what a script thread asks a profile's cache storage (a storage key's name to cache map and
//! its request response lists), and the one "request matches cached item" both the Cache API
//! and background fetch's `match()` use.
//!
//! Response bodies never cross whole: a cached body is read a chunk at a time, and a body the
//! profile already holds (a background fetch record's, another cache entry's) is named by a
//! [`StoredBody`] so it can be stored again without passing through a script thread.

use crate::{header_get, CacheQueryOptions, FetchUid, RequestData, ResponseMeta};
use serde::{Deserialize, Serialize};
use url::Url;

/// A cache (a request response list), as the service numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CacheId(pub i64);

/// A cached request/response pair, as the service numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntryId(pub i64);

/// Bytes the profile already holds, which a body can refer to instead of carrying them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredBody {
    /// A background fetch record's response body (of that response data `generation`).
    Record {
        uid: FetchUid,
        index: u32,
        generation: u32,
    },
    /// A cache entry's response body.
    CacheEntry(EntryId),
}

/// A response body to store with a put.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PutBody {
    /// A null body.
    None,
    /// The bytes, here.
    Bytes(Vec<u8>),
    /// Bytes the profile holds: stored again without copying where the disk allows (a hard
    /// link). A record that is still downloading is waited for.
    Stored(StoredBody),
    /// The bytes sent before with [`CacheRequest::Upload`] under this id (a body that was
    /// still arriving: it is never held whole in memory).
    Uploaded(UploadId),
}

/// A body sent to the cache storage a piece at a time, before the put that stores it. The
/// script side chooses it (unique: a UUID).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UploadId(pub String);

/// <https://w3c.github.io/ServiceWorker/#dfn-cache-batch-operation>
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CacheOperation {
    Put {
        request: RequestData,
        response: ResponseMeta,
        body: PutBody,
    },
    Delete {
        request: RequestData,
        options: CacheQueryOptions,
    },
}

/// A cached response, as a script thread makes a `Response` of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedResponse {
    pub entry: EntryId,
    pub response: ResponseMeta,
    /// The body's length (`None`: a null body).
    pub body_len: Option<u64>,
}

/// Why a cache operation failed: the exception its promise rejects with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CacheError {
    Type(String),
    InvalidState(String),
    QuotaExceeded(String),
    /// The stored body of a put could not be read (a record that failed or was released).
    Body(String),
    /// The body being put was aborted (its fetch's signal): an AbortError.
    Aborted(String),
}

impl std::fmt::Display for CacheError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheError::Type(m)
            | CacheError::InvalidState(m)
            | CacheError::QuotaExceeded(m)
            | CacheError::Body(m)
            | CacheError::Aborted(m) => f.write_str(m),
        }
    }
}

/// What a script thread asks. Every operation is for one storage key (the origin the
/// script thread acts for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CacheRequest {
    /// CacheStorage.keys(): the cache names in creation order.
    Names,
    /// StorageManager.estimate(): the bytes the origin stores (its caches and background
    /// fetches) and its quota.
    Estimate,
    /// CacheStorage.has(name).
    Has { name: String },
    /// CacheStorage.open(name): the cache, created if missing.
    Open { name: String },
    /// CacheStorage.delete(name): whether there was one.
    Delete { name: String },
    /// The responses of the entries of `cache` (or, with `None`, of every cache in creation
    /// order: CacheStorage.match()) that match `query` ("Query Cache"), or every entry
    /// without a query; `first` stops at the first.
    MatchAll {
        cache: Option<CacheId>,
        query: Option<RequestData>,
        options: CacheQueryOptions,
        first: bool,
    },
    /// CacheStorage.match() with a cacheName: the first matching response of that cache
    /// (none if there is no such cache).
    MatchNamed {
        name: String,
        query: RequestData,
        options: CacheQueryOptions,
    },
    /// Cache.keys(): the requests of the matching entries.
    Keys {
        cache: CacheId,
        query: Option<RequestData>,
        options: CacheQueryOptions,
    },
    /// Batch Cache Operations, atomically: all of them or none.
    Batch {
        cache: CacheId,
        operations: Vec<CacheOperation>,
    },
    /// A piece of a cached body: at most `max` bytes from `offset` (empty: the end).
    ReadBody {
        entry: EntryId,
        offset: u64,
        max: u32,
    },
    /// More of the body `upload`: the first piece (`first`) starts it, the others are
    /// appended (to nothing, once it failed or was discarded: then they fail). Answered with
    /// `Done([])`, or `Failed` (the upload is then gone).
    Upload {
        upload: UploadId,
        first: bool,
        bytes: Vec<u8>,
    },
    /// The upload will not be stored: its bytes go.
    DiscardUpload { upload: UploadId },
}

/// The answer to a [`CacheRequest`], in the same order as the variants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CacheReply {
    Names(Vec<String>),
    Estimate {
        usage: u64,
        quota: u64,
    },
    Has(bool),
    Opened(CacheId),
    Deleted(bool),
    Responses(Vec<CachedResponse>),
    Requests(Vec<RequestData>),
    /// Batch: for each operation, whether it changed the cache (a delete that found
    /// nothing did not).
    Done(Vec<bool>),
    Body(Vec<u8>),
    Failed(CacheError),
}

/// Where a reply goes (called once, on one of the service's threads).
pub type CacheReplySink = Box<dyn FnOnce(CacheReply) + Send>;

/// A profile's cache storage, as script threads reach it.
pub trait CacheStorageService: Send + Sync {
    /// Runs `request` for `storage_key` (an origin) and calls `reply` with the answer.
    fn send(&self, storage_key: &str, request: CacheRequest, reply: CacheReplySink);
}

/// <https://w3c.github.io/ServiceWorker/#request-matches-cached-item-algorithm>
pub fn request_matches_cached_item(
    query: &RequestData,
    request: &RequestData,
    response: Option<&ResponseMeta>,
    options: CacheQueryOptions,
) -> bool {
    // Step 1. If ignoreMethod is false and request's method is not GET, return false.
    if !options.ignore_method && request.method != "GET" {
        return false;
    }
    // Steps 2-5. The URLs, without fragments (and without queries with ignoreSearch), must
    // be equal.
    let normalize = |s: &str| -> Option<String> {
        let mut u = Url::parse(s).ok()?;
        u.set_fragment(None);
        if options.ignore_search {
            u.set_query(None);
        }
        Some(u.to_string())
    };
    match (normalize(&query.url), normalize(&request.url)) {
        (Some(a), Some(b)) if a == b => {}
        _ => return false,
    }
    // Step 6. No response, ignoreVary, or no Vary: a match.
    let Some(response) = response else {
        return true;
    };
    if options.ignore_vary {
        return true;
    }
    let Some(vary) = header_get(&response.headers, "Vary") else {
        return true;
    };
    // Steps 7-8. Every header the response varies on must have the same combined value in
    // both requests ("*" never matches).
    for field in String::from_utf8_lossy(&vary).split(',') {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        if field == "*" || header_get(&request.headers, field) != header_get(&query.headers, field)
        {
            return false;
        }
    }
    true
}

/// Whether a response's `Vary` header lists `*` (such a response cannot be cached).
pub fn varies_on_everything(response: &ResponseMeta) -> bool {
    header_get(&response.headers, "Vary").is_some_and(|v| {
        String::from_utf8_lossy(&v)
            .split(',')
            .any(|f| f.trim() == "*")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_item_matching() {
        let q = |u: &str| RequestData::get(u);
        let stored = q("https://a.test/x?y=1#f");
        let o = CacheQueryOptions::default();
        assert!(request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &stored,
            None,
            o
        ));
        assert!(!request_matches_cached_item(
            &q("https://a.test/x"),
            &stored,
            None,
            o
        ));
        let ignore_search = CacheQueryOptions {
            ignore_search: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &q("https://a.test/x"),
            &stored,
            None,
            ignore_search
        ));
        let mut post = stored.clone();
        post.method = "POST".into();
        assert!(!request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &post,
            None,
            o
        ));
        let ignore_method = CacheQueryOptions {
            ignore_method: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &q("https://a.test/x?y=1"),
            &post,
            None,
            ignore_method
        ));
        let vary = ResponseMeta {
            headers: vec![("Vary".into(), "Accept".into())],
            ..Default::default()
        };
        let mut with_accept = q("https://a.test/x?y=1");
        with_accept.headers = vec![("Accept".into(), "text/html".into())];
        assert!(!request_matches_cached_item(
            &with_accept,
            &stored,
            Some(&vary),
            o
        ));
        let ignore_vary = CacheQueryOptions {
            ignore_vary: true,
            ..o
        };
        assert!(request_matches_cached_item(
            &with_accept,
            &stored,
            Some(&vary),
            ignore_vary
        ));
    }
}
