//! The emit layer: the only part that knows how Rust looks.
//!
//! Input is the resolved [`Definitions`]; output is a folder of Rust files (each formatted
//! with prettyplease) whose root `mod.rs` a crate `include!`s ([`files`] says which file holds
//! what). The generated code calls a small runtime API that the including crate provides at
//! `Config::bindings_path` (the `codegen_prelude` module) and refers to DOM types at
//! `Config::types_path`; see `components/script/src/dom/bindings/`.
//!
//! - [`support`]: what is refused, with located errors;
//! - [`convert`]: IDL types as Rust types, ES -> IDL conversions, defaults (WebIDL §3.2);
//! - [`dispatch`]: the type ladder of union conversion and overload resolution;
//! - [`types`]: enumerations, dictionaries, unions, callbacks;
//! - [`interface`]: interfaces and namespaces, one file per section of WebIDL §3.7;
//! - [`files`]: which file holds what, and the root module.

mod convert;
mod dispatch;
mod files;
mod interface;
pub mod names;
mod support;
mod types;

use crate::model::*;
use crate::parse::Diagnostic;
use crate::resolve::Definitions;
use names::*;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// What the generated code refers to, and which definitions are compiled conditionally.
#[derive(Clone, Debug)]
pub struct Config {
    /// Path of the module that re-exports every DOM type by interface name.
    pub types_path: String,
    /// Path of the bindings runtime; the generated file does `use <path>::codegen_prelude::*`.
    pub bindings_path: String,
    /// Definitions (by name) to put behind a `#[cfg(..)]` predicate, e.g. test-only interfaces.
    pub cfg: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            types_path: "crate::dom::types".to_string(),
            bindings_path: "crate::dom::bindings".to_string(),
            cfg: BTreeMap::new(),
        }
    }
}

pub(crate) struct Emitter<'a> {
    pub defs: &'a Definitions,
    pub config: &'a Config,
    pub types_path: TokenStream,
    pub errors: Vec<Diagnostic>,
    dict_lt: BTreeMap<String, bool>,
    /// Union Rust name -> the union type (nullability stripped).
    pub unions: BTreeMap<String, Type>,
    /// [Global] interfaces, sorted; their index is their GlobalKind bit.
    pub globals: Vec<String>,
}

fn diag(location: &Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        location: location.clone(),
        message: message.into(),
        excerpt: String::new(),
    }
}

fn path(s: &str) -> TokenStream {
    s.parse().unwrap_or_else(|_| quote!(crate))
}

/// Generates the bindings for `defs`: file name -> formatted Rust source.
pub fn emit(
    defs: &Definitions,
    config: &Config,
) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let mut e = Emitter {
        defs,
        config,
        types_path: path(&config.types_path),
        errors: Vec::new(),
        dict_lt: BTreeMap::new(),
        unions: BTreeMap::new(),
        globals: defs
            .interfaces
            .values()
            .filter(|i| i.global_names().is_some())
            .map(|i| i.name.clone())
            .collect(),
    };
    e.check_supported();
    e.compute_dictionary_lifetimes();
    e.collect_unions();
    if !e.errors.is_empty() {
        return Err(e.errors);
    }
    let files = e.files();
    if !e.errors.is_empty() {
        return Err(e.errors);
    }
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, tokens) in files {
        match files::format_file(&name, tokens) {
            Ok(text) => {
                out.insert(name, text);
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Emitter<'_> {
    /// `#[cfg(..)]` for a type built from other definitions (a union): gated if any named
    /// definition it mentions is.
    pub fn gate_for_type(&self, t: &Type) -> TokenStream {
        fn names(t: &Type, out: &mut Vec<String>) {
            match &t.kind {
                TypeKind::Interface(n)
                | TypeKind::Dictionary(n)
                | TypeKind::Enum(n)
                | TypeKind::CallbackFunction(n)
                | TypeKind::CallbackInterface(n) => out.push(n.clone()),
                TypeKind::Sequence(i)
                | TypeKind::FrozenArray(i)
                | TypeKind::ObservableArray(i)
                | TypeKind::Promise(i) => names(i, out),
                TypeKind::Record(k, v) => {
                    names(k, out);
                    names(v, out);
                }
                TypeKind::Union(m) => m.iter().for_each(|m| names(m, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        names(t, &mut found);
        match found.iter().find(|n| self.config.cfg.contains_key(*n)) {
            Some(n) => self.gate(n),
            None => quote!(),
        }
    }

    /// `#[cfg(..)]` for a definition, if it is gated.
    pub fn gate(&self, name: &str) -> TokenStream {
        match self.config.cfg.get(name) {
            Some(pred) => {
                let pred: TokenStream = pred.parse().unwrap_or_else(|_| quote!(test));
                quote!(#[cfg(#pred)])
            }
            None => quote!(),
        }
    }

    fn compute_dictionary_lifetimes(&mut self) {
        for name in self.defs.dictionaries.keys() {
            self.dict_lt.insert(name.clone(), false);
        }
        loop {
            let mut changed = false;
            for d in self.defs.dictionaries.values() {
                let needs = d
                    .parent
                    .as_ref()
                    .is_some_and(|p| self.dict_lt.get(p).copied().unwrap_or(false))
                    || d.members.iter().any(|m| self.needs_lt(&m.ty));
                if needs && !self.dict_lt[&d.name] {
                    self.dict_lt.insert(d.name.clone(), true);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn collect_unions(&mut self) {
        let mut found: Vec<Type> = Vec::new();
        self.for_each_type(&mut |t, _| {
            if let TypeKind::Union(_) = t.kind {
                found.push(t.clone());
            }
        });
        for t in found {
            let mut t = t;
            t.nullable = false;
            let name = type_name(&t);
            self.unions.entry(name).or_insert(t);
        }
    }

    /// Whether the Rust type for `t` carries the `'js` lifetime.
    pub fn needs_lt(&self, t: &Type) -> bool {
        match &t.kind {
            TypeKind::Any
            | TypeKind::Object
            | TypeKind::Symbol
            | TypeKind::BigInt
            | TypeKind::Buffer(_)
            | TypeKind::Interface(_)
            | TypeKind::CallbackFunction(_)
            | TypeKind::CallbackInterface(_)
            | TypeKind::Promise(_) => true,
            // A FrozenArray is kept as the frozen JS array itself (its identity is observable).
            TypeKind::FrozenArray(_) => true,
            TypeKind::Sequence(i) | TypeKind::ObservableArray(i) => self.needs_lt(i),
            TypeKind::Record(k, v) => self.needs_lt(k) || self.needs_lt(v),
            TypeKind::Dictionary(n) => self.dict_lt.get(n).copied().unwrap_or(false),
            TypeKind::Union(m) => m.iter().any(|m| self.needs_lt(m)),
            _ => false,
        }
    }

    pub fn dict_needs_lt(&self, name: &str) -> bool {
        self.dict_lt.get(name).copied().unwrap_or(false)
    }

    pub fn union_needs_lt(&self, name: &str) -> bool {
        self.unions.get(name).is_some_and(|u| self.needs_lt(u))
    }

    pub fn is_event_handler(&self, t: &Type) -> bool {
        matches!(
            t.typedef.as_deref(),
            Some("EventHandler" | "OnErrorEventHandler" | "OnBeforeUnloadEventHandler")
        )
    }

    pub fn is_event_target(&self, name: &str) -> bool {
        self.defs.ancestry(name).iter().any(|a| a == "EventTarget")
    }
}

/// An indexed property getter the generator supports: `getter T name(unsigned long index)`
/// (named, so it is also a regular operation), on a legacy platform object.
pub(crate) fn is_indexed_getter(o: &crate::model::Operation) -> bool {
    o.special == Some(crate::model::Special::Getter)
        && o.name.is_some()
        && !o.is_static
        && o.args.len() == 1
        && !o.args[0].optional
        && o.args[0].ty.kind
            == crate::model::TypeKind::Integer(crate::model::IntegerType::UnsignedLong)
}

/// A named property getter, setter or deleter the generator supports: anonymous, its first
/// argument a DOMString name (`getter T (DOMString name)`, `setter undefined (DOMString
/// name, T value)`, `deleter undefined (DOMString name)`).
pub(crate) fn is_named_property_operation(o: &crate::model::Operation) -> bool {
    use crate::model::{Special, TypeKind};
    let arity = match o.special {
        Some(Special::Getter) | Some(Special::Deleter) => 1,
        Some(Special::Setter) => 2,
        _ => return false,
    };
    o.name.is_none()
        && !o.is_static
        && o.args.len() == arity
        && o.args.iter().all(|a| !a.optional)
        && o.args[0].ty.kind == TypeKind::DOMString
        && !o.args[0].ty.nullable
}
