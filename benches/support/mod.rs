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
