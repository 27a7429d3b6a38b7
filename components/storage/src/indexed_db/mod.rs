//! A profile's IndexedDB (<https://w3c.github.io/IndexedDB/>): the "in parallel" half of
//! the API, what script threads reach through [`IndexedDbService`]. One thread
//! ("indexeddb") runs every request of the profile in the order it arrived: the connection
//! queues and version changes (`connections.rs`), transaction scheduling (`schedule.rs`)
//! and the storage operations (`records.rs`).
//!
//! Each database is a folder of its own, `<profile>/indexeddb/<origin>/<name>/` (names
//! derived from the storage key and the database's name, see `files.rs`), holding its
//! SQLite file and the files of the Blobs and Files in its values (`blobs.rs`). The thread
//! has one SQLite connection per database, opened when the database is first used and
//! closed when nothing (connection, transaction, queued request) uses it any more, so
//! that writing transactions of different databases, and of different origins, run at
//! once: an origin never waits for another. Each record's bytes count in its origin's
//! quota, shared with background fetch and the Cache API through the profile's [`Store`].
//!
//! Everything is per storage key (origin): a request names its storage key, and
//! connections, transactions, databases, stores and indexes of another origin are unknown
//! to it.
//!
//! A commit is answered once SQLite's COMMIT returned (WAL, synchronous=FULL) and the files
//! it stored are synced: work that was not committed leaves nothing after a crash, and the
//! files it wrote are removed when the service starts again.
//!
//! Earlier builds kept every database in one file, `<profile>/indexeddb.sqlite`, and blob
//! files directly in `<profile>/indexeddb/`. That layout never shipped: this build neither
//! reads nor removes them.

mod blobs;
mod connections;
mod files;
mod records;
mod schedule;
mod schema;

use crate::{private, Store, StoreError};
use net_traits::indexed_db::{
    ConnectionEvent, ConnectionEventSink, ConnectionId, IdbError, IdbErrorName, IdbReply,
    IdbReplySink, IdbRequest, IndexedDbService, TransactionId,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

type IdbResult<T> = Result<T, IdbError>;

fn sql_error(e: rusqlite::Error) -> IdbError {
    IdbError::new(
        IdbErrorName::UnknownError,
        format!("IndexedDB database: {e}"),
    )
}

fn file_error(e: StoreError) -> IdbError {
    IdbError::new(
        IdbErrorName::UnknownError,
        format!("IndexedDB database file: {e}"),
    )
}

/// The folder of database `name` of `storage_key` in the profile: it holds the database's
/// SQLite file, `database.sqlite`, and the files of its Blobs, `blobs/`.
pub fn database_dir(profile: &Path, storage_key: &str, name: &str) -> PathBuf {
    files::database_dir(&profile.join("indexeddb"), storage_key, name)
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
    /// Starts the profile's IndexedDB service: each database in its folder under
    /// `<profile>/indexeddb/` (see [`database_dir`]). `store` is the profile's [`Store`],
    /// for the per-origin quota shared with background fetch and the Cache API. What a
    /// crash left (blob files no record names, databases whose creating upgrade did not
    /// commit, folders half removed) is removed, and each origin's IndexedDB usage is
    /// counted in the store's. Join the handle once every clone of the service is dropped.
    pub fn start(
        profile: &Path,
        store: Arc<Store>,
    ) -> Result<(IndexedDb, std::thread::JoinHandle<()>), StoreError> {
        let mut backend = Backend::open(profile, store)?;
        let (jobs, inbox) = crossbeam_channel::unbounded::<Job>();
        let thread = std::thread::Builder::new()
            .name("indexeddb".into())
            // Keys nest up to 2000 arrays deep (encoding, the placeholder's replacement and
            // dropping them recurse): the stack script threads have.
            .stack_size(16 << 20)
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

/// A database: (storage key, name).
type DbKey = (String, String);

/// The service's state, on its thread.
struct Backend {
    /// `<profile>/indexeddb`: a folder per origin, in it a folder per database.
    root: PathBuf,
    /// The databases whose SQLite connection is open (see [`Backend::close_idle`]).
    open: HashMap<DbKey, files::DbFile>,
    store: Arc<Store>,
    /// Open connections (closed ones are removed once their transactions finished).
    connections: HashMap<ConnectionId, DbConnection>,
    /// <https://w3c.github.io/IndexedDB/#connection-queue> of each (origin, name).
    queues: HashMap<DbKey, VecDeque<connections::DbRequest>>,
    /// Unfinished transactions.
    transactions: HashMap<TransactionId, schedule::Transaction>,
    /// Transactions that were aborted (later requests for them get `AbortError`).
    aborted: HashSet<TransactionId>,
    /// Creation order of transactions.
    next_seq: u64,
}

impl Backend {
    fn open(profile: &Path, store: Arc<Store>) -> Result<Backend, StoreError> {
        private::create_dir_all(profile).map_err(io(profile))?;
        let root = profile.join("indexeddb");
        private::create_dir_all(&root).map_err(io(&root))?;
        private::make_private(&root).map_err(io(&root))?;
        let backend = Backend {
            root,
            open: HashMap::new(),
            store,
            connections: HashMap::new(),
            queues: HashMap::new(),
            transactions: HashMap::new(),
            aborted: HashSet::new(),
            next_seq: 0,
        };
        backend.tidy()?;
        Ok(backend)
    }

    /// Goes through every database folder: removes what a crash left (folders being
    /// removed, databases without a committed row, blob files no record names) and adds
    /// each origin's records to the store's usage. Entries this build does not name (an
    /// earlier build's files) are left alone.
    fn tidy(&self) -> Result<(), StoreError> {
        let mut orphans = 0;
        for origin_entry in std::fs::read_dir(&self.root).map_err(io(&self.root))? {
            let origin_entry = origin_entry.map_err(io(&self.root))?;
            let origin_dir = origin_entry.path();
            let name = origin_entry.file_name().to_string_lossy().into_owned();
            if !origin_entry.file_type().map_err(io(&origin_dir))?.is_dir()
                || !files::is_folder_name(&name)
            {
                continue;
            }
            for entry in std::fs::read_dir(&origin_dir).map_err(io(&origin_dir))? {
                let entry = entry.map_err(io(&origin_dir))?;
                let dir = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if !entry.file_type().map_err(io(&dir))?.is_dir() {
                    continue;
                }
                if files::is_trash_name(&name) {
                    if let Err(e) = std::fs::remove_dir_all(&dir) {
                        log::warn!(
                            target: "bgfetch",
                            "IndexedDB: cannot remove {}: {e}",
                            dir.display()
                        );
                    }
                    continue;
                }
                if files::is_folder_name(&name) {
                    // One database that cannot be read does not keep the others from
                    // starting: its requests fail when they open it.
                    match self.tidy_database(&dir) {
                        Ok(removed) => orphans += removed,
                        Err(e) => log::warn!(target: "bgfetch", "IndexedDB: {e}"),
                    }
                }
            }
            // An origin's folder goes with its last database.
            let _ = std::fs::remove_dir(&origin_dir);
        }
        if orphans > 0 {
            log::info!(
                target: "bgfetch",
                "IndexedDB: removed {orphans} blob files no record holds"
            );
        }
        Ok(())
    }

    /// [`Backend::tidy`] for the database folder `dir`: the number of blob files removed.
    fn tidy_database(&self, dir: &Path) -> Result<usize, StoreError> {
        let Some(file) = files::DbFile::open(dir, false)? else {
            // Created, but no SQLite file was made.
            files::remove_database_dir(dir).map_err(io(dir))?;
            return Ok(0);
        };
        let (origin, name) = match schema::stored_database(&file.conn)? {
            Some((db, origin, name)) if db.version > 0 => (origin, name),
            _ => {
                // The upgrade transaction that created it did not commit.
                drop(file);
                files::remove_database_dir(dir).map_err(io(dir))?;
                return Ok(0);
            }
        };
        if files::database_dir(&self.root, &origin, &name) != dir {
            log::warn!(
                target: "bgfetch",
                "IndexedDB: {} holds a database of another folder; it is not used",
                dir.display()
            );
            return Ok(0);
        }
        let referenced: HashSet<String> = schema::blob_names(&file.conn)?.into_iter().collect();
        let removed = file
            .files
            .remove_orphans(&referenced)
            .map_err(io(file.files.dir()))?;
        self.store.count_usage(&origin, schema::usage(&file.conn)?);
        Ok(removed)
    }

    /// Opens the SQLite connection of database `key` if it is not open; `create`: its
    /// folder and file are made if missing. False when it has no file (and `create` is not
    /// set).
    fn open_database(&mut self, key: &DbKey, create: bool) -> IdbResult<bool> {
        if self.open.contains_key(key) {
            return Ok(true);
        }
        let dir = files::database_dir(&self.root, &key.0, &key.1);
        match files::DbFile::open(&dir, create).map_err(file_error)? {
            Some(file) => {
                self.open.insert(key.clone(), file);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Database `key` as its file holds it: `None` when it does not exist (no file, or a
    /// file whose creating upgrade has not committed yet).
    fn find_database(&mut self, key: &DbKey) -> IdbResult<Option<schema::Database>> {
        if !self.open_database(key, false)? {
            return Ok(None);
        }
        let Some(file) = self.open.get(key) else {
            return Ok(None);
        };
        match schema::stored_database(&file.conn).map_err(sql_error)? {
            Some((db, origin, name)) if (&origin, &name) == (&key.0, &key.1) => Ok(Some(db)),
            Some(_) => Err(IdbError::new(
                IdbErrorName::UnknownError,
                "the database's file holds another database",
            )),
            None => Ok(None),
        }
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-databases>: the name and version of
    /// each of `origin`'s databases, by name (one being created, still version 0, is not
    /// listed).
    fn databases(&mut self, origin: &str) -> IdbResult<Vec<(String, u64)>> {
        let origin_dir = files::origin_dir(&self.root, origin);
        let entries = match std::fs::read_dir(&origin_dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(file_error(io(&origin_dir)(e))),
        };
        let mut list = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| file_error(io(&origin_dir)(e)))?;
            let dir = entry.path();
            if !files::is_folder_name(&entry.file_name().to_string_lossy()) {
                continue;
            }
            // An open database is read through its connection (which sees what its
            // running transaction wrote: a new database's row is still version 0); another
            // through a connection of its own, closed at once.
            // One that cannot be read is left out (opening it fails).
            let found = match self.open.values().find(|f| f.dir == dir) {
                Some(file) => schema::stored_database(&file.conn).map_err(StoreError::from),
                None => files::DbFile::open(&dir, false).and_then(|file| match file {
                    Some(file) => Ok(schema::stored_database(&file.conn)?),
                    None => Ok(None),
                }),
            };
            let found = found.unwrap_or_else(|e| {
                log::warn!(target: "bgfetch", "IndexedDB: {e}");
                None
            });
            if let Some((db, o, name)) = found {
                if o == origin
                    && db.version > 0
                    && files::database_dir(&self.root, &o, &name) == dir
                {
                    list.push((name, db.version));
                }
            }
        }
        list.sort();
        Ok(list)
    }

    /// Closes the SQLite connections of the databases nothing uses: no connection, no
    /// transaction, no request in their connection queue.
    fn close_idle(&mut self) {
        if self.open.is_empty() {
            return;
        }
        let mut used: HashSet<(&str, &str)> = HashSet::new();
        used.extend(
            self.connections
                .values()
                .map(|c| (c.origin.as_str(), c.name.as_str())),
        );
        used.extend(
            self.transactions
                .values()
                .map(|t| (t.origin.as_str(), t.name.as_str())),
        );
        used.extend(self.queues.keys().map(|(o, n)| (o.as_str(), n.as_str())));
        let idle: Vec<DbKey> = self
            .open
            .keys()
            .filter(|(o, n)| !used.contains(&(o.as_str(), n.as_str())))
            .cloned()
            .collect();
        for key in idle {
            self.open.remove(&key);
        }
    }

    /// Removes database `key`'s folder, its SQLite connection closed first.
    fn remove_database(&mut self, key: &DbKey) -> IdbResult<()> {
        self.open.remove(key);
        let dir = files::database_dir(&self.root, &key.0, &key.1);
        files::remove_database_dir(&dir).map_err(|e| file_error(io(&dir)(e)))
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
            IdbRequest::Databases => reply(match self.databases(&origin) {
                Ok(list) => IdbReply::Databases(list),
                Err(e) => IdbReply::Failed(e),
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
        self.close_idle();
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
