//! <https://wicg.github.io/background-fetch/#background-fetch-manager>

use crate::dom::backgroundfetch::registration::BackgroundFetchRegistration;
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::BackgroundFetchManagerBinding::BackgroundFetchManagerMethods;
use crate::dom::bindings::codegen::{BackgroundFetchOptions, RequestInfoOrRequestInfoSequence};
use crate::dom::bindings::codegen_prelude::*;

/// <https://wicg.github.io/background-fetch/#background-fetch-manager>
pub struct BackgroundFetchManager<'js> {
    /// The BackgroundFetchRegistration instances, keyed by the background fetch's unique id.
    instances: DomRefCell<Vec<(String, Dom<'js, BackgroundFetchRegistration<'js>>)>>,
    /// The service worker registration's id (`None`: a manager made outside a registration).
    registration: Option<u64>,
}

impl<'js> Trace<'js> for BackgroundFetchManager<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.instances.trace(tracer)
    }
}

impl<'js> BackgroundFetchManager<'js> {
    /// A manager for a service worker registration (`None`: not attached to one yet).
    pub fn new_inherited(registration: Option<u64>) -> BackgroundFetchManager<'js> {
        BackgroundFetchManager {
            instances: DomRefCell::new(Vec::new()),
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
        let _ = (&id, &options);
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
        for request in requests {
            let init = crate::dom::bindings::codegen::RequestInit::from_js(
                &cx.ctx,
                &Value::new_undefined(cx.ctx.clone()),
                "RequestInit",
            )?;
            let request = match <crate::dom::request::Request as crate::dom::bindings::codegen::RequestBinding::RequestMethods>::Constructor(cx, request, init) {
                Ok(r) => r,
                Err(e) => return rejected(&cx.ctx, e),
            };
            let data = request.to_request_data();
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
        }
        // Step 8.4 (in the edit queue). If registration's active worker is null, reject with
        // a TypeError. A manager not attached to a service worker registration has none.
        let active = registration.zip(global.as_ref()).and_then(|(id, g)| {
            g.info()
                .service_workers
                .as_ref()
                .and_then(|c| c.registration(id))
                .and_then(|r| r.active)
        });
        if active.is_none() {
            return rejected(
                &cx.ctx,
                Error::Type("the service worker registration has no active worker".into()),
            );
        }
        // TODO(spec steps 8-10, issue 5): the edit queue, storing the requests and starting
        // the background fetch run on the network thread.
        rejected(
            &cx.ctx,
            Error::Type("background fetch engine is not connected".into()),
        )
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-get>
    fn get(&self, cx: &Cx<'js>, id: DOMString) -> Fallible<Promise<'js>> {
        // The spec says nothing of an empty id; Chromium and upstream WPT reject it.
        if id.is_empty() {
            return rejected(&cx.ctx, Error::Type("the id must not be empty".into()));
        }
        // Steps 2-3. Let bgFetch be registration's active background fetches[id]; if it is
        // undefined, resolve with undefined. Without a registration there are none.
        // TODO(issue 5): ask the engine for the active background fetch.
        resolved(&cx.ctx, Value::new_undefined(cx.ctx.clone()))
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchmanager-getids>
    fn getIds(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        // Step 2. Resolve with the keys of registration's active background fetches.
        // TODO(issue 5): ask the engine; a manager without a registration has none.
        let ids: Vec<String> = Vec::new();
        let value = ids.to_js(&cx.ctx)?;
        resolved(&cx.ctx, value)
    }
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
