//! Fetch events (Appendix A: Handle Fetch, Create Fetch Event and Dispatch): every fetch a
//! service worker client makes goes through [`ClientFetcher`], which asks the registry
//! whether a service worker handles it. A navigation (or a worker's own script) is matched
//! against the registrations by URL, and the client is controlled from then on; a
//! subresource goes to the client's active service worker, whatever its URL. The event is
//! dispatched as a task on the worker's global (started from its stored script if it does
//! not run); what `respondWith()` gives reaches the client's fetch through a
//! [`FetchResponder`], and without `respondWith()` the network answers.
//!
//! Only http(s) fetches reach Handle Fetch (Fetch's HTTP fetch): `blob:`, `data:` and
//! `about:` URLs are answered in front of it. The service worker's own fetches, its script
//! fetches and a background fetch's requests never come here (their service-workers mode is
//! "none": they do not go through a client's fetcher).
//!
//! Not implemented: static routing (`addRoutes()`), navigation preload (`preloadResponse`
//! resolves with undefined), race responses.

use super::jobs::{is_stale, soft_update};
use super::registry::{match_service_worker_registration, spawn_helper, Inner, Shared};
use super::{ServiceWorkerContext, WorkerId, WorkerState};
use net_traits::{
    Destination, FetchEvent, FetchRequest, FetchService, FetchSink, RedirectMode, RequestData,
    RequestMode, ResponseMeta, ResponseType,
};
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The fetcher of a service worker client (a window or a dedicated or shared worker): each
/// fetch goes through Handle Fetch before `network`.
pub struct ClientFetcher {
    pub network: Arc<dyn FetchService>,
    pub context: ServiceWorkerContext,
    /// The client's environment id.
    pub client_id: String,
}

impl FetchService for ClientFetcher {
    fn fetch(&self, request: FetchRequest, sink: FetchSink) {
        self.context
            .handle_fetch(&self.client_id, request, sink, self.network.clone())
    }
}

/// What the service worker's global gets to create and dispatch a fetch event.
pub struct FetchEventTask {
    pub request: RequestData,
    /// `clientId`: the request's client ("" for a navigation, which has no initiator here).
    pub client_id: String,
    /// `resultingClientId`: the reserved client of a non-subresource request.
    pub resulting_client_id: String,
    pub responder: FetchResponder,
}

/// Where a fetch event's answer goes: the client's fetch, waiting. Whoever answers first
/// (the event's `respondWith()`, the end of its dispatch, the lifetime limit) answers; the
/// others find it answered. Dropped unanswered (the worker's global went away), it falls
/// back to the network, as a discarded task does.
#[derive(Clone)]
pub struct FetchResponder(Arc<Mutex<Option<Waiting>>>);

struct Waiting {
    /// The client's fetch; taken by whoever answers.
    fetch: Option<(FetchRequest, FetchSink)>,
    network: Arc<dyn FetchService>,
    /// To fetch again when the service worker answers with a redirect to follow.
    client: Option<(ServiceWorkerContext, String)>,
    /// The URLs of the redirects that led here (a service worker's redirects).
    redirected_from: Vec<String>,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        // Never answered: the network answers (steps 14-16 of Create Fetch Event and
        // Dispatch with respondWithEntered false).
        if let Some((request, sink)) = self.fetch.take() {
            self.network.fetch(request, sink);
        }
    }
}

/// The body of the response a fetch event gave, on its way to the client.
pub struct ResponseBody {
    sink: FetchSink,
    cancel: net_traits::CancelToken,
    /// An opaque response's body is not for the client to see.
    opaque: bool,
}

impl ResponseBody {
    /// More of the body; false once the client no longer wants it (its fetch was aborted).
    pub fn chunk(&mut self, bytes: &[u8]) -> bool {
        if self.cancel.is_cancelled() {
            return false;
        }
        if !bytes.is_empty() && !self.opaque {
            (self.sink)(FetchEvent::Body(bytes.to_vec()));
        }
        true
    }

    /// The body is complete (`Ok`) or failed.
    pub fn end(mut self, result: Result<(), String>) {
        (self.sink)(match result {
            Ok(()) => FetchEvent::Done,
            Err(e) => FetchEvent::Failed(e),
        });
    }
}

impl FetchResponder {
    fn take(&self) -> Option<(FetchRequest, FetchSink)> {
        self.0.lock().take().and_then(|mut w| w.fetch.take())
    }

    fn take_waiting(&self) -> Option<Waiting> {
        self.0.lock().take().filter(|w| w.fetch.is_some())
    }

    /// A handle that does not keep the fetch waiting (the lifetime limit's).
    fn downgrade(&self) -> std::sync::Weak<Mutex<Option<Waiting>>> {
        Arc::downgrade(&self.0)
    }

    /// Handle Fetch returned null: the network answers.
    pub fn fall_back(&self) {
        // Dropping the waiting fetch sends it to the network.
        let waiting = self.0.lock().take();
        drop(waiting);
    }

    /// Handle Fetch returned a network error.
    pub fn network_error(&self, why: &str) {
        if let Some((_, mut sink)) = self.take() {
            sink(FetchEvent::Failed(why.to_string()));
        }
    }

    /// Handle Fetch returned `response` (the potential response, whose body the caller
    /// then gives to the returned [`ResponseBody`]). `None` when it was answered already,
    /// or when Fetch turns this response into a network error for this request (HTTP fetch
    /// step 4.4; the client's fetch then fails).
    pub fn respond(&self, response: ResponseMeta) -> Option<ResponseBody> {
        let mut waiting = self.take_waiting()?;
        let (request, mut sink) = waiting.fetch.take()?;
        let meta = match response_for_client(&request, response) {
            Ok(meta) => meta,
            Err(why) => {
                sink(FetchEvent::Failed(why));
                return None;
            }
        };
        // HTTP fetch step 7: a redirect is followed, refused or made opaque as the request's
        // redirect mode says.
        if is_redirect_status(meta.status) && !meta.is_opaque() {
            return match request.request.redirect {
                RedirectMode::Error => {
                    sink(FetchEvent::Failed(
                        "the service worker responded with a redirect to a request whose redirect mode is error"
                            .into(),
                    ));
                    None
                }
                // A navigation gets the redirect itself; anything else an opaque-redirect
                // filtered response.
                RedirectMode::Manual => {
                    let meta = if request.request.mode == RequestMode::Navigate {
                        meta
                    } else {
                        ResponseMeta {
                            response_type: ResponseType::OpaqueRedirect,
                            ..meta
                        }
                        .for_script()
                    };
                    sink(FetchEvent::Response(meta));
                    sink(FetchEvent::Done);
                    None
                }
                RedirectMode::Follow => {
                    http_redirect_fetch(waiting, request, sink, &meta);
                    None
                }
            };
        }
        let opaque = meta.is_opaque();
        sink(FetchEvent::Response(meta));
        Some(ResponseBody {
            sink,
            cancel: request.cancel,
            opaque,
        })
    }
}

/// <https://fetch.spec.whatwg.org/#redirect-status>
fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// How many redirects a fetch follows.
const REDIRECT_LIMIT: usize = 20;

/// <https://fetch.spec.whatwg.org/#http-redirect-fetch>, for a redirect a service worker
/// responded with: the request goes to the location, through the client's Handle Fetch
/// again; the response's URL list starts with the URLs redirected from.
fn http_redirect_fetch(
    waiting: Waiting,
    mut request: FetchRequest,
    mut sink: FetchSink,
    response: &ResponseMeta,
) {
    let current = response.url_list.last().cloned().unwrap_or_default();
    // Steps 3-4. The location URL (relative to the response's URL); none: the response.
    let location = response
        .header_values("location")
        .into_iter()
        .next()
        .and_then(|l| url::Url::parse(&current).ok()?.join(&l).ok());
    let Some(location) = location else {
        sink(FetchEvent::Response(response.clone()));
        sink(FetchEvent::Done);
        return;
    };
    // Step 5. Not http(s): a network error.
    if !matches!(location.scheme(), "http" | "https") {
        return sink(FetchEvent::Failed(format!(
            "the service worker redirected to {location}, which is not an HTTP(S) URL"
        )));
    }
    // Step 6. Too many redirects: a network error.
    let mut redirected_from = waiting.redirected_from.clone();
    redirected_from.extend(response.url_list.iter().cloned());
    if redirected_from.len() > REDIRECT_LIMIT {
        return sink(FetchEvent::Failed("too many redirects".into()));
    }
    // Step 12. 301/302 with POST, or 303 with anything but GET/HEAD: a GET without a body.
    let data = &mut request.request;
    if ((response.status == 301 || response.status == 302) && data.method == "POST")
        || (response.status == 303 && data.method != "GET" && data.method != "HEAD")
    {
        data.method = "GET".into();
        data.body = None;
        data.headers.retain(|(n, _)| {
            let n = n.to_latin1().to_ascii_lowercase();
            !matches!(
                n.as_str(),
                "content-encoding" | "content-language" | "content-location" | "content-type"
            )
        });
    }
    // Step 14. Append the location to the URL list; step 20: main fetch again.
    data.url = location.to_string();
    let prefix = redirected_from.clone();
    let wrapped: FetchSink = Box::new(move |event| match event {
        FetchEvent::Response(mut meta) => {
            let mut list = prefix.clone();
            list.append(&mut meta.url_list);
            meta.url_list = list;
            sink(FetchEvent::Response(meta))
        }
        other => sink(other),
    });
    let network = waiting.network.clone();
    match waiting.client.clone() {
        Some((context, client_id)) => {
            context.handle_fetch_redirected(&client_id, request, wrapped, network, redirected_from)
        }
        None => network.fetch(request, wrapped),
    }
}

/// What the client's fetch gets of a service worker's response: Fetch's HTTP fetch step
/// 4.4 turns some into network errors; main fetch gives a response that is not filtered
/// (one script made) the filter the request's response tainting calls for, and the
/// request's URL when it has none.
fn response_for_client(
    request: &FetchRequest,
    mut meta: ResponseMeta,
) -> Result<ResponseMeta, String> {
    let r = &request.request;
    // HTTP fetch step 4.4: a network error if one of these is true.
    let error = match meta.response_type {
        ResponseType::Error => Some("the service worker responded with an error response"),
        ResponseType::Cors if r.mode == RequestMode::SameOrigin => {
            Some("the service worker responded to a same-origin request with a CORS response")
        }
        ResponseType::Opaque if r.mode != RequestMode::NoCors => {
            Some("the service worker responded with an opaque response to a request that is not no-cors")
        }
        ResponseType::OpaqueRedirect if r.redirect != RedirectMode::Manual => Some(
            "the service worker responded with an opaque redirect to a request whose redirect mode is not manual",
        ),
        _ if r.redirect != RedirectMode::Follow && meta.url_list.len() > 1 => Some(
            "the service worker responded with a redirected response to a request whose redirect mode is not follow",
        ),
        _ => None,
    };
    if let Some(e) = error {
        return Err(e.into());
    }
    // Main fetch: a response with an empty URL list gets the request's.
    if meta.url_list.is_empty() {
        meta.url_list = vec![r.url.split('#').next().unwrap_or(&r.url).to_string()];
    }
    // Main fetch step 14: a response that is not filtered gets the filter of the request's
    // response tainting.
    if meta.response_type == ResponseType::Default {
        let same_origin = url::Url::parse(&r.url)
            .map(|u| u.origin().ascii_serialization() == request.origin)
            .unwrap_or(false);
        meta.response_type = if same_origin || r.mode == RequestMode::Navigate {
            ResponseType::Basic
        } else if r.mode == RequestMode::NoCors {
            ResponseType::Opaque
        } else {
            meta.cors_exposed_header_names = cors_exposed_header_names(r, &meta);
            ResponseType::Cors
        };
        meta = meta.for_script();
    } else if meta.response_type == ResponseType::Cors {
        // The service worker's CORS response shows only its exposed headers already.
        meta.cors_exposed_header_names = meta
            .headers
            .iter()
            .map(|(n, _)| n.to_latin1().to_ascii_lowercase())
            .collect();
    }
    Ok(meta)
}

/// Main fetch step 14.2 for a CORS response: the CORS-safelisted response header names and
/// those `Access-Control-Expose-Headers` names (every name for `*` without credentials).
fn cors_exposed_header_names(request: &RequestData, meta: &ResponseMeta) -> Vec<String> {
    let mut names: Vec<String> = net_traits::SAFELISTED_RESPONSE_HEADERS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let exposed: Vec<String> = meta
        .header_values("access-control-expose-headers")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    let credentials = request.credentials == net_traits::CredentialsMode::Include;
    if exposed.iter().any(|n| n == "*") && !credentials {
        names.extend(
            meta.headers
                .iter()
                .map(|(n, _)| n.to_latin1().to_ascii_lowercase()),
        );
    } else {
        names.extend(exposed);
    }
    names.sort();
    names.dedup();
    names
}

/// <https://w3c.github.io/ServiceWorker/#non-subresource-request>
fn is_non_subresource_request(destination: Destination) -> bool {
    matches!(
        destination,
        Destination::Document
            | Destination::Iframe
            | Destination::Worker
            | Destination::SharedWorker
            | Destination::ServiceWorker
    )
}

/// The registration and worker Handle Fetch chose, and what the event says of the clients.
struct Chosen {
    registration: super::RegistrationId,
    worker: WorkerId,
    client_id: String,
    resulting_client_id: String,
    should_soft_update: bool,
    /// The request's referrer, when it was "client".
    referrer: Option<String>,
}

/// Handle Fetch, steps 1-12: the registration whose active worker handles `request` of the
/// client `client_id`, if any (`None`: the network answers).
fn choose_worker(inner: &mut Inner, client_id: &str, request: &FetchRequest) -> Option<Chosen> {
    let data = &request.request;
    // Fetch's HTTP fetch: only http(s) requests reach Handle Fetch.
    let url = url::Url::parse(&data.url).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // Step 7. A service worker's own script never comes here.
    if data.destination == Destination::ServiceWorker {
        return None;
    }
    let env = inner.environments.iter().position(|e| e.id == client_id)?;
    let (registration, client, resulting) = if is_non_subresource_request(data.destination) {
        // Step 9. A non-subresource request: its reserved client is this environment (the
        // window that navigates, the worker that fetches its own script).
        // Step 9.1. Not a secure context: return null.
        if !inner.environments[env].secure_context {
            return None;
        }
        // Steps 9.5-9.6. Match Service Worker Registration for the request's URL, with the
        // storage key of the client it makes (its URL's origin).
        let storage_key = url.origin().ascii_serialization();
        let registration = match_service_worker_registration(inner, &storage_key, url.as_str())?;
        // Step 9.7. No registration, or no active worker: return null.
        let active = inner.registrations.get(&registration)?.active?;
        // Step 9.8. The reserved client's active service worker is the active worker.
        inner.environments[env].active_worker = Some(active);
        // The request's client: a worker's script fetch is its creator's; a navigation has
        // no initiating client here.
        let creator = inner.environments[env].creator.clone().unwrap_or_default();
        (registration, creator, client_id.to_string())
    } else {
        // Step 10. A subresource request: the client's active service worker's registration
        // (none: return null).
        let active = inner.environments[env].active_worker?;
        let registration = inner.workers.get(&active)?.registration;
        (registration, client_id.to_string(), String::new())
    };
    let reg = inner.registrations.get(&registration)?;
    // Step 11. The registration's active worker.
    let worker = reg.active?;
    // Step 12. shouldSoftUpdate.
    let should_soft_update = is_non_subresource_request(data.destination) || is_stale(reg);
    // Main fetch step 9: the request's referrer, as the event's request shows it ("client":
    // determined from the client's URL and the referrer policy).
    let referrer = (data.referrer == "client").then(|| {
        let source = if client.is_empty() {
            None
        } else {
            inner
                .environments
                .iter()
                .find(|e| e.id == client)
                .and_then(|e| url::Url::parse(&e.url).ok())
        };
        source
            .and_then(|s| net_traits::security::determine_referrer(&data.referrer_policy, &s, &url))
            .unwrap_or_else(|| "no-referrer".into())
    });
    Some(Chosen {
        referrer,
        registration,
        worker,
        client_id: client,
        resulting_client_id: resulting,
        should_soft_update,
    })
}

impl ServiceWorkerContext {
    /// <https://w3c.github.io/ServiceWorker/#handle-fetch>, for `request` of the client
    /// `client_id`: dispatches a fetch event, or hands the request to `network` (Handle
    /// Fetch returned null). Returns at once; `sink` gets the answer.
    pub fn handle_fetch(
        &self,
        client_id: &str,
        request: FetchRequest,
        sink: FetchSink,
        network: Arc<dyn FetchService>,
    ) {
        self.handle_fetch_redirected(client_id, request, sink, network, Vec::new())
    }

    /// Handle Fetch for a request a service worker's redirect led to (`redirected_from`: the
    /// URLs before it).
    fn handle_fetch_redirected(
        &self,
        client_id: &str,
        request: FetchRequest,
        sink: FetchSink,
        network: Arc<dyn FetchService>,
        redirected_from: Vec<String>,
    ) {
        let Some(shared) = self.shared() else {
            return network.fetch(request, sink);
        };
        let chosen = choose_worker(&mut shared.inner.lock(), client_id, &request);
        let Some(chosen) = chosen else {
            return network.fetch(request, sink);
        };
        let waiting = Waiting {
            fetch: Some((request, sink)),
            network,
            client: Some((self.clone(), client_id.to_string())),
            redirected_from,
        };
        create_fetch_event_and_dispatch(&shared, chosen, waiting);
    }
}

/// <https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch>
fn create_fetch_event_and_dispatch(shared: &Arc<Shared>, chosen: Chosen, mut waiting: Waiting) {
    let registration = chosen.registration;
    let soft_update_after = move |shared: &Arc<Shared>| {
        if chosen.should_soft_update {
            spawn_helper(shared, "sw-soft-update", move |shared| {
                soft_update(shared, registration)
            });
        }
    };
    // Step 11 (Should Skip Event): a worker without fetch listeners when its script first
    // ran is not started; the network answers.
    let (skip, running) = {
        let inner = shared.inner.lock();
        let Some(w) = inner.workers.get(&chosen.worker) else {
            // (Dropping the waiting fetch sends it to the network.)
            return;
        };
        let skip = w
            .event_types
            .as_ref()
            .is_some_and(|types| !types.iter().any(|t| t == "fetch"));
        let running = w
            .global
            .clone()
            .filter(|_| w.state == WorkerState::Activated);
        (skip, running)
    };
    if skip {
        soft_update_after(shared);
        return drop(waiting);
    }
    let Some((request, sink)) = waiting.fetch.take() else {
        return;
    };
    let mut event_request = request.request.clone();
    if let Some(referrer) = chosen.referrer {
        event_request.referrer = referrer;
    }
    waiting.fetch = Some((request, sink));
    let responder = FetchResponder(Arc::new(Mutex::new(Some(waiting))));
    let task = FetchEventTask {
        request: event_request,
        client_id: chosen.client_id,
        resulting_client_id: chosen.resulting_client_id,
        responder,
    };
    let worker = chosen.worker;
    match running {
        // The usual case: an activated worker that runs gets the task now.
        Some(global) => queue_fetch_event(shared, &global, worker, task),
        // Steps 15-16: wait for it to be activated, run it, then queue the task (off the
        // client's thread: starting a worker runs its script).
        None => {
            spawn_helper(shared, "sw-fetch-event", move |shared| {
                if !wait_until_activated(shared, worker) {
                    // Run Service Worker failed: the task never runs, respondWith was not
                    // entered: the network answers (the responder falls back when dropped).
                    return;
                }
                match super::running::ensure_running(shared, worker) {
                    Ok(global) => queue_fetch_event(shared, &global, worker, task),
                    Err(e) => {
                        log::warn!(target: "script", "cannot start the service worker for a fetch event: {e}")
                    }
                }
            });
        }
    }
    soft_update_after(shared);
}

/// Step 15: waits (on a helper thread) while the worker is "activating"; false if it will
/// not be activated.
fn wait_until_activated(shared: &Shared, worker: WorkerId) -> bool {
    let deadline = Instant::now() + shared.settings.event_lifetime;
    loop {
        match shared.inner.lock().workers.get(&worker).map(|w| w.state) {
            Some(WorkerState::Activated) => return true,
            Some(WorkerState::Activating) if Instant::now() < deadline => {}
            _ => return false,
        }
        if let Err(crossbeam_channel::RecvTimeoutError::Disconnected) =
            shared.stopping.recv_timeout(Duration::from_millis(5))
        {
            return false;
        }
    }
}

/// Step 17.3: queues the task that creates and dispatches the event on the worker's event
/// loop; the event's lifetime limit answers with a network error if nothing else has.
fn queue_fetch_event(
    shared: &Arc<Shared>,
    global: &crate::script_thread::GlobalHandle,
    worker: WorkerId,
    task: FetchEventTask,
) {
    if let Some(w) = shared.inner.lock().workers.get_mut(&worker) {
        w.last_activity = Instant::now();
    }
    // Past the event's lifetime the client gets a network error, if nothing answered it.
    // (Weak: a task that is dropped unrun drops the last responder, which falls back.)
    let responder = task.responder.downgrade();
    let url = task.request.url.clone();
    let deadline = super::running::after_event_lifetime(shared, move || {
        if let Some(r) = responder.upgrade() {
            log::warn!(target: "script", "the fetch event for {url} did not respond in time");
            FetchResponder(r).network_error("the service worker did not respond in time")
        }
    });
    // If the task is discarded (the global is gone), the responder is dropped with it and
    // the network answers.
    global.queue(move |ctx| crate::dom::fetchevent::dispatch_fetch_event(ctx, task, deadline));
}
