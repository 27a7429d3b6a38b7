//! Origin isolation across restarts, through the engine's public API: two origins (two local
//! servers on different ports of 127.0.0.1) use the same background fetch id, the same
//! cache name and the same service worker path on one profile, and the engine is shut down
//! and started again on that profile between the steps. After each restart every origin
//! still finds its own fetch, records, cache entries and registration (the positive
//! control), and none of the other origin's: `getIds()`, `get()`, `matchAll()`, `match()`,
//! `caches.keys()`, `caches.open()`, `caches.match()`, `indexedDB.databases()` and `open()`
//! of the same database name (a new database), `getRegistrations()` and `getRegistration()`
//! of the other origin's scope (a SecurityError).
//!
//! (The WPT runner gives each test file one engine on a temporary profile that ends with
//! the file, so the isolation tests in `wpt/tests/isolation/` cannot restart it: this is
//! their restart half.)

#[path = "support/server.rs"]
mod server;

use engine::{Delegate, Engine, EngineConfig, PageEvent, PageId, PermissionState};
use std::collections::HashMap;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// 8 MB at 64 kB/s: the fetches stay active through the whole test.
const SLOW_LEN: u64 = 8 << 20;
const SLOW_RATE: u64 = 64 << 10;

struct Console(crossbeam_channel::Sender<String>);

impl Delegate for Console {
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        if let PageEvent::Console { message, .. } = event {
            let _ = self.0.send(message.clone());
        }
    }
}

/// The page both origins serve at `/`: registers `/sw.js` (scope `/`), with `?setup`
/// starts the background fetch `shared-id`, puts `/entry` in the cache `shared-cache` and
/// a value in the IndexedDB database `shared-db`, then logs one line of what this origin sees of its own and of the origin `?other=`:
/// its URLs are written with `OWN` and `OTHER` for the two origins.
const PAGE: &str = r#"<!doctype html><script>
// Opens 'shared-db' (version 1); `upgrade` runs when it is new.
function openDb(upgrade) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('shared-db');
    request.onupgradeneeded = () => upgrade(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
(async () => {
  const params = new URLSearchParams(location.search);
  const other = params.get('other');
  const short = url => url.replace(location.origin, 'OWN').replace(other, 'OTHER');
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const manager = registration.backgroundFetch;
  if (params.has('setup')) {
    await manager.fetch('shared-id', ['/slow.bin'], { downloadTotal: SLOW_LEN });
    const cache = await caches.open('shared-cache');
    await cache.put('/entry', new Response('from ' + location.origin));
    const db = await openDb(db => db.createObjectStore('store'));
    const tx = db.transaction('store', 'readwrite');
    tx.objectStore('store').put('from ' + location.origin, 'value');
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
    db.close();
  }
  const fetch_ = await manager.get('shared-id');
  const parts = [`ids=${JSON.stringify(await manager.getIds())}`];
  if (fetch_) {
    const records = await fetch_.matchAll();
    parts.push(`records=${JSON.stringify(records.map(r => short(r.request.url)))}`);
    parts.push(`total=${fetch_.downloadTotal} result=${JSON.stringify(fetch_.result)}`);
    parts.push(`match(OTHER)=${(await fetch_.match(other + '/slow.bin')) ? 'found' : 'none'}`);
  } else {
    parts.push('get=undefined');
  }
  parts.push(`caches=${JSON.stringify(await caches.keys())}`);
  if (await caches.has('shared-cache')) {
    const cache = await caches.open('shared-cache');
    const entries = [];
    for (const request of await cache.keys()) {
      entries.push(short(request.url) + ': ' + short(await (await cache.match(request)).text()));
    }
    parts.push(`entries=${JSON.stringify(entries)}`);
  }
  parts.push(`caches.match(OTHER)=${(await caches.match(other + '/entry')) ? 'found' : 'none'}`);
  parts.push(`databases=${JSON.stringify((await indexedDB.databases()).map(d => d.name))}`);
  let upgraded = false;
  const db = await openDb(() => { upgraded = true; });
  if (upgraded) {
    parts.push('shared-db=new');
  } else {
    const value = await new Promise(resolve => {
      const get = db.transaction('store').objectStore('store').get('value');
      get.onsuccess = () => resolve(get.result);
    });
    parts.push(`shared-db=${JSON.stringify(short(value))}`);
  }
  db.close();
  if (upgraded) await new Promise(resolve => { indexedDB.deleteDatabase('shared-db').onsuccess = resolve; });
  const scopes = (await navigator.serviceWorker.getRegistrations()).map(r => short(r.scope));
  parts.push(`registrations=${JSON.stringify(scopes)}`);
  parts.push(`getRegistration(OTHER)=${await navigator.serviceWorker.getRegistration(other + '/')
      .then(r => r === undefined ? 'undefined' : short(r.scope), e => e.name)}`);
  console.log('RESULT ' + parts.join(' '));
})().catch(e => console.log(`RESULT failed: ${e}`));
</script>"#;

fn site() -> server::Server {
    server::Server::start(HashMap::from([
        (
            "/".into(),
            server::Body::Text("text/html", PAGE.replace("SLOW_LEN", &SLOW_LEN.to_string())),
        ),
        (
            "/sw.js".into(),
            server::Body::Text("text/javascript", "// holds background fetches\n".into()),
        ),
        (
            "/slow.bin".into(),
            server::Body::Slow {
                len: SLOW_LEN,
                rate: SLOW_RATE,
            },
        ),
    ]))
}

struct Running {
    engine: Engine,
    console: crossbeam_channel::Receiver<String>,
}

fn start(profile: &std::path::Path, origins: &[&str]) -> Running {
    let (tx, console) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(profile);
    config.delegate = std::sync::Arc::new(Console(tx));
    let engine = Engine::start(config).expect("the engine starts");
    for origin in origins {
        engine.set_permission(origin, "background-fetch", PermissionState::Granted);
    }
    Running { engine, console }
}

/// Opens `/` of `origin` (with `?setup` when `setup`), waits for its RESULT line.
fn look(r: &Running, origin: &str, other: &str, setup: bool) -> String {
    let query = if setup { "setup&" } else { "" };
    let page = r
        .engine
        .open_page(&format!("{origin}/?{query}other={other}"))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    let line = loop {
        match r.console.recv_timeout(WAIT) {
            Ok(line) if line.starts_with("RESULT ") => break line,
            Ok(_) => continue,
            Err(_) => panic!("no RESULT line from {origin}"),
        }
    };
    page.close();
    // (libtest shows it when the test fails.)
    eprintln!("{origin}: {line}");
    line["RESULT ".len()..].to_string()
}

/// What an origin that set up sees of its own things and none of the other's.
fn owner_sees_its_own() -> String {
    format!(
        "ids=[\"shared-id\"] records=[\"OWN/slow.bin\"] total={SLOW_LEN} result=\"\" \
         match(OTHER)=none caches=[\"shared-cache\"] entries=[\"OWN/entry: from OWN\"] \
         caches.match(OTHER)=none databases=[\"shared-db\"] shared-db=\"from OWN\" \
         registrations=[\"OWN/\"] getRegistration(OTHER)=SecurityError"
    )
}

#[test]
fn origins_stay_isolated_across_restarts() {
    let (a, b) = (site(), site());
    assert_ne!(a.origin, b.origin);
    let profile = tempfile::tempdir().unwrap();
    let origins = [a.origin.as_str(), b.origin.as_str()];

    // First life: only A sets up its fetch, cache and registration.
    let first = start(profile.path(), &origins);
    assert_eq!(
        look(&first, &a.origin, &b.origin, true),
        owner_sees_its_own()
    );
    first.engine.shutdown();

    // Second life: B, with its own registration at the same path, sees nothing of A's;
    // then it sets up the same id and cache name, independently; A still has its own.
    let second = start(profile.path(), &origins);
    assert_eq!(
        look(&second, &b.origin, &a.origin, false),
        "ids=[] get=undefined caches=[] caches.match(OTHER)=none databases=[] shared-db=new \
         registrations=[\"OWN/\"] getRegistration(OTHER)=SecurityError",
        "B, after the restart, before its own setup"
    );
    assert_eq!(
        look(&second, &b.origin, &a.origin, true),
        owner_sees_its_own(),
        "B after its setup with A's id and cache name"
    );
    assert_eq!(
        look(&second, &a.origin, &b.origin, false),
        owner_sees_its_own(),
        "A after the restart, beside B's"
    );
    second.engine.shutdown();

    // Third life: both origins' fetches and caches came back, each only to its origin.
    let third = start(profile.path(), &origins);
    assert_eq!(
        look(&third, &a.origin, &b.origin, false),
        owner_sees_its_own(),
        "A"
    );
    assert_eq!(
        look(&third, &b.origin, &a.origin, false),
        owner_sees_its_own(),
        "B"
    );
    // The engine's own view: two fetches of the same id, one per origin, both still running.
    // (It follows the controller's display updates: it may be a moment behind the pages.)
    let deadline = std::time::Instant::now() + WAIT;
    let mut fetches = third.engine.background_fetches();
    while fetches.len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        fetches = third.engine.background_fetches();
    }
    let mut seen: Vec<(String, String, bool)> = fetches
        .iter()
        .map(|f| (f.origin.clone(), f.id.clone(), f.finished))
        .collect();
    seen.sort();
    let mut expected = vec![
        (a.origin.clone(), "shared-id".to_string(), false),
        (b.origin.clone(), "shared-id".to_string(), false),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    third.engine.shutdown();
}
