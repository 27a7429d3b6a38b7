//! Benchmark (not a test): IndexedDB through the engine against the same work done with
//! `rusqlite` directly (WAL, synchronous=FULL, as the engine's store), as ratios:
//!
//! - small records: 10,000 x 1 KiB values put in one readwrite transaction (to `complete`),
//!   then read back with 10,000 `get()`s in one readonly transaction;
//! - Blob chunks: 64 x 1 MiB Blobs, one readwrite transaction each (as a worker streaming a
//!   record does), then each read back and its bytes read (`blob.arrayBuffer()`).
//!
//! The reference stores the same bytes: rows in one transaction for the small records; for
//! the chunks a file each (written and fsync'd) and a row naming it, committed per chunk.
//!
//! ```sh
//! cargo bench --bench indexeddb
//! ```

mod support;

use engine::{Engine, EngineConfig};
use rusqlite::{params, Connection};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use support::Console;

const SMALL: usize = 10_000;
const SMALL_SIZE: usize = 1024;
const CHUNKS: usize = 64;
const CHUNK_SIZE: usize = 1 << 20;

const PAGE: &str = r#"<!doctype html><script>
function request(r) {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}
function done(tx) {
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
}
let db;
async function open() {
  const r = indexedDB.open('bench', 1);
  r.onupgradeneeded = () => { r.result.createObjectStore('small'); r.result.createObjectStore('chunks'); };
  db = await request(r);
  return 'open';
}
async function smallPut(n, size) {
  const started = performance.now();
  const tx = db.transaction('small', 'readwrite');
  const store = tx.objectStore('small');
  for (let i = 0; i < n; i++) {
    const value = new Uint8Array(size);
    value[0] = i & 255;
    store.put(value, i);
  }
  await done(tx);
  return performance.now() - started;
}
async function smallGet(n, size) {
  const started = performance.now();
  const tx = db.transaction('small');
  const store = tx.objectStore('small');
  let bytes = 0;
  await new Promise((resolve, reject) => {
    let left = n;
    for (let i = 0; i < n; i++) {
      const r = store.get(i);
      r.onsuccess = () => { bytes += r.result.byteLength; if (--left === 0) resolve(); };
      r.onerror = () => reject(r.error);
    }
  });
  if (bytes !== n * size) throw new Error(`read ${bytes} bytes`);
  return performance.now() - started;
}
async function chunkPut(n, size) {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const tx = db.transaction('chunks', 'readwrite');
    tx.objectStore('chunks').put(new Blob([new Uint8Array(size)]), i);
    await done(tx);
  }
  return performance.now() - started;
}
async function chunkGet(n, size) {
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const blob = await request(db.transaction('chunks').objectStore('chunks').get(i));
    bytes += (await blob.arrayBuffer()).byteLength;
  }
  if (bytes !== n * size) throw new Error(`read ${bytes} bytes`);
  return performance.now() - started;
}
</script>"#;

fn main() {
    let (_site, _server, origin) = support::serve_site(PAGE, "");
    let work = tempfile::tempdir().unwrap();
    let (tx, _console) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(work.path().join("profile"));
    config.delegate = std::sync::Arc::new(Console(tx));
    let engine = Engine::start(config).expect("the engine starts");
    let page = engine
        .open_page(&format!("{origin}/bench/index.html"))
        .unwrap();
    page.wait_loaded(Duration::from_secs(30)).unwrap();
    let long = Duration::from_secs(600);
    let ms = |js: &str| -> f64 {
        page.eval_promise(js, long)
            .unwrap_or_else(|e| panic!("{js}: {e:?}"))
            .parse()
            .unwrap()
    };
    page.eval_promise("open()", long).unwrap();
    let engine_small_put = ms(&format!("smallPut({SMALL}, {SMALL_SIZE})"));
    let engine_small_get = ms(&format!("smallGet({SMALL}, {SMALL_SIZE})"));
    support::reset_peak_rss();
    let engine_chunk_put = ms(&format!("chunkPut({CHUNKS}, {CHUNK_SIZE})"));
    let engine_chunk_get = ms(&format!("chunkGet({CHUNKS}, {CHUNK_SIZE})"));
    let chunk_peak_mib = support::status_kib("VmHWM:") as f64 / 1024.0;
    page.close();
    engine.shutdown();

    let reference = work.path().join("reference");
    std::fs::create_dir_all(&reference).unwrap();
    let (ref_small_put, ref_small_get, ref_chunk_put, ref_chunk_get) =
        rusqlite_reference(&reference);

    println!("IndexedDB (engine, debug or release as built) vs rusqlite directly (WAL, synchronous=FULL)");
    let line = |what: &str, engine: f64, reference: f64, bytes: usize| {
        let mib = bytes as f64 / (1 << 20) as f64;
        println!(
            "  {what}: {engine:.1} ms ({:.0} MiB/s) vs {reference:.1} ms ({:.0} MiB/s): ratio {:.2}",
            mib / (engine / 1000.0),
            mib / (reference / 1000.0),
            engine / reference
        );
    };
    line(
        &format!("put {SMALL} x {SMALL_SIZE} B, one transaction"),
        engine_small_put,
        ref_small_put,
        SMALL * SMALL_SIZE,
    );
    line(
        &format!("get {SMALL} x {SMALL_SIZE} B, one transaction"),
        engine_small_get,
        ref_small_get,
        SMALL * SMALL_SIZE,
    );
    line(
        &format!("put {CHUNKS} x 1 MiB Blobs, a transaction each"),
        engine_chunk_put,
        ref_chunk_put,
        CHUNKS * CHUNK_SIZE,
    );
    line(
        &format!("get {CHUNKS} x 1 MiB Blobs and read them"),
        engine_chunk_get,
        ref_chunk_get,
        CHUNKS * CHUNK_SIZE,
    );
    println!("  peak RSS of this process (engine and server) during the Blob phases: {chunk_peak_mib:.1} MiB");
}

/// The same work with rusqlite: (small put, small get, chunk put, chunk get) in ms.
fn rusqlite_reference(dir: &std::path::Path) -> (f64, f64, f64, f64) {
    let mut conn = Connection::open(dir.join("reference.sqlite")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE small (key INTEGER PRIMARY KEY, value BLOB NOT NULL);
         CREATE TABLE chunks (key INTEGER PRIMARY KEY, file TEXT NOT NULL);",
    )
    .unwrap();
    let started = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT OR REPLACE INTO small (key, value) VALUES (?1, ?2)")
            .unwrap();
        for i in 0..SMALL {
            let mut value = vec![0u8; SMALL_SIZE];
            value[0] = i as u8;
            insert.execute(params![i as i64, value]).unwrap();
        }
    }
    tx.commit().unwrap();
    let small_put = ms(started);
    let started = Instant::now();
    let tx = conn.transaction().unwrap();
    let mut bytes = 0;
    {
        let mut select = tx
            .prepare("SELECT value FROM small WHERE key = ?1")
            .unwrap();
        for i in 0..SMALL {
            let v: Vec<u8> = select.query_row(params![i as i64], |r| r.get(0)).unwrap();
            bytes += v.len();
        }
    }
    tx.commit().unwrap();
    assert_eq!(bytes, SMALL * SMALL_SIZE);
    let small_get = ms(started);
    let started = Instant::now();
    for i in 0..CHUNKS {
        let name = format!("chunk-{i}");
        let mut f = std::fs::File::create(dir.join(&name)).unwrap();
        f.write_all(&vec![0u8; CHUNK_SIZE]).unwrap();
        f.sync_all().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT OR REPLACE INTO chunks (key, file) VALUES (?1, ?2)",
            params![i as i64, name],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let chunk_put = ms(started);
    let started = Instant::now();
    let mut bytes = 0;
    for i in 0..CHUNKS {
        let name: String = conn
            .query_row(
                "SELECT file FROM chunks WHERE key = ?1",
                params![i as i64],
                |r| r.get(0),
            )
            .unwrap();
        let mut buffer = Vec::new();
        std::fs::File::open(dir.join(name))
            .unwrap()
            .read_to_end(&mut buffer)
            .unwrap();
        bytes += buffer.len();
    }
    assert_eq!(bytes, CHUNKS * CHUNK_SIZE);
    let chunk_get = ms(started);
    (small_put, small_get, chunk_put, chunk_get)
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
