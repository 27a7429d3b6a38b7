//! Two profiles in one process share nothing: a blob URL made in one does not resolve in
//! the other (while the workers of its own profile do resolve it), a message port lives in
//! its profile's router only, and going offline in one profile leaves the other online, each
//! global hearing `offline`/`online` from its own profile only.

use net_traits::{
    ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, ResponseMeta, ResponseType,
};
use script::{Fetcher, GlobalHandle, GlobalKind, GlobalOptions, Profile};
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const ORIGIN: &str = "https://example.test";

/// Serves one worker script; everything else is a network error.
struct Network;

impl FetchService for Network {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        if request.request.url != format!("{ORIGIN}/worker.js") {
            return sink(FetchEvent::Failed("not found".into()));
        }
        sink(FetchEvent::Response(ResponseMeta {
            response_type: ResponseType::Basic,
            url_list: vec![request.request.url.clone()],
            status: 200,
            status_text: ByteString(b"OK".to_vec()),
            headers: vec![(
                ByteString(b"content-type".to_vec()),
                ByteString(b"text/javascript".to_vec()),
            )],
            cors_exposed_header_names: Vec::new(),
            opaque_status: None,
        }));
        let source = "onmessage = async e => { try { \
                        postMessage(await (await fetch(e.data)).text()); \
                      } catch (err) { postMessage(err.name); } };";
        sink(FetchEvent::Body(source.as_bytes().to_vec()));
        sink(FetchEvent::Done);
    }
}

fn window(profile: &Profile) -> GlobalHandle {
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.url = format!("{ORIGIN}/page.html");
    options.origin = ORIGIN.into();
    options.fetcher = Some(Fetcher(Arc::new(Network)));
    options.profile = profile.clone();
    GlobalHandle::spawn(options).expect("window starts")
}

fn run(g: &GlobalHandle, src: &str) -> String {
    g.eval_promise(src, WAIT)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

const FETCH_TEXT: &str = "fetch(globalThis.url).then(r => r.text(), e => e.name)";

#[test]
fn a_blob_url_resolves_in_its_own_profile_only() {
    let (pa, pb) = (Profile::new(), Profile::new());
    let (a, b) = (window(&pa), window(&pb));
    let url = a
        .eval("globalThis.url = URL.createObjectURL(new Blob(['bytes of a'])); url")
        .unwrap();
    assert!(url.starts_with("blob:https://example.test/"), "{url}");
    assert_eq!(run(&a, FETCH_TEXT), "bytes of a");
    b.eval(&format!("globalThis.url = {url:?}")).unwrap();
    assert_eq!(
        run(&b, FETCH_TEXT),
        "TypeError",
        "profile b cannot fetch a's blob URL"
    );
    assert!(pa.blob_urls().resolve(&url).is_some());
    assert!(pb.blob_urls().resolve(&url).is_none());
    // A worker a creates belongs to a's profile and resolves it.
    let from_worker = format!(
        "new Promise(resolve => {{ const w = new Worker('worker.js'); \
         w.onmessage = e => resolve(e.data); w.postMessage({url:?}); }})"
    );
    assert_eq!(run(&a, &from_worker), "bytes of a");
    assert_eq!(run(&b, &from_worker), "TypeError");
    a.shutdown();
    assert!(
        pa.blob_urls().resolve(&url).is_none(),
        "revoked with the global that made it"
    );
    b.shutdown();
}

#[test]
fn message_ports_live_in_their_profile_router() {
    let (pa, pb) = (Profile::new(), Profile::new());
    let (a, b) = (window(&pa), window(&pb));
    let echoed = run(
        &a,
        "new Promise(resolve => { const c = new MessageChannel(); globalThis.keep = c; \
         c.port2.onmessage = e => resolve(e.data); c.port1.postMessage('through a'); })",
    );
    assert_eq!(echoed, "through a");
    assert_eq!(pa.ports().port_count(), 2);
    assert_eq!(pb.ports().port_count(), 0, "b's router never saw a's ports");
    // A port a transfers to its own worker stays in a's router.
    run(
        &a,
        "new Promise(resolve => { const w = new Worker('worker.js'); \
         w.postMessage('x', [globalThis.keep.port2]); setTimeout(resolve, 50); })",
    );
    assert_eq!(pb.ports().port_count(), 0);
    a.shutdown();
    b.shutdown();
}

#[test]
fn going_offline_in_one_profile_leaves_the_other_online() {
    let (pa, pb) = (Profile::new(), Profile::new());
    let (a, b) = (window(&pa), window(&pb));
    let listen = "globalThis.heard = []; \
                  addEventListener('offline', () => heard.push('offline')); \
                  addEventListener('online', () => heard.push('online')); navigator.onLine";
    assert_eq!(a.eval(listen).unwrap(), "true");
    assert_eq!(b.eval(listen).unwrap(), "true");
    pa.online().set_online(false);
    let heard_offline = "new Promise(r => { const t = () => heard.length ? r(heard.join() + ' ' + navigator.onLine) : setTimeout(t, 5); t(); })";
    assert_eq!(run(&a, heard_offline), "offline false");
    assert_eq!(
        run(
            &b,
            "new Promise(r => setTimeout(() => r(heard.join() + '|' + navigator.onLine), 50))"
        ),
        "|true"
    );
    pa.online().set_online(true);
    assert_eq!(
        run(&a, "new Promise(r => { const t = () => heard.length > 1 ? r(heard.join()) : setTimeout(t, 5); t(); })"),
        "offline,online"
    );
    a.shutdown();
    b.shutdown();
}
