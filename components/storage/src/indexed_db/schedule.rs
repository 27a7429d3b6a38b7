//! Transactions: <https://w3c.github.io/IndexedDB/#transaction-scheduling>, their
//! operations in the order they were placed, commit and abort.
//!
//! The spec's rules decide when a transaction may start: a read-only transaction when no
//! read/write transaction created before it, with an overlapping scope, is unfinished; a
//! read/write one when no transaction created before it, with an overlapping scope, is; a
//! version change transaction is alone on its database. The spec lets an implementation
//! add constraints, and this one adds one: each database has one SQLite connection, so only
//! one writing (read/write or version change) transaction of a database has a SQLite
//! transaction open (`BEGIN IMMEDIATE`) at a time; other writers of that database (with
//! scopes that do not overlap) wait for it to finish. Writers of different databases, of
//! one origin or of several, run at once. Read-only transactions run on their database's
//! connection (without a SQLite transaction of their own) even while a writer's is open:
//! the rules above never let a reader run beside a writer of the same database with an
//! overlapping scope, so what the writer has not committed yet is never what a reader
//! reads.

use super::files::DbFile;
use super::records::{Context, Effects};
use super::schema;
use super::{sql_error, Backend, DbKey, IdbResult};
use net_traits::indexed_db::{
    ConnectionId, IdbError, IdbErrorName, IdbReply, IdbReplySink, Mode, Operation, TransactionId,
};
use std::collections::VecDeque;

/// <https://w3c.github.io/IndexedDB/#transaction-concept>, unfinished.
pub(super) struct Transaction {
    /// Creation order (the order the service heard of it).
    pub seq: u64,
    pub connection: ConnectionId,
    pub origin: String,
    /// The database's name.
    pub name: String,
    /// The database's row (`None` for an upgrade creating it, until it starts).
    pub db: Option<i64>,
    pub mode: Mode,
    /// Object store ids (every store of the database for a version change).
    pub scope: Vec<i64>,
    /// For the upgrade transaction of an open: (old version, new version).
    pub upgrade: Option<(u64, u64)>,
    pub started: bool,
    /// Has the SQLite transaction open (on its database's connection).
    pub sqlite: bool,
    /// Requests waiting to run, in the order they came.
    queue: VecDeque<Queued>,
    effects: Effects,
}

enum Queued {
    Run(Operation, IdbReplySink),
    Commit(IdbReplySink),
}

fn invalid_state(message: &str) -> IdbError {
    IdbError::new(IdbErrorName::InvalidStateError, message)
}

fn scopes_overlap(a: &[i64], b: &[i64]) -> bool {
    a.iter().any(|s| b.contains(s))
}

fn not_open() -> IdbError {
    IdbError::new(
        IdbErrorName::UnknownError,
        "the transaction's database is not open",
    )
}

impl Transaction {
    /// Its database.
    fn key(&self) -> DbKey {
        (self.origin.clone(), self.name.clone())
    }

    /// Whether it is the upgrade transaction of a database that did not exist (its abort
    /// removes the database's folder).
    fn creates_database(&self) -> bool {
        matches!(self.upgrade, Some((0, _)))
    }
}

impl Backend {
    /// A transaction was created on `connection`; it starts when the rules allow.
    pub(super) fn begin(
        &mut self,
        origin: &str,
        connection: ConnectionId,
        transaction: TransactionId,
        mode: Mode,
        scope: Vec<i64>,
    ) -> IdbResult<()> {
        let c = self
            .connections
            .get(&connection)
            .filter(|c| c.origin == origin)
            .ok_or_else(|| invalid_state("no such connection"))?;
        if c.close_pending {
            return Err(invalid_state("the connection is closing"));
        }
        if mode == Mode::VersionChange {
            return Err(invalid_state(
                "a version change transaction is only created by an open",
            ));
        }
        let db =
            c.db.ok_or_else(|| invalid_state("the database is being created"))?;
        if self.transactions.contains_key(&transaction) || self.aborted.contains(&transaction) {
            return Err(invalid_state("the transaction id is in use"));
        }
        let (origin, name) = (c.origin.clone(), c.name.clone());
        self.add_transaction(
            transaction,
            Transaction {
                seq: 0,
                connection,
                origin,
                name,
                db: Some(db),
                mode,
                scope,
                upgrade: None,
                started: false,
                sqlite: false,
                queue: VecDeque::new(),
                effects: Effects::default(),
            },
        );
        Ok(())
    }

    fn add_transaction(&mut self, id: TransactionId, mut transaction: Transaction) {
        transaction.seq = self.next_seq;
        self.next_seq += 1;
        self.transactions.insert(id, transaction);
    }

    /// <https://w3c.github.io/IndexedDB/#upgrade-a-database>, steps 1-3: the upgrade
    /// transaction (version change, every store in scope), created on `connection`.
    pub(super) fn create_upgrade(
        &mut self,
        connection: ConnectionId,
        upgrade: TransactionId,
        key: &(String, String),
        db: Option<i64>,
        old: u64,
        new: u64,
    ) -> IdbResult<()> {
        if self.transactions.contains_key(&upgrade) || self.aborted.contains(&upgrade) {
            return Err(invalid_state("the transaction id is in use"));
        }
        self.add_transaction(
            upgrade,
            Transaction {
                seq: 0,
                connection,
                origin: key.0.clone(),
                name: key.1.clone(),
                db,
                mode: Mode::VersionChange,
                scope: Vec::new(),
                upgrade: Some((old, new)),
                started: false,
                sqlite: false,
                queue: VecDeque::new(),
                effects: Effects::default(),
            },
        );
        Ok(())
    }

    /// The transaction `id` of `origin`, or the answer for one that is not there.
    fn transaction_of(&self, origin: &str, id: TransactionId) -> Result<(), IdbError> {
        match self.transactions.get(&id) {
            Some(t) if t.origin == origin => Ok(()),
            _ if self.aborted.contains(&id) => Err(IdbError::new(
                IdbErrorName::AbortError,
                "the transaction was aborted",
            )),
            _ => Err(invalid_state("no such transaction (it may have finished)")),
        }
    }

    /// An operation joins its transaction's queue; it runs once the transaction started
    /// and what came before it ran.
    pub(super) fn run(
        &mut self,
        origin: &str,
        id: TransactionId,
        operation: Operation,
        mut reply: IdbReplySink,
    ) {
        if let Err(e) = self.transaction_of(origin, id) {
            return reply(IdbReply::Failed(e));
        }
        if let Some(t) = self.transactions.get_mut(&id) {
            t.queue.push_back(Queued::Run(operation, reply));
        }
        self.drain(id);
    }

    /// <https://w3c.github.io/IndexedDB/#commit-a-transaction>, after the operations sent
    /// before it.
    pub(super) fn commit_request(
        &mut self,
        origin: &str,
        id: TransactionId,
        mut reply: IdbReplySink,
    ) {
        if let Err(e) = self.transaction_of(origin, id) {
            return reply(IdbReply::Failed(e));
        }
        if let Some(t) = self.transactions.get_mut(&id) {
            t.queue.push_back(Queued::Commit(reply));
        }
        self.drain(id);
    }

    /// <https://w3c.github.io/IndexedDB/#abort-a-transaction>, at once.
    pub(super) fn abort_request(
        &mut self,
        origin: &str,
        id: TransactionId,
        mut reply: IdbReplySink,
    ) {
        if self.transaction_of(origin, id).is_err() {
            // Already finished: nothing to roll back.
            return reply(IdbReply::Done);
        }
        self.abort(id, Some(reply));
    }

    /// Starts each waiting transaction the rules allow, in creation order.
    pub(super) fn start_transactions(&mut self) -> bool {
        let mut waiting: Vec<(u64, TransactionId)> = self
            .transactions
            .iter()
            .filter(|(_, t)| !t.started)
            .map(|(id, t)| (t.seq, *id))
            .collect();
        waiting.sort_by_key(|(seq, _)| *seq);
        let mut progress = false;
        for (_, id) in waiting {
            if self.can_start(id) {
                self.start(id);
                progress = true;
            }
        }
        progress
    }

    /// <https://w3c.github.io/IndexedDB/#transaction-scheduling>, plus one writer with a
    /// SQLite transaction per database.
    fn can_start(&self, id: TransactionId) -> bool {
        let Some(t) = self.transactions.get(&id).filter(|t| !t.started) else {
            return false;
        };
        let same_database = |u: &Transaction| u.origin == t.origin && u.name == t.name;
        if t.mode != Mode::ReadOnly
            && self
                .transactions
                .values()
                .any(|u| u.sqlite && same_database(u))
        {
            return false;
        }
        !self.transactions.values().any(|u| {
            u.seq < t.seq
                && u.origin == t.origin
                && u.name == t.name
                && (t.mode == Mode::VersionChange
                    || u.mode == Mode::VersionChange
                    || (scopes_overlap(&t.scope, &u.scope)
                        && (t.mode == Mode::ReadWrite || u.mode == Mode::ReadWrite)))
        })
    }

    /// Starts transaction `id`: its database's connection is opened if it is not (an
    /// upgrade creating the database makes its folder and file); a writer opens the SQLite
    /// transaction; an upgrade creates its database if needed and answers its open
    /// `Upgrade`. Then its queue runs.
    fn start(&mut self, id: TransactionId) {
        let Some(t) = self.transactions.get(&id) else {
            return;
        };
        let key = t.key();
        let creates = t.creates_database();
        let opened = match self.open_database(&key, creates) {
            Ok(true) => Ok(()),
            Ok(false) => Err(not_open()),
            Err(e) => Err(e),
        };
        if let Err(e) = opened {
            log::warn!(
                target: "bgfetch",
                "IndexedDB: cannot start a transaction: {}",
                e.message
            );
            return self.abort(id, None);
        }
        let (Some(t), Some(file)) = (self.transactions.get_mut(&id), self.open.get(&key)) else {
            return;
        };
        t.started = true;
        if t.mode != Mode::ReadOnly {
            if let Err(e) = file.conn.execute_batch("BEGIN IMMEDIATE") {
                log::warn!(target: "bgfetch", "IndexedDB: cannot start a transaction: {e}");
                return self.abort(id, None);
            }
            t.sqlite = true;
        }
        if let Some((old, new)) = t.upgrade {
            let connection = t.connection;
            // Upgrade a database, step 4 of "open a database connection": a new database
            // is created (version 0) inside the transaction, so an abort removes it (and
            // its folder).
            let db = match t.db {
                Some(db) => Ok(db),
                None => schema::create_database(&file.conn, &key.0, &key.1).map_err(sql_error),
            };
            let info = db.and_then(|db| {
                schema::database_info(&file.conn, db, &key.1, new).map(|info| (db, info))
            });
            let (db, info) = match info {
                Ok(found) => found,
                Err(e) => {
                    log::warn!(target: "bgfetch", "IndexedDB: cannot upgrade: {}", e.message);
                    return self.abort(id, None);
                }
            };
            t.db = Some(db);
            if let Some(c) = self.connections.get_mut(&connection) {
                c.db = Some(db);
            }
            // Upgrade a database, step 10 (the upgradeneeded event): the database's version
            // is written when the transaction commits.
            self.answer_open(
                &key,
                id,
                IdbReply::Upgrade {
                    old_version: old,
                    info,
                },
            );
        }
        self.drain(id);
    }

    /// Runs the started transaction's queue until it is empty or it committed.
    fn drain(&mut self, id: TransactionId) {
        loop {
            let Some(t) = self.transactions.get_mut(&id).filter(|t| t.started) else {
                return;
            };
            let Some(item) = t.queue.pop_front() else {
                return;
            };
            match item {
                Queued::Run(operation, mut reply) => {
                    let answer = self.run_operation(id, operation);
                    reply(answer);
                }
                Queued::Commit(reply) => return self.commit(id, reply),
            }
        }
    }

    fn run_operation(&mut self, id: TransactionId, operation: Operation) -> IdbReply {
        let Some(t) = self.transactions.get_mut(&id) else {
            return IdbReply::Failed(invalid_state("no such transaction"));
        };
        let Some(db) = t.db else {
            return IdbReply::Failed(invalid_state("the transaction has no database"));
        };
        let Some(file) = self.open.get(&t.key()) else {
            return IdbReply::Failed(not_open());
        };
        let mut context = Context {
            conn: &file.conn,
            files: &file.files,
            quota: &self.store,
            origin: &t.origin,
            db,
            mode: t.mode,
            scope: &t.scope,
            effects: &mut t.effects,
        };
        match context.run(operation) {
            Ok(reply) => reply,
            Err(e) => IdbReply::Failed(e),
        }
    }

    /// <https://w3c.github.io/IndexedDB/#commit-a-transaction>: `Done` once COMMIT returned
    /// (synchronous=FULL) and the files it wrote are durable; then the files and bytes of
    /// what it deleted go. An upgrade's open is answered `Opened` after that.
    fn commit(&mut self, id: TransactionId, mut reply: IdbReplySink) {
        let Some(mut t) = self.transactions.remove(&id) else {
            return reply(IdbReply::Failed(invalid_state("no such transaction")));
        };
        for item in t.queue.drain(..) {
            let mut reply = match item {
                Queued::Run(_, reply) | Queued::Commit(reply) => reply,
            };
            reply(IdbReply::Failed(invalid_state(
                "the transaction was committing",
            )));
        }
        let key = t.key();
        if t.sqlite {
            let committed = match self.open.get(&key) {
                Some(file) => commit_sqlite(file, &t),
                None => Err(not_open()),
            };
            if let Err(e) = committed {
                if let Some(file) = self.open.get(&key) {
                    let _ = file.conn.execute_batch("ROLLBACK");
                }
                self.undo(&t);
                self.aborted.insert(id);
                reply(IdbReply::Failed(e));
                if t.upgrade.is_some() {
                    self.upgrade_failed(&key, id, t.connection);
                }
                return self.remove_if_closed(t.connection);
            }
            if let Some(file) = self.open.get(&key) {
                file.files.remove(&t.effects.doomed);
            }
            self.store.release_quota(&t.origin, t.effects.freed);
        }
        reply(IdbReply::Done);
        if let (Some((_, new)), Some(db)) = (t.upgrade, t.db) {
            // Open a database connection, step 10.7: if connection was closed, return an
            // AbortError; step 11: return connection.
            let open = self
                .connections
                .get(&t.connection)
                .is_some_and(|c| !c.close_pending);
            let answer = match self.open.get(&key) {
                Some(file) if open => match schema::database_info(&file.conn, db, &key.1, new) {
                    Ok(info) => IdbReply::Opened(info),
                    Err(e) => IdbReply::Failed(e),
                },
                None if open => IdbReply::Failed(not_open()),
                _ => IdbReply::Failed(IdbError::new(
                    IdbErrorName::AbortError,
                    "the connection was closed",
                )),
            };
            let failed = matches!(answer, IdbReply::Failed(_));
            self.answer_open(&key, id, answer);
            if failed {
                if let Some(c) = self.connections.get_mut(&t.connection) {
                    c.close_pending = true;
                }
            }
        }
        t.effects = Effects::default();
        self.remove_if_closed(t.connection);
    }

    /// What a rolled back transaction did outside SQLite goes: its files and reserved
    /// bytes; the folder of the database an upgrade was creating goes too (with its
    /// connection closed).
    fn undo(&mut self, t: &Transaction) {
        let key = t.key();
        if let Some(file) = self.open.get(&key) {
            file.files.remove(&t.effects.created);
        }
        self.store.release_quota(&t.origin, t.effects.reserved);
        if t.creates_database() {
            if let Err(e) = self.remove_database(&key) {
                log::warn!(
                    target: "bgfetch",
                    "IndexedDB: cannot remove a database that was not created: {}",
                    e.message
                );
            }
        }
    }

    /// The open of an upgrade that did not commit fails with an AbortError and its
    /// connection closes (open a database connection, step 10.8).
    fn upgrade_failed(
        &mut self,
        key: &(String, String),
        id: TransactionId,
        connection: ConnectionId,
    ) {
        self.answer_open(
            key,
            id,
            IdbReply::Failed(IdbError::new(
                IdbErrorName::AbortError,
                "the upgrade transaction was aborted",
            )),
        );
        if let Some(c) = self.connections.get_mut(&connection) {
            c.close_pending = true;
        }
    }

    /// <https://w3c.github.io/IndexedDB/#abort-a-transaction>: its changes are rolled back,
    /// its waiting requests fail with an AbortError, then `reply` gets `Done`.
    pub(super) fn abort(&mut self, id: TransactionId, reply: Option<IdbReplySink>) {
        let Some(mut t) = self.transactions.remove(&id) else {
            if let Some(mut reply) = reply {
                reply(IdbReply::Done);
            }
            return;
        };
        // Step 1. All the changes made to the database by the transaction are reverted.
        if let (true, Some(file)) = (t.sqlite, self.open.get(&t.key())) {
            if let Err(e) = file.conn.execute_batch("ROLLBACK") {
                log::warn!(target: "bgfetch", "IndexedDB: rollback: {e}");
            }
        }
        self.undo(&t);
        self.aborted.insert(id);
        // Step 5. For each request of transaction's request list, set its error to an
        // AbortError.
        for item in t.queue.drain(..) {
            let mut reply = match item {
                Queued::Run(_, reply) | Queued::Commit(reply) => reply,
            };
            reply(IdbReply::Failed(IdbError::new(
                IdbErrorName::AbortError,
                "the transaction was aborted",
            )));
        }
        // Step 6. Fire abort at transaction.
        if let Some(mut reply) = reply {
            reply(IdbReply::Done);
        }
        // Step 7. If transaction is an upgrade transaction: the open fails with an
        // AbortError and the connection closes.
        if t.upgrade.is_some() {
            let key = (t.origin.clone(), t.name.clone());
            self.upgrade_failed(&key, id, t.connection);
        }
        self.remove_if_closed(t.connection);
    }
}

/// <https://w3c.github.io/IndexedDB/#commit-a-transaction> for a writer: the
/// files it wrote are durable, an upgrade's version is written, then COMMIT.
fn commit_sqlite(file: &DbFile, t: &Transaction) -> IdbResult<()> {
    if !t.effects.created.is_empty() {
        file.files.sync_dir().map_err(|e| {
            IdbError::new(
                IdbErrorName::UnknownError,
                format!("IndexedDB blob files: {e}"),
            )
        })?;
    }
    if let (Some((_, new)), Some(db)) = (t.upgrade, t.db) {
        schema::set_version(&file.conn, db, new).map_err(sql_error)?;
    }
    file.conn.execute_batch("COMMIT").map_err(sql_error)
}
