//! Generates the bindings from `webidls/` (and, for this crate's tests, `test_webidls/`).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("bindings");
    let dirs = [
        (manifest.join("../../webidls"), None),
        (manifest.join("test_webidls"), Some("test".to_string())),
    ];
    if let Err(e) = webidl_codegen::build(&dirs, &out, webidl_codegen::Config::default()) {
        eprintln!("{e}");
        for line in e.to_string().lines() {
            println!("cargo:warning={line}");
        }
        std::process::exit(1);
    }
}
