//! `bgfetch demo` on a terminal (a pseudo-terminal made with openpty): the display shows the
//! origin, the title and a progress bar that moves, and reacts to `p` (pause, resume) and
//! `a` (abort); the terminal's settings are restored when it ends.

mod support;

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

/// The screen's bytes as text, with the terminal escape sequences taken out.
fn strip_escapes(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // Parameters, then one final letter.
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '~' {
                        break;
                    }
                }
            } else {
                chars.next();
            }
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

/// A bgfetch on a pseudo-terminal: everything it draws is collected.
struct Terminal {
    child: std::process::Child,
    master: OwnedFd,
    /// The terminal's other end, kept to read its settings after the child ended.
    slave: OwnedFd,
    screen: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
}

impl Terminal {
    fn spawn(args: &[&str]) -> Terminal {
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: 40,
            ws_col: 140,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty fills two descriptors we then own.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(r, 0, "openpty");
        // SAFETY: fresh descriptors from openpty, owned once each.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup"));
        let mut command = Command::new(support::BIN);
        command
            .args(args)
            .env_remove("RUST_LOG")
            .env("TERM", "xterm-256color")
            .stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec: a new session whose
        // controlling terminal is the pty (stdin).
        unsafe {
            command.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = command.spawn().expect("bgfetch starts");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = master.try_clone().expect("dup");
        std::thread::spawn({
            let (screen, stop) = (screen.clone(), stop.clone());
            move || {
                let mut buf = [0u8; 4096];
                while !stop.load(Ordering::Acquire) {
                    let mut fd = libc::pollfd {
                        fd: reader.as_raw_fd(),
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: poll and read on a descriptor we own, into a buffer of its length.
                    let n = unsafe {
                        if libc::poll(&mut fd, 1, 100) <= 0 {
                            continue;
                        }
                        libc::read(reader.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len())
                    };
                    if n <= 0 {
                        break;
                    }
                    screen.lock().unwrap().extend_from_slice(&buf[..n as usize]);
                }
            }
        });
        Terminal {
            child,
            master,
            slave,
            screen,
            stop,
        }
    }

    /// Bytes drawn so far.
    fn len(&self) -> usize {
        self.screen.lock().unwrap().len()
    }

    /// What was drawn since byte `from`, as text.
    fn text_since(&self, from: usize) -> String {
        strip_escapes(&self.screen.lock().unwrap()[from..])
    }

    /// Waits until what was drawn since `from` satisfies `test`.
    fn wait_for(&self, from: usize, what: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let text = self.text_since(from);
            if test(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} on the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn press(&self, key: &str) {
        let mut master = std::fs::File::from(self.master.try_clone().expect("dup"));
        master.write_all(key.as_bytes()).expect("a key is typed");
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The percentages the progress bars showed (`] 42%`), in order.
fn percentages(text: &str) -> Vec<u64> {
    text.split("] ")
        .skip(1)
        .filter_map(|rest| rest.trim_start().split_once('%')?.0.parse().ok())
        .collect()
}

#[test]
fn the_display_shows_the_fetch_and_reacts_to_keys() {
    let profile = tempfile::tempdir().unwrap();
    let term = Terminal::spawn(&[
        "demo",
        "--size",
        "64MiB",
        "--rate",
        "4MiB",
        "--profile",
        support::arg(profile.path()),
    ]);
    let shown = term.wait_for(0, "display", |t| {
        t.contains("https://demo.bgfetch.test:")
            && t.contains("Episode 1: Fetching in the background")
            && t.contains("keys: p pause/resume")
            && percentages(t).iter().any(|p| *p > 0)
    });
    assert!(shown.contains("/artwork-96.png"), "the icon: {shown}");
    // The bar moves.
    let first = *percentages(&shown).iter().max().unwrap();
    term.wait_for(0, "a moving bar", |t| {
        percentages(t).iter().any(|p| *p > first)
    });

    let at = term.len();
    term.press("p");
    term.wait_for(at, "the paused state", |t| t.contains(", paused"));
    let at = term.len();
    term.press("p");
    term.wait_for(at, "the download going on", |t| t.contains(", downloading"));
    let at = term.len();
    term.press("a");
    let end = term.wait_for(at, "the abort", |t| {
        t.contains("aborted") && t.contains("the download was aborted")
    });
    let mut term = term;
    let code = loop {
        if let Some(status) = term.child.try_wait().unwrap() {
            break status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(1), "{end}");
    // The terminal is back to line editing with echo.
    // SAFETY: tcgetattr into a zeroed struct, on a descriptor we own.
    let mut settings: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::tcgetattr(term.slave.as_raw_fd(), &mut settings) },
        0
    );
    assert_ne!(settings.c_lflag & libc::ICANON, 0);
    assert_ne!(settings.c_lflag & libc::ECHO, 0);
}
