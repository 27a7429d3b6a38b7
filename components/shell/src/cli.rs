//! The command line (clap). Bad usage exits 2 with clap's message.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "bgfetch",
    version,
    about = "Background Fetch in a browser engine, on the command line",
    after_help = "Start with `bgfetch demo`. Exit status: 0 success, 1 the job failed, 2 bad usage."
)]
pub struct Cli {
    /// Logs on stderr: -v info, -vv debug, -vvv trace (RUST_LOG overrides). Quiet otherwise.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The main job: a background fetch of a generated episode from a local HTTPS server,
    /// with the live display
    Demo(DemoArgs),
    /// Load a site (URL) or a folder (served over HTTPS on a loopback host) and run it
    Open(OpenArgs),
    /// The background fetches of a profile
    List(ProfileArgs),
    /// One background fetch in detail
    Show(IdArgs),
    /// Pause a background fetch (only when every request is a GET)
    Pause(IdArgs),
    /// Resume a paused background fetch
    Resume(IdArgs),
    /// Abort a background fetch
    Abort(IdArgs),
    /// Click a background fetch's display (fires `backgroundfetchclick`; needs a running bgfetch)
    Click(IdArgs),
    /// Forget every stored background fetch of the profile (nothing may run on it)
    Clear(ProfileArgs),
    /// Check the profile's store against its files (nothing may run on it); --repair fixes
    /// what can be fixed and says what it removed
    Fsck(FsckArgs),
    /// Run a script file in a global of the engine
    Run(RunArgs),
    /// Evaluate code in a global of the engine
    Eval(EvalArgs),
}

#[derive(Args, Debug, Clone)]
pub struct FsckArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Fix what can be fixed (orphaned files and rows, cache entries whose body is gone)
    #[arg(long)]
    pub repair: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ProfileArgs {
    /// The profile directory (default: the platform's data directory, e.g.
    /// ~/.local/share/bgfetch)
    #[arg(long, value_name = "DIR")]
    pub profile: Option<PathBuf>,
}

impl ProfileArgs {
    pub fn profile(&self) -> PathBuf {
        self.profile.clone().unwrap_or_else(default_profile)
    }
}

/// The platform's data directory (`$XDG_DATA_HOME/bgfetch`, `~/Library/Application
/// Support/bgfetch`, ...), or `./bgfetch-profile` where there is none.
pub fn default_profile() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join("bgfetch"))
        .unwrap_or_else(|| PathBuf::from("bgfetch-profile"))
}

#[derive(Args, Debug, Clone)]
pub struct IdArgs {
    /// The fetch: its number in `bgfetch list`, or its id when only one fetch has it
    pub id: String,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// The episode's size
    #[arg(long, value_name = "BYTES", default_value = "256MiB", value_parser = parse_bytes)]
    pub size: u64,
    /// The server sends at most this many bytes per second (0: as fast as it can; the
    /// default lets the display be watched for a few seconds)
    #[arg(long, value_name = "BYTES/S", default_value = "32MiB", value_parser = parse_bytes)]
    pub rate: u64,
    /// The network drops once this many bytes arrived, for --offline-for, then comes back
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub offline_after: Option<u64>,
    /// How long the network stays away with --offline-after
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = parse_seconds)]
    pub offline_for: Duration,
    /// Continue the demo download a killed or quit demo left in the profile
    #[arg(long, conflicts_with_all = ["size", "rate"])]
    pub resume: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Args, Debug, Clone)]
pub struct OpenArgs {
    /// An http(s) URL, or a folder (or a file in one) to serve over HTTPS on a loopback host
    pub target: String,
    /// Stop once this event happened: `load`; `backgroundfetchsuccess`, `backgroundfetchfail`
    /// or `backgroundfetchabort` (a background fetch finished that way, its event run); or
    /// any other event dispatched at the page's window
    #[arg(long, value_name = "NAME")]
    pub until_event: Option<String>,
    /// Click each background fetch's display this many seconds after it appears
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub click_after: Option<Duration>,
    /// Allow the site's background fetches without asking (otherwise a terminal asks, and
    /// without one they are denied)
    #[arg(long)]
    pub grant: bool,
    /// Give up after this many seconds (exit 1)
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// The built-in server's HTTPS port for a folder (default: any free one; give one to
    /// resume the folder's fetches in a later run)
    #[arg(long, value_name = "PORT", default_value = "0")]
    pub port: u16,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ScriptOptions {
    /// The global: window, dedicatedworker, sharedworker or serviceworker
    #[arg(long, value_name = "KIND", default_value = "window", value_parser = parse_kind)]
    pub global: script::GlobalKind,
    /// Give up waiting for the event loop after SECS seconds
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// The global's creation URL
    #[arg(long, default_value = "about:blank")]
    pub url: String,
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// The script
    pub file: PathBuf,
    #[command(flatten)]
    pub options: ScriptOptions,
}

#[derive(Args, Debug, Clone)]
pub struct EvalArgs {
    /// The code
    pub code: String,
    #[command(flatten)]
    pub options: ScriptOptions,
}

fn parse_bytes(s: &str) -> Result<u64, String> {
    crate::units::parse_bytes(s)
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(0.0..=1e7).contains(&secs) {
        return Err(format!("`{s}` is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn parse_kind(s: &str) -> Result<script::GlobalKind, String> {
    use script::GlobalKind;
    Ok(match s {
        "window" => GlobalKind::Window,
        "dedicatedworker" | "worker" => GlobalKind::DedicatedWorkerGlobalScope,
        "sharedworker" => GlobalKind::SharedWorkerGlobalScope,
        "serviceworker" => GlobalKind::ServiceWorkerGlobalScope,
        _ => return Err(format!("unknown global `{s}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn resume_takes_the_stored_size() {
        let e = Cli::try_parse_from(["bgfetch", "demo", "--resume", "--size", "1M"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
