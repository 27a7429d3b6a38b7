//! `webidl_codegen`: WebIDL -> Rust bindings for rquickjs, after wasm-bindgen's `crates/webidl`.
//!
//! Pipeline: read every `.webidl` file of a folder ([`parse`], weedle plus a pre-pass for what
//! weedle cannot read) -> first pass ([`resolve`]: partials, mixins, `includes`, typedefs,
//! inheritance, exposure; unknown names are errors) -> emit ([`emit`]: a folder of formatted
//! Rust files, one per interface, see [`Bindings`]).
//!
//! It is used from build scripts (see `components/script/build.rs`) and from its command line
//! (`cargo run -p webidl_codegen -- --help`). It must not depend on the runtime it generates
//! code for: the generated file names the runtime through paths in [`emit::Config`].

pub mod emit;
pub mod model;
pub mod parse;
pub mod resolve;

pub use emit::Config;
pub use parse::Diagnostic;
pub use resolve::{Definitions, ResolveOptions};

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One or more located problems.
#[derive(Debug)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Errors {
    Errors(vec![Diagnostic {
        location: model::Location {
            file: path.display().to_string(),
            line: 0,
            col: 0,
        },
        message: format!("cannot read: {e}"),
        excerpt: String::new(),
    }])
}

/// The `.webidl` and `.idl` files of `dir`, sorted by name.
pub fn idl_files(dir: &Path) -> Result<Vec<PathBuf>, Errors> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("webidl") | Some("idl")
                )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Parses files (syntax only). Errors of every file are collected.
pub fn parse_files(paths: &[PathBuf]) -> Result<Vec<parse::ParsedFile>, Errors> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
        let name = path.display().to_string();
        match parse::SourceFile::new(name, text).and_then(parse::parse_file) {
            Ok(p) => parsed.push(p),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(Errors(errors))
    }
}

/// Parses and resolves the given files.
pub fn load(paths: &[PathBuf], options: ResolveOptions) -> Result<Definitions, Errors> {
    let parsed = parse_files(paths)?;
    resolve::resolve(parsed, options).map_err(Errors)
}

/// Parses and resolves text given in memory (`(name, text)` pairs), for tests.
pub fn load_str(files: &[(&str, &str)], options: ResolveOptions) -> Result<Definitions, Errors> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        match parse::SourceFile::new(*name, *text).and_then(parse::parse_file) {
            Ok(p) => parsed.push(p),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    resolve::resolve(parsed, options).map_err(Errors)
}

/// The generated bindings: formatted Rust files by name, to write into one folder. `mod.rs`
/// is the root that a crate `include!`s; it declares every other file as a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bindings {
    pub files: BTreeMap<String, String>,
}

impl Bindings {
    /// Every file, in name order, one after the other (to search the whole output).
    pub fn concatenated(&self) -> String {
        self.files.values().map(String::as_str).collect()
    }

    /// Writes the files into `dir` (created if missing). A file whose content is unchanged
    /// is left alone, so cargo does not rebuild for nothing; `.rs` files of an earlier run
    /// that are no longer generated are removed.
    pub fn write_to(&self, dir: &Path) -> Result<(), Errors> {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        for (name, code) in &self.files {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
                std::fs::write(&path, code).map_err(|e| io_error(&path, e))?;
            }
        }
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") && !self.files.contains_key(&name) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|e| io_error(&path, e))?;
            }
        }
        Ok(())
    }
}

/// Generates the bindings for resolved definitions.
pub fn generate(defs: &Definitions, config: &Config) -> Result<Bindings, Errors> {
    let files = emit::emit(defs, config).map_err(Errors)?;
    Ok(Bindings { files })
}

/// For build scripts: generate bindings for every IDL file of `dirs` into the folder `out`
/// (its `mod.rs` is the root), rewriting only files whose content changed, and print
/// `cargo:rerun-if-changed` lines. Definitions from a folder paired with `Some(cfg)` are
/// compiled only under `#[cfg(cfg)]`.
pub fn build(
    dirs: &[(PathBuf, Option<String>)],
    out: &Path,
    mut config: Config,
) -> Result<(), Errors> {
    let mut paths = Vec::new();
    let mut gated_files = Vec::new();
    for (dir, cfg) in dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        for f in idl_files(dir)? {
            println!("cargo:rerun-if-changed={}", f.display());
            if let Some(cfg) = cfg {
                gated_files.push((f.display().to_string(), cfg.clone()));
            }
            paths.push(f);
        }
    }
    let parsed = parse_files(&paths)?;
    for p in &parsed {
        if let Some((_, cfg)) = gated_files.iter().find(|(f, _)| *f == p.source.name) {
            for (def, _) in &p.definitions {
                config.cfg.insert(def.name().to_string(), cfg.clone());
            }
        }
    }
    let defs = resolve::resolve(parsed, ResolveOptions::default()).map_err(Errors)?;
    generate(&defs, &config)?.write_to(out)
}
