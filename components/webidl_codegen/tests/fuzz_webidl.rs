//! Fuzz targets for the WebIDL generator: mutated versions of the real `webidls/*.webidl`
//! files and random token soup go through parse, resolve and emit, which must return
//! errors, never panic. Bounded here; `BGFETCH_FUZZ_ITERS` runs longer (docs/fuzzing.md).

#[path = "../../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{mutate, run, soup, Rng};
use std::path::PathBuf;
use webidl_codegen::parse::{parse_ext_attr_list, parse_file, ParsedFile, SourceFile};
use webidl_codegen::{resolve::resolve, Config, ResolveOptions};

/// WebIDL's keywords and punctuation, and names the real files use.
const DICT: &[&str] = &[
    "interface",
    "partial",
    "dictionary",
    "enum",
    "typedef",
    "callback",
    "mixin",
    "includes",
    "namespace",
    "attribute",
    "readonly",
    "const",
    "static",
    "getter",
    "setter",
    "deleter",
    "stringifier",
    "iterable",
    "async",
    "maplike",
    "setlike",
    "inherit",
    "required",
    "optional",
    "or",
    "sequence",
    "record",
    "Promise",
    "FrozenArray",
    "ObservableArray",
    "any",
    "undefined",
    "void",
    "object",
    "boolean",
    "byte",
    "octet",
    "short",
    "long",
    "unsigned",
    "float",
    "double",
    "unrestricted",
    "bigint",
    "DOMString",
    "USVString",
    "ByteString",
    "ArrayBuffer",
    "BufferSource",
    "Infinity",
    "-Infinity",
    "NaN",
    "null",
    "true",
    "false",
    "constructor",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ";",
    ",",
    "=",
    "?",
    "...",
    ":",
    "-",
    "\"",
    "\"s\"",
    "[Exposed=Window]",
    "[Exposed=(Window,Worker)]",
    "[SameObject]",
    "[NewObject]",
    "[Throws]",
    "[EnforceRange]",
    "[Clamp]",
    "[LegacyNullToEmptyString]",
    "[Reflect]",
    "[Exposed=*]",
    "[SecureContext]",
    "[LegacyUnenumerableNamedProperties]",
    "[Replaceable]",
    "[PutForwards=x]",
    "[CEReactions]",
    "Window",
    "Worker",
    "EventTarget",
    "Event",
    "Node",
    "Element",
    "Blob",
    "Request",
    "Response",
    "BackgroundFetchRegistration",
    "X",
    "Y",
    "x",
    "_",
    "0",
    "0x1F",
    "-1",
    "1.5",
    "1e400",
    "//",
    "/*",
    "*/",
    "\n",
];

fn real_files() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../webidls");
    let mut files: Vec<(String, String)> = webidl_codegen::idl_files(&dir)
        .expect("webidls/ is readable")
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(&p).expect("an IDL file reads"),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() > 50, "the real files are found");
    files
}

fn parse(name: &str, text: &str) -> Option<ParsedFile> {
    SourceFile::new(name, text).and_then(parse_file).ok()
}

/// Resolves and, when that succeeds, emits: errors are fine, panics are not.
fn resolve_and_emit(files: Vec<ParsedFile>, lenient: bool) {
    if let Ok(defs) = resolve(files, ResolveOptions { lenient }) {
        let _ = webidl_codegen::generate(&defs, &Config::default());
    }
}

#[test]
fn fuzz_mutated_real_files() {
    let files = real_files();
    let texts: Vec<&[u8]> = files.iter().map(|(_, t)| t.as_bytes()).collect();
    let mut cycle = 0u64;
    run(
        "webidl: mutated real files",
        500,
        |rng: &mut Rng| {
            let i = rng.usize(0..files.len());
            let bytes = mutate(rng, files[i].1.as_bytes(), DICT, &texts);
            (
                files[i].0.clone(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        },
        |(name, text)| {
            cycle += 1;
            let Some(parsed) = parse(name, text) else {
                return;
            };
            // Alone (lenient: names of the other files are unknown here), and now and then
            // with every other real file, strictly, as the build does.
            resolve_and_emit(vec![parsed], true);
            if cycle.is_multiple_of(25) {
                let mut all: Vec<ParsedFile> = files
                    .iter()
                    .filter(|(n, _)| n != name)
                    .filter_map(|(n, t)| parse(n, t))
                    .collect();
                all.extend(parse(name, text));
                resolve_and_emit(all, false);
            }
        },
    );
}

#[test]
fn fuzz_token_soup() {
    run(
        "webidl: token soup",
        600,
        |rng: &mut Rng| {
            let n = rng.usize(0..80);
            String::from_utf8_lossy(&soup(rng, DICT, n)).into_owned()
        },
        |text| {
            if let Some(parsed) = parse("soup.webidl", text) {
                resolve_and_emit(vec![parsed], true);
            }
            if let Some(parsed) = parse("soup.webidl", text) {
                resolve_and_emit(vec![parsed], false);
            }
        },
    );
}

#[test]
fn fuzz_extended_attribute_lists() {
    let seeds: &[&str] = &[
        "[Exposed=(Window,Worker), SecureContext]",
        "[Reflect=\"for\", CEReactions]",
        "[LegacyFactoryFunction=Image(optional unsigned long width)]",
        "[PutForwards=href, LegacyUnforgeable]",
        "[Exposed=*, Pref=\"x.y\", Func=\"A::b\"]",
    ];
    run(
        "webidl: extended attribute lists",
        3000,
        |rng: &mut Rng| fuzz_support::text(rng, seeds, DICT),
        |list| {
            if let Err((at, _)) = parse_ext_attr_list(list) {
                assert!(at <= list.len(), "an error offset within the list");
            }
        },
    );
}

/// The real files themselves parse and resolve (the fuzz targets start from valid input).
#[test]
fn the_real_files_resolve() {
    let parsed: Vec<ParsedFile> = real_files()
        .iter()
        .map(|(n, t)| parse(n, t).unwrap_or_else(|| panic!("{n} parses")))
        .collect();
    assert!(resolve(parsed, ResolveOptions::default()).is_ok());
}

/// Found by `fuzz_mutated_real_files`: a non-ASCII character in an extended attribute's
/// string before a definition's name made the name search slice inside the character
/// (`parse::find_word`, "byte index is not a char boundary").
#[test]
fn regression_non_ascii_before_a_name() {
    let parsed = parse("a.webidl", "[X=\"\u{e9}\"] interface A {};");
    assert!(parsed.is_some());
    let located = parse(
        "b.webidl",
        "[Exposed=Window, R=\"\u{fffd}\"] interface B { [R=\"\u{e9}\"] attribute long x; };",
    );
    assert!(located.is_some());
}
