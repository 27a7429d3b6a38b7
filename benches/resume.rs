//! Benchmark (not a test): a background fetch resumed after a crash. An engine (a child
//! process: this binary again, with `--child`) starts a background fetch of 1 GiB (or
//! `BGFETCH_BENCH_BYTES`) from a page whose service worker puts the record in a cache on
//! `backgroundfetchsuccess`; once the engine reports half of it downloaded (durable), the
//! process is killed with SIGKILL. A new engine process on the same profile resumes the
//! fetch (a Range request from what the profile holds) and the restored worker gets the
//! success event.
//!
//! Prints the time from the new engine's start to the fetch settled (and to the worker's
//! done), against curl fetching the same remaining bytes (`curl -r N-`, alone and followed
//! by `sync -d`), and the bytes downloaded twice: what the server sent in all (its
//! `/_faults/stats` count) minus the body's size. Target (issue 15): under 1% of the body
//! downloaded again.
//!
//! ```sh
//! cargo bench --bench resume
//! BGFETCH_BENCH_BYTES=268435456 BGFETCH_BENCH_RUNS=1 cargo bench --bench resume
//! ```

mod support;

use engine::{Engine, EngineConfig, PermissionState};
use std::process::Command;
use std::time::{Duration, Instant};
use support::{ChildGuard, Seen, Site, Watch};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let bytes = support::env_u64("BGFETCH_BENCH_BYTES", 1 << 30);
    let runs = support::runs(3);
    let mib = |b: f64| b / (1 << 20) as f64;
    println!(
        "a {} MiB background fetch, its engine SIGKILLed at half, resumed by a new engine on \
         the profile ({runs} runs)",
        bytes >> 20
    );
    let site = Site::serve(
        &[
            ("bench/index.html", support::CACHING_PAGE),
            ("bench/sw.js", support::CACHING_SW),
        ],
        false,
    );
    let origin = site.https_origin("web-platform.test", 0);
    let port = site.server.config.https_ports[0];
    let page_url = format!("{origin}/bench/index.html");
    let mut worst_again: f64 = 0.0;
    let mut ratios = Vec::new();
    for run in 0..runs {
        let key = format!("resume-{run}");
        let url = format!("{origin}/_faults/body?size={bytes}&seed=4&chunk=262144&key={key}");
        let profile = site.work.path().join(format!("profile-{run}"));
        // The first engine, killed once half the body is durable.
        let mut first = ChildGuard::spawn(&[
            "first".as_ref(),
            profile.as_os_str(),
            page_url.as_ref(),
            url.as_ref(),
            bytes.to_string().as_ref(),
            site.ca_der.as_os_str(),
        ]);
        let lines = first.lines();
        let durable = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(300))
                .expect("the first engine reports progress");
            if let Some(n) = line.strip_prefix("progress ") {
                let n: u64 = n.parse().unwrap();
                if n >= bytes / 2 {
                    break n;
                }
            }
        };
        first.kill();
        // What the server had sent when the engine died (its task stops at the next write).
        std::thread::sleep(Duration::from_millis(300));
        let (_, sent_before, _) = site.stats(&key);
        // The second engine, on the same profile.
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("--child")
            .arg("resume")
            .arg(&profile)
            .arg(&page_url)
            .arg(&url)
            .arg(bytes.to_string())
            .arg(&site.ca_der)
            .output()
            .expect("the second engine runs");
        let _ = std::fs::remove_dir_all(&profile);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the second engine failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (requests, sent, ranges) = site.stats(&key);
        let resumed_from: u64 = ranges
            .last()
            .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok())
            .unwrap_or_else(|| panic!("no Range asked for: {requests} requests, {ranges:?}, {sent} bytes sent; {text}"));
        let again = sent.saturating_sub(bytes);
        worst_again = worst_again.max(again as f64 / bytes as f64);
        // curl: the same remaining bytes, alone and made durable.
        let file = site.work.path().join("curl.out");
        let curl_cmd = format!(
            "curl -s -f -r {resumed_from}- -o '{f}' --cacert '{ca}' --resolve 'web-platform.test:{port}:127.0.0.1' '{url}'",
            f = file.display(),
            ca = site.ca_pem.display(),
        );
        let mut curl = Vec::new();
        for cmd in [
            curl_cmd.clone(),
            format!("{curl_cmd} && sync -d '{}'", file.display()),
        ] {
            let started = Instant::now();
            let status = Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .status()
                .expect("curl runs (is it installed?)");
            curl.push(started.elapsed().as_secs_f64());
            assert!(status.success(), "curl failed: {cmd}");
            assert_eq!(
                std::fs::metadata(&file).unwrap().len(),
                bytes - resumed_from
            );
            std::fs::remove_file(&file).unwrap();
        }
        let settled = support::value(&text, "settled_ms") / 1000.0;
        ratios.push(settled / curl[1]);
        println!(
            "run {run}: killed with {:.1} MiB durable (the server had sent {:.1} MiB); resumed \
             from {:.1} MiB; settled {settled:.2} s after the new engine's start (worker done \
             {:.2} s, peak RSS {:.1} MiB); curl -r of the remaining {:.1} MiB {:.2} s (ratio \
             {:.2}), + fdatasync {:.2} s (ratio {:.2}); {requests} requests, {:.1} MiB sent in all: \
             {:.2} MiB downloaded twice, {:.3}% (target 1%)",
            mib(durable as f64),
            mib(sent_before as f64),
            mib(resumed_from as f64),
            support::value(&text, "done_ms") / 1000.0,
            support::value(&text, "peak_rss_kib") / 1024.0,
            mib((bytes - resumed_from) as f64),
            curl[0],
            settled / curl[0],
            curl[1],
            settled / curl[1],
            mib(sent as f64),
            mib(again as f64),
            again as f64 * 100.0 / bytes as f64,
        );
    }
    println!(
        "worst: {:.3}% of the body downloaded twice (target 1%); best ratio to curl -r + \
         fdatasync {:.2}",
        worst_again * 100.0,
        ratios.iter().copied().fold(f64::INFINITY, f64::min)
    );
}

/// `first`: the page starts the fetch; every display update's durable bytes are printed
/// (`progress N`) until the parent kills the process. `resume`: an engine on the profile,
/// timed from its start to the fetch settled and the worker done.
fn child(args: &[String]) {
    let [phase, profile, page_url, url, size, ca] = args else {
        panic!("--child first|resume PROFILE PAGE_URL URL SIZE CA");
    };
    let size: u64 = size.parse().unwrap();
    let (tx, seen) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.delegate = std::sync::Arc::new(Watch(tx));
    config.network = support::wpt_network(ca);
    config.background_fetch.quota_per_origin = Some(8 << 30);
    let long = Duration::from_secs(1200);
    let started = Instant::now();
    let engine = Engine::start(config).expect("the engine starts");
    let origin = support::origin_of(page_url);
    engine.set_permission(origin, "background-fetch", PermissionState::Granted);
    if phase == "first" {
        let page = engine.open_page(page_url).unwrap();
        page.wait_loaded(Duration::from_secs(30)).unwrap();
        page.eval_promise("ready()", Duration::from_secs(30))
            .expect("the worker is active");
        page.eval_promise(&format!("start('bench', [{url:?}], {size})"), long)
            .expect("the background fetch starts");
        loop {
            if let Seen::Fetch(info) = seen.recv_timeout(long).expect("progress").1 {
                println!("progress {}", info.downloaded);
            }
        }
    }
    let (done, settled) = support::wait_worker_done(&seen, started, size, long);
    println!("settled_ms {}", settled.as_secs_f64() * 1000.0);
    println!("done_ms {}", done.as_secs_f64() * 1000.0);
    println!("peak_rss_kib {}", support::status_kib("VmHWM:"));
    engine.shutdown();
}
