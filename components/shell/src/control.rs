//! The control channel between bgfetch processes on one profile: the process running an
//! engine (`demo`, `open`) serves `control.sock`, a Unix socket in the profile, and a second
//! `bgfetch list | show | pause | resume | abort | click` talks to it, so the one running
//! engine acts (never a second controller on the profile). One JSON request line, one JSON
//! answer line per connection. The socket is removed when the server stops; one left by a
//! killed process is stale (nobody answers) and replaced by the next server.

use crate::error::{job, Result};
use crossbeam_channel::{Receiver, Sender};
use engine::BackgroundFetchInfo;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The socket's file name in the profile.
pub const SOCKET: &str = "control.sock";

/// What the user does to a background fetch's display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Pause,
    Resume,
    Abort,
    Click,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Abort => "abort",
            Action::Click => "click",
        }
    }

    pub fn command(self) -> engine::FetchCommand {
        match self {
            Action::Pause => engine::FetchCommand::Pause,
            Action::Resume => engine::FetchCommand::Resume,
            Action::Abort => engine::FetchCommand::Abort,
            Action::Click => engine::FetchCommand::Click,
        }
    }
}

/// A request to the running process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// What its display shows.
    List,
    /// Act on one fetch, as its display's keys would.
    Act { uid: u64, action: Action },
}

/// The running process's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Fetches {
        pid: u32,
        online: bool,
        fetches: Vec<BackgroundFetchInfo>,
    },
    /// Done (what happened, in words).
    Done(String),
    /// Not done (why).
    Refused(String),
}

/// A request that reached the running process, with where its answer goes.
pub struct Incoming {
    pub request: Request,
    pub reply: Sender<Answer>,
}

/// Serves `control.sock` until dropped.
pub struct ControlServer {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ControlServer {
    /// Listens on the profile's socket (the caller holds the profile, so an existing socket
    /// is stale). `None` (and a log line) where a socket cannot be made: other processes
    /// then get the "profile in use" refusal instead.
    pub fn start(profile: &Path) -> Option<(ControlServer, Receiver<Incoming>)> {
        let path = profile.join(SOCKET);
        let _ = std::fs::remove_file(&path);
        let listener = match std::os::unix::net::UnixListener::bind(&path) {
            Ok(l) => l,
            Err(e) => {
                log::warn!("no control socket at {}: {e}", path.display());
                return None;
            }
        };
        if listener.set_nonblocking(true).is_err() {
            return None;
        }
        let (tx, rx) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("control".into())
            .spawn({
                let stop = stop.clone();
                move || {
                    while !stop.load(Ordering::Acquire) {
                        match listener.accept() {
                            Ok((stream, _)) => serve(stream, &tx),
                            Err(_) => std::thread::sleep(Duration::from_millis(50)),
                        }
                    }
                }
            })
            .ok()?;
        Some((
            ControlServer {
                path,
                stop,
                thread: Some(thread),
            },
            rx,
        ))
    }
}

impl Drop for ControlServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One connection: a request line, the session's answer line.
fn serve(stream: std::os::unix::net::UnixStream, to_session: &Sender<Incoming>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    if BufReader::new(stream).read_line(&mut line).is_err() {
        return;
    }
    let answer = match serde_json::from_str::<Request>(&line) {
        Ok(request) => {
            let (reply, answer) = crossbeam_channel::bounded(1);
            if to_session.send(Incoming { request, reply }).is_err() {
                Answer::Refused("the process is stopping".into())
            } else {
                answer
                    .recv_timeout(Duration::from_secs(5))
                    .unwrap_or_else(|_| {
                        Answer::Refused("no answer from the running process".into())
                    })
            }
        }
        Err(e) => Answer::Refused(format!("bad request: {e}")),
    };
    if let Ok(text) = serde_json::to_string(&answer) {
        let _ = writeln!(writer, "{text}");
    }
}

/// Asks the process running on `profile`. `Ok(None)`: nobody listens (no socket, or a
/// stale one).
pub fn ask(profile: &Path, request: &Request) -> Result<Option<Answer>> {
    let path = profile.join(SOCKET);
    let mut stream = match std::os::unix::net::UnixStream::connect(&path) {
        Ok(s) => s,
        Err(_) => return Ok(None),
    };
    let failed = |e: std::io::Error| job(format!("{}: {e}", path.display()));
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .map_err(failed)?;
    let text = serde_json::to_string(request).map_err(|e| job(e.to_string()))?;
    writeln!(stream, "{text}").map_err(failed)?;
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .map_err(failed)?;
    serde_json::from_str(&line)
        .map(Some)
        .map_err(|e| job(format!("{}: unreadable answer: {e}", path.display())))
}
