//! Where each database lives: its own folder, `<profile>/indexeddb/<origin>/<name>/`,
//! holding its SQLite file (`database.sqlite`, with its `-wal` and `-shm`) and the Blobs and
//! Files of its records (`blobs/`). A database has its own SQLite connection, so the
//! writing transactions of different databases (of one origin or of several) run at once.
//!
//! Folder names are derived from the storage key and the database name, never taken from
//! them: `x` and the hex of the string's UTF-8 when it is at most [`MAX_HEX_BYTES`] bytes,
//! `h` and the hex of its SHA-256 otherwise. Any name ("", "..", "/", a long one) makes a
//! plain folder name; the file holds the storage key and the name, and a file whose row
//! is not the database its folder names is not used.
//!
//! A folder being removed is first renamed to a name starting with `t` (in the same
//! origin folder), so a crash never leaves half a database under its own name: `t`
//! folders, database folders without a SQLite file and files without a committed
//! database (an upgrade creating it did not commit) are removed when the service starts.

use super::blobs;
use super::schema;
use crate::{private, StoreError};
use rusqlite::Connection;
use std::io;
use std::path::{Path, PathBuf};

/// Strings up to this many UTF-8 bytes name their folder in hex; longer ones by SHA-256.
const MAX_HEX_BYTES: usize = 100;

/// The SQLite file in a database's folder.
pub(super) const DATABASE_FILE: &str = "database.sqlite";

/// The folder of blob files in a database's folder.
const BLOBS: &str = "blobs";

/// Prepared statements a database's connection keeps: about 30 fixed ones, and one per
/// shape (key range bounds, cursor direction and position) of the range and cursor queries
/// in use; the least recently used one is finalized when it is full.
const STATEMENT_CACHE_CAPACITY: usize = 128;

/// The folder name of a storage key or a database name.
pub(super) fn folder_name(s: &str) -> String {
    let bytes = s.as_bytes();
    if bytes.len() <= MAX_HEX_BYTES {
        format!("x{}", hex(bytes))
    } else {
        format!("h{}", hex(&sha256(bytes)))
    }
}

/// Whether `name` is one [`folder_name`] gives.
pub(super) fn is_folder_name(name: &str) -> bool {
    let hex_digits = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    match name.split_at_checked(1) {
        Some(("x", rest)) => {
            rest.len() % 2 == 0 && rest.len() <= 2 * MAX_HEX_BYTES && hex_digits(rest)
        }
        Some(("h", rest)) => rest.len() == 64 && hex_digits(rest),
        _ => false,
    }
}

/// Whether `name` is a folder being removed.
pub(super) fn is_trash_name(name: &str) -> bool {
    name.starts_with('t')
}

/// The folder of `origin`'s databases under `root` (`<profile>/indexeddb`).
pub(super) fn origin_dir(root: &Path, origin: &str) -> PathBuf {
    root.join(folder_name(origin))
}

/// The folder of database `name` of `origin` under `root`.
pub(super) fn database_dir(root: &Path, origin: &str, name: &str) -> PathBuf {
    origin_dir(root, origin).join(folder_name(name))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `data` (the `sha2` crate, already the workspace's for the demo's checksums).
fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// Makes the entries of folder `dir` durable (a file or folder created or removed in it).
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes a database's folder (its SQLite connection must be closed): renamed away first,
/// so that it is gone under its name at once, then removed. What cannot be removed now
/// is removed when the service starts again.
pub(super) fn remove_database_dir(dir: &Path) -> io::Result<()> {
    let Some(parent) = dir.parent() else {
        return Ok(());
    };
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    // A name no entry of the folder has (the service is the profile's only writer here).
    let mut n = started;
    let trash = loop {
        let t = parent.join(format!("t{n:x}"));
        if !t.exists() {
            break t;
        }
        n += 1;
    };
    match std::fs::rename(dir, &trash) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    sync_dir(parent)?;
    if let Err(e) = std::fs::remove_dir_all(&trash) {
        log::warn!(target: "bgfetch", "IndexedDB: cannot remove {}: {e}", trash.display());
    }
    // The origin's folder goes with its last database.
    if std::fs::remove_dir(parent).is_ok() {
        if let Some(root) = parent.parent() {
            sync_dir(root)?;
        }
    }
    Ok(())
}

/// A database's folder with its SQLite connection open.
pub(super) struct DbFile {
    pub dir: PathBuf,
    pub conn: Connection,
    pub files: blobs::Files,
}

impl DbFile {
    /// Opens the database in `dir`; `create`: the folder and the file are made if missing
    /// (private, and their names synced), otherwise a missing file is `Ok(None)`.
    pub fn open(dir: &Path, create: bool) -> Result<Option<DbFile>, StoreError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |error| StoreError::Io { path, error }
        };
        let db_path = dir.join(DATABASE_FILE);
        let blobs_dir = dir.join(BLOBS);
        if !create && !db_path.is_file() {
            return Ok(None);
        }
        if create {
            private::create_dir_all(&blobs_dir).map_err(io(&blobs_dir))?;
            // Created private; SQLite gives its journal the same mode.
            private::open_options()
                .create(true)
                .append(true)
                .open(&db_path)
                .map_err(io(&db_path))?;
            // The new names are durable before anything is committed in them.
            let mut folder = Some(dir);
            for _ in 0..3 {
                let Some(d) = folder else { break };
                sync_dir(d).map_err(io(d))?;
                folder = d.parent();
            }
        } else if !blobs_dir.is_dir() {
            private::create_dir_all(&blobs_dir).map_err(io(&blobs_dir))?;
        }
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
            path: db_path.clone(),
            message: e.to_string(),
        };
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&db_path, flags).map_err(corrupt)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every operation runs cached statements (see `records.rs`): room for the fixed
        // ones and the range and cursor shapes in use.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        schema::migrate(&conn, &db_path)?;
        Ok(Some(DbFile {
            dir: dir.to_path_buf(),
            conn,
            files: blobs::Files::new(blobs_dir),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_messages() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 1000])),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        );
    }

    #[test]
    fn folder_names_are_plain_and_distinct() {
        let long = "é".repeat(200);
        let names = ["", ".", "..", "/", "a/b", "\\", "\0", "x", &long];
        let folders: Vec<String> = names.iter().map(|n| folder_name(n)).collect();
        for (f, n) in folders.iter().zip(names) {
            assert!(is_folder_name(f), "{f} for {n:?}");
            assert!(!is_trash_name(f));
            assert!(f.bytes().all(|b| b.is_ascii_alphanumeric()) && f.len() < 255);
        }
        let mut unique = folders.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), folders.len());
        assert_eq!(folder_name(""), "x");
        assert_eq!(folder_name(".."), "x2e2e");
        assert!(folder_name(&long).starts_with('h'));
    }
}
