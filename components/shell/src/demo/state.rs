//! What `demo --resume` needs to continue a demo that was killed or quit: the episode and the
//! server's port (the stored fetch's URL names it), in `bgfetch-demo.json` in the profile.
//! Written before the fetch starts, removed once the demo ends (done, failed or cleared).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE: &str = "bgfetch-demo.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoState {
    /// The built-in server's HTTPS port.
    pub port: u16,
    pub size: u64,
    pub seed: u64,
    pub rate: Option<u64>,
}

pub fn path(profile: &Path) -> PathBuf {
    profile.join(FILE)
}

pub fn load(profile: &Path) -> Option<DemoState> {
    let text = std::fs::read_to_string(path(profile)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Written whole or not at all (a temporary file renamed over it).
pub fn save(profile: &Path, state: &DemoState) -> std::io::Result<()> {
    let tmp = profile.join(format!("{FILE}.tmp"));
    let text = serde_json::to_string_pretty(state).map_err(std::io::Error::other)?;
    storage::private::write(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, path(profile))
}

pub fn remove(profile: &Path) {
    let _ = std::fs::remove_file(path(profile));
}
