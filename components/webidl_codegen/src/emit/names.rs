//! Rust names for IDL names: identifiers, enum variants, union type names.

use crate::model::*;
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// A Rust identifier for an IDL name, keeping its casing (`downloadTotal`), raw where the name
/// is a Rust keyword (`r#type`).
pub fn ident(name: &str) -> Ident {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if matches!(s.as_str(), "self" | "Self" | "super" | "crate" | "_") {
        s.push('_');
        return Ident::new(&s, Span::call_site());
    }
    if KEYWORDS.contains(&s.as_str()) {
        Ident::new_raw(&s, Span::call_site())
    } else {
        Ident::new(&s, Span::call_site())
    }
}

pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Variant names for an enum's values, in order: `""` -> `Empty`, `"bad-status"` ->
/// `BadStatus`; clashes get a numeric suffix.
pub fn enum_variants(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let mut name: String = if v.is_empty() {
            "Empty".to_string()
        } else {
            v.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|p| !p.is_empty())
                .map(upper_first)
                .collect()
        };
        if name.is_empty() {
            name = "Value".to_string();
        }
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, '_');
        }
        let base = name.clone();
        let mut n = 1;
        while out.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        out.push(name);
    }
    out
}

/// The name a type contributes to a union's name and to its variant name.
pub fn type_name(t: &Type) -> String {
    if let (Some(td), TypeKind::Union(_)) = (&t.typedef, &t.kind) {
        return td.clone();
    }
    match &t.kind {
        TypeKind::Any => "Any".into(),
        TypeKind::Undefined => "Undefined".into(),
        TypeKind::Boolean => "Boolean".into(),
        TypeKind::Integer(i) => i.idl_name().split(' ').map(upper_first).collect::<String>(),
        TypeKind::Float(f) => f.idl_name().split(' ').map(upper_first).collect::<String>(),
        TypeKind::BigInt => "BigInt".into(),
        TypeKind::DOMString => "String".into(),
        TypeKind::ByteString => "ByteString".into(),
        TypeKind::USVString => "USVString".into(),
        TypeKind::Object => "Object".into(),
        TypeKind::Symbol => "Symbol".into(),
        TypeKind::Buffer(b) => b.name().into(),
        TypeKind::Interface(n)
        | TypeKind::Dictionary(n)
        | TypeKind::Enum(n)
        | TypeKind::CallbackFunction(n)
        | TypeKind::CallbackInterface(n)
        | TypeKind::Named(n) => n.clone(),
        TypeKind::Sequence(t) | TypeKind::FrozenArray(t) | TypeKind::ObservableArray(t) => {
            format!("{}Sequence", type_name(t))
        }
        TypeKind::Record(k, v) => format!("{}{}Record", type_name(k), type_name(v)),
        TypeKind::Promise(t) => format!("{}Promise", type_name(t)),
        TypeKind::Union(members) => members.iter().map(type_name).collect::<Vec<_>>().join("Or"),
    }
}
