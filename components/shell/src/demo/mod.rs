//! `bgfetch demo`: the main job, loopback only. Its phases, in order:
//!
//! 1. [`prepare`]: the profile is free, and holds no unfinished demo (or, with `--resume`,
//!    holds the one to continue);
//! 2. the sample site ([`site`]) is served by the built-in HTTPS server on a loopback host
//!    the engine trusts;
//! 3. an engine starts on the profile (a [`Session`]: display, keys, control socket);
//! 4. [`start_episode`]: the page registers the service worker and starts the background
//!    fetch (with `--resume` the controller resumes the stored one instead);
//! 5. [`watch`]: the display runs until the fetch has settled and its event ended;
//!    `--offline-after` drops the network on the way;
//! 6. [`summary`]: where the bytes are, their checksum and the time taken (the cache step:
//!    [`verify`]).

pub mod site;
pub mod state;
pub mod verify;

use crate::cli::DemoArgs;
use crate::control;
use crate::error::{job, profile_in_use, Result};
use crate::session::{Happened, Prompts, Session};
use crate::site::LocalSite;
use crate::units::{format_bytes, format_duration};
use engine::{BackgroundFetchInfo, FailureReason, FetchResult, PageEvent, PermissionState};
use site::Episode;
use state::DemoState;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long the page may take to load and to start the fetch.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// Once the fetch settled, its event must end within this (a resumed fetch whose worker is
/// gone is given up by the controller after about 31 s).
const EVENT_TIMEOUT: Duration = Duration::from_secs(60);

pub fn run(args: DemoArgs) -> Result<()> {
    let profile = args.profile.profile();
    let plan = prepare(&profile, &args)?;
    let episode = Episode {
        size: plan.size,
        seed: plan.seed,
        rate: plan.rate,
    };
    let expected = {
        let (size, seed) = (episode.size, episode.seed);
        std::thread::spawn(move || verify::expected_sha256(size, seed))
    };
    let site_dir = tempfile::tempdir().map_err(|e| job(format!("a temporary folder: {e}")))?;
    site::write(site_dir.path()).map_err(|e| job(format!("writing the demo site: {e}")))?;
    let server = LocalSite::serve(site_dir.path(), site::HOST, plan.port)?;
    if !args.resume {
        let saved = DemoState {
            port: server.port(),
            size: episode.size,
            seed: episode.seed,
            rate: episode.rate,
        };
        state::save(&profile, &saved)
            .map_err(|e| job(format!("{}: {e}", state::path(&profile).display())))?;
    }
    let mut session = match Session::start(&profile, server.network_config(), Prompts::Deny) {
        Ok(s) => s,
        Err(e) => {
            if !args.resume {
                state::remove(&profile);
            }
            return Err(e);
        }
    };
    session.display.message(&format!(
        "bgfetch demo: {}/ on 127.0.0.1 (built-in HTTPS server), profile {}",
        server.origin,
        profile.display()
    ));
    // The user ran the demo: its origin may download in the background.
    session
        .engine()
        .set_permission(&server.origin, "background-fetch", PermissionState::Granted);
    let started = Instant::now();
    let page = match start_episode(&mut session, &server, &episode, args.resume) {
        Ok(page) => page,
        Err(e) => {
            let resumable = unfinished(&session, &server.origin);
            session.shutdown();
            return Err(keep_resumable(&profile, &args, resumable, e));
        }
    };
    let watched = watch(&mut session, &server.origin, &args, started);
    let resumable = unfinished(&session, &server.origin);
    // The worker's "store the records" step, read back from the profile.
    let stored = match &watched {
        Ok(Watched::Done(done)) => Some(verify::cache_step(
            &done.report,
            session.engine(),
            &server.origin,
        )),
        _ => None,
    };
    let stats = page
        .eval_promise(
            "fetch('/_faults/stats?key=episode').then(r => r.text())",
            Duration::from_secs(5),
        )
        .ok();
    page.close();
    session.shutdown();
    match watched {
        Ok(Watched::Quit) => {
            println!(
                "quit: the download stays in {}; `bgfetch demo --resume{}` continues it",
                profile.display(),
                profile_flag(&args)
            );
            Ok(())
        }
        Ok(Watched::Done(done)) => {
            state::remove(&profile);
            let expected = expected.join().unwrap_or_default();
            let stored = stored.unwrap_or_else(|| verify::CacheStep::Missing("not checked".into()));
            summary(
                &profile,
                &server,
                &episode,
                &done,
                &stored,
                &expected,
                stats.as_deref(),
            );
            match stored {
                verify::CacheStep::Stored { sha256, .. } if sha256 == expected => Ok(()),
                verify::CacheStep::Stored { cache, .. } => Err(job(format!(
                    "the episode stored in cache \"{cache}\" differs from what the server sent"
                ))),
                verify::CacheStep::Missing(why) => {
                    Err(job(format!("the episode was not stored: {why}")))
                }
            }
        }
        Err(e) => Err(keep_resumable(&profile, &args, resumable, e)),
    }
}

/// Whether the demo's fetch is still in the profile, unfinished.
fn unfinished(session: &Session, origin: &str) -> bool {
    session
        .fetches()
        .values()
        .any(|f| f.origin == origin && f.id == site::FETCH_ID && !f.finished)
}

/// A demo that failed: its resume state goes with the fetch, or stays (and the message
/// says how to go on) while the fetch is still in the profile.
fn keep_resumable(
    profile: &Path,
    args: &DemoArgs,
    resumable: bool,
    failure: crate::error::Failure,
) -> crate::error::Failure {
    if !resumable {
        state::remove(profile);
        return failure;
    }
    match failure {
        crate::error::Failure::Job(m) => job(format!(
            "{m} (the download stays in the profile: `bgfetch demo --resume{}` continues it, `bgfetch clear{}` forgets it)",
            profile_flag(args),
            profile_flag(args)
        )),
        other => other,
    }
}

/// `--profile DIR` as the user gave it, for the hints.
fn profile_flag(args: &DemoArgs) -> String {
    match &args.profile.profile {
        Some(p) => format!(" --profile {}", p.display()),
        None => String::new(),
    }
}

/// What the demo runs: a new episode, or the stored one it resumes.
struct Plan {
    port: u16,
    size: u64,
    seed: u64,
    rate: Option<u64>,
}

/// Phase 1: nothing else runs on the profile, and its stored state fits the request: a
/// fresh demo needs no unfinished demo download in it, `--resume` needs one.
fn prepare(profile: &Path, args: &DemoArgs) -> Result<Plan> {
    if args.resume && !profile.is_dir() {
        return Err(job(format!(
            "nothing to resume: {} does not exist",
            profile.display()
        )));
    }
    if let Some(control::Answer::Fetches { pid, .. }) =
        control::ask(profile, &control::Request::List)?
    {
        return Err(profile_in_use(profile, Some(pid)));
    }
    let lock = engine::lock_profile(profile).map_err(|e| crate::error::engine_error(profile, e))?;
    let stored = crate::profile::stored_fetches(profile)?;
    let unfinished = stored.iter().find(|f| {
        f.id == site::FETCH_ID
            && f.registration
                .origin
                .starts_with(&format!("https://{}:", site::HOST))
    });
    let saved = state::load(profile);
    drop(lock);
    if args.resume {
        let (Some(saved), Some(_)) = (saved, unfinished) else {
            state::remove(profile);
            return Err(job(format!(
                "nothing to resume in {}: no unfinished demo download (it finished, failed or was cleared)",
                profile.display()
            )));
        };
        return Ok(Plan {
            port: saved.port,
            size: saved.size,
            seed: saved.seed,
            rate: saved.rate,
        });
    }
    if let Some(f) = unfinished {
        let downloaded: u64 = f.records.iter().map(|r| r.stored).sum();
        return Err(job(format!(
            "{} has an unfinished demo download (fetch {}, {} of {}): `bgfetch demo --resume{}` continues it, `bgfetch clear{}` forgets it",
            profile.display(),
            f.uid.0,
            format_bytes(downloaded),
            format_bytes(f.download_total),
            profile_flag(args),
            profile_flag(args),
        )));
    }
    Ok(Plan {
        port: 0,
        size: args.size,
        seed: site::SEED,
        rate: (args.rate > 0).then_some(args.rate),
    })
}

/// Phase 4: the page loads; a fresh demo asks it to register the worker and start the
/// background fetch (a resumed one was restarted by the controller already).
fn start_episode(
    session: &mut Session,
    server: &LocalSite,
    episode: &Episode,
    resume: bool,
) -> Result<engine::Page> {
    let url = format!("{}/index.html", server.origin);
    let page = session
        .engine()
        .open_page(&url)
        .map_err(|e| job(format!("the demo page: {e}")))?;
    page.wait_loaded(PAGE_TIMEOUT)
        .map_err(|e| job(format!("{url}: {e}")))?;
    if resume {
        session
            .display
            .message("resuming the stored download (the controller restarts it with Range)");
        return Ok(page);
    }
    let answer = page
        .eval_promise(
            &format!("startEpisode({})", episode.start_argument()),
            PAGE_TIMEOUT,
        )
        .map_err(|e| job(format!("the demo page failed: {e}")))?;
    log::info!("startEpisode: {answer}");
    session.display.message(&format!(
        "the page registered its service worker and started background fetch \"{}\" ({})",
        site::FETCH_ID,
        format_bytes(episode.size)
    ));
    Ok(page)
}

/// How the watch ended.
enum Watched {
    /// `q`: the download stays for `--resume`.
    Quit,
    Done(Box<Done>),
}

/// A demo that succeeded.
struct Done {
    info: BackgroundFetchInfo,
    report: verify::SuccessReport,
    /// From the start to the worker's success report.
    took: Duration,
}

/// How long the worker's report of the completion event may trail the display's
/// "finished".
const REPORT_GRACE: Duration = Duration::from_secs(5);

/// Phase 5: the display runs until the demo's fetch settled and its event ended.
fn watch(
    session: &mut Session,
    origin: &str,
    args: &DemoArgs,
    started: Instant,
) -> Result<Watched> {
    let ours = |info: &BackgroundFetchInfo| info.origin == origin && info.id == site::FETCH_ID;
    let mut success: Option<(verify::SuccessReport, Duration)> = None;
    let mut offline_until: Option<Instant> = None;
    let mut went_offline = false;
    let mut settled_at: Option<Instant> = None;
    // The display says the fetch finished; the worker's report may still be on its way
    // (page events and the display arrive on threads of their own).
    let mut finished: Option<(BackgroundFetchInfo, Instant)> = None;
    // The events the worker reported (the one of the fetch's result is waited for).
    let mut reported: std::collections::HashSet<String> = Default::default();
    let info = loop {
        if let Some((info, at)) = &finished {
            let event = match (info.result, info.failure_reason) {
                (FetchResult::Success, _) => "backgroundfetchsuccess",
                (_, FailureReason::Aborted) => "backgroundfetchabort",
                _ => "backgroundfetchfail",
            };
            let waiting_for_report = !reported.contains(event) && at.elapsed() < REPORT_GRACE;
            if !waiting_for_report {
                break info.clone();
            }
        }
        match session.next(Duration::from_millis(200)) {
            Happened::Quit => return Ok(Watched::Quit),
            Happened::Fetch(info) if ours(&info) => {
                if let Some(after) = args.offline_after {
                    if !went_offline
                        && info.result == FetchResult::Empty
                        && info.downloaded >= after
                    {
                        went_offline = true;
                        offline_until = Some(Instant::now() + args.offline_for);
                        session.display.message(&format!(
                            "network: gone after {} (simulated); back in {}",
                            format_bytes(info.downloaded),
                            format_duration(args.offline_for)
                        ));
                        session.set_online(false);
                    }
                }
                if info.result != FetchResult::Empty && settled_at.is_none() {
                    settled_at = Some(Instant::now());
                }
                if info.finished {
                    finished = Some((info, Instant::now()));
                }
            }
            Happened::Fetch(_) => {}
            Happened::Page(event) => {
                if let Some(report) = worker_report(&event) {
                    let kind = report
                        .get("event")
                        .and_then(|e| e.as_str())
                        .unwrap_or("")
                        .to_string();
                    session
                        .display
                        .message(&format!("service worker: {}", describe_report(&report)));
                    reported.insert(kind.clone());
                    match kind.as_str() {
                        "backgroundfetchsuccess" => {
                            let parsed = serde_json::from_value(report).unwrap_or_default();
                            success = Some((parsed, started.elapsed()));
                        }
                        "error" => {
                            return Err(job(format!(
                                "the service worker's backgroundfetchsuccess handler failed: {}",
                                describe_report(&report)
                            )))
                        }
                        _ => {}
                    }
                } else if let Some(problem) = page_problem(&event) {
                    return Err(job(format!("the demo site: {problem}")));
                } else if let PageEvent::Console { level, message } = &event {
                    log::log!(target: "console", *level, "{message}");
                }
            }
            Happened::Tick => {}
        }
        if offline_until.is_some_and(|t| Instant::now() >= t) {
            offline_until = None;
            session
                .display
                .message("network: back; the download resumes where it stopped (Range)");
            session.set_online(true);
        }
        if settled_at.is_some_and(|t| t.elapsed() > EVENT_TIMEOUT) {
            return Err(job(
                "the download settled but its service worker event did not end within a minute",
            ));
        }
    };
    match (info.result, info.failure_reason, success) {
        (FetchResult::Success, _, Some((report, took))) => {
            Ok(Watched::Done(Box::new(Done { info, report, took })))
        }
        (FetchResult::Success, _, None) => Err(job(format!(
            "the download succeeded ({}) but the service worker never reported backgroundfetchsuccess",
            format_bytes(info.downloaded)
        ))),
        (_, FailureReason::Aborted, _) => Err(job("the download was aborted")),
        (_, reason, _) => Err(job(format!("the download failed: {}", reason.as_str()))),
    }
}

/// A line the demo's worker logs for the shell (`bgfetch-demo {json}`).
fn worker_report(event: &PageEvent) -> Option<serde_json::Value> {
    let PageEvent::Console { message, .. } = event else {
        return None;
    };
    serde_json::from_str(message.strip_prefix("bgfetch-demo ")?).ok()
}

/// `backgroundfetchsuccess (1 record: status 200; cache: pending)`.
fn describe_report(report: &serde_json::Value) -> String {
    let event = report.get("event").and_then(|e| e.as_str()).unwrap_or("?");
    match event {
        "backgroundfetchsuccess" => {
            let records = report
                .get("records")
                .and_then(|r| r.as_array())
                .cloned()
                .unwrap_or_default();
            let statuses: Vec<String> = records
                .iter()
                .filter_map(|r| r.get("status").map(|s| s.to_string()))
                .collect();
            let cache = match report.get("cache").and_then(|c| c.as_str()) {
                Some(c) => format!("stored in cache \"{c}\""),
                None => "kept nothing".into(),
            };
            format!(
                "backgroundfetchsuccess ({} record{}: status {}; {cache}; updateUI: new title and icon)",
                records.len(),
                if records.len() == 1 { "" } else { "s" },
                statuses.join(", ")
            )
        }
        "backgroundfetchfail" => format!(
            "backgroundfetchfail ({})",
            report
                .get("failureReason")
                .and_then(|r| r.as_str())
                .unwrap_or("")
        ),
        "error" => format!(
            "error: {}",
            report.get("message").and_then(|m| m.as_str()).unwrap_or("")
        ),
        other => other.to_string(),
    }
}

/// An uncaught error or rejection in the page or its workers, in one line.
pub fn page_problem(event: &PageEvent) -> Option<String> {
    // The first line: the exception; the stack follows in the logs.
    let first = |m: &str| m.lines().next().unwrap_or("").to_string();
    let problem = match event {
        PageEvent::UncaughtError {
            message,
            filename,
            lineno,
            ..
        } => Some(if filename.is_empty() {
            format!("uncaught {}", first(message))
        } else {
            format!("uncaught {} at {filename}:{lineno}", first(message))
        }),
        PageEvent::UnhandledRejection { message } => {
            Some(format!("unhandled rejection: {}", first(message)))
        }
        PageEvent::Interrupted { message } => {
            Some(format!("a script ran too long: {}", first(message)))
        }
        PageEvent::EngineBug { message, location } => Some(format!(
            "internal error (a bug, please report it): {message} at {location}"
        )),
        PageEvent::Console { .. } => None,
    };
    if problem.is_some() {
        log::info!("{event:?}");
    }
    problem
}

/// Phase 6: where the bytes are, their checksum, the time taken.
fn summary(
    profile: &Path,
    server: &LocalSite,
    episode: &Episode,
    done: &Done,
    stored: &verify::CacheStep,
    expected: &str,
    stats: Option<&str>,
) {
    let info = &done.info;
    println!("done: \"{}\" from {}", info.title, info.origin);
    println!(
        "  downloaded: {} bytes of {} ({})",
        info.downloaded,
        episode.size,
        format_bytes(info.downloaded)
    );
    if let Some(stats) = stats.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()) {
        let requests = stats.get("requests").and_then(|r| r.as_u64()).unwrap_or(0);
        let ranges: Vec<String> = stats
            .get("ranges")
            .and_then(|r| r.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        println!(
            "  server: {requests} request{} for {}{}",
            if requests == 1 { "" } else { "s" },
            episode.path(),
            if ranges.is_empty() {
                String::new()
            } else {
                format!(" (resumed with Range: {})", ranges.join(", "))
            }
        );
    }
    let statuses: Vec<String> = done
        .report
        .records
        .iter()
        .map(|r| format!("{} {}", r.status, r.url))
        .collect();
    println!("  records: {}", statuses.join(", "));
    println!(
        "  stored: by the controller in {} while it ran; released when the event ended",
        profile
            .join("bgfetch")
            .join(info.uid.0.to_string())
            .display()
    );
    match stored {
        verify::CacheStep::Stored { cache, len, sha256 } => {
            let check = if sha256 == expected {
                "matches"
            } else {
                "DIFFERS"
            };
            println!(
                "  cache step: stored in cache \"{cache}\" ({len} bytes, read back from the profile; checksum {check})"
            );
        }
        verify::CacheStep::Missing(why) => println!("  cache step: FAILED: {why}"),
    }
    println!(
        "  sha256: {expected} (the episode as {} sends it)",
        server.origin
    );
    let secs = done.took.as_secs_f64().max(0.001);
    println!(
        "  time: {:.1} s ({}/s)",
        secs,
        format_bytes((info.downloaded as f64 / secs) as u64)
    );
}
