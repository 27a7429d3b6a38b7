//! What the engine benchmarks that run the engine in a child process share: the sizes to
//! measure, a local site served by the WPT server, console lines from the engine, and the
//! process's memory figures.

// Each benchmark uses some of these helpers.
#![allow(dead_code)]

use engine::{Delegate, PageEvent, PageId};

/// 256 MiB and 1 GiB, or `BGFETCH_BENCH_BYTES`.
pub fn sizes() -> Vec<u64> {
    match std::env::var("BGFETCH_BENCH_BYTES") {
        Ok(b) => vec![b.parse().expect("BGFETCH_BENCH_BYTES is a number of bytes")],
        Err(_) => vec![256 << 20, 1 << 30],
    }
}

/// A site in a temporary folder (`bench/index.html` = `page`, `bench/sw.js` = `sw`), served
/// on loopback ports by the WPT server; the origin is plain HTTP on 127.0.0.1 (a secure
/// context). Keep the folder and the server alive while measuring.
pub fn serve_site(page: &str, sw: &str) -> (tempfile::TempDir, wpt::server::Server, String) {
    let root = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(root.path().join("bench")).unwrap();
    std::fs::write(root.path().join("bench/index.html"), page).unwrap();
    std::fs::write(root.path().join("bench/sw.js"), sw).unwrap();
    let server = wpt::server::Server::start(wpt::server::ServerOptions {
        config: wpt::config::WptConfig::ephemeral(),
        root: root.path().to_path_buf(),
        harness_dir: None,
    })
    .expect("the server starts");
    let origin = format!("http://127.0.0.1:{}", server.config.http_ports[0]);
    (root, server, origin)
}

/// Forwards console lines to the child's main thread.
pub struct Console(pub crossbeam_channel::Sender<String>);

impl Delegate for Console {
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        if let PageEvent::Console { message, .. } = event {
            let _ = self.0.send(message.clone());
        }
    }
}

/// A `/proc/self/status` figure in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Starts measuring the peak RSS afresh (it becomes the current RSS; Linux 4.0 and later).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// DER to PEM (curl reads PEM CA files).
pub fn pem(der: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                b64.push(T[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// A benchmark's downloader process: a background fetch controller on a fresh `profile`
/// trusting the server's CA (`ca`, DER) fetches `urls` for `origin` in one background fetch
/// and must succeed with `total` bytes; then its peak RSS is printed (`peak_rss_kib N`).
pub fn fetch_in_one_background_fetch(
    profile: &str,
    origin: &str,
    ca: &str,
    urls: &[String],
    total: u64,
) {
    use net::background_fetch::{Controller, ControllerConfig, EmbedderSinks};
    use net_traits::*;
    let mut network = net::NetworkConfig::loopback_only(
        ["web-platform.test".to_string()],
        std::net::Ipv4Addr::LOCALHOST.into(),
    );
    network.extra_roots.push(std::fs::read(ca).unwrap());
    let config = ControllerConfig::new(profile.into(), network);
    let (events_tx, events) = crossbeam_channel::unbounded();
    let controller = Controller::start(
        config,
        EmbedderSinks {
            events: events_tx,
            display: None,
        },
    )
    .unwrap();
    let (tx, replies) = crossbeam_channel::unbounded();
    let client = controller.connect(origin, tx);
    controller.send(BackgroundFetchRequest::Fetch {
        client,
        request: RequestId(1),
        registration: RegistrationInfo {
            id: RegistrationId(1),
            scope: format!("{origin}/"),
            origin: origin.to_string(),
            has_active_worker: true,
        },
        id: "bench".into(),
        requests: urls.iter().map(|u| RequestData::get(u)).collect(),
        download_total: total,
        title: String::new(),
        icons: Vec::new(),
        permission: PermissionState::Granted,
    });
    let event = events
        .recv_timeout(std::time::Duration::from_secs(600))
        .expect("the fetch settles");
    assert_eq!(event.kind, FunctionalEvent::Success, "{event:?}");
    assert_eq!(event.fetch.downloaded, total);
    drop(replies);
    println!("peak_rss_kib {}", status_kib("VmHWM:"));
    controller.shutdown();
}

/// How many runs a benchmark's sides get (`BGFETCH_BENCH_RUNS`, or `default`).
pub fn runs(default: usize) -> usize {
    std::env::var("BGFETCH_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
        .max(1)
}

/// A number from the environment, or `default`.
pub fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("{name} is a number")),
        Err(_) => default,
    }
}

/// The shortest of some runs.
pub fn best(runs: &[std::time::Duration]) -> std::time::Duration {
    runs.iter().min().copied().unwrap_or_default()
}

/// The number after `key` on a line of a child's output (NaN if it printed none).
pub fn value(text: &str, key: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// A site for the engine benchmarks: the WPT server on free loopback ports (HTTP/2 offered
/// on its HTTPS ports when asked) serving text files from a temporary root, and its CA as
/// DER (for the engine) and PEM (for curl) in a temporary folder. Dropping it stops the
/// server and removes both folders.
pub struct Site {
    pub server: wpt::server::Server,
    pub root: tempfile::TempDir,
    pub work: tempfile::TempDir,
    pub ca_der: std::path::PathBuf,
    pub ca_pem: std::path::PathBuf,
}

impl Site {
    /// `files`: (path under the root, contents).
    pub fn serve(files: &[(&str, &str)], http2: bool) -> Site {
        let root = tempfile::tempdir().expect("a temporary folder");
        for (path, text) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut config = wpt::config::WptConfig::ephemeral();
        config.http2 = http2;
        let server = wpt::server::Server::start(wpt::server::ServerOptions {
            config,
            root: root.path().to_path_buf(),
            harness_dir: None,
        })
        .expect("the server starts");
        let work = tempfile::tempdir().expect("a temporary folder");
        let ca_der = work.path().join("ca.der");
        let ca_pem = work.path().join("ca.pem");
        std::fs::write(&ca_der, &server.ca_der).unwrap();
        std::fs::write(&ca_pem, pem(&server.ca_der)).unwrap();
        Site {
            server,
            root,
            work,
            ca_der,
            ca_pem,
        }
    }

    /// `https://HOST:PORT` on the server's first or second HTTPS port.
    pub fn https_origin(&self, host: &str, port: usize) -> String {
        format!("https://{host}:{}", self.server.config.https_ports[port])
    }

    /// The 24 HTTPS origins the server answers for with one-label subdomains: the two hosts
    /// (`web-platform.test`, `not-web-platform.test`), each with `www`, `www1`, `www2` and the
    /// two IDN labels (punycode), on both HTTPS ports; the main host's first.
    pub fn https_origins(&self) -> Vec<String> {
        let config = &self.server.config;
        let mut hosts = Vec::new();
        for host in [&config.browser_host, &config.alt_host] {
            hosts.push(host.clone());
            for (_, label) in wpt::config::SUBDOMAINS {
                hosts.push(format!("{label}.{host}"));
            }
        }
        let mut out = Vec::new();
        for host in hosts {
            for port in 0..2 {
                out.push(self.https_origin(&host, port));
            }
        }
        out
    }

    /// curl's `--resolve` arguments mapping every WPT host name, on both HTTPS ports, to
    /// loopback.
    pub fn curl_resolve(&self) -> String {
        let mut out = String::new();
        for host in self.server.config.all_hosts() {
            for port in self.server.config.https_ports {
                out.push_str(&format!(" --resolve '{host}:{port}:127.0.0.1'"));
            }
        }
        out
    }

    /// `/_faults/stats?key=KEY` of the server: (requests, bytes sent, the Range headers).
    pub fn stats(&self, key: &str) -> (u64, u64, Vec<String>) {
        let text = http_get(
            self.server.config.http_ports[0],
            &format!("/_faults/stats?key={key}"),
        );
        stats_of(&text)
    }
}

/// Parses a `/_faults/stats` answer: (requests, bytes sent, the Range headers).
pub fn stats_of(json: &str) -> (u64, u64, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(json).expect("stats are JSON");
    let ranges = v["ranges"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (
        v["requests"].as_u64().unwrap_or(0),
        v["bytes_sent"].as_u64().unwrap_or(0),
        ranges,
    )
}

/// A GET of `path` on 127.0.0.1:`port` (plain HTTP/1.1, a connection of its own); the body.
pub fn http_get(port: u16, path: &str) -> String {
    KeepAlive::connect(port).get(path)
}

/// One kept-alive plain HTTP/1.1 connection to the local server (polling it opens no new
/// connections, which the server counts).
pub struct KeepAlive(std::io::BufReader<std::net::TcpStream>);

impl KeepAlive {
    pub fn connect(port: u16) -> KeepAlive {
        let stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let _ = stream.set_nodelay(true);
        KeepAlive(std::io::BufReader::new(stream))
    }

    /// GET `path`; the body (the response must have a Content-Length).
    pub fn get(&mut self, path: &str) -> String {
        use std::io::{BufRead, Read, Write};
        write!(
            self.0.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send the request");
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            self.0.read_line(&mut line).expect("read the response");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, v)) = l.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).expect("read the body");
        String::from_utf8_lossy(&body).into_owned()
    }
}

/// The engine's network settings in a benchmark's child process: every WPT host name (and
/// `localhost`) on loopback, nothing else resolved, the server's CA (the DER file `ca`)
/// trusted: what `Server::network_config()` gives a client in the server's process.
pub fn wpt_network(ca: &str) -> engine::NetworkConfig {
    let ip = std::net::IpAddr::from(std::net::Ipv4Addr::LOCALHOST);
    let mut network =
        engine::NetworkConfig::loopback_only(wpt::config::WptConfig::default().all_hosts(), ip);
    network.hosts.insert("localhost".into(), ip);
    network
        .extra_roots
        .push(std::fs::read(ca).expect("the CA file"));
    network
}

/// What the engine reported, with the moment it did: console lines (pages' and service
/// workers') and the background fetch display's updates.
pub enum Seen {
    Console(String),
    Fetch(Box<engine::BackgroundFetchInfo>),
}

/// Waits (up to `long`) for the caching worker's `worker_done <size> 1` line of one
/// successful background fetch of `size` bytes. Returns the time from `started` to that
/// line and to the fetch settling (the display's first result).
pub fn wait_worker_done(
    seen: &crossbeam_channel::Receiver<(std::time::Instant, Seen)>,
    started: std::time::Instant,
    size: u64,
    long: std::time::Duration,
) -> (std::time::Duration, std::time::Duration) {
    let mut settled = None;
    let done = loop {
        let (at, event) = seen.recv_timeout(long).expect("the worker reports");
        match event {
            Seen::Fetch(info) if info.result != engine::FetchResult::Empty && settled.is_none() => {
                assert_eq!(info.result, engine::FetchResult::Success, "{info:?}");
                assert_eq!(info.downloaded, size);
                settled = Some(at - started);
            }
            Seen::Console(line) if line.starts_with("worker_done") => {
                assert!(line.ends_with(&format!(" {size} 1")), "{line}");
                break at - started;
            }
            Seen::Console(line) if line.starts_with("worker_failed") => panic!("{line}"),
            _ => {}
        }
    };
    (done, settled.unwrap_or(done))
}

/// A delegate forwarding console lines and display updates, timestamped, to a channel.
pub struct Watch(pub crossbeam_channel::Sender<(std::time::Instant, Seen)>);

impl Delegate for Watch {
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        if let PageEvent::Console { message, .. } = event {
            let _ = self
                .0
                .send((std::time::Instant::now(), Seen::Console(message.clone())));
        }
    }

    fn background_fetch_changed(&self, info: &engine::BackgroundFetchInfo) {
        let _ = self.0.send((
            std::time::Instant::now(),
            Seen::Fetch(Box::new(info.clone())),
        ));
    }
}

/// A child process that is killed (SIGKILL) and reaped when dropped, however the parent
/// leaves (a failed assertion included).
pub struct ChildGuard(pub Option<std::process::Child>);

impl ChildGuard {
    /// This benchmark's binary again with `--child` and `args`, stdout piped (read it with
    /// [`ChildGuard::lines`]), stderr inherited.
    pub fn spawn(args: &[&std::ffi::OsStr]) -> ChildGuard {
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--child")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("the child starts");
        ChildGuard(Some(child))
    }

    /// The child's stdout lines, as they come (read on a thread of its own).
    pub fn lines(&mut self) -> crossbeam_channel::Receiver<String> {
        use std::io::BufRead;
        let stdout = self.0.as_mut().unwrap().stdout.take().unwrap();
        let (tx, rx) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        rx
    }

    /// SIGKILL now (nothing of the child runs after it), and reap it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The service worker the full background fetch benchmarks register: on
/// `backgroundfetchsuccess` it puts every record in a cache (`cache.put(record.request,
/// await record.responseReady)`, in `waitUntil`), then logs `worker_done SCOPE ID BYTES
/// RECORDS`; a failed fetch logs `worker_failed SCOPE ID REASON`.
pub const CACHING_SW: &str = r#"
self.addEventListener('install', event => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  const records = await event.registration.matchAll();
  const cache = await caches.open('downloads');
  for (const record of records) {
    await cache.put(record.request, await record.responseReady);
  }
  console.log(`worker_done ${self.registration.scope} ${event.registration.id} ${event.registration.downloaded} ${records.length}`);
})().catch(e => console.log(`worker_failed ${self.registration.scope} ${event.registration.id} ${e}`))));
self.addEventListener('backgroundfetchfail', event => {
  console.log(`worker_failed ${self.registration.scope} ${event.registration.id} ${event.registration.failureReason}`);
});
"#;

/// The page of those benchmarks: `ready()` registers [`CACHING_SW`] for the page's folder
/// and waits for it to be active; `start(id, urls, total)` starts a background fetch.
pub const CACHING_PAGE: &str = r#"<!doctype html><script>
async function ready() {
  await navigator.serviceWorker.register('sw.js', { scope: './' });
  await navigator.serviceWorker.ready;
  return 'ready';
}
async function start(id, urls, total) {
  const registration = await navigator.serviceWorker.ready;
  await registration.backgroundFetch.fetch(id, urls, { downloadTotal: total });
  return 'started';
}
</script>"#;

/// The origin of an absolute `scheme://host:port/path` URL (ASCII hosts).
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// The protocols to measure: HTTP/1.1 (false) and HTTP/2 (true), or only the one
/// `BGFETCH_BENCH_HTTP` names (`1.1` or `2`).
pub fn protocols() -> Vec<bool> {
    match std::env::var("BGFETCH_BENCH_HTTP").as_deref() {
        Ok("1.1") => vec![false],
        Ok("2") => vec![true],
        _ => vec![false, true],
    }
}

/// A command running this benchmark's binary again (add `--child` and its arguments). With
/// `BGFETCH_BENCH_PERF=DIR`, under `perf record` with DWARF call graphs (release builds have
/// no frame pointers; the profile goes to `DIR/NAME.perf.data`).
pub fn child_command(name: &str) -> std::process::Command {
    let exe = std::env::current_exe().unwrap();
    match std::env::var_os("BGFETCH_BENCH_PERF") {
        Some(dir) => {
            let mut c = std::process::Command::new("perf");
            c.args([
                "record",
                "-F",
                "999",
                "--call-graph",
                "dwarf,16384",
                "-q",
                "-o",
            ])
            .arg(std::path::Path::new(&dir).join(format!("{name}.perf.data")))
            .arg("--")
            .arg(exe);
            c
        }
        None => std::process::Command::new(exe),
    }
}

/// CPU seconds (user + system) of this process's children that ended and were waited for
/// (`/proc/self/stat`'s cutime and cstime, in clock ticks of 1/100 s).
pub fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(13) + ticks(14)) / 100.0
}
