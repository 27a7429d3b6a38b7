//! `fetch()` from a script thread: the request goes to the network side through a
//! [`FetchService`] the embedder provides; what comes back is a stream of [`FetchEvent`]s.

use crate::request::{RequestData, ResponseMeta};
use serde::{Deserialize, Serialize};

/// A fetch a script thread starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchRequest {
    pub request: RequestData,
    /// The request client's origin, serialized.
    pub origin: String,
    /// Whether the client is a secure context (mixed content is blocked then).
    pub secure_context: bool,
    /// For the user agent's own loaders (classic scripts, worker scripts): deliver the
    /// internal response (status, headers and body) even when the response is opaque, as
    /// HTML uses the *unsafe response* of a script fetch. Never set for `fetch()`.
    #[serde(default)]
    pub unsafe_response: bool,
    /// Set by the script side to abort the fetch (fetch()'s AbortSignal): the network side
    /// stops and reports `Failed`. Not serialized: it only works within one process.
    #[serde(skip)]
    pub cancel: CancelToken,
}

/// A flag shared between the script side and the network side of one fetch.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl CancelToken {
    /// Asks the network side to stop this fetch.
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl PartialEq for CancelToken {
    /// Two tokens are equal when they are the same token.
    fn eq(&self, other: &CancelToken) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What happens to a fetch, in order: one `Response` (or one `Failed`), then `Body` chunks,
/// then `Done` or `Failed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FetchEvent {
    /// The response's headers arrived (the filtered response a script may see).
    Response(ResponseMeta),
    /// More of the body.
    Body(Vec<u8>),
    /// The body is complete.
    Done,
    /// A network error (before the response: the fetch fails; after: the body does).
    Failed(String),
}

/// Where fetch events go (called on the network side's threads).
pub type FetchSink = Box<dyn FnMut(FetchEvent) + Send>;

/// The network side of `fetch()`.
pub trait FetchService: Send + Sync {
    fn fetch(&self, request: FetchRequest, sink: FetchSink);
}
