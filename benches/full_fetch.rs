//! Benchmark (not a test): one large response (1 GiB, or `BGFETCH_BENCH_BYTES`) through a
//! whole background fetch, as a site uses it: the page calls `backgroundFetch.fetch()`, the
//! controller downloads the body into the profile, `backgroundfetchsuccess` fires in the
//! service worker, which puts the record in a cache (`cache.put(record.request, await
//! record.responseReady)` in `waitUntil`) and reports done on the console. Timed from the
//! page's call to the worker's report, over HTTPS with HTTP/1.1 and with HTTP/2 (the local
//! WPT server offering h2 by ALPN), against `curl -o` of the same URL and `curl -o` followed
//! by `sync -d` (fdatasync) of its file: ours makes every byte durable before the fetch
//! succeeds, curl alone does not.
//!
//! Prints the wall-time ratios (ours / curl, ours / curl + fdatasync) and the engine
//! process's peak RSS. Targets (issue 15): within 1.05x curl, faster than curl + fdatasync,
//! peak RSS under 64 MiB.
//!
//! ```sh
//! cargo bench --bench full_fetch                       # 1 GiB, best of 3
//! BGFETCH_BENCH_BYTES=268435456 BGFETCH_BENCH_RUNS=1 cargo bench --bench full_fetch
//! ```
//!
//! The engine runs in a child process (this binary again, with `--child`), so its peak RSS
//! is its own (the server stays in this process); its start, the page load and the worker's
//! registration are not timed (curl's start is, a few milliseconds). Needs `curl` (with
//! HTTP/2) on the PATH.

mod support;

use engine::{Engine, EngineConfig, PermissionState};
use std::process::Command;
use std::time::{Duration, Instant};
use support::{Site, Watch};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let bytes = support::env_u64("BGFETCH_BENCH_BYTES", 1 << 30);
    let runs = support::runs(3);
    println!(
        "{} MiB through a full background fetch (page -> controller -> storage -> \
         backgroundfetchsuccess -> cache.put) vs curl -o, best of {runs}",
        bytes >> 20
    );
    for http2 in support::protocols() {
        let site = Site::serve(
            &[
                ("bench/index.html", support::CACHING_PAGE),
                ("bench/sw.js", support::CACHING_SW),
            ],
            http2,
        );
        let origin = site.https_origin("web-platform.test", 0);
        let port = site.server.config.https_ports[0];
        let url = format!("{origin}/_faults/body?size={bytes}&seed=1&chunk=262144");
        let (mut ours, mut settled, mut curl, mut curl_sync) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut rss: f64 = 0.0;
        for run in 0..runs {
            // Ours.
            let profile = site.work.path().join(format!("profile-{run}"));
            let out =
                support::child_command(&format!("full_fetch-{}", if http2 { "h2" } else { "h1" }))
                    .arg("--child")
                    .arg(&profile)
                    .arg(format!("{origin}/bench/index.html"))
                    .arg(&url)
                    .arg(bytes.to_string())
                    .arg(&site.ca_der)
                    .output()
                    .expect("the child runs");
            let _ = std::fs::remove_dir_all(&profile);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "the child failed: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            ours.push(Duration::from_secs_f64(
                support::value(&text, "done_ms") / 1000.0,
            ));
            settled.push(Duration::from_secs_f64(
                support::value(&text, "settled_ms") / 1000.0,
            ));
            rss = rss.max(support::value(&text, "peak_rss_kib"));
            // curl, same URL, to a file; then the same made durable (`sync -d`: fdatasync).
            let file = site.work.path().join("curl.out");
            let curl_cmd = format!(
                "curl -s -f {} -o '{f}' --cacert '{ca}' --resolve 'web-platform.test:{port}:127.0.0.1' '{url}'",
                if http2 { "--http2" } else { "--http1.1" },
                f = file.display(),
                ca = site.ca_pem.display(),
            );
            for (cmd, times) in [
                (curl_cmd.clone(), &mut curl),
                (
                    format!("{curl_cmd} && sync -d '{}'", file.display()),
                    &mut curl_sync,
                ),
            ] {
                let started = Instant::now();
                let status = Command::new("sh")
                    .arg("-c")
                    .arg(&cmd)
                    .status()
                    .expect("curl runs (is it installed?)");
                times.push(started.elapsed());
                assert!(status.success(), "curl failed: {cmd}");
                assert_eq!(std::fs::metadata(&file).unwrap().len(), bytes);
                std::fs::remove_file(&file).unwrap();
            }
        }
        let (o, s, c, cs) = (
            support::best(&ours).as_secs_f64(),
            support::best(&settled).as_secs_f64(),
            support::best(&curl).as_secs_f64(),
            support::best(&curl_sync).as_secs_f64(),
        );
        let mib = bytes as f64 / (1 << 20) as f64;
        println!(
            "{:>8}: bgfetch to the worker's done {o:.2} s ({:.0} MiB/s; settled at {s:.2} s); \
             curl {c:.2} s, ratio {:.3} (target 1.05); curl + fdatasync {cs:.2} s, ratio {:.3} \
             (target < 1); peak RSS {:.1} MiB (target 64)",
            if http2 { "HTTP/2" } else { "HTTP/1.1" },
            mib / o,
            o / c,
            o / cs,
            rss / 1024.0
        );
    }
}

/// The engine: opens the page, registers the worker, then times one background fetch of
/// `url` from the page's call to the worker's `worker_done`; prints `key value` lines.
fn child(args: &[String]) {
    let [profile, page_url, url, size, ca] = args else {
        panic!("--child PROFILE PAGE_URL URL SIZE CA");
    };
    let size: u64 = size.parse().unwrap();
    let (tx, seen) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.delegate = std::sync::Arc::new(Watch(tx));
    config.network = support::wpt_network(ca);
    config.background_fetch.quota_per_origin = Some(8 << 30);
    let engine = Engine::start(config).expect("the engine starts");
    engine.set_permission(
        support::origin_of(page_url),
        "background-fetch",
        PermissionState::Granted,
    );
    let page = engine.open_page(page_url).unwrap();
    page.wait_loaded(Duration::from_secs(30)).unwrap();
    page.eval_promise("ready()", Duration::from_secs(30))
        .expect("the worker is active");
    let long = Duration::from_secs(1200);
    let started = Instant::now();
    page.eval_promise(&format!("start('bench', [{url:?}], {size})"), long)
        .expect("the background fetch starts");
    let (done, settled) = support::wait_worker_done(&seen, started, size, long);
    println!("done_ms {}", done.as_secs_f64() * 1000.0);
    println!("settled_ms {}", settled.as_secs_f64() * 1000.0);
    println!("peak_rss_kib {}", support::status_kib("VmHWM:"));
    page.close();
    engine.shutdown();
}
