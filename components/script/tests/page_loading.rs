//! Loading pages through the public API (`GlobalHandle::navigate`) with an in-memory network:
//! document order of scripts, the load event, CSP headers, and a clean shutdown while the
//! parser waits for a script that never arrives.

use net_traits::{
    ByteString, FetchEvent, FetchRequest, FetchService, FetchSink, ResponseMeta, ResponseType,
};
use script::{Fetcher, GlobalHandle, GlobalKind, GlobalOptions};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);
const ORIGIN: &str = "https://example.test";

/// Serves files from a map (with extra headers); a URL not in it never answers.
#[derive(Default)]
struct Site {
    files: HashMap<String, (String, Vec<(String, String)>)>,
    stalled: Mutex<Vec<FetchSink>>,
}

impl FetchService for Site {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        let url = request.request.url.clone();
        let Some((body, extra)) = self.files.get(&url) else {
            self.stalled.lock().unwrap().push(sink);
            return;
        };
        let content_type = if url.ends_with(".js") {
            "text/javascript"
        } else {
            "text/html"
        };
        let mut headers = vec![(
            ByteString(b"content-type".to_vec()),
            ByteString(content_type.as_bytes().to_vec()),
        )];
        for (n, v) in extra {
            headers.push((
                ByteString(n.as_bytes().to_vec()),
                ByteString(v.as_bytes().to_vec()),
            ));
        }
        sink(FetchEvent::Response(ResponseMeta {
            response_type: ResponseType::Basic,
            url_list: vec![url],
            status: 200,
            status_text: ByteString(b"OK".to_vec()),
            headers,
            cors_exposed_header_names: Vec::new(),
            opaque_status: None,
        }));
        sink(FetchEvent::Body(body.clone().into_bytes()));
        sink(FetchEvent::Done);
    }
}

/// A file of the site: path, body, extra response headers.
type File<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

fn window(files: &[File]) -> GlobalHandle {
    let site = Site {
        files: files
            .iter()
            .map(|(p, s, h)| {
                let headers = h
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect();
                (format!("{ORIGIN}/{p}"), (s.to_string(), headers))
            })
            .collect(),
        ..Default::default()
    };
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.url = format!("{ORIGIN}/page.html");
    options.origin = ORIGIN.into();
    options.secure_context = true;
    options.fetcher = Some(Fetcher(Arc::new(site)));
    GlobalHandle::spawn(options).expect("window starts")
}

fn load(g: &GlobalHandle) {
    match g
        .navigate(&format!("{ORIGIN}/page.html"))
        .recv_timeout(WAIT)
    {
        Ok(Ok(())) => {}
        other => panic!("the page did not load: {other:?}"),
    }
}

#[test]
fn scripts_run_in_document_order_then_load() {
    let g = window(&[
        (
            "page.html",
            "<!doctype html><title>t</title><script>var log = ['inline:' + document.readyState];\
             addEventListener('load', () => log.push('load'));\
             document.addEventListener('DOMContentLoaded', () => log.push('dcl'));</script>\
             <script src=a.js></script><script defer src=d.js></script>\
             <script>log.push('after-a:' + !!self.aRan)</script><p id=p>x</p>",
            &[],
        ),
        (
            "a.js",
            "self.aRan = true; log.push('a:' + !!document.getElementById('p'));",
            &[],
        ),
        (
            "d.js",
            "log.push('defer:' + !!document.getElementById('p'));",
            &[],
        ),
    ]);
    load(&g);
    assert_eq!(
        g.eval("log.join()").unwrap(),
        "inline:loading,a:false,after-a:true,defer:true,dcl,load"
    );
    assert_eq!(g.eval("document.readyState").unwrap(), "complete");
    assert_eq!(
        g.eval("document.URL").unwrap(),
        format!("{ORIGIN}/page.html")
    );
    g.shutdown();
}

#[test]
fn csp_header_blocks_fetch_and_scripts() {
    let g = window(&[
        (
            "page.html",
            "<script src=ok.js></script><script src=https://other.test/x.js></script>\
             <script>self.inline = 1</script>",
            &[("content-security-policy", "default-src 'self'")],
        ),
        ("ok.js", "self.ok = 1;", &[]),
    ]);
    load(&g);
    assert_eq!(
        g.eval("self.ok").unwrap(),
        "1",
        "same-origin script allowed"
    );
    assert_eq!(
        g.eval("typeof self.inline").unwrap(),
        "undefined",
        "inline script blocked"
    );
    let r = g
        .eval_promise(
            "fetch('https://other.test/data').then(() => 'fetched', e => e.name)",
            WAIT,
        )
        .unwrap();
    assert_eq!(
        r, "TypeError",
        "connect-src falls back to default-src 'self'"
    );
    g.shutdown();
}

#[test]
fn shutdown_while_the_parser_waits_is_clean() {
    // never.js never arrives: the parser stays paused with the tree half built.
    let g = window(&[(
        "page.html",
        "<div id=a></div><script src=never.js></script><div id=b></div>",
        &[],
    )]);
    let nav = g.navigate(&format!("{ORIGIN}/page.html"));
    let started = Instant::now();
    while g.eval("String(!!document.getElementById('a'))").unwrap() != "true" {
        assert!(started.elapsed() < WAIT, "the parser never got to #a");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        g.eval("String(!!document.getElementById('b'))").unwrap(),
        "false"
    );
    assert_eq!(g.eval("document.readyState").unwrap(), "loading");
    assert!(
        nav.try_recv().is_err(),
        "no load event while a script is pending"
    );
    // The runtime must free everything (QuickJS aborts the process on a leak).
    g.shutdown();
}
