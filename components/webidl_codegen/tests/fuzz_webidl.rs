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

/// Names the generated definitions use (so they refer to each other, and to themselves).
const NAMES: &[&str] = &["A", "B", "C", "D", "Window"];

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(0..from.len())]
}

/// A random WebIDL type, nested `depth` levels at most.
fn idl_type(rng: &mut Rng, depth: u32) -> String {
    if depth == 0 || rng.u8(0..3) == 0 {
        return pick(
            rng,
            &[
                "any",
                "boolean",
                "byte",
                "octet",
                "short",
                "unsigned long",
                "long long",
                "unrestricted double",
                "float",
                "bigint",
                "DOMString",
                "USVString",
                "ByteString",
                "object",
                "undefined",
                "ArrayBuffer",
                "Uint8Array",
                "BufferSource",
                "A",
                "B",
                "C",
                "D",
                "Window",
            ],
        )
        .to_string();
    }
    let inner = idl_type(rng, depth - 1);
    match rng.u8(0..7) {
        0 => format!("sequence<{inner}>"),
        1 => format!("record<DOMString, {inner}>"),
        2 => format!("Promise<{inner}>"),
        3 => format!("({inner} or {})", idl_type(rng, depth - 1)),
        4 => format!("{inner}?"),
        _ => format!("FrozenArray<{inner}>"),
    }
}

fn idl_args(rng: &mut Rng) -> String {
    let n = rng.usize(0..3);
    (0..n)
        .map(|i| {
            let ty = idl_type(rng, 2);
            match rng.u8(0..5) {
                0 => format!(
                    "optional {ty} a{i} = {}",
                    pick(rng, &["null", "0", "\"s\"", "{}", "[]", "true"])
                ),
                1 => format!("optional {ty} a{i}"),
                2 if i + 1 == n => format!("{ty}... a{i}"),
                _ => format!("{ty} a{i}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn idl_member(rng: &mut Rng, i: usize) -> String {
    let ty = idl_type(rng, 2);
    let attrs = pick(
        rng,
        &[
            "",
            "[SameObject] ",
            "[NewObject] ",
            "[Replaceable] ",
            "[SecureContext] ",
            "[Exposed=Worker] ",
        ],
    );
    match rng.u8(0..13) {
        0 => format!("{attrs}attribute {ty} m{i};"),
        1 => format!("{attrs}readonly attribute {ty} m{i};"),
        2 => format!("{attrs}{ty} m{}({});", rng.usize(0..2), idl_args(rng)),
        3 => format!("static {ty} s{i}({});", idl_args(rng)),
        4 => format!(
            "const {} C{i} = {};",
            pick(rng, &["long", "boolean", "double", "octet"]),
            pick(rng, &["1", "-1", "true", "NaN", "0x7f", "300"])
        ),
        5 => format!("getter {ty} ({});", idl_args(rng)),
        6 => format!("setter undefined (unsigned long i, {ty} v);"),
        7 => format!("iterable<{ty}>;"),
        8 => format!("iterable<DOMString, {ty}>;"),
        9 => format!("maplike<DOMString, {ty}>;"),
        10 => "stringifier;".to_string(),
        11 => format!("constructor({});", idl_args(rng)),
        _ => format!("inherit attribute {ty} m{i};"),
    }
}

fn idl_definition(rng: &mut Rng) -> String {
    let name = pick(rng, NAMES);
    let other = pick(rng, NAMES);
    let exposed = pick(
        rng,
        &[
            "[Exposed=Window]",
            "[Exposed=(Window,Worker)]",
            "[Exposed=*]",
            "",
            "[Global=Window, Exposed=Window]",
            "[Exposed=Window, LegacyNoInterfaceObject]",
        ],
    );
    let members: String = (0..rng.usize(0..4))
        .map(|i| idl_member(rng, i))
        .collect::<Vec<_>>()
        .join(" ");
    match rng.u8(0..11) {
        0 | 1 => format!("{exposed} interface {name} : {other} {{ {members} }};"),
        2 => format!("{exposed} interface {name} {{ {members} }};"),
        3 => format!("partial interface {name} {{ {members} }};"),
        4 => format!("interface mixin {name} {{ {members} }};"),
        5 => format!("{name} includes {other};"),
        6 => {
            let fields: String = (0..rng.usize(0..3))
                .map(|i| {
                    format!(
                        "{}{} f{i}{};",
                        pick(rng, &["", "required "]),
                        idl_type(rng, 2),
                        pick(rng, &["", " = null", " = 1", " = {}", " = \"x\""])
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            format!(
                "dictionary {name}{} {{ {fields} }};",
                pick(rng, &["", " : A", " : B"])
            )
        }
        7 => format!(
            "enum {name} {{ \"a\", \"\"{} }};",
            pick(rng, &["", ", \"a\""])
        ),
        8 => format!("typedef {} {name};", idl_type(rng, 3)),
        9 => format!(
            "callback {name} = {} ({});",
            idl_type(rng, 2),
            idl_args(rng)
        ),
        _ => format!("{exposed} namespace {name} {{ {members} }};"),
    }
}

#[test]
fn fuzz_generated_definitions() {
    run(
        "webidl: generated definitions",
        1500,
        |rng: &mut Rng| {
            let mut defs: Vec<String> = (0..rng.usize(1..7)).map(|_| idl_definition(rng)).collect();
            if rng.u8(0..4) != 0 {
                defs.push("[Global=Window, Exposed=Window] interface Window {};".into());
            }
            defs.join("\n")
        },
        |text| {
            if std::env::var_os("BGFETCH_FUZZ_VERBOSE").is_some() {
                let parsed = SourceFile::new("gen.webidl", text.as_str()).and_then(parse_file);
                match parsed.map(|p| resolve(vec![p], ResolveOptions { lenient: false })) {
                    Err(d) => eprintln!("parse: {}", d.message),
                    Ok(Err(e)) => eprintln!("resolve: {}", e[0].message),
                    Ok(Ok(_)) => eprintln!("resolved"),
                }
            }
            for lenient in [false, true] {
                if let Some(parsed) = parse("gen.webidl", text) {
                    resolve_and_emit(vec![parsed], lenient);
                }
            }
        },
    );
}
