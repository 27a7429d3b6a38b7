//! A profile's cache storage (<https://w3c.github.io/ServiceWorker/#cache-objects>), what
//! script threads' `caches`, `Cache` and fetch events reach through
//! [`net_traits::cache::CacheStorageService`]. Every operation of the profile runs on one
//! thread, in the order it arrived, against the profile's [`Store`] (shared with background
//! fetch: one database, one quota). Query Cache and Batch Cache Operations are here, with
//! their steps; atomicity and durability are the store's transaction.
//!
//! A body the profile already holds is stored again without passing through a script
//! thread: a background fetch record's file (waited for until the record has its result) or
//! another entry's is hard-linked into place (copied only across disks).

use crate::background_fetch::Controller;
use net_traits::cache::UploadId;
use net_traits::cache::{
    request_matches_cached_item, CacheError, CacheId, CacheOperation, CacheReply, CacheReplySink,
    CacheRequest, CacheStorageService, CachedResponse, PutBody, StoredBody,
};
use net_traits::{CacheQueryOptions, RequestData, ResponseMeta};
use std::collections::HashMap;
use std::sync::Arc;
use storage::{CacheEntry, CacheTransaction, CacheUpload, StagedBody, Store, StoreError};

/// A body read returns at most this much.
const MAX_READ: u32 = 1 << 20;

struct Job {
    storage_key: String,
    work: Work,
    reply: CacheReplySink,
}

/// What the cache thread does: a request as it came, or a batch whose bodies are resolved.
enum Work {
    Request(Box<CacheRequest>),
    Batch {
        cache: CacheId,
        operations: Vec<Operation>,
    },
}

/// A batch operation with its body resolved to something the store can stage.
enum Operation {
    Put {
        request: RequestData,
        response: ResponseMeta,
        body: Source,
    },
    Delete {
        request: RequestData,
        options: CacheQueryOptions,
    },
}

/// Where a put's body comes from.
enum Source {
    None,
    Bytes(Vec<u8>),
    /// A background fetch record's file and its length.
    File(std::path::PathBuf, u64),
    /// Another cache entry's body.
    Entry(net_traits::cache::EntryId),
    /// A body uploaded before, a piece at a time.
    Upload(UploadId),
}

/// The bodies being uploaded, by storage key and id.
type Uploads = HashMap<(String, UploadId), CacheUpload>;

/// See the module documentation. Cheap to clone; the thread ends with the last clone.
#[derive(Clone)]
pub struct CacheStorage {
    jobs: crossbeam_channel::Sender<Job>,
    /// The background fetch controller, for records' bodies.
    controller: Option<Controller>,
}

impl CacheStorage {
    /// Starts the profile's cache storage on `store`; `controller` (the profile's) gives
    /// `put()` the bodies of background fetch records. The thread ends once every clone of
    /// the returned service is gone (join the handle then).
    pub fn start(
        store: Arc<Store>,
        controller: Option<Controller>,
    ) -> std::io::Result<(Self, std::thread::JoinHandle<()>)> {
        let (jobs, inbox) = crossbeam_channel::unbounded::<Job>();
        let thread = std::thread::Builder::new()
            .name("caches".into())
            .spawn(move || {
                let mut uploads = Uploads::new();
                for job in inbox {
                    let reply = match job.work {
                        Work::Request(request) => match *request {
                            CacheRequest::Upload {
                                upload,
                                first,
                                bytes,
                            } => self::upload(
                                &store,
                                &mut uploads,
                                (job.storage_key, upload),
                                first,
                                &bytes,
                            ),
                            CacheRequest::DiscardUpload { upload } => {
                                uploads.remove(&(job.storage_key, upload));
                                CacheReply::Done(Vec::new())
                            }
                            request => run(&store, &job.storage_key, request),
                        },
                        Work::Batch { cache, operations } => {
                            match batch_cache_operations(
                                &store,
                                &mut uploads,
                                &job.storage_key,
                                cache,
                                operations,
                            ) {
                                Ok(changed) => CacheReply::Done(changed),
                                Err(e) => CacheReply::Failed(e),
                            }
                        }
                    };
                    (job.reply)(reply);
                }
            })?;
        Ok((CacheStorage { jobs, controller }, thread))
    }

    fn enqueue(&self, storage_key: String, work: Work, reply: CacheReplySink) {
        let job = Job {
            storage_key,
            work,
            reply,
        };
        if let Err(lost) = self.jobs.send(job) {
            (lost.0.reply)(CacheReply::Failed(CacheError::InvalidState(
                "the cache storage has shut down".into(),
            )));
        }
    }
}

impl CacheStorageService for CacheStorage {
    fn send(&self, storage_key: &str, request: CacheRequest, reply: CacheReplySink) {
        let storage_key = storage_key.to_string();
        let CacheRequest::Batch { cache, operations } = request else {
            return self.enqueue(storage_key, Work::Request(Box::new(request)), reply);
        };
        // A put of a background fetch record's body waits for the record (it may still be
        // downloading) off the cache thread, then joins the queue.
        let waits_for_records = operations.iter().any(|op| {
            matches!(
                op,
                CacheOperation::Put {
                    body: PutBody::Stored(StoredBody::Record { .. }),
                    ..
                }
            )
        });
        if !waits_for_records {
            let operations = operations.into_iter().map(|op| resolve(op, None)).collect();
            return self.enqueue(storage_key, Work::Batch { cache, operations }, reply);
        }
        let this = self.clone();
        let (tx, rx) = std::sync::mpsc::channel::<(CacheReplySink, Vec<CacheOperation>)>();
        let spawned = std::thread::Builder::new()
            .name("caches-record".into())
            .spawn(move || {
                let Ok((reply, operations)) = rx.recv() else {
                    return;
                };
                let mut resolved = Vec::new();
                for op in operations {
                    match this.record_file(&storage_key, &op) {
                        Ok(file) => resolved.push(resolve(op, file)),
                        Err(e) => return reply(CacheReply::Failed(e)),
                    }
                }
                let work = Work::Batch {
                    cache,
                    operations: resolved,
                };
                this.enqueue(storage_key, work, reply);
            });
        match spawned {
            Ok(_) => {
                let _ = tx.send((reply, operations));
            }
            Err(e) => reply(CacheReply::Failed(CacheError::Type(format!(
                "cannot wait for a background fetch record: {e}"
            )))),
        }
    }
}

impl CacheStorage {
    /// The file of the background fetch record a put stores, once the record has its result
    /// (`None` for other operations).
    fn record_file(
        &self,
        storage_key: &str,
        op: &CacheOperation,
    ) -> Result<Option<(std::path::PathBuf, u64)>, CacheError> {
        let CacheOperation::Put {
            body:
                PutBody::Stored(StoredBody::Record {
                    uid,
                    index,
                    generation,
                }),
            ..
        } = op
        else {
            return Ok(None);
        };
        let controller = self.controller.as_ref().ok_or_else(|| {
            CacheError::Body("this profile has no background fetch records".into())
        })?;
        controller
            .record_body(storage_key, (*uid, *index, *generation))
            .recv()
            .map_err(|_| CacheError::Body("background fetch has shut down".into()))?
            .map(Some)
            .map_err(CacheError::Body)
    }
}

/// An operation as the cache thread stages it (`file`: a record's body, already resolved).
fn resolve(op: CacheOperation, file: Option<(std::path::PathBuf, u64)>) -> Operation {
    match op {
        CacheOperation::Delete { request, options } => Operation::Delete { request, options },
        CacheOperation::Put {
            request,
            response,
            body,
        } => Operation::Put {
            request,
            response,
            body: match (body, file) {
                (_, Some((path, len))) => Source::File(path, len),
                (PutBody::None, None) => Source::None,
                (PutBody::Bytes(b), None) => Source::Bytes(b),
                (PutBody::Stored(StoredBody::CacheEntry(e)), None) => Source::Entry(e),
                (PutBody::Uploaded(id), None) => Source::Upload(id),
                // Resolved by the caller before; a record without its file stores nothing.
                (PutBody::Stored(StoredBody::Record { .. }), None) => Source::None,
            },
        },
    }
}

fn store_error(e: StoreError) -> CacheError {
    match e {
        StoreError::Quota(q) => CacheError::QuotaExceeded(q.to_string()),
        other => {
            log::error!(target: "caches", "{other}");
            CacheError::Type(format!("the cache storage failed: {other}"))
        }
    }
}

/// Appends `bytes` to the upload `key` (an origin's), which its `first` piece starts. The
/// upload fails, and goes, when the disk does or when it alone would pass the origin's
/// quota; later pieces of an upload that is gone fail.
fn upload(
    store: &Store,
    uploads: &mut Uploads,
    key: (String, UploadId),
    first: bool,
    bytes: &[u8],
) -> CacheReply {
    if first {
        match store.begin_cache_upload() {
            Ok(u) => {
                uploads.insert(key.clone(), u);
            }
            Err(err) => return CacheReply::Failed(store_error(err)),
        }
    }
    let Some(upload) = uploads.get_mut(&key) else {
        return CacheReply::Failed(CacheError::Body("the response's body was discarded".into()));
    };
    let too_big = store.usage(&key.0) + upload.len() + bytes.len() as u64 > store.quota();
    let written = if too_big {
        Err(CacheError::QuotaExceeded(format!(
            "the response does not fit in the origin's quota of {} bytes",
            store.quota()
        )))
    } else {
        upload.write(bytes).map_err(store_error)
    };
    match written {
        Ok(()) => CacheReply::Done(Vec::new()),
        Err(e) => {
            uploads.remove(&key);
            CacheReply::Failed(e)
        }
    }
}

/// Runs one request against the store.
fn run(store: &Store, origin: &str, request: CacheRequest) -> CacheReply {
    let result = match request {
        CacheRequest::Names => store.cache_names(origin).map(CacheReply::Names),
        // The origin's usage counts its caches and its background fetches, against the
        // quota both enforce.
        CacheRequest::Estimate => Ok(CacheReply::Estimate {
            usage: store.usage(origin),
            quota: store.quota(),
        }),
        CacheRequest::Has { name } => store
            .cache_id(origin, &name)
            .map(|id| CacheReply::Has(id.is_some())),
        CacheRequest::Open { name } => store.cache_open(origin, &name).map(CacheReply::Opened),
        CacheRequest::Delete { name } => store.cache_delete(origin, &name).map(CacheReply::Deleted),
        CacheRequest::MatchAll {
            cache,
            query,
            options,
            first,
        } => store.cache_entries(origin, cache).map(|entries| {
            let mut found = query_cache(entries, query.as_ref(), options);
            if first {
                found.truncate(1);
            }
            CacheReply::Responses(found.into_iter().map(cached_response).collect())
        }),
        CacheRequest::MatchNamed {
            name,
            query,
            options,
        } => store.cache_id(origin, &name).and_then(|id| match id {
            None => Ok(CacheReply::Responses(Vec::new())),
            Some(id) => store.cache_entries(origin, Some(id)).map(|entries| {
                let mut found = query_cache(entries, Some(&query), options);
                found.truncate(1);
                CacheReply::Responses(found.into_iter().map(cached_response).collect())
            }),
        }),
        CacheRequest::Keys {
            cache,
            query,
            options,
        } => store.cache_entries(origin, Some(cache)).map(|entries| {
            let found = query_cache(entries, query.as_ref(), options);
            CacheReply::Requests(found.into_iter().map(|e| e.request).collect())
        }),
        // Batches arrive as Work::Batch (their bodies resolved); the cache thread's loop
        // keeps the uploads and answers those itself.
        CacheRequest::Batch { .. }
        | CacheRequest::Upload { .. }
        | CacheRequest::DiscardUpload { .. } => Ok(CacheReply::Failed(CacheError::InvalidState(
            "the cache thread answers this itself".into(),
        ))),
        // A Response made before its entry was removed stays readable while the body is
        // retired (entry ids only ever reach the origin's own globals; a live entry of
        // another origin is refused).
        CacheRequest::ReadBody { entry, offset, max } => {
            let foreign = store
                .cache_entry_origin(entry)
                .is_ok_and(|o| o.is_some_and(|o| o != origin));
            if foreign {
                return CacheReply::Failed(CacheError::Body("no such cached response".into()));
            }
            return match store.read_cache_body(entry, offset, max.clamp(1, MAX_READ) as usize) {
                Ok(bytes) => CacheReply::Body(bytes),
                Err(_) => CacheReply::Failed(CacheError::Body(
                    "the cached response's body is gone".into(),
                )),
            };
        }
    };
    result.unwrap_or_else(|e| CacheReply::Failed(store_error(e)))
}

fn cached_response(e: CacheEntry) -> CachedResponse {
    CachedResponse {
        entry: e.id,
        response: e.response,
        body_len: e.body_len,
    }
}

/// <https://w3c.github.io/ServiceWorker/#query-cache-algorithm> over `storage` (without a
/// query, every entry: what matchAll() and keys() without a request do).
fn query_cache(
    storage: Vec<CacheEntry>,
    request_query: Option<&RequestData>,
    options: CacheQueryOptions,
) -> Vec<CacheEntry> {
    // Steps 1-5. Each request/response pair that matches, in order.
    storage
        .into_iter()
        .filter(|e| {
            request_query.is_none_or(|q| {
                request_matches_cached_item(q, &e.request, Some(&e.response), options)
            })
        })
        .collect()
}

/// What a put stores, staged before the batch's transaction.
enum Staged {
    Put {
        request: RequestData,
        response: ResponseMeta,
        body: StagedBody,
    },
    Delete {
        request: RequestData,
        options: CacheQueryOptions,
    },
}

/// Writes (or links) every put's body into the store's staging area.
fn stage(
    store: &Store,
    uploads: &mut Uploads,
    origin: &str,
    operations: Vec<Operation>,
) -> Result<Vec<Staged>, CacheError> {
    operations
        .into_iter()
        .map(|op| {
            Ok(match op {
                Operation::Delete { request, options } => Staged::Delete { request, options },
                Operation::Put {
                    request,
                    response,
                    body,
                } => {
                    let body = match body {
                        Source::None => StagedBody::none(),
                        Source::Bytes(b) => store.stage_cache_bytes(&b).map_err(store_error)?,
                        Source::File(path, len) => {
                            store.stage_cache_file(&path, len).map_err(store_error)?
                        }
                        Source::Entry(entry) => stage_entry_body(store, origin, entry)?,
                        Source::Upload(id) => uploads
                            .remove(&(origin.to_string(), id))
                            .ok_or_else(|| {
                                CacheError::Body("the response's body did not arrive whole".into())
                            })?
                            .finish()
                            .map_err(store_error)?,
                    };
                    Staged::Put {
                        request,
                        response,
                        body,
                    }
                }
            })
        })
        .collect()
}

/// Another entry's body, linked (an entry of this origin only).
fn stage_entry_body(
    store: &Store,
    origin: &str,
    entry: net_traits::cache::EntryId,
) -> Result<StagedBody, CacheError> {
    let e = store
        .cache_entry(entry)
        .map_err(store_error)?
        .filter(|_| entry_of_origin(store, origin, entry))
        .ok_or_else(|| CacheError::Body("the cached response is gone".into()))?;
    match e.body_len {
        None => Ok(StagedBody::none()),
        Some(len) => store
            .stage_cache_file(&store.cache_body_path(entry), len)
            .map_err(store_error),
    }
}

fn entry_of_origin(store: &Store, origin: &str, entry: net_traits::cache::EntryId) -> bool {
    store
        .cache_entry_origin(entry)
        .is_ok_and(|o| o.as_deref() == Some(origin))
}

/// <https://w3c.github.io/ServiceWorker/#batch-cache-operations-algorithm>: all the
/// operations, or (on an exception) none of them. Returns, for each operation, whether it
/// changed the cache.
fn batch_cache_operations(
    store: &Store,
    uploads: &mut Uploads,
    origin: &str,
    cache: CacheId,
    operations: Vec<Operation>,
) -> Result<Vec<bool>, CacheError> {
    let staged = stage(store, uploads, origin, operations)?;
    // Steps 1-3. The cache, its backup and the added items: the store's transaction keeps
    // the backup (it rolls back on an error).
    let result = store.cache_batch(origin, cache, |tx| -> Result<_, BatchError> {
        // Step 4. Atomically:
        let mut added: Vec<(RequestData, ResponseMeta)> = Vec::new();
        let mut changed = Vec::new();
        // Step 4.2. For each operation:
        for op in staged {
            changed.push(batch_operation(tx, op, &mut added)?);
        }
        // Step 4.3. Return the result list.
        Ok(changed)
    });
    // Step 5. On an exception, the cache is as it was and the exception is thrown.
    result.map_err(|e| match e {
        BatchError::Cache(e) => e,
        BatchError::Store(e) => store_error(e),
    })
}

enum BatchError {
    Cache(CacheError),
    Store(StoreError),
}

impl From<StoreError> for BatchError {
    fn from(e: StoreError) -> BatchError {
        BatchError::Store(e)
    }
}

/// Batch Cache Operations, step 4.2, for one operation.
fn batch_operation(
    tx: &mut CacheTransaction<'_>,
    op: Staged,
    added: &mut Vec<(RequestData, ResponseMeta)>,
) -> Result<bool, BatchError> {
    let fail = |e: CacheError| Err(BatchError::Cache(e));
    let (request, options) = match &op {
        Staged::Delete { request, options } => (request, *options),
        Staged::Put { request, .. } => (request, CacheQueryOptions::default()),
    };
    // Step 4.2.3. An operation may not touch what this batch added.
    let touches_added = added
        .iter()
        .any(|(r, resp)| request_matches_cached_item(request, r, Some(resp), options));
    if touches_added {
        return fail(CacheError::InvalidState(
            "a batch cannot change an entry it added".into(),
        ));
    }
    match op {
        // Step 4.2.5. A delete removes every matching entry.
        Staged::Delete { request, options } => {
            let matching = query_cache(tx.entries()?, Some(&request), options);
            for e in &matching {
                tx.remove(e.id)?;
            }
            Ok(!matching.is_empty())
        }
        Staged::Put {
            request,
            response,
            body,
        } => {
            // Steps 4.2.6.2-4.2.6.4. Only http(s) GET requests.
            let scheme_ok =
                url::Url::parse(&request.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !scheme_ok || request.method != "GET" {
                return fail(CacheError::Type(
                    "only http(s) GET requests can be cached".into(),
                ));
            }
            // Steps 4.2.6.6-4.2.6.7. The entries matching the request go...
            let matching = query_cache(tx.entries()?, Some(&request), CacheQueryOptions::default());
            for e in &matching {
                tx.remove(e.id)?;
            }
            // Step 4.2.6.8-4.2.6.9. ...and the new one is appended (past the quota, the
            // transaction refuses to commit: QuotaExceededError).
            tx.insert(&request, &response, body)?;
            // Step 4.2.6.10. It is an added item.
            added.push((request, response));
            Ok(true)
        }
    }
}
