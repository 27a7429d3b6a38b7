//! Which record gets the next connection. Background fetches are admitted first come, first
//! served within an origin and in turn across origins, at most `max_active` at a time (a
//! paused one gives its place up); free connections
//! go round-robin to the admitted fetches, one record each turn (lowest index first), within a
//! total and a per-server limit. So a fetch of one huge file holds one connection, and a fetch
//! of many files cannot take them all while another fetch waits.
//!
//! Admission is by the fetches' origins (the sites that asked); the connection limits are by
//! server (the origin of each record's URL), as a browser's per-host limits are: a site
//! fetching from two CDNs gets connections to each, and two sites fetching from one CDN
//! share its limit.
//!
//! The limits count connections. A server whose responses came over HTTP/2 multiplexes its
//! requests on one connection: once the scheduler knows that ([`Scheduler::speaks_http2`]),
//! that server's requests are streams, up to `max_http2_streams` at once, and together take
//! one connection of the total.
//!
//! A record's connection is free again once its body has arrived
//! ([`Scheduler::transfer_ended`]); making the bytes durable and storing the result go on
//! without it, at most [`MAX_SYNCING`] records at a time.

use net_traits::FetchUid;
use std::collections::HashMap;

/// What the scheduler needs to know about a fetch.
pub(crate) struct Candidate {
    /// The fetch's origin (its registration's).
    pub origin: String,
    /// The server of the record that would start next (the origin of its URL).
    pub server: String,
    /// It has a record that could start now.
    pub runnable: bool,
}

/// Records whose transfer ended and whose bytes are being made durable, at most: each holds
/// a thread in a blocking sync and an open file, so a disk slower than the network holds
/// the next records back.
pub(crate) const MAX_SYNCING: usize = 16;

#[derive(Default)]
pub(crate) struct Scheduler {
    /// Records past their transfer, still syncing (they hold no connection).
    syncing: usize,
    /// Unsettled fetches in the order they were registered.
    order: Vec<FetchUid>,
    /// The fetch that got the last connection (the round-robin cursor).
    last: Option<FetchUid>,
    running_total: usize,
    /// Requests in flight by server.
    by_server: HashMap<String, usize>,
    by_fetch: HashMap<FetchUid, usize>,
    /// Servers whose responses came over HTTP/2.
    http2: std::collections::HashSet<String>,
}

pub(crate) struct Limits {
    pub max_active: usize,
    pub max_connections: usize,
    /// Connections at once to one server.
    pub max_per_server: usize,
    /// Requests in flight at once to a server that speaks HTTP/2 (streams of one
    /// connection).
    pub max_http2_streams: usize,
    /// Foreground requests in flight (page loads, fetch()): in all, and by server. They count
    /// against the limits; background fetch takes what is left.
    pub foreground_total: usize,
    pub foreground_by_server: HashMap<String, usize>,
}

impl Scheduler {
    pub fn add(&mut self, uid: FetchUid) {
        if !self.order.contains(&uid) {
            self.order.push(uid);
        }
    }

    /// The fetch settled: it leaves the queue (its running records still count until they
    /// report back).
    pub fn remove(&mut self, uid: FetchUid) {
        self.order.retain(|u| *u != uid);
    }

    pub fn started(&mut self, uid: FetchUid, server: &str) {
        self.running_total += 1;
        *self.by_server.entry(server.to_string()).or_default() += 1;
        *self.by_fetch.entry(uid).or_default() += 1;
    }

    pub fn finished(&mut self, uid: FetchUid, server: &str) {
        self.running_total = self.running_total.saturating_sub(1);
        if let Some(n) = self.by_server.get_mut(server) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.by_server.remove(server);
            }
        }
        if let Some(n) = self.by_fetch.get_mut(&uid) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.by_fetch.remove(&uid);
            }
        }
    }

    /// A running record's body has all arrived: its connection is free for the next record
    /// while it syncs ([`Scheduler::synced`] when it is done).
    pub fn transfer_ended(&mut self, uid: FetchUid, server: &str) {
        self.finished(uid, server);
        self.syncing += 1;
    }

    /// A record counted by [`Scheduler::transfer_ended`] ended.
    pub fn synced(&mut self) {
        self.syncing = self.syncing.saturating_sub(1);
    }

    #[cfg(test)]
    pub fn running(&self) -> usize {
        self.running_total
    }

    /// A response from `server` came over HTTP/2: its requests are streams of one
    /// connection from now on.
    pub fn speaks_http2(&mut self, server: &str) {
        if !self.http2.contains(server) {
            self.http2.insert(server.to_string());
        }
    }

    /// Connections the running requests hold: one per request, but one per HTTP/2 server.
    fn connections(&self) -> usize {
        self.by_server
            .iter()
            .map(|(server, &n)| match self.http2.contains(server) {
                true => n.min(1),
                false => n,
            })
            .sum()
    }

    /// The fetch whose next record should start, if any may start now.
    pub fn next(
        &mut self,
        limits: &Limits,
        candidate: impl Fn(FetchUid) -> Option<Candidate>,
    ) -> Option<FetchUid> {
        if self.syncing >= MAX_SYNCING {
            return None;
        }
        let connections = self.connections() + limits.foreground_total;
        let connection_free = connections < limits.max_connections;
        if !connection_free && self.http2.is_empty() {
            return None;
        }
        // The admitted fetches: up to `max_active` of those running something or able to,
        // taken one per origin in turn (each origin's in registration order), so one origin's
        // many fetches cannot keep another origin's out.
        let mut queues: Vec<(String, std::collections::VecDeque<(FetchUid, Candidate)>)> =
            Vec::new();
        for &uid in &self.order {
            let Some(c) = candidate(uid) else { continue };
            if !(c.runnable || self.by_fetch.contains_key(&uid)) {
                continue;
            }
            match queues.iter_mut().find(|(o, _)| *o == c.origin) {
                Some((_, q)) => q.push_back((uid, c)),
                None => queues.push((c.origin.clone(), [(uid, c)].into())),
            }
        }
        let mut admitted: Vec<(FetchUid, Candidate)> = Vec::new();
        let max_active = limits.max_active.max(1);
        while admitted.len() < max_active && queues.iter().any(|(_, q)| !q.is_empty()) {
            for (_, q) in queues.iter_mut() {
                if admitted.len() == max_active {
                    break;
                }
                if let Some(item) = q.pop_front() {
                    admitted.push(item);
                }
            }
        }
        if admitted.is_empty() {
            return None;
        }
        // Round-robin: start after the fetch served last.
        let start = self
            .last
            .and_then(|last| admitted.iter().position(|(u, _)| *u == last))
            .map(|p| p + 1)
            .unwrap_or(0);
        for i in 0..admitted.len() {
            let (uid, c) = &admitted[(start + i) % admitted.len()];
            let running = self.by_server.get(&c.server).copied().unwrap_or(0);
            let server_busy = running
                + limits
                    .foreground_by_server
                    .get(&c.server)
                    .copied()
                    .unwrap_or(0);
            let (limit, needs_connection) = match self.http2.contains(&c.server) {
                // Another stream on the server's connection (a first one opens it).
                true => (limits.max_http2_streams.max(1), running == 0),
                false => (limits.max_per_server, true),
            };
            if c.runnable && server_busy < limit && (connection_free || !needs_connection) {
                self.last = Some(*uid);
                return Some(*uid);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn round_robin_within_limits() {
        let limits = Limits {
            max_active: 2,
            max_connections: 3,
            max_per_server: 2,
            max_http2_streams: 8,
            foreground_total: 0,
            foreground_by_server: HashMap::new(),
        };
        let mut s = Scheduler::default();
        for u in 1..=3 {
            s.add(FetchUid(u));
        }
        let origin = |u: FetchUid| if u.0 == 3 { "b" } else { "a" }.to_string();
        let runnable = RefCell::new(vec![true, true, true]);
        let cand = |u: FetchUid| {
            Some(Candidate {
                origin: origin(u),
                server: origin(u),
                runnable: runnable.borrow()[u.0 as usize - 1],
            })
        };
        // Admitted: fetch 1 (origin a's first) and fetch 3 (origin b's); they alternate.
        let a = s.next(&limits, cand).unwrap();
        s.started(a, &origin(a));
        let b = s.next(&limits, cand).unwrap();
        s.started(b, &origin(b));
        assert_eq!((a, b), (FetchUid(1), FetchUid(3)));
        let c = s.next(&limits, cand).unwrap();
        assert_eq!(c, FetchUid(1), "back to the first");
        s.started(c, "a");
        assert_eq!(s.running(), 3);
        assert_eq!(s.next(&limits, cand), None, "no connection left");
        // Fetch 1 settles: fetch 2 (origin a) takes its place, within origin a's limit.
        s.finished(FetchUid(1), "a");
        s.finished(FetchUid(1), "a");
        runnable.borrow_mut()[0] = false;
        s.remove(FetchUid(1));
        let d = s.next(&limits, cand).unwrap();
        assert_eq!(d, FetchUid(2));
        s.started(d, "a");
        let e = s.next(&limits, cand).unwrap();
        assert_eq!(e, FetchUid(3));
        s.started(e, "b");
        assert_eq!(s.next(&limits, cand), None);
    }

    #[test]
    fn a_transfer_that_ended_frees_its_connection_but_syncs_are_bounded() {
        let limits = Limits {
            max_active: 1,
            max_connections: 1,
            max_per_server: 1,
            max_http2_streams: 8,
            foreground_total: 0,
            foreground_by_server: HashMap::new(),
        };
        let mut s = Scheduler::default();
        s.add(FetchUid(1));
        let cand = |_| {
            Some(Candidate {
                origin: "a".into(),
                server: "a".into(),
                runnable: true,
            })
        };
        for n in 0..MAX_SYNCING {
            let u = s.next(&limits, cand).expect("the connection is free");
            s.started(u, "a");
            assert_eq!(s.next(&limits, cand), None, "one connection");
            // Its body arrived: the next record may use the connection while it syncs.
            s.transfer_ended(u, "a");
            assert_eq!(s.running(), 0);
            assert_eq!(s.syncing, n + 1);
        }
        assert_eq!(s.next(&limits, cand), None, "{MAX_SYNCING} records syncing");
        s.synced();
        assert_eq!(s.next(&limits, cand), Some(FetchUid(1)));
    }

    #[test]
    fn origins_are_admitted_in_turn() {
        let limits = Limits {
            max_active: 2,
            max_connections: 10,
            max_per_server: 10,
            max_http2_streams: 8,
            foreground_total: 0,
            foreground_by_server: HashMap::new(),
        };
        let mut s = Scheduler::default();
        for u in 1..=6 {
            s.add(FetchUid(u));
        }
        // Fetches 1-5 are origin a's, 6 is origin b's, registered last.
        let cand = |u: FetchUid| {
            Some(Candidate {
                origin: if u.0 == 6 { "b" } else { "a" }.into(),
                server: if u.0 == 6 { "b" } else { "a" }.into(),
                runnable: true,
            })
        };
        let mut served = Vec::new();
        for _ in 0..4 {
            let u = s.next(&limits, cand).unwrap();
            s.started(u, if u.0 == 6 { "b" } else { "a" });
            served.push(u.0);
        }
        assert!(served.contains(&6), "origin b is admitted: {served:?}");
        assert!(served.iter().all(|u| *u == 1 || *u == 6), "{served:?}");
    }

    #[test]
    fn a_paused_fetch_gives_its_place_up() {
        let limits = Limits {
            max_active: 1,
            max_connections: 4,
            max_per_server: 4,
            max_http2_streams: 8,
            foreground_total: 0,
            foreground_by_server: HashMap::new(),
        };
        let mut s = Scheduler::default();
        s.add(FetchUid(1));
        s.add(FetchUid(2));
        let cand = |u: FetchUid| {
            Some(Candidate {
                origin: "a".into(),
                server: "a".into(),
                runnable: u.0 == 2, // fetch 1 is paused (nothing runnable, nothing running)
            })
        };
        assert_eq!(s.next(&limits, cand), Some(FetchUid(2)));
    }

    #[test]
    fn foreground_requests_count_against_the_limits() {
        let mut limits = Limits {
            max_active: 4,
            max_connections: 3,
            max_per_server: 2,
            max_http2_streams: 8,
            foreground_total: 1,
            foreground_by_server: HashMap::from([("a".to_string(), 1)]),
        };
        let mut s = Scheduler::default();
        s.add(FetchUid(1));
        let cand = |_: FetchUid| {
            Some(Candidate {
                origin: "a".into(),
                server: "a".into(),
                runnable: true,
            })
        };
        // Origin a has one page request in flight: one background connection is left to it.
        let first = s.next(&limits, cand).unwrap();
        s.started(first, "a");
        assert_eq!(
            s.next(&limits, cand),
            None,
            "a's limit counts the page's request"
        );
        // The page's request ends: a second background connection.
        limits.foreground_total = 0;
        limits.foreground_by_server.clear();
        let second = s.next(&limits, cand).unwrap();
        s.started(second, "a");
        // Pages busy with two requests of another origin: the total limit is reached.
        limits.foreground_total = 2;
        limits.foreground_by_server = HashMap::from([("b".to_string(), 2)]);
        s.finished(FetchUid(1), "a");
        assert_eq!(
            s.next(&limits, cand),
            None,
            "the total counts every request"
        );
    }

    #[test]
    fn an_http2_origin_runs_streams_on_one_connection() {
        let limits = Limits {
            max_active: 4,
            max_connections: 2,
            max_per_server: 2,
            max_http2_streams: 5,
            foreground_total: 0,
            foreground_by_server: HashMap::new(),
        };
        let mut s = Scheduler::default();
        for u in 1..=2 {
            s.add(FetchUid(u));
        }
        let origin = |u: FetchUid| if u.0 == 1 { "h2" } else { "h1" }.to_string();
        let cand = |u: FetchUid| {
            Some(Candidate {
                origin: origin(u),
                server: origin(u),
                runnable: true,
            })
        };
        // Before anything is known, both origins are HTTP/1.1: two connections, full.
        for _ in 0..2 {
            let u = s.next(&limits, cand).unwrap();
            s.started(u, &origin(u));
        }
        assert_eq!(s.next(&limits, cand), None);
        // Origin "h2" answered over HTTP/2: its one connection carries up to 5 streams,
        // while "h1" stays at its connection.
        s.speaks_http2("h2");
        let mut streams = 1;
        while let Some(u) = s.next(&limits, cand) {
            assert_eq!(u, FetchUid(1), "only the HTTP/2 origin may add requests");
            s.started(u, "h2");
            streams += 1;
        }
        assert_eq!(streams, 5);
        // The HTTP/1.1 origin's request ends: its connection is free again for it.
        s.finished(FetchUid(2), "h1");
        assert_eq!(s.next(&limits, cand), Some(FetchUid(2)));
    }
}
