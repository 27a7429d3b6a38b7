//! Benchmark (not a test): the memory a large request body costs a background fetch. A page
//! holds a Blob of 256 MiB and of 1 GiB (or `BGFETCH_BENCH_BYTES`) and background-fetches
//! a POST with it as the body; the Blob's bytes are shared with the request, written to the
//! profile from where they are, and uploaded from the file. For each size it prints the
//! engine process's resident memory with the Blob made (the baseline), the peak above it
//! while `fetch()` stores the body and the upload runs, and the same peak for a body the
//! quota refuses (checked from the body's length before anything is written). The target is
//! under 64 MiB above the baseline in both cases.
//!
//! ```sh
//! cargo bench --bench request_body
//! BGFETCH_BENCH_BYTES=268435456 cargo bench --bench request_body
//! ```

mod support;

use engine::{Engine, EngineConfig, PermissionState};
use std::process::Command;
use std::time::Duration;
use support::{status_kib, Console};

const SW: &str = r#"
self.addEventListener('install', event => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  const [record] = await event.registration.matchAll();
  const response = await record.responseReady;
  console.log(`uploaded ${event.registration.uploaded} ${await response.text()}`);
})()));
self.addEventListener('backgroundfetchfail', event => console.log(`failed ${event.registration.failureReason}`));
"#;

const PAGE: &str = r#"<!doctype html><script>
let blob = null;
// From 16 MiB pieces (a page's JS heap is capped at 1 GiB; the Blob's bytes are not in it).
function makeBlob(size) {
  const piece = new Uint8Array(Math.min(size, 16 << 20));
  for (let i = 0; i < piece.length; i += 4096) piece[i] = i & 255;
  blob = new Blob(Array(Math.ceil(size / piece.length)).fill(piece)).slice(0, size);
  return blob.size;
}
async function ready() {
  await navigator.serviceWorker.register('sw.js', { scope: './' });
  await navigator.serviceWorker.ready;
  return 'ready';
}
async function upload(id) {
  const registration = await navigator.serviceWorker.ready;
  try {
    await registration.backgroundFetch.fetch(id,
      new Request('/_faults/echo', { method: 'POST', body: blob }));
    return 'registered';
  } catch (e) {
    return e.name;
  }
}
</script>"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let sizes = support::sizes();
    let (_site, _server, origin) = support::serve_site(PAGE, SW);
    println!("A background fetch with a large Blob request body: the engine's resident memory");
    for size in sizes {
        let mib = size as f64 / (1 << 20) as f64;
        println!("{mib:.0} MiB body");
        for (case, quota) in [
            ("stored and uploaded", 8u64 << 30),
            ("refused by the quota", size / 2),
        ] {
            let work = tempfile::tempdir().unwrap();
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--child")
                .arg(work.path().join("profile"))
                .arg(&origin)
                .arg(size.to_string())
                .arg(quota.to_string())
                .output()
                .expect("the child runs");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "the child failed: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let value = |key: &str| -> f64 {
                text.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(f64::NAN)
            };
            let baseline = value("baseline_kib ") / 1024.0;
            let peak = value("peak_kib ") / 1024.0;
            println!(
                "  {case}: baseline (Blob made) {baseline:.1} MiB, peak {peak:.1} MiB, {:.1} MiB above the baseline; {}",
                peak - baseline,
                text.lines().find_map(|l| l.strip_prefix("outcome ")).unwrap_or("?")
            );
        }
    }
}

/// The engine's side: makes the Blob, then fetches; prints `key value` lines.
fn child(args: &[String]) {
    let [profile, origin, size, quota] = args else {
        panic!("--child PROFILE ORIGIN SIZE QUOTA");
    };
    let size: u64 = size.parse().unwrap();
    let (tx, console) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.delegate = std::sync::Arc::new(Console(tx));
    config.background_fetch.quota_per_origin = Some(quota.parse().unwrap());
    let engine = Engine::start(config).expect("the engine starts");
    engine.set_permission(origin, "background-fetch", PermissionState::Granted);
    let page = engine
        .open_page(&format!("{origin}/bench/index.html"))
        .unwrap();
    page.wait_loaded(Duration::from_secs(30)).unwrap();
    let long = Duration::from_secs(600);
    page.eval_promise("ready()", Duration::from_secs(30))
        .expect("the worker is ready");
    page.eval_promise(&format!("makeBlob({size})"), long)
        .expect("the Blob is made");
    // The baseline: the Blob is made (and its source array freed); the peak starts here.
    let baseline = status_kib("VmRSS:");
    support::reset_peak_rss();
    let answer = page
        .eval_promise("upload('big')", long)
        .expect("fetch() settles");
    let outcome = if answer.contains("registered") {
        loop {
            let line = console.recv_timeout(long).expect("the fetch settles");
            if line.starts_with("uploaded") || line.starts_with("failed") {
                break line;
            }
        }
    } else {
        format!("fetch() rejected: {answer}")
    };
    println!("baseline_kib {baseline}");
    println!("peak_kib {}", status_kib("VmHWM:"));
    println!("outcome {outcome}");
    page.close();
    engine.shutdown();
}
