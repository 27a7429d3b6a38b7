//! <https://w3c.github.io/FileAPI/#url>: the blob URL store, and `blob:` URL fetches.
//!
//! The store is the user agent's (one per process, shared by every global and thread); an
//! entry remembers the Blob's bytes and type and the origin of the global that made it, and
//! goes away on `revokeObjectURL` or when that global ends. Fetching a `blob:` URL never
//! reaches the network: [`BlobUrlFetcher`] wraps the embedder's `FetchService` and answers
//! those requests from the store (Fetch "scheme fetch", blob).

use net_traits::{
    ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, ResponseMeta, ResponseType,
};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, OnceLock};

/// A blob URL entry: the object (its bytes and type) and its creator's origin.
#[derive(Clone, Debug)]
pub struct BlobUrlEntry {
    pub bytes: Arc<Vec<u8>>,
    pub type_: String,
    pub origin: String,
}

fn store() -> &'static Mutex<HashMap<String, BlobUrlEntry>> {
    static STORE: OnceLock<Mutex<HashMap<String, BlobUrlEntry>>> = OnceLock::new();
    STORE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A random version 4 UUID (RFC 9562), from the standard library's randomly seeded hasher.
fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    for half in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0);
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// <https://w3c.github.io/FileAPI/#unicodeBlobURL>: "blob:" + origin + "/" + UUID, with the
/// entry added to the store.
pub fn add_entry(entry: BlobUrlEntry) -> String {
    let url = format!("blob:{}/{}", entry.origin, uuid_v4());
    store().lock().insert(url.clone(), entry);
    url
}

/// <https://w3c.github.io/FileAPI/#removeTheEntry>, when `origin` made it (other origins'
/// revocations are ignored).
pub fn remove_entry(url: &str, origin: &str) {
    let key = without_fragment(url);
    let mut store = store().lock();
    if store.get(key).is_some_and(|e| e.origin == origin) {
        store.remove(key);
    }
}

/// The entry a `blob:` URL names (its fragment ignored).
pub fn resolve(url: &str) -> Option<BlobUrlEntry> {
    store().lock().get(without_fragment(url)).cloned()
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Whether `url` is a `blob:` URL.
pub fn is_blob_url(url: &str) -> bool {
    url.len() >= 5 && url[..5].eq_ignore_ascii_case("blob:")
}

/// Serves `blob:` URLs from the store; every other request goes to the embedder's service.
pub struct BlobUrlFetcher {
    pub inner: Arc<dyn FetchService>,
}

impl FetchService for BlobUrlFetcher {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        if !is_blob_url(&request.request.url) {
            return self.inner.fetch(request, sink);
        }
        // Fetch's scheme fetch for blob: a GET of an entry in the store is a 200 with the
        // blob's bytes, type and length; anything else is a network error.
        let url = request.request.url.clone();
        let entry = resolve(&url);
        let Some(entry) = entry.filter(|_| request.request.method.eq_ignore_ascii_case("GET"))
        else {
            return sink(FetchEvent::Failed(format!(
                "{url} is not in the blob URL store"
            )));
        };
        let mut headers = vec![(
            ByteString(b"Content-Length".to_vec()),
            ByteString(entry.bytes.len().to_string().into_bytes()),
        )];
        headers.push((
            ByteString(b"Content-Type".to_vec()),
            ByteString(entry.type_.clone().into_bytes()),
        ));
        sink(FetchEvent::Response(ResponseMeta {
            response_type: ResponseType::Basic,
            url_list: vec![url],
            status: 200,
            status_text: ByteString(b"OK".to_vec()),
            headers,
            cors_exposed_header_names: Vec::new(),
        }));
        if !entry.bytes.is_empty() {
            sink(FetchEvent::Body(entry.bytes.to_vec()));
        }
        sink(FetchEvent::Done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_unique_and_revocable_by_their_origin_only() {
        let entry = BlobUrlEntry {
            bytes: Arc::new(b"abc".to_vec()),
            type_: "text/plain".into(),
            origin: "https://a.test".into(),
        };
        let a = add_entry(entry.clone());
        let b = add_entry(entry);
        assert_ne!(a, b);
        assert!(a.starts_with("blob:https://a.test/"), "{a}");
        assert_eq!(a.len(), "blob:https://a.test/".len() + 36);
        assert_eq!(
            resolve(&format!("{a}#frag")).unwrap().bytes.as_slice(),
            b"abc"
        );
        remove_entry(&a, "https://b.test");
        assert!(resolve(&a).is_some(), "another origin cannot revoke it");
        remove_entry(&a, "https://a.test");
        assert!(resolve(&a).is_none());
        assert!(resolve(&b).is_some());
        remove_entry(&b, "https://a.test");
    }
}
