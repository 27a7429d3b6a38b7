//! The `bgfetch` command line.

use std::process::Command;

fn bgfetch(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bgfetch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_platform_tour_runs_to_the_end() {
    let (code, out, err) = bgfetch(&["run", "scripts/platform.js"]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"event: greet, trusted: false"));
    assert_eq!(lines.last(), Some(&"done"), "the event loop ran until idle");
    assert!(out.contains("new BackgroundFetchManager(): TypeError: Illegal constructor"));
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| *l == text)
            .unwrap_or_else(|| panic!("{text}: {out}"))
    };
    // Microtasks (the abort's rejection, then queueMicrotask's) run before any task.
    assert!(at("end of script") < at("aborted fetch: AbortError"));
    assert!(at("aborted fetch: AbortError") < at("microtask after the script"));
    assert!(at("microtask after the script") < at("interval tick 1"));
    // The platform base: the DOM, local fetches, a worker.
    at("DOM: fetch, store, notify | done: 1 | html: 75 chars");
    at("fetch(blob:): a blob's bytes");
    at("fetch(data:): hello");
    at("worker says 42");
}

#[test]
fn every_global_kind_runs_scripts() {
    for kind in ["window", "dedicatedworker", "sharedworker", "serviceworker"] {
        let (code, out, err) = bgfetch(&[
            "eval",
            "console.log(Object.getPrototypeOf(self).constructor.name)",
            "--global",
            kind,
        ]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(
            out.trim()
                .to_lowercase()
                .starts_with(&kind.replace("worker", "")),
            "{kind}: {out}"
        );
    }
}

#[test]
fn uncaught_errors_and_rejections_fail_the_run() {
    let (code, _, err) = bgfetch(&["eval", "setTimeout(() => { throw new Error('boom') }, 1)"]);
    assert_eq!(code, 1);
    assert!(err.contains("uncaught at eval:1: Error: boom"), "{err}");
    let (code, _, err) = bgfetch(&["eval", "Promise.reject(new TypeError('nope'))"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("unhandled rejection: TypeError: nope"),
        "{err}"
    );
    let (code, _, err) = bgfetch(&["eval", "setInterval(() => {}, 10)", "--timeout", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("still busy after 1s"), "{err}");
}

#[test]
fn bad_usage_is_explained() {
    let (code, _, err) = bgfetch(&[]);
    assert_eq!(code, 2);
    assert!(err.to_lowercase().contains("usage:"), "{err}");
    let (code, _, err) = bgfetch(&["run", "no/such/file.js"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no/such/file.js"), "{err}");
    let (code, _, err) = bgfetch(&["eval", "1", "--global", "moon"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown global `moon`"), "{err}");
    let (code, _, err) = bgfetch(&["demo", "--size", "lots"]);
    assert_eq!(code, 2);
    assert!(err.contains("`lots` is not a byte count"), "{err}");
    let (code, _, err) = bgfetch(&["demo", "--frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("--frobnicate"), "{err}");
    let (code, _, err) = bgfetch(&["pause"]);
    assert_eq!(code, 2, "an id is needed");
    assert!(err.to_lowercase().contains("usage:"), "{err}");
    let (code, _, err) = bgfetch(&["demo", "--resume", "--rate", "1M"]);
    assert_eq!(code, 2, "--resume takes the stored episode");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn fsck_reports_then_repairs_and_refuses_a_newer_profile() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().to_str().unwrap();
    // A profile whose store was never created: nothing to check.
    let (code, out, err) = bgfetch(&["fsck", "--profile", profile]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 problem(s) found"), "{out}");
    // Files of a fetch the store does not know.
    drop(storage::Store::open(dir.path(), Default::default()).unwrap());
    std::fs::create_dir_all(dir.path().join("bgfetch/42")).unwrap();
    std::fs::write(dir.path().join("bgfetch/42/0.res"), b"0123456789").unwrap();
    let (code, out, err) = bgfetch(&["fsck", "--profile", profile]);
    assert_eq!(code, 1, "a problem remains: {out}{err}");
    assert!(
        out.contains("files of no stored background fetch (10 bytes"),
        "{out}"
    );
    assert!(out.contains("(--repair fixes this)"), "{out}");
    assert!(
        dir.path().join("bgfetch/42/0.res").exists(),
        "checking changed nothing"
    );
    let (code, out, err) = bgfetch(&["fsck", "--repair", "--profile", profile]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("repaired: removed") && out.contains("(10 bytes)"),
        "{out}"
    );
    assert!(!dir.path().join("bgfetch/42").exists());
    // A database from a newer build: an error with advice, and nothing touched.
    let db = dir.path().join("bgfetch.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", storage::SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let (code, out, err) = bgfetch(&["fsck", "--repair", "--profile", profile]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("newer than this build supports") && err.contains("use a newer bgfetch"),
        "{err}"
    );
}
