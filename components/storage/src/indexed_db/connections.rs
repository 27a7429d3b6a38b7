//! Connection queues (<https://w3c.github.io/IndexedDB/#connection-queue>): opening,
//! upgrading and deleting databases, version change events, and closing connections.
//!
//! Each open or delete request waits in its (origin, name) queue until the one before it
//! was processed; the head of a queue moves through [`Stage`]s as the connections it waits
//! for answer their versionchange events and close. The service's thread never blocks:
//! after every request, [`Backend::pump`] moves each head as far as it can.

use super::schema::{self, Database};
use super::{sql_error, Backend, DbConnection, IdbResult};
use net_traits::indexed_db::{
    ConnectionEventSink, ConnectionId, IdbError, IdbErrorName, IdbReply, IdbReplySink,
    TransactionId,
};
use std::collections::HashSet;

/// An open or delete request in its connection queue.
pub(super) struct DbRequest {
    kind: Kind,
    reply: IdbReplySink,
    stage: Stage,
}

enum Kind {
    /// <https://w3c.github.io/IndexedDB/#open-a-database-connection>
    Open {
        version: Option<u64>,
        connection: ConnectionId,
        upgrade: TransactionId,
        events: ConnectionEventSink,
    },
    /// <https://w3c.github.io/IndexedDB/#delete-a-database>
    Delete,
}

/// Where the head of a queue is in its algorithm.
enum Stage {
    /// Waiting for the requests before it in its queue.
    Queued,
    /// Versionchange events were fired at `others` (the other connections to the
    /// database); `unfired` have not said they were dispatched yet.
    VersionChange {
        db: Option<Database>,
        new: Option<u64>,
        others: Vec<ConnectionId>,
        unfired: HashSet<ConnectionId>,
    },
    /// Waiting until every one of `others` is closed.
    Closing {
        db: Option<Database>,
        new: Option<u64>,
        others: Vec<ConnectionId>,
    },
    /// The upgrade transaction was created; its commit or abort answers the request.
    Upgrading { upgrade: TransactionId },
}

fn failed(name: IdbErrorName, message: &str) -> IdbReply {
    IdbReply::Failed(IdbError::new(name, message))
}

impl Backend {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn enqueue_open(
        &mut self,
        origin: String,
        name: String,
        version: Option<u64>,
        connection: ConnectionId,
        upgrade: TransactionId,
        events: ConnectionEventSink,
        mut reply: IdbReplySink,
    ) {
        if self.connections.contains_key(&connection) || self.queued_open(connection).is_some() {
            return reply(failed(
                IdbErrorName::InvalidStateError,
                "the connection id is in use",
            ));
        }
        // Steps 1-2. Let queue be the connection queue for storageKey and name; add request
        // to queue.
        self.queues
            .entry((origin, name))
            .or_default()
            .push_back(DbRequest {
                kind: Kind::Open {
                    version,
                    connection,
                    upgrade,
                    events,
                },
                reply,
                stage: Stage::Queued,
            });
    }

    pub(super) fn enqueue_delete(&mut self, origin: String, name: String, reply: IdbReplySink) {
        // Steps 1-2 of "delete a database".
        self.queues
            .entry((origin, name))
            .or_default()
            .push_back(DbRequest {
                kind: Kind::Delete,
                reply,
                stage: Stage::Queued,
            });
    }

    /// The origin of the queued (not yet answered) open of `connection`, if there is one.
    pub(super) fn queued_open(&self, connection: ConnectionId) -> Option<String> {
        self.queues.iter().find_map(|((origin, _), queue)| {
            queue
                .iter()
                .any(|r| matches!(r.kind, Kind::Open { connection: c, .. } if c == connection))
                .then(|| origin.clone())
        })
    }

    /// Moves the head of the queue `key` one stage on; false when it has to wait.
    pub(super) fn advance_queue(&mut self, key: &(String, String)) -> bool {
        let Some(mut head) = self.queues.get_mut(key).and_then(|q| q.pop_front()) else {
            return false;
        };
        let (progress, keep) = match &head.kind {
            Kind::Open { .. } => self.open_step(key, &mut head),
            Kind::Delete => self.delete_step(key, &mut head),
        };
        if keep {
            self.queues.entry(key.clone()).or_default().push_front(head);
        }
        progress
    }

    /// The other connections to database `key`; versionchange events are fired at those
    /// not close pending (those whose global is gone are closed). Returns (all, fired).
    fn fire_at_others(
        &mut self,
        key: &(String, String),
        except: Option<ConnectionId>,
        old: u64,
        new: Option<u64>,
    ) -> (Vec<ConnectionId>, HashSet<ConnectionId>) {
        let others: Vec<ConnectionId> = self
            .connections
            .iter()
            .filter(|(id, c)| Some(**id) != except && c.origin == key.0 && c.name == key.1)
            .map(|(id, _)| *id)
            .collect();
        let mut fired = HashSet::new();
        for id in &others {
            let pending = self.connections.get(id).is_none_or(|c| c.close_pending);
            if !pending && self.fire_version_change(*id, old, new) {
                fired.insert(*id);
            }
        }
        (others, fired)
    }

    /// One step of <https://w3c.github.io/IndexedDB/#open-a-database-connection> for the
    /// head of its queue: (progress, still in the queue).
    fn open_step(&mut self, key: &(String, String), head: &mut DbRequest) -> (bool, bool) {
        let Kind::Open {
            version,
            connection,
            upgrade,
            ref events,
        } = head.kind
        else {
            return (false, true);
        };
        match &mut head.stage {
            Stage::Queued => {
                // Step 3. Wait until all previous requests in queue have been processed
                // (this is the head).
                // Step 4. Let db be the database named name in storageKey, if one exists.
                let db = match self.find_database(key) {
                    Ok(db) => db,
                    Err(e) => {
                        (head.reply)(IdbReply::Failed(e));
                        return (true, false);
                    }
                };
                // Step 5. If version is undefined, let version be 1 if db is null, or db's
                // version otherwise.
                let version = version.unwrap_or(db.map_or(1, |d| d.version));
                // Step 6. If db is null, let db be a new database with version 0 (its row
                // is written by the upgrade transaction, so that an abort removes it).
                let old = db.map_or(0, |d| d.version);
                // Step 7. If db's version is greater than version, return a VersionError.
                if old > version || version == 0 {
                    (head.reply)(failed(
                        IdbErrorName::VersionError,
                        "the requested version is less than the database's version",
                    ));
                    return (true, false);
                }
                // Steps 8-9. Let connection be a new connection to db, its version version.
                self.connections.insert(
                    connection,
                    DbConnection {
                        origin: key.0.clone(),
                        name: key.1.clone(),
                        db: db.map(|d| d.id),
                        close_pending: false,
                        events: events.clone(),
                    },
                );
                // Step 10. If db's version is less than version, then:
                if old < version {
                    // Steps 10.1-10.2. Fire versionchange at each other connection to db
                    // that is not close pending.
                    let (others, unfired) =
                        self.fire_at_others(key, Some(connection), old, Some(version));
                    head.stage = Stage::VersionChange {
                        db,
                        new: Some(version),
                        others,
                        unfired,
                    };
                    return (true, true);
                }
                // Step 11. Return connection.
                let info = match (db, self.open.get(key)) {
                    (Some(db), Some(file)) => {
                        schema::database_info(&file.conn, db.id, &key.1, version)
                    }
                    _ => Err(IdbError::new(
                        IdbErrorName::UnknownError,
                        "the database's file is not open",
                    )),
                };
                let reply = match info {
                    Ok(info) => IdbReply::Opened(info),
                    Err(e) => {
                        self.connections.remove(&connection);
                        IdbReply::Failed(e)
                    }
                };
                (head.reply)(reply);
                (true, false)
            }
            Stage::VersionChange { .. } => self.after_version_change(head),
            Stage::Closing { db, new, others } => {
                // Step 10.5. Wait until all connections in openConnections are closed.
                if others.iter().any(|c| self.connections.contains_key(c)) {
                    return (false, true);
                }
                let old = db.map_or(0, |d| d.version);
                let (db, new) = (db.map(|d| d.id), new.unwrap_or(old));
                if !self.connections.contains_key(&connection) {
                    (head.reply)(failed(
                        IdbErrorName::AbortError,
                        "the connection was closed before it opened",
                    ));
                    return (true, false);
                }
                // Step 10.6. Run upgrade a database using connection, version and request.
                if let Err(e) = self.create_upgrade(connection, upgrade, key, db, old, new) {
                    self.connections.remove(&connection);
                    (head.reply)(IdbReply::Failed(e));
                    return (true, false);
                }
                head.stage = Stage::Upgrading { upgrade };
                (true, true)
            }
            Stage::Upgrading { .. } => (false, true),
        }
    }

    /// Steps 10.3-10.4 of "open a database connection" (7-8 of "delete a database"): once
    /// every versionchange event was dispatched, fire blocked if some of the connections
    /// are still open.
    fn after_version_change(&mut self, head: &mut DbRequest) -> (bool, bool) {
        let Stage::VersionChange {
            db,
            new,
            others,
            unfired,
        } = &mut head.stage
        else {
            return (false, true);
        };
        // A closed (or close pending) connection will not answer.
        unfired.retain(|c| self.connections.get(c).is_some_and(|c| !c.close_pending));
        if !unfired.is_empty() {
            return (false, true);
        }
        let old = db.map_or(0, |d| d.version);
        // Blocked when one of them did not even start closing (one that is closing waits
        // for its transactions only).
        let open = others
            .iter()
            .any(|c| self.connections.get(c).is_some_and(|c| !c.close_pending));
        if open {
            (head.reply)(IdbReply::Blocked {
                old_version: old,
                new_version: *new,
            });
        }
        head.stage = Stage::Closing {
            db: *db,
            new: *new,
            others: std::mem::take(others),
        };
        (true, true)
    }

    /// One step of <https://w3c.github.io/IndexedDB/#delete-a-database> for the head of
    /// its queue: (progress, still in the queue).
    fn delete_step(&mut self, key: &(String, String), head: &mut DbRequest) -> (bool, bool) {
        match &head.stage {
            Stage::Queued => {
                // Step 4. Let db be the database named name in storageKey, if one exists;
                // otherwise, return 0.
                let db = match self.find_database(key) {
                    Ok(Some(db)) => db,
                    Ok(None) => {
                        (head.reply)(IdbReply::Deleted { old_version: 0 });
                        return (true, false);
                    }
                    Err(e) => {
                        (head.reply)(IdbReply::Failed(e));
                        return (true, false);
                    }
                };
                // Steps 5-6. Let openConnections be the set of all connections associated
                // with db; fire versionchange at those not close pending, with null.
                let (others, unfired) = self.fire_at_others(key, None, db.version, None);
                head.stage = Stage::VersionChange {
                    db: Some(db),
                    new: None,
                    others,
                    unfired,
                };
                (true, true)
            }
            Stage::VersionChange { .. } => self.after_version_change(head),
            Stage::Closing { db, others, .. } => {
                // Step 9. Wait until all connections in openConnections are closed (and
                // until no transaction of the database is left).
                let busy = self
                    .transactions
                    .values()
                    .any(|t| t.origin == key.0 && t.name == key.1);
                if others.iter().any(|c| self.connections.contains_key(c)) || busy {
                    return (false, true);
                }
                let Some(db) = *db else {
                    (head.reply)(IdbReply::Deleted { old_version: 0 });
                    return (true, false);
                };
                // Steps 10-12. Let version be db's version; delete db; return version.
                let reply = match self.delete_files(key) {
                    Ok(()) => IdbReply::Deleted {
                        old_version: db.version,
                    },
                    Err(e) => IdbReply::Failed(e),
                };
                (head.reply)(reply);
                (true, false)
            }
            Stage::Upgrading { .. } => (false, true),
        }
    }

    /// Step 11 of "delete a database": its connection is closed and its folder (SQLite
    /// file, its `-wal` and `-shm`, blob files) removed, then its bytes leave the quota.
    fn delete_files(&mut self, key: &(String, String)) -> IdbResult<()> {
        let size = match self.open.get(key) {
            Some(file) => schema::usage(&file.conn).map_err(sql_error)?,
            None => 0,
        };
        self.remove_database(key)?;
        self.store.release_quota(&key.0, size);
        Ok(())
    }

    /// The service is shutting down: unfinished transactions roll back, every request
    /// still waiting gets its last answer, and the databases' connections close.
    pub(super) fn shut_down(&mut self) {
        let mut ids: Vec<_> = self
            .transactions
            .iter()
            .map(|(id, t)| (t.seq, *id))
            .collect();
        ids.sort_by_key(|(seq, _)| *seq);
        for (_, id) in ids {
            self.abort(id, None);
        }
        for (_, queue) in self.queues.drain() {
            for mut request in queue {
                (request.reply)(failed(IdbErrorName::AbortError, "IndexedDB has shut down"));
            }
        }
        self.open.clear();
    }

    /// The versionchange event fired at `connection` was dispatched.
    pub(super) fn version_change_fired(&mut self, connection: ConnectionId) {
        for queue in self.queues.values_mut() {
            if let Some(DbRequest {
                stage: Stage::VersionChange { unfired, .. },
                ..
            }) = queue.front_mut()
            {
                unfired.remove(&connection);
            }
        }
    }

    /// <https://w3c.github.io/IndexedDB/#close-a-database-connection>: the connection is
    /// close pending, and closed once its transactions finished (`forced`: they are
    /// aborted, its global is gone). A connection whose open was not answered yet makes the
    /// open fail with an AbortError (its upgrade transaction, if it started, aborts).
    pub(super) fn close(&mut self, connection: ConnectionId, forced: bool) {
        // During its upgrade: a forced close aborts it; close() lets it finish (the open
        // then fails with an AbortError, "open a database connection" step 10.7).
        if let Some(upgrade) = self.upgrade_of(connection) {
            if forced {
                self.abort(upgrade, None);
            } else if let Some(c) = self.connections.get_mut(&connection) {
                c.close_pending = true;
            }
            return;
        }
        for queue in self.queues.values_mut() {
            let position = queue.iter().position(
                |r| matches!(r.kind, Kind::Open { connection: c, .. } if c == connection),
            );
            if let Some(position) = position {
                if let Some(mut request) = queue.remove(position) {
                    (request.reply)(failed(
                        IdbErrorName::AbortError,
                        "the connection was closed before it opened",
                    ));
                }
                self.connections.remove(&connection);
                return;
            }
        }
        let Some(c) = self.connections.get_mut(&connection) else {
            return;
        };
        // Step 1. Set connection's close pending flag to true.
        c.close_pending = true;
        // Step 2. If the forced flag is true, then for each transaction created using
        // connection run abort a transaction.
        if forced {
            let mut ids: Vec<_> = self
                .transactions
                .iter()
                .filter(|(_, t)| t.connection == connection)
                .map(|(id, t)| (t.seq, *id))
                .collect();
            ids.sort_by_key(|(seq, _)| *seq);
            for (_, id) in ids {
                self.abort(id, None);
            }
        }
        // Step 3. Wait for all transactions created using connection to complete. Once
        // they are complete, connection is closed.
        self.remove_if_closed(connection);
    }

    /// A close pending connection whose transactions all finished is closed.
    pub(super) fn remove_if_closed(&mut self, connection: ConnectionId) {
        let closed = self.connections.get(&connection).is_some_and(|c| {
            c.close_pending
                && !self
                    .transactions
                    .values()
                    .any(|t| t.connection == connection)
        });
        if closed {
            self.connections.remove(&connection);
        }
    }

    /// The upgrade transaction an unanswered open of `connection` is running, if any.
    fn upgrade_of(&self, connection: ConnectionId) -> Option<TransactionId> {
        self.queues.values().find_map(|queue| match queue.front() {
            Some(DbRequest {
                kind: Kind::Open { connection: c, .. },
                stage: Stage::Upgrading { upgrade },
                ..
            }) if *c == connection => Some(*upgrade),
            _ => None,
        })
    }

    /// Answers the open whose upgrade transaction is `upgrade` (started: `Upgrade`, more
    /// answers follow; finished: the last answer, and the request leaves its queue).
    pub(super) fn answer_open(
        &mut self,
        key: &(String, String),
        upgrade: TransactionId,
        reply: IdbReply,
    ) {
        let Some(queue) = self.queues.get_mut(key) else {
            return;
        };
        let is_it = matches!(
            queue.front(),
            Some(DbRequest { stage: Stage::Upgrading { upgrade: u }, .. }) if *u == upgrade
        );
        if !is_it {
            return;
        }
        let last = !matches!(reply, IdbReply::Upgrade { .. });
        if last {
            if let Some(mut request) = queue.pop_front() {
                (request.reply)(reply);
            }
        } else if let Some(request) = queue.front_mut() {
            (request.reply)(reply);
        }
    }
}
