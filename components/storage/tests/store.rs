//! The store through its public API: durable fetches and records, body files, quota,
//! restart, and clear errors for databases it cannot use.

use net_traits::*;
use storage::*;

fn registration() -> RegistrationInfo {
    RegistrationInfo {
        id: RegistrationId(7),
        scope: "https://a.test/app/".into(),
        origin: "https://a.test".into(),
        has_active_worker: true,
    }
}

fn requests() -> Vec<RequestData> {
    let mut post = RequestData::get("https://a.test/upload");
    post.method = "POST".into();
    post.body = Some(b"hello body".to_vec().into());
    post.headers = vec![("Content-Type".into(), "text/plain".into())];
    vec![RequestData::get("https://a.test/a"), post]
}

fn open(dir: &std::path::Path, quota: u64) -> Store {
    Store::open(
        dir,
        StoreOptions {
            quota_per_origin: Some(quota),
        },
    )
    .expect("the store opens")
}

fn insert(store: &Store, uid: FetchUid, reqs: &[RequestData]) -> Result<(), StoreError> {
    let reg = registration();
    store.insert_fetch(&NewFetch {
        uid,
        registration: &reg,
        id: "the id / with ../ odd chars",
        title: "Title",
        icons: &[ImageResource {
            src: "https://a.test/i.png".into(),
            ..Default::default()
        }],
        download_total: 1000,
        paused: false,
        awaiting_permission: false,
        requests: reqs,
    })
}

#[test]
fn fetches_and_records_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path(), 1 << 20);
        let uid = store.next_uid().unwrap();
        assert_eq!(uid, FetchUid(1));
        insert(&store, uid, &requests()).unwrap();
        assert_eq!(store.usage("https://a.test"), 10, "request bodies count");
        let mut body = store.body_file(uid, 0, "https://a.test").unwrap();
        body.append(b"0123").unwrap();
        body.append(b"4567").unwrap();
        body.sync().unwrap();
        assert_eq!(body.len(), 8);
        let meta = ResponseMeta {
            status: 200,
            url_list: vec!["https://a.test/a".into()],
            headers: vec![("ETag".into(), "\"x\"".into())],
            ..Default::default()
        };
        store.set_response(uid, 0, Some(&meta)).unwrap();
        store
            .set_record_result(uid, 1, RecordResult::Failed(FailureReason::BadStatus), None)
            .unwrap();
        store.set_flags(uid, true, false, false).unwrap();
        store.set_uploaded(uid, 10).unwrap();
        assert_eq!(store.usage("https://a.test"), 18);
    }
    let store = open(dir.path(), 1 << 20);
    assert_eq!(
        store.usage("https://a.test"),
        18,
        "usage recounted from disk"
    );
    let fetches = store.load_fetches().unwrap();
    assert_eq!(fetches.len(), 1);
    let f = &fetches[0];
    assert_eq!(f.id, "the id / with ../ odd chars");
    assert_eq!(f.state, FetchState::Active);
    assert!(f.paused);
    assert_eq!(f.uploaded, 10);
    assert_eq!(f.upload_total, 10);
    assert_eq!(f.records.len(), 2);
    assert_eq!(f.records[0].stored, 8);
    assert_eq!(f.records[0].response.as_ref().unwrap().status, 200);
    assert_eq!(
        f.records[1].result,
        RecordResult::Failed(FailureReason::BadStatus)
    );
    assert_eq!(f.records[1].request.body, None, "bodies live in files");
    assert_eq!(f.records[1].body_len, Some(10));
    assert_eq!(
        store.request_body(f.uid, 1).unwrap().as_deref(),
        Some(&b"hello body"[..])
    );
    assert_eq!(store.request_body(f.uid, 0).unwrap(), None);
    assert_eq!(store.read_body(f.uid, 0, 2, 3).unwrap(), b"234");
    assert_eq!(store.read_body(f.uid, 0, 8, 3).unwrap(), b"");
    // Page strings never name files: only numbers under bgfetch/.
    for e in std::fs::read_dir(dir.path().join("bgfetch/1")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(name == "0.res" || name == "1.req", "{name}");
    }
    // Settling and removal.
    store
        .settle(f.uid, FetchResult::Failure, FailureReason::BadStatus)
        .unwrap();
    assert_eq!(store.load_fetches().unwrap()[0].state, FetchState::Settled);
    store.remove_fetch(f.uid).unwrap();
    assert!(store.load_fetches().unwrap().is_empty());
    assert_eq!(store.usage("https://a.test"), 0);
    assert!(!dir.path().join("bgfetch/1").exists());
    // Uids are never reused, even after a removal.
    assert_eq!(store.next_uid().unwrap(), FetchUid(2));
}

#[test]
fn quota_is_enforced_on_request_and_response_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), 16);
    // Request bodies that do not fit: refused, nothing left behind.
    let mut big = RequestData::get("https://a.test/u");
    big.method = "PUT".into();
    big.body = Some(vec![0; 17].into());
    match insert(&store, FetchUid(1), &[big]) {
        Err(StoreError::Quota(q)) => {
            assert_eq!((q.usage, q.requested, q.quota), (0, 17, 16));
        }
        other => panic!("{other:?}"),
    }
    assert!(store.load_fetches().unwrap().is_empty());
    assert!(!dir.path().join("bgfetch/1").exists());
    assert_eq!(store.usage("https://a.test"), 0);
    // Response bytes count as they are appended.
    insert(&store, FetchUid(2), &requests()).unwrap();
    let mut body = store.body_file(FetchUid(2), 0, "https://a.test").unwrap();
    body.append(&[1; 6]).unwrap();
    assert!(matches!(body.append(&[1; 1]), Err(StoreError::Quota(_))));
    assert_eq!(body.len(), 6, "nothing written past the quota");
    assert!(store.fits("https://b.test", 16), "quota is per origin");
    body.truncate().unwrap();
    assert_eq!(store.usage("https://a.test"), 10);
    assert_eq!(store.body_len(FetchUid(2), 0), 0);
}

#[test]
fn orphaned_files_are_removed_at_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        open(dir.path(), 1 << 20);
    }
    std::fs::create_dir_all(dir.path().join("bgfetch/99")).unwrap();
    std::fs::write(dir.path().join("bgfetch/99/0.res"), b"left over").unwrap();
    std::fs::write(dir.path().join("bgfetch/stray"), b"x").unwrap();
    let store = open(dir.path(), 1 << 20);
    assert!(!dir.path().join("bgfetch/99").exists());
    assert!(!dir.path().join("bgfetch/stray").exists());
    assert_eq!(store.usage("https://a.test"), 0);
}

#[test]
fn a_newer_or_corrupt_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    {
        open(dir.path(), 1 << 20);
    }
    let db = dir.path().join("bgfetch.sqlite");
    {
        let conn = rusqlite_connection(&db);
        conn.execute_batch("PRAGMA user_version = 99;").unwrap();
    }
    let err = Store::open(dir.path(), StoreOptions::default())
        .err()
        .unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer than this build"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bgfetch.sqlite"), vec![0x42; 4096]).unwrap();
    let err = Store::open(dir.path(), StoreOptions::default())
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("unreadable"), "{err}");
    // The file was left alone (no silent loss).
    assert_eq!(
        std::fs::read(dir.path().join("bgfetch.sqlite")).unwrap(),
        vec![0x42; 4096]
    );
}

#[test]
fn a_bad_row_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path(), 1 << 20);
        insert(&store, FetchUid(1), &requests()).unwrap();
    }
    {
        let conn = rusqlite_connection(&dir.path().join("bgfetch.sqlite"));
        conn.execute_batch("UPDATE records SET request = '{not json' WHERE idx = 0;")
            .unwrap();
    }
    let store = open(dir.path(), 1 << 20);
    let err = store.load_fetches().unwrap_err();
    assert!(err.to_string().contains("record 0: bad request"), "{err}");
}

/// A second connection for tests that damage the database on purpose.
fn rusqlite_connection(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// Every folder and file under `dir` with its mode (permission bits).
#[cfg(unix)]
fn modes(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = vec![];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        out.push((path.clone(), meta.permissions().mode() & 0o777));
        if meta.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out
}

/// A profile holds request bodies, response bodies, URLs, headers and titles: no other
/// account may read any of it, and a profile an older build left open is closed at open.
#[cfg(unix)]
#[test]
fn the_profile_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("profile");
    let check = |what: &str| {
        let all = modes(&dir);
        assert!(all.len() > 8, "{what}: {all:?}");
        for (path, mode) in all {
            let wanted = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode, wanted, "{what}: {} is {mode:o}", path.display());
        }
    };
    {
        let store = open(&dir, 1 << 20);
        let uid = store.next_uid().unwrap();
        insert(&store, uid, &requests()).unwrap();
        let mut body = store.body_file(uid, 0, "https://a.test").unwrap();
        body.append(b"response bytes").unwrap();
        body.sync().unwrap();
        let cache = store.cache_open("https://a.test", "v1").unwrap();
        let staged = store.stage_cache_bytes(b"cached").unwrap();
        store
            .cache_batch("https://a.test", cache, |tx| {
                tx.insert(
                    &RequestData::get("https://a.test/c"),
                    &ResponseMeta::default(),
                    staged,
                )
            })
            .unwrap();
        let mut upload = store.begin_cache_upload().unwrap();
        upload.write(b"arriving").unwrap();
        std::mem::forget(upload);
        check("new profile");
    }
    // An older build's profile: folders 0755, files 0644.
    for (path, _) in modes(&dir) {
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    drop(open(&dir, 1 << 20));
    check("reopened profile");
}
