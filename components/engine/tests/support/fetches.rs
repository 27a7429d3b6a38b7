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
