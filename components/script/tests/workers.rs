//! Worker lifetimes through the public API, with an in-memory network: a global shuts down
//! cleanly with its workers (hung, blocked in a fetch, or nested), shared workers are shared
//! within one profile and stop with their last owner, and messages cross threads.

use net_traits::{
    ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, ResponseMeta, ResponseType,
};
use script::{Fetcher, GlobalHandle, GlobalKind, GlobalOptions, Profile};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);
const ORIGIN: &str = "https://example.test";

/// Serves scripts from a map; a URL not in it never answers (a stalled network).
#[derive(Default)]
struct Scripts {
    files: HashMap<String, String>,
    /// Sinks of requests that never answer, kept so the fetch stays pending.
    stalled: Mutex<Vec<FetchSink>>,
}

impl FetchService for Scripts {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        let url = request.request.url.clone();
        match self.files.get(&url) {
            Some(body) => {
                sink(FetchEvent::Response(ResponseMeta {
                    response_type: ResponseType::Basic,
                    url_list: vec![url],
                    status: 200,
                    status_text: ByteString(b"OK".to_vec()),
                    headers: vec![(
                        ByteString(b"content-type".to_vec()),
                        ByteString(b"text/javascript".to_vec()),
                    )],
                    cors_exposed_header_names: Vec::new(),
                    opaque_status: None,
                }));
                sink(FetchEvent::Body(body.clone().into_bytes()));
                sink(FetchEvent::Done);
            }
            None => self.stalled.lock().unwrap().push(sink),
        }
    }
}

fn window(files: &[(&str, &str)], profile: &Profile) -> GlobalHandle {
    let scripts = Scripts {
        files: files
            .iter()
            .map(|(p, s)| (format!("{ORIGIN}/{p}"), s.to_string()))
            .collect(),
        ..Default::default()
    };
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.url = format!("{ORIGIN}/page.html");
    options.origin = ORIGIN.into();
    options.fetcher = Some(Fetcher(Arc::new(scripts)));
    options.profile = profile.clone();
    GlobalHandle::spawn(options).expect("window starts")
}

fn await_ok(g: &GlobalHandle, src: &str) -> String {
    g.eval_promise(src, WAIT)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Shuts `g` down, failing if that takes more than a few seconds.
fn shutdown_promptly(g: GlobalHandle) {
    let started = Instant::now();
    g.shutdown();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "shutdown took {:?}",
        started.elapsed()
    );
}

#[test]
fn messages_cross_threads_and_the_worker_runs_on_its_own() {
    let profile = Profile::new();
    let g = window(
        &[(
            "echo.js",
            "onmessage = e => postMessage([e.data, typeof window]);",
        )],
        &profile,
    );
    let r = await_ok(
        &g,
        r#"new Promise(resolve => {
            const w = new Worker("echo.js");
            w.onmessage = e => resolve(JSON.stringify(e.data));
            w.postMessage("ping");
        })"#,
    );
    assert_eq!(r, r#"["ping","undefined"]"#);
    shutdown_promptly(g);
}

#[test]
fn shutdown_stops_a_hung_worker_and_one_blocked_in_a_fetch() {
    let profile = Profile::new();
    let g = window(
        &[
            ("hung.js", "postMessage('running'); for (;;) {}"),
            (
                "blocked.js",
                "postMessage('importing'); importScripts('never.js');",
            ),
            ("outer.js", "new Worker('hung.js'); postMessage('started');"),
        ],
        &profile,
    );
    let r = await_ok(
        &g,
        r#"Promise.all(["hung.js", "blocked.js", "outer.js"].map(u => new Promise(resolve => {
            const w = new Worker(u);
            w.onmessage = e => resolve(e.data);
        }))).then(x => x.join())"#,
    );
    assert_eq!(r, "running,importing,started");
    shutdown_promptly(g);
}

#[test]
fn terminate_returns_at_once_even_for_a_hung_worker() {
    let profile = Profile::new();
    let g = window(&[("hung.js", "postMessage(1); for (;;) {}")], &profile);
    let r = await_ok(
        &g,
        r#"new Promise(resolve => {
            const w = new Worker("hung.js");
            w.onmessage = () => {
                const t = Date.now();
                w.terminate();
                resolve(Date.now() - t < 1000 ? "quick" : "slow");
            };
        })"#,
    );
    assert_eq!(r, "quick");
    shutdown_promptly(g);
}

#[test]
fn shared_workers_are_shared_within_a_profile_and_stop_with_their_last_owner() {
    let shared = "let n = 0; onconnect = e => e.ports[0].postMessage(++n);";
    let connect = r#"new Promise(resolve => {
        const w = new SharedWorker("shared.js", "s");
        w.port.onmessage = e => resolve(String(e.data));
    })"#;
    let profile = Profile::new();
    let a = window(&[("shared.js", shared)], &profile);
    let b = window(&[("shared.js", shared)], &profile);
    assert_eq!(await_ok(&a, connect), "1");
    assert_eq!(
        await_ok(&b, connect),
        "2",
        "the second window reaches the same worker"
    );
    assert_eq!(profile.shared_workers().len(), 1);
    // Another profile has its own shared workers.
    let other = Profile::new();
    let c = window(&[("shared.js", shared)], &other);
    assert_eq!(await_ok(&c, connect), "1");
    shutdown_promptly(a);
    assert_eq!(profile.shared_workers().len(), 1, "b still owns it");
    shutdown_promptly(b);
    assert!(
        profile.shared_workers().is_empty(),
        "the last owner stopped it"
    );
    shutdown_promptly(c);
    assert!(other.shared_workers().is_empty());
}

#[test]
fn a_port_transferred_to_a_worker_keeps_its_queued_messages() {
    let profile = Profile::new();
    let g = window(
        &[(
            "port.js",
            "onmessage = e => { const p = e.ports[0]; const got = []; \
             p.onmessage = m => { got.push(m.data); if (got.length === 3) postMessage(got.join()); }; };",
        )],
        &profile,
    );
    let r = await_ok(
        &g,
        r#"new Promise(resolve => {
            const { port1, port2 } = new MessageChannel();
            port1.postMessage("a");
            port1.postMessage("b");
            const w = new Worker("port.js");
            w.onmessage = e => resolve(e.data);
            w.postMessage(null, [port2]);
            port1.postMessage("c");
        })"#,
    );
    assert_eq!(r, "a,b,c");
    shutdown_promptly(g);
}
