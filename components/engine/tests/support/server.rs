//! A tiny HTTP/1.1 server on 127.0.0.1 (a loopback origin is potentially trustworthy, so
//! service workers and background fetch work over plain http there), for the engine's tests
//! and its embedding example. GET only; `Connection: close`; bodies are produced as they are
//! written, so a large one is never held in memory. It stops when dropped.

// Shared by several test binaries and the example: each uses a part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A body: fixed text, or `len` bytes where byte `i` is `(i * 7 + 3) % 251` (at most
/// `rate` bytes a second when it is `Slow`; both honour `Range: bytes=N-`).
#[derive(Clone)]
pub enum Body {
    Text(&'static str, String),
    Generated(u64),
    Slow { len: u64, rate: u64 },
}

/// The byte at `i` of a generated body.
pub fn generated_byte(i: u64) -> u8 {
    ((i * 7 + 3) % 251) as u8
}

pub struct Server {
    pub origin: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(routes: HashMap<String, Body>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let routes = Arc::new(routes);
        let thread = std::thread::spawn({
            let stop = stop.clone();
            move || {
                while !stop.load(Ordering::Acquire) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let routes = routes.clone();
                            std::thread::spawn(move || serve(stream, &routes));
                        }
                        Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                    }
                }
            }
        });
        Server {
            origin,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(stream: TcpStream, routes: &HashMap<String, Body>) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers: only Range matters.
    let mut range_start = 0u64;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("range: bytes=") {
                    range_start = v.trim().trim_end_matches('-').parse().unwrap_or(0);
                }
            }
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let mut out = stream;
    let Some(body) = routes.get(path) else {
        let _ = out
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    match body {
        Body::Text(content_type, text) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                text.len()
            );
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(text.as_bytes());
        }
        Body::Generated(len) => send_generated(&mut out, *len, range_start, None),
        Body::Slow { len, rate } => send_generated(&mut out, *len, range_start, Some(*rate)),
    }
    let _ = out.flush();
}

fn send_generated(out: &mut TcpStream, len: u64, from: u64, rate: Option<u64>) {
    let from = from.min(len);
    let head = if from > 0 {
        format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nContent-Range: bytes {from}-{}/{len}\r\nConnection: close\r\n\r\n",
            len - from,
            len - 1
        )
    } else {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"
        )
    };
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let started = std::time::Instant::now();
    let mut at = from;
    let chunk_len = if rate.is_some() { 16 * 1024 } else { 64 * 1024 };
    let mut chunk = vec![0u8; chunk_len];
    while at < len {
        let n = (len - at).min(chunk.len() as u64) as usize;
        for (k, b) in chunk[..n].iter_mut().enumerate() {
            *b = generated_byte(at + k as u64);
        }
        if out.write_all(&chunk[..n]).is_err() {
            return;
        }
        at += n as u64;
        if let Some(rate) = rate {
            let due = std::time::Duration::from_secs_f64((at - from) as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
    }
}
