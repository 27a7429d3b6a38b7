//! The command line: exit codes and located messages on any folder of IDL.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_webidl_codegen"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("webidl_codegen_cli_{}_{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

#[test]
fn the_project_webidls_parse_resolve_and_dump() {
    let (code, out, err) = run(&[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("interfaces"), "{out}");
    let dump = temp_dir("dump", &[]);
    let (code, out, err) = run(&["--dump", dump.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    // The layout of a build: the root, then one file per interface.
    let root = std::fs::read_to_string(dump.join("bindings/mod.rs")).unwrap();
    assert!(root.starts_with("// @generated"));
    assert!(root.contains("#[path = \"BackgroundFetchManagerBinding.rs\"]"));
    let text =
        std::fs::read_to_string(dump.join("bindings/BackgroundFetchManagerBinding.rs")).unwrap();
    assert!(text.starts_with("// @generated"));
    assert!(text.contains("pub trait BackgroundFetchManagerMethods<'js>"));
    // Formatted for reading: one item per line, indented.
    assert!(text.lines().count() > 20);
    // A second dump over the first leaves the same files, and no stale ones.
    std::fs::write(dump.join("bindings/GoneBinding.rs"), "").unwrap();
    let (code, out, err) = run(&["--dump", dump.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!dump.join("bindings/GoneBinding.rs").exists());
    assert_eq!(
        std::fs::read_to_string(dump.join("bindings/mod.rs")).unwrap(),
        root
    );
    let _ = std::fs::remove_dir_all(dump);
}

#[test]
fn bad_idl_exits_non_zero_with_file_line_col() {
    let dir = temp_dir("bad", &[("junk.webidl", "interface A {};;\n")]);
    let (code, _out, err) = run(&["--webidls", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.ends_with("junk.webidl:1:16: expected a definition, found `;`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn parse_only_accepts_a_single_upstream_style_file() {
    // An extract in the style of WPT's interfaces/background-fetch.idl: partials of interfaces
    // defined elsewhere, numeric extended attributes from html.idl.
    let dir = temp_dir(
        "upstream",
        &[(
            "background-fetch.idl",
            "partial interface ServiceWorkerGlobalScope { attribute EventHandler onbackgroundfetchsuccess; };\n\
             [Exposed=(Window,Worker)] interface BackgroundFetchRecord { readonly attribute Request request; };\n\
             [Exposed=Window] interface HTMLOListElement { [CEReactions, Reflect, ReflectDefault=1] attribute long start; };\n",
        )],
    );
    let (code, out, err) = run(&["--webidls", dir.to_str().unwrap(), "--parse-only"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("defined outside these files"), "{out}");
    // Strict resolution of the same file names the missing definitions.
    let (code, _out, err) = run(&["--webidls", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("background-fetch.idl:2:") && err.contains("unknown type `Request`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run(&["--frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown argument"), "{err}");
    let (code, _, err) = run(&["--webidls", "/nonexistent/folder"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a folder"), "{err}");
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--parse-only"));
}

/// Upstream IDL files from a WPT checkout (`WPT_ROOT`) or an `@webref/idl` copy
/// (`WEBREF_IDL`), when present, parse without error; without either the test says so.
#[test]
fn upstream_interface_files_parse_when_available() {
    let dir = std::env::var("WPT_ROOT")
        .map(|r| Path::new(&r).join("interfaces"))
        .or_else(|_| std::env::var("WEBREF_IDL").map(Into::into));
    let Ok(dir) = dir else {
        eprintln!(
            "skipped: set WPT_ROOT (a WPT checkout) or WEBREF_IDL to check the upstream files"
        );
        return;
    };
    for name in [
        "background-fetch",
        "service-workers",
        "html",
        "dom",
        "fetch",
    ] {
        let file = dir.join(format!("{name}.idl"));
        assert!(file.exists(), "{} is missing", file.display());
        let single = temp_dir(name, &[]);
        std::fs::copy(&file, single.join(format!("{name}.idl"))).unwrap();
        let (code, out, err) = run(&["--webidls", single.to_str().unwrap(), "--parse-only"]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        let _ = std::fs::remove_dir_all(single);
    }
}
