//! `wpt`: a wptserve-compatible HTTPS server and a testharness.js runner for the engine —
//! the second embedder (after the `bgfetch` shell). It runs the project's own suite
//! (`wpt/tests/`) and, given `--wpt-root`, upstream web-platform-tests.
//!
//! It must not change the system (no hosts file, no trust store): the engine it embeds gets
//! the test CA and a host map through `net::NetworkConfig`.

pub mod certs;
pub mod config;
pub mod expectations;
pub mod faults;
pub mod files;
pub mod handlers;
pub mod harness;
pub mod manifest;
pub mod pipes;
pub mod python;
pub mod report;
pub mod runner;
pub mod server;
pub mod subst;

#[cfg(test)]
#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;
#[cfg(test)]
mod fuzz_tests;

use report::{FileResult, FileStatus, SubtestStatus};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The workspace's own suite.
pub fn own_tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Expectations, of the own suite and of upstream runs alike (test paths do not collide:
/// the own suite never reuses an upstream file name).
/// Where expectations live: `wpt/meta/own` for the own suite, `wpt/meta/upstream` for a run
/// against an upstream checkout (`--wpt-root`), so that updating one never touches the other.
pub fn default_meta_dir(upstream: bool) -> PathBuf {
    let meta = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("meta");
    meta.join(if upstream { "upstream" } else { "own" })
}

/// Where `scripts/setup-harness` puts the npm package wpt-runner's testharness files.
pub fn default_harness_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("BGFETCH_HARNESS_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/wpt-runner/package/testharness")
}

/// A whole run's settings.
#[derive(Clone, Debug)]
pub struct SuiteOptions {
    pub root: PathBuf,
    pub paths: Vec<String>,
    pub include: Vec<String>,
    pub jobs: usize,
    pub timeout_multiplier: f64,
    pub meta_dir: PathBuf,
    pub harness_dir: Option<PathBuf>,
    pub wptreport: Option<PathBuf>,
    pub verbose: bool,
    /// Rewrite the expectation files from the results (`wpt update`).
    pub update: bool,
}

/// What a run found.
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    pub files: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub unexpected: Vec<expectations::Unexpected>,
    pub results: Vec<FileResult>,
}

impl RunSummary {
    /// The process exit code: 0 when every result is what `wpt/meta` expects (or when the
    /// run rewrote the expectations), 1 otherwise. Environment errors are 2 (see main).
    pub fn exit_code(&self, updated: bool) -> u8 {
        if self.unexpected.is_empty() || updated {
            0
        } else {
            1
        }
    }

    pub fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s
    }
}

fn harness_available(options: &SuiteOptions) -> Result<(), String> {
    if options.root.join("resources/testharness.js").is_file() {
        return Ok(());
    }
    match &options.harness_dir {
        Some(d) if d.join("testharness.js").is_file() => Ok(()),
        Some(d) => Err(format!(
            "testharness.js not found in {} (and {} has no resources/testharness.js); \
             install it with `scripts/setup-harness`",
            d.display(),
            options.root.display()
        )),
        None => Err("no testharness.js: pass --wpt-root or run `scripts/setup-harness`".into()),
    }
}

/// Expectations per test script (`/dir/x.any.js`): its loaded expectation file.
type ExpectationFiles = std::collections::BTreeMap<
    String,
    std::collections::BTreeMap<String, expectations::TestExpectation>,
>;

/// Runs the tests and prints as it goes. Errors are about the environment (no harness, no
/// server), not about test results.
pub fn run_suite(options: &SuiteOptions, out: &mut dyn Write) -> Result<RunSummary, String> {
    check_options(options)?;
    let cases = discover_cases(options)?;
    let server = server::Server::start(server::ServerOptions {
        config: config::WptConfig::ephemeral(),
        root: options.root.clone(),
        harness_dir: options.harness_dir.clone(),
    })?;
    let server = Arc::new(server);
    let runner = Arc::new(runner::Runner::new(
        server.clone(),
        runner::RunnerOptions {
            timeout_multiplier: options.timeout_multiplier,
            verbose: options.verbose,
        },
    )?);
    let time_start = now_ms();
    let total = cases.len();
    let _ = writeln!(
        out,
        "wpt: {} test file(s) from {} on {} (https {}, http {})",
        total,
        options.root.display(),
        server.config.browser_host,
        server.config.https_ports[0],
        server.config.http_ports[0]
    );
    let expectation_files = load_expectations(options, &cases)?;
    let (done_rx, workers) = start_workers(&cases, &expectation_files, &runner, options.jobs);
    let mut summary = RunSummary {
        files: total,
        ..Default::default()
    };
    let mut results: Vec<Option<FileResult>> = vec![None; total];
    let mut finished = 0;
    let started = Instant::now();
    for (i, result) in done_rx.iter() {
        finished += 1;
        let case = &cases[i];
        let expectation = expectations::for_variant(&expectation_files[&case.script], &case.id);
        let progress = format!("[{finished:>3}/{total}]");
        count_result(out, &mut summary, &result, expectation, &progress);
        results[i] = Some(result);
    }
    for w in workers {
        let _ = w.join();
    }
    let results = every_result(results, &cases, &mut summary);
    summary.results = results;
    let _ = writeln!(
        out,
        "{} ({} files in {:.1}s{})",
        summary.line(),
        total,
        started.elapsed().as_secs_f64(),
        if summary.unexpected.is_empty() {
            String::new()
        } else {
            format!("; {} unexpected", summary.unexpected.len())
        }
    );
    if let Some(shortfall) = server.python_shortfall() {
        let _ = writeln!(out, "{shortfall}");
    }
    if let Some(path) = &options.wptreport {
        write_wptreport(path, options, &summary, time_start)?;
        let _ = writeln!(out, "wptreport written to {}", path.display());
    }
    if options.update {
        update_expectations(options, &cases, &summary.results, &expectation_files, out)?;
    }
    Ok(summary)
}

/// A timeout multiplier that makes sense, and a testharness.js to serve.
fn check_options(options: &SuiteOptions) -> Result<(), String> {
    if !(options.timeout_multiplier.is_finite()
        && options.timeout_multiplier > 0.0
        && options.timeout_multiplier <= 1000.0)
    {
        return Err(format!(
            "the timeout multiplier must be a number above 0 and at most 1000, not {}",
            options.timeout_multiplier
        ));
    }
    harness_available(options)
}

/// The test cases under the paths asked for, narrowed to `--include`; none is an error.
fn discover_cases(options: &SuiteOptions) -> Result<Vec<manifest::TestCase>, String> {
    let mut cases = manifest::discover(&options.root, &options.paths);
    if !options.include.is_empty() {
        cases.retain(|c| options.include.iter().any(|p| c.id.contains(p.as_str())));
    }
    if cases.is_empty() {
        return Err(format!(
            "no tests found under {} for {:?}",
            options.root.display(),
            options.paths
        ));
    }
    Ok(cases)
}

/// Expectations per test script, loaded once.
fn load_expectations(
    options: &SuiteOptions,
    cases: &[manifest::TestCase],
) -> Result<ExpectationFiles, String> {
    let mut expectation_files = ExpectationFiles::new();
    for c in cases {
        if !expectation_files.contains_key(&c.script) {
            let e = expectations::load(&options.meta_dir, &c.script)?;
            expectation_files.insert(c.script.clone(), e);
        }
    }
    Ok(expectation_files)
}

/// Up to `jobs` worker threads that run the cases (or skip the disabled ones) and send
/// each result with its case's index.
fn start_workers(
    cases: &[manifest::TestCase],
    expectation_files: &ExpectationFiles,
    runner: &Arc<runner::Runner>,
    jobs: usize,
) -> (
    crossbeam_channel::Receiver<(usize, FileResult)>,
    Vec<std::thread::JoinHandle<()>>,
) {
    let (work_tx, work_rx) = crossbeam_channel::unbounded();
    let (done_tx, done_rx) = crossbeam_channel::unbounded();
    for (i, c) in cases.iter().enumerate() {
        let disabled = expectations::for_variant(&expectation_files[&c.script], &c.id)
            .and_then(|e| e.disabled.clone());
        let _ = work_tx.send((i, c.clone(), disabled));
    }
    drop(work_tx);
    let jobs = jobs.max(1).min(cases.len());
    let mut workers = Vec::new();
    for _ in 0..jobs {
        let work_rx = work_rx.clone();
        let done_tx = done_tx.clone();
        let runner = runner.clone();
        workers.push(std::thread::spawn(move || {
            while let Ok((i, case, disabled)) = work_rx.recv() {
                let result = match disabled {
                    Some(reason) => FileResult::harness(case.id.clone(), FileStatus::Skip, &reason),
                    None => run_case(&runner, &case),
                };
                if done_tx.send((i, result)).is_err() {
                    break;
                }
            }
        }));
    }
    (done_rx, workers)
}

/// Runs one case. A panic in the runner or the engine is this file's CRASH, not a lost
/// result (which would misalign `update`).
fn run_case(runner: &runner::Runner, case: &manifest::TestCase) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.run(case))).unwrap_or_else(
        |panic| {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            FileResult::harness(
                case.id.clone(),
                FileStatus::Crash,
                &format!("the runner panicked: {what}"),
            )
        },
    )
}

/// Prints one file's result (with what was unexpected in it) and adds it to the summary.
fn count_result(
    out: &mut dyn Write,
    summary: &mut RunSummary,
    result: &FileResult,
    expectation: Option<&expectations::TestExpectation>,
    progress: &str,
) {
    let unexpected = if result.status == FileStatus::Skip {
        Vec::new()
    } else {
        expectations::unexpected(result, expectation)
    };
    let passed = result
        .subtests
        .iter()
        .filter(|s| s.status == SubtestStatus::Pass)
        .count();
    let _ = writeln!(
        out,
        "{progress} {:<8} {} ({passed}/{}){}",
        result.status.as_str(),
        result.id,
        result.subtests.len(),
        if unexpected.is_empty() {
            ""
        } else {
            "  UNEXPECTED"
        }
    );
    if result.status != FileStatus::Ok && result.status != FileStatus::Skip {
        if let Some(m) = &result.message {
            let _ = writeln!(out, "      {}", first_line(m));
        }
    }
    for u in &unexpected {
        if let Some(name) = &u.subtest {
            let _ = writeln!(
                out,
                "      {} (expected {}) {name}: {}",
                u.status,
                u.expected.join("|"),
                u.message.as_deref().map(first_line).unwrap_or("")
            );
        }
    }
    match result.status {
        FileStatus::Skip => summary.skipped += 1,
        FileStatus::Ok => {}
        _ => summary.failed += 1,
    }
    summary.passed += passed;
    summary.failed += result.subtests.len() - passed;
    summary.unexpected.extend(unexpected);
}

/// Every case has a result, in case order (a worker that died leaves a CRASH).
fn every_result(
    results: Vec<Option<FileResult>>,
    cases: &[manifest::TestCase],
    summary: &mut RunSummary,
) -> Vec<FileResult> {
    results
        .into_iter()
        .zip(cases)
        .map(|(r, case)| {
            r.unwrap_or_else(|| {
                let r = FileResult::harness(
                    case.id.clone(),
                    FileStatus::Crash,
                    "no result: the runner's worker thread died",
                );
                summary.failed += 1;
                summary
                    .unexpected
                    .extend(expectations::unexpected(&r, None));
                r
            })
        })
        .collect()
}

/// Writes the run as a wptreport JSON file (`--wptreport`).
fn write_wptreport(
    path: &Path,
    options: &SuiteOptions,
    summary: &RunSummary,
    time_start: u128,
) -> Result<(), String> {
    let report = report::wptreport(
        &summary.results,
        time_start,
        now_ms(),
        &revision_of(&options.root),
    );
    std::fs::write(
        path,
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn update_expectations(
    options: &SuiteOptions,
    cases: &[manifest::TestCase],
    results: &[FileResult],
    previous: &ExpectationFiles,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mut by_script: std::collections::BTreeMap<&str, Vec<&FileResult>> = Default::default();
    for (case, result) in cases.iter().zip(results) {
        by_script.entry(&case.script).or_default().push(result);
    }
    for (script, results) in by_script {
        let path = expectations::ini_path(&options.meta_dir, script);
        match expectations::render(&results, &previous[script]) {
            Some(text) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                }
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                let _ = writeln!(out, "updated {}", path.display());
            }
            None => {
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|e| e.to_string())?;
                    let _ = writeln!(out, "removed {} (everything passes)", path.display());
                }
            }
        }
    }
    Ok(())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// The git revision of the tests' checkout, for the wptreport's `run_info.revision` (wpt.fyi
/// needs one); "unknown" outside a git checkout.
fn revision_of(root: &Path) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// For `--wpt-root`: the path relative to it if `p` is inside it (compared after resolving
/// symlinks and `..`, when the path exists).
pub fn relative_to(root: &Path, p: &str) -> String {
    let p = p.trim_start_matches("./");
    let abs = Path::new(p);
    if abs.is_absolute() || abs.exists() {
        let resolved = abs.canonicalize().unwrap_or_else(|_| abs.to_path_buf());
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if let Ok(rel) = resolved.strip_prefix(&root) {
            let rel = rel.to_string_lossy().into_owned();
            // A folder keeps its trailing slash meaning.
            return if resolved.is_dir() && !rel.is_empty() {
                format!("{rel}/")
            } else {
                rel
            };
        }
    }
    p.to_string()
}
