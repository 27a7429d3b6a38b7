//! Benchmark (not a test): an engine starting on a used profile. The profile is made by an
//! engine run once (a child process: this binary again, with `--child`): 10 HTTPS origins of
//! the local WPT server each open a page that registers the same service worker for 5
//! scopes (50 registrations); 1,000 small background fetches (4 KiB, one record each,
//! spread over the 50 registrations) run to the end, each record put in a cache by its
//! worker's `backgroundfetchsuccess`; then 20 large ones (256 MiB each, the server stalling
//! after 1 MiB of each response) start, and once the server has seen them (as many as run at
//! once) the engine is killed with SIGKILL: 20 fetches are left unfinished. (Finished fetches
//! leave no rows in the background fetch store, their event over: their mark on the profile
//! is the 1,000 cached responses.)
//!
//! Then a fresh engine process starts on the profile, and the time from its `Engine::start`
//! call to the server seeing the first resumed request (a stalled URL asked again) is
//! measured, with the server's clock against the child's (both the system's real-time
//! clock); also when the first connection was accepted and when `Engine::start` returned.
//! The reference is `Engine::start` on an empty profile. Target (issue 15): under 200 ms.
//!
//! ```sh
//! cargo bench --bench profile_start
//! BGFETCH_BENCH_FETCHES=200 BGFETCH_BENCH_RUNS=1 cargo bench --bench profile_start
//! ```

mod support;

use engine::{Engine, EngineConfig, FetchResult, PermissionState};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::{ChildGuard, KeepAlive, Seen, Site, Watch};

const ORIGINS: usize = 10;
const SCOPES: usize = 5;
const STALLED: usize = 20;
const SMALL_SIZE: u64 = 4096;
const LARGE_SIZE: u64 = 256 << 20;

const PAGE: &str = r#"<!doctype html><script>
let registrations = [];
async function activated(registration) {
  const worker = registration.installing || registration.waiting || registration.active;
  if (worker.state === 'activated') return;
  await new Promise(resolve => worker.addEventListener('statechange', () => {
    if (worker.state === 'activated') resolve();
  }));
}
async function registerScopes(n) {
  for (let i = 0; i < n; i++) {
    const registration = await navigator.serviceWorker.register('sw.js', { scope: `./s${i}/` });
    await activated(registration);
    registrations.push(registration);
  }
  return 'registered';
}
// Starts `count` background fetches of one URL each (`query` and a seed), spread over the
// registrations, all at once; logs `started KIND ORIGIN` once every one is registered.
function startFetches(kind, first, count, query) {
  Promise.all(Array.from({ length: count }, (_, k) =>
    registrations[k % registrations.length].backgroundFetch.fetch(
      `${kind}-${first + k}`, [`/_faults/body?${query}&seed=${first + k}&key=${kind}`]))
  ).then(() => console.log(`started ${kind} ${location.origin}`),
         e => console.log(`start_failed ${kind} ${location.origin} ${e}`));
  return 'starting';
}
</script>"#;

fn unix_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let small = support::env_u64("BGFETCH_BENCH_FETCHES", 1000) as usize;
    let runs = support::runs(5);
    println!(
        "engine start on a profile with {small} finished and {STALLED} unfinished background \
         fetches and {} service worker registrations: time to the first resumed request",
        ORIGINS * SCOPES
    );
    let site = Site::serve(
        &[
            ("bench/index.html", PAGE),
            ("bench/sw.js", support::CACHING_SW),
        ],
        false,
    );
    let origins: Vec<String> = site.https_origins().into_iter().take(ORIGINS).collect();
    let profile = site.work.path().join("profile");
    // The profile: an engine run, killed with the large fetches under way.
    let built = Instant::now();
    let mut builder = ChildGuard::spawn(&[
        "build".as_ref(),
        profile.as_os_str(),
        site.ca_der.as_os_str(),
        origins.join(",").as_ref(),
        small.to_string().as_ref(),
    ]);
    let lines = builder.lines();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(600))
            .expect("the profile is being built");
        if line == "stalled_started" {
            break;
        }
        assert!(!line.starts_with("failed"), "{line}");
    }
    // Every large fetch the engine runs at once is stalled at the server (1 MiB sent).
    let deadline = Instant::now() + Duration::from_secs(30);
    while site.stats("stalled").1 < 4 << 20 {
        assert!(Instant::now() < deadline, "the large fetches never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    builder.kill();
    let (stalled_requests, _, stalled_ranges) = site.stats("stalled");
    // What the profile holds (its store, read directly).
    let db = rusqlite::Connection::open(profile.join("bgfetch.sqlite")).expect("the store");
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let (registrations, fetches, unsettled, cached) = (
        count("SELECT COUNT(*) FROM sw_registrations"),
        count("SELECT COUNT(*) FROM fetches"),
        count("SELECT COUNT(*) FROM fetches WHERE state != 'settled'"),
        count("SELECT COUNT(*) FROM cache_entries"),
    );
    drop(db);
    println!(
        "  profile built in {:.1} s: {registrations} registrations, {fetches} fetches stored \
         ({unsettled} unsettled), {cached} cached responses; {stalled_requests} requests for the large \
         fetches ({} of them Range resumes)",
        built.elapsed().as_secs_f64(),
        stalled_ranges.len()
    );
    assert_eq!(
        (registrations, unsettled, cached),
        ((ORIGINS * SCOPES) as i64, STALLED as i64, small as i64)
    );
    // Fresh starts: each one is killed once measured (its resumed fetches stay unfinished).
    let mut poll = KeepAlive::connect(site.server.config.http_ports[0]);
    let connections = &site.server.state().faults.connections;
    let (mut first_request, mut first_connection, mut returned) =
        (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let requests_before = support::stats_of(&poll.get("/_faults/stats?key=stalled")).0;
        let conns_before = connections.load(Ordering::Relaxed);
        let mut child = ChildGuard::spawn(&[
            "start".as_ref(),
            profile.as_os_str(),
            site.ca_der.as_os_str(),
        ]);
        let lines = child.lines();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut connected = None;
        let seen_at = loop {
            assert!(Instant::now() < deadline, "no resumed request in 30 s");
            if connected.is_none() {
                if connections.load(Ordering::Relaxed) != conns_before {
                    connected = Some(unix_us());
                }
                std::thread::sleep(Duration::from_micros(100));
                continue;
            }
            if support::stats_of(&poll.get("/_faults/stats?key=stalled")).0 > requests_before {
                break unix_us();
            }
            std::thread::sleep(Duration::from_micros(300));
        };
        let child_value = |key: &str| -> u64 {
            loop {
                let line = lines
                    .recv_timeout(Duration::from_secs(30))
                    .expect("the child reports");
                if let Some(v) = line.strip_prefix(key) {
                    return v.trim().parse().unwrap();
                }
            }
        };
        let start_us = child_value("start_unix_us");
        let returned_us = child_value("returned_us");
        child.kill();
        let ms = |us: u64| us.saturating_sub(start_us) as f64 / 1000.0;
        println!(
            "  run {run}: Engine::start returned after {:.1} ms; first connection at {:.1} ms; \
             first resumed request at {:.1} ms",
            ms(returned_us),
            ms(connected.unwrap()),
            ms(seen_at)
        );
        first_request.push(ms(seen_at));
        first_connection.push(ms(connected.unwrap()));
        returned.push(ms(returned_us));
    }
    // The reference: Engine::start on an empty profile.
    let empty = site.work.path().join("empty");
    let mut reference = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&empty);
        let mut child =
            ChildGuard::spawn(&["start".as_ref(), empty.as_os_str(), site.ca_der.as_os_str()]);
        let lines = child.lines();
        let mut values = Vec::new();
        while values.len() < 2 {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .expect("the child reports");
            if let Some((_, v)) = line.split_once(' ') {
                values.push(v.parse::<u64>().unwrap());
            }
        }
        child.kill();
        reference.push((values[1] - values[0]) as f64 / 1000.0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let r = median(&mut first_request);
    println!(
        "median of {runs}: first resumed request {r:.1} ms after Engine::start (target 200 ms); \
         first connection {:.1} ms; Engine::start returned {:.1} ms; on an empty profile \
         Engine::start returns in {:.1} ms (ratio {:.1})",
        median(&mut first_connection),
        median(&mut returned),
        median(&mut reference.clone()),
        r / median(&mut reference)
    );
}

/// `build PROFILE CA ORIGINS SMALL`: makes the profile (see the module documentation), then
/// waits to be killed. `start PROFILE CA`: prints `start_unix_us`, starts an engine, prints
/// `returned_us`, then waits to be killed.
fn child(args: &[String]) {
    let (phase, profile, ca) = (&args[0], &args[1], &args[2]);
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.network = support::wpt_network(ca);
    if phase == "start" {
        println!("start_unix_us {}", unix_us());
        let engine = Engine::start(config).expect("the engine starts");
        println!("returned_us {}", unix_us());
        std::thread::sleep(Duration::from_secs(600));
        drop(engine);
        return;
    }
    let origins: Vec<&str> = args[3].split(',').collect();
    let small: usize = args[4].parse().unwrap();
    let (tx, seen) = crossbeam_channel::unbounded();
    config.delegate = std::sync::Arc::new(Watch(tx));
    let engine = Engine::start(config).expect("the engine starts");
    let wait = Duration::from_secs(60);
    let mut pages = Vec::new();
    for origin in &origins {
        engine.set_permission(origin, "background-fetch", PermissionState::Granted);
        let page = engine
            .open_page(&format!("{origin}/bench/index.html"))
            .unwrap();
        page.wait_loaded(wait).unwrap();
        page.eval_promise(&format!("registerScopes({SCOPES})"), wait)
            .expect("the workers are active");
        pages.push(page);
    }
    // The small fetches, all run to the end (their workers done).
    let per_origin = small.div_ceil(origins.len());
    let mut left = small;
    for (o, page) in pages.iter().enumerate() {
        let count = per_origin.min(left);
        left -= count;
        page.eval(&format!(
            "startFetches('small', {}, {count}, 'size={SMALL_SIZE}')",
            o * per_origin
        ))
        .unwrap();
    }
    let (mut finished, mut done) = (std::collections::HashSet::new(), 0);
    while finished.len() < small || done < small {
        let (_, event) = seen
            .recv_timeout(Duration::from_secs(300))
            .unwrap_or_else(|_| panic!("stuck: {} finished, {done} done", finished.len()));
        match event {
            Seen::Fetch(info) if info.finished => {
                assert_eq!(info.result, FetchResult::Success, "{info:?}");
                finished.insert(info.uid);
            }
            Seen::Console(line) if line.starts_with("worker_done") => done += 1,
            Seen::Console(line) if line.contains("failed") => {
                println!("failed: {line}");
                panic!("{line}");
            }
            _ => {}
        }
    }
    // The large ones, left unfinished.
    let per_origin = STALLED / origins.len();
    let mut started = 0;
    for (o, page) in pages.iter().enumerate() {
        page.eval(&format!(
            "startFetches('stalled', {}, {per_origin}, 'size={LARGE_SIZE}&stall_after=1048576&stall_ms=600000')",
            o * per_origin
        ))
        .unwrap();
    }
    while started < origins.len() {
        if let Seen::Console(line) = seen.recv_timeout(wait).expect("the large fetches start").1 {
            if line.starts_with("started stalled") {
                started += 1;
            } else if line.contains("failed") {
                println!("failed: {line}");
                panic!("{line}");
            }
        }
    }
    println!("stalled_started");
    std::thread::sleep(Duration::from_secs(600));
}
