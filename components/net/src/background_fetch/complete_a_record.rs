//! <https://wicg.github.io/background-fetch/#complete-a-record>: one task per record, until
//! its response data has a result, or until the fetch is paused (or the network goes away,
//! for a GET), when it gives its connection back and is started again later, resuming from
//! the stored bytes with a Range request.

use super::spec::{extract_content_range_values, validate_partial_response};
use super::ControllerConfig;
use crate::fetch::{fetch, BodySource, FetchClient, FetchError, FetchParams};
use crate::http::HttpClient;
use http_body_util::BodyExt;
use net_traits::{FailureReason, FetchUid, RecordResult, RequestData, ResponseMeta};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use storage::{BodyFile, Store, StoreError};
use tokio::sync::{mpsc, watch};

/// A background fetch's flags the record tasks watch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Control {
    /// The paused flag (set by the user, or while a "prompt" permission waits).
    pub paused: bool,
    /// The abort all flag.
    pub abort_all: bool,
}

/// What the record tasks of one fetch share.
pub(crate) struct FetchShared {
    /// The download total (0: no limit).
    pub download_total: u64,
    /// The stored body bytes total (written, not necessarily synced yet).
    pub stored_total: AtomicU64,
    /// The fetch's uploaded bytes.
    pub uploaded: AtomicU64,
    pub control: watch::Receiver<Control>,
}

/// One record's byte counters.
#[derive(Default)]
pub(crate) struct RecordCounters {
    /// The response data's bytes written.
    pub stored: AtomicU64,
    /// Of those, the bytes known durable: what progress reports.
    pub synced: AtomicU64,
}

/// What a record task (or one of the controller's timers) tells the controller.
pub(crate) enum Report {
    /// The response data's response is known (also after a Range request was answered with
    /// a whole response: the earlier response data became redundant and its bytes went).
    Response {
        uid: FetchUid,
        index: u32,
        meta: ResponseMeta,
        /// The earlier response data was replaced (its readers must fail).
        replaced: bool,
    },
    /// More bytes are durable, or more were uploaded.
    Progress { uid: FetchUid },
    /// A response from this server (the record URL's origin) came over HTTP/2.
    Http2 { server: String },
    /// The record's body has all arrived and the record ends once it is durable: its
    /// connection is free for the next record.
    TransferEnded { uid: FetchUid, index: u32 },
    /// The record's response data has its result.
    Done {
        uid: FetchUid,
        index: u32,
        result: RecordResult,
    },
    /// Paused, or waiting for the network: the connection is free, start again later.
    Suspended { uid: FetchUid, index: u32 },
    /// (From the controller's own timer.) Fire the completion event again.
    Redispatch { uid: FetchUid },
    /// (From the blocking thread that stored a `fetch()`'s requests.) Go on with it.
    FetchStored {
        pending: Box<super::manager::PendingFetch>,
        stored: Result<(), StoreError>,
    },
}

/// Everything a record task needs.
pub(crate) struct RecordJob {
    pub uid: FetchUid,
    pub index: u32,
    pub origin: String,
    /// The request, without its body.
    pub request: RequestData,
    pub body: Option<BodySource>,
    /// The response data's response so far (from an earlier attempt or before a restart).
    pub response: Option<ResponseMeta>,
    pub store: Arc<Store>,
    pub http: HttpClient,
    pub shared: Arc<FetchShared>,
    pub counters: Arc<RecordCounters>,
    pub online: watch::Receiver<bool>,
    pub reports: mpsc::UnboundedSender<Report>,
    pub config: ControllerConfig,
    /// With integrity metadata, the response is handed over (reported) only once the stored
    /// body matches it: the response and whether it replaced an earlier one, until then.
    pub unchecked_response: Option<(ResponseMeta, bool)>,
    /// `response` is not in the store yet (see [`RecordJob::save_response`]).
    pub response_unsaved: bool,
    /// The body's durable length, when the record's end publishes it (with the response
    /// stored in the same commit as the result).
    pub unpublished: Option<u64>,
}

/// Feeds the first `len` bytes of the file at `path` to `check`, a megabyte at a time.
fn hash_file(
    path: &std::path::Path,
    len: u64,
    check: &mut crate::sri::IntegrityCheck,
) -> std::io::Result<()> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?.take(len);
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        check.update(&buffer[..n]);
    }
}

/// How one fetch attempt ended.
enum Attempt {
    /// The response data has a result.
    Result(RecordResult),
    /// The body ended before the whole resource arrived (a 206 with more to come): fetch the
    /// rest. `progress` says whether bytes arrived.
    Continue { progress: bool },
    /// A network failure a GET may retry (`progress`: bytes arrived before it).
    NetworkError { message: String, progress: bool },
}

/// Why a record stops before its result.
enum Interrupted {
    Paused,
    AbortAll,
    Offline,
}

impl RecordJob {
    fn is_get(&self) -> bool {
        self.request.method == "GET"
    }

    /// What, if anything, stops this record now.
    fn interruption(&self) -> Option<Interrupted> {
        interruption(&self.shared.control, &self.online, self.is_get())
    }

    fn report(&self, r: Report) {
        let _ = self.reports.send(r);
    }

    fn finish(&mut self, result: RecordResult) {
        // A response not stored yet is stored with the result, in one commit. Off the
        // runtime's worker (as the body syncs are), so other records go on meanwhile and
        // their writes join this one's commit (the store groups them).
        let response = if self.response_unsaved {
            self.response.as_ref()
        } else {
            None
        };
        let stored = tokio::task::block_in_place(|| {
            self.store
                .set_record_result(self.uid, self.index, result, response)
        });
        match stored {
            Ok(()) => self.response_unsaved = false,
            Err(e) => {
                log::error!(target: "bgfetch", "fetch {} record {}: cannot store its result: {e}", self.uid.0, self.index)
            }
        }
        if let Some(len) = self.unpublished.take() {
            self.counters.synced.store(len, Ordering::Release);
            self.counters.stored.store(len, Ordering::Release);
            self.report(Report::Progress { uid: self.uid });
        }
        self.report(Report::Done {
            uid: self.uid,
            index: self.index,
            result,
        });
    }

    /// <https://wicg.github.io/background-fetch/#complete-a-record>, until the record has a
    /// result or is suspended (paused, or offline for a GET: it is started again later and
    /// resumes from the stored bytes). The spec's recursion (step 15) is the loop.
    pub async fn complete_a_record(mut self) {
        // (Opening or creating the file is quick enough for the runtime's worker: moving it
        // off with block_in_place cost a thread handoff per record, more than the create.)
        let mut file = match self.store.body_file(self.uid, self.index, &self.origin) {
            Ok(f) => f,
            Err(e) => {
                log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                return self.finish(RecordResult::Failed(FailureReason::FetchError));
            }
        };
        // Bytes without a stored response are from an attempt whose response never became
        // durable (a crash came first): nothing says what they are, so they go.
        if !file.is_empty() && self.response.is_none() {
            let dropped = file.len();
            if let Err(e) =
                tokio::task::block_in_place(|| file.truncate().and_then(|_| file.sync()))
            {
                log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                return self.finish(RecordResult::Failed(FailureReason::FetchError));
            }
            self.shared
                .stored_total
                .fetch_sub(dropped, Ordering::AcqRel);
            self.publish_synced(&file);
        }
        let mut failures = 0u32;
        loop {
            // Step 3. Wait for the paused flag to be unset: a paused fetch's record gives its
            // connection back and is started again on resume.
            match self.interruption() {
                Some(Interrupted::AbortAll) => {
                    return self.finish(RecordResult::Failed(FailureReason::Aborted))
                }
                Some(Interrupted::Paused | Interrupted::Offline) => {
                    self.save_response();
                    return self.report(Report::Suspended {
                        uid: self.uid,
                        index: self.index,
                    });
                }
                None => {}
            }
            // Steps 13-14. Run the attempt, but abort when the paused or abort all flag is set.
            let (control, online, get) = (
                self.shared.control.clone(),
                self.online.clone(),
                self.is_get(),
            );
            let attempt = tokio::select! {
                a = self.fetch_the_record(&mut file) => a,
                i = interrupted(control, online, get) => {
                    // Step 14.3 "the result is stored now, as terminating the fetch may change
                    // the result"; the fetch is terminated by dropping the attempt.
                    let _ = tokio::task::block_in_place(|| file.sync());
                    self.publish_synced(&file);
                    return match i {
                        Interrupted::AbortAll => {
                            self.finish(RecordResult::Failed(FailureReason::Aborted))
                        }
                        _ => self.report(Report::Suspended { uid: self.uid, index: self.index }),
                    };
                }
            };
            match attempt {
                Attempt::Result(result) => {
                    return self.check_integrity_and_finish(&mut file, result)
                }
                // Step 15. The result is still empty: complete the record again.
                Attempt::Continue { progress } => {
                    if progress {
                        failures = 0;
                    } else {
                        failures += 1;
                    }
                }
                Attempt::NetworkError { message, progress } => {
                    if progress {
                        failures = 0;
                    }
                    failures += 1;
                    log::debug!(target: "bgfetch", "fetch {} record {}: {message} (attempt {failures})", self.uid.0, self.index);
                    // Only a GET may be sent again; other methods fail ("reissuing the request
                    // may have unwanted side effects").
                    if !self.is_get() {
                        return self.finish(RecordResult::Failed(FailureReason::FetchError));
                    }
                    // Offline: wait for the network rather than spend retries.
                    if !*self.online.borrow() {
                        continue;
                    }
                }
            }
            if failures > self.config.max_retries {
                return self.finish(RecordResult::Failed(FailureReason::FetchError));
            }
            if failures > 0 {
                let delay = backoff(
                    self.config.retry_delay,
                    self.config.max_retry_delay,
                    failures,
                );
                let (control, online, get) = (
                    self.shared.control.clone(),
                    self.online.clone(),
                    self.is_get(),
                );
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = interrupted(control, online, get) => {}
                }
            }
        }
    }

    /// Main fetch's integrity step, for a background fetch: once the last byte is stored,
    /// the stored body is checked against the request's integrity metadata (Subresource
    /// Integrity). A match hands the response over; a mismatch, or a response that cannot
    /// match (opaque, or a not-ok one whose body is not stored), is a network error: the
    /// record is a fetch-error and keeps nothing, neither bytes nor response.
    fn check_integrity_and_finish(&mut self, file: &mut BodyFile, result: RecordResult) {
        let Some(mut check) = crate::sri::IntegrityCheck::new(&self.request.integrity) else {
            return self.finish(result);
        };
        let checked = match result {
            RecordResult::Success if self.response.as_ref().is_some_and(|r| !r.is_opaque()) => {
                let path = self.store.response_body_path(self.uid, self.index);
                tokio::task::block_in_place(|| hash_file(&path, file.len(), &mut check))
                    .map(|()| check.matches())
            }
            RecordResult::Success | RecordResult::Failed(FailureReason::BadStatus) => Ok(false),
            // Aborted, or already a network error: nothing was handed over, nothing is.
            other => return self.finish(other),
        };
        match checked {
            Ok(true) => {
                if let Some((meta, replaced)) = self.unchecked_response.take() {
                    self.report(Report::Response {
                        uid: self.uid,
                        index: self.index,
                        meta,
                        replaced,
                    });
                }
                self.finish(result)
            }
            Ok(false) | Err(_) => {
                if let Err(e) = &checked {
                    log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                }
                log::info!(target: "bgfetch", "fetch {} record {}: the body does not match the integrity metadata", self.uid.0, self.index);
                let dropped = file.len();
                let emptied = tokio::task::block_in_place(|| {
                    file.truncate()
                        .and_then(|_| file.sync())
                        .and_then(|_| self.store.set_response(self.uid, self.index, None))
                });
                if let Err(e) = emptied {
                    log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                }
                self.response_unsaved = false;
                self.shared
                    .stored_total
                    .fetch_sub(dropped, Ordering::AcqRel);
                self.publish_synced(file);
                self.response = None;
                self.unchecked_response = None;
                self.finish(RecordResult::Failed(FailureReason::FetchError))
            }
        }
    }

    /// Stores a response kept back by "process response" step 4. A fresh record's response is
    /// stored with its result (one commit per small record rather than two) or before its
    /// first durable progress, whichever is first; bytes found after a restart without a
    /// stored response are dropped ([`RecordJob::complete_a_record`]).
    fn save_response(&mut self) {
        if !self.response_unsaved {
            return;
        }
        let stored = tokio::task::block_in_place(|| {
            self.store
                .set_response(self.uid, self.index, self.response.as_ref())
        });
        match stored {
            Ok(()) => self.response_unsaved = false,
            Err(e) => {
                log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index)
            }
        }
    }

    /// Makes the durable length known (progress), after the response those bytes belong to
    /// is stored.
    fn publish_synced(&mut self, file: &BodyFile) {
        self.save_response();
        self.unpublished = None;
        self.counters.synced.store(file.len(), Ordering::Release);
        self.counters.stored.store(file.len(), Ordering::Release);
    }

    /// Adds `n` bytes to the fetch's stored total unless that passes the download total.
    fn claim_download_total(&self, n: u64) -> bool {
        let limit = self.shared.download_total;
        let mut current = self.shared.stored_total.load(Ordering::Acquire);
        loop {
            let next = current.saturating_add(n);
            if limit != 0 && next > limit {
                return false;
            }
            match self.shared.stored_total.compare_exchange(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
    }

    /// Steps 4-12 of "complete a record": one fetch of the request (from the stored length).
    async fn fetch_the_record(&mut self, file: &mut BodyFile) -> Attempt {
        // Step 4. A copy of the request; steps 5-6 (keepalive, no service workers) hold.
        let mut request = self.request.clone();
        request.keepalive = true;
        // Step 7. rangeStart is the stored length.
        let range_start = file.len();
        // Everything may already be here (a restart between the last byte and the result):
        // the stored response says how long the body is.
        if range_start > 0 && self.response.as_ref().and_then(complete_length) == Some(range_start)
        {
            return Attempt::Result(RecordResult::Success);
        }
        // Steps 9-10. This attempt's upload counting.
        let last_transmitted = Arc::new(AtomicU64::new(0));
        let shared = self.shared.clone();
        let reports = self.reports.clone();
        let uid = self.uid;
        let on_upload: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |transmitted: u64| {
            // "Process request body": uploaded grows by what this attempt newly sent.
            let before = last_transmitted.swap(transmitted, Ordering::AcqRel);
            shared
                .uploaded
                .fetch_add(transmitted.saturating_sub(before), Ordering::AcqRel);
            let _ = reports.send(Report::Progress { uid });
        });
        let fetch_client = FetchClient {
            origin: self.origin.clone(),
            secure: true,
        };
        // Steps 8 and 11. Fetch the request, with a Range header if bytes are stored.
        let response = fetch(
            &self.http,
            &fetch_client,
            FetchParams {
                request,
                body: self.body.clone(),
                range_start,
                on_upload: Some(on_upload),
                idle_timeout: self.config.idle_timeout,
                // Stored bytes and Range resumes are in identity coding.
                accept_encoding: false,
                // Background fetch's requests bypass the HTTP cache.
                http_cache: None,
            },
        )
        .await;
        // Process response, step 1: a network error.
        let response = match response {
            Ok(r) => r,
            Err(FetchError::Blocked(m)) => {
                log::info!(target: "bgfetch", "fetch {} record {}: {m}", self.uid.0, self.index);
                return Attempt::Result(RecordResult::Failed(FailureReason::FetchError));
            }
            Err(FetchError::Network(message)) => {
                return Attempt::NetworkError {
                    message,
                    progress: false,
                }
            }
        };
        let meta = response.meta;
        // The scheduler counts an HTTP/2 server's requests as streams of one connection.
        if response.http2 {
            self.report(Report::Http2 {
                server: super::perform::server_of(&self.request.url),
            });
        }
        if let Err(done) = self.process_response(&meta, range_start, file) {
            return done;
        }
        self.store_the_body(response.body, &meta, file).await
    }

    /// "Process response" steps 1-4 for a response's head: a partial response must continue
    /// what is stored, a whole one replaces it, and the response data gets its response.
    /// `Err`: the attempt ends here.
    fn process_response(
        &mut self,
        meta: &ResponseMeta,
        range_start: u64,
        file: &mut BodyFile,
    ) -> Result<(), Attempt> {
        let done = |result| Err(Attempt::Result(result));
        // A Range request past the end: the stored body was already complete.
        if meta.status == 416
            && range_start > 0
            && unsatisfied_range_length(meta) == Some(range_start)
        {
            return done(RecordResult::Success);
        }
        let mut replaced = false;
        if meta.status == 206 {
            // Step 2. A partial response must continue what is stored.
            if !validate_partial_response(range_start, meta, self.response.as_ref()) {
                log::info!(target: "bgfetch", "fetch {} record {}: invalid partial response", self.uid.0, self.index);
                return done(RecordResult::Failed(FailureReason::FetchError));
            }
        } else if range_start > 0 {
            // Step 3. A whole response to a Range request: the stored response data is
            // redundant; start a new one (its bytes go first, then the new headers are stored,
            // so a crash in between restarts from zero rather than mixing two responses).
            let dropped = file.len();
            if let Err(e) =
                tokio::task::block_in_place(|| file.truncate().and_then(|_| file.sync()))
            {
                log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                return done(RecordResult::Failed(FailureReason::FetchError));
            }
            self.shared
                .stored_total
                .fetch_sub(dropped, Ordering::AcqRel);
            self.publish_synced(file);
            replaced = true;
        }
        // Step 4. The response data's response, unless this continues a partial one.
        if range_start == 0 || meta.status != 206 {
            if range_start == 0 && self.response.is_none() {
                // Nothing is stored for this record yet: the response waits to be stored with
                // the result or the first durable progress (`save_response`).
                self.response_unsaved = true;
            } else {
                // It replaces a stored response: stored at once, so the store never pairs
                // the old response with the new bytes.
                let stored = tokio::task::block_in_place(|| {
                    self.store.set_response(self.uid, self.index, Some(meta))
                });
                if let Err(e) = stored {
                    log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                    return done(RecordResult::Failed(FailureReason::FetchError));
                }
                self.response_unsaved = false;
            }
            self.response = Some(meta.clone());
            if self.request.integrity.is_empty() {
                self.report(Report::Response {
                    uid: self.uid,
                    index: self.index,
                    meta: meta.clone(),
                    replaced,
                });
            } else {
                let replaced_before = self.unchecked_response.take().is_some_and(|(_, r)| r);
                self.unchecked_response = Some((meta.clone(), replaced || replaced_before));
            }
        }
        // An opaque (or opaque-redirect) response has no body anyone may read: nothing is
        // stored or counted. Neither is a not-ok response's: the spec would store it, but the
        // upstream tests (and Chromium) expose a bad-status response with an empty body, and
        // an error page is not what the page asked to download.
        if meta.is_opaque() || (!meta.ok() && meta.status != 206) {
            return done(if meta.ok() {
                RecordResult::Success
            } else {
                RecordResult::Failed(FailureReason::BadStatus)
            });
        }
        Ok(())
    }

    /// "Process response" steps 5-8: the body is stored as it arrives (within the download
    /// total and the quota), made durable as it goes, and the result set when it ends.
    async fn store_the_body(
        &mut self,
        mut body: crate::http_cache::ResponseBody,
        meta: &ResponseMeta,
        file: &mut BodyFile,
    ) -> Attempt {
        let mut progress = false;
        let mut last_sync = Instant::now();
        // A sync running on a blocking thread while bytes keep arriving: progress counts
        // only what it made durable.
        let mut sync: Option<tokio::task::JoinHandle<Result<u64, StoreError>>> = None;
        loop {
            let frame = match tokio::time::timeout(self.config.idle_timeout, body.frame()).await {
                Err(_) => {
                    let _ = tokio::task::block_in_place(|| file.sync());
                    self.publish_synced(file);
                    return Attempt::NetworkError {
                        message: format!("no data for {:?}", self.config.idle_timeout),
                        progress,
                    };
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    // Step 8. The stream errored.
                    let _ = tokio::task::block_in_place(|| file.sync());
                    self.publish_synced(file);
                    return Attempt::NetworkError {
                        message: e.to_string(),
                        progress,
                    };
                }
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(bytes) = frame.into_data() else {
                continue;
            };
            if bytes.is_empty() {
                continue;
            }
            // Step 6.1. Past the download total: cancel, download-total-exceeded.
            if !self.claim_download_total(bytes.len() as u64) {
                let _ = tokio::task::block_in_place(|| file.sync());
                self.publish_synced(file);
                return Attempt::Result(RecordResult::Failed(FailureReason::DownloadTotalExceeded));
            }
            // Steps 6.2-6.3. Append the bytes; past the quota: quota-exceeded.
            match file.append(&bytes) {
                Ok(()) => {}
                Err(StoreError::Quota(q)) => {
                    log::info!(target: "bgfetch", "fetch {} record {}: {q}", self.uid.0, self.index);
                    self.shared
                        .stored_total
                        .fetch_sub(bytes.len() as u64, Ordering::AcqRel);
                    let _ = tokio::task::block_in_place(|| file.sync());
                    self.publish_synced(file);
                    return Attempt::Result(RecordResult::Failed(FailureReason::QuotaExceeded));
                }
                // The disk is full: for the origin, as its quota (nothing more fits). The
                // record's bytes will never be exposed (its result is not success), so they
                // go at once: the database still needs room to settle the fetch. (The
                // progress figures keep what was downloaded.)
                Err(StoreError::DiskFull { path }) => {
                    log::warn!(target: "bgfetch", "fetch {} record {}: the disk holding {} is full", self.uid.0, self.index, path.display());
                    self.shared
                        .stored_total
                        .fetch_sub(bytes.len() as u64, Ordering::AcqRel);
                    let _ = file.truncate();
                    return Attempt::Result(RecordResult::Failed(FailureReason::QuotaExceeded));
                }
                Err(e) => {
                    log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
                    self.shared
                        .stored_total
                        .fetch_sub(bytes.len() as u64, Ordering::AcqRel);
                    return Attempt::Result(RecordResult::Failed(FailureReason::FetchError));
                }
            }
            progress = true;
            self.counters.stored.store(file.len(), Ordering::Release);
            // Step 6.4. Update background fetch instances, with durable bytes only.
            if sync.as_ref().is_some_and(|s| s.is_finished()) {
                if let Some(done) = sync.take() {
                    match done.await {
                        Ok(Ok(len)) => {
                            self.counters.synced.fetch_max(len, Ordering::AcqRel);
                            self.report(Report::Progress { uid: self.uid });
                        }
                        Ok(Err(e)) => {
                            log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index)
                        }
                        Err(_) => {}
                    }
                }
            }
            if sync.is_none() && last_sync.elapsed() >= self.config.progress_interval {
                // The bytes this sync makes durable are reported: their response first.
                self.save_response();
                match file.sync_job() {
                    Ok(job) => sync = Some(tokio::task::spawn_blocking(move || job.run())),
                    Err(e) => {
                        log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index)
                    }
                }
                last_sync = Instant::now();
            }
        }
        // Step 7. The transmission is done: everything durable before the result.
        drop(sync);
        let attempt = self.body_stored(meta, file, progress);
        if matches!(attempt, Attempt::Result(_)) {
            self.report(Report::TransferEnded {
                uid: self.uid,
                index: self.index,
            });
        }
        if let Err(e) = tokio::task::block_in_place(|| file.sync()) {
            log::error!(target: "bgfetch", "fetch {} record {}: {e}", self.uid.0, self.index);
        }
        if self.response_unsaved && matches!(attempt, Attempt::Result(_)) {
            // The record ends here: `finish` stores the response with the result and then
            // publishes the length.
            self.unpublished = Some(file.len());
        } else {
            self.publish_synced(file);
            self.report(Report::Progress { uid: self.uid });
        }
        attempt
    }

    /// "Process response" step 7: the attempt's outcome once the body ended.
    fn body_stored(&self, meta: &ResponseMeta, file: &BodyFile, progress: bool) -> Attempt {
        if meta.status == 206 {
            // Step 7.1. Success once the complete length is stored; otherwise ask again.
            let complete = extract_content_range_values(meta).and_then(|r| r.complete_length);
            if complete == Some(file.len()) {
                Attempt::Result(RecordResult::Success)
            } else {
                Attempt::Continue { progress }
            }
        } else if !meta.ok() {
            // Step 7.2.
            Attempt::Result(RecordResult::Failed(FailureReason::BadStatus))
        } else {
            // Step 7.3.
            Attempt::Result(RecordResult::Success)
        }
    }
}

/// The length of the whole body a stored response announces: a 206's complete length, or a
/// 200's Content-Length (bodies are stored as sent: no content coding is asked for).
fn complete_length(meta: &ResponseMeta) -> Option<u64> {
    match meta.status {
        206 => extract_content_range_values(meta).and_then(|r| r.complete_length),
        200 => net_traits::header_get(&meta.headers, "Content-Length")
            .and_then(|v| String::from_utf8(v).ok())
            .and_then(|v| v.trim().parse().ok()),
        _ => None,
    }
}

/// `Content-Range: bytes */L` of a 416: the length the server has.
fn unsatisfied_range_length(meta: &ResponseMeta) -> Option<u64> {
    let v = net_traits::header_get(&meta.headers, "Content-Range")?;
    let v = String::from_utf8(v).ok()?;
    v.trim().strip_prefix("bytes */")?.trim().parse().ok()
}

/// What, if anything, stops a record now: the abort all flag, the paused flag, or (for a
/// GET) the network being gone.
fn interruption(
    control: &watch::Receiver<Control>,
    online: &watch::Receiver<bool>,
    get: bool,
) -> Option<Interrupted> {
    let c = *control.borrow();
    if c.abort_all {
        Some(Interrupted::AbortAll)
    } else if c.paused {
        Some(Interrupted::Paused)
    } else if get && !*online.borrow() {
        Some(Interrupted::Offline)
    } else {
        None
    }
}

/// Resolves when [`interruption`] has something (a closed channel counts as abort).
async fn interrupted(
    mut control: watch::Receiver<Control>,
    mut online: watch::Receiver<bool>,
    get: bool,
) -> Interrupted {
    loop {
        if let Some(i) = interruption(&control, &online, get) {
            return i;
        }
        tokio::select! {
            changed = control.changed() => if changed.is_err() { return Interrupted::AbortAll },
            changed = online.changed() => if changed.is_err() { return Interrupted::AbortAll },
        }
    }
}

/// Delay before retry `n` (1-based), doubling from `first` up to `max`.
pub(crate) fn backoff(first: Duration, max: Duration, n: u32) -> Duration {
    first
        .saturating_mul(1 << n.saturating_sub(1).min(16))
        .min(max)
}
