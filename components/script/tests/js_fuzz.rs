//! The JS-side fuzzer of issue 16: random calls with random arguments (wrong types, huge
//! strings, proxies whose traps throw, getters that throw or re-enter the call, detached
//! buffers, revoked blob URLs, platform objects of other interfaces as `this`) against
//! every interface each global kind exposes, with garbage collection forced between
//! batches. The engine must never panic (a panic in a Rust function is reported as
//! `GlobalEvent::Panic`) or abort the process, and the global must still run script after.
//!
//! Bounded for CI; `BGFETCH_FUZZ_ITERS=<calls per global>` and `BGFETCH_FUZZ_SEED=<n>` run
//! it longer or with another seed (the seed is printed when a run fails).

use script::{GlobalEvent, GlobalHandle, GlobalKind, GlobalOptions};
use std::time::Duration;

const FUZZER: &str = include_str!("fuzz/js_fuzzer.js");
const BATCH: usize = 25;

fn iterations() -> usize {
    std::env::var("BGFETCH_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

fn seed() -> u32 {
    std::env::var("BGFETCH_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_0016)
}

fn fuzz(kind: GlobalKind) {
    let seed = seed();
    let (events_tx, events) = crossbeam_channel::unbounded();
    let mut options = GlobalOptions::new(kind);
    options.url = "https://fuzz.test/page".into();
    options.origin = "https://fuzz.test".into();
    options.events = Some(events_tx);
    options.script_timeout = Some(Duration::from_secs(60));
    let g = GlobalHandle::spawn(options).expect("the global starts");
    g.run_script(FUZZER, "js_fuzzer.js")
        .expect("the fuzzer loads");
    let targets = g
        .eval(&format!("String(__fuzz.setUp({seed}))"))
        .expect("set up");
    let targets: usize = targets.parse().expect("a count");
    assert!(targets > 20, "{kind:?}: only {targets} interfaces found");
    let mut done = 0;
    let mut escaped = 0;
    while done < iterations() {
        let made = g.eval(&format!("String(__fuzz.batch({BATCH}))"));
        if let Err(e) = made {
            // An exception escaping the fuzzer's own try blocks (e.g. out of stack) is fine;
            // the global must still be running.
            assert!(
                g.is_running(),
                "{kind:?} (seed {seed}): the global died: {e:?}"
            );
            escaped += 1;
        }
        g.with(|ctx| ctx.run_gc()).expect("gc");
        done += BATCH;
    }
    // The calls ran (most throw, as they should; some must get through the checks).
    let stats = g.eval("__fuzz.stats()").expect("stats");
    eprintln!("{kind:?} (seed {seed}): {targets} interfaces, {stats}, {escaped} batches escaped");
    assert!(
        escaped * 10 <= iterations() / BATCH,
        "{kind:?}: most batches escaped: {stats}"
    );
    assert!(
        !stats.contains("\"returned\":0"),
        "{kind:?}: no call returned: {stats}"
    );
    // The global still works.
    assert_eq!(g.eval("String(6 * 7)").expect("still runs"), "42");
    let panics: Vec<String> = events
        .try_iter()
        .filter_map(|e| match e {
            GlobalEvent::Panic { message, location } => Some(format!("{message} at {location}")),
            _ => None,
        })
        .collect();
    assert!(
        panics.is_empty(),
        "{kind:?} (seed {seed}): the engine panicked: {panics:#?}"
    );
    let report = g.shutdown();
    let _ = report;
}

#[test]
fn random_calls_never_panic_a_window() {
    fuzz(GlobalKind::Window);
}

#[test]
fn random_calls_never_panic_a_dedicated_worker() {
    fuzz(GlobalKind::DedicatedWorkerGlobalScope);
}

#[test]
fn random_calls_never_panic_a_shared_worker() {
    fuzz(GlobalKind::SharedWorkerGlobalScope);
}

#[test]
fn random_calls_never_panic_a_service_worker() {
    fuzz(GlobalKind::ServiceWorkerGlobalScope);
}
