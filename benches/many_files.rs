//! Benchmark (not a test): many small files in one background fetch (as an offline
//! dictionary or a gallery fetches them), through the controller, against curl fetching the
//! same URLs in parallel from the same local server:
//!
//! - HTTP/1.1: the server offers HTTP/1.1 only; curl `--parallel --parallel-max 6`;
//! - HTTP/2: the server offers h2 (ALPN); curl `--parallel --http2` (streams on one
//!   connection).
//!
//! Ours makes every byte durable before the fetch is done (fdatasync per file); curl does
//! not, so curl + `sync` of its files is timed as well. Both run as child processes (ours:
//! this binary again, with `--child`). Needs `curl` (with HTTP/2) on the PATH.
//!
//! Each side's best of three runs is printed (creating thousands of files is noisy).
//!
//! ```sh
//! cargo bench --bench many_files                       # 2,000 x 64 KiB
//! BGFETCH_BENCH_FILES=500 cargo bench --bench many_files
//! ```

mod support;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

const SIZE: u64 = 64 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let files: u64 = std::env::var("BGFETCH_BENCH_FILES")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(2_000);
    println!(
        "{files} x 64 KiB in one background fetch vs curl --parallel (same local server, HTTPS)"
    );
    // Every run's files are kept until the end. On ext4 without a journal (this project's
    // machine), creating a file right after many were deleted scans past each recently
    // deleted inode (`recently_deleted`, 30 s): deleting one run's 2,000 files slowed the
    // next run's file creation several times over, whichever side it was.
    let work = tempfile::tempdir().expect("a temporary folder");
    for http2 in support::protocols() {
        let mut config = wpt::config::WptConfig::ephemeral();
        config.http2 = http2;
        let server = wpt::server::Server::start(wpt::server::ServerOptions {
            config,
            root: std::env::temp_dir(),
            harness_dir: None,
        })
        .expect("the server starts");
        let name = if http2 { "h2" } else { "h1" };
        let work = work.path().join(name);
        std::fs::create_dir_all(&work).unwrap();
        let ca_der = work.join("ca.der");
        let ca_pem = work.join("ca.pem");
        std::fs::write(&ca_der, &server.ca_der).unwrap();
        std::fs::write(&ca_pem, support::pem(&server.ca_der)).unwrap();
        let port = server.config.https_ports[0];
        let origin = format!("https://web-platform.test:{port}");
        let urls: Vec<String> = (0..files)
            .map(|i| format!("{origin}/_faults/body?size={SIZE}&seed={i}"))
            .collect();
        let list = work.join("urls.txt");
        std::fs::write(&list, urls.join("\n")).unwrap();
        // curl: a config file per run naming every URL and its output file.
        let protocol = if http2 {
            "--http2".to_string()
        } else {
            "--http1.1 --parallel-max 6".to_string()
        };
        let curl_into = |dir: &std::path::Path| {
            std::fs::create_dir_all(dir).unwrap();
            let cfg_path = dir.with_extension("cfg");
            let mut cfg = std::fs::File::create(&cfg_path).unwrap();
            for (i, url) in urls.iter().enumerate() {
                writeln!(cfg, "url = \"{url}\"\noutput = \"{}/{i}\"", dir.display()).unwrap();
            }
            format!(
                "curl -s -f --no-progress-meter --parallel {protocol} --cacert '{ca}' --resolve 'web-platform.test:{port}:127.0.0.1' -K '{cfg}'",
                ca = ca_pem.display(),
                cfg = cfg_path.display()
            )
        };
        let stored = |dir: &std::path::Path| -> u64 {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        };
        // Best of `BGFETCH_BENCH_RUNS` (3) per side, the sides taking turns (file creation
        // on a shared disk is noisy).
        let (mut ours, mut curl, mut curl_sync) = (Duration::MAX, Duration::MAX, Duration::MAX);
        let mut peak: f64 = 0.0;
        // CPU seconds (user + system) of each side's process, the least of the runs.
        let (mut ours_cpu, mut curl_cpu) = (f64::MAX, f64::MAX);
        for run in 0..support::runs(3) {
            let profile = work.join(format!("profile-{run}"));
            let cpu = support::children_cpu_seconds();
            let started = Instant::now();
            let out = support::child_command(&format!("many_files_{name}"))
                .arg("--child")
                .arg(&profile)
                .arg(&origin)
                .arg(&list)
                .arg(&ca_der)
                .output()
                .expect("the child runs");
            ours = ours.min(started.elapsed());
            ours_cpu = ours_cpu.min(support::children_cpu_seconds() - cpu);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "the child failed: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            peak = peak.max(support::value(&text, "peak_rss_kib"));

            let dir = work.join(format!("curl-{run}"));
            let command = curl_into(&dir);
            let cpu = support::children_cpu_seconds();
            let started = Instant::now();
            let status = Command::new("sh")
                .arg("-c")
                .arg(&command)
                .status()
                .expect("curl runs (is it installed?)");
            curl = curl.min(started.elapsed());
            curl_cpu = curl_cpu.min(support::children_cpu_seconds() - cpu);
            assert!(status.success(), "curl failed");
            assert_eq!(stored(&dir), files * SIZE, "curl stored every byte");

            let dir = work.join(format!("curl-sync-{run}"));
            let command = curl_into(&dir);
            let started = Instant::now();
            let status = Command::new("sh")
                .arg("-c")
                .arg(format!("{command} && sync"))
                .status()
                .expect("curl and sync run");
            curl_sync = curl_sync.min(started.elapsed());
            assert!(status.success(), "curl + sync failed");
            assert_eq!(stored(&dir), files * SIZE, "curl stored every byte");
        }
        println!(
            "{:>8}: bgfetch {:.2} s; curl {:.2} s, ratio {:.2}; curl + sync {:.2} s, ratio {:.2}; bgfetch peak RSS {:.1} MiB; CPU bgfetch {:.2} s, curl {:.2} s",
            if http2 { "HTTP/2" } else { "HTTP/1.1" },
            ours.as_secs_f64(),
            curl.as_secs_f64(),
            ours.as_secs_f64() / curl.as_secs_f64(),
            curl_sync.as_secs_f64(),
            ours.as_secs_f64() / curl_sync.as_secs_f64(),
            peak / 1024.0,
            ours_cpu,
            curl_cpu
        );
    }
}

/// The downloader: a controller on a fresh profile fetches every URL of the list file in
/// one background fetch and exits once it succeeded, printing its peak RSS.
fn child(args: &[String]) {
    let [profile, origin, list, ca] = args else {
        panic!("--child PROFILE ORIGIN LIST CA");
    };
    let urls: Vec<String> = std::fs::read_to_string(list)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let total = urls.len() as u64 * SIZE;
    support::fetch_in_one_background_fetch(profile, origin, ca, &urls, total);
}
