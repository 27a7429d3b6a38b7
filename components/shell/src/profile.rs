//! `bgfetch list | show | pause | resume | abort | click | clear` on a profile.
//!
//! While a `demo` or `open` runs on the profile, everything goes through its control socket
//! ([`crate::control`]): its engine acts and its display shows it. While nothing runs, the
//! command takes the profile lock (so no engine can start meanwhile) and works on the stored
//! state: `list`/`show` read it, `pause`/`resume`/`abort` set the fetch's stored flags (the
//! next engine on the profile starts it paused, or settles it aborted), `clear` forgets
//! every fetch. `click` needs a running service worker, so it needs a running bgfetch. A
//! profile locked by a process that does not answer is refused: "profile DIR in use by pid N".

use crate::cli::IdArgs;
use crate::control::{self, Action, Answer, Request};
use crate::display::state_text;
use crate::error::{engine_error, job, profile_in_use, Failure, Result};
use crate::units::format_bytes;
use engine::{BackgroundFetchInfo, FetchResult, FetchUid};
use std::path::Path;
use storage::{FetchState, Store, StoreOptions, StoredFetch};

/// The stored background fetches of `profile` (the caller holds its lock). A profile without
/// a database has none (and none is created).
pub fn stored_fetches(profile: &Path) -> Result<Vec<StoredFetch>> {
    if !profile.join("bgfetch.sqlite").exists() {
        return Ok(Vec::new());
    }
    open_store(profile)?
        .load_fetches()
        .map_err(|e| job(e.to_string()))
}

fn open_store(profile: &Path) -> Result<Store> {
    Store::open(profile, StoreOptions::default()).map_err(|e| job(e.to_string()))
}

/// What a profile's fetches are, from the running process or from the store.
enum Seen {
    Live {
        pid: u32,
        online: bool,
        fetches: Vec<BackgroundFetchInfo>,
    },
    Stored {
        fetches: Vec<(BackgroundFetchInfo, FetchState)>,
    },
}

fn look(profile: &Path) -> Result<Seen> {
    if let Some(answer) = control::ask(profile, &Request::List)? {
        return match answer {
            Answer::Fetches {
                pid,
                online,
                fetches,
            } => Ok(Seen::Live {
                pid,
                online,
                fetches,
            }),
            Answer::Refused(why) | Answer::Done(why) => Err(job(why)),
        };
    }
    if !profile.is_dir() {
        return Ok(Seen::Stored {
            fetches: Vec::new(),
        });
    }
    let _lock = engine::lock_profile(profile).map_err(|e| engine_error(profile, e))?;
    let fetches = stored_fetches(profile)?
        .into_iter()
        .map(|f| {
            let state = f.state;
            (displayed(f), state)
        })
        .collect();
    Ok(Seen::Stored { fetches })
}

/// A stored fetch as the display would show it.
fn displayed(f: StoredFetch) -> BackgroundFetchInfo {
    BackgroundFetchInfo {
        uid: f.uid,
        origin: f.registration.origin.clone(),
        id: f.id,
        title: f.title,
        icons: f.icons,
        download_total: f.download_total,
        downloaded: f.records.iter().map(|r| r.stored).sum(),
        upload_total: f.upload_total,
        uploaded: f.uploaded,
        records_done: f
            .records
            .iter()
            .filter(|r| r.result != net_traits::RecordResult::Empty)
            .count() as u32,
        records: f.records.len() as u32,
        paused: f.paused,
        awaiting_permission: f.awaiting_permission,
        can_pause: f.records.iter().all(|r| r.request.method == "GET"),
        result: f.result,
        failure_reason: f.failure_reason,
        finished: false,
    }
}

pub fn list(profile: &Path) -> Result<()> {
    let (header, rows) = match look(profile)? {
        Seen::Live {
            pid,
            online,
            fetches,
        } => (
            format!(
                "profile {} (bgfetch pid {pid} runs on it{})",
                profile.display(),
                if online { "" } else { ", offline" }
            ),
            fetches
                .into_iter()
                .map(|f| {
                    let state = state_text(&f, online);
                    (f, state)
                })
                .collect::<Vec<_>>(),
        ),
        Seen::Stored { fetches } => (
            format!("profile {} (stored; nothing runs on it)", profile.display()),
            fetches
                .into_iter()
                .map(|(f, state)| {
                    let text = stored_state_text(&f, state);
                    (f, text)
                })
                .collect(),
        ),
    };
    println!("{header}");
    if rows.is_empty() {
        println!("no background fetches");
    }
    for (f, state) in rows {
        println!(
            "{:>4}  {}  \"{}\"  {}  {}, {}",
            f.uid.0,
            f.origin,
            f.id,
            f.title,
            progress(&f),
            state
        );
    }
    Ok(())
}

/// The state of a stored fetch (it is not running: paused or waiting for the next start).
fn stored_state_text(f: &BackgroundFetchInfo, state: FetchState) -> String {
    match state {
        FetchState::Settled => state_text(f, true),
        FetchState::Active if f.paused => "paused".into(),
        FetchState::Active => "resumes when bgfetch next runs on the profile".into(),
    }
}

fn progress(f: &BackgroundFetchInfo) -> String {
    if f.download_total > 0 {
        format!(
            "{} of {}",
            format_bytes(f.downloaded),
            format_bytes(f.download_total)
        )
    } else {
        format!(
            "{} ({} of {} records)",
            format_bytes(f.downloaded),
            f.records_done,
            f.records
        )
    }
}

/// The fetch `id` names: its number, or its id when only one fetch has it.
fn find<'a>(fetches: &'a [BackgroundFetchInfo], id: &str) -> Result<&'a BackgroundFetchInfo> {
    if let Ok(n) = id.parse::<u64>() {
        if let Some(f) = fetches.iter().find(|f| f.uid == FetchUid(n)) {
            return Ok(f);
        }
    }
    let named: Vec<&BackgroundFetchInfo> = fetches.iter().filter(|f| f.id == id).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(job(format!(
            "no background fetch {id} in the profile (`bgfetch list` shows them)"
        ))),
        _ => Err(job(format!(
            "{} background fetches have the id \"{id}\": give the number `bgfetch list` shows",
            named.len()
        ))),
    }
}

pub fn show(profile: &Path, id: &str) -> Result<()> {
    let (fetches, online, source) = match look(profile)? {
        Seen::Live {
            pid,
            online,
            fetches,
        } => (
            fetches.into_iter().map(|f| (f, None)).collect::<Vec<_>>(),
            online,
            format!("live, from bgfetch pid {pid}"),
        ),
        Seen::Stored { fetches } => (
            fetches.into_iter().map(|(f, s)| (f, Some(s))).collect(),
            true,
            "stored; nothing runs on the profile".to_string(),
        ),
    };
    let infos: Vec<BackgroundFetchInfo> = fetches.iter().map(|(f, _)| f.clone()).collect();
    let f = find(&infos, id)?;
    let stored_state = fetches
        .iter()
        .find(|(g, _)| g.uid == f.uid)
        .and_then(|(_, s)| *s);
    let state = match stored_state {
        Some(s) => stored_state_text(f, s),
        None => state_text(f, online),
    };
    println!("fetch {} ({source})", f.uid.0);
    println!("  origin:    {}", f.origin);
    println!("  id:        {}", f.id);
    println!("  title:     {}", f.title);
    for icon in &f.icons {
        println!(
            "  icon:      {} ({})",
            icon.src,
            icon.sizes.as_deref().unwrap_or("no sizes")
        );
    }
    println!("  progress:  {}", progress(f));
    if f.upload_total > 0 {
        println!(
            "  uploaded:  {} of {}",
            format_bytes(f.uploaded),
            format_bytes(f.upload_total)
        );
    }
    println!("  records:   {} of {} done", f.records_done, f.records);
    println!("  state:     {state}");
    println!(
        "  pausable:  {}",
        if f.can_pause {
            "yes"
        } else {
            "no (not every request is a GET)"
        }
    );
    Ok(())
}

/// `pause`/`resume`/`abort`/`click ID`.
pub fn command(args: &IdArgs, action: Action) -> Result<()> {
    let profile = args.profile.profile();
    // A running bgfetch acts.
    if let Some(Answer::Fetches { fetches, .. }) = control::ask(&profile, &Request::List)? {
        let uid = find(&fetches, &args.id)?.uid;
        return match control::ask(&profile, &Request::Act { uid: uid.0, action })? {
            Some(Answer::Done(done)) => {
                println!("{done}");
                Ok(())
            }
            Some(Answer::Refused(why)) => Err(job(why)),
            Some(Answer::Fetches { .. }) => Err(job("unexpected answer from the running bgfetch")),
            None => Err(job("the running bgfetch went away")),
        };
    }
    if !profile.is_dir() {
        return Err(job(format!(
            "no background fetch {} ({} does not exist)",
            args.id,
            profile.display()
        )));
    }
    // Nothing runs: the stored state, under the profile lock.
    let _lock = engine::lock_profile(&profile).map_err(|e| match e {
        engine::EngineError::ProfileInUse { pid } => profile_in_use(&profile, pid),
        other => engine_error(&profile, other),
    })?;
    let stored = stored_fetches(&profile)?;
    let infos: Vec<BackgroundFetchInfo> = stored.iter().cloned().map(displayed).collect();
    let f = find(&infos, &args.id)?;
    let s = stored
        .iter()
        .find(|s| s.uid == f.uid)
        .expect("found among them");
    if action == Action::Click {
        return Err(job(format!(
            "click fires backgroundfetchclick in {}'s service worker, which needs a running bgfetch on {} (demo or open)",
            f.origin,
            profile.display()
        )));
    }
    if s.state == FetchState::Settled || f.result != FetchResult::Empty {
        return Err(job(format!(
            "fetch {} has settled ({}); its event runs when bgfetch next runs on the profile",
            f.uid.0,
            state_text(f, true)
        )));
    }
    let (paused, abort_all, done) = match action {
        Action::Pause if !f.can_pause => {
            return Err(job(format!(
                "fetch {} cannot be paused: not every request is a GET",
                f.uid.0
            )))
        }
        Action::Pause => (
            true,
            s.abort_all,
            "paused: it stays paused when bgfetch next runs on the profile",
        ),
        Action::Resume if s.awaiting_permission => {
            return Err(job(format!(
                "fetch {} waits for the user's permission, not for resume",
                f.uid.0
            )))
        }
        Action::Resume => (
            false,
            s.abort_all,
            "resumed: it goes on when bgfetch next runs on the profile",
        ),
        Action::Abort => (
            s.paused,
            true,
            "aborted: it settles as aborted when bgfetch next runs on the profile",
        ),
        Action::Click => unreachable!("refused above"),
    };
    open_store(&profile)?
        .set_flags(f.uid, paused, s.awaiting_permission, abort_all)
        .map_err(|e| job(e.to_string()))?;
    println!("fetch {} {done}", f.uid.0);
    Ok(())
}

/// `clear`: forgets every stored background fetch (rows and bodies), and the demo's resume
/// state. Refused while a bgfetch runs on the profile.
pub fn clear(profile: &Path) -> Result<()> {
    if let Some(Answer::Fetches { pid, .. }) = control::ask(profile, &Request::List)? {
        return Err(Failure::Job(format!(
            "profile {} in use by pid {pid}: quit it (q) first, or abort fetches one by one",
            profile.display()
        )));
    }
    if !profile.is_dir() {
        println!("nothing to clear: {} does not exist", profile.display());
        return Ok(());
    }
    let _lock = engine::lock_profile(profile).map_err(|e| engine_error(profile, e))?;
    let stored = stored_fetches(profile)?;
    if !stored.is_empty() {
        let store = open_store(profile)?;
        for f in &stored {
            store.remove_fetch(f.uid).map_err(|e| job(e.to_string()))?;
        }
    }
    crate::demo::state::remove(profile);
    println!(
        "cleared {} background fetch{} from {}",
        stored.len(),
        if stored.len() == 1 { "" } else { "es" },
        profile.display()
    );
    Ok(())
}

/// `bgfetch fsck`: the profile's store checked against its files (`storage::fsck`), under
/// the profile's lock. Exit 1 while a problem remains.
pub fn fsck(profile: &Path, repair: bool) -> Result<()> {
    if let Some(Answer::Fetches { pid, .. }) = control::ask(profile, &Request::List)? {
        return Err(Failure::Job(format!(
            "profile {} in use by pid {pid}: quit it (q) first",
            profile.display()
        )));
    }
    if !profile.is_dir() {
        return Err(Failure::Usage(format!(
            "{} is not a profile directory",
            profile.display()
        )));
    }
    let _lock = engine::lock_profile(profile).map_err(|e| engine_error(profile, e))?;
    let report = storage::fsck::check(profile, repair).map_err(|e| {
        job(match e {
            storage::StoreError::NewerSchema { .. } => format!(
                "{e}: use a newer bgfetch on this profile; nothing was changed"
            ),
            storage::StoreError::Corrupt { .. } => format!(
                "{e}. The bodies stay in {}/bgfetch and {}/caches; copy the profile away before moving {} aside",
                profile.display(),
                profile.display(),
                storage::fsck::database_path(profile).display()
            ),
            other => other.to_string(),
        })
    })?;
    for note in &report.notes {
        println!("note: {note}");
    }
    for f in &report.findings {
        println!("problem: {}", f.problem);
        match &f.repaired {
            Some(done) => println!("  repaired: {done}"),
            None if f.repairable && !repair => println!("  (--repair fixes this)"),
            None if !f.repairable => println!("  (not repairable by fsck)"),
            None => println!("  (repair failed)"),
        }
    }
    let remaining = report.remaining();
    println!(
        "{}: {} problem(s) found, {} repaired, {remaining} remaining",
        profile.display(),
        report.findings.len(),
        report.findings.len() - remaining
    );
    if remaining > 0 {
        return Err(Failure::Job(String::new()));
    }
    Ok(())
}
