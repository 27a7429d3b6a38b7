//! Fuzz target for the store's row decoding: a real profile (fetches with records, a cache
//! with entries, a service worker registration) whose SQLite rows get random values written
//! into their columns (wrong types, extremes, mutated JSON, NULLs), whose rows are deleted
//! or duplicated, or whose schema version is changed. Opening the store, listing what it
//! holds and fsck must then return errors, never panic. Bounded here; `BGFETCH_FUZZ_ITERS`
//! runs longer (docs/fuzzing.md).

#[path = "../../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{mutate, run, Rng};
use net_traits::cache::{CacheId, EntryId};
use net_traits::service_workers::{
    RegistrationStore, StoredRegistration, StoredScript, StoredWorker,
};
use net_traits::*;
use rusqlite::types::Value;
use std::path::Path;
use storage::*;

const ORIGIN: &str = "https://a.test";

/// Every table and column the store reads.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "fetches",
        &[
            "uid",
            "registration_id",
            "scope",
            "origin",
            "id",
            "title",
            "icons",
            "download_total",
            "upload_total",
            "uploaded",
            "state",
            "result",
            "failure_reason",
            "paused",
            "awaiting_permission",
            "abort_all",
            "immediate_failure",
        ],
    ),
    (
        "records",
        &[
            "uid",
            "idx",
            "request",
            "body_len",
            "response",
            "result",
            "started",
            "settled_seq",
        ],
    ),
    ("counters", &["name", "value"]),
    ("caches", &["id", "origin", "name"]),
    (
        "cache_entries",
        &["id", "cache_id", "request", "response", "body_len"],
    ),
    (
        "sw_registrations",
        &[
            "id",
            "storage_key",
            "scope",
            "update_via_cache",
            "last_update_check",
            "position",
        ],
    ),
    (
        "sw_workers",
        &[
            "id",
            "registration_id",
            "slot",
            "script_url",
            "worker_type",
            "csp",
            "event_types",
        ],
    ),
    (
        "sw_scripts",
        &["worker_id", "position", "url", "body", "content_type"],
    ),
];

/// A profile with something in every table.
fn make_template(dir: &Path) {
    let store = Store::open(
        dir,
        StoreOptions {
            quota_per_origin: Some(1 << 20),
        },
    )
    .expect("a new store opens");
    let registration = RegistrationInfo {
        id: RegistrationId(3),
        scope: "https://a.test/app/".into(),
        origin: ORIGIN.into(),
        has_active_worker: true,
    };
    let mut post = RequestData::get("https://a.test/upload");
    post.method = "POST".into();
    post.body = Some(b"hello".to_vec().into());
    post.headers = vec![("Content-Type".into(), "text/plain".into())];
    let requests = vec![RequestData::get("https://a.test/a"), post];
    for _ in 0..2 {
        let uid = store.next_uid().unwrap();
        store
            .insert_fetch(&NewFetch {
                uid,
                registration: &registration,
                id: "id",
                title: "Title",
                icons: &[ImageResource {
                    src: "https://a.test/i.png".into(),
                    ..Default::default()
                }],
                download_total: 100,
                paused: false,
                awaiting_permission: false,
                requests: &requests,
            })
            .unwrap();
        let response = ResponseMeta {
            status: 206,
            headers: vec![("Content-Range".into(), "bytes 0-4/10".into())],
            ..Default::default()
        };
        store.set_response(uid, 0, Some(&response)).unwrap();
        std::fs::write(store.response_body_path(uid, 0), b"12345").unwrap();
    }
    let cache = store.cache_open(ORIGIN, "v1").unwrap();
    for (url, body) in [
        ("https://a.test/c1", &b"abc"[..]),
        ("https://a.test/c2", b""),
    ] {
        let staged = store.stage_cache_bytes(body).unwrap();
        store
            .cache_batch(ORIGIN, cache, |tx| -> Result<_, StoreError> {
                tx.insert(
                    &RequestData::get(url),
                    &ResponseMeta {
                        status: 200,
                        ..Default::default()
                    },
                    staged,
                )
            })
            .unwrap();
    }
    let worker = |id| StoredWorker {
        id,
        script_url: "https://a.test/sw.js".into(),
        worker_type: "classic".into(),
        scripts: vec![StoredScript {
            url: "https://a.test/sw.js".into(),
            body: b"self.onfetch = () => {};".to_vec(),
            content_type: "text/javascript".into(),
        }],
        csp: vec!["default-src 'self'".into()],
        event_types: Some(vec!["fetch".into()]),
    };
    store
        .save_registration(&StoredRegistration {
            id: 1,
            storage_key: ORIGIN.into(),
            scope: "https://a.test/app/".into(),
            update_via_cache: "imports".into(),
            last_update_check: Some(5),
            waiting: Some(worker(2)),
            active: Some(worker(3)),
        })
        .unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// One change to the database.
#[derive(Debug)]
enum Corruption {
    /// `UPDATE table SET column = value` on the row at `row` (an offset), or on every row.
    Set {
        table: &'static str,
        column: &'static str,
        row: Option<u8>,
        value: Value,
    },
    /// The column's present text (JSON mostly), mutated.
    Mutate {
        table: &'static str,
        column: &'static str,
        row: u8,
        seed: u64,
    },
    Delete {
        table: &'static str,
        row: u8,
    },
    /// A copy of a row (its unique keys permitting).
    Duplicate {
        table: &'static str,
        row: u8,
    },
    UserVersion(i64),
}

fn value(rng: &mut Rng) -> Value {
    match rng.u8(0..10) {
        0 => Value::Null,
        1 => Value::Integer(
            [i64::MIN, i64::MAX, -1, 0, 1, u32::MAX as i64 + 1, 1 << 53][rng.usize(0..7)],
        ),
        2 => Value::Integer(rng.i64(..)),
        3 => Value::Real([f64::NAN, f64::INFINITY, -0.0, 1.5, 1e300][rng.usize(0..5)]),
        4 => Value::Blob((0..rng.usize(0..16)).map(|_| rng.u8(..)).collect()),
        5 => Value::Text(
            [
                "",
                "active",
                "settled",
                "success",
                "failure",
                "aborted",
                "bad-status",
                "fetch-error",
                "quota-exceeded",
                "download-total-exceeded",
                "null",
                "[]",
                "{}",
                "[{}]",
                "\"x\"",
                "../../etc",
                "waiting",
                "active",
                "none",
                "all",
                "imports",
                "\u{fffd}",
            ][rng.usize(0..22)]
            .into(),
        ),
        6 => Value::Text(
            String::from_utf8_lossy(&fuzz_support::soup(
                rng,
                &[
                    "{",
                    "}",
                    "[",
                    "]",
                    "\"",
                    ":",
                    ",",
                    "null",
                    "\"url\"",
                    "\"method\"",
                    "1e999",
                ],
                8,
            ))
            .into_owned(),
        ),
        _ => Value::Text(fuzz_support::number_text(rng)),
    }
}

fn corruption(rng: &mut Rng) -> Corruption {
    let (table, columns) = COLUMNS[rng.usize(0..COLUMNS.len())];
    let column = columns[rng.usize(0..columns.len())];
    match rng.u8(0..12) {
        0 => Corruption::Delete {
            table,
            row: rng.u8(0..4),
        },
        1 => Corruption::Duplicate {
            table,
            row: rng.u8(0..4),
        },
        2 => Corruption::UserVersion([-1, 0, 1, 2, 3, 5, i64::MAX][rng.usize(0..7)]),
        3..=5 => Corruption::Mutate {
            table,
            column,
            row: rng.u8(0..4),
            seed: rng.u64(..),
        },
        _ => Corruption::Set {
            table,
            column,
            row: rng.bool().then(|| rng.u8(0..4)),
            value: value(rng),
        },
    }
}

/// Applies a change; a change SQLite refuses (NOT NULL, UNIQUE) is skipped.
fn apply(conn: &rusqlite::Connection, c: &Corruption) {
    let row = |table: &str, row: u8| {
        format!("rowid = (SELECT rowid FROM {table} ORDER BY rowid LIMIT 1 OFFSET {row})")
    };
    let _ = match c {
        Corruption::Set {
            table,
            column,
            row: Some(r),
            value,
        } => conn.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE {}", row(table, *r)),
            [value],
        ),
        Corruption::Set {
            table,
            column,
            row: None,
            value,
        } => conn.execute(&format!("UPDATE {table} SET {column} = ?1"), [value]),
        Corruption::Mutate {
            table,
            column,
            row: r,
            seed,
        } => {
            let current: Option<Value> = conn
                .query_row(
                    &format!("SELECT {column} FROM {table} WHERE {}", row(table, *r)),
                    [],
                    |r| r.get(0),
                )
                .ok();
            let bytes = match current {
                Some(Value::Text(t)) => t.into_bytes(),
                Some(Value::Blob(b)) => b,
                Some(Value::Integer(i)) => i.to_string().into_bytes(),
                _ => Vec::new(),
            };
            let mutated = mutate(
                &mut Rng::with_seed(*seed),
                &bytes,
                &[
                    "{",
                    "}",
                    "\"",
                    ":",
                    ",",
                    "null",
                    "-1",
                    "18446744073709551616",
                ],
                &[],
            );
            conn.execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE {}", row(table, *r)),
                [String::from_utf8_lossy(&mutated).into_owned()],
            )
        }
        Corruption::Delete { table, row: r } => {
            conn.execute(&format!("DELETE FROM {table} WHERE {}", row(table, *r)), [])
        }
        Corruption::Duplicate { table, row: r } => conn.execute(
            &format!(
                "INSERT OR IGNORE INTO {table} SELECT * FROM {table} WHERE {}",
                row(table, *r)
            ),
            [],
        ),
        Corruption::UserVersion(v) => conn.pragma_update(None, "user_version", v).map(|_| 0),
    };
}

/// Everything a restart and the shell's commands read from a profile.
fn use_profile(dir: &Path) {
    let verbose = std::env::var_os("BGFETCH_FUZZ_VERBOSE").is_some();
    let opened = Store::open(dir, StoreOptions::default());
    if verbose {
        eprintln!("open: {:?}", opened.as_ref().err());
    }
    if let Ok(store) = opened {
        let fetches = store.load_fetches();
        if verbose {
            eprintln!("fetches: {:?}", fetches.as_ref().map(Vec::len));
        }
        if let Ok(fetches) = fetches {
            for f in fetches {
                for r in &f.records {
                    let _ = store.request_body(f.uid, r.index);
                    let _ = store.body_len(f.uid, r.index);
                }
            }
        }
        let _ = store.cache_names(ORIGIN);
        if let Ok(Some(id)) = store.cache_id(ORIGIN, "v1") {
            let _ = store.cache_entries(ORIGIN, Some(id));
        }
        let _ = store.cache_entries(ORIGIN, None);
        let _ = store.cache_entries(ORIGIN, Some(CacheId(-1)));
        for id in [-1, 0, 1, 2, i64::MAX] {
            let _ = store.cache_entry(EntryId(id));
            let _ = store.cache_entry_origin(EntryId(id));
        }
        let _ = store.load_registrations();
        let _ = store.next_uid();
    }
    let _ = storage::fsck::check(dir, false);
    let _ = storage::fsck::check(dir, true);
    // And once more after the repair.
    if let Ok(store) = Store::open(dir, StoreOptions::default()) {
        let _ = store.load_fetches();
        let _ = store.load_registrations();
    }
}

#[test]
fn fuzz_corrupt_rows() {
    let template = tempfile::tempdir().unwrap();
    make_template(template.path());
    run(
        "storage: corrupt rows",
        300,
        |rng: &mut Rng| {
            (0..rng.usize(1..5))
                .map(|_| corruption(rng))
                .collect::<Vec<_>>()
        },
        |corruptions| {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(template.path(), dir.path());
            {
                let conn = rusqlite::Connection::open(dir.path().join("bgfetch.sqlite")).unwrap();
                for c in corruptions {
                    apply(&conn, c);
                }
            }
            use_profile(dir.path());
        },
    );
}

/// The template itself reads back whole (the target starts from a valid profile).
#[test]
fn the_template_profile_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    make_template(dir.path());
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert_eq!(store.load_fetches().unwrap().len(), 2);
    assert_eq!(store.cache_entries(ORIGIN, None).unwrap().len(), 2);
    assert_eq!(store.load_registrations().unwrap().len(), 1);
}

fn corrupted_template(sql: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    make_template(dir.path());
    let conn = rusqlite::Connection::open(dir.path().join("bgfetch.sqlite")).unwrap();
    conn.execute_batch(sql).unwrap();
    dir
}

/// Found by `fuzz_corrupt_rows`: a negative cache entry body length was cast to u64 and
/// summed into the origin's usage when the store opened ("attempt to add with overflow" in
/// `Store::tidy_caches`; a wrapped-around usage in a release build). Now a clear error.
#[test]
fn regression_a_negative_cache_body_length_is_an_error() {
    let dir = corrupted_template("UPDATE cache_entries SET body_len = -1;");
    match Store::open(dir.path(), StoreOptions::default()) {
        Err(StoreError::BadRow(m)) => assert!(m.contains("body length -1"), "{m}"),
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("a negative body length opens"),
    }
    // fsck still reads the profile.
    assert!(storage::fsck::check(dir.path(), false).is_ok());
    // A record's negative request body length is the same kind of error.
    let dir = corrupted_template("UPDATE records SET body_len = -1;");
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert!(matches!(store.load_fetches(), Err(StoreError::BadRow(_))));
}

/// Seen while reading the code the fuzzer exercises: uids of -1 in the table and in the
/// counter made `Store::next_uid` add 1 to u64::MAX.
#[test]
fn regression_a_negative_uid_is_an_error() {
    let dir = corrupted_template(
        "DELETE FROM records; DELETE FROM fetches WHERE uid = 2; UPDATE fetches SET uid = -1;
         INSERT OR REPLACE INTO counters (name, value) VALUES ('uid', -1);",
    );
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert!(matches!(store.next_uid(), Err(StoreError::BadRow(_))));
}

/// Found by `fuzz_corrupt_rows`: cache entries claiming i64::MAX bytes each brought the
/// origin's usage near u64::MAX, and adding its fetches' files overflowed
/// (`Store::recount_usage`, "attempt to add with overflow"). The usage now saturates: the
/// origin is over its quota, and the profile opens.
#[test]
fn regression_huge_cache_body_lengths_saturate_the_usage() {
    let dir = corrupted_template("UPDATE cache_entries SET body_len = 9223372036854775807;");
    let store = Store::open(dir.path(), StoreOptions::default()).expect("the profile opens");
    assert_eq!(store.usage(ORIGIN), u64::MAX);
    assert!(!store.fits(ORIGIN, 1));
}
