//! The spec's "display" (<https://wicg.github.io/background-fetch/#display>) in a terminal:
//! one row per background fetch with its origin (prominent, as the spec insists), title,
//! icon (the chosen icon's URL and size), a progress bar of downloaded of downloadTotal (or
//! of records when there is no total), rate and time left, uploaded bytes for uploads, the
//! paused or offline state, and the result once it settled. `updateUI()` changes title and
//! icon live.
//!
//! On a terminal it draws bars (indicatif, on stderr) under a line of keys; without one it
//! prints a plain line per fetch to stdout, at most once a second while only the numbers
//! move (at once when its state changes).

use crate::units::{format_bytes, format_duration};
use engine::{BackgroundFetchInfo, FailureReason, FetchResult, FetchUid, ImageResource};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// Plain lines come at most this often while only the numbers move.
const PLAIN_INTERVAL: Duration = Duration::from_secs(1);
/// The rate is measured over this window.
const RATE_WINDOW: Duration = Duration::from_secs(4);

pub struct Display {
    tty: Option<Tty>,
    rows: BTreeMap<FetchUid, Row>,
    /// The fetch the keys act on.
    selected: Option<FetchUid>,
    /// A question waiting for a key (a permission prompt).
    prompt: Option<String>,
    online: bool,
}

struct Tty {
    multi: MultiProgress,
    keys: ProgressBar,
}

struct Row {
    info: BackgroundFetchInfo,
    /// The chosen icon and what the display says of it (once fetched).
    icon: Option<(ImageResource, Option<String>)>,
    rate: Rate,
    bars: Option<RowBars>,
    /// What the last plain line said, and when.
    last_plain: Option<(Instant, String, u64)>,
}

struct RowBars {
    head: ProgressBar,
    icon: ProgressBar,
    progress: ProgressBar,
}

impl Display {
    /// `interactive`: draw bars and a line of keys on the terminal (stderr).
    pub fn new(interactive: bool) -> Display {
        let tty = interactive.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            let keys = multi.add(ProgressBar::new_spinner());
            keys.set_style(ProgressStyle::with_template("{msg:.dim}").expect("a valid template"));
            Tty { multi, keys }
        });
        let display = Display {
            tty,
            rows: BTreeMap::new(),
            selected: None,
            prompt: None,
            online: true,
        };
        display.draw_keys();
        display
    }

    pub fn is_interactive(&self) -> bool {
        self.tty.is_some()
    }

    /// A line above the rows (or on stdout, without a terminal).
    pub fn message(&self, text: &str) {
        match &self.tty {
            Some(tty) => {
                let _ = tty.multi.println(text);
            }
            None => println!("{text}"),
        }
    }

    /// The network went away or came back (the rows say "paused: offline").
    pub fn set_online(&mut self, online: bool) {
        self.online = online;
        let uids: Vec<FetchUid> = self.rows.keys().copied().collect();
        for uid in uids {
            self.redraw(uid);
        }
    }

    /// What the engine says of a fetch now. Returns the icon to fetch when the chosen icon
    /// changed (a new fetch, or `updateUI` with icons).
    pub fn update(&mut self, info: &BackgroundFetchInfo) -> Option<ImageResource> {
        let uid = info.uid;
        let is_new = !self.rows.contains_key(&uid);
        let row = self.rows.entry(uid).or_insert_with(|| Row {
            info: info.clone(),
            icon: None,
            rate: Rate::default(),
            bars: None,
            last_plain: None,
        });
        row.info = info.clone();
        row.rate.sample(info.downloaded + info.uploaded);
        let chosen = crate::icon::choose(&info.icons).cloned();
        let fetch_icon = match (&row.icon, &chosen) {
            (Some((current, _)), Some(new)) if current.src == new.src => None,
            (_, new) => {
                row.icon = new.clone().map(|i| (i, None));
                new.clone()
            }
        };
        if is_new {
            if self.selected.is_none() {
                self.selected = Some(uid);
            }
            if let Some(tty) = &self.tty {
                let head = tty.multi.add(ProgressBar::new_spinner());
                head.set_style(
                    ProgressStyle::with_template("{prefix}{msg}").expect("a valid template"),
                );
                let icon = tty.multi.add(ProgressBar::new_spinner());
                icon.set_style(
                    ProgressStyle::with_template("    {msg}").expect("a valid template"),
                );
                let progress = tty.multi.add(ProgressBar::new(0));
                if let Some(row) = self.rows.get_mut(&uid) {
                    row.bars = Some(RowBars {
                        head,
                        icon,
                        progress,
                    });
                }
            }
            self.draw_keys();
        }
        self.redraw(uid);
        fetch_icon
    }

    /// The chosen icon `src` of `uid` was fetched (or not): its description.
    pub fn set_icon(&mut self, uid: FetchUid, src: &str, description: String) {
        let Some(row) = self.rows.get_mut(&uid) else {
            return;
        };
        match &mut row.icon {
            Some((icon, text)) if icon.src == src => *text = Some(description.clone()),
            _ => return,
        }
        if self.tty.is_none() {
            println!("[{}] icon: {description}", row.info.origin);
        }
        self.redraw(uid);
    }

    /// Called a few times a second: plain lines that are due, rates that decay.
    pub fn tick(&mut self) {
        let uids: Vec<FetchUid> = self.rows.keys().copied().collect();
        for uid in uids {
            if let Some(row) = self.rows.get_mut(&uid) {
                row.rate.sample(row.info.downloaded + row.info.uploaded);
            }
            self.redraw(uid);
        }
    }

    /// A question for the user (answered with a key), or none.
    pub fn set_prompt(&mut self, prompt: Option<String>) {
        if let (None, Some(p)) = (&self.tty, &prompt) {
            println!("{p}");
        }
        self.prompt = prompt;
        self.draw_keys();
    }

    /// The fetch the keys act on.
    pub fn selected(&self) -> Option<&BackgroundFetchInfo> {
        self.selected
            .and_then(|uid| self.rows.get(&uid))
            .map(|r| &r.info)
    }

    /// Tab: the next fetch.
    pub fn select_next(&mut self) {
        let uids: Vec<FetchUid> = self.rows.keys().copied().collect();
        let at = self
            .selected
            .and_then(|s| uids.iter().position(|u| *u == s));
        self.selected = match at {
            Some(i) => uids.get((i + 1) % uids.len()).copied(),
            None => uids.first().copied(),
        };
        for uid in uids {
            self.redraw(uid);
        }
        self.draw_keys();
    }

    /// Stops drawing: the rows stay on the screen as they are.
    pub fn finish(&mut self) {
        if let Some(tty) = &self.tty {
            for row in self.rows.values() {
                if let Some(bars) = &row.bars {
                    bars.head.abandon();
                    bars.icon.abandon();
                    bars.progress.abandon();
                }
            }
            tty.keys.finish_and_clear();
        }
    }

    fn draw_keys(&self) {
        let Some(tty) = &self.tty else {
            return;
        };
        if let Some(prompt) = &self.prompt {
            tty.keys
                .set_message(format!("{prompt}  [y] allow  [n] deny"));
            return;
        }
        let mut keys = Vec::new();
        if self.selected().is_some_and(|i| i.can_pause) {
            keys.push("p pause/resume");
        }
        if self.selected.is_some() {
            keys.push("a abort");
            keys.push("c/Enter click");
        }
        if self.rows.len() > 1 {
            keys.push("Tab next");
        }
        keys.push("q quit (fetches resume next run)");
        tty.keys.set_message(format!("keys: {}", keys.join(" · ")));
    }

    fn redraw(&mut self, uid: FetchUid) {
        let online = self.online;
        let selected = self.selected == Some(uid);
        let interactive = self.tty.is_some();
        let Some(row) = self.rows.get_mut(&uid) else {
            return;
        };
        let info = &row.info;
        let state = state_text(info, online);
        let numbers = numbers_text(info, &row.rate, &state);
        match &row.bars {
            Some(bars) => {
                bars.head
                    .set_prefix(format!("{} ", if selected { ">" } else { " " }));
                bars.head.set_message(format!(
                    "\x1b[1m{}\x1b[0m  {}",
                    info.origin,
                    title_text(info)
                ));
                bars.icon.set_message(match &row.icon {
                    Some((_, Some(text))) => format!("icon: {text}"),
                    Some((icon, None)) => format!("icon: {} (fetching)", icon.src),
                    None => "icon: none".to_string(),
                });
                let (length, position) = if info.download_total > 0 {
                    (
                        info.download_total,
                        info.downloaded.min(info.download_total),
                    )
                } else if info.upload_total > 0 && info.uploaded < info.upload_total {
                    (info.upload_total, info.uploaded)
                } else {
                    (info.records.max(1) as u64, info.records_done as u64)
                };
                bars.progress.set_style(
                    ProgressStyle::with_template("    [{bar:36.cyan/blue}] {percent:>3}%  {msg}")
                        .expect("a valid template")
                        .progress_chars("=> "),
                );
                bars.progress.set_length(length);
                bars.progress.set_position(position);
                bars.progress.set_message(numbers);
            }
            None if !interactive => {
                let now = Instant::now();
                let line = format!("[{}] {} — {}", info.origin, title_text(info), numbers);
                let due = match &row.last_plain {
                    None => true,
                    Some((at, last_state, last_bytes)) => {
                        *last_state != format!("{}|{}", state, info.title)
                            || (now.duration_since(*at) >= PLAIN_INTERVAL
                                && *last_bytes != info.downloaded + info.uploaded)
                    }
                };
                if due {
                    println!("{line}");
                    row.last_plain = Some((
                        now,
                        format!("{}|{}", state, info.title),
                        info.downloaded + info.uploaded,
                    ));
                }
            }
            None => {}
        }
    }
}

/// The title, or the fetch's id when the page gave none.
fn title_text(info: &BackgroundFetchInfo) -> String {
    if info.title.is_empty() {
        format!("\"{}\"", info.id)
    } else {
        info.title.clone()
    }
}

/// Where a fetch is: waiting for permission, paused, offline, downloading, uploading, or
/// its result.
pub fn state_text(info: &BackgroundFetchInfo, online: bool) -> String {
    let settled = match (info.result, info.failure_reason) {
        (FetchResult::Empty, _) => None,
        (FetchResult::Success, _) => Some("success".to_string()),
        (_, FailureReason::Aborted) => Some("aborted".to_string()),
        (_, reason) => Some(format!("failed: {}", reason.as_str())),
    };
    match settled {
        Some(s) if info.finished => format!("{s} (event done)"),
        Some(s) => format!("{s} (event pending)"),
        None if info.awaiting_permission => "waiting for permission".into(),
        None if info.paused => "paused".into(),
        None if !online => "paused: offline".into(),
        None if info.upload_total > 0 && info.uploaded < info.upload_total => "uploading".into(),
        None => "downloading".into(),
    }
}

/// `12.0 MiB of 256.0 MiB, 40.1 MiB/s, 6 s left, downloading`.
fn numbers_text(info: &BackgroundFetchInfo, rate: &Rate, state: &str) -> String {
    let mut parts = Vec::new();
    if let Some(percent) =
        (info.downloaded.min(info.download_total) * 100).checked_div(info.download_total)
    {
        parts.push(format!(
            "{} of {} ({percent}%)",
            format_bytes(info.downloaded),
            format_bytes(info.download_total)
        ));
    } else {
        parts.push(format!(
            "{} ({} of {} records)",
            format_bytes(info.downloaded),
            info.records_done,
            info.records
        ));
    }
    if info.upload_total > 0 {
        parts.push(format!(
            "uploaded {} of {}",
            format_bytes(info.uploaded),
            format_bytes(info.upload_total)
        ));
    }
    let running = state == "downloading" || state == "uploading";
    if running {
        if let Some(per_sec) = rate.per_second() {
            parts.push(format!("{}/s", format_bytes(per_sec as u64)));
            let left = if info.upload_total > info.uploaded {
                info.upload_total - info.uploaded
            } else {
                info.download_total.saturating_sub(info.downloaded)
            };
            if left > 0 && per_sec > 0.0 {
                parts.push(format!(
                    "{} left",
                    format_duration(Duration::from_secs_f64(left as f64 / per_sec))
                ));
            }
        }
    }
    parts.push(state.to_string());
    parts.join(", ")
}

/// Bytes per second over the last few seconds.
#[derive(Default)]
struct Rate {
    samples: VecDeque<(Instant, u64)>,
}

impl Rate {
    fn sample(&mut self, bytes: u64) {
        let now = Instant::now();
        if self.samples.back().is_some_and(|(_, b)| *b > bytes) {
            // Fewer bytes than before (a record started again): measure afresh.
            self.samples.clear();
        }
        self.samples.push_back((now, bytes));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > RATE_WINDOW)
            && self.samples.len() > 2
        {
            self.samples.pop_front();
        }
    }

    fn per_second(&self) -> Option<f64> {
        let (t0, b0) = self.samples.front()?;
        let (t1, b1) = self.samples.back()?;
        let dt = t1.duration_since(*t0).as_secs_f64();
        (dt >= 0.5).then(|| (b1 - b0) as f64 / dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> BackgroundFetchInfo {
        BackgroundFetchInfo {
            uid: FetchUid(1),
            origin: "https://demo.bgfetch.test:1234".into(),
            id: "episode-1".into(),
            title: "Episode 1".into(),
            icons: vec![],
            download_total: 1 << 20,
            downloaded: 1 << 19,
            upload_total: 0,
            uploaded: 0,
            records_done: 0,
            records: 1,
            paused: false,
            awaiting_permission: false,
            can_pause: true,
            result: FetchResult::Empty,
            failure_reason: FailureReason::Empty,
            finished: false,
        }
    }

    #[test]
    fn states_read_as_the_spec_names_them() {
        let mut i = info();
        assert_eq!(state_text(&i, true), "downloading");
        assert_eq!(state_text(&i, false), "paused: offline");
        i.paused = true;
        assert_eq!(state_text(&i, true), "paused");
        i.result = FetchResult::Failure;
        i.failure_reason = FailureReason::Aborted;
        assert_eq!(state_text(&i, true), "aborted (event pending)");
        i.failure_reason = FailureReason::BadStatus;
        i.finished = true;
        assert_eq!(state_text(&i, true), "failed: bad-status (event done)");
    }

    #[test]
    fn numbers_say_how_far_it_is() {
        let i = info();
        let text = numbers_text(&i, &Rate::default(), "downloading");
        assert_eq!(text, "512.0 KiB of 1.0 MiB (50%), downloading");
    }
}
