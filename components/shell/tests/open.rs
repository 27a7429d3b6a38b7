//! `bgfetch open` as a subprocess: a folder served over HTTPS runs its background fetch to
//! the end, and what goes wrong (a missing folder, an unreachable URL, a page that throws, a
//! worker that fails to install, a profile of a newer version) is one line and exit 1.

mod support;

use std::time::Duration;
use support::{arg, run};

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn a_folder_runs_its_background_fetch_to_the_end() {
    let profile = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        &[
            "open",
            "tests/sites/podcast",
            "--grant",
            "--click-after",
            "0.5",
            "--until-event",
            "backgroundfetchsuccess",
            "--profile",
            arg(profile.path()),
        ],
        LIMIT,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("as https://site.bgfetch.test:"), "{out}");
    assert!(out.contains("console: background fetch started"), "{out}");
    assert!(out.contains("/icon.svg (SVG, any, "), "{out}");
    assert!(
        out.contains("console: the service worker got backgroundfetchclick"),
        "--click-after clicked the display: {out}"
    );
    assert!(out.contains("An episode from a folder (stored)"), "{out}");
    assert!(
        out.contains("backgroundfetchsuccess: fetch 1 finished"),
        "{out}"
    );
}

#[test]
fn without_a_terminal_or_grant_the_prompt_is_denied() {
    let profile = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        &[
            "open",
            "tests/sites/podcast",
            "--profile",
            arg(profile.path()),
        ],
        LIMIT,
    );
    // The page's fetch() is still registered, and the denial aborts it.
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("denied (no terminal to ask; --grant allows it)"),
        "{out}"
    );
    assert!(out.contains("aborted (event done)"), "{out}");
}

/// One line on stderr, exit 1.
fn assert_fails(args: &[&str], expected: &str) {
    let (code, out, err) = run(args, LIMIT);
    assert_eq!(code, 1, "{args:?}: {out}\n{err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.starts_with("bgfetch: "), "{err}");
    assert!(err.contains(expected), "{args:?}: {err}");
}

#[test]
fn problems_are_one_line_and_exit_1() {
    let profile = tempfile::tempdir().unwrap();
    let p = arg(profile.path());
    assert_fails(
        &["open", "tests/sites/no-such-folder", "--profile", p],
        "tests/sites/no-such-folder: No such file or directory",
    );
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    assert_fails(&["open", &url, "--profile", p], "the page did not load");
    assert_fails(
        &["open", "tests/sites/throws", "--profile", p],
        "uncaught Error: the page broke",
    );
    assert_fails(
        &["open", "tests/sites/bad-worker", "--profile", p],
        "the service worker failed to install",
    );
}

#[test]
fn a_profile_of_a_newer_version_is_refused_and_left_alone() {
    let profile = tempfile::tempdir().unwrap();
    let p = arg(profile.path());
    let db = profile.path().join("bgfetch.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let schema = |db: &std::path::Path| -> (i64, Vec<String>) {
        let c = rusqlite::Connection::open(db).unwrap();
        let version = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let mut q = c
            .prepare("SELECT name FROM sqlite_master ORDER BY name")
            .unwrap();
        let names = q
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (version, names)
    };
    let before = schema(&db);
    assert_fails(&["list", "--profile", p], "newer than this build supports");
    assert_fails(&["demo", "--profile", p], "newer than this build supports");
    assert_fails(
        &["open", "tests/sites/podcast", "--profile", p],
        "newer than this build supports",
    );
    // (Opening it may switch its journal to WAL, as every version does; nothing else.)
    assert_eq!(
        schema(&db),
        before,
        "nothing is written into the newer database"
    );
    assert!(!profile.path().join("bgfetch-demo.json").exists());
}
