//! The IndexedDB service through `IndexedDbService`, as a script thread drives it: opening
//! and upgrading, version changes, transaction scheduling, records, indexes, cursors, key
//! generators, blob files, quota, and what survives a restart.

use net_traits::indexed_db::*;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;
use storage::indexed_db::{database_dir, IndexedDb};
use storage::{Store, StoreOptions};

const A: &str = "https://a.test";
const B: &str = "https://b.test";
const WAIT: Duration = Duration::from_secs(10);
/// How long an answer that must not come yet is waited for.
const NOT_YET: Duration = Duration::from_millis(200);

struct Service {
    store: Arc<Store>,
    idb: IndexedDb,
    thread: std::thread::JoinHandle<()>,
}

fn start(dir: &Path, quota: u64) -> Service {
    let store = Arc::new(
        Store::open(
            dir,
            StoreOptions {
                quota_per_origin: Some(quota),
            },
        )
        .unwrap(),
    );
    let (idb, thread) = IndexedDb::start(dir, store.clone()).unwrap();
    Service { store, idb, thread }
}

impl Service {
    fn stop(self) {
        drop(self.idb);
        self.thread.join().unwrap();
    }

    fn send(&self, origin: &str, request: IdbRequest) -> Receiver<IdbReply> {
        let (tx, rx) = channel();
        self.idb.send(
            origin,
            request,
            Box::new(move |r| {
                let _ = tx.send(r);
            }),
        );
        rx
    }

    fn ask(&self, origin: &str, request: IdbRequest) -> IdbReply {
        self.send(origin, request).recv_timeout(WAIT).unwrap()
    }

    fn open(&self, origin: &str, name: &str, version: Option<u64>) -> Opening {
        self.open_with(origin, name, version, true)
    }

    /// An open whose connection's events sink says `alive`.
    fn open_with(&self, origin: &str, name: &str, version: Option<u64>, alive: bool) -> Opening {
        let connection = ConnectionId(self.idb.next_id());
        let upgrade = TransactionId(self.idb.next_id());
        let (tx, rx) = channel();
        let (etx, erx) = channel();
        self.idb.open(
            origin,
            IdbRequest::Open {
                name: name.into(),
                version,
                connection,
                upgrade,
            },
            Arc::new(move |e| {
                let _ = etx.send(e);
                alive
            }),
            Box::new(move |r| {
                let _ = tx.send(r);
            }),
        );
        Opening {
            connection,
            upgrade,
            replies: rx,
            events: erx,
        }
    }

    fn run(&self, origin: &str, transaction: TransactionId, operation: Operation) -> IdbReply {
        self.ask(
            origin,
            IdbRequest::Run {
                transaction,
                operation,
            },
        )
    }

    fn begin(
        &self,
        origin: &str,
        connection: ConnectionId,
        mode: Mode,
        scope: &[i64],
    ) -> TransactionId {
        let transaction = TransactionId(self.idb.next_id());
        let reply = self.ask(
            origin,
            IdbRequest::Begin {
                connection,
                transaction,
                mode,
                scope: scope.to_vec(),
            },
        );
        assert_eq!(reply, IdbReply::Done);
        transaction
    }

    fn commit(&self, origin: &str, transaction: TransactionId) -> IdbReply {
        self.ask(origin, IdbRequest::Commit { transaction })
    }

    fn close(&self, origin: &str, connection: ConnectionId) {
        assert_eq!(
            self.ask(origin, IdbRequest::Close { connection }),
            IdbReply::Done
        );
    }

    /// Creates (or upgrades to `version`) database `name` with the stores `stores` (name,
    /// key path, auto increment); returns the open connection and what it sees.
    fn create(
        &self,
        origin: &str,
        name: &str,
        version: u64,
        stores: &[(&str, Option<KeyPath>, bool)],
    ) -> (ConnectionId, DatabaseInfo) {
        let o = self.open(origin, name, Some(version));
        let IdbReply::Upgrade { .. } = o.next() else {
            panic!("no upgrade");
        };
        for (store, key_path, auto_increment) in stores {
            let reply = self.run(
                origin,
                o.upgrade,
                Operation::CreateObjectStore {
                    name: store.to_string(),
                    key_path: key_path.clone(),
                    auto_increment: *auto_increment,
                },
            );
            assert!(matches!(reply, IdbReply::StoreCreated(_)), "{reply:?}");
        }
        assert_eq!(self.commit(origin, o.upgrade), IdbReply::Done);
        let IdbReply::Opened(info) = o.next() else {
            panic!("not opened");
        };
        (o.connection, info)
    }

    fn put(&self, t: TransactionId, store: i64, key: Option<KeyBytes>, value: &[u8]) -> IdbReply {
        self.put_at(A, t, store, key, value)
    }

    fn put_at(
        &self,
        origin: &str,
        t: TransactionId,
        store: i64,
        key: Option<KeyBytes>,
        value: &[u8],
    ) -> IdbReply {
        self.run(
            origin,
            t,
            Operation::Put {
                store,
                key,
                value: StoredValue {
                    bytes: value.to_vec(),
                    blobs: vec![],
                },
                index_keys: vec![],
                no_overwrite: false,
            },
        )
    }
}

struct Opening {
    connection: ConnectionId,
    upgrade: TransactionId,
    replies: Receiver<IdbReply>,
    events: Receiver<ConnectionEvent>,
}

impl Opening {
    fn next(&self) -> IdbReply {
        self.replies.recv_timeout(WAIT).expect("an answer")
    }

    fn nothing_yet(&self) {
        assert!(
            self.replies.recv_timeout(NOT_YET).is_err(),
            "answered too early"
        );
    }
}

fn num(n: f64) -> KeyBytes {
    Key::Number(n).encode()
}

fn string(s: &str) -> KeyBytes {
    Key::String(s.encode_utf16().collect()).encode()
}

fn store_id(info: &DatabaseInfo, name: &str) -> i64 {
    info.stores.iter().find(|s| s.name == name).unwrap().id
}

fn failed(reply: IdbReply) -> IdbErrorName {
    match reply {
        IdbReply::Failed(e) => e.name,
        other => panic!("not a failure: {other:?}"),
    }
}

#[test]
fn open_upgrade_put_get_commit_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let o = s.open(A, "db", None);
    let IdbReply::Upgrade { old_version, info } = o.next() else {
        panic!()
    };
    assert_eq!((old_version, info.version, info.stores.len()), (0, 1, 0));
    assert_eq!(s.ask(A, IdbRequest::Databases), IdbReply::Databases(vec![]));
    let IdbReply::StoreCreated(store) = s.run(
        A,
        o.upgrade,
        Operation::CreateObjectStore {
            name: "books".into(),
            key_path: Some(KeyPath::String("isbn".into())),
            auto_increment: false,
        },
    ) else {
        panic!()
    };
    assert_eq!(
        s.put(o.upgrade, store, Some(num(1.0)), b"one"),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(
        s.run(
            A,
            o.upgrade,
            Operation::Get {
                source: Source::Store(store),
                range: KeyRange::only(num(1.0))
            }
        ),
        IdbReply::Record(Some(Record {
            key: num(1.0),
            value: StoredValue {
                bytes: b"one".to_vec(),
                blobs: vec![]
            }
        }))
    );
    // Done to the commit, then Opened.
    assert_eq!(s.commit(A, o.upgrade), IdbReply::Done);
    let IdbReply::Opened(info) = o.next() else {
        panic!()
    };
    assert_eq!(info.version, 1);
    assert_eq!(
        info.stores,
        vec![StoreInfo {
            id: store,
            name: "books".into(),
            key_path: Some(KeyPath::String("isbn".into())),
            auto_increment: false,
            indexes: vec![],
        }]
    );
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(vec![("db".into(), 1)])
    );
    let t = s.begin(A, o.connection, Mode::ReadWrite, &[store]);
    assert_eq!(
        s.put(t, store, Some(num(2.0)), b"two"),
        IdbReply::Key(num(2.0))
    );
    assert_eq!(s.commit(A, t), IdbReply::Done);
    // Uncommitted work leaves nothing.
    let t = s.begin(A, o.connection, Mode::ReadWrite, &[store]);
    assert_eq!(
        s.put(t, store, Some(num(3.0)), b"three"),
        IdbReply::Key(num(3.0))
    );
    s.stop();

    let s = start(dir.path(), 1 << 20);
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(vec![("db".into(), 1)])
    );
    let o = s.open(A, "db", None);
    let IdbReply::Opened(reopened) = o.next() else {
        panic!()
    };
    assert_eq!(reopened, info);
    let t = s.begin(A, o.connection, Mode::ReadOnly, &[store]);
    let IdbReply::Records(records) = s.run(
        A,
        t,
        Operation::GetAll {
            source: Source::Store(store),
            range: KeyRange::all(),
            count: None,
        },
    ) else {
        panic!()
    };
    let keys: Vec<_> = records.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, vec![num(1.0), num(2.0)]);
    assert_eq!(records[1].value.bytes, b"two");
    assert_eq!(s.commit(A, t), IdbReply::Done);
    // A lower version is refused.
    let o2 = s.open(A, "db", Some(0));
    assert_eq!(failed(o2.next()), IdbErrorName::VersionError);
    s.stop();
}

#[test]
fn an_aborted_upgrade_leaves_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let o = s.open(A, "gone", Some(3));
    assert!(matches!(o.next(), IdbReply::Upgrade { old_version: 0, .. }));
    let reply = s.run(
        A,
        o.upgrade,
        Operation::CreateObjectStore {
            name: "s".into(),
            key_path: None,
            auto_increment: true,
        },
    );
    assert!(matches!(reply, IdbReply::StoreCreated(_)));
    assert_eq!(
        s.ask(
            A,
            IdbRequest::Abort {
                transaction: o.upgrade
            }
        ),
        IdbReply::Done
    );
    assert_eq!(failed(o.next()), IdbErrorName::AbortError);
    assert_eq!(s.ask(A, IdbRequest::Databases), IdbReply::Databases(vec![]));
    assert!(
        !database_dir(dir.path(), A, "gone").exists(),
        "no folder is left"
    );
    // Operations after the abort fail with an AbortError.
    assert_eq!(
        failed(s.run(
            A,
            o.upgrade,
            Operation::Count {
                source: Source::Store(1),
                range: KeyRange::all()
            }
        )),
        IdbErrorName::AbortError
    );

    // Closing the connection during the upgrade lets the upgrade finish; the open then
    // fails with an AbortError ("open a database connection", step 10.7), and what the
    // upgrade committed stays (as WPT's close-in-upgrade-needed.any.js expects).
    let o = s.open(A, "closed", Some(2));
    assert!(matches!(o.next(), IdbReply::Upgrade { old_version: 0, .. }));
    s.close(A, o.connection);
    o.nothing_yet();
    assert_eq!(s.commit(A, o.upgrade), IdbReply::Done);
    assert_eq!(failed(o.next()), IdbErrorName::AbortError);
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(vec![("closed".into(), 2)])
    );

    // An upgrade of an existing database that aborts keeps its version and stores.
    let (c, info) = s.create(A, "kept", 1, &[("one", None, false)]);
    s.close(A, c);
    let o = s.open(A, "kept", Some(2));
    let IdbReply::Upgrade {
        old_version: 1,
        info: upgrading,
    } = o.next()
    else {
        panic!()
    };
    assert_eq!(upgrading.version, 2);
    assert_eq!(
        s.run(
            A,
            o.upgrade,
            Operation::DeleteObjectStore {
                store: store_id(&info, "one")
            }
        ),
        IdbReply::Done
    );
    s.ask(
        A,
        IdbRequest::Abort {
            transaction: o.upgrade,
        },
    );
    assert_eq!(failed(o.next()), IdbErrorName::AbortError);
    let o = s.open(A, "kept", None);
    assert_eq!(o.next(), IdbReply::Opened(info));
    s.stop();
}

#[test]
fn versionchange_then_blocked_then_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let first = s.open(A, "db", Some(1));
    assert!(matches!(first.next(), IdbReply::Upgrade { .. }));
    s.commit(A, first.upgrade);
    assert!(matches!(first.next(), IdbReply::Opened(_)));

    let second = s.open(A, "db", Some(2));
    assert_eq!(
        first.events.recv_timeout(WAIT).unwrap(),
        ConnectionEvent::VersionChange {
            old_version: 1,
            new_version: Some(2)
        }
    );
    // Nothing until the event was dispatched.
    second.nothing_yet();
    s.ask(
        A,
        IdbRequest::VersionChangeFired {
            connection: first.connection,
        },
    );
    assert_eq!(
        second.next(),
        IdbReply::Blocked {
            old_version: 1,
            new_version: Some(2)
        }
    );
    second.nothing_yet();
    // A transaction of the closing connection delays the upgrade until it finishes.
    let t = s.begin(A, first.connection, Mode::ReadOnly, &[]);
    s.close(A, first.connection);
    second.nothing_yet();
    assert_eq!(s.commit(A, t), IdbReply::Done);
    assert!(matches!(
        second.next(),
        IdbReply::Upgrade { old_version: 1, .. }
    ));
    // A third open waits in the queue for the second.
    let third = s.open(A, "db", Some(3));
    third.nothing_yet();
    assert_eq!(s.commit(A, second.upgrade), IdbReply::Done);
    assert!(matches!(
        second.next(),
        IdbReply::Opened(DatabaseInfo { version: 2, .. })
    ));
    assert_eq!(
        second.events.recv_timeout(WAIT).unwrap(),
        ConnectionEvent::VersionChange {
            old_version: 2,
            new_version: Some(3)
        }
    );
    // Closing in the versionchange handler: no blocked.
    s.close(A, second.connection);
    assert!(matches!(
        third.next(),
        IdbReply::Upgrade { old_version: 2, .. }
    ));
    s.commit(A, third.upgrade);
    assert!(matches!(third.next(), IdbReply::Opened(_)));

    // A connection whose global is gone counts as closed.
    let (gone, _) = {
        let o = s.open_with(A, "other", Some(1), false);
        assert!(matches!(o.next(), IdbReply::Upgrade { .. }));
        s.commit(A, o.upgrade);
        let IdbReply::Opened(info) = o.next() else {
            panic!()
        };
        (o.connection, info)
    };
    let _ = gone;
    let o = s.open(A, "other", Some(2));
    assert!(matches!(o.next(), IdbReply::Upgrade { old_version: 1, .. }));
    s.commit(A, o.upgrade);
    assert!(matches!(o.next(), IdbReply::Opened(_)));
    s.stop();
}

#[test]
fn delete_database_waits_for_connections() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    assert_eq!(
        s.ask(
            A,
            IdbRequest::DeleteDatabase {
                name: "none".into()
            }
        ),
        IdbReply::Deleted { old_version: 0 }
    );
    let o = s.open(A, "db", Some(4));
    assert!(matches!(o.next(), IdbReply::Upgrade { .. }));
    let IdbReply::StoreCreated(store) = s.run(
        A,
        o.upgrade,
        Operation::CreateObjectStore {
            name: "s".into(),
            key_path: None,
            auto_increment: false,
        },
    ) else {
        panic!()
    };
    s.put(o.upgrade, store, Some(num(1.0)), b"12345");
    s.commit(A, o.upgrade);
    assert!(matches!(o.next(), IdbReply::Opened(_)));
    assert_eq!(s.store.usage(A), 5);

    let deleting = s.send(A, IdbRequest::DeleteDatabase { name: "db".into() });
    assert_eq!(
        o.events.recv_timeout(WAIT).unwrap(),
        ConnectionEvent::VersionChange {
            old_version: 4,
            new_version: None
        }
    );
    s.ask(
        A,
        IdbRequest::VersionChangeFired {
            connection: o.connection,
        },
    );
    assert_eq!(
        deleting.recv_timeout(WAIT).unwrap(),
        IdbReply::Blocked {
            old_version: 4,
            new_version: None
        }
    );
    assert!(deleting.recv_timeout(NOT_YET).is_err());
    s.close(A, o.connection);
    assert_eq!(
        deleting.recv_timeout(WAIT).unwrap(),
        IdbReply::Deleted { old_version: 4 }
    );
    assert_eq!(s.ask(A, IdbRequest::Databases), IdbReply::Databases(vec![]));
    assert_eq!(s.store.usage(A), 0);
    let folder = database_dir(dir.path(), A, "db");
    assert!(
        !folder.exists(),
        "its folder went (file, -wal, -shm, blobs)"
    );
    assert!(!folder.parent().unwrap().exists(), "and its origin's");
    let o = s.open(A, "db", None);
    assert!(matches!(o.next(), IdbReply::Upgrade { old_version: 0, .. }));
    s.stop();
}

#[test]
fn overlapping_writers_run_in_order_and_readers_beside_other_writers() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c, info) = s.create(A, "db", 1, &[("x", None, false), ("y", None, false)]);
    let (x, y) = (store_id(&info, "x"), store_id(&info, "y"));
    let w1 = s.begin(A, c, Mode::ReadWrite, &[x]);
    let w2 = s.begin(A, c, Mode::ReadWrite, &[x, y]);
    let r_y = s.begin(A, c, Mode::ReadOnly, &[y]);
    let r_x = s.begin(A, c, Mode::ReadOnly, &[x]);
    // w2 waits for w1 (overlap); the readers wait for w2 (created before them, overlaps).
    let w2_put = s.send(
        A,
        IdbRequest::Run {
            transaction: w2,
            operation: Operation::Put {
                store: x,
                key: Some(num(1.0)),
                value: StoredValue {
                    bytes: b"w2".to_vec(),
                    blobs: vec![],
                },
                index_keys: vec![],
                no_overwrite: false,
            },
        },
    );
    let r_x_get = s.send(
        A,
        IdbRequest::Run {
            transaction: r_x,
            operation: Operation::Get {
                source: Source::Store(x),
                range: KeyRange::only(num(1.0)),
            },
        },
    );
    assert!(w2_put.recv_timeout(NOT_YET).is_err());
    assert_eq!(s.put(w1, x, Some(num(1.0)), b"w1"), IdbReply::Key(num(1.0)));
    assert!(w2_put.recv_timeout(NOT_YET).is_err());
    assert_eq!(s.commit(A, w1), IdbReply::Done);
    assert_eq!(w2_put.recv_timeout(WAIT).unwrap(), IdbReply::Key(num(1.0)));
    assert!(r_x_get.recv_timeout(NOT_YET).is_err());
    assert_eq!(s.commit(A, w2), IdbReply::Done);
    let IdbReply::Record(Some(record)) = r_x_get.recv_timeout(WAIT).unwrap() else {
        panic!()
    };
    assert_eq!(record.value.bytes, b"w2");
    s.commit(A, r_x);
    s.commit(A, r_y);

    // A reader runs while a writer of another store has its transaction open.
    let w = s.begin(A, c, Mode::ReadWrite, &[x]);
    assert_eq!(s.put(w, x, Some(num(2.0)), b"2"), IdbReply::Key(num(2.0)));
    let r = s.begin(A, c, Mode::ReadOnly, &[y]);
    assert_eq!(
        s.run(
            A,
            r,
            Operation::Count {
                source: Source::Store(y),
                range: KeyRange::all()
            }
        ),
        IdbReply::Count(0)
    );
    // Two readers of the same store run together.
    let r2 = s.begin(A, c, Mode::ReadOnly, &[y]);
    assert_eq!(
        s.run(
            A,
            r2,
            Operation::Count {
                source: Source::Store(y),
                range: KeyRange::all()
            }
        ),
        IdbReply::Count(0)
    );
    s.commit(A, r);
    s.commit(A, r2);
    // A writer of another database does not wait: its upgrade runs while w is open.
    let (c2, info2) = {
        let o = s.open(A, "db2", Some(1));
        assert!(matches!(o.next(), IdbReply::Upgrade { .. }));
        let reply = s.run(
            A,
            o.upgrade,
            Operation::CreateObjectStore {
                name: "z".into(),
                key_path: None,
                auto_increment: false,
            },
        );
        assert!(matches!(reply, IdbReply::StoreCreated(_)));
        assert_eq!(s.commit(A, o.upgrade), IdbReply::Done);
        let IdbReply::Opened(info) = o.next() else {
            panic!()
        };
        (o.connection, info)
    };
    assert_eq!(s.commit(A, w), IdbReply::Done);
    // Two writers of one database with scopes that do not overlap: the second waits for
    // the first's SQLite transaction.
    let z = store_id(&info2, "z");
    let w = s.begin(A, c, Mode::ReadWrite, &[y]);
    assert_eq!(s.put(w, y, Some(num(1.0)), b"y"), IdbReply::Key(num(1.0)));
    let w_x = s.begin(A, c, Mode::ReadWrite, &[x]);
    let waiting = s.send(
        A,
        IdbRequest::Run {
            transaction: w_x,
            operation: Operation::Count {
                source: Source::Store(x),
                range: KeyRange::all(),
            },
        },
    );
    assert!(waiting.recv_timeout(NOT_YET).is_err());
    // Meanwhile a writer of the other database runs.
    let w_other = s.begin(A, c2, Mode::ReadWrite, &[z]);
    assert_eq!(
        s.put(w_other, z, Some(num(1.0)), b"z"),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(s.commit(A, w_other), IdbReply::Done);
    assert_eq!(
        s.ask(A, IdbRequest::Abort { transaction: w }),
        IdbReply::Done
    );
    assert_eq!(waiting.recv_timeout(WAIT).unwrap(), IdbReply::Count(2));
    assert_eq!(s.commit(A, w_x), IdbReply::Done);
    s.stop();
}

#[test]
fn key_generator() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c, info) = s.create(A, "db", 1, &[("s", None, true), ("plain", None, false)]);
    let (st, plain) = (store_id(&info, "s"), store_id(&info, "plain"));
    let t = s.begin(A, c, Mode::ReadWrite, &[st, plain]);
    assert_eq!(s.put(t, st, None, b"a"), IdbReply::Key(num(1.0)));
    assert_eq!(s.put(t, st, None, b"b"), IdbReply::Key(num(2.0)));
    assert_eq!(
        s.put(t, st, Some(num(10.5)), b"c"),
        IdbReply::Key(num(10.5))
    );
    assert_eq!(s.put(t, st, None, b"d"), IdbReply::Key(num(11.0)));
    assert_eq!(s.put(t, st, Some(num(5.0)), b"e"), IdbReply::Key(num(5.0)));
    assert_eq!(
        s.put(t, st, Some(string("x")), b"f"),
        IdbReply::Key(string("x"))
    );
    assert_eq!(
        s.put(t, st, Some(num(-7.0)), b"g"),
        IdbReply::Key(num(-7.0))
    );
    assert_eq!(s.put(t, st, None, b"h"), IdbReply::Key(num(12.0)));
    assert_eq!(failed(s.put(t, plain, None, b"i")), IdbErrorName::DataError);
    assert_eq!(s.commit(A, t), IdbReply::Done);
    // An aborted transaction's generated keys are given again.
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    assert_eq!(s.put(t, st, None, b"j"), IdbReply::Key(num(13.0)));
    s.ask(A, IdbRequest::Abort { transaction: t });
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    assert_eq!(s.put(t, st, None, b"k"), IdbReply::Key(num(13.0)));
    // Past 2^53 the generator is spent.
    let max = 9_007_199_254_740_992.0;
    assert_eq!(
        s.put(t, st, Some(num(max - 1.0)), b"l"),
        IdbReply::Key(num(max - 1.0))
    );
    assert_eq!(s.put(t, st, None, b"m"), IdbReply::Key(num(max)));
    assert_eq!(
        failed(s.put(t, st, None, b"n")),
        IdbErrorName::ConstraintError
    );
    assert_eq!(
        s.put(t, st, Some(num(1e300)), b"o"),
        IdbReply::Key(num(1e300))
    );
    assert_eq!(
        failed(s.put(t, st, None, b"p")),
        IdbErrorName::ConstraintError
    );
    assert_eq!(s.commit(A, t), IdbReply::Done);
    s.stop();
}

#[test]
fn unique_indexes_refuse_a_key_twice() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let o = s.open(A, "db", Some(1));
    assert!(matches!(o.next(), IdbReply::Upgrade { .. }));
    let IdbReply::StoreCreated(st) = s.run(
        A,
        o.upgrade,
        Operation::CreateObjectStore {
            name: "people".into(),
            key_path: None,
            auto_increment: false,
        },
    ) else {
        panic!()
    };
    for (pk, email) in [(1.0, "a@x"), (2.0, "b@x"), (3.0, "a@x")] {
        s.put(o.upgrade, st, Some(num(pk)), email.as_bytes());
    }
    let entries = |pks: &[(f64, &str)]| -> Vec<(KeyBytes, Vec<KeyBytes>)> {
        pks.iter()
            .map(|(pk, e)| (num(*pk), vec![string(e)]))
            .collect()
    };
    let all = entries(&[(1.0, "a@x"), (2.0, "b@x"), (3.0, "a@x")]);
    let create = |name: &str, unique: bool| Operation::CreateIndex {
        store: st,
        name: name.into(),
        key_path: KeyPath::String("email".into()),
        unique,
        multi_entry: false,
        entries: all.clone(),
    };
    assert_eq!(
        failed(s.run(A, o.upgrade, create("email", true))),
        IdbErrorName::ConstraintError
    );
    // Nothing was created: the name is free, and a non-unique index takes the entries.
    let IdbReply::IndexCreated(_) = s.run(A, o.upgrade, create("email", false)) else {
        panic!()
    };
    // Remove the duplicate; now a unique index works.
    s.run(
        A,
        o.upgrade,
        Operation::Delete {
            store: st,
            range: KeyRange::only(num(3.0)),
        },
    );
    let mut unique = create("unique_email", true);
    if let Operation::CreateIndex { entries: e, .. } = &mut unique {
        *e = entries(&[(1.0, "a@x"), (2.0, "b@x")]);
    }
    let IdbReply::IndexCreated(idx) = s.run(A, o.upgrade, unique) else {
        panic!()
    };
    let put = |key: f64, email: &str, no_overwrite: bool| Operation::Put {
        store: st,
        key: Some(num(key)),
        value: StoredValue {
            bytes: email.as_bytes().to_vec(),
            blobs: vec![],
        },
        index_keys: vec![(idx, vec![string(email)])],
        no_overwrite,
    };
    assert_eq!(
        failed(s.run(A, o.upgrade, put(4.0, "a@x", false))),
        IdbErrorName::ConstraintError
    );
    // Nothing was stored.
    let count = |source| {
        s.run(
            A,
            o.upgrade,
            Operation::Count {
                source,
                range: KeyRange::all(),
            },
        )
    };
    assert_eq!(count(Source::Store(st)), IdbReply::Count(2));
    assert_eq!(count(Source::Index(idx)), IdbReply::Count(2));
    // Overwriting a record with its own index key is fine; no_overwrite refuses it.
    assert_eq!(
        s.run(A, o.upgrade, put(1.0, "a@x", false)),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(
        failed(s.run(A, o.upgrade, put(1.0, "c@x", true))),
        IdbErrorName::ConstraintError
    );
    assert_eq!(
        s.run(A, o.upgrade, put(1.0, "c@x", false)),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(
        s.run(A, o.upgrade, put(5.0, "a@x", false)),
        IdbReply::Key(num(5.0)),
        "the overwritten record's index key is free again"
    );
    // Index reads: get, getKey, getAll in index order.
    assert_eq!(
        s.run(
            A,
            o.upgrade,
            Operation::GetKey {
                source: Source::Index(idx),
                range: KeyRange::only(string("c@x"))
            }
        ),
        IdbReply::Keys(vec![num(1.0)])
    );
    let IdbReply::Records(records) = s.run(
        A,
        o.upgrade,
        Operation::GetAll {
            source: Source::Index(idx),
            range: KeyRange::all(),
            count: Some(2),
        },
    ) else {
        panic!()
    };
    let keys: Vec<_> = records.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, vec![num(5.0), num(2.0)], "a@x, b@x");
    assert_eq!(
        s.run(A, o.upgrade, Operation::Clear { store: st }),
        IdbReply::Done
    );
    assert_eq!(count(Source::Index(idx)), IdbReply::Count(0));
    s.commit(A, o.upgrade);
    assert!(matches!(o.next(), IdbReply::Opened(_)));
    s.stop();
}

/// Each step of a cursor: (key, primary key).
fn walk(
    s: &Service,
    t: TransactionId,
    source: Source,
    range: KeyRange,
    direction: Direction,
) -> Vec<(KeyBytes, KeyBytes)> {
    let mut out = Vec::new();
    let (mut position, mut osp) = (None, None);
    loop {
        let reply = s.run(
            A,
            t,
            Operation::Iterate {
                source,
                range: range.clone(),
                direction,
                position: position.clone(),
                object_store_position: osp.clone(),
                key: None,
                primary_key: None,
                count: 1,
                with_value: false,
            },
        );
        let IdbReply::Cursor(Some(c)) = reply else {
            assert_eq!(reply, IdbReply::Cursor(None));
            return out;
        };
        position = Some(c.key.clone());
        osp = Some(c.primary_key.clone());
        out.push((c.key, c.primary_key));
    }
}

#[test]
fn cursors_in_every_direction() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let o = s.open(A, "db", Some(1));
    assert!(matches!(o.next(), IdbReply::Upgrade { .. }));
    let IdbReply::StoreCreated(st) = s.run(
        A,
        o.upgrade,
        Operation::CreateObjectStore {
            name: "s".into(),
            key_path: None,
            auto_increment: false,
        },
    ) else {
        panic!()
    };
    let IdbReply::IndexCreated(idx) = s.run(
        A,
        o.upgrade,
        Operation::CreateIndex {
            store: st,
            name: "i".into(),
            key_path: KeyPath::String("k".into()),
            unique: false,
            multi_entry: false,
            entries: vec![],
        },
    ) else {
        panic!()
    };
    // Index key of each record: a: 1, 2; b: 3; c: 4, 5.
    for (pk, k) in [(5.0, "c"), (1.0, "a"), (3.0, "b"), (2.0, "a"), (4.0, "c")] {
        let reply = s.run(
            A,
            o.upgrade,
            Operation::Put {
                store: st,
                key: Some(num(pk)),
                value: StoredValue {
                    bytes: vec![pk as u8],
                    blobs: vec![],
                },
                index_keys: vec![(idx, vec![string(k)])],
                no_overwrite: true,
            },
        );
        assert_eq!(reply, IdbReply::Key(num(pk)));
    }
    s.commit(A, o.upgrade);
    assert!(matches!(o.next(), IdbReply::Opened(_)));
    let t = s.begin(A, o.connection, Mode::ReadOnly, &[st]);
    let e = |k: &str, pk: f64| (string(k), num(pk));
    let index = Source::Index(idx);
    let all = KeyRange::all;
    assert_eq!(
        walk(&s, t, index, all(), Direction::Next),
        vec![
            e("a", 1.0),
            e("a", 2.0),
            e("b", 3.0),
            e("c", 4.0),
            e("c", 5.0)
        ]
    );
    assert_eq!(
        walk(&s, t, index, all(), Direction::NextUnique),
        vec![e("a", 1.0), e("b", 3.0), e("c", 4.0)]
    );
    assert_eq!(
        walk(&s, t, index, all(), Direction::Prev),
        vec![
            e("c", 5.0),
            e("c", 4.0),
            e("b", 3.0),
            e("a", 2.0),
            e("a", 1.0)
        ]
    );
    // prevunique: each key's record with the lowest primary key.
    assert_eq!(
        walk(&s, t, index, all(), Direction::PrevUnique),
        vec![e("c", 4.0), e("b", 3.0), e("a", 1.0)]
    );
    let b_to_c = KeyRange {
        lower: Some(string("b")),
        upper: Some(string("c")),
        lower_open: true,
        upper_open: false,
    };
    assert_eq!(
        walk(&s, t, index, b_to_c, Direction::Prev),
        vec![e("c", 5.0), e("c", 4.0)]
    );
    let store = Source::Store(st);
    let n = |k: f64| (num(k), num(k));
    assert_eq!(
        walk(&s, t, store, all(), Direction::PrevUnique),
        vec![n(5.0), n(4.0), n(3.0), n(2.0), n(1.0)]
    );
    let two_to_four = KeyRange {
        lower: Some(num(2.0)),
        upper: Some(num(4.0)),
        lower_open: false,
        upper_open: true,
    };
    assert_eq!(
        walk(&s, t, store, two_to_four, Direction::Next),
        vec![n(2.0), n(3.0)]
    );

    let step = |source,
                direction,
                position: Option<(KeyBytes, KeyBytes)>,
                key: Option<KeyBytes>,
                primary_key: Option<KeyBytes>,
                count: u32| {
        let (position, osp) = match position {
            Some((p, o)) => (Some(p), Some(o)),
            None => (None, None),
        };
        match s.run(
            A,
            t,
            Operation::Iterate {
                source,
                range: KeyRange::all(),
                direction,
                position,
                object_store_position: osp,
                key,
                primary_key,
                count,
                with_value: true,
            },
        ) {
            IdbReply::Cursor(c) => c,
            other => panic!("{other:?}"),
        }
    };
    // continuePrimaryKey(a, 2) from (a, 1); (b, 0) from there; (c, 4.5) gives (c, 5).
    let c = step(
        index,
        Direction::Next,
        Some(e("a", 1.0)),
        Some(string("a")),
        Some(num(2.0)),
        1,
    )
    .unwrap();
    assert_eq!((c.key.clone(), c.primary_key.clone()), e("a", 2.0));
    assert_eq!(c.value.unwrap().bytes, vec![2]);
    let c = step(
        index,
        Direction::Next,
        Some(e("a", 2.0)),
        Some(string("b")),
        Some(num(0.0)),
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("b", 3.0));
    let c = step(
        index,
        Direction::Next,
        Some(e("b", 3.0)),
        Some(string("c")),
        Some(num(4.5)),
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("c", 5.0));
    // Backwards: continuePrimaryKey(c, 4) from (c, 5); (a, 9) gives (a, 2).
    let c = step(
        index,
        Direction::Prev,
        Some(e("c", 5.0)),
        Some(string("c")),
        Some(num(4.0)),
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("c", 4.0));
    let c = step(
        index,
        Direction::Prev,
        Some(e("c", 4.0)),
        Some(string("a")),
        Some(num(9.0)),
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("a", 2.0));
    // continue(key): the first record at or after it.
    let c = step(
        index,
        Direction::Next,
        Some(e("a", 1.0)),
        Some(string("bb")),
        None,
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("c", 4.0));
    let c = step(
        index,
        Direction::PrevUnique,
        Some(e("c", 4.0)),
        Some(string("b")),
        None,
        1,
    )
    .unwrap();
    assert_eq!((c.key, c.primary_key), e("b", 3.0));
    // advance(3) from the start.
    let c = step(index, Direction::Next, None, None, None, 3).unwrap();
    assert_eq!((c.key, c.primary_key), e("b", 3.0));
    assert_eq!(step(index, Direction::Next, None, None, None, 6), None);
    let c = step(store, Direction::Prev, None, None, None, 2).unwrap();
    assert_eq!(
        (c.key, c.primary_key, c.value.unwrap().bytes),
        (num(4.0), num(4.0), vec![4])
    );
    s.commit(A, t);
    s.stop();
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(database_dir(dir, A, "db").join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn blobs_are_files_and_orphans_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c, info) = s.create(A, "db", 1, &[("s", None, false)]);
    let st = store_id(&info, "s");
    let value = StoredValue {
        bytes: b"v".to_vec(),
        blobs: vec![b"first blob".to_vec(), b"second".to_vec()],
    };
    let put = |t, key: f64, value: &StoredValue| {
        s.run(
            A,
            t,
            Operation::Put {
                store: st,
                key: Some(num(key)),
                value: value.clone(),
                index_keys: vec![],
                no_overwrite: false,
            },
        )
    };
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    assert_eq!(put(t, 1.0, &value), IdbReply::Key(num(1.0)));
    assert_eq!(files(dir.path()).len(), 2);
    assert_eq!(s.commit(A, t), IdbReply::Done);
    assert_eq!(s.store.usage(A), 1 + 10 + 6);
    let kept = files(dir.path());
    for name in &kept {
        assert!(!name.contains('/') && !name.contains('.'));
    }
    // A rolled back transaction's files go.
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    assert_eq!(put(t, 2.0, &value), IdbReply::Key(num(2.0)));
    assert_eq!(files(dir.path()).len(), 4);
    s.ask(A, IdbRequest::Abort { transaction: t });
    assert_eq!(files(dir.path()), kept);
    assert_eq!(s.store.usage(A), 17);
    // Reading gives the blobs back.
    let t = s.begin(A, c, Mode::ReadOnly, &[st]);
    assert_eq!(
        s.run(
            A,
            t,
            Operation::Get {
                source: Source::Store(st),
                range: KeyRange::all()
            }
        ),
        IdbReply::Record(Some(Record {
            key: num(1.0),
            value: value.clone()
        }))
    );
    s.commit(A, t);
    // Overwriting: the old files go once committed.
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    let smaller = StoredValue {
        bytes: b"w".to_vec(),
        blobs: vec![b"x".to_vec()],
    };
    assert_eq!(put(t, 1.0, &smaller), IdbReply::Key(num(1.0)));
    assert_eq!(files(dir.path()).len(), 3);
    assert_eq!(s.commit(A, t), IdbReply::Done);
    let now = files(dir.path());
    assert_eq!(now.len(), 1);
    assert!(!kept.contains(&now[0]));
    assert_eq!(s.store.usage(A), 2);
    s.stop();

    // A crash's leftovers are removed at start; the record's file stays.
    std::fs::write(
        database_dir(dir.path(), A, "db").join("blobs/stray"),
        b"left over",
    )
    .unwrap();
    let s = start(dir.path(), 1 << 20);
    assert_eq!(files(dir.path()), now);
    assert_eq!(s.store.usage(A), 2, "counted at start");
    let o = s.open(A, "db", None);
    let IdbReply::Opened(_) = o.next() else {
        panic!()
    };
    let t = s.begin(A, o.connection, Mode::ReadWrite, &[st]);
    let IdbReply::Records(records) = s.run(A, t, Operation::AllRecords { store: st }) else {
        panic!()
    };
    assert_eq!(records[0].value, smaller);
    assert_eq!(
        s.run(
            A,
            t,
            Operation::Delete {
                store: st,
                range: KeyRange::all()
            }
        ),
        IdbReply::Done
    );
    assert_eq!(files(dir.path()).len(), 1, "removed after the commit");
    s.commit(A, t);
    assert!(files(dir.path()).is_empty());
    assert_eq!(s.store.usage(A), 0);
    s.stop();
}

#[test]
fn quota_is_shared_and_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 100);
    let (c, info) = s.create(A, "db", 1, &[("s", None, false)]);
    let st = store_id(&info, "s");
    let t = s.begin(A, c, Mode::ReadWrite, &[st]);
    assert_eq!(
        s.put(t, st, Some(num(1.0)), &[0; 60]),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(
        failed(s.put(t, st, Some(num(2.0)), &[0; 60])),
        IdbErrorName::QuotaExceededError
    );
    assert_eq!(
        s.run(
            A,
            t,
            Operation::Count {
                source: Source::Store(st),
                range: KeyRange::all()
            }
        ),
        IdbReply::Count(1)
    );
    assert_eq!(s.commit(A, t), IdbReply::Done);
    assert_eq!(s.store.usage(A), 60);
    assert!(!s.store.fits(A, 41));
    // Another origin has its own.
    let (c_b, info_b) = s.create(B, "db", 1, &[("s", None, false)]);
    let st_b = store_id(&info_b, "s");
    let t = s.begin(B, c_b, Mode::ReadWrite, &[st_b]);
    let reply = s.run(
        B,
        t,
        Operation::Put {
            store: st_b,
            key: Some(num(1.0)),
            value: StoredValue {
                bytes: vec![0; 90],
                blobs: vec![],
            },
            index_keys: vec![],
            no_overwrite: false,
        },
    );
    assert_eq!(reply, IdbReply::Key(num(1.0)));
    s.ask(B, IdbRequest::Abort { transaction: t });
    assert_eq!(s.store.usage(B), 0, "released by the rollback");
    s.stop();
    let s = start(dir.path(), 100);
    assert_eq!(s.store.usage(A), 60);
    s.stop();
}

#[test]
fn origins_never_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c, info) = s.create(A, "db", 1, &[("s", None, false)]);
    let st = store_id(&info, "s");
    assert_eq!(s.ask(B, IdbRequest::Databases), IdbReply::Databases(vec![]));
    let o = s.open(B, "db", None);
    assert!(matches!(o.next(), IdbReply::Upgrade { old_version: 0, .. }));
    s.commit(B, o.upgrade);
    let IdbReply::Opened(info_b) = o.next() else {
        panic!()
    };
    assert!(info_b.stores.is_empty());
    // B's transaction cannot reach A's store; A's connection is unknown to B.
    let t = s.begin(B, o.connection, Mode::ReadWrite, &[st]);
    assert_eq!(
        failed(s.run(
            B,
            t,
            Operation::Count {
                source: Source::Store(st),
                range: KeyRange::all()
            }
        )),
        IdbErrorName::NotFoundError
    );
    s.commit(B, t);
    assert_eq!(
        failed(s.ask(
            B,
            IdbRequest::Begin {
                connection: c,
                transaction: TransactionId(s.idb.next_id()),
                mode: Mode::ReadOnly,
                scope: vec![st]
            }
        )),
        IdbErrorName::InvalidStateError
    );
    let t = s.begin(A, c, Mode::ReadOnly, &[st]);
    assert_eq!(
        failed(s.run(
            B,
            t,
            Operation::Count {
                source: Source::Store(st),
                range: KeyRange::all()
            }
        )),
        IdbErrorName::InvalidStateError
    );
    // A read-only transaction does not write.
    assert_eq!(
        failed(s.put(t, st, Some(num(1.0)), b"x")),
        IdbErrorName::InvalidStateError
    );
    s.commit(A, t);
    s.stop();
}

#[test]
fn queued_requests_run_when_their_transaction_starts_and_shutdown_answers_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c, info) = s.create(A, "db", 1, &[("s", None, false)]);
    let st = store_id(&info, "s");
    let w1 = s.begin(A, c, Mode::ReadWrite, &[st]);
    let w2 = s.begin(A, c, Mode::ReadWrite, &[st]);
    let put = s.send(
        A,
        IdbRequest::Run {
            transaction: w2,
            operation: Operation::Put {
                store: st,
                key: Some(num(1.0)),
                value: StoredValue::default(),
                index_keys: vec![],
                no_overwrite: true,
            },
        },
    );
    let commit = s.send(A, IdbRequest::Commit { transaction: w2 });
    assert!(commit.recv_timeout(NOT_YET).is_err());
    assert_eq!(
        s.put(w1, st, Some(num(1.0)), b"first"),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(s.commit(A, w1), IdbReply::Done);
    assert_eq!(
        failed(put.recv_timeout(WAIT).unwrap()),
        IdbErrorName::ConstraintError
    );
    assert_eq!(commit.recv_timeout(WAIT).unwrap(), IdbReply::Done);
    assert_eq!(
        failed(s.commit(A, w2)),
        IdbErrorName::InvalidStateError,
        "finished"
    );

    // Waiting requests are answered when the service stops.
    let w = s.begin(A, c, Mode::ReadWrite, &[st]);
    let waiting = s.begin(A, c, Mode::ReadOnly, &[st]);
    let read = s.send(
        A,
        IdbRequest::Run {
            transaction: waiting,
            operation: Operation::Count {
                source: Source::Store(st),
                range: KeyRange::all(),
            },
        },
    );
    let upgrade = s.open(A, "db", Some(2));
    upgrade.nothing_yet();
    let _ = w;
    s.stop();
    assert_eq!(
        failed(read.recv_timeout(WAIT).unwrap()),
        IdbErrorName::AbortError
    );
    let mut last = upgrade.next();
    while matches!(last, IdbReply::Blocked { .. }) {
        last = upgrade.next();
    }
    assert_eq!(failed(last), IdbErrorName::AbortError);
}

/// What a read-only transaction of `connection` reads from `store`: (key, value bytes).
fn read_all(
    s: &Service,
    origin: &str,
    connection: ConnectionId,
    store: i64,
) -> Vec<(KeyBytes, Vec<u8>)> {
    let t = s.begin(origin, connection, Mode::ReadOnly, &[store]);
    let IdbReply::Records(records) = s.run(
        origin,
        t,
        Operation::GetAll {
            source: Source::Store(store),
            range: KeyRange::all(),
            count: None,
        },
    ) else {
        panic!()
    };
    assert_eq!(s.commit(origin, t), IdbReply::Done);
    records
        .into_iter()
        .map(|r| (r.key, r.value.bytes))
        .collect()
}

#[test]
fn writers_of_different_databases_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c_a, info_a) = s.create(A, "a", 1, &[("s", None, false)]);
    let (c_b, info_b) = s.create(A, "b", 1, &[("s", None, false)]);
    let (st_a, st_b) = (store_id(&info_a, "s"), store_id(&info_b, "s"));
    // A read/write transaction on "a" is kept open (as a page does by placing requests
    // from its success handlers).
    let t_a = s.begin(A, c_a, Mode::ReadWrite, &[st_a]);
    assert_eq!(
        s.put(t_a, st_a, Some(num(1.0)), b"a1"),
        IdbReply::Key(num(1.0))
    );
    // One on "b", begun after it, puts and commits meanwhile.
    let t_b = s.begin(A, c_b, Mode::ReadWrite, &[st_b]);
    let put = s.send(
        A,
        IdbRequest::Run {
            transaction: t_b,
            operation: Operation::Put {
                store: st_b,
                key: Some(num(1.0)),
                value: StoredValue {
                    bytes: b"b1".to_vec(),
                    blobs: vec![],
                },
                index_keys: vec![],
                no_overwrite: false,
            },
        },
    );
    assert_eq!(put.recv_timeout(WAIT).unwrap(), IdbReply::Key(num(1.0)));
    assert_eq!(s.commit(A, t_b), IdbReply::Done);
    // "a"'s transaction is still open and goes on.
    assert_eq!(
        s.put(t_a, st_a, Some(num(2.0)), b"a2"),
        IdbReply::Key(num(2.0))
    );
    assert_eq!(
        read_all(&s, A, c_b, st_b),
        vec![(num(1.0), b"b1".to_vec())],
        "b's commit is visible"
    );
    // An upgrade of a third database runs meanwhile too.
    let (c_c, _) = s.create(A, "c", 1, &[("s", None, false)]);
    assert_eq!(s.commit(A, t_a), IdbReply::Done);
    assert_eq!(
        read_all(&s, A, c_a, st_a),
        vec![(num(1.0), b"a1".to_vec()), (num(2.0), b"a2".to_vec())]
    );
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(vec![("a".into(), 1), ("b".into(), 1), ("c".into(), 1)])
    );
    s.close(A, c_c);
    s.stop();
}

#[test]
fn origins_do_not_block_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), 1 << 20);
    let (c_a, info_a) = s.create(A, "db", 1, &[("s", None, false)]);
    let st_a = store_id(&info_a, "s");
    // A's long read/write transaction.
    let t_a = s.begin(A, c_a, Mode::ReadWrite, &[st_a]);
    assert_eq!(
        s.put(t_a, st_a, Some(num(1.0)), b"a"),
        IdbReply::Key(num(1.0))
    );
    // B creates its database of the same name, and writes and commits, meanwhile.
    let (c_b, info_b) = s.create(B, "db", 1, &[("s", None, false)]);
    let st_b = store_id(&info_b, "s");
    let t_b = s.begin(B, c_b, Mode::ReadWrite, &[st_b]);
    assert_eq!(
        s.put_at(B, t_b, st_b, Some(num(1.0)), b"b"),
        IdbReply::Key(num(1.0))
    );
    assert_eq!(s.commit(B, t_b), IdbReply::Done);
    assert_eq!(read_all(&s, B, c_b, st_b), vec![(num(1.0), b"b".to_vec())]);
    // B deletes a database of its own meanwhile too.
    s.close(B, c_b);
    assert_eq!(
        s.ask(B, IdbRequest::DeleteDatabase { name: "db".into() }),
        IdbReply::Deleted { old_version: 1 }
    );
    assert_eq!(s.ask(B, IdbRequest::Databases), IdbReply::Databases(vec![]));
    // A's transaction was not disturbed.
    assert_eq!(
        s.put(t_a, st_a, Some(num(2.0)), b"a"),
        IdbReply::Key(num(2.0))
    );
    assert_eq!(s.commit(A, t_a), IdbReply::Done);
    assert_eq!(read_all(&s, A, c_a, st_a).len(), 2);
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(vec![("db".into(), 1)])
    );
    s.stop();
}

#[test]
fn every_database_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let long = "é".repeat(300);
    // Names that are no file names: each is a folder of its own all the same.
    let names = ["a", "b", "", "..", "/", long.as_str()];
    let s = start(dir.path(), 1 << 20);
    let mut stores = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let (c, info) = s.create(A, name, 1 + i as u64, &[("s", None, false)]);
        let st = store_id(&info, "s");
        let t = s.begin(A, c, Mode::ReadWrite, &[st]);
        let value = StoredValue {
            bytes: name.as_bytes().to_vec(),
            blobs: vec![format!("blob of {name}").into_bytes()],
        };
        let reply = s.run(
            A,
            t,
            Operation::Put {
                store: st,
                key: Some(num(i as f64)),
                value,
                index_keys: vec![],
                no_overwrite: false,
            },
        );
        assert_eq!(reply, IdbReply::Key(num(i as f64)));
        assert_eq!(s.commit(A, t), IdbReply::Done);
        assert!(database_dir(dir.path(), A, name)
            .join("database.sqlite")
            .is_file());
        stores.push(st);
    }
    let (c_b, info_b) = s.create(B, "a", 1, &[("s", None, false)]);
    let st_b = store_id(&info_b, "s");
    let t = s.begin(B, c_b, Mode::ReadWrite, &[st_b]);
    assert_eq!(
        s.put_at(B, t, st_b, Some(num(9.0)), b"b's"),
        IdbReply::Key(num(9.0))
    );
    assert_eq!(s.commit(B, t), IdbReply::Done);
    let usage_a = s.store.usage(A);
    s.stop();

    // A crash's leftovers: a database folder whose SQLite file was never made, and a
    // folder that was being removed.
    let half = database_dir(dir.path(), A, "half");
    std::fs::create_dir_all(half.join("blobs")).unwrap();
    let trash = database_dir(dir.path(), A, "a").with_file_name("t-gone");
    std::fs::create_dir_all(&trash).unwrap();

    let s = start(dir.path(), 1 << 20);
    assert!(!half.exists() && !trash.exists());
    assert_eq!(s.store.usage(A), usage_a, "counted at start");
    assert_eq!(s.store.usage(B), 3);
    let mut expected: Vec<(String, u64)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), 1 + i as u64))
        .collect();
    expected.sort();
    assert_eq!(
        s.ask(A, IdbRequest::Databases),
        IdbReply::Databases(expected)
    );
    assert_eq!(
        s.ask(B, IdbRequest::Databases),
        IdbReply::Databases(vec![("a".into(), 1)])
    );
    for (i, name) in names.iter().enumerate() {
        let o = s.open(A, name, None);
        let IdbReply::Opened(info) = o.next() else {
            panic!("{name:?} did not open")
        };
        assert_eq!(info.version, 1 + i as u64);
        let t = s.begin(A, o.connection, Mode::ReadOnly, &[stores[i]]);
        let IdbReply::Records(records) = s.run(A, t, Operation::AllRecords { store: stores[i] })
        else {
            panic!()
        };
        assert_eq!(
            records,
            vec![Record {
                key: num(i as f64),
                value: StoredValue {
                    bytes: name.as_bytes().to_vec(),
                    blobs: vec![format!("blob of {name}").into_bytes()],
                },
            }]
        );
        assert_eq!(s.commit(A, t), IdbReply::Done);
        s.close(A, o.connection);
    }
    let o = s.open(B, "a", None);
    assert!(matches!(o.next(), IdbReply::Opened(_)));
    assert_eq!(
        read_all(&s, B, o.connection, st_b),
        vec![(num(9.0), b"b's".to_vec())]
    );
    s.stop();
}
