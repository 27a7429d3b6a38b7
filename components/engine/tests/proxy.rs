//! `EngineConfig::network.proxy` end to end: a page and its `fetch()` reach their origin
//! through the embedder's proxy (`components/net/tests/proxy.rs` covers the proxy itself:
//! CONNECT, credentials, `no_proxy`, errors).

#[path = "support/server.rs"]
mod server;

use engine::{Engine, EngineConfig, ProxyConfig};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// A forwarding proxy on 127.0.0.1 for absolute-form `http:` GETs, one per connection; it
/// keeps each request line it received. It stops when dropped.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (seen, stop) = (seen.clone(), stop.clone());
            move || {
                while !stop.load(Ordering::Acquire) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            let seen = seen.clone();
                            std::thread::spawn(move || forward(client, &seen));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            }
        });
        Proxy {
            url,
            seen,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request, sends it to its origin in origin form, copies the answer back.
fn forward(client: TcpStream, seen: &Mutex<Vec<String>>) {
    let _ = client.set_nonblocking(false);
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let line = line.trim_end().to_string();
    seen.lock().unwrap().push(line.clone());
    let mut headers = String::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header.trim_end().is_empty() => break,
            Ok(_) => {
                let name = header.split(':').next().unwrap_or("").to_ascii_lowercase();
                if name != "connection" && name != "proxy-authorization" {
                    headers.push_str(&header);
                }
            }
        }
    }
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Some(rest) = target.strip_prefix("http://") else {
        return;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(mut origin) = TcpStream::connect(authority) else {
        return;
    };
    let request = format!("{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    if origin.write_all(request.as_bytes()).is_ok() {
        let mut client = client;
        let _ = std::io::copy(&mut origin, &mut client);
    }
}

#[test]
fn a_page_and_its_fetch_go_through_the_proxy() {
    let site = server::Server::start(HashMap::from([
        (
            "/".into(),
            server::Body::Text("text/html", "<!doctype html><title>proxied</title>".into()),
        ),
        (
            "/data.txt".into(),
            server::Body::Text("text/plain", "through the proxy".into()),
        ),
    ]));
    let proxy = Proxy::start();
    let profile = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(profile.path());
    config.network.proxy = Some(ProxyConfig {
        url: proxy.url.clone(),
        no_proxy: Vec::new(),
    });
    let engine = Engine::start(config).expect("the engine starts");

    let page = engine.open_page(&format!("{}/", site.origin)).unwrap();
    page.wait_loaded(WAIT).unwrap();
    let text = page
        .eval_promise("fetch('/data.txt').then(r => r.text())", WAIT)
        .unwrap();
    assert_eq!(text, "through the proxy");

    let seen = proxy.seen.lock().unwrap().clone();
    assert!(
        seen.contains(&format!("GET {}/ HTTP/1.1", site.origin)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&format!("GET {}/data.txt HTTP/1.1", site.origin)),
        "{seen:?}"
    );
    drop(page);
    engine.shutdown();
}
