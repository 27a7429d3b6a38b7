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

/// The section name of a test id: the last segment of its path, with the query
/// (`/a/x.any.html?p=/b` -> `x.any.html?p=/b`), as wptrunner names them.
pub fn section_name(id: &str) -> String {
    let (path, query) = match id.find('?') {
        Some(q) => id.split_at(q),
        None => (id, ""),
    };
    let last = path.rsplit('/').next().unwrap_or(path);
    format!("{last}{query}")
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

/// Decodes wptmanifest escapes: `\n \t \r \a \b \f \v \0`, `\xNN`, `\uNNNN`,
/// `\UNNNNNN`; any other escaped character stands for itself (`\]`, `\\`, `\#`).
fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            return Err("a lone backslash at the end".into());
        };
        let hex = |chars: &mut std::str::Chars, n: usize| -> Result<char, String> {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .filter(|_| digits.len() == n)
                .and_then(char::from_u32)
                .ok_or(format!("bad escape \\{e}{digits}"))
        };
        out.push(match e {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'v' => '\x0b',
            '0' => '\0',
            'x' => hex(&mut chars, 2)?,
            'u' => hex(&mut chars, 4)?,
            'U' => hex(&mut chars, 6)?,
            other => other,
        });
    }
    Ok(out)
}

/// Escapes a section name as wptmanifest's serializer does: `\`, `]`, and control characters.
fn escape_section(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ']' => out.push_str("\\]"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// The text of a value line without its comment (an unescaped `#`).
fn strip_comment(line: &str) -> &str {
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '#' if !escaped => return &line[..i],
            _ => escaped = false,
        }
    }
    line
}

/// The heading of a `[section]` line (its text between the brackets, undecoded), if it is one.
fn heading(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ']' if !escaped => {
                let rest = strip_comment(&inner[i + 1..]);
                return rest.trim().is_empty().then_some(&inner[..i]);
            }
            _ => escaped = false,
        }
    }
    None
}

/// A parsed .ini file: keys at the top (before any section; for `__dir__.ini`) and sections.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IniFile {
    /// `disabled:` at the top level: every test the file covers is skipped.
    pub disabled: Option<String>,
    pub tests: BTreeMap<String, TestExpectation>,
}

/// Parses one .ini file into expectations by section name.
pub fn parse(text: &str) -> Result<BTreeMap<String, TestExpectation>, String> {
    parse_file(text).map(|f| f.tests)
}

/// Parses an .ini file, top-level keys included.
pub fn parse_file(text: &str) -> Result<IniFile, String> {
    let mut out = IniFile::default();
    let mut test: Option<String> = None;
    let mut subtest: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(h) = heading(line) {
            let name = unescape(h).map_err(|e| format!("line {line_no}: {e}"))?;
            if indent == 0 {
                out.tests.entry(name.clone()).or_default();
                test = Some(name);
                subtest = None;
            } else {
                let t = test
                    .as_ref()
                    .ok_or(format!("line {line_no}: subtest outside a test"))?;
                if let Some(e) = out.tests.get_mut(t) {
                    e.subtests.entry(name.clone()).or_default();
                }
                subtest = Some(name);
            }
            continue;
        }
        let line = strip_comment(line).trim_end();
        let (key, value) = line
            .split_once(':')
            .ok_or(format!("line {line_no}: expected `key: value`"))?;
        if value.trim().is_empty() || value.trim_start().starts_with("if ") {
            return Err(format!(
                "line {line_no}: conditional expectations are not supported"
            ));
        }
        let key = key.trim();
        let Some(t) = test.as_ref() else {
            // Top-level keys (before any section): `disabled` applies to the whole file; others
            // (`bug`, `tags`, ...) do not change results.
            if key == "disabled" {
                out.disabled = Some(value.trim().to_string());
            }
            continue;
        };
        let Some(entry) = out.tests.get_mut(t) else {
            continue;
        };
        let in_subtest = subtest.is_some() && indent > 2;
        match (key, in_subtest) {
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

/// Reads the expectations of one test file (all its variants), if any. A top-level
/// `disabled:` in the file or in a `__dir__.ini` of its folder or any folder above disables
/// every variant.
pub fn load(
    meta_dir: &Path,
    test_script: &str,
) -> Result<BTreeMap<String, TestExpectation>, String> {
    let path = ini_path(meta_dir, test_script);
    let read = |path: &Path| -> Result<Option<IniFile>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => parse_file(&text)
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display())),
            Err(_) => Ok(None),
        }
    };
    let file = read(&path)?.unwrap_or_default();
    let mut disabled = file.disabled.clone();
    let rel = test_script.trim_start_matches('/');
    let mut dir = Path::new(rel).parent();
    while disabled.is_none() {
        let Some(d) = dir else { break };
        if let Some(f) = read(&meta_dir.join(d).join("__dir__.ini"))? {
            disabled = f.disabled;
        }
        dir = d.parent();
    }
    let mut tests = file.tests;
    if let Some(reason) = disabled {
        tests.insert(
            WHOLE_FILE.into(),
            TestExpectation {
                disabled: Some(reason),
                ..Default::default()
            },
        );
    }
    Ok(tests)
}

/// The key under which [`load`] records a whole-file or whole-folder `disabled:`.
pub const WHOLE_FILE: &str = "";

/// The expectation of the variant `id` in a loaded file: its own section, or the whole file's
/// `disabled:`.
pub fn for_variant<'a>(
    file: &'a BTreeMap<String, TestExpectation>,
    id: &str,
) -> Option<&'a TestExpectation> {
    file.get(&section_name(id)).or_else(|| file.get(WHOLE_FILE))
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

/// The .ini text after a run: the sections of `previous` for variants that did not run are
/// kept as they were, disabled sections too; each variant that ran gets a section expecting
/// exactly its results, or none when everything passed. `None` when nothing is left.
pub fn render(
    results: &[&FileResult],
    previous: &BTreeMap<String, TestExpectation>,
) -> Option<String> {
    let mut sections: BTreeMap<String, TestExpectation> = previous
        .iter()
        .filter(|(name, _)| name.as_str() != WHOLE_FILE)
        .map(|(n, e)| (n.clone(), e.clone()))
        .collect();
    for r in results {
        let name = section_name(&r.id);
        if r.status == FileStatus::Skip || previous.get(&name).is_some_and(|e| e.disabled.is_some())
        {
            continue;
        }
        let subtests: BTreeMap<String, Vec<String>> = r
            .subtests
            .iter()
            .filter(|s| s.status != SubtestStatus::Pass)
            .map(|s| (s.name.clone(), vec![s.status.as_str().to_string()]))
            .collect();
        if r.status == FileStatus::Ok && subtests.is_empty() {
            sections.remove(&name);
            continue;
        }
        let expected = if r.status == FileStatus::Ok {
            Vec::new()
        } else {
            vec![r.status.as_str().to_string()]
        };
        sections.insert(
            name,
            TestExpectation {
                expected,
                disabled: None,
                subtests,
            },
        );
    }
    let mut text = String::new();
    for (name, e) in &sections {
        text.push_str(&format!("[{}]\n", escape_section(name)));
        if let Some(reason) = &e.disabled {
            text.push_str(&format!("  disabled: {reason}\n"));
        }
        match e.expected.as_slice() {
            [] => {}
            [one] => text.push_str(&format!("  expected: {one}\n")),
            many => text.push_str(&format!("  expected: [{}]\n", many.join(", "))),
        }
        for (sub, expected) in &e.subtests {
            if expected.is_empty() {
                continue;
            }
            text.push_str(&format!("  [{}]\n", escape_section(sub)));
            match expected.as_slice() {
                [one] => text.push_str(&format!("    expected: {one}\n")),
                many => text.push_str(&format!("    expected: [{}]\n", many.join(", "))),
            }
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

    #[test]
    fn escapes_round_trip() {
        let names = [
            "a ] b",
            "back\\slash",
            "new\nline\ttab",
            "bell\x07\x01",
            "hash # x",
            "[x]",
        ];
        let result = FileResult {
            id: "/t/x.window.html".into(),
            status: FileStatus::Ok,
            message: None,
            subtests: names
                .iter()
                .map(|n| SubtestResult {
                    name: n.to_string(),
                    status: SubtestStatus::Fail,
                    message: None,
                })
                .collect(),
            duration: Duration::ZERO,
        };
        let text = render(&[&result], &BTreeMap::new()).unwrap();
        assert!(text.lines().count() == 1 + 2 * names.len(), "{text}");
        let parsed = parse(&text).unwrap();
        let t = &parsed["x.window.html"];
        for n in names {
            assert_eq!(t.subtests[n], ["FAIL"], "{n:?} in {text}");
        }
        // wptmanifest's other escapes and comments.
        let e = parse("[a\\x41\\u00e9]  # c\n  expected: FAIL # flaky\n").unwrap();
        assert_eq!(e["aA\u{e9}"].expected, ["FAIL"]);
        assert!(parse("[a\\xZZ]\n").is_err());
    }

    #[test]
    fn section_names_keep_queries() {
        assert_eq!(section_name("/a/x.any.html?p=/b"), "x.any.html?p=/b");
        assert_eq!(section_name("/a/x.any.worker.html"), "x.any.worker.html");
    }

    #[test]
    fn render_keeps_variants_that_did_not_run() {
        let previous = parse(
            "[x.any.html]\n  [a]\n    expected: FAIL\n[x.any.worker.html]\n  [a]\n    expected: FAIL\n",
        )
        .unwrap();
        let ran = FileResult {
            id: "/d/x.any.worker.html".into(),
            status: FileStatus::Ok,
            message: None,
            subtests: vec![SubtestResult {
                name: "a".into(),
                status: SubtestStatus::Pass,
                message: None,
            }],
            duration: Duration::ZERO,
        };
        let text = render(&[&ran], &previous).unwrap();
        let again = parse(&text).unwrap();
        assert!(again.contains_key("x.any.html"), "{text}");
        assert!(!again.contains_key("x.any.worker.html"), "{text}");
        // When the last failing variant passes, nothing is left.
        let only = parse("[x.any.worker.html]\n  [a]\n    expected: FAIL\n").unwrap();
        assert_eq!(render(&[&ran], &only), None);
    }

    #[test]
    fn dir_ini_disables_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(
            dir.path().join("a/__dir__.ini"),
            "disabled: needs workers\n",
        )
        .unwrap();
        let e = load(dir.path(), "/a/b/x.any.js").unwrap();
        assert_eq!(
            for_variant(&e, "/a/b/x.any.html").and_then(|e| e.disabled.as_deref()),
            Some("needs workers")
        );
        let e = load(dir.path(), "/c/x.any.js").unwrap();
        assert!(for_variant(&e, "/c/x.any.html").is_none());
    }
}
