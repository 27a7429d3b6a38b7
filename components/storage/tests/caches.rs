//! The Cache API's storage through its public API: caches per origin in creation order,
//! batches that commit whole or not at all (rows, files and quota), bodies linked from files
//! the profile holds, and a reopen that finds no orphan body file.

use net_traits::cache::{CacheId, EntryId};
use net_traits::{RequestData, ResponseMeta};
use storage::*;

const A: &str = "https://a.test";

fn open(dir: &std::path::Path, quota: u64) -> Store {
    Store::open(
        dir,
        StoreOptions {
            quota_per_origin: Some(quota),
        },
    )
    .expect("the store opens")
}

fn response(status: u16) -> ResponseMeta {
    ResponseMeta {
        status,
        ..Default::default()
    }
}

fn put(store: &Store, cache: CacheId, url: &str, body: &[u8]) -> Result<EntryId, StoreError> {
    let staged = store.stage_cache_bytes(body)?;
    store.cache_batch(A, cache, |tx| {
        tx.insert(&RequestData::get(url), &response(200), staged)
    })
}

fn cache_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("caches"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "tmp" && n != "retired")
        .collect();
    names.sort();
    names
}

#[test]
fn caches_are_per_origin_and_in_creation_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 1 << 20);
    let v2 = store.cache_open(A, "v2").unwrap();
    let v1 = store.cache_open(A, "v1").unwrap();
    assert_eq!(
        store.cache_open(A, "v2").unwrap(),
        v2,
        "open finds it again"
    );
    store.cache_open("https://b.test", "v1").unwrap();
    assert_eq!(store.cache_names(A).unwrap(), ["v2", "v1"]);
    assert_eq!(store.cache_id("https://b.test", "v2").unwrap(), None);
    put(&store, v1, "https://a.test/x", b"xx").unwrap();
    put(&store, v2, "https://a.test/y", b"yyy").unwrap();
    let all: Vec<String> = store
        .cache_entries(A, None)
        .unwrap()
        .into_iter()
        .map(|e| e.request.url)
        .collect();
    assert_eq!(
        all,
        ["https://a.test/y", "https://a.test/x"],
        "caches in creation order"
    );
    assert_eq!(store.usage(A), 5);
    assert!(store.cache_delete(A, "v2").unwrap());
    assert!(!store.cache_delete(A, "v2").unwrap());
    assert_eq!(store.cache_names(A).unwrap(), ["v1"]);
    assert_eq!(store.cache_id(A, "v2").unwrap(), None);
    // Doomed, not gone: what holds the cache still uses it; CacheStorage no longer sees it.
    assert_eq!(store.cache_entries(A, Some(v2)).unwrap().len(), 1);
    put(&store, v2, "https://a.test/z", b"z").unwrap();
    assert_eq!(store.cache_entries(A, None).unwrap().len(), 1);
    assert_ne!(
        store.cache_open(A, "v2").unwrap(),
        v2,
        "a new cache of that name"
    );
    drop(store);
    // The next open removes it, with its entries and their bodies.
    let store = open(dir.path(), 1 << 20);
    assert_eq!(store.usage(A), 2);
    assert_eq!(
        cache_files(dir.path()).len(),
        1,
        "the deleted cache's bodies went"
    );
}

#[test]
fn a_failed_batch_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 1 << 20);
    let cache = store.cache_open(A, "c").unwrap();
    let old = put(&store, cache, "https://a.test/x", b"old").unwrap();
    let staged = store.stage_cache_bytes(b"new bytes").unwrap();
    let result: Result<(), StoreError> = store.cache_batch(A, cache, |tx| {
        tx.remove(old)?;
        tx.insert(
            &RequestData::get("https://a.test/x"),
            &response(200),
            staged,
        )?;
        Err(StoreError::BadRow(
            "the batch fails after its changes".into(),
        ))
    });
    assert!(result.is_err());
    let entries = store.cache_entries(A, Some(cache)).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, old);
    assert_eq!(store.read_cache_body(old, 0, 100).unwrap(), b"old");
    assert_eq!(store.usage(A), 3);
    assert_eq!(cache_files(dir.path()), [old.0.to_string()]);
}

#[test]
fn a_batch_past_the_quota_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 10);
    let cache = store.cache_open(A, "c").unwrap();
    put(&store, cache, "https://a.test/a", b"12345").unwrap();
    let one = store.stage_cache_bytes(b"abc").unwrap();
    let two = store.stage_cache_bytes(b"defgh").unwrap();
    let result = store.cache_batch(A, cache, |tx| {
        tx.insert(&RequestData::get("https://a.test/b"), &response(200), one)?;
        tx.insert(&RequestData::get("https://a.test/c"), &response(200), two)
    });
    assert!(matches!(result, Err(StoreError::Quota(_))), "{result:?}");
    assert_eq!(store.cache_entries(A, Some(cache)).unwrap().len(), 1);
    assert_eq!(store.usage(A), 5);
    // Replacing an entry counts only the difference.
    let bigger = store.stage_cache_bytes(b"1234567890").unwrap();
    let first = store.cache_entries(A, Some(cache)).unwrap()[0].id;
    store
        .cache_batch(A, cache, |tx| {
            tx.remove(first)?;
            tx.insert(
                &RequestData::get("https://a.test/a"),
                &response(200),
                bigger,
            )
        })
        .unwrap();
    assert_eq!(store.usage(A), 10);
}

#[test]
fn a_file_the_profile_holds_is_linked_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 1 << 20);
    let source = dir.path().join("elsewhere");
    std::fs::write(&source, b"record bytes").unwrap();
    let staged = store.stage_cache_file(&source, 12).unwrap();
    let cache = store.cache_open(A, "c").unwrap();
    let entry = store
        .cache_batch(A, cache, |tx| {
            tx.insert(
                &RequestData::get("https://a.test/r"),
                &response(200),
                staged,
            )
        })
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let a = std::fs::metadata(&source).unwrap();
        let b = std::fs::metadata(store.cache_body_path(entry)).unwrap();
        assert_eq!(a.ino(), b.ino(), "the same bytes on disk, under two names");
    }
    // The source goes (a record released): the entry keeps its bytes.
    std::fs::remove_file(&source).unwrap();
    assert_eq!(
        store.read_cache_body(entry, 0, 100).unwrap(),
        b"record bytes"
    );
    assert!(store.stage_cache_file(&source, 12).is_err());
}

#[test]
fn a_reopened_store_keeps_entries_and_drops_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let kept = {
        let store = open(dir.path(), 1 << 20);
        let cache = store.cache_open(A, "c").unwrap();
        let kept = put(&store, cache, "https://a.test/k", b"kept").unwrap();
        // A staged body that never became an entry, and a body file whose row never
        // committed (a crash in between).
        std::mem::forget(store.stage_cache_bytes(b"staged").unwrap());
        std::fs::write(dir.path().join("caches").join("999999"), b"orphan").unwrap();
        kept
    };
    let store = open(dir.path(), 1 << 20);
    assert_eq!(cache_files(dir.path()), [kept.0.to_string()]);
    assert_eq!(
        std::fs::read_dir(dir.path().join("caches/tmp"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(store.usage(A), 4, "usage counts the entries");
    let entry = store.cache_entry(kept).unwrap().unwrap();
    assert_eq!(entry.request.url, "https://a.test/k");
    assert_eq!(entry.body_len, Some(4));
}

#[test]
fn registrations_survive_a_reopen_and_ids_are_never_reused() {
    use net_traits::service_workers::*;
    let dir = tempfile::tempdir().unwrap();
    let worker = |id: u64, body: &str| StoredWorker {
        id,
        script_url: "https://a.test/sw.js".into(),
        worker_type: "classic".into(),
        scripts: vec![
            StoredScript {
                url: "https://a.test/sw.js".into(),
                body: body.as_bytes().to_vec(),
                content_type: "text/javascript".into(),
            },
            StoredScript {
                url: "https://a.test/lib.js".into(),
                body: b"\x00binary\xff".to_vec(),
                content_type: "text/javascript".into(),
            },
        ],
        csp: vec!["connect-src 'self'".into()],
        event_types: Some(vec!["fetch".into(), "backgroundfetchsuccess".into()]),
    };
    let first_ids = {
        let store = open(dir.path(), 1 << 20);
        let first = store.reserve_ids(100).unwrap();
        let reg = |id: u64, scope: &str| StoredRegistration {
            id,
            storage_key: A.into(),
            scope: scope.into(),
            update_via_cache: "imports".into(),
            last_update_check: Some(1_700_000_000_000),
            waiting: None,
            active: Some(worker(id + 1, "one")),
        };
        store
            .save_registration(&reg(first, "https://a.test/a/"))
            .unwrap();
        store
            .save_registration(&reg(first + 10, "https://a.test/b/"))
            .unwrap();
        // Replaced whole: a new active worker and a waiting one; the order stays.
        let mut again = reg(first, "https://a.test/a/");
        again.active = Some(worker(first + 2, "two"));
        again.waiting = Some(worker(first + 3, "three"));
        store.save_registration(&again).unwrap();
        store
            .save_registration(&reg(first + 20, "https://a.test/c/"))
            .unwrap();
        store.remove_registration(first + 20).unwrap();
        first
    };
    let store = open(dir.path(), 1 << 20);
    let all = store.load_registrations().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].scope, "https://a.test/a/",
        "first stored, first loaded"
    );
    assert_eq!(all[0].active.as_ref().unwrap().id, first_ids + 2);
    assert_eq!(all[0].active.as_ref().unwrap().scripts[0].body, b"two");
    assert_eq!(
        all[0].waiting.as_ref().unwrap().scripts[1].body,
        b"\x00binary\xff"
    );
    assert_eq!(all[0].waiting.as_ref().unwrap().csp, ["connect-src 'self'"]);
    assert_eq!(all[1].scope, "https://a.test/b/");
    assert_eq!(all[1].last_update_check, Some(1_700_000_000_000));
    assert!(
        store.reserve_ids(5).unwrap() >= first_ids + 100,
        "ids reserved before are never handed out again"
    );
}
