//! Driving `bgfetch` as a subprocess: runs to the end, and live runs whose output is read as
//! it comes (killed when dropped, so no test leaves a process behind).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_bgfetch");

/// Runs `bgfetch args` to the end (at most `limit`): exit code, stdout, stderr.
pub fn run(args: &[&str], limit: Duration) -> (i32, String, String) {
    let mut live = Live::spawn(args);
    let code = live.wait(limit);
    (code, live.stdout(), live.stderr())
}

/// A running bgfetch, its stdout and stderr collected as they arrive.
pub struct Live {
    pub child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

impl Live {
    pub fn spawn(args: &[&str]) -> Live {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bgfetch starts");
        let out = Arc::new(Mutex::new(String::new()));
        let err = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        collect(stdout, out.clone());
        collect(stderr, err.clone());
        Live { child, out, err }
    }

    pub fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    /// Waits until stdout has a line for which `test` holds (panics after `limit`, with
    /// the output so far).
    pub fn wait_for_line(
        &self,
        what: &str,
        limit: Duration,
        test: impl Fn(&str) -> bool,
    ) -> String {
        self.wait_for_line_after(0, what, limit, test)
    }

    /// As `wait_for_line`, among the lines after the first `skip`.
    pub fn wait_for_line_after(
        &self,
        skip: usize,
        what: &str,
        limit: Duration,
        test: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(line) = self.stdout().lines().skip(skip).find(|l| test(l)) {
                return line.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {limit:?}\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the exit (killing it after `limit`); its exit code (-1: killed).
    pub fn wait(&mut self, limit: Duration) -> i32 {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                // The readers finish with the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "bgfetch did not end within {limit:?}\nstdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(pipe: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

/// The percentage a display line shows (`[origin] title — 1.5 MiB of 8.0 MiB (18%), ...`).
pub fn percent(line: &str) -> Option<u64> {
    let end = line.find("%)")?;
    let start = line[..end].rfind('(')? + 1;
    line[start..end].parse().ok()
}

/// How many lines of `text` contain `needle`.
pub fn count(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

/// The SHA-256 of the demo's episode (what the server sends), the test's own way.
pub fn episode_sha256(size: u64) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let body: Vec<u8> = (0..size).map(|i| wpt::faults::body_byte(13, i)).collect();
    hasher.update(&body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A profile folder as a string argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}
