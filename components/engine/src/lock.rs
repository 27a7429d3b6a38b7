//! One engine per profile directory: `engine.lock` in the profile holds an exclusive
//! `flock` for as long as the engine runs (the kernel drops it when the process ends, also
//! on SIGKILL) and says which process holds it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The held lock; dropping it releases the profile.
#[derive(Debug)]
pub(crate) struct ProfileLock {
    _file: File,
}

/// Why the profile could not be locked.
pub(crate) enum LockError {
    /// Another process runs an engine on it (its pid, if it wrote one).
    InUse(Option<u32>),
    Io(std::io::Error),
}

impl ProfileLock {
    pub(crate) fn acquire(profile: &Path) -> Result<ProfileLock, LockError> {
        let path = profile.join("engine.lock");
        let mut file = storage::private::open_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(LockError::Io)?;
        if !try_lock(&file) {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            return Err(LockError::InUse(pid.trim().parse().ok()));
        }
        // Ours: say who holds it.
        file.set_len(0).map_err(LockError::Io)?;
        file.seek(SeekFrom::Start(0)).map_err(LockError::Io)?;
        write!(file, "{}", std::process::id()).map_err(LockError::Io)?;
        file.flush().map_err(LockError::Io)?;
        Ok(ProfileLock { _file: file })
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor we own; no memory is involved.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> bool {
    true
}
