//! `bgfetch`: the reference embedder of the engine.
//!
//! Today it runs scripts in a global of the engine (`run`, `eval`), printing console output
//! and uncaught errors, and waiting until the event loop has nothing left to do. The built-in
//! demo (a local server, a page and a service worker doing a real background fetch with a live
//! display) arrives with the shell issue; `bgfetch demo` says so until then.

use script::{GlobalEvent, GlobalHandle, GlobalKind, GlobalOptions};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: bgfetch run FILE.js [options]
       bgfetch eval CODE [options]
       bgfetch demo

options:
  --global KIND   window (default), dedicatedworker, sharedworker or serviceworker
  --timeout SECS  give up waiting for the event loop after SECS seconds (default 30)
  --url URL       the global's creation URL (default about:blank)

Console output goes to stdout, uncaught errors to stderr. Exit status: 0 when the script
ran without uncaught errors, 1 otherwise, 2 on bad usage.";

struct Options {
    kind: GlobalKind,
    timeout: Duration,
    url: String,
}

fn parse_kind(s: &str) -> Option<GlobalKind> {
    Some(match s {
        "window" => GlobalKind::Window,
        "dedicatedworker" | "worker" => GlobalKind::DedicatedWorkerGlobalScope,
        "sharedworker" => GlobalKind::SharedWorkerGlobalScope,
        "serviceworker" => GlobalKind::ServiceWorkerGlobalScope,
        _ => return None,
    })
}

fn usage(message: &str) -> ExitCode {
    eprintln!("bgfetch: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        return usage("a command is needed");
    };
    if command == "-h" || command == "--help" {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if command == "demo" {
        eprintln!(
            "bgfetch: the background fetch demo is not built yet (it needs the network-side \
             engine and service workers); `bgfetch run FILE.js` runs scripts today"
        );
        return ExitCode::from(2);
    }
    let Some(target) = args.get(1) else {
        return usage(&format!("`{command}` needs an argument"));
    };
    let mut options = Options {
        kind: GlobalKind::Window,
        timeout: Duration::from_secs(30),
        url: "about:blank".into(),
    };
    let mut rest = args[2..].iter();
    while let Some(a) = rest.next() {
        match (a.as_str(), rest.next()) {
            ("--global", Some(v)) => match parse_kind(v) {
                Some(k) => options.kind = k,
                None => return usage(&format!("unknown global `{v}`")),
            },
            ("--timeout", Some(v)) => match v.parse::<u64>() {
                Ok(s) => options.timeout = Duration::from_secs(s),
                Err(_) => return usage(&format!("--timeout takes whole seconds, not `{v}`")),
            },
            ("--url", Some(v)) => options.url = v.clone(),
            (flag, _) => return usage(&format!("unknown or incomplete option `{flag}`")),
        }
    }
    let (source, filename) = match command.as_str() {
        "run" => match std::fs::read_to_string(target) {
            Ok(s) => (s, target.clone()),
            Err(e) => {
                eprintln!("bgfetch: cannot read {target}: {e}");
                return ExitCode::from(2);
            }
        },
        "eval" => (target.clone(), "eval".to_string()),
        other => return usage(&format!("unknown command `{other}`")),
    };
    run(&source, &filename, options)
}

fn run(source: &str, filename: &str, options: Options) -> ExitCode {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut global_options = GlobalOptions::new(options.kind);
    global_options.events = Some(tx);
    global_options.url = options.url;
    // The shell's profile: its service worker registrations live as long as this run.
    let profile = script::ServiceWorkerRegistry::new();
    global_options.service_workers = Some(profile.context());
    let global = match GlobalHandle::spawn(global_options) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("bgfetch: {e}");
            return ExitCode::from(1);
        }
    };
    let printer = std::thread::spawn(move || {
        let mut errors = 0;
        for event in rx {
            match event {
                GlobalEvent::Console { level, message } => match level {
                    log::Level::Error => eprintln!("{message}"),
                    log::Level::Warn => eprintln!("warning: {message}"),
                    _ => println!("{message}"),
                },
                GlobalEvent::UncaughtError {
                    message,
                    filename,
                    lineno,
                    ..
                } => {
                    errors += 1;
                    if filename.is_empty() {
                        eprintln!("uncaught: {message}");
                    } else {
                        eprintln!("uncaught at {filename}:{lineno}: {message}");
                    }
                }
                GlobalEvent::UnhandledRejection { message } => {
                    errors += 1;
                    eprintln!("unhandled rejection: {message}");
                }
                GlobalEvent::Interrupted { message } => {
                    errors += 1;
                    eprintln!("interrupted: {message}");
                }
                GlobalEvent::Panic { message, location } => {
                    errors += 1;
                    eprintln!("bgfetch: internal error (a bug, please report it): {message} at {location}");
                }
            }
        }
        errors
    });
    let ran = global.run_script(source, filename).is_ok();
    let idle = global.wait_idle(options.timeout);
    global.shutdown();
    // Its service workers end too (they hold the console channel the printer drains).
    drop(profile);
    let errors = printer.join().unwrap_or(1);
    if !idle {
        eprintln!(
            "bgfetch: still busy after {}s (an interval or a task that never ends); stopped it",
            options.timeout.as_secs()
        );
    }
    if ran && idle && errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
