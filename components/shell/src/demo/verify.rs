//! The demo's last phase: where the episode's bytes are and whether they are the right ones.
//!
//! The checksum the demo prints is the SHA-256 of the episode as the server sends it
//! ([`expected_sha256`], computed streaming while the download runs: the body is
//! deterministic). The service worker's "store the records" step (`storeRecords` in
//! `demo-site/sw.js`) puts each record into the Cache API's "episodes" cache once
//! `caches` exists; [`cache_step`] is where the shell then finds the stored file and checks
//! its SHA-256 against the expected one. Until the Cache API lands the worker keeps nothing
//! and the summary says "cache step: pending the Cache API".

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// SHA-256 (hex) of `size` bytes of the server's deterministic body `seed`, computed a
/// megabyte at a time.
pub fn expected_sha256(size: u64, seed: u64) -> String {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0u64;
    while at < size {
        let n = (size - at).min(buf.len() as u64) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = wpt::faults::body_byte(seed, at + i as u64);
        }
        hasher.update(&buf[..n]);
        at += n as u64;
    }
    hex(&hasher.finalize())
}

/// SHA-256 (hex) of a file, read a megabyte at a time.
#[allow(dead_code)] // TODO(Cache API): used by cache_step once the cache keeps the episode.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the service worker's `backgroundfetchsuccess` handler reported.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SuccessReport {
    #[serde(default)]
    pub records: Vec<RecordReport>,
    /// The cache the records went into (`null` until the Cache API exists).
    #[serde(default)]
    pub cache: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RecordReport {
    pub url: String,
    pub status: u16,
}

/// Where the stored episode is, as the summary says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheStep {
    /// The worker kept nothing: no Cache API yet.
    Pending,
    /// The worker put the records into this cache.
    // TODO(Cache API): `file` and `sha256`: the cache entry's stored body file (in the
    // profile, where the storage crate keeps cache bodies) and its SHA-256, compared with
    // `expected_sha256` by the caller.
    Stored {
        cache: String,
        file: Option<PathBuf>,
        sha256: Option<String>,
    },
}

/// The shell's half of the "store the records and verify" step: finds what the worker
/// stored in `profile`.
pub fn cache_step(report: &SuccessReport, _profile: &Path) -> CacheStep {
    match &report.cache {
        None => CacheStep::Pending,
        // TODO(Cache API): look up the entry for report.records[0].url in `cache` (the
        // storage crate's cache tables under `_profile`), take its body file, and return it
        // with `file_sha256(&file)`.
        Some(cache) => CacheStep::Stored {
            cache: cache.clone(),
            file: None,
            sha256: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_checksum_is_the_bodys() {
        // An empty body, and one small enough to hash here the plain way.
        assert_eq!(
            expected_sha256(0, 1),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let body: Vec<u8> = (0..3000u64).map(|i| wpt::faults::body_byte(7, i)).collect();
        assert_eq!(expected_sha256(3000, 7), hex(&Sha256::digest(&body)));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("body");
        std::fs::write(&file, &body).unwrap();
        assert_eq!(file_sha256(&file).unwrap(), expected_sha256(3000, 7));
    }
}
