//! The testharness.js runner end to end: a small test root written here, run in the engine
//! with the real testharness.js (from `scripts/setup-harness`), results compared with
//! expectations, a wptreport written, `update` rewriting the expectations.

use std::path::{Path, PathBuf};
use wpt::report::{FileStatus, SubtestStatus};
use wpt::SuiteOptions;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn harness_dir() -> PathBuf {
    let dir = wpt::default_harness_dir();
    assert!(
        dir.join("testharness.js").is_file(),
        "testharness.js is not in {}: run scripts/setup-harness (scripts/test-all does)",
        dir.display()
    );
    dir
}

fn options(root: &Path, meta: &Path) -> SuiteOptions {
    SuiteOptions {
        root: root.to_path_buf(),
        paths: Vec::new(),
        include: Vec::new(),
        jobs: 2,
        // 10 s per file in the runner; the timeout test need not wait that long.
        timeout_multiplier: 0.2,
        meta_dir: meta.to_path_buf(),
        harness_dir: Some(harness_dir()),
        wptreport: None,
        verbose: false,
        update: false,
    }
}

fn suite() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "tests/pass.any.js",
        "// META: global=window,dedicatedworker\n// META: script=/tests/support.js\n\
         test(() => assert_equals(helper(), 42), 'helper from META script');\n\
         test(() => assert_equals(typeof GLOBAL.isWindow, 'function'), 'GLOBAL defined');\n\
         promise_test(async () => { await new Promise(r => setTimeout(r, 5)); }, 'async');\n",
    );
    write(r, "tests/support.js", "function helper() { return 42; }\n");
    write(
        r,
        "tests/fail.window.js",
        "test(() => {}, 'passes');\n\
         test(() => assert_equals(1, 2, 'one is not two'), 'fails');\n",
    );
    write(
        r,
        "tests/hang.window.js",
        "async_test(t => {}, 'never finishes');\n",
    );
    write(
        r,
        "tests/error.window.js",
        "throw new Error('top-level boom');\n",
    );
    write(
        r,
        "tests/odd-names.window.js",
        "test(() => {}, 'lone \\uD800 surrogate');\n",
    );
    write(
        r,
        "tests/self.worker.js",
        "importScripts('/resources/testharness.js');\n\
         test(() => assert_true(self instanceof DedicatedWorkerGlobalScope), 'in a worker');\n\
         done();\n",
    );
    write(
        r,
        "tests/permission.window.js",
        "promise_test(() => test_driver.set_permission({name: 'background-fetch'}, 'granted'),\n\
           'set_permission granted');\n\
         promise_test(t => promise_rejects_js(t, Error,\n\
           test_driver.set_permission({name: 'background-fetch'}, 'sideways')),\n\
           'set_permission refuses an unknown state');\n",
    );
    dir
}

fn by_id<'a>(results: &'a [wpt::report::FileResult], id: &str) -> &'a wpt::report::FileResult {
    results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

#[test]
fn runs_reports_and_compares_with_expectations() {
    let dir = suite();
    let root = dir.path();
    let meta = root.join("meta");
    let report_path = root.join("report.json");
    let mut opts = options(root, &meta);
    opts.wptreport = Some(report_path.clone());
    let mut out = Vec::new();
    let summary = wpt::run_suite(&opts, &mut out).expect("the run starts");
    let out = String::from_utf8(out).unwrap();

    // Every variant ran.
    assert_eq!(summary.files, 8, "{out}");
    let r = &summary.results;
    for id in ["/tests/pass.any.html", "/tests/pass.any.worker.html"] {
        let p = by_id(r, id);
        assert_eq!(p.status, FileStatus::Ok, "{id}: {p:?}");
        assert_eq!(p.subtests.len(), 3, "{id}: {p:?}");
        assert!(
            p.subtests.iter().all(|s| s.status == SubtestStatus::Pass),
            "{p:?}"
        );
    }
    let f = by_id(r, "/tests/fail.window.html");
    assert_eq!(f.status, FileStatus::Ok);
    assert_eq!(f.subtests[0].status, SubtestStatus::Pass);
    assert_eq!(f.subtests[1].status, SubtestStatus::Fail);
    assert!(f.subtests[1]
        .message
        .as_deref()
        .unwrap()
        .contains("one is not two"));
    let h = by_id(r, "/tests/hang.window.html");
    assert_eq!(h.status, FileStatus::Timeout, "{h:?}");
    assert_eq!(h.subtests[0].status, SubtestStatus::Timeout);
    let e = by_id(r, "/tests/error.window.html");
    assert_eq!(e.status, FileStatus::Error, "{e:?}");
    assert!(
        e.message.as_deref().unwrap().contains("top-level boom"),
        "{e:?}"
    );
    let p = by_id(r, "/tests/permission.window.html");
    assert!(
        p.subtests.iter().all(|s| s.status == SubtestStatus::Pass),
        "{p:?}"
    );

    // The output: a line per file, the unexpected subtests with their messages, the summary.
    assert!(out.contains("OK       /tests/pass.any.html (3/3)"), "{out}");
    assert!(
        out.contains("FAIL (expected PASS) fails: assert_equals: one is not two"),
        "{out}"
    );
    // A name with a lone surrogate still reports (as wptrunner writes it).
    let odd = by_id(r, "/tests/odd-names.window.html");
    assert_eq!(odd.subtests[0].name, "lone U+d800 surrogate", "{odd:?}");
    // A .worker.js test runs in a dedicated worker its page creates; its results reach the
    // page's harness through fetch_tests_from_worker.
    let w = by_id(r, "/tests/self.worker.html");
    assert_eq!(w.status, FileStatus::Ok, "{w:?}");
    assert_eq!(w.subtests.len(), 1, "{w:?}");
    assert_eq!(w.subtests[0].status, SubtestStatus::Pass, "{w:?}");
    let passed = 3 + 3 + 1 + 2 + 1 + 1;
    // a FAIL, a TIMEOUT subtest, the TIMEOUT and ERROR files
    let failed = 1 + 1 + 1 + 1;
    assert_eq!((summary.passed, summary.failed), (passed, failed), "{out}");
    assert!(
        out.contains(&format!("{passed} passed, {failed} failed")),
        "{out}"
    );
    assert_eq!(summary.exit_code(false), 1);

    // The wptreport.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    assert!(report["run_info"]["revision"].is_string());
    let fail = results
        .iter()
        .find(|r| r["test"] == "/tests/fail.window.html")
        .unwrap();
    assert_eq!(fail["status"], "OK");
    assert_eq!(fail["subtests"][1]["name"], "fails");
    assert_eq!(fail["subtests"][1]["status"], "FAIL");
    assert!(report["time_start"].as_u64().unwrap() <= report["time_end"].as_u64().unwrap());
    assert_eq!(report["run_info"]["product"], "bgfetch");

    // Expectations written by hand hold the line.
    write(
        &meta,
        "tests/fail.window.js.ini",
        "[fail.window.html]\n  [fails]\n    expected: FAIL\n",
    );
    write(
        &meta,
        "tests/hang.window.js.ini",
        "[hang.window.html]\n  expected: TIMEOUT\n  [never finishes]\n    expected: TIMEOUT\n",
    );
    write(
        &meta,
        "tests/error.window.js.ini",
        "[error.window.html]\n  expected: ERROR\n",
    );
    let summary = wpt::run_suite(&options(root, &meta), &mut Vec::new()).unwrap();
    assert!(summary.unexpected.is_empty(), "{:?}", summary.unexpected);
    assert_eq!(summary.exit_code(false), 0);

    // A test that starts passing is unexpected too (PASS where FAIL was expected).
    write(
        root,
        "tests/fail.window.js",
        "test(() => {}, 'passes');\ntest(() => {}, 'fails');\n",
    );
    let summary = wpt::run_suite(&options(root, &meta), &mut Vec::new()).unwrap();
    assert_eq!(summary.unexpected.len(), 1, "{:?}", summary.unexpected);
    assert_eq!(summary.unexpected[0].status, "PASS");
}

#[test]
fn update_rewrites_expectations_from_a_run() {
    let dir = suite();
    let root = dir.path();
    let meta = root.join("meta");
    write(
        &meta,
        "tests/pass.any.js.ini",
        "[pass.any.html]\n  [async]\n    expected: FAIL\n",
    );
    let mut opts = options(root, &meta);
    opts.update = true;
    let summary = wpt::run_suite(&opts, &mut Vec::new()).unwrap();
    assert_eq!(summary.exit_code(true), 0);
    // Everything in pass.any.js passes now: its file is gone.
    assert!(!meta.join("tests/pass.any.js.ini").exists());
    let fail = std::fs::read_to_string(meta.join("tests/fail.window.js.ini")).unwrap();
    assert!(fail.contains("[fail.window.html]"), "{fail}");
    assert!(fail.contains("  [fails]\n    expected: FAIL"), "{fail}");
    assert!(!fail.contains("[passes]"), "{fail}");
    let hang = std::fs::read_to_string(meta.join("tests/hang.window.js.ini")).unwrap();
    assert!(hang.contains("  expected: TIMEOUT"), "{hang}");
    // The rewritten files make the next run clean.
    let summary = wpt::run_suite(&options(root, &meta), &mut Vec::new()).unwrap();
    assert!(summary.unexpected.is_empty(), "{:?}", summary.unexpected);

    // An update of some variants keeps the others' sections.
    write(
        &meta,
        "tests/pass.any.js.ini",
        "[pass.any.html]\n  [async]\n    expected: FAIL\n[pass.any.worker.html]\n  [async]\n    expected: FAIL\n",
    );
    let mut opts = options(root, &meta);
    opts.update = true;
    opts.include = vec!["pass.any.worker".into()];
    wpt::run_suite(&opts, &mut Vec::new()).unwrap();
    let pass = std::fs::read_to_string(meta.join("tests/pass.any.js.ini")).unwrap();
    assert_eq!(pass, "[pass.any.html]\n  [async]\n    expected: FAIL\n");
}

#[test]
fn disabled_tests_are_skipped_and_paths_filter() {
    let dir = suite();
    let root = dir.path();
    let meta = root.join("meta");
    write(
        &meta,
        "tests/hang.window.js.ini",
        "[hang.window.html]\n  disabled: waits for nothing\n",
    );
    let mut opts = options(root, &meta);
    opts.paths = vec!["tests/hang.window.js".into(), "tests/pass.any.js".into()];
    let mut out = Vec::new();
    let summary = wpt::run_suite(&opts, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(summary.files, 3, "{out}");
    assert_eq!(summary.skipped, 1, "{out}");
    assert!(out.contains(", 1 skipped"), "{out}");
    assert!(summary.unexpected.is_empty(), "{:?}", summary.unexpected);
    // --include narrows by id.
    let mut opts = options(root, &meta);
    opts.include = vec!["any.worker".into()];
    let summary = wpt::run_suite(&opts, &mut Vec::new()).unwrap();
    assert_eq!(summary.files, 1);
}

#[test]
fn environment_problems_are_clear_errors() {
    let dir = suite();
    let root = dir.path();
    let mut opts = options(root, &root.join("meta"));
    opts.harness_dir = Some(root.join("nowhere"));
    let err = wpt::run_suite(&opts, &mut Vec::new()).unwrap_err();
    assert!(err.contains("scripts/setup-harness"), "{err}");
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300] {
        let mut opts = options(root, &root.join("meta"));
        opts.timeout_multiplier = bad;
        let err = wpt::run_suite(&opts, &mut Vec::new()).unwrap_err();
        assert!(err.contains("timeout multiplier"), "{err}");
    }
    let mut opts = options(root, &root.join("meta"));
    opts.paths = vec!["no/such/dir".into()];
    let err = wpt::run_suite(&opts, &mut Vec::new()).unwrap_err();
    assert!(err.contains("no tests found"), "{err}");
    write(
        root,
        "meta/tests/pass.any.js.ini",
        "[pass.any.html]\n  expected:\n    if os == \"linux\": FAIL\n",
    );
    let opts = options(root, &root.join("meta"));
    let err = wpt::run_suite(&opts, &mut Vec::new()).unwrap_err();
    assert!(err.contains("conditional"), "{err}");
}

/// Each test file runs in its own profile: files that make blob URLs, ports, workers and
/// service workers side by side give the same results with four jobs as with one (nothing
/// leaks from one file's profile into another's).
#[test]
fn parallel_files_share_nothing() {
    let root = wpt::own_tests_dir();
    let meta = tempfile::tempdir().unwrap();
    let results = |jobs: usize| {
        let mut opts = options(&root, meta.path());
        opts.jobs = jobs;
        opts.timeout_multiplier = 1.0;
        opts.paths = ["FileAPI", "webmessaging", "workers", "html/system-state"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let summary = wpt::run_suite(&opts, &mut Vec::new()).expect("the run starts");
        let mut flat: Vec<(String, String, String)> = summary
            .results
            .iter()
            .flat_map(|f| {
                let file = (f.id.clone(), String::new(), format!("{:?}", f.status));
                std::iter::once(file).chain(
                    f.subtests
                        .iter()
                        .map(|s| (f.id.clone(), s.name.clone(), format!("{:?}", s.status))),
                )
            })
            .collect();
        flat.sort();
        flat
    };
    let one = results(1);
    assert!(one.len() > 20, "the directories ran: {one:?}");
    assert_eq!(one, results(4));
}
