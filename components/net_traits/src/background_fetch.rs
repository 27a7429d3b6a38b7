//! Background Fetch messages (<https://wicg.github.io/background-fetch/>): what script
//! threads ask of the controller on the network thread, what it answers and broadcasts, and
//! the embedder's commands and UI notices.

use crate::request::{CacheQueryOptions, ImageResource, RequestData, ResponseMeta};
use crate::{ClientId, PermissionState, RequestId};
use serde::{Deserialize, Serialize};

/// A service worker registration, as the embedder's service worker registry names it. Its
/// background fetches are keyed by it (and kept across restarts with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RegistrationId(pub u64);

/// A background fetch's opaque unique id (not the page's `id`, which can be reused once the
/// fetch settled). Assigned by the controller, stable across restarts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FetchUid(pub u64);

/// A dispatched functional event, so its end can be reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId(pub u64);

/// The service worker registration a request is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInfo {
    pub id: RegistrationId,
    /// The registration's scope URL.
    pub scope: String,
    /// The scope URL's origin, serialized: the storage key and the broadcast audience.
    pub origin: String,
    /// Whether the registration has an active worker (`fetch()` needs one).
    pub has_active_worker: bool,
}

/// <https://wicg.github.io/background-fetch/#enumdef-backgroundfetchresult>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum FetchResult {
    #[default]
    Empty,
    Success,
    Failure,
}

impl FetchResult {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchResult::Empty => "",
            FetchResult::Success => "success",
            FetchResult::Failure => "failure",
        }
    }
    pub fn parse(s: &str) -> Option<FetchResult> {
        Some(match s {
            "" => FetchResult::Empty,
            "success" => FetchResult::Success,
            "failure" => FetchResult::Failure,
            _ => return None,
        })
    }
}

/// <https://wicg.github.io/background-fetch/#enumdef-backgroundfetchfailurereason>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum FailureReason {
    #[default]
    Empty,
    Aborted,
    BadStatus,
    FetchError,
    QuotaExceeded,
    DownloadTotalExceeded,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::Empty => "",
            FailureReason::Aborted => "aborted",
            FailureReason::BadStatus => "bad-status",
            FailureReason::FetchError => "fetch-error",
            FailureReason::QuotaExceeded => "quota-exceeded",
            FailureReason::DownloadTotalExceeded => "download-total-exceeded",
        }
    }
    pub fn parse(s: &str) -> Option<FailureReason> {
        Some(match s {
            "" => FailureReason::Empty,
            "aborted" => FailureReason::Aborted,
            "bad-status" => FailureReason::BadStatus,
            "fetch-error" => FailureReason::FetchError,
            "quota-exceeded" => FailureReason::QuotaExceeded,
            "download-total-exceeded" => FailureReason::DownloadTotalExceeded,
            _ => return None,
        })
    }
}

/// A background fetch response's result
/// (<https://wicg.github.io/background-fetch/#background-fetch-response-result>): empty while
/// in progress, `success`, `redundant` (replaced by a full response after a Range request was
/// answered with 200), or a failure reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RecordResult {
    #[default]
    Empty,
    Success,
    Redundant,
    Failed(FailureReason),
}

impl RecordResult {
    /// "The response can be exposed if the result is the empty string, success, or
    /// bad-status."
    pub fn exposed(self) -> bool {
        matches!(
            self,
            RecordResult::Empty
                | RecordResult::Success
                | RecordResult::Failed(FailureReason::BadStatus)
        )
    }
    pub fn as_str(self) -> &'static str {
        match self {
            RecordResult::Empty => "",
            RecordResult::Success => "success",
            RecordResult::Redundant => "redundant",
            RecordResult::Failed(r) => r.as_str(),
        }
    }
    pub fn parse(s: &str) -> Option<RecordResult> {
        Some(match s {
            "" => RecordResult::Empty,
            "success" => RecordResult::Success,
            "redundant" => RecordResult::Redundant,
            other => RecordResult::Failed(FailureReason::parse(other)?),
        })
    }
}

/// What a `BackgroundFetchRegistration` copies from its background fetch
/// (<https://wicg.github.io/background-fetch/#background-fetch-registration>).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSnapshot {
    pub uid: FetchUid,
    pub registration: RegistrationId,
    pub id: String,
    pub upload_total: u64,
    pub uploaded: u64,
    pub download_total: u64,
    pub downloaded: u64,
    pub result: FetchResult,
    pub failure_reason: FailureReason,
    pub records_available: bool,
}

/// "Update background fetch instances": the values every same-origin
/// `BackgroundFetchRegistration` of the fetch takes (then fires `progress` if they changed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceUpdate {
    pub uid: FetchUid,
    pub downloaded: u64,
    pub uploaded: u64,
    pub result: FetchResult,
    pub failure_reason: FailureReason,
    pub records_available: bool,
}

/// One background fetch record as `matchAll` returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordSnapshot {
    pub uid: FetchUid,
    /// The record's position in the fetch's records.
    pub index: u32,
    /// The request, without its body's bytes.
    pub request: RequestData,
    /// The request body's length, if it has one: its bytes stay in the profile and are
    /// read a piece at a time ([`BackgroundFetchRequest::ReadRequestBody`]) when script
    /// reads the record's request.
    pub request_body_len: Option<u64>,
    /// The response data's response (the filtered response: exposed headers only), once it
    /// arrived.
    pub response: Option<ResponseMeta>,
    pub result: RecordResult,
    /// The stored body bytes so far.
    pub stored: u64,
    /// Which response data this is: it grows when a Range request is answered with a whole
    /// new response, making the earlier one redundant. Body reads name it.
    pub generation: u32,
}

/// A failure the script side turns into its exception.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackgroundFetchError {
    /// A `TypeError` with this message.
    Type(String),
    /// A `NotAllowedError` DOMException.
    NotAllowed(String),
    /// A `QuotaExceededError` (quota and requested are not revealed).
    QuotaExceeded(String),
    /// An `InvalidStateError` DOMException.
    InvalidState(String),
    /// An `AbortError` DOMException.
    Abort(String),
}

/// The functional events a background fetch fires at its service worker registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FunctionalEvent {
    /// `backgroundfetchsuccess` (a `BackgroundFetchUpdateUIEvent`).
    Success,
    /// `backgroundfetchfail` (a `BackgroundFetchUpdateUIEvent`).
    Fail,
    /// `backgroundfetchabort` (a `BackgroundFetchEvent`).
    Abort,
    /// `backgroundfetchclick` (a `BackgroundFetchEvent`).
    Click,
}

impl FunctionalEvent {
    pub fn name(self) -> &'static str {
        match self {
            FunctionalEvent::Success => "backgroundfetchsuccess",
            FunctionalEvent::Fail => "backgroundfetchfail",
            FunctionalEvent::Abort => "backgroundfetchabort",
            FunctionalEvent::Click => "backgroundfetchclick",
        }
    }
}

/// A piece of a record's stored response body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyChunk {
    /// Bytes starting at the offset asked for.
    Data(Vec<u8>),
    /// The body is complete and everything up to here was read.
    End,
    /// The record was aborted: the stream errors with an `AbortError`.
    Aborted,
    /// The response cannot be exposed (or the records are gone): a `TypeError`.
    Failed(String),
}

/// Script thread -> network thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BackgroundFetchRequest {
    /// `BackgroundFetchManager.fetch()` after its synchronous steps: enqueue the rest in the
    /// registration's active background fetches edit queue. Answered by
    /// [`BackgroundFetchReply::Fetched`].
    Fetch {
        client: ClientId,
        request: RequestId,
        registration: RegistrationInfo,
        id: String,
        requests: Vec<RequestData>,
        download_total: u64,
        title: String,
        icons: Vec<ImageResource>,
        /// The "background-fetch" permission state for the caller's environment.
        permission: PermissionState,
    },
    /// `BackgroundFetchManager.get(id)`. Answered by [`BackgroundFetchReply::Got`].
    Get {
        client: ClientId,
        request: RequestId,
        registration: RegistrationId,
        id: String,
    },
    /// `BackgroundFetchManager.getIds()`. Answered by [`BackgroundFetchReply::Ids`].
    GetIds {
        client: ClientId,
        request: RequestId,
        registration: RegistrationId,
    },
    /// `BackgroundFetchRegistration.abort()`. Answered by [`BackgroundFetchReply::Aborted`].
    Abort {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
    },
    /// `matchAll(request, options)` (and `match`): the records whose request matches, or all
    /// of them without a request. Answered by [`BackgroundFetchReply::Records`].
    MatchAll {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        query: Option<RequestData>,
        options: CacheQueryOptions,
    },
    /// Read up to `max` bytes of a record's stored response body from `offset`; waits until
    /// there are bytes there or the record settled. Answered by
    /// [`BackgroundFetchReply::Body`].
    /// Up to `max` bytes of a record's request body from `offset`. Answered by
    /// [`BackgroundFetchReply::Body`] (`End` past the end).
    ReadRequestBody {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        index: u32,
        offset: u64,
        max: u32,
    },
    ReadBody {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        index: u32,
        /// The response data being read (from [`BackgroundFetchReply::RecordReady`]); if the
        /// record's response data was replaced since, the read fails.
        generation: u32,
        offset: u64,
        /// At most this many bytes (the controller caps it at 1 MiB).
        max: u32,
    },
    /// Tell the client when a record's response (headers) is known or the record settled
    /// without one (for `responseReady`). Answered by [`BackgroundFetchReply::RecordReady`].
    WaitForResponse {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        index: u32,
    },
    /// `BackgroundFetchUpdateUIEvent.updateUI()`: new title and/or icons. Answered by
    /// [`BackgroundFetchReply::UiUpdated`] once the UI has them.
    UpdateUi {
        client: ClientId,
        request: RequestId,
        uid: FetchUid,
        title: Option<String>,
        icons: Option<Vec<ImageResource>>,
    },
    /// A functional event the controller asked for is no longer active (its `waitUntil`
    /// promises settled), or could not be dispatched (`dispatched: false`).
    EventDone { event: EventId, dispatched: bool },
}

/// Network thread -> script thread: replies (each carries the [`RequestId`] it answers) and
/// broadcasts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BackgroundFetchReply {
    /// The answer to `Fetch`: the new background fetch, or the reason it was refused.
    Fetched {
        request: RequestId,
        result: Result<RegistrationSnapshot, BackgroundFetchError>,
    },
    /// The answer to `Get`: the active background fetch with that id, if any.
    Got {
        request: RequestId,
        registration: Option<RegistrationSnapshot>,
    },
    /// The answer to `GetIds`: the ids of the active background fetches.
    Ids {
        request: RequestId,
        ids: Vec<String>,
    },
    /// The answer to `Abort`: true only for the first abort of an active fetch.
    Aborted { request: RequestId, aborted: bool },
    /// The answer to `MatchAll`.
    Records {
        request: RequestId,
        result: Result<Vec<RecordSnapshot>, BackgroundFetchError>,
    },
    /// The answer to `ReadBody`.
    Body {
        request: RequestId,
        chunk: BodyChunk,
    },
    /// The answer to `WaitForResponse`: the record's (filtered) response if it can be
    /// exposed, else
    /// its result (`Failed(Aborted)` rejects `responseReady` with an AbortError, anything
    /// else with a TypeError).
    RecordReady {
        request: RequestId,
        response: Option<ResponseMeta>,
        result: RecordResult,
        /// The response data this answer is about (for [`BackgroundFetchRequest::ReadBody`]).
        generation: u32,
    },
    /// The answer to `UpdateUi`.
    UiUpdated {
        request: RequestId,
        result: Result<(), BackgroundFetchError>,
    },
    /// Broadcast to every client of the fetch's origin: "update background fetch instances".
    Update(InstanceUpdate),
}

/// Network thread -> the embedder's service worker host: fire a functional event at a
/// registration's active worker (starting it if needed), then report
/// [`BackgroundFetchRequest::EventDone`] with the same `event`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchEvent {
    pub event: EventId,
    pub kind: FunctionalEvent,
    pub registration: RegistrationInfo,
    /// What the event's `registration` attribute shows.
    pub fetch: RegistrationSnapshot,
}

/// The embedder (its UI, the user, the network state) -> network thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmbedderCommand {
    /// The user paused a fetch (only offered when all its requests are GETs).
    Pause(FetchUid),
    /// The user resumed a paused fetch.
    Resume(FetchUid),
    /// The user aborted a fetch from the UI (sets its abort all flag).
    Abort(FetchUid),
    /// The user activated the fetch's UI: fire `backgroundfetchclick`.
    Click(FetchUid),
    /// The answer to a "prompt" permission: granted unpauses the fetch, denied aborts it.
    PermissionAnswer { uid: FetchUid, granted: bool },
    /// A service worker registration was unregistered: its fetches fail (aborted) and its
    /// data is cleared.
    RegistrationRemoved(RegistrationId),
}

/// What the UI shows of a background fetch
/// (<https://wicg.github.io/background-fetch/#background-fetch-display>), sent when the fetch
/// is registered, as it progresses (throttled like progress), and when it settles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayUpdate {
    pub uid: FetchUid,
    /// The scope URL's origin, which the UI must show prominently.
    pub origin: String,
    pub id: String,
    pub title: String,
    pub icons: Vec<ImageResource>,
    pub download_total: u64,
    pub downloaded: u64,
    pub upload_total: u64,
    pub uploaded: u64,
    /// Records completed so far, and their number (progress when the total is unknown).
    pub records_done: u32,
    pub records: u32,
    pub paused: bool,
    /// Waiting for the user to answer a "prompt" permission.
    pub awaiting_permission: bool,
    /// Whether the UI may offer pause/resume: every request is a GET.
    pub can_pause: bool,
    pub result: FetchResult,
    pub failure_reason: FailureReason,
    /// The fetch and its event are over: the UI may go (or stay, clickable).
    pub finished: bool,
}

/// Where the controller delivers a script thread's replies and broadcasts: called on the
/// network thread, in order, so it must not block (a script thread queues a task).
pub type ReplySink = std::sync::Arc<dyn Fn(BackgroundFetchReply) + Send + Sync>;

/// The background fetch controller as script threads reach it (the embedder gives globals
/// one; `net::background_fetch::Controller` implements it).
pub trait BackgroundFetchService: Send + Sync {
    /// A script thread of `origin` connects: replies to its requests, and the broadcasts for
    /// its origin, go to `sink`, in the order the controller sends them.
    fn connect(&self, origin: &str, sink: ReplySink) -> ClientId;
    /// The script thread goes away.
    fn disconnect(&self, client: ClientId);
    /// A request (or a functional event's `EventDone`).
    fn send(&self, request: BackgroundFetchRequest);
}

/// The limits this implementation puts on what a page hands to a background fetch's display
/// and store. The spec has none; these are generous (no real page comes near them) and exist
/// so that a page cannot make the profile and the display hold megabytes of strings. Every
/// one is checked at the same step with the same error: `fetch()` before it is queued, and
/// `updateUI()` before its UI updated flag is set (a refused call does not use up the
/// event's one call), each rejecting with a TypeError; the controller checks again.
pub mod limits {
    /// A background fetch id, in bytes of UTF-8.
    pub const MAX_ID: usize = 1 << 20;
    /// A title, in bytes of UTF-8.
    pub const MAX_TITLE: usize = 1 << 20;
    /// Icons per background fetch.
    pub const MAX_ICONS: usize = 256;
    /// An icon's parsed URL (a `data:` URL icon may be large).
    pub const MAX_ICON_SRC: usize = 1 << 20;
    /// An icon's `sizes`, `type` and `label`, each.
    pub const MAX_ICON_FIELD: usize = 64 << 10;
}

/// Checks `id`, `title` and `icons` (each when given) against [`limits`]; the message names
/// what is too long.
pub fn check_limits(
    id: Option<&str>,
    title: Option<&str>,
    icons: Option<&[ImageResource]>,
) -> Result<(), String> {
    use limits::*;
    if id.is_some_and(|id| id.len() > MAX_ID) {
        return Err(format!("the id is longer than {MAX_ID} bytes"));
    }
    if title.is_some_and(|t| t.len() > MAX_TITLE) {
        return Err(format!("the title is longer than {MAX_TITLE} bytes"));
    }
    let icons = icons.unwrap_or_default();
    if icons.len() > MAX_ICONS {
        return Err(format!("more than {MAX_ICONS} icons"));
    }
    for icon in icons {
        if icon.src.len() > MAX_ICON_SRC {
            return Err(format!("an icon's src is longer than {MAX_ICON_SRC} bytes"));
        }
        let fields = [&icon.sizes, &icon.type_, &icon.label];
        if fields
            .iter()
            .any(|f| f.as_ref().is_some_and(|f| f.len() > MAX_ICON_FIELD))
        {
            return Err(format!(
                "an icon's sizes, type or label is longer than {MAX_ICON_FIELD} bytes"
            ));
        }
    }
    Ok(())
}
