//! Service workers that last, through the engine's public API and a real crash: an engine
//! runs in a child process (this test binary again, with `BGFETCH_RESTART_CHILD` set), which
//! is killed with SIGKILL at a chosen moment; a new engine on the same profile then has to
//! carry on.
//!
//! - An offline app: its worker caches the page and its data at install and answers fetch
//!   events from the cache. After the kill, with the server gone, a new page load is
//!   controlled from the start and gets every byte through the fetch event.
//! - The same app written as ES modules: a module page importing a module, and a module
//!   service worker importing a module. After the kill, offline, the stored worker starts
//!   as a module from its script resource map (its import included) and serves the page's
//!   whole module graph from the cache.
//! - A background fetch killed mid-download: after restart it resumes, the stored worker
//!   is started for `backgroundfetchsuccess` (exactly once), its handler puts the record in
//!   a cache, and a page reads the bytes back from there.
//! - A 256 MiB record streamed into IndexedDB as Blob chunks by `backgroundfetchsuccess`
//!   (as Chrome's Background Fetch sample does), the engine killed once the transactions
//!   committed: after restart a page reads the chunks back whole, and the streaming engine's
//!   peak RSS stayed bounded.

#[path = "support/fetches.rs"]
mod fetches;
#[path = "support/server.rs"]
mod server;

use engine::{Delegate, Engine, EngineConfig, PageEvent, PageId, PermissionState};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Forwards every console line (pages and service workers) to a channel.
struct Console(crossbeam_channel::Sender<String>);

impl Delegate for Console {
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        if let PageEvent::Console { message, .. } = event {
            let _ = self.0.send(message.clone());
        }
    }
}

fn start_engine(profile: &std::path::Path) -> (Engine, crossbeam_channel::Receiver<String>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(profile);
    config.delegate = std::sync::Arc::new(Console(tx));
    (Engine::start(config).expect("the engine starts"), rx)
}

/// Waits for a console line starting with `prefix`; every line seen goes to `seen`.
fn wait_line(
    rx: &crossbeam_channel::Receiver<String>,
    prefix: &str,
    seen: &mut Vec<String>,
) -> String {
    loop {
        match rx.recv_timeout(WAIT) {
            Ok(line) => {
                seen.push(line.clone());
                if line.starts_with(prefix) {
                    return line;
                }
            }
            Err(_) => panic!("no console line starting with {prefix:?}; seen: {seen:?}"),
        }
    }
}

/// The checksum the pages compute: FNV-1a over the bytes, as hex.
fn fnv1a(bytes: impl Iterator<Item = u8>) -> String {
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    format!("{h:08x}")
}

const CHECKSUM_JS: &str = r#"
function checksum(buffer) {
  const bytes = new Uint8Array(buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
"#;

/// A child process that is killed if the test fails before it does.
struct ChildGuard(Option<std::process::Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs `phase` of `test` in a child process on `profile` and returns it once it printed
/// READY on stdout, with the lines it printed for the parent (`CHILD ...`) before.
fn child_until_ready(
    test: &str,
    phase: &str,
    profile: &std::path::Path,
    origin: &str,
) -> (ChildGuard, Vec<String>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("BGFETCH_RESTART_CHILD", phase)
        .env("BGFETCH_RESTART_PROFILE", profile)
        .env("BGFETCH_RESTART_ORIGIN", origin)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the child test process starts");
    let stdout = child.stdout.take().unwrap();
    let child = ChildGuard(Some(child));
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    loop {
        match rx.recv_timeout(WAIT * 2) {
            Ok(line) if line == "READY" => return (child, lines),
            Ok(line) => {
                if let Some(l) = line.strip_prefix("CHILD ") {
                    lines.push(l.to_string())
                }
            }
            Err(_) => panic!("the child never got ready; it printed: {lines:?}"),
        }
    }
}

/// SIGKILL: nothing of the child's runs after this (no destructor, no flush).
fn kill_hard(mut guard: ChildGuard) {
    let mut child = guard.0.take().unwrap();
    child.kill().expect("SIGKILL the child");
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed");
}

/// This process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// In a child process: the phase to run, the profile and the site's origin.
fn child_phase() -> Option<(String, std::path::PathBuf, String)> {
    Some((
        std::env::var("BGFETCH_RESTART_CHILD").ok()?,
        std::env::var_os("BGFETCH_RESTART_PROFILE")?.into(),
        std::env::var("BGFETCH_RESTART_ORIGIN").ok()?,
    ))
}

/// The child's part: run the page, say READY, then wait to be killed.
fn run_child_until_killed(profile: &std::path::Path, url: &str, ready_prefix: &str) -> ! {
    run_child_until_killed_reporting(profile, url, ready_prefix, false)
}

/// The same; with `report_rss`, the child's peak RSS is a line for the parent too
/// (`peak RSS KiB N`).
fn run_child_until_killed_reporting(
    profile: &std::path::Path,
    url: &str,
    ready_prefix: &str,
    report_rss: bool,
) -> ! {
    let (engine, console) = start_engine(profile);
    engine.set_permission(
        &url::Url::parse(url).unwrap().origin().ascii_serialization(),
        "background-fetch",
        PermissionState::Granted,
    );
    let page = engine.open_page(url).unwrap();
    page.wait_loaded(WAIT).unwrap();
    let mut seen = Vec::new();
    let line = wait_line(&console, ready_prefix, &mut seen);
    // (On lines of their own: libtest printed the test's name without a newline.)
    println!("\nCHILD {line}");
    if report_rss {
        println!("CHILD peak RSS KiB {}", peak_rss_kib());
    }
    println!("READY");
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}

const APP_SIZE: u64 = 3 << 20;

const APP_SW: &str = r#"
const ASSETS = ['/app/', '/app/data.bin'];
self.addEventListener('install', event => event.waitUntil((async () => {
  const cache = await caches.open('app-v1');
  await cache.addAll(ASSETS);
  await self.skipWaiting();
})()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', event => {
  event.respondWith((async () => {
    const cached = await caches.match(event.request);
    console.log(`fetch event: ${event.request.mode} ${new URL(event.request.url).pathname} ${cached ? 'from the cache' : 'from the network'}`);
    return cached || fetch(event.request);
  })());
});
"#;

fn app_page() -> String {
    format!(
        r#"<!doctype html><title>offline app</title><script>
{CHECKSUM_JS}
(async () => {{
  const controlled = navigator.serviceWorker.controller;
  if (!controlled) {{
    const registration = await navigator.serviceWorker.register('/app/sw.js', {{ scope: '/app/' }});
    await navigator.serviceWorker.ready;
    const cache = await caches.open('app-v1');
    console.log(`installed: ${{(await cache.keys()).length}} cached`);
    return;
  }}
  const response = await fetch('data.bin');
  const body = await response.arrayBuffer();
  console.log(`controlled at load by ${{new URL(controlled.scriptURL).pathname}}: ${{response.status}} ${{body.byteLength}} bytes, checksum ${{checksum(body)}}`);
}})().catch(e => console.log(`failed: ${{e}}`));
</script>"#
    )
}

#[test]
fn an_offline_app_is_served_by_its_worker_after_a_crash() {
    if let Some((phase, profile, origin)) = child_phase() {
        if phase == "app" {
            run_child_until_killed(&profile, &format!("{origin}/app/"), "installed:");
        }
        return;
    }
    let site = server::Server::start(HashMap::from([
        ("/app/".into(), server::Body::Text("text/html", app_page())),
        (
            "/app/sw.js".into(),
            server::Body::Text("text/javascript", APP_SW.into()),
        ),
        ("/app/data.bin".into(), server::Body::Generated(APP_SIZE)),
    ]));
    let origin = site.origin.clone();
    let profile = tempfile::tempdir().unwrap();
    // Phase 1, in a child: the page registers the worker, which caches the app.
    let (child, printed) = child_until_ready(
        "an_offline_app_is_served_by_its_worker_after_a_crash",
        "app",
        profile.path(),
        &origin,
    );
    assert_eq!(
        printed.last().map(String::as_str),
        Some("installed: 2 cached"),
        "{printed:?}"
    );
    kill_hard(child);
    // The network is gone: nobody listens at the origin any more.
    drop(site);
    // Phase 2: a new engine on the profile loads the page; its worker answers from the cache.
    let (engine, console) = start_engine(profile.path());
    let page = engine.open_page(&format!("{origin}/app/")).unwrap();
    page.wait_loaded(WAIT)
        .expect("the page loads offline, from the cache");
    let mut seen = Vec::new();
    let line = wait_line(&console, "controlled at load", &mut seen);
    let expected = fnv1a((0..APP_SIZE).map(server::generated_byte));
    assert_eq!(
        line,
        format!("controlled at load by /app/sw.js: 200 {APP_SIZE} bytes, checksum {expected}"),
        "{seen:?}"
    );
    // Both the navigation and the subresource went through the fetch event.
    assert!(
        seen.iter()
            .any(|l| l == "fetch event: navigate /app/ from the cache"),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|l| l == "fetch event: cors /app/data.bin from the cache"),
        "{seen:?}"
    );
    page.close();
    engine.shutdown();
}

const MODULE_SW: &str = r#"
import { ASSETS, CACHE } from './sw-config.js';
self.addEventListener('install', event => event.waitUntil((async () => {
  const cache = await caches.open(CACHE);
  await cache.addAll(ASSETS);
  await self.skipWaiting();
})()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', event => {
  event.respondWith((async () => {
    const cached = await caches.match(event.request);
    console.log(`module worker fetch event: ${new URL(event.request.url).pathname} ${cached ? 'from the cache' : 'from the network'}`);
    return cached || fetch(event.request);
  })());
});
"#;

const MODULE_SW_CONFIG: &str = r#"
export const CACHE = 'modules-v1';
export const ASSETS = ['/mod/', '/mod/app.js', '/mod/lib.js'];
"#;

const MODULE_APP: &str = r#"
import { describe } from './lib.js';
const controlled = navigator.serviceWorker.controller;
if (!controlled) {
  await navigator.serviceWorker.register('/mod/sw.js', { scope: '/mod/', type: 'module' });
  await navigator.serviceWorker.ready;
  const cache = await caches.open('modules-v1');
  console.log(`module app installed: ${(await cache.keys()).length} cached`);
} else {
  console.log(describe(controlled, import.meta.url));
}
"#;

const MODULE_LIB: &str = r#"
export function describe(worker, url) {
  return `module app controlled by ${new URL(worker.scriptURL).pathname}, ran ${new URL(url).pathname}`;
}
"#;

#[test]
fn a_module_app_and_its_module_worker_come_back_offline_after_a_crash() {
    if let Some((phase, profile, origin)) = child_phase() {
        if phase == "modules" {
            run_child_until_killed(&profile, &format!("{origin}/mod/"), "module app installed:");
        }
        return;
    }
    let js = |s: &str| server::Body::Text("text/javascript", s.into());
    let site = server::Server::start(HashMap::from([
        (
            "/mod/".into(),
            server::Body::Text(
                "text/html",
                "<!doctype html><title>module app</title><script type=module src=app.js></script>"
                    .into(),
            ),
        ),
        ("/mod/app.js".into(), js(MODULE_APP)),
        ("/mod/lib.js".into(), js(MODULE_LIB)),
        ("/mod/sw.js".into(), js(MODULE_SW)),
        ("/mod/sw-config.js".into(), js(MODULE_SW_CONFIG)),
    ]));
    let origin = site.origin.clone();
    let profile = tempfile::tempdir().unwrap();
    // Phase 1, in a child: the module page registers the module worker, which caches the app.
    let (child, printed) = child_until_ready(
        "a_module_app_and_its_module_worker_come_back_offline_after_a_crash",
        "modules",
        profile.path(),
        &origin,
    );
    assert_eq!(
        printed.last().map(String::as_str),
        Some("module app installed: 3 cached"),
        "{printed:?}"
    );
    kill_hard(child);
    drop(site);
    // Phase 2, offline: the worker (a module, with its stored import) serves the page and
    // both of its modules.
    let (engine, console) = start_engine(profile.path());
    let page = engine.open_page(&format!("{origin}/mod/")).unwrap();
    page.wait_loaded(WAIT)
        .expect("the page loads offline, from the cache");
    let mut seen = Vec::new();
    let line = wait_line(&console, "module app controlled", &mut seen);
    assert_eq!(
        line, "module app controlled by /mod/sw.js, ran /mod/app.js",
        "{seen:?}"
    );
    for path in ["/mod/", "/mod/app.js", "/mod/lib.js"] {
        assert!(
            seen.iter()
                .any(|l| *l == format!("module worker fetch event: {path} from the cache")),
            "{path}: {seen:?}"
        );
    }
    page.close();
    engine.shutdown();
}

const BF_SIZE: u64 = 4 << 20;

const BF_SW: &str = r#"
self.addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  const cache = await caches.open('downloads');
  const records = await event.registration.matchAll();
  for (const record of records) {
    await cache.put(record.request, await record.responseReady);
  }
  console.log(`success event: ${records.length} stored`);
})()));
"#;

fn bf_page() -> String {
    format!(
        r#"<!doctype html><script>
{CHECKSUM_JS}
(async () => {{
  const registration = await navigator.serviceWorker.register('/bf/sw.js', {{ scope: '/bf/' }});
  await navigator.serviceWorker.ready;
  if (location.search === '?read') {{
    const cached = await caches.match('/big.bin', {{ cacheName: 'downloads' }});
    const body = await cached.arrayBuffer();
    console.log(`read back: ${{body.byteLength}} bytes, checksum ${{checksum(body)}}`);
    return;
  }}
  const fetch = await registration.backgroundFetch.fetch('big', ['/big.bin'], {{ downloadTotal: {BF_SIZE} }});
  fetch.addEventListener('progress', () => {{
    if (fetch.downloaded > {BF_SIZE} / 4) console.log(`downloading: ${{fetch.downloaded}}`);
  }});
}})().catch(e => console.log(`failed: ${{e}}`));
</script>"#
    )
}

#[test]
fn a_background_fetch_killed_mid_download_finishes_into_a_cache() {
    if let Some((phase, profile, origin)) = child_phase() {
        if phase == "bf" {
            run_child_until_killed(&profile, &format!("{origin}/bf/"), "downloading:");
        }
        return;
    }
    let site = server::Server::start(HashMap::from([
        ("/bf/".into(), server::Body::Text("text/html", bf_page())),
        (
            "/bf/sw.js".into(),
            server::Body::Text("text/javascript", BF_SW.into()),
        ),
        (
            "/big.bin".into(),
            server::Body::Slow {
                len: BF_SIZE,
                rate: 2 << 20,
            },
        ),
    ]));
    let profile = tempfile::tempdir().unwrap();
    // Phase 1, in a child: the fetch starts and gets a quarter of the way.
    let (child, printed) = child_until_ready(
        "a_background_fetch_killed_mid_download_finishes_into_a_cache",
        "bf",
        profile.path(),
        &site.origin,
    );
    assert!(
        printed.iter().all(|l| !l.starts_with("success event")),
        "{printed:?}"
    );
    kill_hard(child);
    // Phase 2: a new engine resumes the fetch; the stored worker gets the success event.
    let (engine, console) = start_engine(profile.path());
    let mut seen = Vec::new();
    assert_eq!(
        wait_line(&console, "success event", &mut seen),
        "success event: 1 stored"
    );
    let fetches = fetches::once_downloaded(&engine, BF_SIZE, WAIT);
    assert_eq!(fetches.len(), 1, "{fetches:?}");
    assert_eq!(fetches[0].downloaded, BF_SIZE);
    // A page reads the record back from the cache the worker put it in.
    let page = engine
        .open_page(&format!("{}/bf/?read", site.origin))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    let expected = fnv1a((0..BF_SIZE).map(server::generated_byte));
    assert_eq!(
        wait_line(&console, "read back", &mut seen),
        format!("read back: {BF_SIZE} bytes, checksum {expected}")
    );
    // Exactly one success event, in either life.
    std::thread::sleep(Duration::from_millis(300));
    seen.extend(console.try_iter());
    assert_eq!(
        seen.iter()
            .filter(|l| l.starts_with("success event"))
            .count(),
        1,
        "{seen:?}"
    );
    page.close();
    engine.shutdown();
}

const IDB_SIZE: u64 = 256 << 20;
const IDB_CHUNK: u64 = 1 << 20;

/// Word-wise FNV-1a (32-bit little-endian words; the pages' `wordChecksum`).
fn word_fnv1a(len: u64) -> String {
    let mut h: u32 = 0x811c9dc5;
    let mut i = 0;
    while i < len {
        let w = u32::from_le_bytes([
            server::generated_byte(i),
            server::generated_byte(i + 1),
            server::generated_byte(i + 2),
            server::generated_byte(i + 3),
        ]);
        h = (h ^ w).wrapping_mul(0x01000193);
        i += 4;
    }
    format!("{h:08x}")
}

/// The worker streams the record into IndexedDB, 1 MiB Blob chunks, one transaction each.
fn idb_sw() -> String {
    format!(
        r#"
function openDb() {{
  return new Promise((resolve, reject) => {{
    const request = indexedDB.open('episodes', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('chunks');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }});
}}
function put(db, index, blob) {{
  const tx = db.transaction('chunks', 'readwrite');
  tx.objectStore('chunks').put({{ index, blob }}, index);
  return new Promise((resolve, reject) => {{
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  }});
}}
self.addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {{
  const [record] = await event.registration.matchAll();
  const reader = (await record.responseReady).body.getReader();
  const db = await openDb();
  let parts = [], size = 0, index = 0;
  for (;;) {{
    const {{ value, done }} = await reader.read();
    if (!done) {{ parts.push(value); size += value.length; }}
    while (size >= {IDB_CHUNK} || (done && size > 0)) {{
      const all = new Blob(parts);
      await put(db, index++, all.slice(0, {IDB_CHUNK}));
      const rest = all.slice({IDB_CHUNK});
      parts = [rest];
      size = rest.size;
    }}
    if (done) break;
  }}
  console.log(`stored: ${{index}} chunks`);
}})().catch(e => console.log(`failed: ${{e}}`))));
"#
    )
}

fn idb_page() -> String {
    format!(
        r#"<!doctype html><script>
function wordChecksum(h, buffer) {{
  const words = new Uint32Array(buffer);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h;
}}
function request(r) {{
  return new Promise((resolve, reject) => {{ r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }});
}}
(async () => {{
  const registration = await navigator.serviceWorker.register('/idb/sw.js', {{ scope: '/idb/' }});
  await navigator.serviceWorker.ready;
  if (location.search === '?read') {{
    const db = await request(indexedDB.open('episodes'));
    const keys = await request(db.transaction('chunks').objectStore('chunks').getAllKeys());
    let h = 0x811c9dc5, bytes = 0;
    for (const key of keys) {{
      const chunk = await request(db.transaction('chunks').objectStore('chunks').get(key));
      if (chunk.index !== key || !(chunk.blob instanceof Blob)) throw new Error(`chunk ${{key}} is not a Blob`);
      const buffer = await chunk.blob.arrayBuffer();
      bytes += buffer.byteLength;
      h = wordChecksum(h, buffer);
    }}
    console.log(`read back: ${{keys.length}} chunks, ${{bytes}} bytes, checksum ${{h.toString(16).padStart(8, '0')}}`);
    return;
  }}
  await registration.backgroundFetch.fetch('episode', ['/episode.bin'], {{ downloadTotal: {IDB_SIZE} }});
}})().catch(e => console.log(`failed: ${{e}}`));
</script>"#
    )
}

#[test]
fn a_record_streamed_into_indexeddb_is_read_back_whole_after_a_crash() {
    if let Some((phase, profile, origin)) = child_phase() {
        if phase == "idb" {
            run_child_until_killed_reporting(&profile, &format!("{origin}/idb/"), "stored:", true);
        }
        return;
    }
    let site = server::Server::start(HashMap::from([
        ("/idb/".into(), server::Body::Text("text/html", idb_page())),
        (
            "/idb/sw.js".into(),
            server::Body::Text("text/javascript", idb_sw()),
        ),
        ("/episode.bin".into(), server::Body::Generated(IDB_SIZE)),
    ]));
    let profile = tempfile::tempdir().unwrap();
    // Phase 1, in a child: the fetch completes and its worker stores every chunk (each
    // transaction committed); then the child is killed.
    let (child, printed) = child_until_ready(
        "a_record_streamed_into_indexeddb_is_read_back_whole_after_a_crash",
        "idb",
        profile.path(),
        &site.origin,
    );
    let chunks = IDB_SIZE / IDB_CHUNK;
    assert!(
        printed.contains(&format!("stored: {chunks} chunks")),
        "{printed:?}"
    );
    let peak_kib: u64 = printed
        .iter()
        .find_map(|l| l.strip_prefix("peak RSS KiB "))
        .and_then(|v| v.parse().ok())
        .expect("the child reports its peak RSS");
    kill_hard(child);
    // The chunks' bytes are files of the profile, not rows.
    let blob_bytes: u64 = walk(&profile.path().join("indexeddb"))
        .iter()
        .filter(|p| {
            p.extension()
                .is_none_or(|e| e != "sqlite" && e != "sqlite-wal")
        })
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    assert!(blob_bytes >= IDB_SIZE, "blob files hold {blob_bytes} bytes");
    // Phase 2: a new engine; a page reads the chunks back.
    let (engine, console) = start_engine(profile.path());
    let page = engine
        .open_page(&format!("{}/idb/?read", site.origin))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    let mut seen = Vec::new();
    assert_eq!(
        wait_line(&console, "read back", &mut seen),
        format!(
            "read back: {chunks} chunks, {IDB_SIZE} bytes, checksum {}",
            word_fnv1a(IDB_SIZE)
        )
    );
    // Streaming 256 MiB into IndexedDB never held much of it in memory.
    eprintln!("peak RSS of the engine streaming {IDB_SIZE} bytes into IndexedDB: {peak_kib} KiB");
    assert!(
        peak_kib < 64 * 1024,
        "the engine's peak RSS while streaming was {peak_kib} KiB"
    );
    page.close();
    engine.shutdown();
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
