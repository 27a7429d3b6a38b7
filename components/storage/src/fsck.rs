//! `bgfetch fsck`: checks a profile's store against its files while nothing runs on it, and
//! with `repair` fixes what can be fixed. Checking changes nothing (the database is opened
//! read-only; [`crate::Store::open`] would already remove orphans). Every repair is reported,
//! and a body that is complete is never removed without a line saying so.
//!
//! What is checked:
//! - the database: that it opens, its schema version (newer than this build: an error with
//!   advice), `PRAGMA integrity_check`;
//! - background fetch records: a request body file for every record that has one, of its
//!   stored length; a response body of a successful record as long as its `Content-Length`
//!   says (identity coding); body files and folders no record names (orphans);
//! - Cache API entries: the body file of every entry that has a body, of its stored length
//!   (an entry whose body is gone is removed by `repair`: its response cannot be served);
//!   body files no entry names, and what an interrupted write left in `tmp/`/`retired/`;
//! - service worker registrations: workers of no registration, scripts of no worker.

use crate::schema::VERSION;
use crate::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One thing fsck found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong, naming the row or file.
    pub problem: String,
    /// What `repair` did about it (`None`: not repaired, or not repairable).
    pub repaired: Option<String>,
    /// Whether `repair` can fix it at all.
    pub repairable: bool,
}

/// What fsck found, and notes that are not problems.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

impl Report {
    /// Problems that remain (found and not repaired).
    pub fn remaining(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.repaired.is_none())
            .count()
    }
}

struct Fsck<'a> {
    profile: &'a Path,
    conn: Connection,
    repair: bool,
    report: Report,
}

/// Checks the profile in `profile` (nothing may run on it: the caller holds its lock), and
/// repairs what it can when `repair`.
pub fn check(profile: &Path, repair: bool) -> Result<Report, StoreError> {
    let db_path = profile.join("bgfetch.sqlite");
    let mut report = Report::default();
    if !db_path.exists() {
        report.notes.push(format!(
            "{} has no background fetch database yet",
            profile.display()
        ));
        return Ok(report);
    }
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
        path: db_path.clone(),
        message: e.to_string(),
    };
    let flags = if repair {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    };
    let conn = Connection::open_with_flags(&db_path, flags).map_err(corrupt)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // The first statement reads the file: a file that is not a database fails here.
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    if version > VERSION {
        return Err(StoreError::NewerSchema {
            path: db_path,
            found: version,
            supported: VERSION,
        });
    }
    let mut fsck = Fsck {
        profile,
        conn,
        repair,
        report,
    };
    fsck.integrity(&db_path)?;
    // A damaged database may list fewer fetches and entries than exist: nothing is removed
    // on its word.
    if fsck.repair && !fsck.report.findings.is_empty() {
        fsck.repair = false;
        fsck.report.notes.push(
            "the database failed its integrity check: nothing was repaired (files are only removed on an intact database's word)".into(),
        );
    }
    if version < VERSION {
        fsck.report.notes.push(format!(
            "schema version {version}: the next engine to open the profile migrates it to {VERSION}"
        ));
    }
    if version >= 1 {
        fsck.background_fetch_bodies()?;
    }
    if version >= 3 {
        fsck.cache_bodies()?;
    }
    if version >= 4 {
        fsck.service_worker_rows()?;
    }
    Ok(fsck.report)
}

/// A record's row as fsck reads it: uid, index, request body length, response (JSON), result.
type RecordRow = (i64, i64, Option<i64>, Option<String>, String);

/// A file's length (`None`: it does not exist).
fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

/// The bytes under `path` (a file or a folder).
fn size_of(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
            .unwrap_or(0)
    } else {
        file_len(path).unwrap_or(0)
    }
}

impl Fsck<'_> {
    fn found(&mut self, problem: String, repairable: bool, repaired: Option<String>) {
        self.report.findings.push(Finding {
            problem,
            repaired: if self.repair { repaired } else { None },
            repairable,
        });
    }

    /// Removes `path` (with `repair`) and says what went.
    fn remove_path(&self, path: &Path) -> Option<String> {
        if !self.repair {
            return None;
        }
        let bytes = size_of(path);
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
        removed
            .ok()
            .map(|()| format!("removed {} ({bytes} bytes)", path.display()))
    }

    fn integrity(&mut self, db_path: &Path) -> Result<(), StoreError> {
        let mut stmt =
            self.conn
                .prepare("PRAGMA integrity_check")
                .map_err(|e| StoreError::Corrupt {
                    path: db_path.to_path_buf(),
                    message: e.to_string(),
                })?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        if rows != ["ok"] {
            for row in rows {
                self.found(
                    format!(
                        "{}: {row} (not repairable here: copy the profile away, then move the database aside to start afresh)",
                        db_path.display()
                    ),
                    false,
                    None,
                );
            }
        }
        Ok(())
    }

    fn background_fetch_bodies(&mut self) -> Result<(), StoreError> {
        let bodies = self.profile.join("bgfetch");
        let uids: HashSet<i64> = {
            let mut stmt = self.conn.prepare("SELECT uid FROM fetches")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let records: Vec<RecordRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT uid, idx, body_len, response, result FROM records ORDER BY uid, idx",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut known_files: HashMap<i64, HashSet<String>> = HashMap::new();
        for (uid, idx, body_len, response, result) in &records {
            let names = known_files.entry(*uid).or_default();
            names.insert(format!("{idx}.res"));
            let dir = bodies.join(uid.to_string());
            if let Some(len) = body_len {
                names.insert(format!("{idx}.req"));
                let path = dir.join(format!("{idx}.req"));
                match file_len(&path) {
                    Some(found) if found == *len as u64 => {}
                    found => self.found(
                        format!(
                            "background fetch {uid} record {idx}: its request body {} is {} ({len} bytes stored); the record cannot be sent (abort the fetch with `bgfetch abort`)",
                            path.display(),
                            found.map_or("missing".to_string(), |n| format!("{n} bytes"))
                        ),
                        false,
                        None,
                    ),
                }
            }
            // A successful record's body is whole: as long as its Content-Length says.
            if result == "success" {
                let expected = response.as_deref().and_then(content_length);
                let path = dir.join(format!("{idx}.res"));
                let found = file_len(&path).unwrap_or(0);
                if let Some(expected) = expected.filter(|e| *e != found) {
                    self.found(
                        format!(
                            "background fetch {uid} record {idx}: its response body {} has {found} bytes, its Content-Length {expected} (not repairable: the record reads as stored)",
                            path.display()
                        ),
                        false,
                        None,
                    );
                }
            }
        }
        let Ok(entries) = std::fs::read_dir(&bodies) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            match name.parse::<i64>().ok().filter(|u| uids.contains(u)) {
                None => {
                    let repaired = self.remove_path(&path);
                    self.found(
                        format!(
                            "{}: files of no stored background fetch ({} bytes; a body here may be complete, but no record can read it)",
                            path.display(),
                            size_of(&path)
                        ),
                        true,
                        repaired,
                    );
                }
                Some(uid) => {
                    let known = known_files.get(&uid).cloned().unwrap_or_default();
                    let Ok(files) = std::fs::read_dir(&path) else {
                        continue;
                    };
                    for file in files.flatten() {
                        let file_name = file.file_name().to_string_lossy().into_owned();
                        if !known.contains(&file_name) {
                            let file_path = file.path();
                            let repaired = self.remove_path(&file_path);
                            self.found(
                                format!(
                                    "{}: a file of background fetch {uid} that no record names",
                                    file_path.display()
                                ),
                                true,
                                repaired,
                            );
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn cache_bodies(&mut self) -> Result<(), StoreError> {
        let caches = self.profile.join("caches");
        let entries: Vec<(i64, String, String, Option<i64>)> = {
            let mut stmt = self.conn.prepare(
                "SELECT e.id, c.origin, e.request, e.body_len FROM cache_entries e JOIN caches c ON c.id = e.cache_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let known: HashSet<String> = entries.iter().map(|(id, ..)| id.to_string()).collect();
        for (id, origin, request, body_len) in &entries {
            let Some(len) = body_len else { continue };
            let path = caches.join(id.to_string());
            let found = file_len(&path);
            // Whole (or longer: every stored byte is there) is fine.
            if found.is_some_and(|n| n >= *len as u64) {
                continue;
            }
            let url = serde_json::from_str::<serde_json::Value>(request)
                .ok()
                .and_then(|r| r.get("url").and_then(|u| u.as_str()).map(str::to_string))
                .unwrap_or_default();
            let repaired = if self.repair {
                self.conn
                    .execute("DELETE FROM cache_entries WHERE id = ?1", [id])
                    .ok()
                    .map(|_| {
                        let bytes = file_len(&path).unwrap_or(0);
                        let _ = std::fs::remove_file(&path);
                        format!(
                            "removed cache entry {id} and {} ({bytes} of its {len} bytes): its response cannot be served",
                            path.display()
                        )
                    })
            } else {
                None
            };
            self.found(
                format!(
                    "cache entry {id} of {origin} ({url}): its body {} is {} ({len} bytes stored)",
                    path.display(),
                    found.map_or("missing".to_string(), |n| format!("{n} bytes"))
                ),
                true,
                repaired,
            );
        }
        let Ok(files) = std::fs::read_dir(&caches) else {
            return Ok(());
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let path = file.path();
            if name == "retired" {
                // Bodies of replaced or deleted entries a session left to be swept (at the
                // next open, or after an hour): normal.
                let n = std::fs::read_dir(&path).map(|d| d.count()).unwrap_or(0);
                if n > 0 {
                    self.report.notes.push(format!(
                        "{}: {n} body file(s) of replaced or deleted cache entries, removed when the store next opens",
                        path.display()
                    ));
                }
                continue;
            }
            if name == "tmp" {
                let leftovers = std::fs::read_dir(&path).map(|d| d.count()).unwrap_or(0);
                if leftovers > 0 {
                    let repaired = if self.repair {
                        let bytes = size_of(&path);
                        std::fs::remove_dir_all(&path)
                            .and_then(|()| crate::private::create_dir_all(&path))
                            .ok()
                            .map(|()| format!("emptied {} ({bytes} bytes)", path.display()))
                    } else {
                        None
                    };
                    self.found(
                        format!(
                            "{}: {leftovers} file(s) an interrupted cache write left",
                            path.display()
                        ),
                        true,
                        repaired,
                    );
                }
                continue;
            }
            if !known.contains(&name) {
                let repaired = self.remove_path(&path);
                self.found(
                    format!("{}: a cache body no entry names", path.display()),
                    true,
                    repaired,
                );
            }
        }
        Ok(())
    }

    fn service_worker_rows(&mut self) -> Result<(), StoreError> {
        let orphan_workers: Vec<(i64, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, script_url FROM sw_workers WHERE registration_id NOT IN (SELECT id FROM sw_registrations)",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, url) in orphan_workers {
            let repaired = if self.repair {
                let done = self
                    .conn
                    .execute("DELETE FROM sw_scripts WHERE worker_id = ?1", [id])
                    .and_then(|_| {
                        self.conn
                            .execute("DELETE FROM sw_workers WHERE id = ?1", [id])
                    });
                done.ok()
                    .map(|_| format!("removed service worker {id} and its scripts"))
            } else {
                None
            };
            self.found(
                format!("service worker {id} ({url}) belongs to no registration"),
                true,
                repaired,
            );
        }
        let orphan_scripts: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM sw_scripts WHERE worker_id NOT IN (SELECT id FROM sw_workers)",
            [],
            |r| r.get(0),
        )?;
        if orphan_scripts > 0 {
            let repaired = if self.repair {
                self.conn
                    .execute(
                        "DELETE FROM sw_scripts WHERE worker_id NOT IN (SELECT id FROM sw_workers)",
                        [],
                    )
                    .ok()
                    .map(|n| format!("removed {n} script(s)"))
            } else {
                None
            };
            self.found(
                format!("{orphan_scripts} service worker script(s) belong to no worker"),
                true,
                repaired,
            );
        }
        Ok(())
    }
}

/// The `Content-Length` of a stored 200 response (its JSON), when its body is in identity
/// coding.
fn content_length(response: &str) -> Option<u64> {
    let meta: net_traits::ResponseMeta = serde_json::from_str(response).ok()?;
    // A whole response's (a resumed record's 206 counts only its part).
    if meta.status != 200 {
        return None;
    }
    let header = |name: &str| {
        meta.headers
            .iter()
            .find(|(n, _)| n.0.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| String::from_utf8_lossy(&v.0).trim().to_string())
    };
    if header("content-encoding").is_some_and(|c| !c.eq_ignore_ascii_case("identity")) {
        return None;
    }
    header("content-length")?.parse().ok()
}

/// Where a profile's store keeps what fsck looks at (for messages).
pub fn database_path(profile: &Path) -> PathBuf {
    profile.join("bgfetch.sqlite")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile whose store and files disagree in every way fsck looks for.
    fn broken_profile() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        drop(crate::Store::open(p, Default::default()).unwrap());
        let conn = Connection::open(p.join("bgfetch.sqlite")).unwrap();
        // (Orphaned rows need the foreign keys off: an older build or a hand edit.)
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        let whole = serde_json::to_string(&net_traits::ResponseMeta {
            status: 200,
            headers: vec![(
                "Content-Length".into(),
                net_traits::ByteString(b"5".to_vec()),
            )],
            ..Default::default()
        })
        .unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO fetches VALUES (7, 1, 's', 'https://a.test', 'id', 't', '[]', 0, 0, 0, 'settled', 'success', '', 0, 0, 0, '');
             INSERT INTO records (uid, idx, request, body_len, response, result) VALUES (7, 0, '{{}}', 4, '{whole}', 'success');
             INSERT INTO records (uid, idx, request, body_len, response, result) VALUES (7, 1, '{{}}', NULL, '{whole}', 'success');
             INSERT INTO caches (id, origin, name) VALUES (1, 'https://a.test', 'c');
             INSERT INTO cache_entries (id, cache_id, request, response, body_len) VALUES (3, 1, '{{\"url\":\"https://a.test/gone\"}}', '{{}}', 10);
             INSERT INTO cache_entries (id, cache_id, request, response, body_len) VALUES (4, 1, '{{\"url\":\"https://a.test/ok\"}}', '{{}}', 2);
             INSERT INTO sw_workers (id, registration_id, slot, script_url, worker_type, csp) VALUES (9, 99, 'active', 'https://a.test/sw.js', 'classic', '');
             INSERT INTO sw_scripts VALUES (9, 0, 'https://a.test/sw.js', x'00', 'text/javascript');"
        ))
        .unwrap();
        let bodies = p.join("bgfetch");
        std::fs::create_dir_all(bodies.join("7")).unwrap();
        // Record 0's request body is short; record 1's response is 3 bytes of 5.
        std::fs::write(bodies.join("7/0.req"), b"ab").unwrap();
        std::fs::write(bodies.join("7/0.res"), b"12345").unwrap();
        std::fs::write(bodies.join("7/1.res"), b"123").unwrap();
        std::fs::write(bodies.join("7/5.res"), b"stray").unwrap();
        std::fs::create_dir_all(bodies.join("8")).unwrap();
        std::fs::write(bodies.join("8/0.res"), b"a whole body of no fetch").unwrap();
        std::fs::write(p.join("caches/4"), b"ok").unwrap();
        std::fs::write(p.join("caches/12"), b"orphan").unwrap();
        std::fs::write(p.join("caches/tmp/stage-1"), b"half").unwrap();
        dir
    }

    fn problems(r: &Report) -> Vec<&str> {
        r.findings.iter().map(|f| f.problem.as_str()).collect()
    }

    #[test]
    fn checking_reports_every_disagreement_and_changes_nothing() {
        let dir = broken_profile();
        let p = dir.path();
        let report = check(p, false).unwrap();
        let all = problems(&report).join("\n");
        for expected in [
            "background fetch 7 record 0: its request body",
            "background fetch 7 record 1: its response body",
            "7/5.res: a file of background fetch 7 that no record names",
            "8: files of no stored background fetch (24 bytes",
            "cache entry 3 of https://a.test (https://a.test/gone): its body",
            "caches/12: a cache body no entry names",
            "tmp: 1 file(s) an interrupted cache write left",
            "service worker 9 (https://a.test/sw.js) belongs to no registration",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in\n{all}");
        }
        assert_eq!(report.findings.len(), 8, "{all}");
        assert!(report.findings.iter().all(|f| f.repaired.is_none()));
        // Nothing changed.
        assert!(p.join("bgfetch/8/0.res").exists());
        assert!(p.join("caches/12").exists());
        let again = check(p, false).unwrap();
        assert_eq!(problems(&again), problems(&report));
    }

    #[test]
    fn repairing_fixes_what_can_be_fixed_and_says_so() {
        let dir = broken_profile();
        let p = dir.path();
        let report = check(p, true).unwrap();
        let repaired: Vec<&str> = report
            .findings
            .iter()
            .filter_map(|f| f.repaired.as_deref())
            .collect();
        assert_eq!(repaired.len(), 6, "{repaired:?}");
        assert!(
            repaired
                .iter()
                .any(|r| r.contains("bgfetch/8") && r.contains("(24 bytes)")),
            "a removed body is named with its size: {repaired:?}"
        );
        // The two request/response body problems are not repairable: they remain.
        assert_eq!(report.remaining(), 2);
        assert!(!p.join("bgfetch/8").exists());
        assert!(!p.join("caches/12").exists());
        assert!(p.join("caches/4").exists(), "a whole entry's body stays");
        assert!(p.join("bgfetch/7/0.res").exists());
        let after = check(p, false).unwrap();
        assert_eq!(after.findings.len(), 2, "{:?}", problems(&after));
        // The store still opens.
        drop(crate::Store::open(p, Default::default()).unwrap());
    }

    #[test]
    fn a_newer_or_corrupt_database_is_an_error_that_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        drop(crate::Store::open(p, Default::default()).unwrap());
        Connection::open(p.join("bgfetch.sqlite"))
            .unwrap()
            .pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        assert!(matches!(
            check(p, true),
            Err(StoreError::NewerSchema { found, .. }) if found == VERSION + 1
        ));
        std::fs::write(
            p.join("bgfetch.sqlite"),
            b"not a database at all, just text",
        )
        .unwrap();
        let _ = std::fs::remove_file(p.join("bgfetch.sqlite-wal"));
        let _ = std::fs::remove_file(p.join("bgfetch.sqlite-shm"));
        assert!(matches!(check(p, false), Err(StoreError::Corrupt { .. })));
        assert_eq!(
            std::fs::read(p.join("bgfetch.sqlite")).unwrap(),
            b"not a database at all, just text"
        );
    }
}
