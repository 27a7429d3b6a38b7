//! The Blobs and Files records hold, each a file of their database's `blobs/` folder (see
//! `files.rs`), named by the service (never by the page). A record's row lists its files' names; a file is written
//! and synced before the transaction that stores it commits, removed if that transaction
//! rolls back, and removed after the commit of the transaction that deletes its record.

use crate::private;
use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The folder of blob files.
pub(super) struct Files {
    dir: PathBuf,
    /// Makes names unique: the service's start time, then a counter.
    prefix: String,
    counter: AtomicU64,
}

impl Files {
    pub fn new(dir: PathBuf) -> Files {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Files {
            dir,
            prefix: format!("{started:x}"),
            counter: AtomicU64::new(0),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `bytes` to a new file and syncs it; returns its name.
    pub fn write(&self, bytes: &[u8]) -> io::Result<String> {
        loop {
            let n = self.counter.fetch_add(1, Ordering::Relaxed);
            let name = format!("{}-{n}", self.prefix);
            let path = self.path(&name);
            let mut file = match private::open_options()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            };
            let written = file.write_all(bytes).and_then(|()| file.sync_all());
            if let Err(e) = written {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
            return Ok(name);
        }
    }

    pub fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        if !is_file_name(name) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{name:?} is not a blob file name"),
            ));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(self.path(name))?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Makes the names of the files written so far durable (the folder's entries).
    pub fn sync_dir(&self) -> io::Result<()> {
        #[cfg(unix)]
        std::fs::File::open(&self.dir)?.sync_all()?;
        Ok(())
    }

    /// Removes files (those of a rolled back transaction, or of deleted records).
    pub fn remove(&self, names: &[String]) {
        for name in names {
            if !is_file_name(name) {
                continue;
            }
            if let Err(e) = std::fs::remove_file(self.path(name)) {
                if e.kind() != io::ErrorKind::NotFound {
                    log::warn!(target: "bgfetch", "IndexedDB: cannot remove {name}: {e}");
                }
            }
        }
    }

    /// Removes the files no record names (left by a crash before a commit or after one);
    /// returns how many went.
    pub fn remove_orphans(&self, referenced: &HashSet<String>) -> io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if referenced.contains(&name) || !entry.file_type()?.is_file() {
                continue;
            }
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
        Ok(removed)
    }
}

/// Whether `name` is a name this service gives (no separators or dots that would leave
/// the folder).
fn is_file_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
