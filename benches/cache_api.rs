//! Benchmark (not a test): the Cache API with large responses, through the engine's public
//! API, against `curl -o` + `sync -d` of the same bytes from the same local server. For each
//! size (256 MiB and 1 GiB, or `BGFETCH_BENCH_BYTES`) it prints:
//!
//! - `put`: a page's `cache.put(url, await fetch(url))`, the body streamed from the network
//!   into the profile as it arrives (ratio against curl + fdatasync of the same URL);
//! - `serve`: the cached response served through the service worker's fetch event
//!   (`respondWith(caches.match(request))`) to a fetch of the page, read piece by piece as
//!   it arrives (by the embedder, through `Page::fetch`);
//! - `stream`: the cached response read by the page with `response.body.getReader()` (the
//!   profile's file read a piece at a time as the reader asks);
//! - `record`: a background fetch of the same size, then `cache.put(record.request,
//!   await record.responseReady)` in its `backgroundfetchsuccess` handler (the put alone is
//!   timed: the record's file is linked into the cache, no byte is copied);
//! - `record stream`: another background fetch of the same size whose record the service
//!   worker reads with `(await record.responseReady).body.getReader()` in
//!   `backgroundfetchsuccess` (the read alone is timed);
//! - `record byob`: the same with a BYOB reader, `getReader({ mode: 'byob' })`, reading
//!   into one 64 KiB buffer again and again (a byte stream pulled as the reads ask);
//!
//! each with the engine process's peak RSS during that phase (the peak is reset between
//! phases through `/proc/self/clear_refs`). The engine runs in a child process (this binary
//! again, with `--child`); the server stays in this one.
//!
//! ```sh
//! cargo bench --bench cache_api
//! BGFETCH_BENCH_BYTES=268435456 cargo bench --bench cache_api
//! ```

mod support;

use engine::{Engine, EngineConfig, FetchEvent, PermissionState};
use std::process::Command;
use std::time::{Duration, Instant};
use support::Console;

const SW: &str = r#"
self.addEventListener('install', event => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', event => {
  if (new URL(event.request.url).pathname === '/_faults/body') {
    event.respondWith(caches.match(event.request).then(r => r || fetch(event.request)));
  }
});
async function readAll(stream) {
  const reader = stream.getReader();
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
  }
}
async function readAllByob(stream) {
  const reader = stream.getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(64 * 1024);
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer));
    if (done) return bytes;
    bytes += value.byteLength;
    buffer = value.buffer;
  }
}
self.addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  const records = await event.registration.matchAll();
  if (event.registration.id === 'bench-byob') {
    const started = performance.now();
    const bytes = await readAllByob((await records[0].responseReady).body);
    console.log(`record_byob_ms ${performance.now() - started} ${bytes}`);
    return;
  }
  if (event.registration.id === 'bench-stream') {
    const started = performance.now();
    const bytes = await readAll((await records[0].responseReady).body);
    console.log(`record_stream_ms ${performance.now() - started} ${bytes}`);
    return;
  }
  const cache = await caches.open('records');
  const started = performance.now();
  for (const record of records) {
    await cache.put(record.request, await record.responseReady);
  }
  console.log(`record_put_ms ${performance.now() - started}`);
})()));
"#;

const PAGE: &str = r#"<!doctype html><script>
async function putFromNetwork(url) {
  const started = performance.now();
  const cache = await caches.open('bench');
  await cache.put(url, await fetch(url));
  return performance.now() - started;
}
async function controlled() {
  await navigator.serviceWorker.register('sw.js', { scope: './' });
  if (!navigator.serviceWorker.controller) {
    await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  }
  return 'controlled';
}
async function backgroundFetch(url, size, id = 'bench') {
  const registration = await navigator.serviceWorker.ready;
  await registration.backgroundFetch.fetch(id, [url], { downloadTotal: size });
  return 'started';
}
async function streamCached(url) {
  const response = await (await caches.open('bench')).match(url);
  const reader = response.body.getReader();
  const started = performance.now();
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return `${performance.now() - started} ${bytes}`;
}
</script>"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        return child(&args[pos + 1..]);
    }
    let sizes = support::sizes();
    let (_site, _server, origin) = support::serve_site(PAGE, SW);
    println!(
        "Cache API with large responses (engine, debug or release as built) vs curl -o + sync -d"
    );
    for size in sizes {
        let url = format!("{origin}/_faults/body?size={size}&seed=9&chunk=262144");
        let work = tempfile::tempdir().unwrap();
        // curl, to a file made durable (as the cache's bodies are).
        let file = work.path().join("curl.out");
        let started = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "curl -s -f -o '{}' '{url}' && sync -d '{}'",
                file.display(),
                file.display()
            ))
            .status()
            .expect("curl runs (is it installed?)");
        let curl = started.elapsed();
        assert!(status.success(), "curl failed");
        assert_eq!(std::fs::metadata(&file).unwrap().len(), size);
        std::fs::remove_file(&file).unwrap();
        // The engine's three phases, in a child process.
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("--child")
            .arg(work.path().join("profile"))
            .arg(&origin)
            .arg(&url)
            .arg(size.to_string())
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
        let mib = size as f64 / (1 << 20) as f64;
        let put = value("put_ms ") / 1000.0;
        let serve = value("serve_ms ") / 1000.0;
        let record = value("record_put_ms ") / 1000.0;
        let stream = value("stream_ms ") / 1000.0;
        let record_stream = value("record_stream_ms ") / 1000.0;
        let record_byob = value("record_byob_ms ") / 1000.0;
        println!(
            "{:.0} MiB (curl + fdatasync: {:.2} s, {:.0} MiB/s)",
            mib,
            curl.as_secs_f64(),
            mib / curl.as_secs_f64()
        );
        println!(
            "  put (fetch -> cache): {put:.2} s ({:.0} MiB/s), ratio to curl {:.2}, peak RSS {:.1} MiB",
            mib / put,
            put / curl.as_secs_f64(),
            value("put_rss_kib ") / 1024.0
        );
        println!(
            "  serve (cache -> fetch event -> page fetch): {serve:.2} s ({:.0} MiB/s), peak RSS {:.1} MiB",
            mib / serve,
            value("serve_rss_kib ") / 1024.0
        );
        println!(
            "  stream (cached body -> page's reader): {stream:.2} s ({:.0} MiB/s), peak RSS {:.1} MiB",
            mib / stream,
            value("stream_rss_kib ") / 1024.0
        );
        println!(
            "  record (background fetch record -> cache.put): {:.3} s, peak RSS of the fetch and the put {:.1} MiB",
            record,
            value("record_rss_kib ") / 1024.0
        );
        println!(
            "  record stream (record -> worker's reader): {record_stream:.2} s ({:.0} MiB/s), peak RSS of the fetch and the read {:.1} MiB",
            mib / record_stream,
            value("record_stream_rss_kib ") / 1024.0
        );
        println!(
            "  record byob (record -> worker's BYOB reader, one 64 KiB view): {record_byob:.2} s ({:.0} MiB/s), peak RSS of the fetch and the read {:.1} MiB",
            mib / record_byob,
            value("record_byob_rss_kib ") / 1024.0
        );
    }
}

/// The peak RSS since the last reset, in KiB; then resets it.
fn take_peak_rss() -> u64 {
    let peak = support::status_kib("VmHWM:");
    support::reset_peak_rss();
    peak
}

/// The engine's side: put, serve, record; prints `key value` lines.
fn child(args: &[String]) {
    let [profile, origin, url, size] = args else {
        panic!("--child PROFILE ORIGIN URL SIZE");
    };
    let size: u64 = size.parse().unwrap();
    let (tx, console) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(std::path::Path::new(profile));
    config.delegate = std::sync::Arc::new(Console(tx));
    config.background_fetch.quota_per_origin = Some(8 << 30);
    let engine = Engine::start(config).expect("the engine starts");
    engine.set_permission(origin, "background-fetch", PermissionState::Granted);
    let page = engine
        .open_page(&format!("{origin}/bench/index.html"))
        .unwrap();
    page.wait_loaded(Duration::from_secs(30)).unwrap();
    let long = Duration::from_secs(1200);
    take_peak_rss();

    // put: fetch -> cache.put, streamed.
    let put_ms = page
        .eval_promise(&format!("putFromNetwork({url:?})"), long)
        .expect("the put succeeds");
    println!("put_ms {put_ms}");
    println!("put_rss_kib {}", take_peak_rss());

    // serve: the cached response through the fetch event, read as it arrives.
    page.eval_promise("controlled()", Duration::from_secs(30))
        .expect("the page is controlled");
    take_peak_rss();
    let (done_tx, done) = crossbeam_channel::bounded(1);
    let mut received = 0u64;
    let mut status = 0u16;
    let started = Instant::now();
    page.fetch(engine::RequestData::get(url), move |event| match event {
        FetchEvent::Response(meta) => status = meta.status,
        FetchEvent::Body(bytes) => received += bytes.len() as u64,
        FetchEvent::Done => {
            let _ = done_tx.send(Ok((status, received)));
        }
        FetchEvent::Failed(e) => {
            let _ = done_tx.send(Err(e));
        }
    })
    .expect("the page fetches");
    let (status, received) = done
        .recv_timeout(long)
        .expect("the served response ends")
        .expect("the served response is whole");
    assert_eq!((status, received), (200, size));
    println!("serve_ms {}", started.elapsed().as_secs_f64() * 1000.0);
    println!("serve_rss_kib {}", take_peak_rss());

    // stream: the cached body read by the page with a reader.
    let streamed = page
        .eval_promise(&format!("streamCached({url:?})"), long)
        .expect("the page reads the cached body");
    let mut parts = streamed.split(' ');
    println!("stream_ms {}", parts.next().unwrap_or(""));
    assert_eq!(
        parts.next(),
        Some(size.to_string().as_str()),
        "every byte streamed"
    );
    println!("stream_rss_kib {}", take_peak_rss());

    // record: a background fetch, then its record put into a cache.
    let record_url = format!("{url}&key=record");
    page.eval_promise(
        &format!("backgroundFetch({record_url:?}, {size})"),
        Duration::from_secs(30),
    )
    .expect("the background fetch starts");
    let line = loop {
        let line = console.recv_timeout(long).expect("the success event runs");
        if line.starts_with("record_put_ms") {
            break line;
        }
    };
    println!("{line}");
    println!("record_rss_kib {}", take_peak_rss());

    // record stream: another background fetch, its record read with a reader.
    page.eval_promise(
        &format!(
            "backgroundFetch({:?}, {size}, 'bench-stream')",
            format!("{url}&key=stream")
        ),
        Duration::from_secs(30),
    )
    .expect("the background fetch starts");
    let line = loop {
        let line = console.recv_timeout(long).expect("the success event runs");
        if line.starts_with("record_stream_ms") {
            break line;
        }
    };
    let mut parts = line.split(' ').skip(1);
    println!("record_stream_ms {}", parts.next().unwrap_or(""));
    assert_eq!(
        parts.next(),
        Some(size.to_string().as_str()),
        "every byte streamed"
    );
    println!("record_stream_rss_kib {}", take_peak_rss());

    // record byob: another background fetch, its record read with a BYOB reader.
    page.eval_promise(
        &format!(
            "backgroundFetch({:?}, {size}, 'bench-byob')",
            format!("{url}&key=byob")
        ),
        Duration::from_secs(30),
    )
    .expect("the background fetch starts");
    let line = loop {
        let line = console.recv_timeout(long).expect("the success event runs");
        if line.starts_with("record_byob_ms") {
            break line;
        }
    };
    let mut parts = line.split(' ').skip(1);
    println!("record_byob_ms {}", parts.next().unwrap_or(""));
    assert_eq!(
        parts.next(),
        Some(size.to_string().as_str()),
        "every byte read"
    );
    println!("record_byob_rss_kib {}", take_peak_rss());
    page.close();
    engine.shutdown();
}
