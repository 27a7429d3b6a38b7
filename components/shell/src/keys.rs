//! Single keys from the terminal while the display runs. The terminal goes to "cbreak"
//! mode (no line editing, no echo, Ctrl-C read as a key so that quitting always restores
//! the terminal) rather than full raw mode: output processing stays on, so the progress bars
//! (drawn with `\n`) render as usual. Restored when [`Keys`] is dropped, and by a panic.

use crossbeam_channel::Receiver;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A key the display reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    /// Ctrl-C (or Ctrl-D): quit, like `q`.
    Interrupt,
}

/// The terminal in cbreak mode and a thread reading keys from it.
pub struct Keys {
    keys: Receiver<Key>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

/// The terminal settings to restore (also from the panic hook).
static SAVED: Mutex<Option<Saved>> = Mutex::new(None);

#[cfg(unix)]
type Saved = libc::termios;
#[cfg(not(unix))]
type Saved = ();

impl Keys {
    /// Starts reading keys from stdin, if it is a terminal.
    pub fn start() -> Option<Keys> {
        let saved = enter_cbreak()?;
        if let Ok(mut s) = SAVED.lock() {
            *s = Some(saved);
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info)
        }));
        let (tx, keys) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let reader = std::thread::Builder::new()
            .name("keys".into())
            .spawn({
                let stop = stop.clone();
                move || {
                    while !stop.load(Ordering::Acquire) {
                        let Some(bytes) = read_some(100) else {
                            continue;
                        };
                        if bytes.is_empty() {
                            // End of input.
                            let _ = tx.send(Key::Interrupt);
                            return;
                        }
                        for key in decode(&bytes) {
                            if tx.send(key).is_err() {
                                return;
                            }
                        }
                    }
                }
            })
            .ok();
        Some(Keys { keys, stop, reader })
    }

    pub fn receiver(&self) -> &Receiver<Key> {
        &self.keys
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.reader.take() {
            let _ = t.join();
        }
        restore();
    }
}

/// The keys in what one read returned (escape sequences, such as arrows, are skipped).
fn decode(bytes: &[u8]) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b => break,
            b'\r' | b'\n' => keys.push(Key::Enter),
            b'\t' => keys.push(Key::Tab),
            0x03 | 0x04 => keys.push(Key::Interrupt),
            b if b.is_ascii_graphic() || b == b' ' => keys.push(Key::Char(b as char)),
            _ => {}
        }
        i += 1;
    }
    keys
}

#[cfg(unix)]
fn enter_cbreak() -> Option<Saved> {
    // SAFETY: termios calls on fd 0 with a zeroed struct they fill in; no memory is shared.
    unsafe {
        if libc::isatty(0) != 1 {
            return None;
        }
        let mut saved: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut saved) != 0 {
            return None;
        }
        let mut cbreak = saved;
        cbreak.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
        cbreak.c_cc[libc::VMIN] = 1;
        cbreak.c_cc[libc::VTIME] = 0;
        if libc::tcsetattr(0, libc::TCSANOW, &cbreak) != 0 {
            return None;
        }
        Some(saved)
    }
}

#[cfg(unix)]
fn restore() {
    let saved = SAVED.lock().ok().and_then(|mut s| s.take());
    if let Some(saved) = saved {
        // SAFETY: restores the settings read by tcgetattr on the same descriptor.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &saved);
        }
    }
}

/// Waits up to `timeout_ms` for input on stdin; `Some(bytes)` when something came (empty at
/// the end of input), `None` on timeout.
#[cfg(unix)]
fn read_some(timeout_ms: i32) -> Option<Vec<u8>> {
    let mut fd = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll on one pollfd we own, then read into a buffer of the length given.
    unsafe {
        if libc::poll(&mut fd, 1, timeout_ms) <= 0 {
            return None;
        }
        let mut buf = [0u8; 64];
        let n = libc::read(0, buf.as_mut_ptr().cast(), buf.len());
        if n < 0 {
            return None;
        }
        Some(buf[..n as usize].to_vec())
    }
}

#[cfg(not(unix))]
fn enter_cbreak() -> Option<Saved> {
    None
}

#[cfg(not(unix))]
fn restore() {}

#[cfg(not(unix))]
fn read_some(_timeout_ms: i32) -> Option<Vec<u8>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded() {
        assert_eq!(
            decode(b"pa\r\x03"),
            vec![Key::Char('p'), Key::Char('a'), Key::Enter, Key::Interrupt]
        );
        assert_eq!(decode(b"\x1b[A"), vec![]);
    }
}
