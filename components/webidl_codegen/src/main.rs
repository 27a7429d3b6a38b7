//! `webidl_codegen` command line: parse a folder of WebIDL, report located errors, and
//! optionally write the generated Rust so a person can read it.

use std::path::PathBuf;
use std::process::ExitCode;
use webidl_codegen::{Config, ResolveOptions};

const USAGE: &str = "\
usage: webidl_codegen [--webidls DIR] [--parse-only] [--lenient] [--dump OUT_DIR]

  --webidls DIR   folder of .webidl/.idl files (default: webidls/ of the workspace)
  --parse-only    check syntax and merge definitions; names defined outside the folder
                  are allowed (use this for a single upstream file)
  --lenient       resolve, but allow names defined outside the folder
  --dump OUT_DIR  write the generated Rust to OUT_DIR/bindings/, formatted, as a build
                  writes it: mod.rs (the root) and one file per interface

Exit status: 0 on success, 1 on bad IDL (each problem printed as file:line:col: message),
2 on bad usage.";

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut dump: Option<PathBuf> = None;
    let mut parse_only = false;
    let mut lenient = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--webidls" => match args.next() {
                Some(d) => dir = Some(d.into()),
                None => return usage("--webidls needs a folder"),
            },
            "--dump" => match args.next() {
                Some(d) => dump = Some(d.into()),
                None => return usage("--dump needs a folder"),
            },
            "--parse-only" => parse_only = true,
            "--lenient" => lenient = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    let dir =
        dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../webidls"));
    if !dir.is_dir() {
        eprintln!("webidl_codegen: {} is not a folder", dir.display());
        return ExitCode::from(2);
    }
    let files = match webidl_codegen::idl_files(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    if files.is_empty() {
        eprintln!(
            "webidl_codegen: no .webidl or .idl files in {}",
            dir.display()
        );
        return ExitCode::from(1);
    }
    let options = ResolveOptions {
        lenient: lenient || parse_only,
    };
    let defs = match webidl_codegen::load(&files, options) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("webidl_codegen: {} problem(s)", e.0.len());
            return ExitCode::from(1);
        }
    };
    println!(
        "{} file(s): {} interfaces, {} dictionaries, {} enums, {} callbacks, {} typedefs, {} mixins",
        files.len(),
        defs.interfaces.len(),
        defs.dictionaries.len(),
        defs.enums.len(),
        defs.callbacks.len(),
        defs.typedefs.len(),
        defs.mixins.len()
    );
    if !defs.unresolved.is_empty() {
        println!(
            "{} name(s) defined outside these files: {}",
            defs.unresolved.len(),
            defs.unresolved
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if parse_only {
        return ExitCode::SUCCESS;
    }
    if let Some(out) = dump {
        let bindings = match webidl_codegen::generate(&defs, &Config::default()) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let folder = out.join("bindings");
        if let Err(e) = bindings.write_to(&folder) {
            eprintln!("webidl_codegen: cannot write {}: {e}", folder.display());
            return ExitCode::from(1);
        }
        println!(
            "wrote {} file(s) to {}",
            bindings.files.len(),
            folder.display()
        );
    }
    ExitCode::SUCCESS
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("webidl_codegen: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}
