//! Benchmark (not a test): many background fetches from many origins at once. 20 HTTPS
//! origins of the local WPT server (its host names `web-platform.test`, `www.`, `www1.`,
//! `www2.` and the two IDN subdomains, and `not-web-platform.test` with `www.`, `www1.`,
//! `www2.`, each on both HTTPS ports) each open a page that registers its own service
//! worker; then every page starts 10 background fetches of 10 files (64 KiB each, or
//! `BGFETCH_BENCH_FILE_BYTES`) at once: 200 fetches, 2,000 files. The workers put every
//! record in a cache on `backgroundfetchsuccess`.
//!
//! Prints the time until every fetch settled (and until every worker was done with its
//! success event), the fairness between origins (each origin's finish: its last fetch
//! settled; the slowest origin's finish over the fastest's), and the engine process's peak
//! RSS, against curl fetching the same 2,000 URLs with `--parallel` (at most 6 transfers
//! at once, as the engine's 6 connections; HTTP/2 multiplexes), alone and followed by
//! `sync`. Over HTTP/1.1 and HTTP/2. Targets (issue 15): peak RSS under 256 MiB, the slowest
//! origin within 2x of the fastest.
//!
//! ```sh
//! cargo bench --bench many_origins
//! BGFETCH_BENCH_FILE_BYTES=16384 BGFETCH_BENCH_RUNS=1 cargo bench --bench many_origins
//! ```
//!
//! The engine runs in a child process (this binary again, with `--child`); the pages'
//! loads and the workers' registrations are not timed.

mod support;

use engine::{Engine, EngineConfig, FetchResult, PermissionState};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};
use support::{Seen, Site, Watch};

const ORIGINS: usize = 20;
/// An origin and when its last fetch settled (ms after the start).
type Finish = (String, f64);
const FETCHES: u64 = 10;
const FILES: u64 = 10;

const PAGE: &str = r#"<!doctype html><script>
async function ready() {
  await navigator.serviceWorker.register('sw.js', { scope: './' });
  await navigator.serviceWorker.ready;
  return 'ready';
}
// Starts `fetches` background fetches of `files` files each, all at once (URLs numbered
// from `first`); logs `started ORIGIN` once every one is registered.
function startAll(first, fetches, files, size) {
  navigator.serviceWorker.ready.then(registration => Promise.all(
    Array.from({ length: fetches }, (_, f) => registration.backgroundFetch.fetch(
      `fetch-${f}`,
      Array.from({ length: files }, (_, i) => `/_faults/body?size=${size}&seed=${first + f * files + i}&key=many`),
      { downloadTotal: files * size })))
  ).then(() => console.log(`started ${location.origin}`), e => console.log(`start_failed ${location.origin} ${e}`));
  return 'starting';
}
</script>"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let size = support::env_u64("BGFETCH_BENCH_FILE_BYTES", 64 * 1024);
    let runs = support::runs(3);
    let total = ORIGINS as u64 * FETCHES * FILES;
    println!(
        "{} background fetches x {FILES} files of {} KiB from {ORIGINS} origins at once \
         (their pages and workers ready first) vs curl --parallel of the same {total} URLs; best of {runs}",
        ORIGINS as u64 * FETCHES,
        size >> 10
    );
    for http2 in support::protocols() {
        let site = Site::serve(
            &[
                ("bench/index.html", PAGE),
                ("bench/sw.js", support::CACHING_SW),
            ],
            http2,
        );
        let origins: Vec<String> = site.https_origins().into_iter().take(ORIGINS).collect();
        // Ours: the best time to all settled, and the worst fairness, over the runs.
        let mut settled = f64::INFINITY;
        let mut all_done = f64::NAN;
        // (slowest / fastest, the fastest origin and its finish, the slowest and its finish)
        let mut worst: Option<(f64, Finish, Finish)> = None;
        let (mut rss, mut setup_rss): (f64, f64) = (0.0, 0.0);
        for run in 0..runs {
            let profile = site.work.path().join(format!("profile-{run}"));
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--child")
                .arg(&profile)
                .arg(&site.ca_der)
                .arg(size.to_string())
                .arg(origins.join(","))
                .output()
                .expect("the child runs");
            let _ = std::fs::remove_dir_all(&profile);
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                out.status.success(),
                "the child failed: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            rss = rss.max(support::value(&text, "peak_rss_kib"));
            setup_rss = setup_rss.max(support::value(&text, "setup_rss_kib"));
            let this = support::value(&text, "all_settled_ms");
            if this < settled {
                settled = this;
                all_done = support::value(&text, "all_done_ms");
            }
            let finishes: Vec<(String, f64)> = text
                .lines()
                .filter_map(|l| {
                    let mut parts = l.strip_prefix("origin_settled_ms ")?.split(' ');
                    Some((parts.next()?.to_string(), parts.next()?.parse().ok()?))
                })
                .collect();
            assert_eq!(finishes.len(), ORIGINS, "{text}");
            if std::env::var_os("BGFETCH_BENCH_VERBOSE").is_some() {
                for line in text
                    .lines()
                    .filter(|l| l.starts_with("origin_settled_ms") || l.starts_with("settle_order"))
                {
                    println!("          {line}");
                }
            }
            let fastest = finishes.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
            let slowest = finishes.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
            let ratio = slowest.1 / fastest.1;
            if worst.as_ref().is_none_or(|(w, _, _)| ratio > *w) {
                worst = Some((ratio, fastest.clone(), slowest.clone()));
            }
        }
        let (ratio, fastest, slowest) = worst.unwrap();
        // curl: every URL and its output file in a config file.
        let dir = site.work.path().join("curl");
        std::fs::create_dir_all(&dir).unwrap();
        let cfg_path = site.work.path().join("curl.cfg");
        let mut cfg = std::fs::File::create(&cfg_path).unwrap();
        for (o, origin) in origins.iter().enumerate() {
            let first = o as u64 * FETCHES * FILES;
            for n in first..first + FETCHES * FILES {
                writeln!(
                    cfg,
                    "url = \"{origin}/_faults/body?size={size}&seed={n}&key=curl\"\noutput = \"{}/{n}\"",
                    dir.display()
                )
                .unwrap();
            }
        }
        drop(cfg);
        let curl_cmd = format!(
            "curl -s -f --no-progress-meter --parallel --parallel-max 6 {} --cacert '{}'{} -K '{}'",
            if http2 { "--http2" } else { "--http1.1" },
            site.ca_pem.display(),
            site.curl_resolve(),
            cfg_path.display()
        );
        let (mut curl, mut curl_sync) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            for (cmd, times) in [
                (curl_cmd.clone(), &mut curl),
                (format!("{curl_cmd} && sync"), &mut curl_sync),
            ] {
                let started = Instant::now();
                let status = Command::new("sh")
                    .arg("-c")
                    .arg(&cmd)
                    .status()
                    .expect("curl runs (is it installed?)");
                times.push(started.elapsed());
                assert!(status.success(), "curl failed");
                let stored: u64 = std::fs::read_dir(&dir)
                    .unwrap()
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum();
                assert_eq!(stored, total * size, "curl stored every byte");
                std::fs::remove_dir_all(&dir).unwrap();
                std::fs::create_dir_all(&dir).unwrap();
            }
        }
        let (c, cs) = (
            support::best(&curl).as_secs_f64(),
            support::best(&curl_sync).as_secs_f64(),
        );
        let s = settled / 1000.0;
        println!(
            "{:>8}: all settled {s:.2} s (workers done {:.2} s); curl {c:.2} s, ratio {:.2}; \
             curl + sync {cs:.2} s, ratio {:.2}",
            if http2 { "HTTP/2" } else { "HTTP/1.1" },
            all_done / 1000.0,
            s / c,
            s / cs,
        );
        println!(
            "          fairness (the worst run): fastest origin done at {:.2} s ({}), slowest at {:.2} s ({}), \
             ratio {ratio:.2} (target 2); peak RSS {:.1} MiB (target 256; {:.1} MiB with the pages \
             and workers ready, before the fetches)",
            fastest.1 / 1000.0,
            fastest.0,
            slowest.1 / 1000.0,
            slowest.0,
            rss / 1024.0,
            setup_rss / 1024.0
        );
    }
}

/// The engine: a page and a worker per origin, then every page starts its fetches at once;
/// prints when each origin's last fetch settled, when all did, and the peak RSS.
fn child(args: &[String]) {
    let [profile, ca, size, origins] = args else {
        panic!("--child PROFILE CA FILE_SIZE ORIGINS");
    };
    let size: u64 = size.parse().unwrap();
    let origins: Vec<&str> = origins.split(',').collect();
    let (tx, seen) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.delegate = std::sync::Arc::new(Watch(tx));
    config.network = support::wpt_network(ca);
    config.background_fetch.quota_per_origin = Some(8 << 30);
    let engine = Engine::start(config).expect("the engine starts");
    let wait = Duration::from_secs(60);
    let mut pages = Vec::new();
    for origin in &origins {
        engine.set_permission(origin, "background-fetch", PermissionState::Granted);
        let page = engine
            .open_page(&format!("{origin}/bench/index.html"))
            .unwrap();
        page.wait_loaded(wait).unwrap();
        page.eval_promise("ready()", wait)
            .expect("the worker is active");
        pages.push(page);
    }
    let setup_rss = support::status_kib("VmHWM:");
    // Every page starts its fetches; none waits for another's.
    let started = Instant::now();
    for (o, page) in pages.iter().enumerate() {
        let first = o as u64 * FETCHES * FILES;
        page.eval(&format!("startAll({first}, {FETCHES}, {FILES}, {size})"))
            .expect("the page starts its fetches");
    }
    let total = origins.len() * FETCHES as usize;
    let mut settled: HashSet<engine::FetchUid> = HashSet::new();
    let mut origin_settled: BTreeMap<String, Duration> = BTreeMap::new();
    let mut origin_first: BTreeMap<String, Duration> = BTreeMap::new();
    let mut origin_started: BTreeMap<String, Duration> = BTreeMap::new();
    let mut settle_order = Vec::new();
    let (mut done, mut all_settled, mut all_done) = (0, Duration::ZERO, Duration::ZERO);
    let long = Duration::from_secs(600);
    while settled.len() < total || done < total {
        let (at, event) = seen
            .recv_timeout(long)
            .unwrap_or_else(|_| panic!("stuck: {} settled, {done} done", settled.len()));
        match event {
            Seen::Fetch(info) if info.result != FetchResult::Empty && settled.insert(info.uid) => {
                assert_eq!(info.result, FetchResult::Success, "{info:?}");
                origin_settled.insert(info.origin.clone(), at - started);
                settle_order.push(format!(
                    "{}@{}",
                    origins.iter().position(|o| *o == info.origin).unwrap_or(99),
                    (at - started).as_millis()
                ));
                origin_first
                    .entry(info.origin.clone())
                    .or_insert(at - started);
                all_settled = at - started;
            }
            Seen::Console(line) if line.starts_with("started ") => {
                origin_started.insert(line["started ".len()..].to_string(), at - started);
            }
            Seen::Console(line) if line.starts_with("worker_done") => {
                done += 1;
                all_done = at - started;
            }
            Seen::Console(line)
                if line.starts_with("worker_failed") || line.starts_with("start_failed") =>
            {
                panic!("{line}")
            }
            _ => {}
        }
    }
    for (origin, at) in &origin_settled {
        let ms = |d: Option<&Duration>| d.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN);
        println!(
            "origin_settled_ms {origin} {} (all registered at {:.0} ms, first settled at {:.0} ms)",
            ms(Some(at)),
            ms(origin_started.get(origin)),
            ms(origin_first.get(origin))
        );
    }
    println!("settle_order {}", settle_order.join(" "));
    println!("all_settled_ms {}", all_settled.as_secs_f64() * 1000.0);
    println!("all_done_ms {}", all_done.as_secs_f64() * 1000.0);
    println!("setup_rss_kib {setup_rss}");
    println!("peak_rss_kib {}", support::status_kib("VmHWM:"));
    for page in pages {
        page.close();
    }
    engine.shutdown();
}
