//! `wpt`: run the project's WPT-format suite (or upstream tests with `--wpt-root`), update
//! expectations, or serve a test root.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "wpt",
    about = "wptserve-compatible server and testharness.js runner for bgfetch"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run tests; exit 1 if a result is not what wpt/meta expects.
    Run(RunArgs),
    /// Run tests and rewrite wpt/meta from the results.
    Update(RunArgs),
    /// Serve a test root until interrupted (for a browser or curl).
    Serve {
        #[arg(long)]
        wpt_root: Option<PathBuf>,
        /// Ports: http,http,https,https (default: wptserve's 8000,8001,8443,8444).
        #[arg(long, value_delimiter = ',')]
        ports: Vec<u16>,
    },
}

#[derive(Args)]
struct RunArgs {
    /// Test files or folders, relative to the test root (default: all).
    paths: Vec<String>,
    /// An upstream web-platform-tests checkout (default: the own suite in wpt/tests).
    #[arg(long)]
    wpt_root: Option<PathBuf>,
    /// Only tests whose id contains this (repeatable).
    #[arg(long)]
    include: Vec<String>,
    #[arg(long)]
    jobs: Option<usize>,
    #[arg(long, default_value_t = 1.0)]
    timeout_multiplier: f64,
    /// Write a wptreport JSON file (the format wpt.fyi accepts).
    #[arg(long)]
    log_wptreport: Option<PathBuf>,
    /// Expectations folder (default: wpt/meta/own, or wpt/meta/upstream with --wpt-root).
    #[arg(long)]
    meta: Option<PathBuf>,
    /// Where testharness.js comes from for the own suite (default: .cache/wpt-runner).
    #[arg(long)]
    harness_dir: Option<PathBuf>,
    /// Print every test's console output and errors.
    #[arg(long)]
    verbose: bool,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,script=off,console=off"),
    )
    .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(args, false),
        Command::Update(args) => run(args, true),
        Command::Serve { wpt_root, ports } => serve(wpt_root, ports),
    }
}

fn run(args: RunArgs, update: bool) -> ExitCode {
    let root = args.wpt_root.clone().unwrap_or_else(wpt::own_tests_dir);
    if !root.is_dir() {
        eprintln!("wpt: {} is not a folder", root.display());
        return ExitCode::from(2);
    }
    let root = root.canonicalize().unwrap_or(root);
    let options = wpt::SuiteOptions {
        paths: args
            .paths
            .iter()
            .map(|p| wpt::relative_to(&root, p))
            .collect(),
        root,
        include: args.include,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        }),
        timeout_multiplier: args.timeout_multiplier,
        meta_dir: args
            .meta
            .unwrap_or_else(|| wpt::default_meta_dir(args.wpt_root.is_some())),
        harness_dir: Some(args.harness_dir.unwrap_or_else(wpt::default_harness_dir)),
        wptreport: args.log_wptreport,
        verbose: args.verbose,
        update,
    };
    let mut stdout = std::io::stdout();
    match wpt::run_suite(&options, &mut stdout) {
        Ok(summary) => ExitCode::from(summary.exit_code(update)),
        Err(e) => {
            eprintln!("wpt: {e}");
            ExitCode::from(2)
        }
    }
}

fn serve(wpt_root: Option<PathBuf>, ports: Vec<u16>) -> ExitCode {
    let mut config = wpt::config::WptConfig::default();
    match ports.as_slice() {
        [] => {}
        [a, b, c, d] => {
            config.http_ports = [*a, *b];
            config.https_ports = [*c, *d];
        }
        _ => {
            eprintln!("wpt: --ports takes four numbers: http,http,https,https");
            return ExitCode::from(2);
        }
    }
    let server = match wpt::server::Server::start(wpt::server::ServerOptions {
        config,
        root: wpt_root.unwrap_or_else(wpt::own_tests_dir),
        harness_dir: Some(wpt::default_harness_dir()),
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wpt: {e}");
            return ExitCode::from(2);
        }
    };
    let ca = std::env::temp_dir().join("bgfetch-wpt-ca.der");
    let _ = std::fs::write(&ca, &server.ca_der);
    println!(
        "serving on {} and {} (CA certificate: {}); hosts {} -> {}",
        server.origin(wpt::server::Scheme::Https),
        server.origin(wpt::server::Scheme::Http),
        ca.display(),
        server.config.all_hosts().join(", "),
        server.config.ip
    );
    loop {
        std::thread::park();
    }
}
