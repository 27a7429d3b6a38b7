//! The seeded random-input driver shared by the `fuzz_*` tests of every crate (each includes
//! this file with `#[path]`). See docs/fuzzing.md.
//!
//! Each iteration gets its own seed (the run's base seed plus the iteration number), makes an
//! input from it and checks it; a panic prints the seed that reproduces that one input:
//! `BGFETCH_FUZZ_SEED=<seed> BGFETCH_FUZZ_ITERS=1 cargo test ... <test name>`.
//!
//! - `BGFETCH_FUZZ_ITERS=N`: iterations per target (default: each target's own count, kept
//!   small so that every fuzz test together takes well under a minute in a debug build).
//! - `BGFETCH_FUZZ_SEED=S`: the base seed (default: a fixed one, so CI runs the same inputs
//!   every time and a failure there is never a coin toss; `BGFETCH_FUZZ_SEED=random` takes a
//!   new one from the clock, printed with the results, to explore).
//! - `BGFETCH_FUZZ_VERBOSE=1`: print each iteration's seed before it runs (for a crash
//!   that aborts the process instead of panicking, such as running out of memory).

#![allow(dead_code)]

use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use fastrand::Rng;

/// The number of iterations: `BGFETCH_FUZZ_ITERS`, else `default`.
pub fn iterations(default: u64) -> u64 {
    std::env::var("BGFETCH_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The base seed when none is asked for.
const DEFAULT_SEED: u64 = 0x6267_6665_7463_6831;

/// The base seed: `BGFETCH_FUZZ_SEED` (a number, or `random` for one from the clock and the
/// process id), else [`DEFAULT_SEED`].
pub fn base_seed() -> u64 {
    match std::env::var("BGFETCH_FUZZ_SEED") {
        Ok(v) if v.trim() == "random" => {}
        Ok(v) => return v.trim().parse().unwrap_or(DEFAULT_SEED),
        Err(_) => return DEFAULT_SEED,
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// Runs `check` on `iterations(default)` inputs made by `make`, each from its own seed.
/// A panic in `check` reports the target, the seed and the input, then fails the test.
pub fn run<I: Debug>(
    target: &str,
    default: u64,
    mut make: impl FnMut(&mut Rng) -> I,
    mut check: impl FnMut(&I),
) {
    let base = base_seed();
    let n = iterations(default);
    let verbose = std::env::var_os("BGFETCH_FUZZ_VERBOSE").is_some();
    let started = std::time::Instant::now();
    for i in 0..n {
        let seed = base.wrapping_add(i);
        if verbose {
            eprintln!("fuzz target `{target}`: BGFETCH_FUZZ_SEED={seed}");
        }
        let input = make(&mut Rng::with_seed(seed));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
            let mut shown = format!("{input:?}");
            if shown.len() > 4000 {
                let mut end = 4000;
                while !shown.is_char_boundary(end) {
                    end -= 1;
                }
                shown.truncate(end);
                shown.push_str("...");
            }
            eprintln!(
                "fuzz target `{target}` panicked at iteration {i} on input:\n{shown}\n\
                 reproduce with BGFETCH_FUZZ_SEED={seed} BGFETCH_FUZZ_ITERS=1"
            );
            std::panic::resume_unwind(panic);
        }
    }
    eprintln!(
        "fuzz target `{target}`: {n} inputs in {:.1?} (base seed {base})",
        started.elapsed()
    );
}

/// Bytes that often matter to text parsers.
const SPECIAL: &[u8] = b"\0\t\n\r \"'()*,-./:;<=>?[\\]{|}~\x7f\x80\xff0123456789";

/// A random byte, biased towards punctuation, digits and ASCII letters.
pub fn byte(rng: &mut Rng) -> u8 {
    match rng.u8(0..4) {
        0 => rng.u8(..),
        1 => SPECIAL[rng.usize(0..SPECIAL.len())],
        _ => rng.alphanumeric() as u8,
    }
}

/// An interesting number as text: boundaries of the integer types, signs, huge ones.
pub fn number_text(rng: &mut Rng) -> String {
    match rng.u8(0..10) {
        0 => u64::MAX.to_string(),
        1 => (u64::MAX as u128 + 1).to_string(),
        2 => i64::MIN.to_string(),
        3 => "-0".into(),
        4 => "0".repeat(rng.usize(1..30)),
        5 => u32::MAX.to_string(),
        6 => "1e309".into(),
        7 => "NaN".into(),
        _ => rng.u64(0..1000).to_string(),
    }
}

/// `seed` mutated by a few random edits (flips, inserts of bytes or of `dict` tokens,
/// deletions, duplications, splices from `others`).
pub fn mutate(rng: &mut Rng, seed: &[u8], dict: &[&str], others: &[&[u8]]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..rng.usize(1..6) {
        let at = rng.usize(0..=out.len());
        match rng.u8(0..8) {
            0 if !out.is_empty() => {
                let i = rng.usize(0..out.len());
                out[i] = byte(rng);
            }
            1 => {
                let b = byte(rng);
                out.insert(at, b);
            }
            2 if !dict.is_empty() => {
                let t = dict[rng.usize(0..dict.len())].as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            3 => {
                let end = (at + rng.usize(0..64)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + rng.usize(0..64)).min(out.len());
                let copy = out[at..end].to_vec();
                let to = rng.usize(0..=out.len());
                out.splice(to..to, copy);
            }
            5 if !others.is_empty() => {
                let other = others[rng.usize(0..others.len())];
                let from = rng.usize(0..=other.len());
                let end = (from + rng.usize(0..128)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            6 => {
                let n = number_text(rng);
                out.splice(at..at, n.bytes());
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// `len` random tokens of `dict`, joined by nothing, a space or a random byte.
pub fn soup(rng: &mut Rng, dict: &[&str], len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..len {
        match rng.u8(0..6) {
            0 => out.push(byte(rng)),
            1 => out.extend_from_slice(number_text(rng).as_bytes()),
            _ if dict.is_empty() => out.push(byte(rng)),
            _ => out.extend_from_slice(dict[rng.usize(0..dict.len())].as_bytes()),
        }
        match rng.u8(0..3) {
            0 => out.push(b' '),
            1 => {}
            _ => out.push(byte(rng)),
        }
    }
    out
}

/// An input for a text parser: a mutated seed, token soup, or random bytes (as text, lossily).
pub fn text(rng: &mut Rng, seeds: &[&str], dict: &[&str]) -> String {
    let bytes = match rng.u8(0..8) {
        0 => (0..rng.usize(0..64)).map(|_| byte(rng)).collect(),
        1 | 2 => {
            let n = rng.usize(0..16);
            soup(rng, dict, n)
        }
        _ => {
            let others: Vec<&[u8]> = seeds.iter().map(|s| s.as_bytes()).collect();
            let seed = seeds[rng.usize(0..seeds.len())];
            mutate(rng, seed.as_bytes(), dict, &others)
        }
    };
    String::from_utf8_lossy(&bytes).into_owned()
}
