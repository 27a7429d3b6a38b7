//! <https://wicg.github.io/background-fetch/#create-record-objects> as the controller serves
//! it: a record's response once it is known (step 2.9, `responseReady`), and its body,
//! pulled a piece at a time from the profile as script reads it (the pull algorithm of the
//! response's stream). A request that cannot be answered yet waits until the record moves.

use super::actor::Actor;
use net_traits::*;
use std::sync::atomic::Ordering;

/// Body reads return at most this much at a time.
const MAX_READ: u32 = 1 << 20;

/// A script-side body read ("pull") waiting for bytes or a result.
pub(super) struct BodyWaiter {
    pub client: ClientId,
    request: RequestId,
    uid: FetchUid,
    index: u32,
    /// Which response data the reader reads (a replaced one must fail).
    generation: u32,
    offset: u64,
    max: u32,
}

impl BodyWaiter {
    pub(super) fn new(
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        index: u32,
        generation: u32,
        offset: u64,
        max: u32,
    ) -> BodyWaiter {
        BodyWaiter {
            client,
            request,
            uid,
            index,
            generation,
            offset,
            max: max.clamp(1, MAX_READ),
        }
    }
}

/// The Cache API waiting for a record's whole stored body.
pub(crate) struct RecordBodyWaiter {
    pub origin: String,
    pub uid: FetchUid,
    pub index: u32,
    pub generation: u32,
    pub reply: std::sync::mpsc::Sender<Result<(std::path::PathBuf, u64), String>>,
}

/// A script-side `responseReady` waiting for the record's response or result.
pub(super) struct ResponseWaiter {
    pub client: ClientId,
    pub request: RequestId,
    pub uid: FetchUid,
    pub index: u32,
}

impl Actor {
    /// A body read: answered now if it can be, else when the record moves.
    pub(super) fn read_body(&mut self, waiter: BodyWaiter) {
        if let Some(w) = self.pull_body(waiter) {
            self.body_waiters.push(w);
        }
    }

    /// A `responseReady` wait: answered now if it can be, else when the record moves.
    pub(super) fn wait_for_response(&mut self, waiter: ResponseWaiter) {
        if let Some(w) = self.record_response(waiter) {
            self.response_waiters.push(w);
        }
    }

    /// The pull steps of a record's response stream: answers a body read if it can be
    /// answered now; gives the waiter back otherwise.
    fn pull_body(&self, w: BodyWaiter) -> Option<BodyWaiter> {
        let answer = |chunk: BodyChunk| {
            self.reply(
                w.client,
                BackgroundFetchReply::Body {
                    request: w.request,
                    chunk,
                },
            );
            None
        };
        let fail = |message: &str| answer(BodyChunk::Failed(message.into()));
        let aborted = FailureReason::Aborted;
        let Some((fetch, rec)) = self
            .fetches
            .get(&w.uid)
            .and_then(|f| f.records.get(w.index as usize).map(|r| (f, r)))
        else {
            // A reader that comes after an aborted fetch released its records: the body
            // still errors with an AbortError.
            if self.finished_aborted(w.uid) {
                return answer(BodyChunk::Aborted);
            }
            return fail("the records are no longer available");
        };
        if !fetch.records_available {
            // An aborted record's body errors with an AbortError, also once the records
            // were released (a reader may come late).
            if rec.result == RecordResult::Failed(aborted) {
                return answer(BodyChunk::Aborted);
            }
            return fail("the records are no longer available");
        }
        // The response data being read became redundant: its stream errors (it must never
        // go on with another response's bytes).
        if rec.generation != w.generation {
            return fail("the response was replaced by a new one");
        }
        // An opaque or opaque-redirect filtered response has a null body: read, it is
        // empty (its internal body stays in the profile, for a cache.put of it).
        if rec.response.as_ref().is_some_and(ResponseMeta::is_opaque) {
            return answer(BodyChunk::End);
        }
        let available = rec.counters.synced.load(Ordering::Acquire);
        // Pull step 3: bytes if there are more and they may be exposed.
        if available > w.offset && rec.result.exposed() {
            self.read_stored_bytes(&w, (available - w.offset).min(w.max as u64) as usize);
            return None;
        }
        match rec.result {
            // Nothing new yet: wait.
            RecordResult::Empty => Some(w),
            r if r.exposed() => answer(BodyChunk::End),
            RecordResult::Failed(r) if r == aborted => answer(BodyChunk::Aborted),
            _ => fail("the response cannot be exposed"),
        }
    }

    /// A piece of a record's request body (the record's Request reads it as script
    /// consumes it), read off the actor; the records must still be available.
    pub(super) fn read_request_body(
        &self,
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        index: u32,
        offset: u64,
        max: u32,
    ) {
        let sink = self.clients.get(&client).map(|c| c.sink.clone());
        let Some(sink) = sink else { return };
        let available = self
            .fetches
            .get(&uid)
            .filter(|f| f.records_available)
            .and_then(|f| f.records.get(index as usize))
            .is_some();
        if !available {
            let chunk = BodyChunk::Failed("the records are no longer available".into());
            return sink(BackgroundFetchReply::Body { request, chunk });
        }
        let store = self.store.clone();
        let max = (max as usize).min(1 << 20);
        tokio::task::spawn_blocking(move || {
            let chunk = match store.read_request_body(uid, index, offset, max) {
                Ok(bytes) if bytes.is_empty() => BodyChunk::End,
                Ok(bytes) => BodyChunk::Data(bytes),
                Err(e) => BodyChunk::Failed(e.to_string()),
            };
            sink(BackgroundFetchReply::Body { request, chunk });
        });
    }

    /// Reads `len` stored bytes for a waiter off the actor (a blocking thread) and sends them.
    fn read_stored_bytes(&self, w: &BodyWaiter, len: usize) {
        let store = self.store.clone();
        let sink = self.clients.get(&w.client).map(|c| c.sink.clone());
        let (uid, index, offset, request) = (w.uid, w.index, w.offset, w.request);
        tokio::task::spawn_blocking(move || {
            let chunk = match store.read_body(uid, index, offset, len) {
                // Shorter than counted: the file was cut (a replacement) meanwhile.
                Ok(bytes) if bytes.is_empty() => {
                    BodyChunk::Failed("the response was replaced by a new one".into())
                }
                Ok(bytes) => BodyChunk::Data(bytes),
                Err(e) => BodyChunk::Failed(e.to_string()),
            };
            if let Some(sink) = sink {
                sink(BackgroundFetchReply::Body { request, chunk });
            }
        });
    }

    /// Create record objects, step 2.9: the record's response once there is one, or its
    /// result without one. Gives the waiter back while neither is known.
    fn record_response(&self, w: ResponseWaiter) -> Option<ResponseWaiter> {
        let ready = |response, result, generation| {
            self.reply(
                w.client,
                BackgroundFetchReply::RecordReady {
                    request: w.request,
                    response,
                    result,
                    generation,
                },
            );
            None
        };
        let Some(rec) = self
            .fetches
            .get(&w.uid)
            .and_then(|f| f.records.get(w.index as usize))
        else {
            // The records are gone: an aborted fetch's still reject with an AbortError.
            let reason = if self.finished_aborted(w.uid) {
                FailureReason::Aborted
            } else {
                FailureReason::FetchError
            };
            return ready(None, RecordResult::Failed(reason), 0);
        };
        match (&rec.response, rec.result) {
            (Some(r), result) if result.exposed() => {
                ready(Some(r.for_script()), result, rec.generation)
            }
            (_, RecordResult::Empty) => Some(w),
            (_, result) => ready(None, result, rec.generation),
        }
    }

    /// The Cache API asks for a record's body: answered once the record has its result.
    pub(super) fn wait_for_record_body(&mut self, waiter: RecordBodyWaiter) {
        if let Some(w) = self.record_body(waiter) {
            self.record_body_waiters.push(w);
        }
    }

    /// A record's whole stored body, if the record has its result; the waiter back if not.
    fn record_body(&self, w: RecordBodyWaiter) -> Option<RecordBodyWaiter> {
        let gone = || Err("the background fetch record's body is no longer available".into());
        let answer = match self.fetches.get(&w.uid) {
            Some(f) if f.registration.origin != w.origin => gone(),
            Some(f) if !f.records_available => gone(),
            Some(f) => match f.records.get(w.index as usize) {
                None => gone(),
                Some(rec) if rec.generation != w.generation => {
                    Err("the record's response was replaced by a new one".into())
                }
                Some(rec) if rec.result == RecordResult::Empty => return Some(w),
                Some(rec) if !rec.result.exposed() => {
                    Err("the record has no response to store".into())
                }
                Some(rec) => Ok((
                    self.store.response_body_path(w.uid, w.index),
                    rec.counters.synced.load(Ordering::Acquire),
                )),
            },
            None => gone(),
        };
        let _ = w.reply.send(answer);
        None
    }

    /// Answers every waiting read and `responseReady` that can be answered now.
    pub(super) fn wake_waiters(&mut self) {
        let body = std::mem::take(&mut self.body_waiters);
        self.body_waiters = body.into_iter().filter_map(|w| self.pull_body(w)).collect();
        let response = std::mem::take(&mut self.response_waiters);
        self.response_waiters = response
            .into_iter()
            .filter_map(|w| self.record_response(w))
            .collect();
        let bodies = std::mem::take(&mut self.record_body_waiters);
        self.record_body_waiters = bodies
            .into_iter()
            .filter_map(|w| self.record_body(w))
            .collect();
    }
}
