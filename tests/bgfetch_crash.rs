//! Crash consistency: the controller runs in a child process (this test binary run again),
//! is SIGKILLed in the middle of its downloads, and is started again on the same profile.
//! Every body must come out byte-identical and every fetch must get exactly one settle
//! event: none lost (one was pending at the kill) and none repeated (one was finished).

mod support;

use net::background_fetch::{Controller, ControllerConfig, EmbedderSinks};
use net_traits::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::bgfetch::*;

const CHILD: &str = "BGFETCH_CRASH_CHILD";

/// (name, size, seed, rate in bytes/s: 0 is unlimited)
const FETCHES: &[(&str, u64, u64, u64)] = &[
    ("big-a", 3_000_000, 21, 600_000),
    ("big-b", 2_000_000, 22, 500_000),
    ("small-acked", 1_000, 23, 0),
    ("small-pending", 2_000, 24, 0),
];

fn url(origin: &str, name: &str, size: u64, seed: u64, rate: u64) -> String {
    let rate = if rate > 0 {
        format!("&rate={rate}")
    } else {
        String::new()
    };
    format!("{origin}/_faults/body?size={size}&seed={seed}&etag={name}&key={name}{rate}")
}

/// The child: registers the fetches, reports on stdout, acknowledges the event of
/// "small-acked" only, and runs until it is killed. Ignored: only the test below runs it
/// (with `--ignored`).
#[test]
#[ignore]
fn crash_child() {
    let Ok(profile) = std::env::var(CHILD) else {
        return; // Only runs as the child of the test below.
    };
    let origin = std::env::var("BGFETCH_ORIGIN").unwrap();
    let ca = std::fs::read(std::env::var("BGFETCH_CA").unwrap()).unwrap();
    let mut network = net::NetworkConfig::loopback_only(
        ["web-platform.test".to_string()],
        std::net::Ipv4Addr::LOCALHOST.into(),
    );
    network.extra_roots.push(ca);
    let mut config = ControllerConfig::new(profile.into(), network);
    config.progress_interval = Duration::from_millis(50);
    let (events_tx, events) = crossbeam_channel::unbounded();
    let controller = Controller::start(
        config,
        EmbedderSinks {
            events: events_tx,
            display: None,
        },
    )
    .unwrap();
    let (tx, replies) = crossbeam_channel::unbounded();
    let client = controller.connect(&origin, tx);
    for (i, (name, size, seed, rate)) in FETCHES.iter().enumerate() {
        controller.send(BackgroundFetchRequest::Fetch {
            client,
            request: RequestId(i as u64),
            registration: registration(&origin),
            id: name.to_string(),
            requests: vec![RequestData::get(&url(&origin, name, *size, *seed, *rate))],
            download_total: 0,
            title: String::new(),
            icons: Vec::new(),
            permission: PermissionState::Granted,
        });
    }
    let mut names = std::collections::HashMap::new();
    loop {
        crossbeam_channel::select! {
            recv(replies) -> r => match r.unwrap() {
                BackgroundFetchReply::Fetched { request, result } => {
                    let reg = result.unwrap();
                    names.insert(reg.uid, FETCHES[request.0 as usize].0);
                    println!("registered {} {}", FETCHES[request.0 as usize].0, reg.uid.0);
                }
                BackgroundFetchReply::Update(u) => {
                    println!("progress {} {}", u.uid.0, u.downloaded);
                    // The records go (durably) before this update: the event is over for good.
                    if !u.records_available && names.get(&u.uid) == Some(&"small-acked") {
                        println!("acked small-acked");
                    }
                }
                _ => {}
            },
            recv(events) -> e => {
                let e = e.unwrap();
                let name = names.get(&e.fetch.uid).copied().unwrap_or("?");
                println!("event {name} {}", e.fetch.uid.0);
                if name == "small-acked" {
                    controller.send(BackgroundFetchRequest::EventDone { event: e.event, dispatched: true });
                }
            }
        }
    }
}

#[test]
fn a_killed_controller_resumes_with_identical_bytes_and_one_event_each() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let server = server();
    let profile = tempfile::tempdir().unwrap();
    let ca = profile.path().join("ca.der");
    std::fs::write(&ca, &server.ca_der).unwrap();
    let origin = server.origin(wpt::server::Scheme::Https);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "crash_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD, profile.path().join("profile"))
        .env("BGFETCH_ORIGIN", &origin)
        .env("BGFETCH_CA", &ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Watch the child until both big fetches are well under way and the small ones settled.
    // Lines through a channel, so a silent child cannot hang the test.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (lines_tx, lines) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        for line in stdout.lines() {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut uids = std::collections::HashMap::new();
    let mut progress = std::collections::HashMap::new();
    let mut acked = false;
    let mut pending_seen = false;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = match lines.recv_deadline(deadline) {
            Ok(Ok(line)) => line,
            other => {
                let _ = child.kill();
                panic!("the child stopped talking: {other:?}");
            }
        };
        let words: Vec<&str> = line.split_whitespace().collect();
        // The test harness may print its own words before ours on the same line.
        let start = words
            .iter()
            .position(|w| matches!(*w, "registered" | "progress" | "acked" | "event"))
            .unwrap_or(words.len());
        let parts = &words[start..];
        match parts {
            ["registered", name, uid] => {
                uids.insert(name.to_string(), FetchUid(uid.parse().unwrap()));
            }
            ["progress", uid, n] => {
                progress.insert(uid.to_string(), n.parse::<u64>().unwrap());
            }
            ["acked", "small-acked"] => acked = true,
            ["event", "small-pending", _] => pending_seen = true,
            _ => {}
        }
        let big_going = ["big-a", "big-b"].iter().all(|n| {
            uids.get(*n)
                .and_then(|u| progress.get(&u.0.to_string()))
                .is_some_and(|p| *p > 200_000)
        });
        if big_going && acked && pending_seen {
            break;
        }
    }
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    for (name, size, ..) in FETCHES {
        if name.starts_with("big") {
            let p = progress[&uids[*name].0.to_string()];
            assert!(
                p < *size,
                "{name} was still running at the kill ({p} of {size})"
            );
        }
    }

    // Restart on the same profile.
    let mut config = config(&server, &profile.path().join("profile"));
    config.progress_interval = Duration::from_millis(50);
    let mut c = start(&server, config);
    let mut events: std::collections::HashMap<FetchUid, usize> = Default::default();
    let wanted = [&uids["big-a"], &uids["big-b"], &uids["small-pending"]];
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut bodies_checked = 0;
    while bodies_checked < wanted.len() {
        let e = c
            .events
            .recv_deadline(deadline)
            .expect("every unfinished fetch gets its event");
        *events.entry(e.fetch.uid).or_default() += 1;
        assert_eq!(e.kind, FunctionalEvent::Success, "{e:?}");
        let (name, size, seed, _) = FETCHES
            .iter()
            .find(|f| uids[f.0] == e.fetch.uid)
            .expect("a known fetch");
        let body = c.read_body(e.fetch.uid, 0).unwrap();
        assert_eq!(body.len() as u64, *size, "{name}");
        assert!(
            body == expected(*seed, *size),
            "{name}: bytes differ after the crash"
        );
        c.controller.send(BackgroundFetchRequest::EventDone {
            event: e.event,
            dispatched: true,
        });
        bodies_checked += 1;
    }
    // No second event for anyone, and none for the fetch whose event had finished.
    std::thread::sleep(Duration::from_millis(500));
    while let Ok(e) = c.events.try_recv() {
        *events.entry(e.fetch.uid).or_default() += 1;
    }
    for uid in wanted {
        assert_eq!(events.get(uid), Some(&1), "exactly one event for {uid:?}");
    }
    assert_eq!(
        events.get(&uids["small-acked"]),
        None,
        "its event had finished"
    );
    assert!(c.get_ids().is_empty());
    // The big ones resumed with Range rather than starting over.
    for name in ["big-a", "big-b"] {
        let s = stats(&server, name);
        let last = s["ranges"].as_array().unwrap().last().cloned();
        assert!(
            last.is_some_and(|r| r.as_str().unwrap() != "bytes=0-"),
            "{name}: {s}"
        );
    }
    c.shutdown();
}
