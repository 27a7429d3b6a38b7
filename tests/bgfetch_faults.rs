//! The fault matrix: one background fetch per fault a server or network can throw at it,
//! each against the WPT server's `/_faults/` routes on loopback. Every fetch must settle
//! (never hang, never panic) with the spec's result and failure reason, or complete by
//! resuming with every byte verified; the bytes sent again are measured. The table is
//! printed (`cargo test --test bgfetch_faults -- --nocapture`).

mod support;

use net_traits::*;
use std::time::{Duration, Instant};
use support::bgfetch::*;

/// What a fault must end in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Success, every byte as the server's (resumed or restarted as needed).
    Complete,
    /// Failure with this reason.
    Fail(FailureReason),
}

struct Case {
    fault: &'static str,
    /// The `/_faults/body` query (or a whole path starting with `/`).
    query: String,
    size: u64,
    seed: u64,
    expect: Expect,
}

fn case(fault: &'static str, query: &str, size: u64, seed: u64, expect: Expect) -> Case {
    Case {
        fault,
        query: query.to_string(),
        size,
        seed,
        expect,
    }
}

/// Runs `cases` on one controller (`idle` its read timeout) against a server speaking
/// HTTP/2 (`http2`) or HTTP/1.1; returns the table's rows.
fn run(cases: &[Case], idle: Duration, untrusted: bool, http2: bool) -> Vec<String> {
    let server = server_with(http2);
    let profile = tempfile::tempdir().unwrap();
    let mut config = config(&server, profile.path());
    config.idle_timeout = idle;
    config.max_retries = 3;
    if untrusted {
        // The server's CA is not trusted: its certificate is just another self-signed one.
        config.network.extra_roots.clear();
    }
    let mut c = start(&server, config);
    let mut rows = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let key = format!("fault{i}");
        let url = if case.query.starts_with('/') {
            c.url(&case.query)
        } else if case.query.starts_with("http") {
            case.query.clone()
        } else {
            format!(
                "{}/_faults/body?size={}&seed={}&key={key}&{}",
                c.origin, case.size, case.seed, case.query
            )
        };
        let started = Instant::now();
        let reg = c
            .fetch(&format!("fault-{i}"), &[url], 0)
            .unwrap_or_else(|e| panic!("{}: the fetch was refused: {e:?}", case.fault));
        let done = c.wait_settled(reg.uid);
        let took = started.elapsed();
        let got = match done.result {
            FetchResult::Success => Expect::Complete,
            _ => Expect::Fail(done.failure_reason),
        };
        assert_eq!(got, case.expect, "{}: {done:?}", case.fault);
        let mut again = String::from("-");
        if got == Expect::Complete {
            c.wait_event(reg.uid);
            let body = c.read_body(reg.uid, 0).unwrap();
            assert!(
                body == expected(case.seed, case.size),
                "{}: the stored bytes differ from the server's",
                case.fault
            );
            let sent = stats(&server, &key)["bytes_sent"].as_u64().unwrap_or(0);
            again = format!("{}", sent.saturating_sub(case.size));
        }
        if got == Expect::Complete && http2 {
            assert!(
                stats(&server, &key)["http2"].as_u64().unwrap_or(0) >= 1,
                "{}: the fetch went over HTTP/2",
                case.fault
            );
        }
        rows.push(format!(
            "| {} | {} | {} | {} | {:.1} s |",
            if http2 { "HTTP/2" } else { "HTTP/1.1" },
            case.fault,
            match got {
                Expect::Complete => "success, bytes verified".to_string(),
                Expect::Fail(reason) => format!("failure: {}", reason.as_str()),
            },
            again,
            took.as_secs_f64()
        ));
    }
    c.shutdown();
    rows
}

/// The whole matrix over one protocol.
fn matrix(http2: bool) -> Vec<String> {
    use Expect::*;
    let cases = [
        case(
            "connection reset at 10% (resumed with Range)",
            "etag=a&reset_after=30000&reset_times=1",
            300_000,
            1,
            Complete,
        ),
        case(
            "connection reset at 77% (resumed with Range)",
            "etag=a&reset_after=231000&reset_times=1",
            300_000,
            2,
            Complete,
        ),
        case(
            "reset twice (resumed twice)",
            "etag=a&reset_after=100000&reset_times=2",
            300_000,
            3,
            Complete,
        ),
        case(
            "truncated body with Content-Length, every response",
            "etag=a&reset_after=120000",
            300_000,
            4,
            Complete,
        ),
        case(
            "stall beyond the read timeout",
            "etag=a&stall_after=100000&stall_ms=3000",
            150_000,
            5,
            Complete,
        ),
        case(
            "server ignores Range (starts again)",
            "range=0&reset_after=80000&reset_times=1",
            200_000,
            6,
            Complete,
        ),
        case(
            "ETag changes between attempts",
            "etag=change&reset_after=50000&reset_times=1",
            200_000,
            7,
            Fail(FailureReason::FetchError),
        ),
        case(
            "503 on every attempt",
            "status=503",
            1_000,
            8,
            Fail(FailureReason::BadStatus),
        ),
        case(
            "500 on every attempt",
            "status=500",
            1_000,
            9,
            Fail(FailureReason::BadStatus),
        ),
        case(
            "redirect loop",
            "/_faults/loop?n=0",
            0,
            0,
            Fail(FailureReason::FetchError),
        ),
        case(
            "unresolvable name",
            "https://nowhere.invalid/_faults/body?size=10",
            0,
            0,
            Fail(FailureReason::FetchError),
        ),
    ];
    let mut rows = run(&cases, Duration::from_millis(700), false, http2);
    rows.extend(run(
        &[case(
            "server trickles one byte a second",
            "rate=1&chunk=1",
            3,
            10,
            Expect::Complete,
        )],
        Duration::from_secs(10),
        false,
        http2,
    ));
    rows.extend(run(
        &[case(
            "untrusted certificate",
            "",
            10,
            11,
            Expect::Fail(FailureReason::FetchError),
        )],
        Duration::from_secs(10),
        true,
        http2,
    ));
    rows
}

fn print(rows: Vec<String>) {
    println!("| protocol | fault | result | bytes sent again | time |");
    println!("|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}

#[test]
fn every_fault_ends_in_its_result_and_never_hangs() {
    print(matrix(false));
}

#[test]
fn every_fault_ends_in_its_result_over_http2_too() {
    print(matrix(true));
}

#[test]
fn an_http2_origin_gets_more_requests_in_flight_than_connections() {
    let server = server_with(true);
    let profile = tempfile::tempdir().unwrap();
    let cfg = config(&server, profile.path());
    let (per_origin, streams) = (
        cfg.max_connections_per_origin,
        cfg.max_http2_streams_per_origin,
    );
    assert!(
        streams > per_origin + 8,
        "the test needs room: {streams} streams"
    );
    let mut c = start(&server, cfg);
    // Record 0 answers at once (the scheduler learns the origin speaks HTTP/2); the others
    // keep their response headers back for 4 s, so none of them ends during the check.
    let mut urls = vec![format!("{}/_faults/body?size=100&key=streams", c.origin)];
    urls.extend((1..=per_origin + 8).map(|i| {
        format!(
            "{}/_faults/body?size=100&seed={i}&delay_ms=4000&key=streams",
            c.origin
        )
    }));
    let started = Instant::now();
    let reg = c.fetch("streams", &urls, 0).unwrap();
    // As HTTP/1.1 only `per_origin` could be in flight (record 0 and 3 delayed ones, then
    // one more when record 0 ends); as streams of one connection, all of them are.
    let all = urls.len() as u64;
    loop {
        let seen = stats(&server, "streams")["requests"].as_u64().unwrap();
        if seen == all {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_millis(3500),
            "only {seen} of {all} requests in flight before the first delayed one ended"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let done = c.wait_settled(reg.uid);
    assert_eq!(done.result, FetchResult::Success, "{done:?}");
    c.shutdown();
}

#[test]
fn the_records_of_a_fetch_share_one_http2_connection() {
    let server = server_with(true);
    let profile = tempfile::tempdir().unwrap();
    let cfg = config(&server, profile.path());
    let c_limit = cfg.max_connections_per_origin;
    let mut c = start(&server, cfg);
    let urls: Vec<String> = (0..60)
        .map(|i| format!("{}/_faults/body?size=20000&seed={i}&key=mux", c.origin))
        .collect();
    let before = connections(&server);
    let reg = c.fetch("mux", &urls, 0).unwrap();
    let done = c.wait_settled(reg.uid);
    assert_eq!(done.result, FetchResult::Success, "{done:?}");
    assert_eq!(done.downloaded, 60 * 20_000);
    c.wait_event(reg.uid);
    for i in 0..60u32 {
        assert!(c.read_body(reg.uid, i).unwrap() == expected(i as u64, 20_000));
    }
    let s = stats(&server, "mux");
    assert_eq!(s["requests"], 60, "{s}");
    assert_eq!(s["http2"], 60, "every request went over HTTP/2: {s}");
    // The stats requests' own connections aside, the 60 requests shared the connections
    // opened while the first ones raced to connect (before any had negotiated h2): at most
    // the controller's connections per origin, then every later request reused them.
    let used = connections(&server) - before - 2;
    assert!(
        used <= c_limit as u64,
        "60 records over {used} connections (limit {c_limit})"
    );
    c.shutdown();
}

/// Requests `key` the server has seen (`/_faults/stats`).
fn seen(server: &wpt::server::Server, key: &str) -> u64 {
    stats(server, key)["requests"].as_u64().unwrap_or(0)
}

/// Waits until the counters stop moving (no request seen for 500 ms) while the delayed
/// responses are still held back, and returns them.
fn settled_counts(server: &wpt::server::Server, keys: &[&str]) -> Vec<u64> {
    let mut last = Vec::new();
    let mut still = Instant::now();
    loop {
        let now: Vec<u64> = keys.iter().map(|k| seen(server, k)).collect();
        if now != last {
            last = now;
            still = Instant::now();
        } else if still.elapsed() > Duration::from_millis(500) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn connection_limits_are_per_server_not_per_site() {
    let server = server();
    let profile = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, profile.path());
    cfg.max_connections = 6;
    cfg.max_connections_per_origin = 2;
    let mut c = start(&server, cfg);
    // The second HTTPS port is another server (origin) of the same host.
    let other = format!(
        "https://{}:{}",
        server.config.browser_host, server.config.https_ports[1]
    );
    // One site's fetch with records on two servers, taking turns; every response is held
    // back for 4 s, so nothing ends while the counts are read.
    let urls: Vec<String> = (0..6)
        .map(|i| {
            let (base, key) = match i % 2 {
                0 => (c.origin.as_str(), "srv-x"),
                _ => (other.as_str(), "srv-y"),
            };
            format!("{base}/_faults/body?size=10&seed={i}&delay_ms=4000&acao=*&key={key}")
        })
        .collect();
    let started = Instant::now();
    let reg = c.fetch("two-servers", &urls, 0).unwrap();
    let counts = settled_counts(&server, &["srv-x", "srv-y"]);
    assert!(
        started.elapsed() < Duration::from_millis(3500),
        "checked in time"
    );
    // Two to each server at once: the limit is each server's, not the site's (which would
    // have allowed two in all).
    assert_eq!(counts, [2, 2]);
    let done = c.wait_settled(reg.uid);
    assert_eq!(done.downloaded, 60, "{done:?}");
    c.shutdown();

    // Two sites fetching from one server share its limit.
    let profile = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, profile.path());
    cfg.max_connections = 6;
    cfg.max_connections_per_origin = 2;
    let mut c = start(&server, cfg);
    let shared = |site: usize| -> Vec<String> {
        (0..3)
            .map(|i| {
                format!(
                    "{}/_faults/body?size=10&seed={i}&delay_ms=4000&acao=*&key=srv-shared-{site}",
                    c.origin
                )
            })
            .collect()
    };
    let (first, second) = (shared(1), shared(2));
    let a = c.fetch("site-a", &first, 0).unwrap();
    // Site B: another origin's client, its records on site A's server.
    let (tx, replies) = crossbeam_channel::unbounded();
    let client_b = c.controller.connect(&other, tx);
    let mut site_b = registration(&other);
    site_b.id = RegistrationId(2);
    c.controller.send(BackgroundFetchRequest::Fetch {
        client: client_b,
        request: RequestId(1),
        registration: site_b,
        id: "site-b".into(),
        requests: second.iter().map(|u| RequestData::get(u)).collect(),
        download_total: 0,
        title: String::new(),
        icons: Vec::new(),
        permission: PermissionState::Granted,
    });
    loop {
        match replies.recv_timeout(Duration::from_secs(10)).unwrap() {
            BackgroundFetchReply::Fetched { result, .. } => {
                result.expect("site B's fetch registers");
                break;
            }
            _ => continue,
        }
    }
    let counts = settled_counts(&server, &["srv-shared-1", "srv-shared-2"]);
    assert_eq!(
        counts.iter().sum::<u64>(),
        2,
        "the server's two connections, shared: {counts:?}"
    );
    let done = c.wait_settled(a.uid);
    assert_eq!(done.downloaded, 30, "{done:?}");
    c.shutdown();
}
