//! Service worker clients and messages: the environments the registry knows (added as a
//! global starts; removed as it goes, which is Handle Service Worker Client Unload), what a
//! service worker's `clients` and `skipWaiting()` do in parallel, Notify Controller Change,
//! and `postMessage()` between clients and service workers.

use super::lifecycle::try_activate;
use super::registry::{
    match_service_worker_registration, spawn_helper, unavailable, worker_snapshot, Environment,
    ServiceWorkerContext, Shared,
};
use super::unregister::try_clear_registration;
use super::{
    ClientSnapshot, EnvironmentInfo, EnvironmentKind, JobError, MessageSource, RegistrationId,
    WorkerId, WorkerSnapshot,
};
use crate::dom::bindings::structuredclone::Serialized;
use parking_lot::Mutex;
use std::sync::Arc;

impl ServiceWorkerContext {
    /// A new environment settings object `id` (also its client id), once its global is set
    /// up.
    pub fn add_environment(&self, id: String, info: EnvironmentInfo) {
        if let Some(shared) = self.shared() {
            shared.inner.lock().environments.push(Environment {
                id,
                kind: info.kind,
                creator: info.creator,
                url: info.url,
                origin: info.origin,
                secure_context: info.secure_context,
                tasks: info.tasks,
                active_worker: None,
                ancestor_origins: info.ancestor_origins,
            });
        }
    }

    /// The ancestor origins a window environment was created with (a frame's window).
    pub fn environment_ancestor_origins(&self, id: &str) -> Option<Vec<String>> {
        let shared = self.shared()?;
        let inner = shared.inner.lock();
        inner
            .environments
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.ancestor_origins.clone())
    }

    /// Queues `f` as a task on the global of the client `id` (in its realm); false if there
    /// is no such client.
    pub fn queue_on_client(
        &self,
        id: &str,
        f: impl for<'js> FnOnce(&rquickjs::Ctx<'js>) + Send + 'static,
    ) -> bool {
        let tasks = self.shared().and_then(|s| {
            let inner = s.inner.lock();
            inner
                .environments
                .iter()
                .find(|e| e.id == id && e.kind != EnvironmentKind::ServiceWorker)
                .map(|e| e.tasks.clone())
        });
        tasks.is_some_and(|t| t.queue(f))
    }

    /// The client `id`'s window loaded a document at `url` (its creation URL from now on).
    pub fn set_environment_url(&self, id: &str, url: String) {
        if let Some(shared) = self.shared() {
            if let Some(e) = shared
                .inner
                .lock()
                .environments
                .iter_mut()
                .find(|e| e.id == id)
            {
                e.url = url;
            }
        }
    }

    /// The environment went away (its global shut down): Handle Service Worker Client Unload.
    pub fn remove_environment(&self, id: &str) {
        let Some(shared) = self.shared() else {
            return;
        };
        let registration = {
            let mut inner = shared.inner.lock();
            let Some(i) = inner.environments.iter().position(|e| e.id == id) else {
                return;
            };
            let env = inner.environments.remove(i);
            // Handle Service Worker Client Unload, step 2: the registration it was using.
            env.active_worker
                .and_then(|w| inner.workers.get(&w))
                .map(|w| w.registration)
        };
        // Handle Service Worker Client Unload, steps 3-6: the registration this client was
        // using may now be cleared (if unregistered) or its waiting worker activated.
        handle_service_worker_client_unload(&shared, registration.into_iter().collect());
    }

    /// A client's active service worker (`controller`), with the sequence number it
    /// reflects.
    pub fn active_worker_of(&self, client_id: &str) -> Option<(WorkerSnapshot, u64)> {
        let shared = self.0.upgrade()?;
        let inner = shared.inner.lock();
        let env = inner.environments.iter().find(|e| e.id == client_id)?;
        worker_snapshot(&inner, env.active_worker?).map(|w| (w, inner.seq))
    }

    /// The clients a service worker's `clients.get()`/`matchAll()` can see: same storage key
    /// as its registration, not service workers; with `id`, only that one. Windows first,
    /// then workers, each in creation order (no window has ever been focused here).
    pub fn clients(
        &self,
        worker: WorkerId,
        id: Option<&str>,
        include_uncontrolled: bool,
    ) -> Vec<ClientSnapshot> {
        let Some(shared) = self.shared() else {
            return Vec::new();
        };
        let inner = shared.inner.lock();
        let Some(storage_key) = inner
            .workers
            .get(&worker)
            .and_then(|w| inner.registrations.get(&w.registration))
            .map(|r| r.storage_key.clone())
        else {
            return Vec::new();
        };
        let mut windows = Vec::new();
        let mut others = Vec::new();
        for env in &inner.environments {
            if env.kind == EnvironmentKind::ServiceWorker || env.origin != storage_key {
                continue;
            }
            if id.is_some_and(|id| id != env.id) {
                continue;
            }
            // matchAll: secure contexts only; controlled by this worker unless
            // includeUncontrolled.
            if id.is_none()
                && (!env.secure_context
                    || (!include_uncontrolled && env.active_worker != Some(worker)))
            {
                continue;
            }
            let c = ClientSnapshot {
                id: env.id.clone(),
                url: env.url.clone(),
                kind: env.kind,
                ancestor_origins: env.ancestor_origins.clone(),
            };
            if env.kind == EnvironmentKind::Window {
                windows.push(c)
            } else {
                others.push(c)
            }
        }
        windows.extend(others);
        windows
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-clients-claim>, steps 1 and 3.1 (the caller
    /// resolves the promise in a task afterwards).
    pub fn claim(&self, worker: WorkerId) -> Result<(), JobError> {
        let shared = self.shared().ok_or_else(unavailable)?;
        let mut previous = Vec::new();
        {
            let mut inner = shared.inner.lock();
            let inner = &mut *inner;
            let Some(registration) = inner.workers.get(&worker).map(|w| w.registration) else {
                return Err(JobError::InvalidState("the service worker is gone".into()));
            };
            // Step 1. If the service worker is not an active worker, InvalidStateError.
            let is_active = inner
                .registrations
                .get(&registration)
                .is_some_and(|r| r.active == Some(worker));
            if !is_active {
                return Err(JobError::InvalidState(
                    "claim() from a service worker that is not active".into(),
                ));
            }
            let storage_key = inner.registrations[&registration].storage_key.clone();
            // Step 3.1. For each client of the same storage key ...
            let matches: Vec<(usize, Option<RegistrationId>)> = inner
                .environments
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.kind != EnvironmentKind::ServiceWorker
                        && e.origin == storage_key
                        && e.secure_context
                })
                .map(|(i, e)| {
                    (
                        i,
                        match_service_worker_registration(inner, &storage_key, &e.url),
                    )
                })
                .collect();
            for (i, matched) in matches {
                // Step 3.1.5. ... whose matching registration is this one ...
                if matched != Some(registration) {
                    continue;
                }
                let env = &mut inner.environments[i];
                // Step 3.1.6. ... and that another worker (or none) controls: take it over.
                if env.active_worker != Some(worker) {
                    if let Some(old) = env.active_worker {
                        previous.push(old);
                    }
                    env.active_worker = Some(worker);
                    // Step 3.1.6.3. Notify Controller Change.
                    notify_controller_change(env);
                }
            }
        }
        // Step 3.1.6.1. Handle Service Worker Client Unload for the registrations the clients
        // left (after they changed hands, not before).
        let registrations: Vec<RegistrationId> = {
            let inner = shared.inner.lock();
            previous
                .iter()
                .filter_map(|w| inner.workers.get(w).map(|w| w.registration))
                .collect()
        };
        handle_service_worker_client_unload(&shared, registrations);
        Ok(())
    }

    /// <https://w3c.github.io/ServiceWorker/#dom-serviceworkerglobalscope-skipwaiting>, the
    /// in-parallel steps 2.1-2.2; `done` runs afterwards (it queues the resolving task).
    pub fn skip_waiting(&self, worker: WorkerId, done: impl FnOnce() + Send + 'static) {
        let Some(shared) = self.shared() else {
            done();
            return;
        };
        let done = std::sync::Arc::new(Mutex::new(Some(done)));
        let run_done = done.clone();
        let spawned = spawn_helper(&shared, "skip-waiting", move |shared| {
            // Step 2.1. Set the service worker's skip waiting flag.
            let registration = {
                let mut inner = shared.inner.lock();
                inner.workers.get_mut(&worker).map(|w| {
                    w.skip_waiting = true;
                    w.registration
                })
            };
            // Step 2.2. Try Activate its registration.
            if let Some(r) = registration {
                try_activate(shared, r);
            }
            // Step 2.3 is `done`'s.
            if let Some(done) = run_done.lock().take() {
                done();
            }
        });
        if !spawned {
            if let Some(done) = done.lock().take() {
                done();
            }
        }
    }

    /// ServiceWorker.postMessage's in-parallel steps: queue the message on the service
    /// worker's event loop (dropped if it is no longer running).
    pub fn post_to_worker(
        &self,
        worker: WorkerId,
        message: Serialized,
        source: MessageSource,
        origin: String,
    ) {
        // The task is queued under the lock: the global's handle never leaves the registry
        // here, so a worker posting to itself can never end up joining its own thread.
        let mut message = Some(message);
        let Some(shared) = self.shared() else {
            if let Some(message) = message {
                message.dispose();
            }
            return;
        };
        {
            let mut inner = shared.inner.lock();
            if let Some(w) = inner.workers.get_mut(&worker) {
                w.last_activity = std::time::Instant::now();
            }
            if let Some(global) = inner.workers.get(&worker).and_then(|w| w.global.as_ref()) {
                let message = message.take().expect("not taken yet");
                global.queue(move |ctx| {
                    crate::dom::serviceworkerglobalscope::deliver_message(
                        ctx, message, source, origin,
                    )
                });
                return;
            }
        }
        // Not running: it starts (a message is due for it), then gets the message.
        let Some(message) = message else {
            return;
        };
        let started =
            spawn_helper(
                &shared,
                "sw-start",
                move |shared| match super::running::ensure_running(shared, worker) {
                    Ok(global) => {
                        global.queue(move |ctx| {
                            crate::dom::serviceworkerglobalscope::deliver_message(
                                ctx, message, source, origin,
                            )
                        });
                    }
                    Err(e) => {
                        log::warn!(target: "script", "a message for a service worker is lost: {e}");
                        message.dispose();
                    }
                },
            );
        if !started {
            log::warn!(target: "script", "a message for a service worker is lost");
        }
    }

    /// Client.postMessage's in-parallel steps: add the message to the target client's
    /// client message queue (dropped if the client is gone).
    pub fn post_to_client(
        &self,
        client_id: &str,
        message: Serialized,
        from: WorkerId,
        origin: String,
    ) {
        let target = self.shared().and_then(|s| {
            let inner = s.inner.lock();
            inner
                .environments
                .iter()
                .find(|e| e.id == client_id && e.kind != EnvironmentKind::ServiceWorker)
                .map(|e| e.tasks.clone())
        });
        let Some(tasks) = target else {
            message.dispose();
            return;
        };
        let source = self.worker(from).map(|(w, _)| w);
        tasks.queue(move |ctx| {
            crate::dom::serviceworkercontainer::receive_client_message(ctx, message, source, origin)
        });
    }
}

/// <https://w3c.github.io/ServiceWorker/#on-client-unload-algorithm>, from step 3, in
/// parallel (on a helper thread): `registrations` are the ones that clients which went
/// away, or took another active worker, were using (step 2, which the caller read under
/// the lock as it let them go).
pub(super) fn handle_service_worker_client_unload(
    shared: &Arc<Shared>,
    registrations: Vec<RegistrationId>,
) {
    // Step 3. No registration: nothing to do.
    if registrations.is_empty() {
        return;
    }
    spawn_helper(shared, "client-unload", move |shared| {
        for registration in registrations {
            // Step 4 is not checked here: Try Clear Registration does nothing while a client
            // uses the registration, and Try Activate waits for that too unless
            // skipWaiting() was called.
            // Step 5. Try Clear Registration (it does nothing to a registration that is
            // still registered).
            try_clear_registration(shared, registration);
            // Step 6. Try Activate.
            try_activate(shared, registration);
        }
    });
}

/// <https://w3c.github.io/ServiceWorker/#notify-controller-change-algorithm>: a task on
/// the client's event loop fires `controllerchange` at its `ServiceWorkerContainer` (every
/// client here is an environment settings object).
pub(super) fn notify_controller_change(client: &Environment) {
    client
        .tasks
        .queue(crate::dom::serviceworkercontainer::controller_change);
}

/// What importScripts() of a service worker does with a URL (its perform the fetch hook).
pub enum ImportedScript {
    /// The script resource map has it: run these bytes.
    Stored(Vec<u8>),
    /// Fetch it (the worker is parsed or installing), then give it to
    /// [`ServiceWorkerContext::store_imported_script`].
    Fetch,
    /// A network error: the worker is installed and the map does not have it.
    Refused,
}

impl ServiceWorkerContext {
    /// <https://w3c.github.io/ServiceWorker/#importscripts>, steps 1-6 of the perform the
    /// fetch hook: from the worker's script resource map, or to be fetched while it is
    /// parsed or installing.
    pub fn imported_script(&self, worker: WorkerId, url: &url::Url) -> ImportedScript {
        let Some(shared) = self.shared() else {
            return ImportedScript::Refused;
        };
        let inner = shared.inner.lock();
        let Some(w) = inner.workers.get(&worker) else {
            return ImportedScript::Refused;
        };
        let stored = w
            .script_resource_map
            .iter()
            .find(|(u, _, _)| u == url)
            .map(|(_, body, _)| body.clone());
        // Step 4. Once installed, only what the map has.
        // Step 5. While parsed or installing, what the map has, else a fetch.
        match (stored, w.state) {
            (Some(body), _) => ImportedScript::Stored(body),
            (None, super::WorkerState::Parsed | super::WorkerState::Installing) => {
                ImportedScript::Fetch
            }
            (None, _) => ImportedScript::Refused,
        }
    }

    /// The perform the fetch hook, steps 10-13: a fetched imported script joins the script
    /// resource map (and is kept across restarts with the worker).
    pub fn store_imported_script(
        &self,
        worker: WorkerId,
        url: &url::Url,
        body: Vec<u8>,
        content_type: String,
    ) {
        if let Some(shared) = self.shared() {
            let mut inner = shared.inner.lock();
            if let Some(w) = inner.workers.get_mut(&worker) {
                if !w.script_resource_map.iter().any(|(u, _, _)| u == url) {
                    w.script_resource_map
                        .push((url.clone(), body, content_type));
                }
            }
        }
    }
}
