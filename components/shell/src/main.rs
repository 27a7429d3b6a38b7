//! `bgfetch`: the reference embedder. A headless engine (script + net) with a terminal
//! display of background fetches; its built-in demo serves a page and a service worker on
//! loopback and runs a real background fetch.
//!
//! The shell arrives with its own issue; until then this binary says so instead of
//! pretending to work.

fn main() -> std::process::ExitCode {
    eprintln!(
        "bgfetch: the shell and its demo are not built yet; run the test suite with `./mach test` \
         (see README.md)"
    );
    std::process::ExitCode::from(2)
}
