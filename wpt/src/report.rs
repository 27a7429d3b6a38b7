//! Results: testharness.js statuses, the completion report our testharnessreport.js sends,
//! and the wptreport JSON that wpt.fyi accepts.

use std::time::Duration;

/// A test file's harness status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileStatus {
    Ok,
    Error,
    Timeout,
    PreconditionFailed,
    Crash,
    Skip,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "OK",
            FileStatus::Error => "ERROR",
            FileStatus::Timeout => "TIMEOUT",
            FileStatus::PreconditionFailed => "PRECONDITION_FAILED",
            FileStatus::Crash => "CRASH",
            FileStatus::Skip => "SKIP",
        }
    }
    pub fn parse(s: &str) -> Option<FileStatus> {
        Some(match s {
            "OK" => FileStatus::Ok,
            "ERROR" => FileStatus::Error,
            "TIMEOUT" => FileStatus::Timeout,
            "PRECONDITION_FAILED" => FileStatus::PreconditionFailed,
            "CRASH" => FileStatus::Crash,
            "SKIP" => FileStatus::Skip,
            _ => return None,
        })
    }
    /// testharness.js's harness status numbers.
    fn from_harness(n: i64) -> FileStatus {
        match n {
            0 => FileStatus::Ok,
            2 => FileStatus::Timeout,
            3 => FileStatus::PreconditionFailed,
            _ => FileStatus::Error,
        }
    }
}

/// A subtest's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubtestStatus {
    Pass,
    Fail,
    Timeout,
    NotRun,
    PreconditionFailed,
}

impl SubtestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubtestStatus::Pass => "PASS",
            SubtestStatus::Fail => "FAIL",
            SubtestStatus::Timeout => "TIMEOUT",
            SubtestStatus::NotRun => "NOTRUN",
            SubtestStatus::PreconditionFailed => "PRECONDITION_FAILED",
        }
    }
    pub fn parse(s: &str) -> Option<SubtestStatus> {
        Some(match s {
            "PASS" => SubtestStatus::Pass,
            "FAIL" => SubtestStatus::Fail,
            "TIMEOUT" => SubtestStatus::Timeout,
            "NOTRUN" => SubtestStatus::NotRun,
            "PRECONDITION_FAILED" => SubtestStatus::PreconditionFailed,
            _ => return None,
        })
    }
    /// testharness.js's test status numbers.
    fn from_harness(n: i64) -> SubtestStatus {
        match n {
            0 => SubtestStatus::Pass,
            2 => SubtestStatus::Timeout,
            3 => SubtestStatus::NotRun,
            4 => SubtestStatus::PreconditionFailed,
            _ => SubtestStatus::Fail,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SubtestResult {
    pub name: String,
    pub status: SubtestStatus,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FileResult {
    pub id: String,
    pub status: FileStatus,
    pub message: Option<String>,
    pub subtests: Vec<SubtestResult>,
    pub duration: Duration,
}

impl FileResult {
    pub fn harness(id: String, status: FileStatus, message: &str) -> FileResult {
        FileResult {
            id,
            status,
            message: Some(message.to_string()),
            subtests: Vec::new(),
            duration: Duration::ZERO,
        }
    }
}

/// Reads the JSON our testharnessreport.js sends at completion.
pub fn parse_completion(id: &str, json: &str) -> Result<FileResult, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let status = FileStatus::from_harness(v.get("status").and_then(|s| s.as_i64()).unwrap_or(1));
    let message = v
        .get("message")
        .and_then(|m| m.as_str())
        .map(str::to_string);
    let subtests = v
        .get("tests")
        .and_then(|t| t.as_array())
        .map(|tests| {
            tests
                .iter()
                .map(|t| SubtestResult {
                    name: t
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string(),
                    status: SubtestStatus::from_harness(
                        t.get("status").and_then(|s| s.as_i64()).unwrap_or(1),
                    ),
                    message: t
                        .get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(FileResult {
        id: id.to_string(),
        status,
        message,
        subtests,
        duration: Duration::ZERO,
    })
}

/// The wptreport JSON of a run (the format wpt.fyi ingests).
pub fn wptreport(
    results: &[FileResult],
    time_start_ms: u128,
    time_end_ms: u128,
    revision: &str,
) -> serde_json::Value {
    use serde_json::json;
    let results: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            json!({
                "test": r.id,
                "status": r.status.as_str(),
                "message": r.message,
                "duration": r.duration.as_millis() as u64,
                "subtests": r.subtests.iter().map(|s| json!({
                    "name": s.name,
                    "status": s.status.as_str(),
                    "message": s.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "time_start": time_start_ms as u64,
        "time_end": time_end_ms as u64,
        "run_info": {
            "product": "bgfetch",
            "revision": revision,
            "browser_version": env!("CARGO_PKG_VERSION"),
            "os": std::env::consts::OS,
            "processor": std::env::consts::ARCH,
        },
        "results": results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_report() {
        let r = parse_completion(
            "/a.any.html",
            r#"{"status":0,"message":null,"tests":[{"name":"x","status":0,"message":null},{"name":"y","status":1,"message":"assert_true: nope"},{"name":"z","status":3}]}"#,
        )
        .unwrap();
        assert_eq!(r.status, FileStatus::Ok);
        assert_eq!(r.subtests.len(), 3);
        assert_eq!(r.subtests[1].status, SubtestStatus::Fail);
        assert_eq!(r.subtests[1].message.as_deref(), Some("assert_true: nope"));
        assert_eq!(r.subtests[2].status, SubtestStatus::NotRun);
        let report = wptreport(&[r], 1, 2, "abc");
        assert_eq!(report["run_info"]["revision"], "abc");
        assert_eq!(report["results"][0]["subtests"][1]["status"], "FAIL");
        assert_eq!(report["results"][0]["status"], "OK");
    }
}
