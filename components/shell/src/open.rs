//! `bgfetch open URL|DIR`: a real site, or a folder served by the built-in HTTPS server on
//! `https://site.bgfetch.test:PORT/` (a loopback host the engine trusts), run with the display
//! until it is idle (loaded, every background fetch finished, nothing happening for a
//! moment) or `--until-event NAME` happened.
//!
//! Background fetch permission: `--grant` allows the page's origin; otherwise a terminal
//! asks (`y`/`n`) and without one the prompt is denied. `--click-after SECS` clicks each
//! fetch's display SECS after it appears (`backgroundfetchclick` fires in the worker).
//! (`clients.openWindow()` does not exist yet, so a click opens no page.)

use crate::cli::OpenArgs;
use crate::error::{job, Result};
use crate::session::{Happened, Prompts, Session};
use crate::site::{internet_config, LocalSite};
use engine::{FailureReason, FetchResult, FetchUid, PageEvent, PageOptions, PermissionState};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The host a folder is served on.
pub const HOST: &str = "site.bgfetch.test";
/// Idle: nothing happened for this long.
const QUIET: Duration = Duration::from_secs(2);
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// What to open.
enum Target {
    Url(String),
    /// A folder to serve, and the path of the page in it (`/` or `/page.html`).
    Folder {
        root: PathBuf,
        page: String,
    },
}

fn target(text: &str) -> Result<Target> {
    if text.starts_with("https://") || text.starts_with("http://") {
        return Ok(Target::Url(text.to_string()));
    }
    let path = Path::new(text);
    let meta = std::fs::metadata(path).map_err(|e| job(format!("{text}: {e}")))?;
    if meta.is_dir() {
        let page = if path.join("index.html").is_file() {
            "/index.html"
        } else {
            "/"
        };
        return Ok(Target::Folder {
            root: path.to_path_buf(),
            page: page.to_string(),
        });
    }
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| job(format!("{text}: not a file name the server can serve")))?;
    Ok(Target::Folder {
        root,
        page: format!("/{name}"),
    })
}

/// How `--until-event` is observed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Until {
    Load,
    /// A background fetch finished with this outcome (its functional event ran).
    Finished(&'static str),
    /// The display was clicked (by a key or `--click-after`).
    Click,
    /// An event dispatched at the page's window.
    Window(String),
}

fn until(name: &str) -> Until {
    match name {
        "load" => Until::Load,
        "backgroundfetchsuccess" => Until::Finished("backgroundfetchsuccess"),
        "backgroundfetchfail" => Until::Finished("backgroundfetchfail"),
        "backgroundfetchabort" => Until::Finished("backgroundfetchabort"),
        "backgroundfetchclick" => Until::Click,
        other => Until::Window(other.to_string()),
    }
}

/// The functional event a finished fetch had.
fn finished_event(info: &engine::BackgroundFetchInfo) -> Option<&'static str> {
    if !info.finished {
        return None;
    }
    Some(match (info.result, info.failure_reason) {
        (FetchResult::Success, _) => "backgroundfetchsuccess",
        (_, FailureReason::Aborted) => "backgroundfetchabort",
        _ => "backgroundfetchfail",
    })
}

pub fn run(args: OpenArgs) -> Result<()> {
    let profile = args.profile.profile();
    let target = target(&args.target)?;
    let until = args.until_event.as_deref().map(until);
    let (site, url, network) = match target {
        Target::Url(url) => (None, url, internet_config()),
        Target::Folder { root, page } => {
            let site = LocalSite::serve(&root, HOST, args.port)?;
            let url = format!("{}{page}", site.origin);
            let network = site.network_config();
            (Some(site), url, network)
        }
    };
    let origin = url::Url::parse(&url)
        .map_err(|e| job(format!("{url}: {e}")))?
        .origin()
        .ascii_serialization();
    let mut session = Session::start(&profile, network, Prompts::Ask)?;
    if let Some(site) = &site {
        session.display.message(&format!(
            "bgfetch open: serving {} as {}/ on 127.0.0.1",
            args.target, site.origin
        ));
    }
    if args.grant {
        session
            .engine()
            .set_permission(&origin, "background-fetch", PermissionState::Granted);
    }
    let result = drive(&mut session, &url, until, &args);
    session.shutdown();
    drop(site);
    result
}

fn drive(session: &mut Session, url: &str, until: Option<Until>, args: &OpenArgs) -> Result<()> {
    let started = Instant::now();
    // Window events the user waits for reach us through a host function.
    let (seen_tx, seen) = crossbeam_channel::unbounded::<String>();
    let mut options = PageOptions::default();
    if let Some(Until::Window(name)) = &until {
        let name_json = serde_json::to_string(name).unwrap_or_default();
        options.init_scripts.push((
            format!("addEventListener({name_json}, () => __bgfetchShellSaw({name_json}), true);"),
            "bgfetch:until-event".into(),
        ));
        options.host_functions.push((
            "__bgfetchShellSaw".into(),
            Arc::new(move |name: String| {
                let _ = seen_tx.send(name);
                Ok(String::new())
            }),
        ));
    }
    let page = session
        .engine()
        .open_page_with(url, options)
        .map_err(|e| job(format!("{url}: {e}")))?;
    page.wait_loaded(LOAD_TIMEOUT)
        .map_err(|e| job(format!("{url}: {e}")))?;
    session.display.message(&format!("loaded {url}"));
    if until == Some(Until::Load) {
        return Ok(());
    }
    let mut first_seen: BTreeMap<FetchUid, Instant> = BTreeMap::new();
    let mut clicked: Vec<FetchUid> = Vec::new();
    let mut last_activity = Instant::now();
    loop {
        let happened = session.next(Duration::from_millis(200));
        match &happened {
            Happened::Quit => {
                session
                    .display
                    .message("quit: unfinished background fetches resume when bgfetch next runs on the profile");
                return Ok(());
            }
            Happened::Fetch(info) => {
                last_activity = Instant::now();
                first_seen.entry(info.uid).or_insert_with(Instant::now);
                if let (Some(Until::Finished(name)), Some(event)) = (&until, finished_event(info)) {
                    if name == &event {
                        session
                            .display
                            .message(&format!("{event}: fetch {} finished", info.uid.0));
                        return Ok(());
                    }
                }
            }
            Happened::Page(event) => {
                last_activity = Instant::now();
                if let Some(problem) = crate::demo::page_problem(event) {
                    return Err(job(format!("{url}: {problem}")));
                }
                if let PageEvent::Console { message, .. } = event {
                    session.display.message(&format!("console: {message}"));
                }
            }
            Happened::Tick => {}
        }
        if let Ok(name) = seen.try_recv() {
            session.display.message(&format!("event: {name}"));
            return Ok(());
        }
        if let Some(after) = args.click_after {
            let due: Vec<FetchUid> = first_seen
                .iter()
                .filter(|(uid, at)| at.elapsed() >= after && !clicked.contains(uid))
                .map(|(uid, _)| *uid)
                .collect();
            for uid in due {
                clicked.push(uid);
                match session.act(uid, crate::control::Action::Click) {
                    Ok(_) => session.display.message(&format!(
                        "clicked fetch {} (--click-after): backgroundfetchclick fires",
                        uid.0
                    )),
                    Err(why) => session.display.message(&why),
                }
                if until == Some(Until::Click) {
                    return Ok(());
                }
            }
        }
        if let Some(limit) = args.timeout {
            if started.elapsed() > limit {
                return Err(job(format!(
                    "{url}: still running after {:.0} s (--timeout)",
                    limit.as_secs_f64()
                )));
            }
        }
        // Idle: every fetch finished, the page has nothing to do, and nothing happened for a
        // moment (service worker jobs run off the page's thread).
        let unfinished = session.fetches().values().any(|f| !f.finished);
        if until.is_none()
            && !unfinished
            && last_activity.elapsed() >= QUIET
            && page.wait_idle(Duration::ZERO)
        {
            session.display.message("idle");
            return Ok(());
        }
    }
}
