//! `bgfetch run FILE.js` and `bgfetch eval CODE`: a script in one global of the engine (no
//! page, no profile on disk), console output on stdout, uncaught errors on stderr, waiting
//! until the event loop has nothing left to do. Exit 1 if anything was left uncaught.

use crate::cli::{EvalArgs, RunArgs, ScriptOptions};
use crate::error::{job, Failure, Result};
use script::{GlobalEvent, GlobalHandle, GlobalOptions};

pub fn run_file(args: RunArgs) -> Result<()> {
    let source = std::fs::read_to_string(&args.file).map_err(|e| {
        // A file that is not there is a usage error, as before the shell grew commands.
        Failure::Usage(format!("cannot read {}: {e}", args.file.display()))
    })?;
    run(&source, &args.file.display().to_string(), args.options)
}

pub fn eval(args: EvalArgs) -> Result<()> {
    run(&args.code, "eval", args.options)
}

fn run(source: &str, filename: &str, options: ScriptOptions) -> Result<()> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut global_options = GlobalOptions::new(options.global);
    global_options.events = Some(tx);
    global_options.url = options.url;
    // The script's profile: its service worker registrations live as long as this run.
    let profile = script::ServiceWorkerRegistry::new();
    global_options.service_workers = Some(profile.context());
    let global = GlobalHandle::spawn(global_options).map_err(job)?;
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
        return Err(job(format!(
            "still busy after {}s (an interval or a task that never ends); stopped it",
            options.timeout.as_secs()
        )));
    }
    if ran && errors == 0 {
        Ok(())
    } else {
        // The errors are on stderr already.
        Err(job(""))
    }
}
