//! Benchmark (not a test): a background fetch of a large body from the local WPT server
//! through the controller, against `curl -o` of the same URL in the same run. Prints the
//! wall-time ratio (ours / curl) and our peak RSS, over HTTPS and plain HTTP.
//!
//! ```sh
//! cargo bench --bench bgfetch_vs_curl                 # 1 GiB
//! BGFETCH_BENCH_BYTES=268435456 cargo bench --bench bgfetch_vs_curl
//! ```
//!
//! Ours makes every byte durable before it reports the fetch done (fdatasync); curl does
//! not, so the run also times curl followed by `sync -d` of its file, the same guarantee.
//!
//! Both sides run as child processes (ours: this binary again, with `--child`), so each
//! one's start-up is counted and the peak RSS is the downloader's alone (the server stays in
//! this process). Needs `curl` on the PATH.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let bytes: u64 = std::env::var("BGFETCH_BENCH_BYTES")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(1 << 30);
    let server = wpt::server::Server::start(wpt::server::ServerOptions {
        config: wpt::config::WptConfig::ephemeral(),
        root: std::env::temp_dir(),
        harness_dir: None,
    })
    .expect("the server starts");
    let work = tempfile::tempdir().expect("a temporary folder");
    let ca_der = work.path().join("ca.der");
    let ca_pem = work.path().join("ca.pem");
    std::fs::write(&ca_der, &server.ca_der).unwrap();
    std::fs::write(&ca_pem, support::pem(&server.ca_der)).unwrap();
    println!(
        "bgfetch vs curl: {} MiB body from the local server, best of {RUNS}",
        bytes >> 20
    );
    // Plain HTTP goes to 127.0.0.1: a service worker's origin is a secure context, and
    // loopback is the one place http is not mixed content.
    for (scheme, host, port) in [
        ("https", "web-platform.test", server.config.https_ports[0]),
        ("http", "127.0.0.1", server.config.http_ports[0]),
    ] {
        let origin = format!("{scheme}://{host}:{port}");
        let url = format!("{origin}/_faults/body?size={bytes}&seed=1&chunk=262144");
        let mut ours = Vec::new();
        let mut curl = Vec::new();
        let mut curl_sync = Vec::new();
        let mut rss = 0u64;
        for run in 0..RUNS {
            // Ours.
            let profile = work.path().join(format!("profile-{scheme}-{run}"));
            let started = Instant::now();
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--child")
                .arg(&profile)
                .arg(&origin)
                .arg(&url)
                .arg(&ca_der)
                .arg(bytes.to_string())
                .output()
                .expect("the child runs");
            let elapsed = started.elapsed();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "the child failed: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let peak: u64 = text
                .lines()
                .find_map(|l| l.strip_prefix("peak_rss_kib "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            rss = rss.max(peak);
            ours.push(elapsed);
            let _ = std::fs::remove_dir_all(&profile);
            // curl, same URL, to a file.
            let file = work.path().join("curl.out");
            let started = Instant::now();
            let status = Command::new("curl")
                .args(["-s", "-f", "-o"])
                .arg(&file)
                .arg("--cacert")
                .arg(&ca_pem)
                .arg("--resolve")
                .arg(format!("web-platform.test:{port}:127.0.0.1"))
                .arg(&url)
                .status()
                .expect("curl runs (is it installed?)");
            curl.push(started.elapsed());
            assert!(status.success(), "curl failed");
            assert_eq!(std::fs::metadata(&file).unwrap().len(), bytes);
            let _ = std::fs::remove_file(&file);
            // curl, then made durable as ours is (`sync -d`: fdatasync of the file).
            let started = Instant::now();
            let status = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "curl -s -f -o '{f}' --cacert '{ca}' --resolve 'web-platform.test:{port}:127.0.0.1' '{url}' && sync -d '{f}'",
                    f = file.display(),
                    ca = ca_pem.display(),
                ))
                .status()
                .expect("curl and sync run");
            curl_sync.push(started.elapsed());
            assert!(status.success(), "curl + sync failed");
            let _ = std::fs::remove_file(&file);
        }
        let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
        let (o, c, cs) = (best(&ours), best(&curl), best(&curl_sync));
        let mib = bytes as f64 / (1 << 20) as f64;
        println!(
            "{scheme:>5}: bgfetch {:.2} s ({:.0} MiB/s); curl {:.2} s ({:.0} MiB/s), ratio {:.2}; \
             curl + fdatasync {:.2} s, ratio {:.2}; bgfetch peak RSS {:.1} MiB",
            o.as_secs_f64(),
            mib / o.as_secs_f64(),
            c.as_secs_f64(),
            mib / c.as_secs_f64(),
            o.as_secs_f64() / c.as_secs_f64(),
            cs.as_secs_f64(),
            o.as_secs_f64() / cs.as_secs_f64(),
            rss as f64 / 1024.0
        );
    }
}

/// The downloader: a controller on a fresh profile fetches `url` and exits when the body is
/// stored (and its size checked), printing its peak RSS.
fn child(args: &[String]) {
    let [profile, origin, url, ca, bytes] = args else {
        panic!("--child PROFILE ORIGIN URL CA BYTES");
    };
    support::fetch_in_one_background_fetch(
        profile,
        origin,
        ca,
        std::slice::from_ref(url),
        bytes.parse().unwrap(),
    );
}
