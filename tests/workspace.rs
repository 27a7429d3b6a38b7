//! Workspace-wide checks: the README's two commands and CI agree, every WebIDL file names the
//! spec it was transcribed from, and not-yet-implemented interfaces are not exposed.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(root().join(p.as_ref()))
        .unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// The command in the README's fenced block right after the line containing `marker`.
fn readme_command(marker: &str) -> String {
    let readme = read("README.md");
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README has no `{marker}`"));
    let block = &readme[at..];
    let start = block.find("```sh\n").expect("a ```sh block") + 6;
    let end = block[start..].find("```").expect("closed block");
    block[start..start + end].trim().to_string()
}

#[test]
fn ci_runs_exactly_the_readme_test_command() {
    let test_command = readme_command("Run every test");
    let ci = read(".ci/run");
    let last = ci
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap();
    assert_eq!(
        last.trim(),
        format!("exec {test_command}"),
        ".ci/run must end by running the README's test command"
    );
    assert!(
        root()
            .join(test_command.split_whitespace().next().unwrap())
            .exists(),
        "{test_command}"
    );
}

#[test]
fn the_readme_main_command_is_the_shells_demo() {
    let main = readme_command("Run the main job");
    assert_eq!(main, "cargo run --release -p shell -- demo");
    // The commands and files the shell's section names exist.
    let readme = read("README.md");
    for path in [
        "components/shell/scripts/platform.js",
        "components/shell/tests/sites/podcast",
    ] {
        assert!(readme.contains(path), "{path}");
        assert!(root().join(path).exists(), "{path}");
    }
}

#[test]
fn every_webidl_file_names_its_spec() {
    let dir = root().join("webidls");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("webidl") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("// https://"),
            "{} must start with the spec URL, not {first:?}",
            path.display()
        );
    }
    assert!(count >= 30, "{count} files");
}

#[test]
fn background_fetch_idl_is_complete() {
    // Every definition of https://wicg.github.io/background-fetch/#idl-index is present and
    // uncommented.
    let text = read("webidls/BackgroundFetch.webidl");
    let active: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "partial interface ServiceWorkerGlobalScope",
        "attribute EventHandler onbackgroundfetchsuccess;",
        "attribute EventHandler onbackgroundfetchfail;",
        "attribute EventHandler onbackgroundfetchabort;",
        "attribute EventHandler onbackgroundfetchclick;",
        "readonly attribute BackgroundFetchManager backgroundFetch;",
        "interface BackgroundFetchManager",
        "Promise<BackgroundFetchRegistration> fetch(DOMString id, (RequestInfo or sequence<RequestInfo>) requests, optional BackgroundFetchOptions options = {});",
        "Promise<BackgroundFetchRegistration?> get(DOMString id);",
        "Promise<sequence<DOMString>> getIds();",
        "dictionary BackgroundFetchUIOptions",
        "dictionary BackgroundFetchOptions : BackgroundFetchUIOptions",
        "unsigned long long downloadTotal = 0;",
        "interface BackgroundFetchRegistration : EventTarget",
        "Promise<boolean> abort();",
        "Promise<sequence<BackgroundFetchRecord>> matchAll(optional RequestInfo request, optional CacheQueryOptions options = {});",
        "enum BackgroundFetchResult",
        "enum BackgroundFetchFailureReason",
        "\"download-total-exceeded\"",
        "interface BackgroundFetchRecord",
        "readonly attribute Promise<Response> responseReady;",
        "interface BackgroundFetchEvent : ExtendableEvent",
        "required BackgroundFetchRegistration registration;",
        "interface BackgroundFetchUpdateUIEvent : BackgroundFetchEvent",
        "Promise<undefined> updateUI(optional BackgroundFetchUIOptions options = {});",
    ] {
        assert!(active.contains(needle), "missing: {needle}");
    }
}

#[test]
fn unimplemented_interfaces_are_behind_a_pref() {
    // An interface whose members are all commented out must not be exposed by default.
    let defs = webidl_codegen::load(
        &webidl_codegen::idl_files(&root().join("webidls")).unwrap(),
        webidl_codegen::ResolveOptions::default(),
    )
    .unwrap();
    for iface in defs.interfaces.values() {
        if iface.kind != webidl_codegen::model::InterfaceKind::Interface
            || iface.global_names().is_some()
            || !iface.constructors.is_empty()
        {
            continue;
        }
        // Interfaces the standards define with no members of their own (their [HTMLConstructor]
        // is not supported; Navigator's members come from mixins).
        const EMPTY_IN_THE_STANDARD: &[&str] = &[
            "HTMLUnknownElement",
            "HTMLHtmlElement",
            "HTMLHeadElement",
            "HTMLBodyElement",
            "Navigator",
            "WorkerNavigator",
            "XMLDocument",
            "CDATASection",
            "HTMLSpanElement",
            "HTMLPictureElement",
        ];
        let own_members = iface.members.len();
        if own_members == 0 && !EMPTY_IN_THE_STANDARD.contains(&iface.name.as_str()) {
            assert!(
                iface.ext_attrs.has("Pref"),
                "{} has no members and no [Pref]: it would be exposed empty",
                iface.name
            );
        }
    }
}
