//! <https://w3c.github.io/FileAPI/#url>: the blob URL store, and the fetches the user agent
//! answers itself: `blob:`, `data:` and `about:` URLs (Fetch "scheme fetch").
//!
//! The store is a profile's ([`crate::Profile`]: shared by every global and thread of the
//! profile, never seen by another); an entry remembers the Blob's bytes and type and the
//! origin of the global that made it, and goes away on `revokeObjectURL` or when that global
//! ends. Fetching a `blob:` URL never
//! reaches the network: [`LocalSchemeFetcher`] wraps the embedder's `FetchService` and answers
//! those requests from the store (Fetch "scheme fetch", blob), for requests of the entry's
//! origin (and navigations) only: another origin gets a network error.

use net_traits::{
    ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, RequestMode, ResponseMeta,
    ResponseType,
};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// A blob URL entry: the object (its bytes and type) and its creator's origin.
#[derive(Clone, Debug)]
pub struct BlobUrlEntry {
    pub bytes: Arc<Vec<u8>>,
    pub type_: String,
    pub origin: String,
}

/// <https://w3c.github.io/FileAPI/#BlobURLStore>: a profile's blob URL store. Cheap to
/// clone: clones are the same store.
#[derive(Clone, Default)]
pub struct BlobUrlStore(Arc<Mutex<HashMap<String, BlobUrlEntry>>>);

impl std::fmt::Debug for BlobUrlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobUrlStore({} entries)", self.0.lock().len())
    }
}

impl BlobUrlStore {
    /// <https://w3c.github.io/FileAPI/#unicodeBlobURL>: "blob:" + origin + "/" + UUID, with
    /// the entry added to the store.
    pub fn add_entry(&self, entry: BlobUrlEntry) -> String {
        let url = format!("blob:{}/{}", entry.origin, uuid::Uuid::new_v4());
        self.0.lock().insert(url.clone(), entry);
        url
    }

    /// <https://w3c.github.io/FileAPI/#removeTheEntry>, when `origin` made it (other
    /// origins' revocations are ignored).
    pub fn remove_entry(&self, url: &str, origin: &str) {
        let key = without_fragment(url);
        let mut store = self.0.lock();
        if store.get(key).is_some_and(|e| e.origin == origin) {
            store.remove(key);
        }
    }

    /// The entry a `blob:` URL names (its fragment ignored).
    pub fn resolve(&self, url: &str) -> Option<BlobUrlEntry> {
        self.0.lock().get(without_fragment(url)).cloned()
    }
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Whether `url` is a `blob:` URL.
pub fn is_blob_url(url: &str) -> bool {
    url.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("blob:"))
}

/// <https://fetch.spec.whatwg.org/#data-url-processor>: the MIME type and body of a `data:`
/// URL, or None on failure.
pub fn process_data_url(url: &url::Url) -> Option<(String, Vec<u8>)> {
    // Steps 2-3. The URL without its fragment, minus the leading "data:".
    let mut without_fragment = url.clone();
    without_fragment.set_fragment(None);
    let input = &without_fragment.as_str()["data:".len()..];
    // Steps 4-7. The MIME type is everything before the first ",", stripped; none: failure.
    let (mime, encoded) = input.split_once(',')?;
    let mut mime = mime
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_string();
    // Steps 8-9. Percent-decode the body.
    let mut body: Vec<u8> = percent_decode(encoded.as_bytes());
    // Step 10. ";base64" (any case, spaces before it allowed) decodes the body.
    let lower = mime.to_ascii_lowercase();
    if let Some(before) = lower.strip_suffix("base64") {
        let trimmed = before.trim_end_matches(' ');
        if let Some(rest) = trimmed.strip_suffix(';') {
            let text: String = body.iter().map(|&b| b as char).collect();
            body = crate::dom::base64::atob(&text).ok()?.0;
            mime.truncate(rest.len());
        }
    }
    // Step 11. A MIME type starting with ";" is text/plain.
    if mime.starts_with(';') {
        mime = format!("text/plain{mime}");
    }
    // Steps 12-13. Parse it; failure is text/plain;charset=US-ASCII.
    let serialized = match crate::mime::MimeType::parse(&mime) {
        Some(m) => m.serialize(),
        None => "text/plain;charset=US-ASCII".to_string(),
    };
    Some((serialized, body))
}

/// <https://url.spec.whatwg.org/#percent-decode>
fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' && i + 2 < input.len() {
            if let (Some(h), Some(l)) = (hex(input[i + 1]), hex(input[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

/// A 200 response the user agent makes itself (Fetch "scheme fetch"), delivered to `sink`.
fn local_response(
    sink: &mut FetchSink,
    url: String,
    content_type: &str,
    body: Vec<u8>,
    length: bool,
) {
    let mut headers = Vec::new();
    if length {
        headers.push((
            ByteString(b"Content-Length".to_vec()),
            ByteString(body.len().to_string().into_bytes()),
        ));
    }
    headers.push((
        ByteString(b"Content-Type".to_vec()),
        ByteString(content_type.as_bytes().to_vec()),
    ));
    sink(FetchEvent::Response(ResponseMeta {
        response_type: ResponseType::Basic,
        url_list: vec![url],
        status: 200,
        status_text: ByteString(b"OK".to_vec()),
        headers,
        cors_exposed_header_names: Vec::new(),
        opaque_status: None,
    }));
    if !body.is_empty() {
        sink(FetchEvent::Body(body));
    }
    sink(FetchEvent::Done);
}

/// Answers `blob:`, `data:` and `about:` requests; every other request goes to the
/// embedder's service.
pub struct LocalSchemeFetcher {
    /// The embedder's network (None: requests that need it are network errors).
    pub inner: Option<Arc<dyn FetchService>>,
    /// The profile's blob URL store.
    pub blob_urls: BlobUrlStore,
}

impl FetchService for LocalSchemeFetcher {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        let url_str = request.request.url.clone();
        let scheme = url_str.split(':').next().unwrap_or("").to_ascii_lowercase();
        match scheme.as_str() {
            "data" => {
                // Scheme fetch, data: the data: URL processor's result, or a network error.
                return match url::Url::parse(&url_str)
                    .ok()
                    .as_ref()
                    .and_then(process_data_url)
                {
                    Some((mime, body)) => local_response(&mut sink, url_str, &mime, body, false),
                    None => sink(FetchEvent::Failed(format!(
                        "{url_str} is not a valid data: URL"
                    ))),
                };
            }
            "about" => {
                // Scheme fetch, about: about:blank is an empty HTML document.
                return if url::Url::parse(&url_str).is_ok_and(|u| u.path() == "blank") {
                    local_response(
                        &mut sink,
                        url_str,
                        "text/html;charset=utf-8",
                        Vec::new(),
                        false,
                    )
                } else {
                    sink(FetchEvent::Failed(format!("{url_str} cannot be fetched")))
                };
            }
            "blob" => {}
            _ => {
                return match &self.inner {
                    Some(inner) => inner.fetch(request, sink),
                    None => sink(FetchEvent::Failed(
                        "this global has no network access".into(),
                    )),
                }
            }
        }
        // Fetch's scheme fetch for blob: a GET of an entry in the store is a 200 with the
        // blob's bytes, type and length; anything else is a network error.
        let url = request.request.url.clone();
        let entry = self.blob_urls.resolve(&url);
        let Some(entry) = entry.filter(|_| request.request.method.eq_ignore_ascii_case("GET"))
        else {
            return sink(FetchEvent::Failed(format!(
                "{url} is not in the blob URL store"
            )));
        };
        // Main fetch step 12: a blob: URL of another origin than the request's is a network
        // error in "same-origin" mode, and in "cors" mode (it is no HTTP(S) URL). FileAPI,
        // "obtain a blob object": an entry is only obtained by an environment of its own
        // storage key (the origin here), so "no-cors" gets a network error too. Navigations
        // load it.
        if entry.origin != request.origin && request.request.mode != RequestMode::Navigate {
            return sink(FetchEvent::Failed(format!(
                "{url} belongs to another origin than {}",
                request.origin
            )));
        }
        local_response(&mut sink, url, &entry.type_, entry.bytes.to_vec(), true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(s: &str) -> Option<(String, Vec<u8>)> {
        process_data_url(&url::Url::parse(s).unwrap())
    }

    #[test]
    fn data_url_processor() {
        assert_eq!(
            data("data:,Hello%2C%20World!"),
            Some((
                "text/plain;charset=US-ASCII".into(),
                b"Hello, World!".to_vec()
            ))
        );
        assert_eq!(
            data("data:text/HTML;charset=UTF-8,<p>x</p>#frag"),
            Some(("text/html;charset=UTF-8".into(), b"<p>x</p>".to_vec()))
        );
        assert_eq!(
            data("data:;base64,aGk="),
            Some(("text/plain;charset=US-ASCII".into(), b"hi".to_vec())),
            "an empty type after ;base64"
        );
        assert_eq!(
            data("data:application/octet-stream;BASE64,AAEC"),
            Some(("application/octet-stream".into(), vec![0, 1, 2]))
        );
        assert_eq!(
            data("data:text/plain ;  base64,aGk="),
            Some(("text/plain".into(), b"hi".to_vec()))
        );
        assert_eq!(data("data:;base64,%%%"), None, "bad base64 is a failure");
        assert_eq!(data("data:text/plain"), None, "no comma");
        assert_eq!(
            data("data:bogus,x").unwrap().0,
            "text/plain;charset=US-ASCII",
            "an invalid type"
        );
        assert_eq!(
            data("data:,%zz%41").unwrap().1,
            b"%zzA".to_vec(),
            "bad escapes stay"
        );
    }

    #[test]
    fn scheme_checks_do_not_split_characters() {
        assert!(is_blob_url("BLOB:https://a.test/x"));
        assert!(!is_blob_url("blo\u{20ac}x"));
        assert!(!is_blob_url("b"));
    }

    #[test]
    fn urls_are_unique_and_revocable_by_their_origin_only() {
        let store = BlobUrlStore::default();
        let entry = BlobUrlEntry {
            bytes: Arc::new(b"abc".to_vec()),
            type_: "text/plain".into(),
            origin: "https://a.test".into(),
        };
        let a = store.add_entry(entry.clone());
        let b = store.add_entry(entry);
        assert_ne!(a, b);
        assert!(a.starts_with("blob:https://a.test/"), "{a}");
        assert_eq!(a.len(), "blob:https://a.test/".len() + 36);
        assert_eq!(
            store
                .resolve(&format!("{a}#frag"))
                .unwrap()
                .bytes
                .as_slice(),
            b"abc"
        );
        store.remove_entry(&a, "https://b.test");
        assert!(
            store.resolve(&a).is_some(),
            "another origin cannot revoke it"
        );
        store.remove_entry(&a, "https://a.test");
        assert!(store.resolve(&a).is_none());
        assert!(store.resolve(&b).is_some());
        store.remove_entry(&b, "https://a.test");
    }

    #[test]
    fn only_the_entry_origin_fetches_a_blob_url() {
        let store = BlobUrlStore::default();
        let url = store.add_entry(BlobUrlEntry {
            bytes: Arc::new(b"secret".to_vec()),
            type_: "text/plain".into(),
            origin: "https://a.test".into(),
        });
        let fetcher = LocalSchemeFetcher {
            inner: None,
            blob_urls: store,
        };
        let fetch = |origin: &str, mode: RequestMode| {
            let mut request = net_traits::RequestData::get(&url);
            request.mode = mode;
            let events = Arc::new(Mutex::new(Vec::new()));
            let sink_events = events.clone();
            fetcher.fetch(
                FetchRequest {
                    request,
                    origin: origin.into(),
                    secure_context: true,
                    unsafe_response: false,
                    cancel: Default::default(),
                },
                Box::new(move |e| sink_events.lock().push(e)),
            );
            let events = std::mem::take(&mut *events.lock());
            match events.first() {
                Some(FetchEvent::Response(meta)) => format!("{}", meta.status),
                Some(FetchEvent::Failed(_)) => "network error".to_string(),
                _ => "nothing".to_string(),
            }
        };
        assert_eq!(fetch("https://a.test", RequestMode::Cors), "200");
        assert_eq!(fetch("https://a.test", RequestMode::SameOrigin), "200");
        for mode in [
            RequestMode::Cors,
            RequestMode::NoCors,
            RequestMode::SameOrigin,
        ] {
            assert_eq!(fetch("https://b.test", mode), "network error", "{mode:?}");
        }
        assert_eq!(fetch("null", RequestMode::NoCors), "network error");
        assert_eq!(fetch("https://b.test", RequestMode::Navigate), "200");
    }

    #[test]
    fn two_stores_share_nothing() {
        let (a, b) = (BlobUrlStore::default(), BlobUrlStore::default());
        let url = a.add_entry(BlobUrlEntry {
            bytes: Arc::new(b"x".to_vec()),
            type_: String::new(),
            origin: "https://a.test".into(),
        });
        assert!(a.resolve(&url).is_some());
        assert!(b.resolve(&url).is_none());
        assert!(b.clone().resolve(&url).is_none() && a.clone().resolve(&url).is_some());
    }
}
