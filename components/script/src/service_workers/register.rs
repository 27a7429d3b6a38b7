//! Register and Update (Appendix A): the register and update jobs' algorithms, the fetch of
//! the service worker script with Service Workers' perform the fetch hook, and starting and
//! stopping a service worker (Run Service Worker, Terminate Service Worker).

use super::jobs::{reject_job_promise, resolve_job_promise, After, Job, JobType, JobValue};
use super::lifecycle::install;
use super::registry::{
    get_newest_worker, get_registration, origin_of, remove_from_map, set_registration,
    ServiceWorker, Shared,
};
use super::unregister::try_clear_registration;
use super::{JobError, RegistrationId, WorkerId, WorkerState};
use crate::script_thread::GlobalHandle;
use crate::GlobalKind;
use net_traits::{CredentialsMode, Destination, FetchRequest, RequestData, RequestMode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// <https://w3c.github.io/ServiceWorker/#register-algorithm>
pub(super) fn register(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let Some(script_url) = &job.script_url else {
        reject_job_promise(shared, scope, JobError::Type("no script URL".into()));
        return After::Nothing;
    };
    // Step 1. The script URL's origin must be potentially trustworthy.
    if !net_traits::security::is_potentially_trustworthy(script_url) {
        reject_job_promise(
            shared,
            scope,
            JobError::Security(format!(
                "'{script_url}' is not a potentially trustworthy URL"
            )),
        );
        return After::Nothing;
    }
    let referrer_origin = job.referrer.as_ref().map(origin_of);
    // Step 2. The script URL must be same origin with the referrer.
    if referrer_origin.as_deref() != Some(origin_of(script_url).as_str()) {
        reject_job_promise(
            shared,
            scope,
            JobError::Security(format!(
                "the script URL '{script_url}' is not same origin with the page"
            )),
        );
        return After::Nothing;
    }
    // Step 3. The scope URL must be same origin with the referrer.
    if referrer_origin.as_deref() != Some(origin_of(&job.scope_url).as_str()) {
        reject_job_promise(
            shared,
            scope,
            JobError::Security(format!(
                "the scope '{}' is not same origin with the page",
                job.scope_url
            )),
        );
        return After::Nothing;
    }
    {
        let mut inner = shared.inner.lock();
        // Step 4. Let registration be Get Registration.
        match get_registration(&inner, &job.storage_key, &job.scope_url) {
            // Step 5. A registration whose newest worker has the same script URL, type and
            // update via cache mode: resolve with it.
            Some(id) => {
                let reg = &inner.registrations[&id];
                let same = get_newest_worker(reg)
                    .and_then(|w| inner.workers.get(&w))
                    .is_some_and(|w| {
                        w.script_url == *script_url
                            && w.worker_type == job.worker_type
                            && reg.update_via_cache == job.update_via_cache
                    });
                if same {
                    drop(inner);
                    resolve_job_promise(shared, scope, JobValue::Registration(id));
                    return After::Nothing;
                }
            }
            // Step 6. Else, Set Registration.
            None => {
                set_registration(
                    shared,
                    &mut inner,
                    &job.storage_key,
                    &job.scope_url,
                    job.update_via_cache,
                );
            }
        }
    }
    // Step 7. Invoke Update.
    update(shared, scope, job)
}

/// The fetched script of an update.
struct FetchedScript {
    body: Vec<u8>,
    csp: Vec<String>,
    content_type: String,
}

/// <https://w3c.github.io/ServiceWorker/#update-algorithm>
pub(super) fn update(shared: &Arc<Shared>, scope: &str, job: &Job) -> After {
    let Some(script_url) = job.script_url.clone() else {
        reject_job_promise(shared, scope, JobError::Type("no script URL".into()));
        return After::Nothing;
    };
    // Steps 1-2. Let registration be Get Registration; null rejects with a TypeError.
    let (registration, newest, (newest_script, newest_imports, newest_type), reg_scope) = {
        let inner = shared.inner.lock();
        let Some(id) = get_registration(&inner, &job.storage_key, &job.scope_url) else {
            drop(inner);
            reject_job_promise(
                shared,
                scope,
                JobError::Type("the registration was unregistered".into()),
            );
            return After::Nothing;
        };
        let reg = &inner.registrations[&id];
        // Step 3. Let newestWorker be Get Newest Worker.
        let newest = get_newest_worker(reg);
        let newest_script = newest
            .and_then(|w| inner.workers.get(&w))
            .map(|w| (w.script_url.clone(), w.script.clone()));
        let newest_type = newest
            .and_then(|w| inner.workers.get(&w))
            .map(|w| w.worker_type);
        let imports: Vec<(Url, Vec<u8>)> = newest
            .and_then(|w| inner.workers.get(&w))
            .map(|w| {
                w.script_resource_map
                    .iter()
                    .skip(1)
                    .map(|(u, b, _)| (u.clone(), b.clone()))
                    .collect()
            })
            .unwrap_or_default();
        (
            id,
            newest,
            (newest_script, imports, newest_type),
            reg.scope.clone(),
        )
    };
    // Step 4. An update job must be for the newest worker's script URL.
    if job.job_type == JobType::Update {
        if let Some((newest_url, _)) = &newest_script {
            if *newest_url != script_url {
                reject_job_promise(
                    shared,
                    scope,
                    JobError::Type("the script URL changed since the update was asked".into()),
                );
                return After::Nothing;
            }
        }
    }
    // Steps 5-7. Fetch a classic worker script with the perform the fetch hook.
    let fetched = fetch_service_worker_script(shared, job, &script_url, &reg_scope);
    // Step 8. No script: reject (with the hook's SecurityError, or a TypeError); a
    // registration that never had a worker is removed (first, so a page that sees the
    // rejection no longer finds it).
    let script = match fetched {
        Ok(script) => {
            // The perform the fetch hook: the last update check time is now.
            let mut inner = shared.inner.lock();
            if let Some(r) = inner.registrations.get_mut(&registration) {
                r.last_update_check = Some(std::time::SystemTime::now());
            }
            drop(inner);
            script
        }
        Err(error) => {
            if newest.is_none() {
                remove_from_map(shared, &mut shared.inner.lock(), registration);
            }
            reject_job_promise(shared, scope, error);
            try_clear_registration(shared, registration);
            return After::Nothing;
        }
    };
    // Steps 8.21-8.22 and 9. The same bytes at the same URL, and every imported script of
    // the newest worker the same too: nothing to update.
    let has_updated_resources = match &newest_script {
        None => true,
        Some((url, bytes)) => {
            *url != script_url
                || *bytes != script.body
                || newest_type != Some(job.worker_type)
                || imported_scripts_changed(shared, job, &newest_imports)
        }
    };
    if !has_updated_resources {
        let mut inner = shared.inner.lock();
        if let Some(r) = inner.registrations.get_mut(&registration) {
            r.update_via_cache = job.update_via_cache;
        }
        super::persistence::store_registration(shared, &inner, registration);
        drop(inner);
        resolve_job_promise(shared, scope, JobValue::Registration(registration));
        return After::Nothing;
    }
    // Steps 10-13. A new service worker with the fetched script.
    let worker = {
        let mut inner = shared.inner.lock();
        let id = super::persistence::new_id(shared, &mut inner);
        inner.workers.insert(
            id,
            ServiceWorker {
                registration,
                script_url: script_url.clone(),
                worker_type: job.worker_type,
                state: WorkerState::Parsed,
                skip_waiting: false,
                pending_events: 0,
                script: script.body.clone(),
                script_resource_map: vec![(
                    script_url.clone(),
                    script.body.clone(),
                    script.content_type.clone(),
                )],
                csp: script.csp.clone(),
                event_types: None,
                global: None,
                last_activity: std::time::Instant::now(),
            },
        );
        id
    };
    // Steps 14-16. Run Service Worker; failure or an abrupt completion rejects with a
    // TypeError.
    if let Err(e) = run_service_worker(shared, job, worker, registration, &script) {
        log::warn!(target: "script", "service worker {script_url} did not start: {e}");
        // (The registration goes first, so a page that sees the rejection no longer finds it.)
        let global = {
            let mut inner = shared.inner.lock();
            if newest.is_none() {
                remove_from_map(shared, &mut inner, registration);
            }
            inner.workers.remove(&worker).and_then(|w| w.global)
        };
        reject_job_promise(
            shared,
            scope,
            JobError::Type(format!(
                "the service worker script '{script_url}' failed: {e}"
            )),
        );
        terminate_service_worker(global);
        try_clear_registration(shared, registration);
        return After::Nothing;
    }
    // Step 17. Install.
    install(shared, scope, job, worker, registration)
}

/// Update's fetch of the main script ("fetch a classic worker script" with Service Workers'
/// perform the fetch hook). The error is what the job promise is rejected with: a
/// SecurityError when the MIME type or the scope is not allowed, else a TypeError.
fn fetch_service_worker_script(
    shared: &Shared,
    job: &Job,
    script_url: &Url,
    scope_url: &Url,
) -> Result<FetchedScript, JobError> {
    let failed = |why: String| {
        log::warn!(target: "script", "service worker script {script_url}: {why}");
        JobError::Type(format!(
            "the service worker script '{script_url}' failed to load ({why})"
        ))
    };
    let fetcher = job
        .inherited
        .as_ref()
        .and_then(|i| i.fetcher.clone())
        .ok_or_else(|| failed("this client has no network access".into()))?;
    let mut request = RequestData::get(script_url.as_str());
    // Hook step 1. Append `Service-Worker: script`.
    request.headers.push((
        net_traits::ByteString(b"Service-Worker".to_vec()),
        net_traits::ByteString(b"script".to_vec()),
    ));
    // Hook step 2. No HTTP cache is used by this engine, so "no-cache" changes nothing.
    request.cache = net_traits::CacheMode::NoCache;
    request.mode = RequestMode::SameOrigin;
    request.credentials = CredentialsMode::SameOrigin;
    request.destination = Destination::ServiceWorker;
    // Hook step 5. The top-level script may not redirect.
    request.redirect = net_traits::RedirectMode::Error;
    let (meta, body) = crate::dom::workerglobalscope::fetch_whole(
        &fetcher,
        FetchRequest {
            request,
            origin: job.storage_key.clone(),
            secure_context: true,
            unsafe_response: true,
            cancel: Default::default(),
        },
        || shared.inner.lock().shut_down,
    )
    .map_err(failed)?;
    // HTML "fetch a classic worker script": a status that is not ok is a network error.
    if !meta.ok() {
        return Err(failed(format!("status {}", meta.status)));
    }
    let header = |name: &str| meta.header_values(name).into_iter().next();
    // Hook step 7. The MIME type must be a JavaScript MIME type, else SecurityError.
    let content_type = header("content-type").unwrap_or_default();
    if !crate::dom::workerglobalscope::is_javascript_mime_type(&content_type) {
        return Err(JobError::Security(format!(
            "the service worker script's MIME type '{content_type}' is not a JavaScript MIME type"
        )));
    }
    // Hook steps 8-16. Service-Worker-Allowed sets the maximum scope (default: the
    // script's directory); the scope must be under it.
    let max_scope = match header("service-worker-allowed") {
        None => script_url.join("./").ok().map(|u| u.path().to_string()),
        Some(allowed) => match script_url.join(&allowed) {
            Err(_) => {
                return Err(failed(format!(
                    "Service-Worker-Allowed '{allowed}' is not a URL"
                )))
            }
            Ok(u) if origin_of(&u) == origin_of(script_url) => Some(u.path().to_string()),
            Ok(_) => None,
        },
    };
    let scope_path = scope_url.path();
    if !max_scope.is_some_and(|m| scope_path.starts_with(&m)) {
        return Err(JobError::Security(format!(
                "the scope '{scope_url}' is not under the script's allowed scope (use Service-Worker-Allowed)"
            )));
    }
    let csp = meta.header_values("content-security-policy");
    Ok(FetchedScript {
        body,
        csp,
        content_type,
    })
}

/// Update, step 8.21: fetches each script the newest worker imported again; a bad
/// response is ignored (issue #1374), a different one is an update.
fn imported_scripts_changed(shared: &Shared, job: &Job, imports: &[(Url, Vec<u8>)]) -> bool {
    let Some(fetcher) = job.inherited.as_ref().and_then(|i| i.fetcher.clone()) else {
        return false;
    };
    imports.iter().any(|(url, old)| {
        let mut request = RequestData::get(url.as_str());
        request.mode = RequestMode::NoCors;
        request.credentials = CredentialsMode::Include;
        request.destination = Destination::Script;
        request.cache = net_traits::CacheMode::NoCache;
        let fetched = crate::dom::workerglobalscope::fetch_whole(
            &fetcher,
            FetchRequest {
                request,
                origin: job.storage_key.clone(),
                secure_context: true,
                unsafe_response: true,
                cancel: Default::default(),
            },
            || shared.inner.lock().shut_down,
        );
        match fetched {
            Ok((meta, body)) if meta.ok() => {
                // (Stored decoded as UTF-8, as importScripts ran it.)
                let now = encoding_rs::UTF_8
                    .decode_with_bom_removal(&body)
                    .0
                    .into_owned();
                now.as_bytes() != old.as_slice()
            }
            _ => false,
        }
    })
}

/// <https://w3c.github.io/ServiceWorker/#run-service-worker-algorithm> for the worker an
/// update job just made: its settings come from the job's client.
fn run_service_worker(
    shared: &Shared,
    job: &Job,
    worker: WorkerId,
    registration: RegistrationId,
    script: &FetchedScript,
) -> Result<(), String> {
    let inherited = job
        .inherited
        .as_ref()
        .ok_or_else(|| "no client to inherit settings from".to_string())?;
    let script_url = job.script_url.as_ref().expect("checked by update");
    start_service_worker(
        shared,
        inherited,
        (registration, worker),
        script_url,
        job.worker_type,
        script.csp.clone(),
        &script.body,
    )
    .map(|_| ())
}

/// Run Service Worker, steps 8-11: the service worker's global on a thread of its own,
/// with `inherited`'s settings, running the main script `body`; the global once the script
/// ran. Errors describe why it did not run.
pub(super) fn start_service_worker(
    shared: &Shared,
    inherited: &crate::workers::Inherited,
    (registration, worker): (RegistrationId, WorkerId),
    script_url: &url::Url,
    worker_type: super::ScriptType,
    csp: Vec<String>,
    body: &[u8],
) -> Result<Arc<GlobalHandle>, String> {
    let origin = origin_of(script_url);
    let mut options = inherited.worker_options(
        GlobalKind::ServiceWorkerGlobalScope,
        script_url.as_str(),
        &origin,
        "",
        None,
    );
    options.content_security_policy = csp;
    options.service_worker = Some((registration, worker));
    // Step 8. Setup ServiceWorkerGlobalScope: the global, on a thread of its own.
    let handle = Arc::new(GlobalHandle::spawn(options)?);
    {
        let mut inner = shared.inner.lock();
        if inner.shut_down {
            drop(inner);
            terminate_service_worker(Some(handle));
            return Err("the user agent is shutting down".into());
        }
        match inner.workers.get_mut(&worker) {
            Some(w) => {
                w.global = Some(handle.clone());
                w.last_activity = Instant::now();
            }
            None => return Err("the service worker was removed".into()),
        }
    }
    // Step 9.4. Run the classic script, or the module script (its imported modules come
    // from the script resource map, or are fetched into it before installation; credentials
    // "omit", as Update fetches them).
    let (source, _) = encoding_rs::UTF_8.decode_with_bom_removal(body);
    let ran = match worker_type {
        super::ScriptType::Classic => handle.start_script(&source, script_url.as_str()),
        super::ScriptType::Module => handle.start_module(
            &source,
            script_url.as_str(),
            crate::module_scripts::ModuleFetchOptions {
                destination: net_traits::Destination::ServiceWorker,
                credentials: net_traits::CredentialsMode::Omit,
            },
        ),
    };
    // Steps 10-11. Wait for it to have run; a script that did not is a failure.
    match wait_for_worker(shared, &handle, &ran, "script") {
        Some(Ok(_)) => {
            record_event_types(shared, worker, &handle);
            Ok(handle)
        }
        Some(Err(e)) => Err(e.to_string()),
        None => Err("the script did not finish running".into()),
    }
}

/// Run Service Worker, step 12.4: after the script was first evaluated, the event types
/// its global has listeners for are the worker's set of event types to handle (events of
/// other types are not dispatched: a worker without fetch listeners is not started for
/// fetches).
fn record_event_types(shared: &Shared, worker: WorkerId, handle: &GlobalHandle) {
    let known = shared
        .inner
        .lock()
        .workers
        .get(&worker)
        .is_none_or(|w| w.event_types.is_some());
    if known {
        return;
    }
    let types = handle.with(|ctx| {
        crate::dom::globalscope::GlobalScope::current(ctx)
            .map(|g| crate::dom::globalscope::GlobalScope::as_event_target(&g).listener_types())
    });
    if let Ok(Some(types)) = types {
        if let Some(w) = shared.inner.lock().workers.get_mut(&worker) {
            w.event_types = Some(types);
        }
    }
}

/// <https://w3c.github.io/ServiceWorker/#terminate-service-worker-algorithm>, given the
/// service worker's global, which the caller took out of the registry under the lock (this
/// runs once the lock is released).
pub(super) fn terminate_service_worker(global: Option<Arc<GlobalHandle>>) {
    if let Some(g) = global {
        g.request_shutdown();
    }
}

/// Waits for a service worker's answer on `rx`, giving up (and interrupting the script it
/// runs) after the registry's event lifetime or when the registry shuts down. `None`: no
/// answer.
pub(super) fn wait_for_worker<T>(
    shared: &Shared,
    global: &GlobalHandle,
    rx: &crossbeam_channel::Receiver<T>,
    what: &str,
) -> Option<T> {
    let deadline = Instant::now() + shared.settings.event_lifetime;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(v) => return Some(v),
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return None,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if shared.inner.lock().shut_down {
                    return None;
                }
                if Instant::now() > deadline {
                    log::warn!(target: "script", "the service worker's {what} timed out");
                    global.interrupt();
                    return None;
                }
            }
        }
    }
}
