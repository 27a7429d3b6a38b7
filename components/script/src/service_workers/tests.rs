//! The registry's own tests: a window registers service workers served from memory.

use super::ServiceWorkerRegistry;
use crate::script_thread::GlobalHandle;
use crate::GlobalKind;
use crate::{Fetcher, GlobalEvent, GlobalOptions};
use net_traits::{ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, ResponseMeta};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// Serves service worker scripts from memory: `path -> source`; anything else is a 404.
struct Scripts(Vec<(&'static str, &'static str)>);

impl FetchService for Scripts {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        let url = Url::parse(&request.request.url).expect("absolute");
        let found = self.0.iter().find(|(p, _)| *p == url.path());
        let meta = ResponseMeta {
            url_list: vec![url.to_string()],
            status: if found.is_some() { 200 } else { 404 },
            headers: vec![(
                ByteString(b"content-type".to_vec()),
                ByteString(b"text/javascript".to_vec()),
            )],
            ..Default::default()
        };
        sink(FetchEvent::Response(meta));
        if let Some((_, source)) = found {
            sink(FetchEvent::Body(source.as_bytes().to_vec()));
        }
        sink(FetchEvent::Done);
    }
}

/// A window of https://a.test/ in a profile with `registry`; also returns its events (the
/// channel closes once every global sharing it, service workers included, has ended).
fn window(
    registry: &ServiceWorkerRegistry,
    scripts: Vec<(&'static str, &'static str)>,
) -> (GlobalHandle, crossbeam_channel::Receiver<GlobalEvent>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.url = "https://a.test/page.html".into();
    options.origin = "https://a.test".into();
    options.fetcher = Some(Fetcher(Arc::new(Scripts(scripts))));
    options.service_workers = Some(registry.context());
    options.events = Some(tx);
    (GlobalHandle::spawn(options).expect("window starts"), rx)
}

/// Waits until every sender of `events` is gone: every global that shared it ended.
fn all_ended(events: &crossbeam_channel::Receiver<GlobalEvent>) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match events.recv_deadline(deadline) {
            Ok(_) => continue,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return true,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => return false,
        }
    }
}

#[test]
fn a_registered_worker_activates_and_stops_with_the_registry() {
    let registry = ServiceWorkerRegistry::new();
    let (page, events) = window(&registry, vec![("/sw.js", "oninstall = () => {};")]);
    let r = page.eval_promise(
        "navigator.serviceWorker.register('/sw.js').then(r => new Promise(resolve => {
            const w = r.installing;
            w.onstatechange = () => { if (w.state === 'activated') resolve(r.scope + ' ' + w.state); };
        }))",
        Duration::from_secs(10),
    );
    assert_eq!(r, Ok("https://a.test/ activated".into()));
    assert_eq!(registry.running_workers(), 1);
    assert_eq!(registry.scopes("https://a.test"), vec!["https://a.test/"]);
    page.shutdown();
    drop(registry);
    assert!(all_ended(&events), "the service worker's thread ended");
}

#[test]
fn an_install_that_never_settles_does_not_hold_up_shutdown() {
    let registry = ServiceWorkerRegistry::new();
    let (page, events) = window(
        &registry,
        vec![(
            "/sw.js",
            "oninstall = e => e.waitUntil(new Promise(() => {}));",
        )],
    );
    let r = page.eval_promise(
        "navigator.serviceWorker.register('/sw.js').then(r => r.installing.state)",
        Duration::from_secs(10),
    );
    assert_eq!(r, Ok("installing".into()));
    page.shutdown();
    drop(registry);
    assert!(all_ended(&events), "the installing worker was terminated");
}

#[test]
fn a_missing_script_rejects_and_leaves_no_registration() {
    let registry = ServiceWorkerRegistry::new();
    let (page, _events) = window(&registry, vec![]);
    let r = page.eval_promise(
        "navigator.serviceWorker.register('/missing.js').then(() => 'registered', e => e.name)",
        Duration::from_secs(10),
    );
    assert_eq!(r, Ok("TypeError".into()));
    assert!(registry.scopes("https://a.test").is_empty());
    assert_eq!(registry.running_workers(), 0);
}

#[test]
fn without_a_registry_register_rejects() {
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.url = "https://a.test/".into();
    options.origin = "https://a.test".into();
    let page = GlobalHandle::spawn(options).expect("window starts");
    let r = page.eval_promise(
        "navigator.serviceWorker.register('/sw.js').then(() => 'registered', e => e.name)",
        Duration::from_secs(10),
    );
    assert_eq!(r, Ok("InvalidStateError".into()));
}

/// An event whose waitUntil() promise never settles times out at the lifetime limit: it
/// stops being active, so the worker has no pending event and stops when idle.
#[test]
fn a_stuck_event_times_out_and_the_worker_goes_idle() {
    let registry = ServiceWorkerRegistry::with_store(
        None,
        super::RegistrySettings {
            idle_timeout: Duration::from_millis(200),
            event_lifetime: Duration::from_millis(300),
        },
    );
    let (page, _events) = window(
        &registry,
        vec![
            (
                "/sw.js",
                "onactivate = e => e.waitUntil(clients.claim());
                 onfetch = e => { if (e.request.url.endsWith('/stuck')) e.waitUntil(new Promise(() => {})); };",
            ),
            ("/stuck", "from the network"),
        ],
    );
    let r = page.eval_promise(
        "navigator.serviceWorker.register('/sw.js').then(() => new Promise(resolve => {
            if (navigator.serviceWorker.controller) return resolve();
            navigator.serviceWorker.oncontrollerchange = resolve;
        })).then(() => fetch('/stuck')).then(r => r.text())",
        Duration::from_secs(10),
    );
    assert_eq!(r, Ok("from the network".into()));
    assert_eq!(registry.running_workers(), 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while registry.running_workers() > 0 {
        assert!(
            Instant::now() < deadline,
            "the worker never stopped: its stuck fetch event still counts"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    page.shutdown();
}
