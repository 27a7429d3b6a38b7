//! A profile's IndexedDB (<https://w3c.github.io/IndexedDB/>): the "in parallel" half of
//! the API, what script threads reach through [`IndexedDbService`]. One thread
//! ("indexeddb") owns one SQLite connection to `<profile>/indexeddb.sqlite` and runs every
//! request of the profile in the order it arrived: the connection queues and version
//! changes (`connections.rs`), transaction scheduling (`schedule.rs`) and the storage
//! operations (`records.rs`). Blobs and Files in values are files under
//! `<profile>/indexeddb/` (`blobs.rs`). Each record's bytes count in its origin's quota,
//! shared with background fetch and the Cache API through the profile's [`Store`].
//!
//! Everything is per storage key (origin): a request names its storage key, and
//! connections, transactions, databases, stores and indexes of another origin are unknown
//! to it.
//!
//! A commit is answered once SQLite's COMMIT returned (WAL, synchronous=FULL) and the files
//! it stored are synced: work that was not committed leaves nothing after a crash, and the
//! files it wrote are removed when the service starts again.

mod blobs;
mod connections;
mod records;
mod schedule;
mod schema;

use crate::{private, Store, StoreError};
use net_traits::indexed_db::{
    ConnectionEvent, ConnectionEventSink, ConnectionId, IdbError, IdbErrorName, IdbReply,
    IdbReplySink, IdbRequest, IndexedDbService, TransactionId,
};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

type IdbResult<T> = Result<T, IdbError>;

fn sql_error(e: rusqlite::Error) -> IdbError {
    IdbError::new(
        IdbErrorName::UnknownError,
        format!("IndexedDB database: {e}"),
    )
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A request as the service's thread receives it.
struct Job {
    storage_key: String,
    request: IdbRequest,
    reply: IdbReplySink,
    /// For an open: where the new connection's events go.
    events: Option<ConnectionEventSink>,
}

struct Shared {
    jobs: crossbeam_channel::Sender<Job>,
    ids: AtomicU64,
}

/// See the module documentation. Cheap to clone; the thread ends once every clone is gone.
#[derive(Clone)]
pub struct IndexedDb {
    shared: Arc<Shared>,
}

impl IndexedDb {
    /// Starts the profile's IndexedDB service: database `<profile>/indexeddb.sqlite`, blob
    /// files under `<profile>/indexeddb/`. `store` is the profile's [`Store`], for the
    /// per-origin quota shared with background fetch and the Cache API. Blob files no record
    /// names (a crash's leftovers) are removed, and each origin's IndexedDB usage is counted
    /// in the store's. Join the handle once every clone of the service is dropped.
    pub fn start(
        profile: &Path,
        store: Arc<Store>,
    ) -> Result<(IndexedDb, std::thread::JoinHandle<()>), StoreError> {
        let mut backend = Backend::open(profile, store)?;
        let (jobs, inbox) = crossbeam_channel::unbounded::<Job>();
        let thread = std::thread::Builder::new()
            .name("indexeddb".into())
            .spawn(move || {
                for job in inbox {
                    backend.handle(job);
                }
                backend.shut_down();
            })
            .map_err(io(profile))?;
        let shared = Arc::new(Shared {
            jobs,
            ids: AtomicU64::new(1),
        });
        Ok((IndexedDb { shared }, thread))
    }

    fn enqueue(&self, job: Job) {
        if let Err(mut lost) = self.shared.jobs.send(job) {
            (lost.0.reply)(IdbReply::Failed(IdbError::new(
                IdbErrorName::UnknownError,
                "IndexedDB has shut down",
            )));
        }
    }
}

impl IndexedDbService for IndexedDb {
    fn next_id(&self) -> u64 {
        self.shared.ids.fetch_add(1, Ordering::Relaxed)
    }

    fn send(&self, storage_key: &str, request: IdbRequest, reply: IdbReplySink) {
        self.enqueue(Job {
            storage_key: storage_key.to_string(),
            request,
            reply,
            events: None,
        });
    }

    fn open(
        &self,
        storage_key: &str,
        request: IdbRequest,
        events: ConnectionEventSink,
        reply: IdbReplySink,
    ) {
        self.enqueue(Job {
            storage_key: storage_key.to_string(),
            request,
            reply,
            events: Some(events),
        });
    }
}

/// <https://w3c.github.io/IndexedDB/#connection>, as the service keeps it.
struct DbConnection {
    origin: String,
    name: String,
    /// The database's row (`None` until the upgrade transaction that creates it started).
    db: Option<i64>,
    /// <https://w3c.github.io/IndexedDB/#connection-close-pending-flag>
    close_pending: bool,
    events: ConnectionEventSink,
}

/// The service's state, on its thread.
struct Backend {
    conn: Connection,
    files: blobs::Files,
    store: Arc<Store>,
    /// Open connections (closed ones are removed once their transactions finished).
    connections: HashMap<ConnectionId, DbConnection>,
    /// <https://w3c.github.io/IndexedDB/#connection-queue> of each (origin, name).
    queues: HashMap<(String, String), VecDeque<connections::DbRequest>>,
    /// Unfinished transactions.
    transactions: HashMap<TransactionId, schedule::Transaction>,
    /// Transactions that were aborted (later requests for them get `AbortError`).
    aborted: HashSet<TransactionId>,
    /// Creation order of transactions.
    next_seq: u64,
    /// The writing transaction that has the SQLite transaction open, if one has.
    writer: Option<TransactionId>,
}

impl Backend {
    fn open(profile: &Path, store: Arc<Store>) -> Result<Backend, StoreError> {
        private::create_dir_all(profile).map_err(io(profile))?;
        let db_path = profile.join("indexeddb.sqlite");
        let dir = profile.join("indexeddb");
        private::create_dir_all(&dir).map_err(io(&dir))?;
        // Created private; SQLite gives its journal the same mode.
        private::open_options()
            .create(true)
            .append(true)
            .open(&db_path)
            .map_err(io(&db_path))?;
        private::make_private(&dir).map_err(io(&dir))?;
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
            path: db_path.clone(),
            message: e.to_string(),
        };
        let conn = Connection::open(&db_path).map_err(corrupt)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&conn, &db_path)?;
        let backend = Backend {
            conn,
            files: blobs::Files::new(dir),
            store,
            connections: HashMap::new(),
            queues: HashMap::new(),
            transactions: HashMap::new(),
            aborted: HashSet::new(),
            next_seq: 0,
            writer: None,
        };
        backend.remove_orphans()?;
        backend.count_usage()?;
        Ok(backend)
    }

    /// Removes the blob files no record names.
    fn remove_orphans(&self) -> Result<(), StoreError> {
        let mut referenced = HashSet::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT blobs FROM idb_records WHERE blobs != '[]'")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for row in rows {
                let row = row?;
                let names: Vec<String> = serde_json::from_str(&row)
                    .map_err(|e| StoreError::BadRow(format!("IndexedDB blob list {row:?}: {e}")))?;
                referenced.extend(names);
            }
        }
        let removed = self
            .files
            .remove_orphans(&referenced)
            .map_err(io(self.files.dir()))?;
        if removed > 0 {
            log::info!(
                target: "bgfetch",
                "IndexedDB: removed {removed} blob files no record holds"
            );
        }
        Ok(())
    }

    /// Adds each origin's records to the store's usage.
    fn count_usage(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.origin, SUM(r.size) FROM idb_records r
             JOIN idb_stores s ON r.store = s.id
             JOIN idb_databases d ON s.db = d.id
             GROUP BY d.origin",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (origin, size) = row?;
            self.store.count_usage(&origin, size.max(0) as u64);
        }
        Ok(())
    }

    /// Runs one request, then whatever it let go on.
    fn handle(&mut self, job: Job) {
        let Job {
            storage_key: origin,
            request,
            mut reply,
            events,
        } = job;
        match request {
            IdbRequest::Open {
                name,
                version,
                connection,
                upgrade,
            } => {
                // Without a sink the connection's events go nowhere: it counts as gone.
                let events = events.unwrap_or_else(|| Arc::new(|_: ConnectionEvent| false));
                self.enqueue_open(origin, name, version, connection, upgrade, events, reply);
            }
            IdbRequest::DeleteDatabase { name } => self.enqueue_delete(origin, name, reply),
            IdbRequest::Databases => reply(match schema::databases(&self.conn, &origin) {
                Ok(list) => IdbReply::Databases(list),
                Err(e) => IdbReply::Failed(sql_error(e)),
            }),
            IdbRequest::VersionChangeFired { connection } => {
                reply(IdbReply::Done);
                if self.is_connection_of(connection, &origin) {
                    self.version_change_fired(connection);
                }
            }
            IdbRequest::Close { connection } => {
                reply(IdbReply::Done);
                if self.is_connection_of(connection, &origin) {
                    self.close(connection, false);
                }
            }
            IdbRequest::Begin {
                connection,
                transaction,
                mode,
                scope,
            } => reply(
                match self.begin(&origin, connection, transaction, mode, scope) {
                    Ok(()) => IdbReply::Done,
                    Err(e) => IdbReply::Failed(e),
                },
            ),
            IdbRequest::Run {
                transaction,
                operation,
            } => self.run(&origin, transaction, operation, reply),
            IdbRequest::Commit { transaction } => self.commit_request(&origin, transaction, reply),
            IdbRequest::Abort { transaction } => self.abort_request(&origin, transaction, reply),
        }
        self.pump();
    }

    fn is_connection_of(&self, connection: ConnectionId, origin: &str) -> bool {
        self.connections
            .get(&connection)
            .is_some_and(|c| c.origin == origin)
            || self.queued_open(connection).is_some_and(|o| o == origin)
    }

    /// Moves every connection queue and transaction as far as it can go.
    fn pump(&mut self) {
        loop {
            let mut progress = false;
            let keys: Vec<(String, String)> = self.queues.keys().cloned().collect();
            for key in keys {
                while self.advance_queue(&key) {
                    progress = true;
                }
            }
            self.queues.retain(|_, queue| !queue.is_empty());
            progress |= self.start_transactions();
            if !progress {
                break;
            }
        }
    }

    /// <https://w3c.github.io/IndexedDB/#fire-a-version-change-event> at a connection;
    /// false when its global is gone (the connection is then closed, forced).
    fn fire_version_change(
        &mut self,
        connection: ConnectionId,
        old: u64,
        new: Option<u64>,
    ) -> bool {
        let Some(events) = self.connections.get(&connection).map(|c| c.events.clone()) else {
            return false;
        };
        let delivered = events(ConnectionEvent::VersionChange {
            old_version: old,
            new_version: new,
        });
        if !delivered {
            self.close(connection, true);
        }
        delivered
    }
}
