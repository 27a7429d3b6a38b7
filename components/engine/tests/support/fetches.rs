//! The engine's view of its background fetches in tests: it follows the controller's
//! display updates on a thread of its own, so it may be a moment behind what a page or a
//! service worker already saw.

use engine::{BackgroundFetchInfo, Engine};
use std::time::{Duration, Instant};

/// The engine's background fetches once the first has `downloaded` bytes (or, after
/// `wait`, whatever they are then: the caller's assertions say what was wrong).
pub fn once_downloaded(
    engine: &Engine,
    downloaded: u64,
    wait: Duration,
) -> Vec<BackgroundFetchInfo> {
    let deadline = Instant::now() + wait;
    loop {
        let fetches = engine.background_fetches();
        if fetches.first().is_some_and(|f| f.downloaded == downloaded) || Instant::now() > deadline
        {
            return fetches;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The engine's first background fetch, once it shows one (a page that said it started a
/// fetch may be a moment ahead of the engine's view). Panics after `wait`.
#[allow(dead_code)] // each test file that includes this module uses what it needs
pub fn first(engine: &Engine, wait: Duration) -> BackgroundFetchInfo {
    let deadline = Instant::now() + wait;
    loop {
        if let Some(f) = engine.background_fetches().into_iter().next() {
            return f;
        }
        assert!(
            Instant::now() < deadline,
            "the engine showed no background fetch within {wait:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The engine's background fetches once every one is finished (or, after `wait`, whatever
/// they are then: the caller's assertions say what was wrong).
#[allow(dead_code)] // each test file that includes this module uses what it needs
pub fn once_finished(engine: &Engine, wait: Duration) -> Vec<BackgroundFetchInfo> {
    let deadline = Instant::now() + wait;
    loop {
        let fetches = engine.background_fetches();
        if (!fetches.is_empty() && fetches.iter().all(|f| f.finished)) || Instant::now() > deadline
        {
            return fetches;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
