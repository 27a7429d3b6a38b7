//! Expectations in wptrunner's metadata format: `wpt/meta/<test file path>.ini`, e.g.
//! `wpt/meta/background-fetch/fetch.https.window.js.ini`:
//!
//! ```ini
//! [fetch.https.window.html]
//!   expected: ERROR
//!   [Subtest name]
//!     expected: FAIL
//! ```
//!
//! Top-level sections are test ids' last path segment; nested sections (indented) are
//! subtests. `expected:` is a status or a list `[PASS, FAIL]`; `disabled: reason` skips the
//! test. Without a file, everything is expected to pass (file OK, subtests PASS).
//! Conditional values (`if os == "linux": FAIL`) are not supported and are reported.

use crate::report::{FileResult, FileStatus, SubtestStatus};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestExpectation {
    pub expected: Vec<String>,
    pub disabled: Option<String>,
    /// Subtest name -> expected statuses.
    pub subtests: BTreeMap<String, Vec<String>>,
}

/// The .ini path for a test id (`/dir/name.any.worker.html` -> `meta/dir/name.any.js.ini`).
pub fn ini_path(meta_dir: &Path, test_script: &str) -> PathBuf {
    let rel = test_script.trim_start_matches('/');
    meta_dir.join(format!("{rel}.ini"))
}

/// The section name of a test id: its last path segment (with the query).
pub fn section_name(id: &str) -> String {
    id.rsplit('/').next().unwrap_or(id).to_string()
}

fn values(v: &str) -> Vec<String> {
    let v = v.trim();
    if let Some(list) = v.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
        list.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        vec![v.to_string()]
    }
}

/// Unescapes a section name (`\]` and `\\`).
fn section(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn escape_section(s: &str) -> String {
    s.replace('\\', "\\\\").replace(']', "\\]")
}

/// Parses one .ini file into expectations by section name.
pub fn parse(text: &str) -> Result<BTreeMap<String, TestExpectation>, String> {
    let mut out: BTreeMap<String, TestExpectation> = BTreeMap::new();
    let mut test: Option<String> = None;
    let mut subtest: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line.starts_with('[') && line.ends_with(']') {
            let name = section(&line[1..line.len() - 1]);
            if indent == 0 {
                out.entry(name.clone()).or_default();
                test = Some(name);
                subtest = None;
            } else {
                let t = test
                    .as_ref()
                    .ok_or(format!("line {line_no}: subtest outside a test"))?;
                out.get_mut(t)
                    .unwrap()
                    .subtests
                    .entry(name.clone())
                    .or_default();
                subtest = Some(name);
            }
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or(format!("line {line_no}: expected `key: value`"))?;
        if value.trim().is_empty() || value.trim_start().starts_with("if ") {
            return Err(format!(
                "line {line_no}: conditional expectations are not supported"
            ));
        }
        let t = test
            .as_ref()
            .ok_or(format!("line {line_no}: key outside a section"))?;
        let entry = out.get_mut(t).unwrap();
        let in_subtest = subtest.is_some() && indent > 2;
        match (key.trim(), in_subtest) {
            ("expected", false) => entry.expected = values(value),
            ("expected", true) => {
                entry
                    .subtests
                    .insert(subtest.clone().unwrap_or_default(), values(value));
            }
            ("disabled", false) => entry.disabled = Some(value.trim().to_string()),
            _ => {}
        }
    }
    Ok(out)
}

/// Reads the expectations of one test file (all its variants), if any.
pub fn load(
    meta_dir: &Path,
    test_script: &str,
) -> Result<BTreeMap<String, TestExpectation>, String> {
    let path = ini_path(meta_dir, test_script);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(_) => Ok(BTreeMap::new()),
    }
}

/// An observed result that the expectations did not allow.
#[derive(Clone, Debug, PartialEq)]
pub struct Unexpected {
    pub test: String,
    pub subtest: Option<String>,
    pub status: String,
    pub expected: Vec<String>,
    pub message: Option<String>,
}

/// Compares a result with its expectation (`None`: everything passes).
pub fn unexpected(result: &FileResult, expectation: Option<&TestExpectation>) -> Vec<Unexpected> {
    let mut out = Vec::new();
    let file_expected = expectation
        .filter(|e| !e.expected.is_empty())
        .map(|e| e.expected.clone())
        .unwrap_or_else(|| vec![FileStatus::Ok.as_str().to_string()]);
    if !file_expected.iter().any(|e| e == result.status.as_str()) {
        out.push(Unexpected {
            test: result.id.clone(),
            subtest: None,
            status: result.status.as_str().into(),
            expected: file_expected,
            message: result.message.clone(),
        });
    }
    for s in &result.subtests {
        let expected = expectation
            .and_then(|e| e.subtests.get(&s.name))
            .cloned()
            .unwrap_or_else(|| vec![SubtestStatus::Pass.as_str().to_string()]);
        if !expected.iter().any(|e| e == s.status.as_str()) {
            out.push(Unexpected {
                test: result.id.clone(),
                subtest: Some(s.name.clone()),
                status: s.status.as_str().into(),
                expected,
                message: s.message.clone(),
            });
        }
    }
    out
}

/// The .ini text that expects exactly `results` (all variants of one test file); `None` when
/// everything passes (no file needed). Disabled sections in `previous` are kept.
pub fn render(
    results: &[&FileResult],
    previous: &BTreeMap<String, TestExpectation>,
) -> Option<String> {
    let mut text = String::new();
    for (name, e) in previous {
        if let Some(reason) = &e.disabled {
            text.push_str(&format!(
                "[{}]\n  disabled: {reason}\n",
                escape_section(name)
            ));
        }
    }
    for r in results {
        let name = section_name(&r.id);
        if previous.get(&name).is_some_and(|e| e.disabled.is_some()) {
            continue;
        }
        let bad: Vec<_> = r
            .subtests
            .iter()
            .filter(|s| s.status != SubtestStatus::Pass)
            .collect();
        if r.status == FileStatus::Ok && bad.is_empty() {
            continue;
        }
        text.push_str(&format!("[{}]\n", escape_section(&name)));
        if r.status != FileStatus::Ok {
            text.push_str(&format!("  expected: {}\n", r.status.as_str()));
        }
        for s in bad {
            text.push_str(&format!(
                "  [{}]\n    expected: {}\n",
                escape_section(&s.name),
                s.status.as_str()
            ));
        }
    }
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::SubtestResult;
    use std::time::Duration;

    #[test]
    fn parse_and_compare() {
        let e = parse(
            "[fetch.https.window.html]\n  expected: ERROR\n  [a \\] b]\n    expected: [FAIL, TIMEOUT]\n[x.any.worker.html]\n  disabled: needs workers\n",
        )
        .unwrap();
        let t = &e["fetch.https.window.html"];
        assert_eq!(t.expected, ["ERROR"]);
        assert_eq!(t.subtests["a ] b"], ["FAIL", "TIMEOUT"]);
        assert_eq!(
            e["x.any.worker.html"].disabled.as_deref(),
            Some("needs workers")
        );
        let result = FileResult {
            id: "/bf/fetch.https.window.html".into(),
            status: FileStatus::Error,
            message: None,
            subtests: vec![
                SubtestResult {
                    name: "a ] b".into(),
                    status: SubtestStatus::Timeout,
                    message: None,
                },
                SubtestResult {
                    name: "c".into(),
                    status: SubtestStatus::Fail,
                    message: Some("m".into()),
                },
            ],
            duration: Duration::ZERO,
        };
        let u = unexpected(&result, Some(t));
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].subtest.as_deref(), Some("c"));
        assert!(parse("[a]\n  expected:\n    if os == \"linux\": FAIL\n").is_err());
        let rendered = render(&[&result], &BTreeMap::new()).unwrap();
        let again = parse(&rendered).unwrap();
        assert!(unexpected(&result, again.get("fetch.https.window.html")).is_empty());
    }
}
