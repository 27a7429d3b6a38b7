//! How a command fails: bad usage (exit 2) or the job failed (exit 1), each with one line
//! that names the problem.

use std::path::Path;

#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something impossible (exit 2).
    Usage(String),
    /// The job failed (exit 1); the message is printed after `bgfetch: ` (empty: already
    /// reported).
    Job(String),
}

pub type Result<T> = std::result::Result<T, Failure>;

/// A job failure with this message.
pub fn job(message: impl Into<String>) -> Failure {
    Failure::Job(message.into())
}

/// An engine that did not start, as one line about `profile`.
pub fn engine_error(profile: &Path, e: engine::EngineError) -> Failure {
    match e {
        engine::EngineError::ProfileInUse { pid } => profile_in_use(profile, pid),
        other => job(format!("profile {}: {other}", profile.display())),
    }
}

/// The refusal when another process holds the profile.
pub fn profile_in_use(profile: &Path, pid: Option<u32>) -> Failure {
    match pid {
        Some(pid) => job(format!(
            "profile {} in use by pid {pid} (one bgfetch per profile)",
            profile.display()
        )),
        None => job(format!(
            "profile {} in use by another process (one bgfetch per profile)",
            profile.display()
        )),
    }
}
