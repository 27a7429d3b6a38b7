//! The demo's last phase: where the episode's bytes are and whether they are the right ones.
//!
//! The checksum the demo prints is the SHA-256 of the episode as the server sends it
//! ([`expected_sha256`], computed streaming while the download runs: the body is
//! deterministic). The service worker's "store the records" step (`storeRecords` in
//! `demo-site/sw.js`) puts each record into the Cache API's "episodes" cache, as real
//! offline apps do; [`cache_step`] then reads the stored response back from the profile
//! (through [`Engine::cached_response`]) and hashes its body, which the summary compares
//! with the expected checksum.

use engine::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;

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

/// SHA-256 (hex) of what `file` reads, a megabyte at a time.
pub fn read_sha256(mut file: impl Read) -> std::io::Result<String> {
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
    /// The cache the records went into.
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
    /// The worker put the first record into `cache`; its stored body has `len` bytes with
    /// this SHA-256.
    Stored {
        cache: String,
        len: u64,
        sha256: String,
    },
    /// The worker did not store it, or the stored response cannot be read back: why.
    Missing(String),
}

/// The shell's half of the "store the records and verify" step: reads back from the
/// profile's cache storage what the worker says it stored, and hashes the body.
pub fn cache_step(report: &SuccessReport, engine: &Engine, origin: &str) -> CacheStep {
    let Some(cache) = &report.cache else {
        return CacheStep::Missing("the service worker stored nothing".into());
    };
    let Some(record) = report.records.first() else {
        return CacheStep::Missing("the service worker reported no records".into());
    };
    let stored = match engine.cached_response(origin, cache, &record.url) {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            return CacheStep::Missing(format!("cache \"{cache}\" has no entry for {}", record.url))
        }
        Err(e) => return CacheStep::Missing(e.to_string()),
    };
    let Some(body) = stored.body else {
        return CacheStep::Missing(format!("cache \"{cache}\" holds a null body"));
    };
    match read_sha256(body) {
        Ok(sha256) => CacheStep::Stored {
            cache: cache.clone(),
            len: stored.body_len.unwrap_or(0),
            sha256,
        },
        Err(e) => CacheStep::Missing(format!("reading cache \"{cache}\": {e}")),
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
        assert_eq!(read_sha256(&body[..]).unwrap(), expected_sha256(3000, 7));
    }
}
