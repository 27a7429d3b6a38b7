//! Body files: request bodies (`bgfetch/<uid>/<index>.req`, written and synced before the
//! fetch is acknowledged) and response bodies (`<index>.res`, appended as bytes arrive and
//! synced before progress reports them). Only numeric names: no page-supplied string ever
//! becomes part of a path.

use super::*;

impl Store {
    pub(crate) fn fetch_dir(&self, uid: FetchUid) -> PathBuf {
        self.bodies.join(uid.0.to_string())
    }

    pub(crate) fn request_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.fetch_dir(uid).join(format!("{index}.req"))
    }

    pub(crate) fn response_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.fetch_dir(uid).join(format!("{index}.res"))
    }

    /// Where a record's response body is stored (as it arrives).
    pub fn response_body_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.response_path(uid, index)
    }

    /// Where a record's request body is stored (streamed from there when it is sent).
    pub fn request_body_path(&self, uid: FetchUid, index: u32) -> PathBuf {
        self.request_path(uid, index)
    }

    /// The request body of a record, if it has one.
    pub fn request_body(&self, uid: FetchUid, index: u32) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.request_path(uid, index);
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path, error: e }),
        }
    }

    /// Opens a record's response body file for appending (created if missing).
    pub fn body_file(
        &self,
        uid: FetchUid,
        index: u32,
        origin: &str,
    ) -> Result<BodyFile, StoreError> {
        let path = self.response_path(uid, index);
        let file = crate::private::open_options()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io(&path))?;
        let len = file.metadata().map_err(io(&path))?.len();
        Ok(BodyFile {
            path,
            file,
            len,
            origin: origin.to_string(),
            quota: self.quota.clone(),
            unsynced: false,
            written_back: len,
        })
    }

    /// The stored length of a record's response body.
    pub fn body_len(&self, uid: FetchUid, index: u32) -> u64 {
        std::fs::metadata(self.response_path(uid, index))
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// Reads up to `max` stored response body bytes from `offset`.
    pub fn read_body(
        &self,
        uid: FetchUid,
        index: u32,
        offset: u64,
        max: usize,
    ) -> Result<Vec<u8>, StoreError> {
        read_range(self.response_path(uid, index), offset, max)
    }

    /// Reads up to `max` bytes of a record's request body from `offset` (empty past its end
    /// or when it has none).
    pub fn read_request_body(
        &self,
        uid: FetchUid,
        index: u32,
        offset: u64,
        max: usize,
    ) -> Result<Vec<u8>, StoreError> {
        read_range(self.request_path(uid, index), offset, max)
    }

    /// Files of fetches that have no rows (a crash between writing files and committing) go.
    pub(crate) fn remove_orphans(&self) -> Result<(), StoreError> {
        let known: std::collections::HashSet<u64> = {
            let conn = self.conn.lock();
            let mut stmt = conn.prepare("SELECT uid FROM fetches")?;
            let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .map(|u| u as u64)
                .collect()
        };
        let entries = std::fs::read_dir(&self.bodies).map_err(io(&self.bodies))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let orphan = name
                .parse::<u64>()
                .map(|u| !known.contains(&u))
                .unwrap_or(true);
            if orphan {
                log::info!(target: "bgfetch", "removing orphaned background fetch files {name}");
                let path = e.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
        Ok(())
    }
}

/// A record's response body file, appended to as bytes arrive. Writes count against the
/// origin's quota.
pub struct BodyFile {
    path: PathBuf,
    file: File,
    len: u64,
    origin: String,
    quota: quota::Accounting,
    unsynced: bool,
    /// Bytes handed to the kernel's writeback so far.
    written_back: u64,
}

impl BodyFile {
    /// The stored length.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends bytes; [`StoreError::Quota`] (nothing written) when they do not fit.
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        self.quota
            .reserve(&self.origin, bytes.len() as u64)
            .map_err(StoreError::Quota)?;
        if let Err(e) = self.file.write_all(bytes) {
            self.quota.release(&self.origin, bytes.len() as u64);
            // A partial write leaves the file longer than `len`; cut it back.
            let _ = self.file.set_len(self.len);
            return Err(io(&self.path)(e));
        }
        self.len += bytes.len() as u64;
        self.unsynced = true;
        self.start_writeback();
        Ok(())
    }

    /// Every few MiB, asks the kernel to start writing the new bytes out (without waiting),
    /// so a later sync finds little left to do and appending never stalls behind a big one.
    fn start_writeback(&mut self) {
        const STEP: u64 = 8 << 20;
        if self.len - self.written_back < STEP {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: a valid open descriptor and a range inside the file; the call only
            // schedules writeback.
            unsafe {
                libc::sync_file_range(
                    self.file.as_raw_fd(),
                    self.written_back as libc::off64_t,
                    (self.len - self.written_back) as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
        }
        self.written_back = self.len;
    }

    /// Empties the file (a Range request answered with a whole new response).
    pub fn truncate(&mut self) -> Result<(), StoreError> {
        self.file.set_len(0).map_err(io(&self.path))?;
        self.quota.release(&self.origin, self.len);
        self.len = 0;
        self.written_back = 0;
        self.unsynced = true;
        Ok(())
    }

    /// A sync of what is written so far that can run on another thread while appending
    /// goes on (so the download does not wait for the disk): [`SyncJob::run`] returns the
    /// length that is then durable.
    pub fn sync_job(&self) -> Result<SyncJob, StoreError> {
        Ok(SyncJob {
            file: self.file.try_clone().map_err(io(&self.path))?,
            path: self.path.clone(),
            len: self.len,
        })
    }

    /// Makes what was written durable (before progress that counts it is reported).
    pub fn sync(&mut self) -> Result<(), StoreError> {
        if self.unsynced {
            self.file.sync_data().map_err(io(&self.path))?;
            self.unsynced = false;
        }
        Ok(())
    }
}

/// See [`BodyFile::sync_job`].
pub struct SyncJob {
    file: File,
    path: PathBuf,
    len: u64,
}

impl SyncJob {
    /// Syncs (blocking); the bytes up to the returned length are durable.
    pub fn run(self) -> Result<u64, StoreError> {
        self.file.sync_data().map_err(io(&self.path))?;
        Ok(self.len)
    }
}

pub(crate) fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Makes a directory's entries durable (new files in it survive a crash).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Up to `max` bytes of the file at `path` from `offset` (none if it does not exist).
fn read_range(path: PathBuf, offset: u64, max: usize) -> Result<Vec<u8>, StoreError> {
    let mut f = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::Io { path, error: e }),
    };
    f.seek(SeekFrom::Start(offset)).map_err(io(&path))?;
    let mut buf = Vec::with_capacity(max.min(1 << 20));
    f.take(max as u64)
        .read_to_end(&mut buf)
        .map_err(io(&path))?;
    Ok(buf)
}
