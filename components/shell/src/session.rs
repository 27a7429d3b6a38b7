//! A running engine on a profile, as `demo` and `open` use it: the delegate's news go to the
//! display, the keys (on a terminal) and the control socket (other bgfetch processes) act
//! on the background fetches, icons are fetched for the display, permission prompts are
//! answered by policy or by the user. The job (`demo`, `open`) drives it with
//! [`Session::next`] and sees what matters to it: fetch changes, page events, quit.

use crate::control::{Action, Answer, ControlServer, Incoming, Request};
use crate::display::Display;
use crate::error::{engine_error, Result};
use crate::keys::{Key, Keys};
use crossbeam_channel::{Receiver, Sender};
use engine::{
    BackgroundFetchInfo, Delegate, Engine, EngineConfig, FetchResult, FetchUid, PageEvent, PageId,
    PermissionAnswer, PermissionRequest,
};
use std::collections::{BTreeMap, VecDeque};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// What the delegate and the helper threads report to the session.
enum Event {
    Fetch(BackgroundFetchInfo),
    Page(PageEvent),
    Permission(PermissionRequest, PermissionAnswer),
    Icon {
        uid: FetchUid,
        src: String,
        description: String,
    },
}

/// The shell's [`Delegate`]: everything goes to the session's thread.
struct ShellDelegate {
    events: Sender<Event>,
}

impl Delegate for ShellDelegate {
    fn request_permission(&self, request: PermissionRequest, answer: PermissionAnswer) {
        let _ = self.events.send(Event::Permission(request, answer));
    }

    fn background_fetch_changed(&self, info: &BackgroundFetchInfo) {
        let _ = self.events.send(Event::Fetch(info.clone()));
    }

    fn page_event(&self, _page: PageId, event: &PageEvent) {
        let _ = self.events.send(Event::Page(event.clone()));
    }
}

/// How permission prompts are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompts {
    /// Ask the user on the terminal (without one: deny).
    Ask,
    Deny,
}

/// What happened, for the job.
#[derive(Debug)]
pub enum Happened {
    Fetch(BackgroundFetchInfo),
    Page(PageEvent),
    /// The user pressed `q` (or Ctrl-C).
    Quit,
    /// Nothing for the job (time passed, or the session handled something itself).
    Tick,
}

pub struct Session {
    engine: Option<Engine>,
    events: Receiver<Event>,
    events_tx: Sender<Event>,
    pub display: Display,
    keys: Option<Keys>,
    control: Option<(ControlServer, Receiver<Incoming>)>,
    fetches: BTreeMap<FetchUid, BackgroundFetchInfo>,
    prompts: VecDeque<(PermissionRequest, PermissionAnswer)>,
    policy: Prompts,
}

impl Session {
    /// Starts an engine on `profile` with `network`, and the control socket.
    pub fn start(
        profile: &Path,
        network: engine::NetworkConfig,
        policy: Prompts,
    ) -> Result<Session> {
        let (events_tx, events) = crossbeam_channel::unbounded();
        let mut config = EngineConfig::new(profile);
        config.network = network;
        config.delegate = Arc::new(ShellDelegate {
            events: events_tx.clone(),
        });
        let engine = Engine::start(config).map_err(|e| engine_error(profile, e))?;
        let control = ControlServer::start(profile);
        let keys = if std::io::stderr().is_terminal() {
            Keys::start()
        } else {
            None
        };
        let display = Display::new(keys.is_some());
        Ok(Session {
            engine: Some(engine),
            events,
            events_tx,
            display,
            keys,
            control,
            fetches: BTreeMap::new(),
            prompts: VecDeque::new(),
            policy,
        })
    }

    pub fn engine(&self) -> &Engine {
        self.engine
            .as_ref()
            .expect("the engine runs until shutdown")
    }

    /// Every fetch the display shows, as last heard.
    pub fn fetches(&self) -> &BTreeMap<FetchUid, BackgroundFetchInfo> {
        &self.fetches
    }

    /// The network is there or not (for the engine and the display).
    pub fn set_online(&mut self, online: bool) {
        self.engine().set_online(online);
        self.display.set_online(online);
    }

    /// Waits at most `wait` for something; handles keys, control requests, icons and
    /// prompts itself.
    pub fn next(&mut self, wait: Duration) -> Happened {
        let never = crossbeam_channel::never();
        let keys = self
            .keys
            .as_ref()
            .map(|k| k.receiver().clone())
            .unwrap_or_else(|| never.clone());
        let control = self
            .control
            .as_ref()
            .map(|(_, rx)| rx.clone())
            .unwrap_or_else(crossbeam_channel::never);
        crossbeam_channel::select! {
            recv(self.events) -> event => match event {
                Ok(event) => self.event(event),
                Err(_) => Happened::Tick,
            },
            recv(keys) -> key => match key {
                Ok(key) => self.key(key),
                Err(_) => Happened::Tick,
            },
            recv(control) -> incoming => {
                if let Ok(incoming) = incoming {
                    let answer = self.control_request(incoming.request);
                    let _ = incoming.reply.send(answer);
                }
                Happened::Tick
            },
            default(wait) => {
                self.display.tick();
                Happened::Tick
            },
        }
    }

    fn event(&mut self, event: Event) -> Happened {
        match event {
            Event::Fetch(info) => {
                self.fetches.insert(info.uid, info.clone());
                if let Some(icon) = self.display.update(&info) {
                    self.fetch_icon(&info, icon);
                }
                Happened::Fetch(info)
            }
            Event::Page(event) => Happened::Page(event),
            Event::Permission(request, answer) => {
                self.prompt(request, answer);
                Happened::Tick
            }
            Event::Icon {
                uid,
                src,
                description,
            } => {
                self.display.set_icon(uid, &src, description);
                Happened::Tick
            }
        }
    }

    /// The display's icon, fetched by the engine on a helper thread (bounded in size and
    /// time), described when it arrives.
    fn fetch_icon(&self, info: &BackgroundFetchInfo, icon: engine::ImageResource) {
        let pending = self.engine().fetch_image(
            &icon.src,
            &info.origin,
            crate::icon::MAX_ICON_BYTES,
            crate::icon::ICON_TIMEOUT,
        );
        let (uid, events) = (info.uid, self.events_tx.clone());
        let _ = std::thread::Builder::new()
            .name("icon".into())
            .spawn(move || {
                let fetched = pending.wait();
                let _ = events.send(Event::Icon {
                    uid,
                    src: icon.src.clone(),
                    description: crate::icon::describe(&icon, &fetched),
                });
            });
    }

    fn prompt(&mut self, request: PermissionRequest, answer: PermissionAnswer) {
        match self.policy {
            Prompts::Ask if self.display.is_interactive() => {
                self.prompts.push_back((request, answer));
                self.show_prompt();
            }
            Prompts::Ask => {
                self.display.message(&format!(
                    "{} asked to download in the background: denied (no terminal to ask; --grant allows it)",
                    request.origin
                ));
                answer.deny();
            }
            Prompts::Deny => {
                self.display.message(&format!(
                    "{} asked to download in the background: denied",
                    request.origin
                ));
                answer.deny();
            }
        }
    }

    fn show_prompt(&mut self) {
        let prompt = self
            .prompts
            .front()
            .map(|(request, _)| format!("{} asks to download in the background.", request.origin));
        self.display.set_prompt(prompt);
    }

    fn key(&mut self, key: Key) -> Happened {
        if !self.prompts.is_empty() {
            match key {
                Key::Char('y') | Key::Char('n') => {
                    if let Some((request, answer)) = self.prompts.pop_front() {
                        if key == Key::Char('y') {
                            answer.grant();
                        } else {
                            self.display
                                .message(&format!("{}: background fetch denied", request.origin));
                            answer.deny();
                        }
                    }
                    self.show_prompt();
                    return Happened::Tick;
                }
                Key::Char('q') | Key::Interrupt => return Happened::Quit,
                _ => return Happened::Tick,
            }
        }
        let selected = self.display.selected().cloned();
        let act = |action: Action| selected.as_ref().map(|info| (info.uid, action));
        let command = match key {
            Key::Char('q') | Key::Interrupt => return Happened::Quit,
            Key::Tab => {
                self.display.select_next();
                None
            }
            Key::Char('p') => selected.as_ref().and_then(|info| {
                if !info.can_pause {
                    self.display
                        .message("pause is offered only when every request is a GET");
                    None
                } else if info.paused {
                    act(Action::Resume)
                } else {
                    act(Action::Pause)
                }
            }),
            Key::Char('a') => act(Action::Abort),
            Key::Char('c') | Key::Enter => act(Action::Click),
            _ => None,
        };
        if let Some((uid, action)) = command {
            if let Err(why) = self.act(uid, action) {
                self.display.message(&why);
            } else if action == Action::Click {
                self.display.message(&format!(
                    "clicked fetch {}: backgroundfetchclick fires",
                    uid.0
                ));
            }
        }
        Happened::Tick
    }

    /// Acts on a fetch as its display's keys do (also for other processes).
    pub fn act(&self, uid: FetchUid, action: Action) -> std::result::Result<String, String> {
        let Some(info) = self.fetches.get(&uid) else {
            return Err(format!("no background fetch {} here", uid.0));
        };
        let settled = info.result != FetchResult::Empty;
        match action {
            Action::Pause if !info.can_pause => {
                return Err(format!(
                    "fetch {} cannot be paused: not every request is a GET",
                    uid.0
                ))
            }
            Action::Pause | Action::Resume | Action::Abort if settled => {
                return Err(format!(
                    "fetch {} has settled ({})",
                    uid.0,
                    crate::display::state_text(info, true)
                ))
            }
            _ => {}
        }
        self.engine().command(uid, action.command());
        Ok(format!("{} sent to fetch {}", action.name(), uid.0))
    }

    fn control_request(&mut self, request: Request) -> Answer {
        match request {
            Request::List => Answer::Fetches {
                pid: std::process::id(),
                online: self.engine().is_online(),
                fetches: self.fetches.values().cloned().collect(),
            },
            Request::Act { uid, action } => match self.act(FetchUid(uid), action) {
                Ok(done) => {
                    self.display.message(&format!("another bgfetch: {done}"));
                    Answer::Done(done)
                }
                Err(why) => Answer::Refused(why),
            },
        }
    }

    /// Stops everything: the display, the keys (the terminal is restored), the control
    /// socket, the engine (unfinished fetches resume at its next start).
    pub fn shutdown(mut self) {
        self.display.finish();
        self.keys.take();
        self.control.take();
        // Prompts still open are dropped unanswered (their fetches stay paused).
        self.prompts.clear();
        if let Some(engine) = self.engine.take() {
            engine.shutdown();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.keys.take();
        self.control.take();
    }
}
