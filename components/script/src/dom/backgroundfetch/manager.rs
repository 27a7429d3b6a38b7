//! <https://wicg.github.io/background-fetch/#background-fetch-manager>

use crate::dom::backgroundfetch::connection;
use crate::dom::bindings::codegen::BackgroundFetchManagerBinding::BackgroundFetchManagerMethods;
use crate::dom::bindings::codegen::{BackgroundFetchOptions, RequestInfoOrRequestInfoSequence};
use crate::dom::bindings::codegen_prelude::*;

/// <https://wicg.github.io/background-fetch/#background-fetch-manager>
pub struct BackgroundFetchManager<'js> {
    /// (Its BackgroundFetchRegistration instances are the realm's, in the global's
    /// background fetch connection: one per background fetch, whichever manager asks.)
    _js: std::marker::PhantomData<&'js ()>,
    /// The service worker registration's id (`None`: a manager made outside a registration).
    registration: Option<u64>,
}

impl<'js> Trace<'js> for BackgroundFetchManager<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> BackgroundFetchManager<'js> {
    /// A manager for a service worker registration (`None`: not attached to one yet).
    pub fn new_inherited(registration: Option<u64>) -> BackgroundFetchManager<'js> {
        BackgroundFetchManager {
            _js: std::marker::PhantomData,
            registration,
        }
    }

    /// The arguments `fetch()` received after the synchronous steps, for inspection by the
    /// engine that performs the rest.
    pub fn registration(&self) -> Option<u64> {
        self.registration
    }
}

fn rejected<'js>(ctx: &Ctx<'js>, e: Error) -> Fallible<Promise<'js>> {
    let reason = crate::dom::bindings::error::error_value(ctx, e);
    let (promise, _, reject) = ctx.promise()?;
    reject.call::<_, ()>((reason,))?;
    Ok(promise)
}

fn resolved<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Fallible<Promise<'js>> {
    let (promise, resolve, _) = ctx.promise()?;
    resolve.call::<_, ()>((value,))?;
    Ok(promise)
}

impl<'js> BackgroundFetchManagerMethods<'js> for BackgroundFetchManager<'js> {
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-fetch>
    fn fetch(
        &self,
        cx: &Cx<'js>,
        id: DOMString,
        requests: RequestInfoOrRequestInfoSequence<'js>,
        options: BackgroundFetchOptions,
    ) -> Fallible<Promise<'js>> {
        // Step 1. Let registration be this's service worker registration.
        let registration = self.registration;
        // Step 4. If requests is a RequestInfo, set requests to « requests ».
        let requests = match requests {
            RequestInfoOrRequestInfoSequence::RequestInfo(r) => vec![r],
            RequestInfoOrRequestInfoSequence::RequestInfoSequence(list) => list,
        };
        // Step 5. If requests is empty, return a promise rejected with a TypeError.
        if requests.is_empty() {
            return rejected(&cx.ctx, Error::Type("requests must not be empty".into()));
        }
        // Step 6. For each request: the Request constructor's internal request (its
        // exception rejects); a no-cors request is a TypeError.
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx);
        let mut records = Vec::new();
        for request in requests {
            let init = crate::dom::request::empty_init(&cx.ctx)?;
            let request = match <crate::dom::request::Request as crate::dom::bindings::codegen::RequestBinding::RequestMethods>::Constructor(cx, request, init) {
                Ok(r) => r,
                Err(e) => return rejected(&cx.ctx, e),
            };
            let mut data = request.to_request_data();
            // The request's policy container is its client's: the controller checks the
            // CSP list on every redirect, also after a restart.
            if let Some(global) = &global {
                data.policy_container = global.csp_list();
                global.resolve_client_referrer(&mut data);
            }
            if data.mode == net_traits::RequestMode::NoCors {
                return rejected(
                    &cx.ctx,
                    Error::Type("background fetch requests cannot be no-cors".into()),
                );
            }
            // Fetch's main fetch blocks a request its client's Content Security Policy
            // forbids (connect-src, falling back to default-src); like Chromium, background
            // fetch checks that here, so fetch() rejects with a TypeError.
            if let (Some(global), Ok(url)) = (&global, url::Url::parse(&data.url)) {
                if let Some(directive) = crate::csp::blocks_request(
                    &global.csp_policies(),
                    &url,
                    net_traits::Destination::Empty,
                    &global.info().url,
                ) {
                    return rejected(
                        &cx.ctx,
                        Error::Type(format!(
                            "{url} is blocked by the Content Security Policy directive \"{directive}\""
                        )),
                    );
                }
            }
            // Like Chromium, requests that could never be fetched are refused now with a
            // TypeError (Fetch would fail them later): schemes other than http(s), and bad
            // ports. Mixed content registers and fails later, as the spec has it.
            if let Ok(url) = url::Url::parse(&data.url) {
                if !matches!(url.scheme(), "http" | "https") {
                    return rejected(
                        &cx.ctx,
                        Error::Type(format!(
                            "{url}: background fetch only fetches http: and https: URLs"
                        )),
                    );
                }
                if net_traits::security::is_port_blocked(&url) {
                    return rejected(
                        &cx.ctx,
                        Error::Type(format!("{url}: the port is blocked (a bad port)")),
                    );
                }
            }
            // Steps 6.3-6.5. The record's request (its client is null: the body's bytes
            // travel with it).
            records.push(data);
        }
        // Step 8.4 (in the edit queue). If registration's active worker is null, reject with
        // a TypeError. A manager not attached to a service worker registration has none.
        let (Some(global), Some(registration)) = (global, registration) else {
            return rejected(
                &cx.ctx,
                Error::Type("the service worker registration has no active worker".into()),
            );
        };
        let Some(info) = registration_info(&global, registration) else {
            return rejected(
                &cx.ctx,
                Error::Type("the service worker registration is gone".into()),
            );
        };
        let icons =
            match connection::image_resources(&global, options.parent.icons.unwrap_or_default()) {
                Ok(icons) => icons,
                Err(e) => return rejected(&cx.ctx, e),
            };
        // This implementation's limits on what the display and the store keep (a TypeError,
        // as the spec's own refusals at this point).
        let title = options.parent.title.unwrap_or_default();
        if let Err(m) = net_traits::check_limits(Some(&id), Some(&title), Some(&icons)) {
            return rejected(&cx.ctx, Error::Type(m));
        }
        // Step 8.1. The "background-fetch" permission state of this environment.
        let permission = match global.permission_state("background-fetch") {
            crate::permissions::PermissionState::Granted => net_traits::PermissionState::Granted,
            crate::permissions::PermissionState::Denied => net_traits::PermissionState::Denied,
            crate::permissions::PermissionState::Prompt => net_traits::PermissionState::Prompt,
        };
        // Steps 7-9. The rest runs in the registration's edit queue on the network side;
        // the promise settles when it answers.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        let download_total = options.downloadTotal;
        let sent = connection::send(
            &global,
            connection::Pending::Fetch(resolve, reject.clone()),
            |client, request| net_traits::BackgroundFetchRequest::Fetch {
                client,
                request,
                registration: info,
                id,
                requests: records,
                download_total,
                title,
                icons,
                permission,
            },
        );
        if let Err(e) = sent {
            let reason = crate::dom::bindings::error::error_value(&cx.ctx, e);
            reject.call::<_, ()>((reason,))?;
        }
        Ok(promise)
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-get>
    fn get(&self, cx: &Cx<'js>, id: DOMString) -> Fallible<Promise<'js>> {
        // The spec says nothing of an empty id; Chromium and upstream WPT reject it.
        if id.is_empty() {
            return rejected(&cx.ctx, Error::Type("the id must not be empty".into()));
        }
        // Steps 1-3. Without a registration (or an engine) there is no such background fetch.
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx);
        let (Some(global), Some(registration)) = (global, self.registration) else {
            return resolved(&cx.ctx, Value::new_undefined(cx.ctx.clone()));
        };
        if global.info().background_fetch.is_none() {
            return resolved(&cx.ctx, Value::new_undefined(cx.ctx.clone()));
        }
        // Steps 2-4. Ask the registration's active background fetches; the instance is made
        // in the task that resolves.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        connection::send(
            &global,
            connection::Pending::Get(resolve, reject),
            |client, request| net_traits::BackgroundFetchRequest::Get {
                client,
                request,
                registration: net_traits::RegistrationId(registration),
                id,
            },
        )?;
        Ok(promise)
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-getids>
    fn getIds(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx);
        let (Some(global), Some(registration)) = (global, self.registration) else {
            let ids: Vec<String> = Vec::new();
            return resolved(&cx.ctx, ids.to_js(&cx.ctx)?);
        };
        if global.info().background_fetch.is_none() {
            let ids: Vec<String> = Vec::new();
            return resolved(&cx.ctx, ids.to_js(&cx.ctx)?);
        }
        // Step 2. Resolve with the keys of registration's active background fetches.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        connection::send(
            &global,
            connection::Pending::Ids(resolve, reject),
            |client, request| net_traits::BackgroundFetchRequest::GetIds {
                client,
                request,
                registration: net_traits::RegistrationId(registration),
            },
        )?;
        Ok(promise)
    }
}

/// What the controller needs to know of a service worker registration.
pub fn registration_info(
    global: &crate::dom::globalscope::GlobalScope<'_>,
    registration: u64,
) -> Option<net_traits::RegistrationInfo> {
    let snapshot = global
        .info()
        .service_workers
        .as_ref()?
        .registration(registration)?;
    let origin = url::Url::parse(&snapshot.scope)
        .ok()?
        .origin()
        .ascii_serialization();
    // The active worker as this realm knows it: the registry may be a step ahead of the
    // page's registration object (an activation whose tasks have not run here yet), and a
    // page that sees no active worker gets the TypeError it expects.
    let seen_here = global
        .sw_registrations
        .borrow()
        .get(&registration)
        .map(|r| r.shows_active());
    Some(net_traits::RegistrationInfo {
        id: net_traits::RegistrationId(registration),
        scope: snapshot.scope,
        origin,
        has_active_worker: snapshot.active.is_some() && seen_here.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests {
    //! fetch()'s synchronous steps, on a manager installed as `manager` in a service worker
    //! global, outside any service worker registration.
    use super::BackgroundFetchManager;
    use crate::dom::bindings::codegen_prelude::*;
    use crate::{GlobalHandle, GlobalKind, GlobalOptions};
    use std::time::Duration;

    fn global_with_manager(csp: &[&str]) -> GlobalHandle {
        let mut options = GlobalOptions::new(GlobalKind::ServiceWorkerGlobalScope);
        options.url = "https://a.test/sw.js".into();
        options.origin = "https://a.test".into();
        options.content_security_policy = csp.iter().map(|s| s.to_string()).collect();
        options.setup.push(Box::new(|ctx| {
            let manager = reflect_dom_object(ctx, BackgroundFetchManager::new_inherited(None))?;
            ctx.globals().set("manager", manager.reflector().clone())?;
            Ok(())
        }));
        GlobalHandle::spawn(options).expect("global starts")
    }

    fn outcome(g: &GlobalHandle, call: &str) -> String {
        g.eval_promise(
            &format!("{call}.then(() => 'resolved', e => e.name + ': ' + e.message)"),
            Duration::from_secs(10),
        )
        .expect("settles")
    }

    #[test]
    fn requests_are_checked_before_the_edit_queue() {
        let g = global_with_manager(&[]);
        let r = outcome(&g, "manager.fetch('id', [])");
        assert!(r.starts_with("TypeError"), "{r}");
        let r = outcome(&g, "manager.fetch('id', 'https://user:pw@a.test/')");
        assert!(
            r.starts_with("TypeError") && r.contains("credentials"),
            "{r}"
        );
        let r = outcome(
            &g,
            "manager.fetch('id', new Request('/x', { mode: 'no-cors' }))",
        );
        assert!(r.starts_with("TypeError") && r.contains("no-cors"), "{r}");
        // Valid requests get as far as the missing active worker.
        let r = outcome(
            &g,
            "manager.fetch('id', ['/a', new Request('https://b.test/')])",
        );
        assert!(r.contains("no active worker"), "{r}");
        g.shutdown();
    }

    #[test]
    fn content_security_policy_blocks_with_a_type_error() {
        let g = global_with_manager(&["connect-src 'self'"]);
        let r = outcome(&g, "manager.fetch('id', 'https://other.test/data')");
        assert!(
            r.starts_with("TypeError") && r.contains("Content Security Policy"),
            "{r}"
        );
        let r = outcome(
            &g,
            "manager.fetch('id', ['/same-origin', 'https://other.test/x'])",
        );
        assert!(
            r.contains("Content Security Policy"),
            "one blocked request rejects: {r}"
        );
        let r = outcome(&g, "manager.fetch('id', '/same-origin')");
        assert!(r.contains("no active worker"), "'self' is allowed: {r}");
        g.shutdown();
        let g = global_with_manager(&["default-src 'none'"]);
        let r = outcome(&g, "manager.fetch('id', '/same-origin')");
        assert!(
            r.contains("Content Security Policy"),
            "default-src is the fallback: {r}"
        );
        g.shutdown();
    }
}
