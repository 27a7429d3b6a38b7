//! Fuzz target for the IndexedDB service's row decoding: a real database (a store with an
//! index and records) whose SQLite rows get random values (wrong types, extremes, mutated
//! JSON and keys), deletions and copies, or another schema version. Opening it again and
//! reading every record, through the store, the index and cursors, must answer (errors are
//! fine) and never panic the service thread. Bounded here; `BGFETCH_FUZZ_ITERS` runs
//! longer (docs/fuzzing.md).

#[path = "../../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{mutate, run, Rng};
use net_traits::indexed_db::*;
use rusqlite::types::Value;
use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::Duration;
use storage::indexed_db::{database_dir, IndexedDb};
use storage::{Store, StoreOptions};

const A: &str = "https://a.test";
/// Long enough for a loaded machine; a service thread that panicked never answers.
const WAIT: Duration = Duration::from_secs(20);

const COLUMNS: &[(&str, &[&str])] = &[
    ("idb_databases", &["id", "origin", "name", "version"]),
    (
        "idb_stores",
        &[
            "id",
            "db",
            "name",
            "key_path",
            "auto_increment",
            "current_number",
        ],
    ),
    (
        "idb_indexes",
        &[
            "id",
            "store",
            "name",
            "key_path",
            "is_unique",
            "multi_entry",
        ],
    ),
    ("idb_records", &["store", "key", "value", "blobs", "size"]),
    ("idb_index_records", &["idx", "key", "primary_key"]),
];

struct Service {
    idb: IndexedDb,
    thread: std::thread::JoinHandle<()>,
}

impl Service {
    /// None: the profile or the IndexedDB folder did not open (an error, fine).
    fn start(dir: &Path) -> Option<Service> {
        let store = Arc::new(Store::open(dir, StoreOptions::default()).ok()?);
        let (idb, thread) = IndexedDb::start(dir, store).ok()?;
        Some(Service { idb, thread })
    }

    /// The reply, or None when none came (the service thread died: checked at `stop`).
    fn ask(&self, request: IdbRequest) -> Option<IdbReply> {
        let (tx, rx) = channel();
        self.idb.send(
            A,
            request,
            Box::new(move |r| {
                let _ = tx.send(r);
            }),
        );
        rx.recv_timeout(WAIT).ok()
    }

    fn run(&self, transaction: TransactionId, operation: Operation) -> Option<IdbReply> {
        self.ask(IdbRequest::Run {
            transaction,
            operation,
        })
    }

    /// Opens `db`: the open's replies (an upgrade is answered by committing it).
    fn open(&self, version: Option<u64>) -> (ConnectionId, TransactionId, Vec<IdbReply>) {
        let connection = ConnectionId(self.idb.next_id());
        let upgrade = TransactionId(self.idb.next_id());
        let (tx, rx) = channel();
        self.idb.open(
            A,
            IdbRequest::Open {
                name: "db".into(),
                version,
                connection,
                upgrade,
            },
            Arc::new(|_| true),
            Box::new(move |r| {
                let _ = tx.send(r);
            }),
        );
        let mut replies = Vec::new();
        while let Ok(r) = rx.recv_timeout(WAIT) {
            let last = matches!(r, IdbReply::Opened(_) | IdbReply::Failed(_));
            let upgrading = matches!(r, IdbReply::Upgrade { .. });
            replies.push(r);
            if last || (upgrading && version.is_some()) {
                break;
            }
            if upgrading {
                self.ask(IdbRequest::Commit {
                    transaction: upgrade,
                });
            }
        }
        (connection, upgrade, replies)
    }

    /// Stops the service; false if its thread had panicked.
    fn stop(self) -> bool {
        drop(self.idb);
        self.thread.join().is_ok()
    }
}

fn num(n: f64) -> KeyBytes {
    Key::Number(n).encode()
}

fn make_template(dir: &Path) {
    let s = Service::start(dir).expect("a new profile opens");
    let (connection, upgrade, replies) = s.open(Some(1));
    assert!(matches!(replies.last(), Some(IdbReply::Upgrade { .. })));
    let Some(IdbReply::StoreCreated(store)) = s.run(
        upgrade,
        Operation::CreateObjectStore {
            name: "books".into(),
            key_path: None,
            auto_increment: true,
        },
    ) else {
        panic!("the store is created")
    };
    let Some(IdbReply::IndexCreated(index)) = s.run(
        upgrade,
        Operation::CreateIndex {
            store,
            name: "by_title".into(),
            key_path: KeyPath::String("title".into()),
            unique: false,
            multi_entry: true,
            entries: Vec::new(),
        },
    ) else {
        panic!("the index is created")
    };
    for (i, title) in ["a", "b", "c"].iter().enumerate() {
        let reply = s.run(
            upgrade,
            Operation::Put {
                store,
                key: Some(num(i as f64)),
                value: StoredValue {
                    bytes: vec![
                        1,
                        12,
                        1,
                        5,
                        b't',
                        b'i',
                        b't',
                        b'l',
                        b'e',
                        6,
                        1,
                        title.as_bytes()[0],
                    ],
                    blobs: if i == 0 {
                        vec![b"blob".to_vec()]
                    } else {
                        vec![]
                    },
                },
                index_keys: vec![(
                    index,
                    vec![Key::String(title.encode_utf16().collect()).encode()],
                )],
                no_overwrite: false,
            },
        );
        assert!(matches!(reply, Some(IdbReply::Key(_))), "{reply:?}");
    }
    assert_eq!(
        s.ask(IdbRequest::Commit {
            transaction: upgrade
        }),
        Some(IdbReply::Done)
    );
    s.ask(IdbRequest::Close { connection });
    assert!(s.stop());
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

#[derive(Debug)]
enum Corruption {
    Set {
        table: &'static str,
        column: &'static str,
        row: Option<u8>,
        value: Value,
    },
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
    UserVersion(i64),
}

fn value(rng: &mut Rng) -> Value {
    match rng.u8(0..8) {
        0 => Value::Null,
        1 => Value::Integer(
            [i64::MIN, i64::MAX, -1, 0, 1, 2, 1 << 53, (1 << 53) + 1][rng.usize(0..8)],
        ),
        2 => Value::Integer(rng.i64(..)),
        3 => Value::Real([f64::NAN, f64::INFINITY, -0.0, 1.5][rng.usize(0..4)]),
        4 => Value::Blob((0..rng.usize(0..12)).map(|_| rng.u8(..)).collect()),
        5 => Value::Blob(num([f64::NAN, -0.0, 1e308, 2.0][rng.usize(0..4)])),
        6 => Value::Text(
            [
                "",
                "null",
                "[]",
                "{}",
                "\"title\"",
                "{\"String\":\"title\"}",
                "{\"Sequence\":[]}",
                "[\"x\",\"y\"]",
                "[99]",
                "db",
            ][rng.usize(0..10)]
            .into(),
        ),
        _ => Value::Text(fuzz_support::number_text(rng)),
    }
}

fn corruption(rng: &mut Rng) -> Corruption {
    let (table, columns) = COLUMNS[rng.usize(0..COLUMNS.len())];
    let column = columns[rng.usize(0..columns.len())];
    match rng.u8(0..10) {
        0 => Corruption::Delete {
            table,
            row: rng.u8(0..4),
        },
        1 => Corruption::UserVersion([-1, 0, 2, i64::MAX][rng.usize(0..4)]),
        2..=4 => Corruption::Mutate {
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

fn apply(conn: &rusqlite::Connection, c: &Corruption) {
    // WITHOUT ROWID tables have no rowid: rows are picked by their place in a scan.
    let row = |table: &str, row: u8| {
        let key = match table {
            "idb_records" => "store, key",
            "idb_index_records" => "idx, key, primary_key",
            _ => "rowid",
        };
        format!("({key}) IN (SELECT {key} FROM {table} LIMIT 1 OFFSET {row})")
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
            let (bytes, blob) = match current {
                Some(Value::Text(t)) => (t.into_bytes(), false),
                Some(Value::Blob(b)) => (b, true),
                Some(Value::Integer(i)) => (i.to_string().into_bytes(), false),
                _ => (Vec::new(), false),
            };
            let mutated = mutate(
                &mut Rng::with_seed(*seed),
                &bytes,
                &["{", "}", "\"", ":", ",", "null", "-1", "[", "]"],
                &[],
            );
            let value = if blob {
                Value::Blob(mutated)
            } else {
                Value::Text(String::from_utf8_lossy(&mutated).into_owned())
            };
            conn.execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE {}", row(table, *r)),
                [value],
            )
        }
        Corruption::Delete { table, row: r } => {
            conn.execute(&format!("DELETE FROM {table} WHERE {}", row(table, *r)), [])
        }
        Corruption::UserVersion(v) => conn.pragma_update(None, "user_version", v).map(|_| 0),
    };
}

/// Opens the database and reads everything, through every kind of operation.
fn use_database(s: &Service) {
    s.ask(IdbRequest::Databases);
    let (connection, _, replies) = s.open(None);
    if std::env::var_os("BGFETCH_FUZZ_VERBOSE").is_some() {
        eprintln!("open: {:?}", replies.last());
    }
    let Some(IdbReply::Opened(info)) = replies.last() else {
        return;
    };
    let scope: Vec<i64> = info.stores.iter().map(|st| st.id).collect();
    let transaction = TransactionId(s.idb.next_id());
    s.ask(IdbRequest::Begin {
        connection,
        transaction,
        mode: Mode::ReadWrite,
        scope,
    });
    for st in &info.stores {
        let mut sources = vec![Source::Store(st.id)];
        sources.extend(st.indexes.iter().map(|i| Source::Index(i.id)));
        let all = s.run(transaction, Operation::AllRecords { store: st.id });
        if std::env::var_os("BGFETCH_FUZZ_VERBOSE").is_some() {
            eprintln!("all records: {all:?}");
        }
        for source in sources {
            let range = KeyRange::all();
            s.run(
                transaction,
                Operation::GetAll {
                    source,
                    range: range.clone(),
                    count: None,
                },
            );
            s.run(
                transaction,
                Operation::GetAllKeys {
                    source,
                    range: range.clone(),
                    count: Some(2),
                },
            );
            s.run(
                transaction,
                Operation::Count {
                    source,
                    range: range.clone(),
                },
            );
            s.run(
                transaction,
                Operation::Get {
                    source,
                    range: KeyRange::only(num(1.0)),
                },
            );
            for direction in [Direction::Next, Direction::PrevUnique] {
                s.run(
                    transaction,
                    Operation::Iterate {
                        source,
                        range: range.clone(),
                        direction,
                        position: None,
                        object_store_position: None,
                        key: None,
                        primary_key: None,
                        count: 1,
                        with_value: true,
                    },
                );
            }
        }
        // A write over whatever the key generator and the index hold now.
        s.run(
            transaction,
            Operation::Put {
                store: st.id,
                key: None,
                value: StoredValue {
                    bytes: vec![1, 1],
                    blobs: Vec::new(),
                },
                index_keys: st
                    .indexes
                    .iter()
                    .map(|i| (i.id, vec![num(f64::NAN)]))
                    .collect(),
                no_overwrite: true,
            },
        );
    }
    s.ask(IdbRequest::Commit { transaction });
    s.ask(IdbRequest::Close { connection });
}

#[test]
fn fuzz_corrupt_indexed_db_rows() {
    let template = tempfile::tempdir().unwrap();
    make_template(template.path());
    let db_file = database_dir(Path::new(""), A, "db").join("database.sqlite");
    assert!(template.path().join(&db_file).is_file(), "{db_file:?}");
    run(
        "storage: corrupt IndexedDB rows",
        60,
        |rng: &mut Rng| {
            (0..rng.usize(1..4))
                .map(|_| corruption(rng))
                .collect::<Vec<_>>()
        },
        |corruptions| {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(template.path(), dir.path());
            {
                let conn = rusqlite::Connection::open(dir.path().join(&db_file)).unwrap();
                for c in corruptions {
                    apply(&conn, c);
                }
            }
            if let Some(s) = Service::start(dir.path()) {
                use_database(&s);
                assert!(s.stop(), "the IndexedDB thread did not panic");
            }
        },
    );
}
