//! Per-origin usage accounting against a quota. Background fetch request and response
//! bodies count; the Cache API will share it.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Storing more would exceed the origin's quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaExceeded {
    pub origin: String,
    pub usage: u64,
    pub requested: u64,
    pub quota: u64,
}

impl std::fmt::Display for QuotaExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} would exceed its storage quota: {} bytes used, {} more requested, quota {}",
            self.origin, self.usage, self.requested, self.quota
        )
    }
}

/// The default quota of an origin: a fifth of the free space of the profile's disk when the
/// store opens (at least 64 MiB), as browsers give an origin a share of the disk.
pub fn default_quota(profile: &Path) -> u64 {
    let free = free_space(profile).unwrap_or(10 << 30);
    (free / 5).max(64 << 20)
}

#[cfg(unix)]
fn free_space(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs writes into the zeroed struct we own; `c` is a valid C string.
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut s) };
    (rc == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
}

#[cfg(not(unix))]
fn free_space(_: &Path) -> Option<u64> {
    None
}

/// Shared counters (cheap to clone).
#[derive(Clone)]
pub(crate) struct Accounting {
    limit: u64,
    usage: Arc<Mutex<HashMap<String, u64>>>,
}

impl Accounting {
    pub fn new(limit: u64) -> Accounting {
        Accounting {
            limit,
            usage: Arc::default(),
        }
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    pub fn usage(&self, origin: &str) -> u64 {
        self.usage.lock().get(origin).copied().unwrap_or(0)
    }

    pub fn fits(&self, origin: &str, more: u64) -> bool {
        self.usage(origin)
            .checked_add(more)
            .is_some_and(|total| total <= self.limit)
    }

    /// Counts `n` more bytes for `origin`, or refuses them.
    pub fn reserve(&self, origin: &str, n: u64) -> Result<(), QuotaExceeded> {
        let mut usage = self.usage.lock();
        let used = usage.get(origin).copied().unwrap_or(0);
        match used.checked_add(n) {
            Some(total) if total <= self.limit => {
                usage.insert(origin.to_string(), total);
                Ok(())
            }
            _ => Err(QuotaExceeded {
                origin: origin.to_string(),
                usage: used,
                requested: n,
                quota: self.limit,
            }),
        }
    }

    /// Counts `n` bytes already stored, even past the limit.
    pub fn add(&self, origin: &str, n: u64) {
        let mut usage = self.usage.lock();
        let u = usage.entry(origin.to_string()).or_default();
        *u = u.saturating_add(n);
    }

    pub fn release(&self, origin: &str, n: u64) {
        let mut usage = self.usage.lock();
        if let Some(u) = usage.get_mut(origin) {
            *u = u.saturating_sub(n);
        }
    }

    pub fn set_all(&self, all: HashMap<String, u64>) {
        *self.usage.lock() = all;
    }
}
