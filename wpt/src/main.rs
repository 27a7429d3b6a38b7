//! `wpt`: a wptserve-compatible HTTPS server and a testharness.js runner, the second
//! embedder of the engine. It runs the project's own suite (`wpt/tests/`) and, given
//! `--wpt-root`, the upstream `background-fetch/` suite.
//!
//! The runner arrives with its own issue; until then this binary says so.

fn main() -> std::process::ExitCode {
    eprintln!("wpt: the WPT server and runner are not built yet (see README.md)");
    std::process::ExitCode::from(2)
}
