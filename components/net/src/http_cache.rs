//! A profile's HTTP cache (<https://httpwg.org/specs/rfc9111.html>, as Fetch's
//! "HTTP-network-or-cache fetch" uses it): a private (single-user) cache whose freshness,
//! validation and `Vary` rules come from `http-cache-semantics`.
//!
//! On disk, under the profile's `http-cache/`: per stored response a `<key>.meta` (JSON: the
//! policy, the status and header list, the body file's name and length) and the body in
//! `<key>-<n>.body`. A body is written to a `.tmp` file as it arrives, passed on at the same
//! time, and only becomes an entry when it ended whole: the body file is renamed into place
//! first, then the meta file, so a crash leaves a `.tmp` or an unreferenced body (both
//! removed when the cache opens) and never an entry with a short body. A read checks the
//! body's length against the meta's.
//!
//! The key is a hash of the cache partition (the fetching client's origin: Fetch's
//! "determine the HTTP cache partition") and the URL: one stored response per URL and
//! partition; a response with another `Vary` selection replaces it. The least recently used
//! responses go when the total passes the bound.

use bytes::Bytes;
use http_cache_semantics::{CacheOptions, CachePolicy};
use hyper::body::{Body, Frame, SizeHint};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

/// The default bound on the cache's size (bodies and meta files).
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

/// The meta file format; an entry of another version is a miss (and is replaced).
const VERSION: u32 = 1;

/// A browser's cache is private: `private` responses are stored, `s-maxage` is ignored.
pub fn cache_options() -> CacheOptions {
    CacheOptions {
        shared: false,
        ..CacheOptions::default()
    }
}

/// The policy for storing a response (RFC 9111 3). `http-cache-semantics` follows RFC 7234,
/// which stores only the status codes it understands; RFC 9111 also stores any final status
/// whose response says how long it stays fresh (or is `public`): such a response's policy is
/// computed as for a 200 (the stored status stays the real one).
pub fn policy_for(
    request: &http::Request<()>,
    status: http::StatusCode,
    headers: &http::HeaderMap,
    now: std::time::SystemTime,
) -> CachePolicy {
    const UNDERSTOOD: [u16; 14] = [
        200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501,
    ];
    let directives = cache_control_directives(headers);
    let explicit = headers.contains_key("expires")
        || directives.iter().any(|d| d == "max-age" || d == "public");
    let must_understand = directives.iter().any(|d| d == "must-understand");
    let as_status = if !UNDERSTOOD.contains(&status.as_u16())
        && status.as_u16() >= 200
        && status != http::StatusCode::PARTIAL_CONTENT
        && status != http::StatusCode::NOT_MODIFIED
        && explicit
        && !must_understand
    {
        http::StatusCode::OK
    } else {
        status
    };
    let mut response = http::Response::new(());
    *response.status_mut() = as_status;
    *response.headers_mut() = storable_headers(headers);
    // An `Age` past any real age (a hostile server's u64::MAX) would overflow the
    // policy's age arithmetic later: such a response is taken as having no `Age`.
    if response
        .headers()
        .get("age")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().parse::<u64>().map_or(true, |age| age > 1 << 31))
    {
        response.headers_mut().remove("age");
    }
    // The request's credentials are not kept (they would sit on disk in the meta file).
    let mut request_head = http::Request::new(());
    *request_head.method_mut() = request.method().clone();
    *request_head.uri_mut() = request.uri().clone();
    *request_head.headers_mut() = request.headers().clone();
    for name in ["cookie", "authorization", "proxy-authorization"] {
        request_head.headers_mut().remove(name);
    }
    CachePolicy::new_options(&request_head, &response, now, cache_options())
}

/// A response's header list as the cache keeps it: without `Set-Cookie` (the cookies were
/// stored in the jar when the response arrived; a stored copy would outlive them).
pub fn storable_headers(headers: &http::HeaderMap) -> http::HeaderMap {
    let mut kept = headers.clone();
    kept.remove("set-cookie");
    kept.remove("set-cookie2");
    kept
}

/// The `Cache-Control` directive names of a header list, lowercase.
pub fn cache_control_directives(headers: &http::HeaderMap) -> Vec<String> {
    headers
        .get_all("cache-control")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|d| {
            d.split('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect()
}

/// What a stored response's meta file holds.
#[derive(Serialize, Deserialize)]
struct Meta {
    version: u32,
    url: String,
    policy: CachePolicy,
    status: u16,
    /// The response's header list as received (names lowercase, values as bytes).
    headers: Vec<(String, Vec<u8>)>,
    /// The body file's name in the cache folder.
    body: String,
    body_len: u64,
}

/// How much an entry takes, and when it was last used (for eviction).
#[derive(Clone, Copy)]
struct Usage {
    bytes: u64,
    used: u64,
}

#[derive(Default)]
struct Index {
    entries: HashMap<String, Usage>,
    total: u64,
    /// Bytes of bodies being written (not entries yet): they take disk space too, so they
    /// count against the bound.
    writing: u64,
    clock: u64,
}

/// How many locks the keys are spread over (see [`HttpCache::lock_key`]).
const KEY_LOCKS: usize = 64;

/// See the module documentation. Shared (`Arc`) by every fetch of the profile.
pub struct HttpCache {
    dir: PathBuf,
    max_bytes: u64,
    index: Mutex<Index>,
    /// Changes to one key's files (its meta file and which body it names) are made under
    /// that key's lock, so two responses stored at once for one URL, or a freshening racing
    /// a store, leave one entry and no stray body.
    key_locks: [Mutex<()>; KEY_LOCKS],
    /// Names temporary and body files uniquely within this process.
    counter: AtomicU64,
}

/// A stored response selected for a request: its policy, head and open body file.
pub struct Stored {
    key: String,
    meta: Meta,
    body: File,
}

impl Stored {
    pub fn policy(&self) -> &CachePolicy {
        &self.meta.policy
    }

    /// The stored response's status and header list (for a stale response that is used as
    /// it is, or to revalidate with its validators).
    pub fn head(&self) -> (http::StatusCode, http::HeaderMap) {
        let status = http::StatusCode::from_u16(self.meta.status).unwrap_or(http::StatusCode::OK);
        let mut headers = http::HeaderMap::new();
        for (name, value) in &self.meta.headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_bytes(value),
            ) {
                headers.append(n, v);
            }
        }
        (status, headers)
    }

    /// The stored body, streamed from its file.
    pub fn into_body(self) -> CachedBody {
        CachedBody {
            file: Some(self.body),
            left: self.meta.body_len,
        }
    }

    /// The stored body's length.
    pub fn body_len(&self) -> u64 {
        self.meta.body_len
    }

    /// Bytes `first..=last` of the stored body (`last` below its length), streamed.
    pub fn into_body_range(mut self, first: u64, last: u64) -> std::io::Result<CachedBody> {
        use std::io::Seek;
        self.body.seek(std::io::SeekFrom::Start(first))?;
        Ok(CachedBody {
            file: Some(self.body),
            left: (last + 1).saturating_sub(first),
        })
    }
}

impl HttpCache {
    /// Opens (creating) the cache in `dir`, removing what an interrupted write left.
    pub fn open(dir: &Path, max_bytes: u64) -> std::io::Result<HttpCache> {
        storage::private::create_dir_all(dir)?;
        let mut index = Index::default();
        let mut referenced = std::collections::HashSet::new();
        let mut bodies = Vec::new();
        let mut metas: Vec<(String, u64, std::time::SystemTime)> = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.ends_with(".tmp") {
                let _ = std::fs::remove_file(&path);
            } else if name.ends_with(".body") {
                bodies.push(name);
            } else if let Some(key) = name.strip_suffix(".meta") {
                match read_meta(&path) {
                    Some(meta) => {
                        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                        let used = entry
                            .metadata()
                            .and_then(|m| m.modified())
                            .unwrap_or(std::time::UNIX_EPOCH);
                        referenced.insert(meta.body.clone());
                        metas.push((key.to_string(), size + meta.body_len, used));
                    }
                    None => {
                        let _ = std::fs::remove_file(&path);
                    }
                }
            }
        }
        for body in bodies {
            if !referenced.contains(&body) {
                let _ = std::fs::remove_file(dir.join(body));
            }
        }
        // The oldest meta file counts as the least recently used.
        metas.sort_by_key(|(_, _, used)| *used);
        for (key, bytes, _) in metas {
            index.clock += 1;
            index.total += bytes;
            let used = index.clock;
            index.entries.insert(key, Usage { bytes, used });
        }
        let cache = HttpCache {
            dir: dir.to_path_buf(),
            max_bytes: if max_bytes == 0 {
                DEFAULT_MAX_BYTES
            } else {
                max_bytes
            },
            index: Mutex::new(index),
            key_locks: std::array::from_fn(|_| Mutex::new(())),
            counter: AtomicU64::new(0),
        };
        cache.evict(None);
        Ok(cache)
    }

    /// The key of `url`'s responses in the cache partition of `partition` (an origin).
    pub fn key(partition: &str, url: &str) -> String {
        let digest = ring::digest::digest(
            &ring::digest::SHA256,
            format!("{partition} {url}").as_bytes(),
        );
        digest.as_ref()[..20]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The lock of `key`'s files. Keys are hex digests, so their first bytes spread them
    /// evenly. Never held while taking another key's lock (two keys may share one).
    fn lock_key(&self, key: &str) -> parking_lot::MutexGuard<'_, ()> {
        let slot = u8::from_str_radix(key.get(..2).unwrap_or("0"), 16).unwrap_or(0) as usize;
        self.key_locks[slot % KEY_LOCKS].lock()
    }

    /// The stored response for `key`, if there is a whole one (whether it may be used for a
    /// request is the policy's question).
    pub fn lookup(&self, key: &str) -> Option<Stored> {
        let meta_path = self.dir.join(format!("{key}.meta"));
        let meta = read_meta(&meta_path)?;
        let body = match File::open(self.dir.join(&meta.body)) {
            Ok(f) => f,
            Err(_) => {
                self.remove(key);
                return None;
            }
        };
        if body.metadata().map(|m| m.len()).ok() != Some(meta.body_len) {
            log::warn!(target: "net", "http cache: {} has a damaged body; removed", meta.url);
            self.remove(key);
            return None;
        }
        let mut index = self.index.lock();
        index.clock += 1;
        let clock = index.clock;
        if let Some(usage) = index.entries.get_mut(key) {
            usage.used = clock;
        }
        Some(Stored {
            key: key.to_string(),
            meta,
            body,
        })
    }

    /// Freshening a stored response upon validation (RFC 9111 4.3.4): the 304's header
    /// fields replace the stored ones of the same name (except those describing the body),
    /// and the policy is computed again from the result; the body stays. Returns the
    /// response's new header list.
    pub fn freshen(
        &self,
        stored: &Stored,
        request: &http::Request<()>,
        not_modified: &http::HeaderMap,
        now: std::time::SystemTime,
    ) -> http::HeaderMap {
        const KEEP: [&str; 4] = [
            "content-length",
            "content-encoding",
            "transfer-encoding",
            "content-range",
        ];
        let (status, mut headers) = stored.head();
        for name in not_modified.keys() {
            if KEEP.contains(&name.as_str()) {
                continue;
            }
            headers.remove(name);
            for value in not_modified.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        let meta = Meta {
            version: VERSION,
            url: stored.meta.url.clone(),
            policy: policy_for(request, status, &headers, now),
            status: stored.meta.status,
            headers: header_list(&headers),
            body: stored.meta.body.clone(),
            body_len: stored.meta.body_len,
        };
        let _key = self.lock_key(&stored.key);
        // Only the entry that was validated is freshened: one stored since (a newer
        // response) or removed meanwhile stays as it is.
        let current = read_meta(&self.dir.join(format!("{}.meta", stored.key)));
        if current.is_some_and(|c| c.body == stored.meta.body) {
            if let Err(e) = self.write_meta(&stored.key, &meta) {
                log::warn!(target: "net", "http cache: cannot update {}: {e}", meta.url);
            }
        }
        headers
    }

    /// Invalidating stored responses: the response for `key` goes.
    pub fn invalidate(&self, key: &str) {
        self.remove(key);
    }

    /// Starts storing a response: the returned writer takes its body as it passes through
    /// ([`StoringBody`]) and makes it an entry when the body ended whole.
    pub fn start_storing(
        self: &Arc<Self>,
        key: String,
        url: &str,
        policy: CachePolicy,
        status: http::StatusCode,
        headers: &http::HeaderMap,
    ) -> Option<CacheWriter> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let unique = format!("{}-{}-{n}", std::process::id(), now_nanos());
        let tmp = self.dir.join(format!("{key}-{unique}.tmp"));
        let file = match storage::private::create_file(&tmp) {
            Ok(f) => f,
            Err(e) => {
                log::warn!(target: "net", "http cache: cannot store {url}: {e}");
                return None;
            }
        };
        Some(CacheWriter {
            cache: self.clone(),
            file: Some(std::io::BufWriter::with_capacity(64 * 1024, file)),
            tmp,
            body_name: format!("{key}-{unique}.body"),
            written: 0,
            counted: 0,
            meta: Meta {
                version: VERSION,
                url: url.to_string(),
                policy,
                status: status.as_u16(),
                headers: header_list(&storable_headers(headers)),
                body: String::new(),
                body_len: 0,
            },
            key,
        })
    }

    fn write_meta(&self, key: &str, meta: &Meta) -> std::io::Result<u64> {
        let json = serde_json::to_vec(meta).map_err(std::io::Error::other)?;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(format!("{key}-{n}-{}.meta.tmp", now_nanos()));
        let mut file = storage::private::create_file(&tmp)?;
        file.write_all(&json)?;
        drop(file);
        std::fs::rename(&tmp, self.dir.join(format!("{key}.meta")))?;
        Ok(json.len() as u64)
    }

    /// Makes a written body an entry (replacing the key's previous one).
    fn commit(&self, key: &str, meta: Meta, tmp: &Path, body_name: String, len: u64) {
        {
            let _key = self.lock_key(key);
            self.replace_entry(key, meta, tmp, body_name, len);
        }
        self.evict(Some(key));
    }

    /// [`HttpCache::commit`] under the key's lock.
    fn replace_entry(&self, key: &str, mut meta: Meta, tmp: &Path, body_name: String, len: u64) {
        let previous = read_meta(&self.dir.join(format!("{key}.meta")));
        let body_path = self.dir.join(&body_name);
        if let Err(e) = std::fs::rename(tmp, &body_path) {
            log::warn!(target: "net", "http cache: cannot store {}: {e}", meta.url);
            let _ = std::fs::remove_file(tmp);
            return;
        }
        meta.body = body_name;
        meta.body_len = len;
        let meta_len = match self.write_meta(key, &meta) {
            Ok(n) => n,
            Err(e) => {
                log::warn!(target: "net", "http cache: cannot store {}: {e}", meta.url);
                let _ = std::fs::remove_file(&body_path);
                return;
            }
        };
        // The replaced body (a reader that opened it keeps reading it).
        if let Some(old) = previous.filter(|old| old.body != meta.body) {
            let _ = std::fs::remove_file(self.dir.join(old.body));
        }
        {
            let mut index = self.index.lock();
            index.clock += 1;
            let used = index.clock;
            let bytes = len + meta_len;
            if let Some(old) = index.entries.insert(key.to_string(), Usage { bytes, used }) {
                index.total -= old.bytes.min(index.total);
            }
            index.total += bytes;
        }
    }

    fn remove(&self, key: &str) {
        let _key = self.lock_key(key);
        let meta_path = self.dir.join(format!("{key}.meta"));
        if let Some(meta) = read_meta(&meta_path) {
            let _ = std::fs::remove_file(self.dir.join(meta.body));
        }
        let _ = std::fs::remove_file(meta_path);
        let mut index = self.index.lock();
        if let Some(old) = index.entries.remove(key) {
            index.total -= old.bytes.min(index.total);
        }
    }

    /// Removes the least recently used entries (never `keep`) until the total fits.
    fn evict(&self, keep: Option<&str>) {
        loop {
            let victim = {
                let index = self.index.lock();
                if index.total + index.writing <= self.max_bytes {
                    return;
                }
                index
                    .entries
                    .iter()
                    .filter(|(k, _)| Some(k.as_str()) != keep)
                    .min_by_key(|(_, u)| u.used)
                    .map(|(k, _)| k.clone())
            };
            match victim {
                Some(key) => self.remove(&key),
                None => return,
            }
        }
    }

    /// The bytes the cache holds now.
    pub fn total_bytes(&self) -> u64 {
        self.index.lock().total
    }

    /// The largest body worth storing: an eighth of the bound (a response bigger than that
    /// would evict most of the cache).
    fn max_entry(&self) -> u64 {
        self.max_bytes / 8
    }
}

fn read_meta(path: &Path) -> Option<Meta> {
    let bytes = std::fs::read(path).ok()?;
    let meta: Meta = serde_json::from_slice(&bytes).ok()?;
    // The body's file name is one this cache made (`<key>-<digits>-<digits>-<digits>.body`):
    // a damaged or edited meta file never names a path elsewhere.
    let body_ok = meta.body.is_empty()
        || meta.body.strip_suffix(".body").is_some_and(|stem| {
            !stem.is_empty()
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b.is_ascii_digit() || b == b'-')
        });
    (meta.version == VERSION && body_ok).then_some(meta)
}

fn header_list(headers: &http::HeaderMap) -> Vec<(String, Vec<u8>)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
        .collect()
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// A response body on its way to the cache: written to a temporary file as it arrives,
/// committed when it ended whole, discarded otherwise (an error, a body over the entry
/// bound, or a reader that stopped early).
pub struct CacheWriter {
    cache: Arc<HttpCache>,
    file: Option<std::io::BufWriter<File>>,
    tmp: PathBuf,
    body_name: String,
    written: u64,
    /// Of `written`, the bytes counted in the index's `writing`.
    counted: u64,
    meta: Meta,
    key: String,
}

impl CacheWriter {
    fn write(&mut self, data: &[u8]) {
        let Some(file) = &mut self.file else { return };
        self.written += data.len() as u64;
        if self.written > self.cache.max_entry() || file.write_all(data).is_err() {
            return self.abandon();
        }
        self.counted += data.len() as u64;
        self.cache.index.lock().writing += data.len() as u64;
        self.cache.evict(Some(&self.key));
    }

    /// The bytes written are no longer being written (an entry now, or gone).
    fn uncount(&mut self) {
        let mut index = self.cache.index.lock();
        index.writing -= self.counted.min(index.writing);
        self.counted = 0;
    }

    fn abandon(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        self.uncount();
    }

    fn finish(&mut self) {
        self.uncount();
        let Some(file) = self.file.take() else { return };
        match file.into_inner() {
            Ok(file) => drop(file),
            Err(_) => {
                let _ = std::fs::remove_file(&self.tmp);
                return;
            }
        }
        let meta = Meta {
            version: VERSION,
            url: std::mem::take(&mut self.meta.url),
            policy: self.meta.policy.clone(),
            status: self.meta.status,
            headers: std::mem::take(&mut self.meta.headers),
            body: String::new(),
            body_len: 0,
        };
        let body_name = std::mem::take(&mut self.body_name);
        self.cache
            .commit(&self.key, meta, &self.tmp, body_name, self.written);
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        self.abandon();
    }
}

/// A stored body read back from its file, a piece at a time.
pub struct CachedBody {
    file: Option<File>,
    left: u64,
}

const PIECE: usize = 64 * 1024;

impl CachedBody {
    /// No bytes (a response the cache makes up, such as `only-if-cached`'s 504).
    pub fn empty() -> CachedBody {
        CachedBody {
            file: None,
            left: 0,
        }
    }
}

/// A response body: from the network, from the network on its way into the cache, or from
/// the cache.
pub enum ResponseBody {
    Network(hyper::body::Incoming),
    Storing(hyper::body::Incoming, Box<CacheWriter>),
    Cached(CachedBody),
}

impl From<hyper::body::Incoming> for ResponseBody {
    fn from(body: hyper::body::Incoming) -> Self {
        ResponseBody::Network(body)
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            ResponseBody::Network(body) => {
                Pin::new(body).poll_frame(cx).map_err(std::io::Error::other)
            }
            ResponseBody::Storing(body, writer) => match Pin::new(body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        writer.write(data);
                    }
                    Poll::Ready(Some(Ok(frame)))
                }
                Poll::Ready(Some(Err(e))) => {
                    writer.abandon();
                    Poll::Ready(Some(Err(std::io::Error::other(e))))
                }
                Poll::Ready(None) => {
                    writer.finish();
                    Poll::Ready(None)
                }
                Poll::Pending => Poll::Pending,
            },
            ResponseBody::Cached(body) => {
                if body.left == 0 {
                    return Poll::Ready(None);
                }
                let n = (body.left as usize).min(PIECE);
                let mut buf = vec![0u8; n];
                let Some(file) = &mut body.file else {
                    return Poll::Ready(None);
                };
                match file.read_exact(&mut buf) {
                    Ok(()) => {
                        body.left -= n as u64;
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from(buf)))))
                    }
                    Err(e) => {
                        body.left = 0;
                        Poll::Ready(Some(Err(e)))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ResponseBody::Network(body) => body.is_end_stream(),
            // The writer commits when it sees the end: let the reader poll for it.
            ResponseBody::Storing(..) => false,
            ResponseBody::Cached(body) => body.left == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ResponseBody::Network(body) | ResponseBody::Storing(body, _) => body.size_hint(),
            ResponseBody::Cached(body) => SizeHint::with_exact(body.left),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(url: &str, cache_control: &str) -> (CachePolicy, http::HeaderMap) {
        let req = http::Request::get(url).body(()).unwrap();
        let res = http::Response::builder()
            .header("cache-control", cache_control)
            .header("content-type", "text/plain")
            .body(())
            .unwrap();
        let policy =
            CachePolicy::new_options(&req, &res, std::time::SystemTime::now(), cache_options());
        (policy, res.headers().clone())
    }

    fn store(cache: &Arc<HttpCache>, key: &str, body: &[u8]) {
        let mut w = writer(cache, key);
        w.write(body);
        w.finish();
    }

    #[test]
    fn a_body_is_an_entry_only_once_it_ended_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        let key = HttpCache::key("https://a.test", "https://a.test/x");
        let (policy, headers) = policy("https://a.test/x", "max-age=100");
        let mut w = cache
            .start_storing(
                key.clone(),
                "https://a.test/x",
                policy,
                http::StatusCode::OK,
                &headers,
            )
            .unwrap();
        w.write(b"half");
        drop(w);
        assert!(cache.lookup(&key).is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        store(&cache, &key, b"whole body");
        let stored = cache.lookup(&key).unwrap();
        assert_eq!(stored.head().0, 200);
        let mut body = stored.into_body();
        let mut got = Vec::new();
        body.file.as_mut().unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, b"whole body");
    }

    #[test]
    fn final_statuses_with_explicit_freshness_are_storable_but_not_a_304() {
        let req = http::Request::get("https://a.test/x").body(()).unwrap();
        let now = std::time::SystemTime::now();
        let mut headers = http::HeaderMap::new();
        headers.insert("cache-control", "max-age=60".parse().unwrap());
        for (status, storable) in [
            (200, true),
            (503, true),
            (299, true),
            (304, false),
            (206, false),
        ] {
            let status = http::StatusCode::from_u16(status).unwrap();
            assert_eq!(
                policy_for(&req, status, &headers, now).is_storable(),
                storable,
                "{status}"
            );
        }
        // Without explicit freshness, a status the cache does not understand is not stored.
        let none = http::HeaderMap::new();
        assert!(
            !policy_for(&req, http::StatusCode::from_u16(503).unwrap(), &none, now).is_storable()
        );
    }

    #[test]
    fn a_hostile_age_or_credentials_never_reach_the_policy_or_the_disk() {
        let req = http::Request::get("https://a.test/x")
            .header("cookie", "session=secret")
            .header("authorization", "Basic c2VjcmV0")
            .body(())
            .unwrap();
        let now = std::time::SystemTime::now();
        let mut headers = http::HeaderMap::new();
        headers.insert("age", "18446744073709551615".parse().unwrap());
        headers.insert("set-cookie", "session=secret".parse().unwrap());
        headers.insert("content-type", "text/plain".parse().unwrap());
        let policy = policy_for(&req, http::StatusCode::OK, &headers, now);
        // Asking the policy about a later request does not overflow.
        let later = now + std::time::Duration::from_secs(3600);
        let _ = policy.before_request(&req, later);
        assert!(!policy.is_stale(now) || policy.is_stale(later));
        let json = serde_json::to_string(&policy).unwrap();
        assert!(
            !json.contains("secret") && !json.contains("c2VjcmV0"),
            "{json}"
        );
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        let mut w = cache
            .start_storing(
                "abc1".into(),
                "https://a.test/x",
                policy,
                http::StatusCode::OK,
                &headers,
            )
            .unwrap();
        w.write(b"x");
        w.finish();
        let (_, stored) = cache.lookup("abc1").unwrap().head();
        assert!(stored.get("set-cookie").is_none());
        assert_eq!(stored.get("content-type").unwrap(), "text/plain");
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let text = std::fs::read(file.unwrap().path()).unwrap();
            assert!(!String::from_utf8_lossy(&text).contains("secret"));
        }
    }

    #[test]
    fn a_meta_file_naming_a_body_elsewhere_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        store(&cache, "abc1", b"body");
        let meta_path = dir.path().join("abc1.meta");
        let text = std::fs::read_to_string(&meta_path).unwrap();
        let body = cache.lookup("abc1").unwrap().meta.body.clone();
        std::fs::write(&meta_path, text.replace(&body, "../../outside.body")).unwrap();
        assert!(cache.lookup("abc1").is_none());
    }

    #[test]
    fn a_damaged_body_is_a_miss_and_leftovers_go_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let key = HttpCache::key("https://a.test", "https://a.test/x");
        {
            let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
            store(&cache, &key, b"0123456789");
        }
        std::fs::write(dir.path().join("stray-1.tmp"), b"x").unwrap();
        std::fs::write(dir.path().join("stray-1.body"), b"x").unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        assert!(!dir.path().join("stray-1.tmp").exists());
        assert!(!dir.path().join("stray-1.body").exists());
        let body = dir
            .path()
            .join(cache.lookup(&key).unwrap().meta.body.clone());
        std::fs::write(&body, b"short").unwrap();
        assert!(cache.lookup(&key).is_none());
        assert_eq!(cache.total_bytes(), 0);
    }

    #[test]
    fn the_least_recently_used_entries_go_past_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 16 * 1024).unwrap());
        let keys: Vec<String> = (0..10)
            .map(|i| HttpCache::key("p", &i.to_string()))
            .collect();
        for key in &keys[..6] {
            store(&cache, key, &[7u8; 1500]);
        }
        // The first is used again, so the second is the least recently used.
        assert!(cache.lookup(&keys[0]).is_some());
        for key in &keys[6..9] {
            store(&cache, key, &[7u8; 1500]);
        }
        assert!(cache.total_bytes() <= 16 * 1024);
        assert!(cache.lookup(&keys[0]).is_some());
        assert!(cache.lookup(&keys[1]).is_none());
        assert!(cache.lookup(&keys[8]).is_some());
        // A body over an eighth of the bound is not stored at all.
        store(&cache, &keys[9], &[7u8; 2100]);
        assert!(cache.lookup(&keys[9]).is_none());
    }

    fn writer(cache: &Arc<HttpCache>, key: &str) -> CacheWriter {
        let (policy, headers) = policy("https://a.test/x", "max-age=100");
        cache
            .start_storing(
                key.into(),
                "https://a.test/x",
                policy,
                http::StatusCode::OK,
                &headers,
            )
            .unwrap()
    }

    fn files(dir: &Path, suffix: &str) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(suffix))
            })
            .count()
    }

    #[test]
    fn responses_stored_at_once_for_one_url_leave_one_entry_and_no_stray_body() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        let key = HttpCache::key("https://a.test", "https://a.test/x");
        let threads: Vec<_> = (0..8u8)
            .map(|t| {
                let (cache, key) = (cache.clone(), key.clone());
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        store(&cache, &key, &[t; 100]);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(files(dir.path(), ".body"), 1, "one body, the entry's");
        assert_eq!(files(dir.path(), ".meta"), 1);
        assert_eq!(files(dir.path(), ".tmp"), 0);
        let stored = cache.lookup(&key).unwrap();
        let mut got = Vec::new();
        stored
            .into_body()
            .file
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        assert!(got.len() == 100 && got.iter().all(|b| *b == got[0]));
        assert!(cache.total_bytes() > 100 && cache.total_bytes() < 2_000);
    }

    #[test]
    fn a_freshening_never_points_a_newer_entry_back_at_a_replaced_body() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 0).unwrap());
        let key = HttpCache::key("https://a.test", "https://a.test/x");
        store(&cache, &key, b"old");
        let validated = cache.lookup(&key).unwrap();
        // A newer response is stored while the old one is being revalidated.
        store(&cache, &key, b"newer");
        let request = http::Request::get("https://a.test/x").body(()).unwrap();
        cache.freshen(
            &validated,
            &request,
            &http::HeaderMap::new(),
            std::time::SystemTime::now(),
        );
        let mut got = Vec::new();
        let stored = cache.lookup(&key).expect("the newer entry stays");
        stored
            .into_body()
            .file
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, b"newer");
    }

    #[test]
    fn bodies_being_written_count_against_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Arc::new(HttpCache::open(dir.path(), 16 * 1024).unwrap());
        let keys: Vec<String> = (0..8)
            .map(|i| HttpCache::key("p", &i.to_string()))
            .collect();
        for key in &keys[..5] {
            store(&cache, key, &[1u8; 1900]);
        }
        assert!(cache.lookup(&keys[4]).is_some());
        assert!(cache.lookup(&keys[0]).is_some(), "{}", cache.total_bytes());
        // Writers still writing: their bytes make room before they are entries.
        let mut writers: Vec<CacheWriter> = (0..4)
            .map(|i| writer(&cache, &HttpCache::key("q", &i.to_string())))
            .collect();
        for w in &mut writers {
            w.write(&[2u8; 1900]);
        }
        assert!(
            cache.total_bytes() + cache.index.lock().writing <= 16 * 1024,
            "written and stored bytes within the bound"
        );
        assert!(
            cache.lookup(&keys[1]).is_none(),
            "the least recently used went"
        );
        // An abandoned writer's bytes stop counting.
        drop(writers);
        assert_eq!(cache.index.lock().writing, 0);
        assert_eq!(files(dir.path(), ".tmp"), 0);
    }
}
