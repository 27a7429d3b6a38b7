//! The WPT server on ephemeral loopback ports, checked through the engine's own HTTP client
//! (test CA trusted, WPT hosts resolved by the client's resolver): every wptserve behaviour
//! the upstream suite relies on, and our `/_faults/` route.

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use std::path::Path;
use std::time::{Duration, Instant};
use wpt::server::{Scheme, Server, ServerOptions};

struct Fixture {
    server: Server,
    client: net::HttpClient,
    rt: tokio::runtime::Runtime,
    _root: tempfile::TempDir,
}

struct Got {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A test root written here, and a stand-in for the wpt-runner harness folder.
fn fixture() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    write(
        r,
        "sub/values.sub.js",
        "host={{host}}\nhttps0={{ports[https][0]}}\nhttps1={{ports[https][1]}}\n\
         http0={{ports[http][0]}}\nhttp1={{ports[http][1]}}\nwss={{ports[wss][0]}}\n\
         www2={{domains[www2]}}\nwww1={{domains[www1]}}\nalt={{hosts[alt][]}}\n\
         altwww2={{hosts[alt][www2]}}\nplain={{not a template\n",
    );
    write(
        r,
        "sub/page.sub.html",
        "<p>{{GET[name]}}</p><p>{{host}}</p>",
    );
    write(r, "sub/plain.js", "x = '{{host}}';\n");
    write(
        r,
        "dir/test.any.js",
        "// META: global=window,worker\n// META: script=/common/a.js\n\
         // META: script=helper.js?x=1&y=2\n// META: timeout=long\n\
         // META: title=Any & all\ntest(() => {});\n",
    );
    write(
        r,
        "dir/page.window.js",
        "// META: script=/common/a.js\ntest(() => {});\n",
    );
    write(r, "dir/dedicated.worker.js", "test(() => {});\n");
    write(
        r,
        "dir/sw.any.js",
        "// META: global=serviceworker\ntest(() => {});\n",
    );
    write(r, "dir/defaults.any.js", "test(() => {});\n");
    write(r, "hdr/file.txt", "hello\n");
    write(
        r,
        "hdr/file.txt.headers",
        "X-From-Sidecar: yes\nContent-Type: text/x-custom\n",
    );
    write(r, "hdr/__dir__.headers", "X-Dir: everywhere\n");
    write(r, "hdr/other.txt", "other\n");
    write(r, "static/data.bin", "0123456789");
    write(r, "static/page.html", "<!doctype html><p>hi</p>");
    write(r, "static/data.json", "{}");
    write(r, "background-fetch/resources/feature.txt", "bf");
    write(r, "cors/data.txt", "0123456789");
    write(
        r,
        "cors/data.txt.headers",
        "Access-Control-Allow-Origin: *\n",
    );
    write(r, "sub/also-implicit.sub.https.js", "x = '{{host}}';\n");
    write(
        r,
        "sub/odd.sub.js",
        "a={{a}b}} b={{ host }} c={{location[path]}}\n",
    );
    write(r, "sub/bad-headers.txt", "x");
    write(r, "sub/bad-headers.txt.sub.headers", "X-Bad: {{nosuch}}\n");
    write(r, "list/<b>&.txt", "x");
    write(
        r,
        "py/echo.py",
        "def main(request, response):\n\
         \x20   response.headers.set(b'X-Query', request.GET.first(b'q', b'none'))\n\
         \x20   response.headers.set(b'X-Url', request.url)\n\
         \x20   response.headers.set(b'X-Port', str(request.server.config.ports['https'][1]))\n\
         \x20   return 201, [(b'Content-Type', b'text/x-echo')], b'got ' + request.body\n",
    );
    write(
        r,
        "py/stash.py",
        "def main(request, response):\n\
         \x20   key = request.GET.first(b'key')\n\
         \x20   if request.method == 'POST':\n\
         \x20       request.server.stash.put(key, request.body)\n\
         \x20       return b'stored'\n\
         \x20   value = request.server.stash.take(key)\n\
         \x20   return value if value is not None else b'nothing'\n",
    );
    write(
        r,
        "py/raises.py",
        "def main(request, response):\n\
         \x20   raise ValueError('a handler that raises')\n",
    );
    write(
        r,
        "py/chunks.py",
        "import time\n\
         def main(request, response):\n\
         \x20   response.headers.set(b'Content-Type', b'text/plain')\n\
         \x20   response.write_status_headers()\n\
         \x20   response.writer.write(b'first ')\n\
         \x20   time.sleep(1.5)\n\
         \x20   response.writer.write(b'second')\n",
    );
    let harness = r.join("_harness");
    write(&harness, "testharness.js", "/* testharness stand-in */");
    write(&harness, "idlharness.js", "/* idlharness stand-in */");
    write(&harness, "webidl2.js", "/* webidl2 stand-in */");
    let server = Server::start(ServerOptions {
        config: wpt::config::WptConfig::ephemeral(),
        root: r.to_path_buf(),
        harness_dir: Some(harness),
    })
    .expect("the server starts");
    let client = net::HttpClient::new(&server.network_config()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    Fixture {
        server,
        client,
        rt,
        _root: root,
    }
}

impl Fixture {
    fn https(&self, path: &str) -> String {
        format!("{}{path}", self.server.origin(Scheme::Https))
    }

    fn request(&self, method: Method, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Got {
        let mut builder = Request::builder().method(method).uri(url);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(net::http::full(body.to_vec())).unwrap();
        self.rt.block_on(async {
            let response = self.client.send(request).await.expect("request answered");
            let (parts, body) = response.into_parts();
            let body = body.collect().await.expect("whole body").to_bytes();
            Got {
                status: parts.status,
                headers: parts.headers,
                body,
            }
        })
    }

    fn get(&self, path: &str) -> Got {
        self.request(Method::GET, &self.https(path), &[], b"")
    }

    /// Reads a streaming body until it ends or fails: (bytes received, clean end?).
    fn get_partial(&self, url: &str, headers: &[(&str, &str)]) -> (Got, bool) {
        let mut builder = Request::get(url);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(net::http::empty()).unwrap();
        self.rt.block_on(async {
            let response = self.client.send(request).await.expect("headers arrive");
            let (parts, mut body) = response.into_parts();
            let mut data = Vec::new();
            let mut clean = true;
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(f) => {
                        if let Some(d) = f.data_ref() {
                            data.extend_from_slice(d);
                        }
                    }
                    Err(_) => {
                        clean = false;
                        break;
                    }
                }
            }
            (
                Got {
                    status: parts.status,
                    headers: parts.headers,
                    body: data.into(),
                },
                clean,
            )
        })
    }
}

fn expected_body(seed: u64, range: std::ops::Range<u64>) -> Vec<u8> {
    range.map(|i| wpt::faults::body_byte(seed, i)).collect()
}

#[test]
fn every_host_resolves_and_the_certificate_is_trusted() {
    let f = fixture();
    let c = &f.server.config;
    for host in [
        "web-platform.test",
        "www.web-platform.test",
        "www1.web-platform.test",
        "www2.web-platform.test",
        "not-web-platform.test",
        "www1.not-web-platform.test",
    ] {
        for port in c.https_ports {
            let got = f.request(
                Method::GET,
                &format!("https://{host}:{port}/static/data.bin"),
                &[],
                b"",
            );
            assert_eq!(got.status, StatusCode::OK, "{host}:{port}");
            assert_eq!(got.text(), "0123456789");
        }
        for port in c.http_ports {
            let got = f.request(
                Method::GET,
                &format!("http://{host}:{port}/static/data.bin"),
                &[],
                b"",
            );
            assert_eq!(got.status, StatusCode::OK, "{host}:{port}");
        }
    }
    assert_ne!(c.https_ports[0], c.https_ports[1]);
    assert_ne!(c.http_ports[0], c.http_ports[1]);
    // The client resolves nothing else (no traffic leaves loopback).
    let request = Request::get("https://example.com/")
        .body(net::http::empty())
        .unwrap();
    let err = f.rt.block_on(f.client.send(request));
    assert!(err.is_err(), "an unmapped host must not resolve");
}

#[test]
fn sub_files_are_substituted() {
    let f = fixture();
    let c = &f.server.config;
    let got = f.get("/sub/values.sub.js");
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), Some("text/javascript"));
    let text = got.text();
    let expect = format!(
        "host=web-platform.test\nhttps0={}\nhttps1={}\nhttp0={}\nhttp1={}\nwss={}\n\
         www2=www2.web-platform.test\nwww1=www1.web-platform.test\nalt=not-web-platform.test\n\
         altwww2=www2.not-web-platform.test\nplain={{{{not a template\n",
        c.https_ports[0], c.https_ports[1], c.http_ports[0], c.http_ports[1], 8889
    );
    assert_eq!(text, expect);
    // Query values are substituted, html-escaped in html files.
    let got = f.get("/sub/page.sub.html?name=%3Cb%3E");
    assert_eq!(got.text(), "<p>&lt;b&gt;</p><p>web-platform.test</p>");
    // Files without .sub. are served as they are.
    assert_eq!(f.get("/sub/plain.js").text(), "x = '{{host}}';\n");
    // ...unless ?pipe=sub asks.
    assert_eq!(
        f.get("/sub/plain.js?pipe=sub").text(),
        "x = 'web-platform.test';\n"
    );
}

/// The lines of `text` that are not blank, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn any_js_gets_a_wrapper_per_global() {
    let f = fixture();
    // Window: GLOBAL, testharness, report, META scripts in order, the test.
    let got = f.get("/dir/test.any.html");
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), Some("text/html"));
    let text = got.text();
    let l = lines(&text);
    let pos = |needle: &str| {
        l.iter()
            .position(|x| x.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
    };
    assert!(text.starts_with("<!doctype html>"));
    assert!(text.contains("<meta name=\"timeout\" content=\"long\">"));
    assert!(text.contains("<title>Any &amp; all</title>"));
    let order = [
        pos("self.GLOBAL"),
        pos("src=\"/resources/testharness.js\""),
        pos("src=\"/resources/testharnessreport.js\""),
        pos("src=\"/common/a.js\""),
        pos("src=\"helper.js?x=1&amp;y=2\""),
        pos("src=\"/dir/test.any.js\""),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("isWindow: function() { return true; }"));

    // Dedicated and shared workers load the generated .any.worker.js.
    let text = f.get("/dir/test.any.worker.html").text();
    assert!(text.contains("fetch_tests_from_worker(new Worker(\"/dir/test.any.worker.js\"));"));
    let text = f.get("/dir/test.any.sharedworker.html").text();
    assert!(text.contains("new SharedWorker(\"/dir/test.any.worker.js\")"));
    // Service worker: registers the same script and takes tests from the installing worker.
    let text = f.get("/dir/test.any.serviceworker.html").text();
    assert!(text.contains("navigator.serviceWorker.register(\"/dir/test.any.worker.js\""));
    assert!(text.contains("fetch_tests_from_worker(reg.installing)"));

    // The worker script: GLOBAL, testharness, META scripts, the test, done().
    let got = f.get("/dir/test.any.worker.js");
    assert_eq!(got.header("content-type"), Some("text/javascript"));
    let text = got.text();
    let l = lines(&text);
    let pos = |needle: &str| {
        l.iter()
            .position(|x| x.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
    };
    let order = [
        pos("self.GLOBAL"),
        pos("importScripts(\"/resources/testharness.js\")"),
        pos("importScripts(\"/common/a.js\")"),
        pos("importScripts(\"helper.js?x=1&y=2\")"),
        pos("importScripts(\"/dir/test.any.js\")"),
        pos("done();"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("isWorker: function() { return true; }"));

    // Without `global=`, an .any.js runs in window and dedicated worker only.
    assert_eq!(f.get("/dir/defaults.any.html").status, StatusCode::OK);
    assert_eq!(
        f.get("/dir/defaults.any.worker.html").status,
        StatusCode::OK
    );
    assert_eq!(
        f.get("/dir/defaults.any.sharedworker.html").status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.get("/dir/defaults.any.serviceworker.html").status,
        StatusCode::NOT_FOUND
    );
    // `global=serviceworker` only.
    assert_eq!(f.get("/dir/sw.any.html").status, StatusCode::NOT_FOUND);
    assert_eq!(
        f.get("/dir/sw.any.serviceworker.html").status,
        StatusCode::OK
    );
    // A wrapper for a test that does not exist is a 404, not an empty page.
    assert_eq!(f.get("/dir/missing.any.html").status, StatusCode::NOT_FOUND);
}

#[test]
fn window_js_and_worker_js_get_wrappers() {
    let f = fixture();
    let text = f.get("/dir/page.window.html").text();
    let a = text.find("src=\"/resources/testharness.js\"").unwrap();
    let b = text.find("src=\"/common/a.js\"").unwrap();
    let c = text.find("src=\"/dir/page.window.js\"").unwrap();
    assert!(a < b && b < c, "{text}");
    assert!(!text.contains("self.GLOBAL"), "window.js has no GLOBAL");
    let text = f.get("/dir/dedicated.worker.html").text();
    assert!(
        text.contains("new Worker(\"/dir/dedicated.worker.js\")"),
        "{text}"
    );
    // The .js sources themselves stay plain files.
    assert_eq!(f.get("/dir/page.window.js").text().lines().count(), 2);
}

#[test]
fn headers_sidecar_files_apply() {
    let f = fixture();
    let got = f.get("/hdr/file.txt");
    assert_eq!(got.text(), "hello\n");
    assert_eq!(got.header("x-from-sidecar"), Some("yes"));
    assert_eq!(got.header("content-type"), Some("text/x-custom"));
    assert_eq!(got.header("x-dir"), Some("everywhere"));
    let got = f.get("/hdr/other.txt");
    assert_eq!(got.header("x-dir"), Some("everywhere"));
    assert_eq!(got.header("x-from-sidecar"), None);
    // The sidecar itself is not a header of other files' siblings elsewhere.
    assert_eq!(f.get("/static/data.bin").header("x-dir"), None);
}

#[test]
fn pipes_set_headers_status_and_slices() {
    let f = fixture();
    let got = f.get(
        "/static/data.bin?pipe=header(X-One,1)|header(Content-Type,text/plain;charset=x)|status(201)",
    );
    assert_eq!(got.status, StatusCode::CREATED);
    assert_eq!(got.header("x-one"), Some("1"));
    assert_eq!(got.header("content-type"), Some("text/plain;charset=x"));
    assert_eq!(got.text(), "0123456789");
    // Escaped commas and parentheses in values.
    let got = f.get("/static/data.bin?pipe=header(X-List,a\\,b\\))");
    assert_eq!(got.header("x-list"), Some("a,b)"));
    // header(.., True) appends a second value.
    let got = f.get("/static/data.bin?pipe=header(X-Two,a)|header(X-Two,b,True)");
    let all: Vec<_> = got.headers.get_all("x-two").iter().collect();
    assert_eq!(all, ["a", "b"]);
    assert_eq!(f.get("/static/data.bin?pipe=slice(2,5)").text(), "234");
    // A malformed pipe is the client's error, not a crash.
    assert_eq!(
        f.get("/static/data.bin?pipe=header(Only-One)").status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        f.get("/static/data.bin?pipe=nosuchpipe(1)").status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[test]
fn static_files_answer_get_and_head_only() {
    let f = fixture();
    let url = f.https("/static/data.bin");
    let got = f.request(Method::HEAD, &url, &[], b"");
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-length"), Some("10"));
    assert!(got.body.is_empty());
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let got = f.request(method.clone(), &url, &[], b"x");
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{method}");
    }
    assert_eq!(
        f.get("/static/page.html").header("content-type"),
        Some("text/html")
    );
    assert_eq!(
        f.get("/static/data.json").header("content-type"),
        Some("application/json")
    );
    assert_eq!(f.get("/static/nope.txt").status, StatusCode::NOT_FOUND);
    // No escaping the root.
    assert_eq!(
        f.get("/static/../../etc/passwd").status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.get("/%2e%2e/%2e%2e/etc/passwd").status,
        StatusCode::NOT_FOUND
    );
    // Range on static files.
    let got = f.request(Method::GET, &url, &[("range", "bytes=3-5")], b"");
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(got.text(), "345");
    assert_eq!(got.header("content-range"), Some("bytes 3-5/10"));
    let got = f.request(Method::GET, &url, &[("range", "bytes=50-")], b"");
    assert_eq!(got.status, StatusCode::RANGE_NOT_SATISFIABLE);
    // The listing.
    let got = f.get("/");
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.text().contains("static/"), "{}", got.text());
    let got = f.get("/static/");
    assert!(got.text().contains("data.bin"), "{}", got.text());
}

#[test]
fn harness_files_come_from_the_harness_folder() {
    let f = fixture();
    assert_eq!(
        f.get("/resources/testharness.js").text(),
        "/* testharness stand-in */"
    );
    assert_eq!(
        f.get("/resources/idlharness.js").text(),
        "/* idlharness stand-in */"
    );
    // wptserve's rewrite of the old parser name.
    assert_eq!(
        f.get("/resources/WebIDLParser.js").text(),
        "/* webidl2 stand-in */"
    );
    assert_eq!(
        f.get("/resources/webidl2/lib/webidl2.js").text(),
        "/* webidl2 stand-in */"
    );
    // Ours: the report hook and test_driver.
    let report = f.get("/resources/testharnessreport.js").text();
    assert!(report.contains("add_completion_callback"), "{report}");
    assert!(f
        .get("/_runner/testdriver.js")
        .text()
        .contains("set_permission"));
}

#[test]
fn upload_py_echoes_body_and_content_type() {
    let f = fixture();
    let url = f.https("/background-fetch/resources/upload.py");
    for method in [Method::POST, Method::PUT, Method::PATCH] {
        let got = f.request(
            method.clone(),
            &url,
            &[("content-type", "multipart/form-data; boundary=xyz")],
            b"--xyz\r\n\x00\xffbinary\r\n--xyz--",
        );
        assert_eq!(got.status, StatusCode::OK, "{method}");
        assert_eq!(
            got.header("content-type"),
            Some("multipart/form-data; boundary=xyz")
        );
        assert_eq!(&got.body[..], b"--xyz\r\n\x00\xffbinary\r\n--xyz--");
    }
    let got = f.request(Method::POST, &url, &[], b"abc");
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    // Other files of the folder are still static.
    assert_eq!(
        f.get("/background-fetch/resources/feature.txt").text(),
        "bf"
    );
}

#[test]
fn slow_py_waits_then_answers_empty() {
    let f = fixture();
    let started = Instant::now();
    let got = f.get("/common/slow.py?delay=300");
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn faults_body_is_deterministic_and_supports_ranges() {
    let f = fixture();
    let got = f.get("/_faults/body?size=100000&seed=7");
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-length"), Some("100000"));
    assert_eq!(got.header("accept-ranges"), Some("bytes"));
    assert_eq!(&got.body[..], &expected_body(7, 0..100_000)[..]);
    assert_ne!(expected_body(7, 0..64), expected_body(8, 0..64));

    let url = f.https("/_faults/body?size=1000&seed=3&key=r");
    let got = f.request(Method::GET, &url, &[("range", "bytes=400-")], b"");
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(got.header("content-range"), Some("bytes 400-999/1000"));
    assert_eq!(&got.body[..], &expected_body(3, 400..1000)[..]);
    let got = f.request(Method::GET, &url, &[("range", "bytes=2000-")], b"");
    assert_eq!(got.status, StatusCode::RANGE_NOT_SATISFIABLE);

    // range=0: Range is ignored, the whole body comes back, no Accept-Ranges.
    let url = f.https("/_faults/body?size=1000&seed=3&range=0");
    let got = f.request(Method::GET, &url, &[("range", "bytes=400-")], b"");
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("accept-ranges"), None);
    assert_eq!(got.body.len(), 1000);

    // Stats count requests and the ranges asked for.
    let stats = f.get("/_faults/stats?key=r").text();
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["requests"], 2);
    assert_eq!(stats["ranges"][0], "bytes=400-");
}

#[test]
fn faults_reset_the_connection_after_n_bytes() {
    let f = fixture();
    let url = f.https("/_faults/body?size=200000&reset_after=70000&reset_times=1&key=reset");
    let (got, clean) = f.get_partial(&url, &[]);
    assert_eq!(got.status, StatusCode::OK);
    assert!(!clean, "the body must end in an error");
    assert_eq!(got.body.len(), 70_000);
    assert_eq!(&got.body[..], &expected_body(0, 0..70_000)[..]);
    // The second request (reset_times=1) gets through; resuming with a Range works.
    let (got, clean) = f.get_partial(&url, &[("range", "bytes=70000-")]);
    assert!(clean);
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(&got.body[..], &expected_body(0, 70_000..200_000)[..]);
    // Over plain HTTP too.
    let url = format!(
        "{}/_faults/body?size=5000&reset_after=1000",
        f.server.origin(Scheme::Http)
    );
    let (got, clean) = f.get_partial(&url, &[]);
    assert!(!clean);
    assert_eq!(got.body.len(), 1000);
}

#[test]
fn faults_change_etag_and_honour_if_range() {
    let f = fixture();
    let url = f.https("/_faults/body?size=100&etag=change&key=etag");
    let first = f.get_partial(&url, &[]).0;
    let second = f.get_partial(&url, &[]).0;
    let (e1, e2) = (
        first.header("etag").unwrap(),
        second.header("etag").unwrap(),
    );
    assert_ne!(e1, e2);
    // Resuming against the old validator gets the whole (new) body.
    let got = f.request(
        Method::GET,
        &url,
        &[("range", "bytes=50-"), ("if-range", e1)],
        b"",
    );
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.len(), 100);
    // A fixed ETag that matches keeps the range.
    let url = f.https("/_faults/body?size=100&etag=same");
    let got = f.request(
        Method::GET,
        &url,
        &[("range", "bytes=50-"), ("if-range", "\"same\"")],
        b"",
    );
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(got.header("etag"), Some("\"same\""));
    assert_eq!(got.body.len(), 50);
}

#[test]
fn faults_status_stall_chunked_and_echo() {
    let f = fixture();
    let got = f.get("/_faults/body?size=10&status=503");
    assert_eq!(got.status, StatusCode::SERVICE_UNAVAILABLE);
    let got = f.get("/_faults/body?size=300&chunked=1&chunk=7");
    assert_eq!(got.header("content-length"), None);
    assert_eq!(got.body.len(), 300);
    let started = Instant::now();
    let got = f.get("/_faults/body?size=3000&stall_after=1000&stall_ms=250");
    assert_eq!(got.body.len(), 3000);
    assert!(started.elapsed() >= Duration::from_millis(250));
    let got = f.get("/_faults/body?size=5&acao=*");
    assert_eq!(got.header("access-control-allow-origin"), Some("*"));
    let got = f.request(
        Method::POST,
        &f.https("/_faults/echo"),
        &[],
        &vec![1u8; 12345],
    );
    assert_eq!(got.text(), "{\"received\": 12345}");
    assert_eq!(f.get("/_faults/nothing").status, StatusCode::NOT_FOUND);
}

#[test]
fn bad_requests_get_errors_not_crashes() {
    let f = fixture();
    // Substitution of an unknown key is a 500 naming it; the server keeps serving.
    let root = f._root.path();
    write(root, "sub/bad.sub.js", "{{ports[ftp][9]}}");
    let got = f.get("/sub/bad.sub.js");
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(got.text().contains("ftp"), "{}", got.text());
    assert_eq!(f.get("/static/data.bin").status, StatusCode::OK);
}

/// Sends raw bytes as a request over plain HTTP and returns the whole answer (a client that
/// does not check what it sends, as a hostile one would).
fn raw_request(f: &Fixture, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", f.server.config.http_ports[0])).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn hostile_requests_get_answers_and_the_server_survives() {
    let f = fixture();
    // Raw UTF-8 right after a `%` in the path and in a query the handler decodes.
    for line in [
        "GET /%a\u{e9} HTTP/1.1",
        "GET /_faults/body?size=%1\u{e9} HTTP/1.1",
        "GET /static/data.bin?pipe=header(X,%\u{e9}) HTTP/1.1",
    ] {
        let answer = raw_request(
            &f,
            format!("{line}\r\nHost: web-platform.test\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(answer.starts_with("HTTP/1.1 "), "{line}: {answer:?}");
    }
    // An empty body asked for its last byte: 416, not an overflow.
    let got = f.request(
        Method::GET,
        &f.https("/_faults/body?size=0&acao=*"),
        &[("range", "bytes=-1")],
        b"",
    );
    assert_eq!(got.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(got.header("access-control-allow-origin"), Some("*"));
    // Paths that try to leave the root.
    for path in [
        "/C:/Windows/win.ini",
        "/static/..%2f..%2fetc/passwd",
        "/a\\..\\..\\x",
    ] {
        assert_eq!(f.get(path).status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(f.get("/static/data.bin").status, StatusCode::OK);
}

#[test]
fn ranges_apply_before_pipes_and_errors_keep_sidecar_headers() {
    let f = fixture();
    // wptserve slices the file by Range, then runs the pipeline.
    let url = f.https("/static/data.bin?pipe=header(Access-Control-Allow-Origin,*)");
    let got = f.request(Method::GET, &url, &[("range", "bytes=2-4")], b"");
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(got.text(), "234");
    assert_eq!(got.header("access-control-allow-origin"), Some("*"));
    // A bad range keeps the sidecar's CORS header, so it is not mistaken for a CORS failure.
    let url = f.https("/cors/data.txt");
    let got = f.request(Method::GET, &url, &[("range", "bytes=100-")], b"");
    assert_eq!(got.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(got.header("access-control-allow-origin"), Some("*"));
    assert_eq!(got.header("content-range"), Some("bytes */10"));
}

#[test]
fn substitution_follows_wptserve_rules() {
    let f = fixture();
    // Implicit wherever `.sub.` is in the path (wptserve's wrap_pipeline), as in the
    // upstream `integrity.sub.any.js`.
    assert_eq!(
        f.get("/sub/also-implicit.sub.https.js").text(),
        "x = 'web-platform.test';\n"
    );
    // A `?pipe=` runs after the implicit `sub`.
    assert_eq!(
        f.get("/sub/values.sub.js?pipe=status(200)")
            .text()
            .lines()
            .next(),
        Some("host=web-platform.test")
    );
    // `{{a}b}}` is not a template; spaces around a name are allowed; the path is raw.
    assert_eq!(
        f.get("/sub/odd.sub.js").text(),
        "a={{a}b}} b=web-platform.test c=/sub/odd.sub.js\n"
    );
    assert!(f
        .get("/sub/%6Fdd.sub.js")
        .text()
        .ends_with("c=/sub/%6Fdd.sub.js\n"));
    // A .sub.headers file that fails is a 500, not silently dropped headers.
    assert_eq!(
        f.get("/sub/bad-headers.txt").status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[test]
fn trickle_is_bounded() {
    let f = fixture();
    let got = f.get("/static/data.bin?pipe=trickle(3:d0.01:r2)");
    assert_eq!(got.text(), "0123456789");
    for bad in [
        "trickle(dnan)",
        "trickle(dinf)",
        "trickle(3:r1)",
        "trickle(r2:3)",
        "trickle(d-1)",
    ] {
        assert_eq!(
            f.get(&format!("/static/data.bin?pipe={bad}")).status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{bad}"
        );
    }
    // A repeat that sends nothing ends with the rest of the body, not a spin.
    assert_eq!(
        f.get("/static/data.bin?pipe=trickle(0:d0:r2)").text(),
        "0123456789"
    );
}

#[test]
fn wrappers_answer_get_and_head_only_and_listings_escape() {
    let f = fixture();
    let got = f.request(Method::POST, &f.https("/dir/test.any.html"), &[], b"x");
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    let got = f.request(Method::HEAD, &f.https("/dir/test.any.html"), &[], b"");
    assert_eq!(got.status, StatusCode::OK);
    let text = f.get("/list/").text();
    assert!(text.contains("&lt;b&gt;&amp;.txt</a>"), "{text}");
    assert!(text.contains("href=\"%3Cb%3E%26.txt\""), "{text}");
}

/// Python handlers run in real wptserve (the PyPI package of scripts/setup-wptserve: this
/// root has no tools/): status, headers, query, body, the scheme and the server's config.
#[test]
fn python_handlers_answer_through_wptserve() {
    let f = fixture();
    let got = f.request(
        Method::POST,
        &f.https("/py/echo.py?q=hello"),
        &[("Content-Type", "text/plain")],
        b"the body",
    );
    assert_eq!(got.status, StatusCode::CREATED, "{}", got.text());
    assert_eq!(got.text(), "got the body");
    assert_eq!(got.header("x-query"), Some("hello"));
    assert_eq!(got.header("content-type"), Some("text/x-echo"));
    let url = got.header("x-url").unwrap().to_string();
    assert!(
        url.starts_with("https://web-platform.test:") && url.ends_with("/py/echo.py?q=hello"),
        "the handler sees the request as the client made it: {url}"
    );
    assert_eq!(
        got.header("x-port"),
        Some(f.server.config.https_ports[1].to_string().as_str()),
        "request.server.config has the server's ports"
    );
    // Over plain HTTP, the handler sees http.
    let http = format!("{}/py/echo.py", f.server.origin(Scheme::Http));
    let got = f.request(Method::GET, &http, &[], b"");
    assert!(got.header("x-url").unwrap().starts_with("http://"));
}

#[test]
fn python_handlers_share_the_stash_and_survive_one_that_raises() {
    let f = fixture();
    let key = "8ba5ed1b-5b6c-4b2f-9f0e-1c4a1d7c2a10";
    let stored = f.request(
        Method::POST,
        &f.https(&format!("/py/stash.py?key={key}")),
        &[],
        b"kept",
    );
    assert_eq!(stored.text(), "stored");
    assert_eq!(f.get(&format!("/py/stash.py?key={key}")).text(), "kept");
    assert_eq!(
        f.get(&format!("/py/stash.py?key={key}")).text(),
        "nothing",
        "taken"
    );
    assert_eq!(
        f.get("/py/raises.py").status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        f.get("/py/echo.py?q=after").header("x-query"),
        Some("after"),
        "the sidecar goes on after a handler raised"
    );
}

/// A handler that writes in pieces is streamed: its first bytes arrive before it ends.
#[test]
fn a_python_handler_response_streams() {
    let f = fixture();
    let request = Request::get(f.https("/py/chunks.py"))
        .body(net::http::empty())
        .unwrap();
    f.rt.block_on(async {
        let started = Instant::now();
        let response = f.client.send(request).await.expect("headers arrive");
        let mut body = response.into_body();
        let first = loop {
            let frame = body.frame().await.expect("a frame").expect("data");
            if let Some(d) = frame.data_ref() {
                if !d.is_empty() {
                    break (d.clone(), started.elapsed());
                }
            }
        };
        assert_eq!(&first.0[..], b"first ");
        assert!(
            first.1 < Duration::from_millis(1200),
            "first bytes after {:?}",
            first.1
        );
        let mut rest = Vec::new();
        while let Some(frame) = body.frame().await {
            if let Some(d) = frame.expect("data").data_ref() {
                rest.extend_from_slice(d);
            }
        }
        assert_eq!(rest, b"second");
        assert!(started.elapsed() >= Duration::from_millis(1400));
    });
}
