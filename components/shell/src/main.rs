//! `bgfetch`: the reference embedder of the engine, on the command line.
//!
//! - `bgfetch demo`: the main job, loopback only. A built-in HTTPS server (the `wpt` crate's:
//!   a generated CA the engine trusts, host names mapped to 127.0.0.1) serves a sample site:
//!   a page, a service worker, artwork, and an "episode" of a few hundred MiB generated on the
//!   fly. The page registers the worker and starts a background fetch; the display shows it
//!   live until it settles; the worker's `backgroundfetchsuccess` handler stores the records
//!   (the Cache API step, see [`demo::verify`]) and calls `updateUI`; the shell prints where
//!   the bytes are, their checksum and the time taken. `--offline-after` drops the network
//!   mid-way (the fetch waits, then resumes with Range); `--resume` continues a demo that was
//!   killed or quit.
//! - `bgfetch open URL|DIR`: a real site, or a folder served by the built-in server on a
//!   loopback host the engine trusts, run until idle or `--until-event NAME`.
//! - `bgfetch list | show | pause | resume | abort | click | clear` on a profile.
//! - `bgfetch run FILE.js` / `eval CODE`: scripts in a global of the engine.
//!
//! # One controller per profile
//!
//! A profile (`--profile DIR`, default the platform's data directory, e.g.
//! `~/.local/share/bgfetch`) has at most one engine at a time (the engine's `engine.lock`).
//! A `demo` or `open` process serves `control.sock`, a Unix socket in the profile, for as
//! long as it runs: the profile commands of a second `bgfetch` go through it, so the running
//! engine acts (see [`control`]). When nothing runs on the profile, the commands take the
//! profile lock themselves and work on the stored state (`storage`): `list`/`show` read it,
//! `pause`/`resume`/`abort` set the fetch's stored flags (acted on at the next start), `clear`
//! forgets every stored fetch; `click` needs a running service worker and says so. A profile
//! locked by a process that answers no commands gets a clear "profile in use by pid N".
//!
//! Exit status: 0 success, 1 the job failed (one line on stderr says why), 2 bad usage.
//! Quiet by default: `-v`/`-vv` or `RUST_LOG` turn logs on (stderr).

mod cli;
mod control;
mod demo;
mod display;
mod error;
mod icon;
mod keys;
mod open;
mod profile;
mod run;
mod session;
mod site;
mod units;

use clap::Parser;
use error::Failure;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; clap uses exit code 2 for bad usage.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    init_logging(cli.verbose);
    let result = match cli.command {
        cli::Command::Demo(args) => demo::run(args),
        cli::Command::Open(args) => open::run(args),
        cli::Command::List(args) => profile::list(&args.profile()),
        cli::Command::Show(args) => profile::show(&args.profile.profile(), &args.id),
        cli::Command::Pause(args) => profile::command(&args, control::Action::Pause),
        cli::Command::Resume(args) => profile::command(&args, control::Action::Resume),
        cli::Command::Abort(args) => profile::command(&args, control::Action::Abort),
        cli::Command::Click(args) => profile::command(&args, control::Action::Click),
        cli::Command::Clear(args) => profile::clear(&args.profile()),
        cli::Command::Fsck(args) => profile::fsck(&args.profile.profile(), args.repair),
        cli::Command::Run(args) => run::run_file(args),
        cli::Command::Eval(args) => run::eval(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("bgfetch: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Job(message)) => {
            if !message.is_empty() {
                eprintln!("bgfetch: {message}");
            }
            ExitCode::from(1)
        }
    }
}

/// Quiet unless asked: `-v` info, `-vv` debug, `-vvv` trace; `RUST_LOG` wins when set.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "off",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let mut builder = env_logger::Builder::new();
    builder.parse_filters(level);
    if let Ok(filters) = std::env::var("RUST_LOG") {
        builder.parse_filters(&filters);
    }
    let _ = builder.try_init();
}
