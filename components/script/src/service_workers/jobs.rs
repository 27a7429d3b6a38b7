//! Jobs and job queues (Appendix A, "Algorithms", from Create Job to Start Register): a job
//! is scheduled on the queue of its scope, and each queue runs its jobs one after another
//! on a thread of its own. Also what schedules jobs: `register()` (Start Register),
//! `ServiceWorkerRegistration.update()` and `unregister()`.

use super::lifecycle::try_activate;
use super::register::{register, update};
use super::registry::{
    get_newest_worker, snapshot, spawn_helper, unavailable, Inner, ServiceWorkerContext, Shared,
};
use super::unregister::unregister;
use super::{
    JobClient, JobError, JobOutcome, RegisterRequest, RegistrationId, ScriptType, UpdateViaCache,
    WorkerId, WorkerState,
};
use crate::workers::Inherited;
use std::sync::Arc;
use url::Url;

/// <https://w3c.github.io/ServiceWorker/#dfn-job-type>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JobType {
    Register,
    Update,
    Unregister,
}

/// <https://w3c.github.io/ServiceWorker/#dfn-job>
#[derive(Clone)]
pub(super) struct Job {
    pub(super) job_type: JobType,
    pub(super) storage_key: String,
    pub(super) scope_url: Url,
    pub(super) script_url: Option<Url>,
    pub(super) worker_type: ScriptType,
    pub(super) update_via_cache: UpdateViaCache,
    pub(super) client: Option<JobClient>,
    pub(super) referrer: Option<Url>,
    /// What a service worker started by this job inherits from the job's client.
    pub(super) inherited: Option<Inherited>,
    /// The list of equivalent jobs (their clients).
    equivalent: Vec<JobClient>,
    /// The job promise has settled.
    settled: bool,
}

impl Job {
    /// <https://w3c.github.io/ServiceWorker/#dfn-job-equivalent>
    fn is_equivalent(&self, other: &Job) -> bool {
        self.job_type == other.job_type
            && match self.job_type {
                JobType::Register | JobType::Update => {
                    self.scope_url == other.scope_url
                        && self.script_url == other.script_url
                        && self.worker_type == other.worker_type
                        && self.update_via_cache == other.update_via_cache
                }
                JobType::Unregister => self.scope_url == other.scope_url,
            }
    }
}

/// What a job's algorithm leaves to do after Finish Job.
pub(super) enum After {
    Nothing,
    TryActivate(RegistrationId),
}

/// <https://w3c.github.io/ServiceWorker/#create-job-algorithm>, steps 1-7 (the job promise
/// is `client`'s). Step 8, the referrer, is left to the caller: only Register reads it, and
/// `register()` passes the one it was given.
fn create_job(
    job_type: JobType,
    storage_key: String,
    scope_url: Url,
    script_url: Option<Url>,
    client: Option<JobClient>,
) -> Job {
    Job {
        job_type,
        storage_key,
        scope_url,
        script_url,
        worker_type: ScriptType::Classic,
        update_via_cache: UpdateViaCache::Imports,
        client,
        referrer: None,
        inherited: None,
        equivalent: Vec::new(),
        settled: false,
    }
}

impl ServiceWorkerContext {
    /// <https://w3c.github.io/ServiceWorker/#start-register-algorithm>, from the step after
    /// the URLs were parsed (the caller checked the script URL parsed).
    pub fn start_register(&self, request: RegisterRequest) -> Result<(), JobError> {
        let mut script_url = request.script_url;
        // Step 2. Set scriptURL's fragment to null.
        script_url.set_fragment(None);
        // Steps 3-4. The script URL is http(s), with no escaped slash or backslash in its
        // path.
        check_http_url(&script_url, "script URL")?;
        // Steps 5-6. The scope defaults to "./" against the script URL.
        let mut scope_url = match request.scope_url {
            Some(u) => u,
            None => script_url
                .join("./")
                .map_err(|_| JobError::Type("cannot resolve the default scope".into()))?,
        };
        // Step 7. Set scopeURL's fragment to null.
        scope_url.set_fragment(None);
        // Steps 8-9. The scope URL is http(s), with no escaped slash or backslash in its
        // path.
        check_http_url(&scope_url, "scope URL")?;
        // Steps 10-15. Create the job and schedule it.
        let shared = self.shared().ok_or_else(unavailable)?;
        let _ = request.client_id;
        // Steps 10-11. Create Job with the storage key the caller obtained.
        let job = create_job(
            JobType::Register,
            request.storage_key,
            scope_url,
            Some(script_url),
            Some(request.client),
        );
        // Steps 12-14. The job's worker type, update via cache mode and referrer; and what
        // its service worker inherits from the client.
        let job = Job {
            worker_type: request.worker_type,
            update_via_cache: request.update_via_cache,
            referrer: Some(request.referrer),
            inherited: Some(request.inherited),
            ..job
        };
        // Step 15. Schedule Job.
        schedule_job(&shared, job);
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#service-worker-registration-update>, steps 2-9
    /// (`calling_worker`: the service worker whose global calls it, if any).
    pub fn update(
        &self,
        registration: RegistrationId,
        calling_worker: Option<WorkerId>,
        client: JobClient,
        inherited: Inherited,
    ) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        let job = {
            let inner = shared.inner.lock();
            let reg = inner
                .registrations
                .get(&registration)
                .ok_or_else(|| JobError::InvalidState("the registration is gone".into()))?;
            // Steps 2-3. Let newestWorker be Get Newest Worker; if null, InvalidStateError.
            let newest = get_newest_worker(reg).ok_or_else(|| {
                JobError::InvalidState("the registration has no service worker".into())
            })?;
            // Step 4. A service worker may not update its registration while installing.
            if let Some(w) = calling_worker.and_then(|w| inner.workers.get(&w)) {
                if w.state == WorkerState::Installing {
                    return Err(JobError::InvalidState(
                        "update() while the service worker is installing".into(),
                    ));
                }
            }
            // Steps 5-7. Create an update job with the newest worker's script URL and type.
            Job {
                worker_type: inner
                    .workers
                    .get(&newest)
                    .map_or(ScriptType::Classic, |w| w.worker_type),
                update_via_cache: reg.update_via_cache,
                inherited: Some(inherited),
                ..create_job(
                    JobType::Update,
                    reg.storage_key.clone(),
                    reg.scope.clone(),
                    inner.workers.get(&newest).map(|w| w.script_url.clone()),
                    Some(client),
                )
            }
        };
        // Step 8. Schedule Job.
        schedule_job(&shared, job);
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-unregister>: an
    /// unregister job for the registration's storage key and scope (a registration that is
    /// already gone resolves with false).
    pub fn unregister(
        &self,
        storage_key: &str,
        scope_url: Url,
        client: JobClient,
    ) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        // Steps 2-4. Create an unregister job and schedule it.
        schedule_job(
            &shared,
            create_job(
                JobType::Unregister,
                storage_key.to_string(),
                scope_url,
                None,
                Some(client),
            ),
        );
        Ok(())
    }
}

/// Steps 3-4 (the script URL) and 8-9 (the scope URL) of Start Register: `url`'s scheme must
/// be http or https and its path must not hold an escaped slash or backslash; else a
/// TypeError naming `which` URL it is.
fn check_http_url(url: &Url, which: &str) -> Result<(), JobError> {
    // Step 3 (8). The scheme must be http or https.
    if !matches!(url.scheme(), "http" | "https") {
        return Err(JobError::Type(format!(
            "the {which} '{url}' is not http: or https:"
        )));
    }
    // Step 4 (9). No escaped slash or backslash in its path.
    if has_escaped_slash(url) {
        return Err(JobError::Type(format!(
            "the {which} '{url}' has an escaped '/' or '\\' in its path"
        )));
    }
    Ok(())
}

fn has_escaped_slash(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.contains("%2f") || path.contains("%5c")
}

/// <https://w3c.github.io/ServiceWorker/#schedule-job-algorithm>
fn schedule_job(shared: &Arc<Shared>, job: Job) {
    let mut inner = shared.inner.lock();
    // Steps 2-4. The job queue of the job's scope.
    let job_scope = job.scope_url.to_string();
    let queue = inner.job_queues.entry(job_scope.clone()).or_default();
    // Step 5. An empty queue: enqueue the job and Run Job.
    if queue.is_empty() {
        queue.push_back(job);
        drop(inner);
        let scope = job_scope.clone();
        if !spawn_helper(shared, "jobs", move |shared| run_job(shared, scope)) {
            // No thread to run the queue: its job fails rather than waiting forever.
            reject_job_promise(shared, &job_scope, unavailable());
            shared.inner.lock().job_queues.remove(&job_scope);
        }
        return;
    }
    // Step 6. An equivalent job whose promise has not settled takes this one's client.
    let last = queue.back_mut().expect("not empty");
    if job.is_equivalent(last) && !last.settled {
        if let Some(client) = job.client {
            last.equivalent.push(client);
        }
    } else {
        queue.push_back(job);
    }
}

/// <https://w3c.github.io/ServiceWorker/#run-job-algorithm>, on the job queue's own thread
/// (it stands for both the task Run Job queues and the "in parallel" its job's algorithm
/// runs in): one job after another, until Finish Job leaves the queue empty.
fn run_job(shared: &Arc<Shared>, scope: String) {
    loop {
        // Steps 1 and 2.1. Let job be the first item in the job queue.
        let Some(job) = first_job(shared, &scope) else {
            return;
        };
        // Steps 2.2-2.4. Run Register, Update or Unregister, by the job's type.
        let after = match job.job_type {
            JobType::Register => register(shared, &scope, &job),
            JobType::Update => update(shared, &scope, &job),
            JobType::Unregister => unregister(shared, &scope, &job),
        };
        let more = finish_job(shared, &scope);
        if let After::TryActivate(r) = after {
            spawn_helper(shared, "activate", move |shared| try_activate(shared, r));
        }
        // Finish Job, step 4: a queue that is not empty runs its next job.
        if !more {
            return;
        }
    }
}

/// The job at the front of `scope`'s queue. `None` when there is none, or when the registry
/// is shutting down: then the queue's jobs are rejected and the queue is dropped.
fn first_job(shared: &Shared, scope: &str) -> Option<Job> {
    let mut inner = shared.inner.lock();
    match inner.job_queues.get(scope).and_then(|q| q.front()) {
        Some(job) if !inner.shut_down => Some(job.clone()),
        // Shutting down: the queue's jobs are rejected.
        _ => {
            let jobs = inner.job_queues.remove(scope).unwrap_or_default();
            for job in jobs.iter().filter(|j| !j.settled) {
                for client in job.client.iter().chain(job.equivalent.iter()) {
                    let promise = client.promise;
                    client.tasks.queue(move |ctx| {
                        crate::dom::serviceworkercontainer::settle_job_promise(
                            ctx,
                            promise,
                            JobOutcome::Failed(unavailable()),
                        )
                    });
                }
            }
            None
        }
    }
}

/// <https://w3c.github.io/ServiceWorker/#finish-job-algorithm> for the job at the front of
/// `scope`'s queue. A job's algorithm "invokes Finish Job" by returning to [`run_job`],
/// which calls this. Returns whether the queue has more jobs (step 4: the caller runs the
/// next one).
fn finish_job(shared: &Shared, scope: &str) -> bool {
    let mut inner = shared.inner.lock();
    // Steps 1-3. Dequeue; an empty queue is forgotten and its thread ends, in one step (a
    // job scheduled after that starts a new queue and its own thread).
    match inner.job_queues.get_mut(scope) {
        Some(queue) => {
            queue.pop_front();
            if queue.is_empty() {
                inner.job_queues.remove(scope);
                false
            } else {
                true
            }
        }
        None => false,
    }
}

/// Resolve Job Promise / Reject Job Promise for the job at the front of `scope`'s queue and
/// its equivalent jobs. `outcome` is computed under the lock (a registration snapshot).
fn settle_job(shared: &Shared, scope: &str, outcome: impl Fn(&Inner) -> JobOutcome) {
    let mut inner = shared.inner.lock();
    let value = outcome(&inner);
    let Some(job) = inner.job_queues.get_mut(scope).and_then(|q| q.front_mut()) else {
        return;
    };
    // A job promise settles once (a SecurityError rejection is not followed by a TypeError).
    if job.settled {
        return;
    }
    job.settled = true;
    // Steps 1-2. A task on the job's client's event loop, and on each equivalent job's.
    for client in job.client.iter().chain(job.equivalent.iter()) {
        let value = value.clone();
        let promise = client.promise;
        client.tasks.queue(move |ctx| {
            crate::dom::serviceworkercontainer::settle_job_promise(ctx, promise, value)
        });
    }
}

/// What a job promise is resolved with.
#[derive(Clone, Copy, Debug)]
pub(super) enum JobValue {
    /// The registration, as it is when the promise resolves.
    Registration(RegistrationId),
    Boolean(bool),
}

/// <https://w3c.github.io/ServiceWorker/#resolve-job-promise-algorithm> for the job at the
/// front of `scope`'s queue. A registration that is gone by then rejects the promise.
pub(super) fn resolve_job_promise(shared: &Shared, scope: &str, value: JobValue) {
    settle_job(shared, scope, |inner| match value {
        JobValue::Registration(registration) => match snapshot(inner, registration) {
            Some(s) => JobOutcome::Registration(s),
            None => JobOutcome::Failed(JobError::InvalidState("the registration is gone".into())),
        },
        JobValue::Boolean(value) => JobOutcome::Boolean(value),
    });
}

/// <https://w3c.github.io/ServiceWorker/#reject-job-promise-algorithm> for the job at the
/// front of `scope`'s queue.
pub(super) fn reject_job_promise(shared: &Shared, scope: &str, error: JobError) {
    settle_job(shared, scope, |_| JobOutcome::Failed(error.clone()));
}

/// A registration is stale when its last update check was more than a day ago
/// (<https://w3c.github.io/ServiceWorker/#dfn-stale>).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Soft Update after a functional event, when the registration is stale (24 hours since
/// its last update check).
pub(super) fn soft_update_if_stale(shared: &Arc<Shared>, registration: RegistrationId) {
    let stale = shared
        .inner
        .lock()
        .registrations
        .get(&registration)
        .is_some_and(is_stale);
    if stale {
        soft_update(shared, registration);
    }
}

/// <https://w3c.github.io/ServiceWorker/#dfn-stale>: more than 24 hours since the last
/// update check (or never checked).
pub(super) fn is_stale(registration: &super::registry::Registration) -> bool {
    registration
        .last_update_check
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age > STALE_AFTER)
}

/// <https://w3c.github.io/ServiceWorker/#soft-update-algorithm>: an update job without a
/// client (its worker settings are the registry's).
pub(super) fn soft_update(shared: &Arc<Shared>, registration: RegistrationId) {
    let job = {
        let inner = shared.inner.lock();
        let Some(reg) = inner.registrations.get(&registration) else {
            return;
        };
        // Steps 1-2. The newest worker; none: abort.
        let Some(newest) = super::registry::get_newest_worker(reg) else {
            return;
        };
        let Some(inherited) = shared.worker_defaults.lock().clone() else {
            return;
        };
        // Steps 3-4. An update job for the newest worker's script URL and type, with no
        // promise.
        Job {
            worker_type: inner
                .workers
                .get(&newest)
                .map_or(ScriptType::Classic, |w| w.worker_type),
            update_via_cache: reg.update_via_cache,
            inherited: Some(inherited),
            ..create_job(
                JobType::Update,
                reg.storage_key.clone(),
                reg.scope.clone(),
                inner.workers.get(&newest).map(|w| w.script_url.clone()),
                None,
            )
        }
    };
    log::info!(target: "script", "soft update of the registration of {}", job.scope_url);
    // Step 5. Schedule Job.
    schedule_job(shared, job);
}
