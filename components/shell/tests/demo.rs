//! `bgfetch demo` as a subprocess: it completes, survives the network going away, resumes
//! after SIGKILL, and takes commands from a second bgfetch on its profile.

mod support;

use std::time::Duration;
use support::{arg, count, episode_sha256, percent, run, Live};

const LIMIT: Duration = Duration::from_secs(120);
const SIZE: u64 = 4 << 20;

/// The lines every successful demo prints: the bytes, exactly one success event, the
/// checksum.
fn assert_succeeded(out: &str, size: u64) {
    assert!(
        out.contains(&format!("downloaded: {size} bytes of {size}")),
        "{out}"
    );
    assert_eq!(
        count(out, "service worker: backgroundfetchsuccess"),
        1,
        "exactly one success event: {out}"
    );
    assert!(
        out.contains(&format!("sha256: {}", episode_sha256(size))),
        "{out}"
    );
    // The worker's success handler put the record into the Cache API; read back from the
    // profile, the stored body has the episode's bytes.
    assert!(
        out.contains(&format!(
            "cache step: stored in cache \"episodes\" ({size} bytes, read back from the profile; checksum matches)"
        )),
        "{out}"
    );
}

#[test]
fn the_demo_completes() {
    let profile = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        &[
            "demo",
            "--size",
            "4MiB",
            "--rate",
            "0",
            "--profile",
            arg(profile.path()),
        ],
        LIMIT,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert_succeeded(&out, SIZE);
    // The display: origin, title, the icon fetched and described, updateUI's new title.
    assert!(out.contains("[https://demo.bgfetch.test:"), "{out}");
    assert!(
        out.contains("Episode 1: Fetching in the background"),
        "{out}"
    );
    assert!(out.contains("/artwork-96.png (96x96 PNG, "), "{out}");
    assert!(out.contains("Episode 1: ready to play offline"), "{out}");
    assert!(out.contains("success (event done)"), "{out}");
    // Nothing is left in the profile: no fetch, no resume state, no socket.
    let (code, list, _) = run(&["list", "--profile", arg(profile.path())], LIMIT);
    assert_eq!(code, 0);
    assert!(list.contains("no background fetches"), "{list}");
    assert!(!profile.path().join("bgfetch-demo.json").exists());
    assert!(!profile.path().join("control.sock").exists());
}

#[test]
fn offline_after_pauses_then_resumes_with_range_and_the_same_checksum() {
    let profile = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        &[
            "demo",
            "--size",
            "4MiB",
            "--rate",
            "2MiB",
            "--offline-after",
            "1MiB",
            "--offline-for",
            "1",
            "--profile",
            arg(profile.path()),
        ],
        LIMIT,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    let offline = lines
        .iter()
        .position(|l| l.ends_with("paused: offline"))
        .unwrap_or_else(|| panic!("the display shows the offline state: {out}"));
    assert!(
        lines[offline..].iter().any(|l| l.ends_with("downloading")),
        "it downloads again: {out}"
    );
    assert!(out.contains("network: back"), "{out}");
    assert!(
        out.contains("(resumed with Range: bytes="),
        "the second request asks for the rest: {out}"
    );
    assert_succeeded(&out, SIZE);
}

/// Starts a slow demo and waits until some of it arrived.
fn slow_demo(profile: &std::path::Path, size: &str) -> Live {
    let live = Live::spawn(&[
        "demo",
        "--size",
        size,
        "--rate",
        "1MiB",
        "--profile",
        arg(profile),
    ]);
    live.wait_for_line("progress", LIMIT, |l| {
        l.ends_with("downloading") && percent(l).is_some_and(|p| p >= 10)
    });
    live
}

/// After SIGKILL the next engine restores the service worker registration from the
/// profile, resumes the download, starts the worker for backgroundfetchsuccess, and the
/// worker stores the episode in the cache: exactly once.
#[test]
fn sigkill_then_resume_finishes_with_the_same_checksum_and_one_success_event() {
    let profile = tempfile::tempdir().unwrap();
    let mut first = slow_demo(profile.path(), "4MiB");
    first.kill_hard();
    assert_eq!(count(&first.stdout(), "backgroundfetchsuccess"), 0);
    let (code, out, err) = run(
        &["demo", "--resume", "--profile", arg(profile.path())],
        LIMIT,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert_succeeded(&out, SIZE);
}

/// After SIGKILL the profile says what is left, a fresh demo refuses to start over it, and
/// `--resume` continues the stored download where it stopped.
#[test]
fn sigkill_then_resume_downloads_the_rest() {
    let profile = tempfile::tempdir().unwrap();
    let mut first = slow_demo(profile.path(), "4MiB");
    first.kill_hard();
    let (code, list, _) = run(&["list", "--profile", arg(profile.path())], LIMIT);
    assert_eq!(code, 0);
    assert!(
        list.contains("\"episode-1\"") && list.contains("resumes when bgfetch next runs"),
        "{list}"
    );
    let (code, _, err) = run(&["demo", "--profile", arg(profile.path())], LIMIT);
    assert_eq!(code, 1);
    assert!(err.contains("has an unfinished demo download"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    let resumed = Live::spawn(&["demo", "--resume", "--profile", arg(profile.path())]);
    let first_line =
        resumed.wait_for_line("the resumed fetch", LIMIT, |l| l.starts_with("[https://"));
    assert!(
        percent(&first_line).is_some_and(|p| p >= 10),
        "it starts where it stopped: {first_line}"
    );
    resumed.wait_for_line("the end of the download", LIMIT, |l| {
        l.contains("4.0 MiB of 4.0 MiB (100%), success")
    });
}

#[test]
fn a_second_bgfetch_pauses_resumes_and_aborts_the_running_fetch() {
    let profile = tempfile::tempdir().unwrap();
    let p = arg(profile.path());
    let mut demo = slow_demo(profile.path(), "32MiB");

    let (code, list, err) = run(&["list", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    assert!(list.contains("runs on it"), "{list}");
    assert!(list.contains("\"episode-1\""), "{list}");

    let (code, out, err) = run(&["pause", "episode-1", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pause sent to fetch 1"), "{out}");
    demo.wait_for_line("the paused state", LIMIT, |l| l.ends_with(", paused"));
    let (_, show, _) = run(&["show", "1", "--profile", p], LIMIT);
    assert!(show.contains("state:     paused"), "{show}");

    // Never two engines on one profile: a second demo and clear are refused.
    let (code, _, err) = run(&["demo", "--profile", p], LIMIT);
    assert_eq!(code, 1);
    assert!(err.contains("in use by pid"), "{err}");
    let (code, _, err) = run(&["clear", "--profile", p], LIMIT);
    assert_eq!(code, 1);
    assert!(err.contains("in use by pid"), "{err}");

    let paused_at = demo.stdout().lines().count();
    let (code, _, err) = run(&["resume", "1", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    demo.wait_for_line_after(paused_at, "downloading again", LIMIT, |l| {
        l.ends_with("downloading")
    });

    let (code, _, err) = run(&["click", "1", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    demo.wait_for_line("the click event", LIMIT, |l| {
        l == "service worker: backgroundfetchclick"
    });

    let (code, _, err) = run(&["abort", "1", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    assert_eq!(demo.wait(LIMIT), 1, "an aborted demo failed");
    assert!(
        demo.stderr().contains("the download was aborted"),
        "{}",
        demo.stderr()
    );
    assert!(demo
        .stdout()
        .contains("service worker: backgroundfetchabort"));
    let (code, _, err) = run(&["pause", "1", "--profile", p], LIMIT);
    assert_eq!(code, 1, "nothing left to pause");
    assert!(err.contains("no background fetch 1"), "{err}");
}

#[test]
fn profile_commands_work_on_a_stored_profile() {
    let profile = tempfile::tempdir().unwrap();
    let p = arg(profile.path());
    let mut demo = slow_demo(profile.path(), "8MiB");
    demo.kill_hard();

    let (code, out, err) = run(&["pause", "1", "--profile", p], LIMIT);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("fetch 1 paused"), "{out}");
    let (_, list, _) = run(&["list", "--profile", p], LIMIT);
    assert!(
        list.contains("nothing runs on it") && list.contains(", paused"),
        "{list}"
    );
    let (code, _, err) = run(&["click", "1", "--profile", p], LIMIT);
    assert_eq!(code, 1);
    assert!(err.contains("needs a running bgfetch"), "{err}");
    let (code, out, _) = run(&["clear", "--profile", p], LIMIT);
    assert_eq!(code, 0);
    assert!(out.contains("cleared 1 background fetch from"), "{out}");
    let (_, list, _) = run(&["list", "--profile", p], LIMIT);
    assert!(list.contains("no background fetches"), "{list}");
    let (code, _, err) = run(&["demo", "--resume", "--profile", p], LIMIT);
    assert_eq!(code, 1);
    assert!(err.contains("nothing to resume"), "{err}");
}
