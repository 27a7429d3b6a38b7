//! The first pass: merge partial interfaces, partial dictionaries, mixins and `includes`
//! whatever the file order; check inheritance; expand typedefs; turn every name into what it
//! refers to; compute exposure. Errors are collected, each with its location.

use crate::model::*;
use crate::parse::{Diagnostic, ParsedFile, RawDefinition};
use std::collections::{BTreeMap, BTreeSet};

/// Everything the files define, merged and resolved.
#[derive(Debug, Default)]
pub struct Definitions {
    /// Interfaces, callback interfaces and namespaces, by name.
    pub interfaces: BTreeMap<String, Interface>,
    pub dictionaries: BTreeMap<String, Dictionary>,
    pub enums: BTreeMap<String, Enum>,
    pub callbacks: BTreeMap<String, Callback>,
    pub typedefs: BTreeMap<String, Typedef>,
    pub mixins: BTreeMap<String, Interface>,
    /// Global names (`[Global=(Worker,DedicatedWorker)]`) -> the interfaces that carry them.
    pub global_names: BTreeMap<String, BTreeSet<String>>,
    /// Names referred to but defined elsewhere (only in lenient mode).
    pub unresolved: BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ResolveOptions {
    /// Keep going when names refer to definitions outside these files (for reading a single
    /// upstream file such as WPT's `interfaces/background-fetch.idl`).
    pub lenient: bool,
}

impl Definitions {
    /// The chain `[name, parent, grandparent, ...]`.
    pub fn ancestry(&self, name: &str) -> Vec<String> {
        let mut out = vec![name.to_string()];
        let mut cur = name;
        while let Some(parent) = self.interfaces.get(cur).and_then(|i| i.parent.as_deref()) {
            if out.iter().any(|n| n == parent) {
                break;
            }
            out.push(parent.to_string());
            cur = parent;
        }
        out
    }
    /// Interfaces that inherit (directly or not) from `name`, sorted.
    pub fn descendants(&self, name: &str) -> Vec<String> {
        self.interfaces
            .values()
            .filter(|i| i.name != name && self.ancestry(&i.name).iter().any(|a| a == name))
            .map(|i| i.name.clone())
            .collect()
    }
    /// The dictionary and its ancestors, root first.
    pub fn dictionary_chain(&self, name: &str) -> Vec<&Dictionary> {
        let mut out = Vec::new();
        let mut cur = self.dictionaries.get(name);
        while let Some(d) = cur {
            if out.iter().any(|x: &&Dictionary| x.name == d.name) {
                break;
            }
            out.push(d);
            cur = d.parent.as_ref().and_then(|p| self.dictionaries.get(p));
        }
        out.reverse();
        out
    }
    /// Whether the dictionary or an ancestor has a required member.
    pub fn dictionary_has_required(&self, name: &str) -> bool {
        self.dictionary_chain(name)
            .iter()
            .any(|d| d.members.iter().any(|m| m.required))
    }
    pub fn is_global(&self, name: &str) -> bool {
        self.interfaces
            .get(name)
            .is_some_and(|i| i.global_names().is_some())
    }
}

struct Resolver {
    defs: Definitions,
    errors: Vec<Diagnostic>,
    options: ResolveOptions,
}

fn diag(location: &Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        location: location.clone(),
        message: message.into(),
        excerpt: String::new(),
    }
}

/// Merges and resolves parsed files. Files are taken in name order so output never depends on
/// the order the caller found them in.
pub fn resolve(
    mut files: Vec<ParsedFile>,
    options: ResolveOptions,
) -> Result<Definitions, Vec<Diagnostic>> {
    files.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    let mut r = Resolver {
        defs: Definitions::default(),
        errors: Vec::new(),
        options,
    };
    let mut partial_interfaces: Vec<Interface> = Vec::new();
    let mut partial_mixins: Vec<Interface> = Vec::new();
    let mut partial_dicts: Vec<Dictionary> = Vec::new();
    let mut includes: Vec<Includes> = Vec::new();
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();

    for file in files {
        for (def, _span) in file.definitions {
            let (name, location) = match &def {
                RawDefinition::Interface {
                    def,
                    partial: false,
                } => (def.name.clone(), def.location.clone()),
                RawDefinition::Dictionary {
                    def,
                    partial: false,
                } => (def.name.clone(), def.location.clone()),
                RawDefinition::Enum(e) => (e.name.clone(), e.location.clone()),
                RawDefinition::Callback(c) => (c.name.clone(), c.location.clone()),
                RawDefinition::Typedef(t) => (t.name.clone(), t.location.clone()),
                _ => (String::new(), Location::default()),
            };
            if !name.is_empty() {
                if let Some(first) = seen.get(&name) {
                    r.errors.push(diag(
                        &location,
                        format!("`{name}` is defined twice (first at {first})"),
                    ));
                    continue;
                }
                seen.insert(name.clone(), location);
            }
            match def {
                RawDefinition::Interface { def, partial } => match (def.kind, partial) {
                    (InterfaceKind::Mixin, false) => {
                        r.defs.mixins.insert(def.name.clone(), def);
                    }
                    (InterfaceKind::Mixin, true) => partial_mixins.push(def),
                    (_, false) => {
                        r.defs.interfaces.insert(def.name.clone(), def);
                    }
                    (_, true) => partial_interfaces.push(def),
                },
                RawDefinition::Dictionary {
                    def,
                    partial: false,
                } => {
                    r.defs.dictionaries.insert(def.name.clone(), def);
                }
                RawDefinition::Dictionary { def, partial: true } => partial_dicts.push(def),
                RawDefinition::Enum(e) => {
                    let mut values = BTreeSet::new();
                    for v in &e.values {
                        if !values.insert(v) {
                            r.errors.push(diag(
                                &e.location,
                                format!("enum `{}` lists \"{v}\" twice", e.name),
                            ));
                        }
                    }
                    r.defs.enums.insert(e.name.clone(), e);
                }
                RawDefinition::Callback(c) => {
                    r.defs.callbacks.insert(c.name.clone(), c);
                }
                RawDefinition::Typedef(t) => {
                    r.defs.typedefs.insert(t.name.clone(), t);
                }
                RawDefinition::Includes(i) => includes.push(i),
            }
        }
    }

    r.merge_partials(partial_interfaces, partial_mixins, partial_dicts);
    r.apply_includes(includes);
    r.collect_global_names();
    r.check_inheritance();
    r.resolve_all_types();
    r.compute_exposure();
    r.check_arguments();
    for d in r.defs.dictionaries.values_mut() {
        d.members.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if r.errors.is_empty() {
        Ok(r.defs)
    } else {
        r.errors.sort_by(|a, b| a.location.cmp(&b.location));
        r.errors.dedup();
        Err(r.errors)
    }
}

/// Extended attributes of a partial or mixin that apply to each of its members.
const MEMBER_PROPAGATED: &[&str] = &["SecureContext", "Pref", "Func"];

fn propagate(from: &ExtAttrs, to: &mut ExtAttrs) {
    for name in MEMBER_PROPAGATED {
        if let Some(v) = from.get(name) {
            if !to.has(name) {
                to.0.push(ExtAttr {
                    name: name.to_string(),
                    value: v.clone(),
                });
            }
        }
    }
}

fn member_ext_attrs_mut(m: &mut Member) -> Option<(&mut ExtAttrs, &mut Exposure)> {
    match m {
        Member::Const(c) => Some((&mut c.ext_attrs, &mut c.exposure)),
        Member::Attribute(a) => Some((&mut a.ext_attrs, &mut a.exposure)),
        Member::Operation(o) => Some((&mut o.ext_attrs, &mut o.exposure)),
        _ => None,
    }
}

/// Applies a container's `[Exposed]` and propagated attributes to its members.
fn adopt_members(container: &Interface) -> Vec<Member> {
    let exposure = container
        .ext_attrs
        .idents("Exposed")
        .map(|i| Exposure::from_idents(&i))
        .unwrap_or(Exposure::Inherit);
    container
        .members
        .iter()
        .cloned()
        .map(|mut m| {
            if let Some((attrs, exp)) = member_ext_attrs_mut(&mut m) {
                if let Some(own) = attrs.idents("Exposed") {
                    *exp = Exposure::from_idents(&own);
                }
                *exp = exp.and(&exposure);
                propagate(&container.ext_attrs, attrs);
            }
            m
        })
        .collect()
}

impl Resolver {
    fn merge_partials(
        &mut self,
        interfaces: Vec<Interface>,
        mixins: Vec<Interface>,
        dicts: Vec<Dictionary>,
    ) {
        for p in interfaces {
            let members = adopt_members(&p);
            match self.defs.interfaces.get_mut(&p.name) {
                Some(main) if main.kind == p.kind => {
                    main.members.extend(members);
                    main.constructors.extend(p.constructors);
                }
                Some(main) => self.errors.push(diag(
                    &p.location,
                    format!(
                        "partial definition of `{}` does not match its kind at {}",
                        p.name, main.location
                    ),
                )),
                None if self.options.lenient => {
                    self.defs.unresolved.insert(p.name.clone());
                }
                None => self.errors.push(diag(
                    &p.location,
                    format!("partial `{}` has no main definition", p.name),
                )),
            }
        }
        for p in mixins {
            let members = adopt_members(&p);
            match self.defs.mixins.get_mut(&p.name) {
                Some(main) => main.members.extend(members),
                None if self.options.lenient => {
                    self.defs.unresolved.insert(p.name.clone());
                }
                None => self.errors.push(diag(
                    &p.location,
                    format!(
                        "partial interface mixin `{}` has no main definition",
                        p.name
                    ),
                )),
            }
        }
        for p in dicts {
            match self.defs.dictionaries.get_mut(&p.name) {
                Some(main) => main.members.extend(p.members),
                None if self.options.lenient => {
                    self.defs.unresolved.insert(p.name.clone());
                }
                None => self.errors.push(diag(
                    &p.location,
                    format!("partial dictionary `{}` has no main definition", p.name),
                )),
            }
        }
    }

    fn apply_includes(&mut self, includes: Vec<Includes>) {
        for inc in includes {
            let Some(mixin) = self.defs.mixins.get(&inc.mixin) else {
                if self.options.lenient {
                    self.defs.unresolved.insert(inc.mixin.clone());
                } else {
                    self.errors.push(diag(
                        &inc.location,
                        format!("`{}` includes unknown mixin `{}`", inc.target, inc.mixin),
                    ));
                }
                continue;
            };
            let members = adopt_members(mixin);
            match self.defs.interfaces.get_mut(&inc.target) {
                Some(target) if target.kind == InterfaceKind::Interface => {
                    target.members.extend(members)
                }
                Some(_) => self.errors.push(diag(
                    &inc.location,
                    format!(
                        "`{}` is not an interface; it cannot include a mixin",
                        inc.target
                    ),
                )),
                None if self.options.lenient => {
                    self.defs.unresolved.insert(inc.target.clone());
                }
                None => self.errors.push(diag(
                    &inc.location,
                    format!(
                        "`{} includes {}`: no interface `{}`",
                        inc.target, inc.mixin, inc.target
                    ),
                )),
            }
        }
    }

    fn collect_global_names(&mut self) {
        for i in self.defs.interfaces.values() {
            if let Some(names) = i.global_names() {
                for n in names {
                    self.defs
                        .global_names
                        .entry(n)
                        .or_default()
                        .insert(i.name.clone());
                }
            }
        }
    }

    fn check_inheritance(&mut self) {
        let names: Vec<String> = self.defs.interfaces.keys().cloned().collect();
        for name in names {
            let iface = &self.defs.interfaces[&name];
            if let Some(parent) = &iface.parent {
                match self.defs.interfaces.get(parent) {
                    Some(p) if p.kind == iface.kind => {}
                    Some(_) => self.errors.push(diag(
                        &iface.location,
                        format!("`{name}` inherits from `{parent}`, which is not the same kind of definition"),
                    )),
                    None if self.options.lenient => {
                        self.defs.unresolved.insert(parent.clone());
                    }
                    None => self.errors.push(diag(
                        &iface.location,
                        format!("`{name}` inherits from unknown interface `{parent}`"),
                    )),
                }
            }
            let chain = self.defs.ancestry(&name);
            let last = chain.last().cloned().unwrap_or_default();
            if self
                .defs
                .interfaces
                .get(&last)
                .and_then(|i| i.parent.as_ref())
                .is_some_and(|p| chain.contains(p))
            {
                let loc = self.defs.interfaces[&name].location.clone();
                self.errors
                    .push(diag(&loc, format!("inheritance cycle through `{name}`")));
            }
        }
        let dnames: Vec<String> = self.defs.dictionaries.keys().cloned().collect();
        for name in dnames {
            let d = &self.defs.dictionaries[&name];
            if let Some(parent) = &d.parent {
                if !self.defs.dictionaries.contains_key(parent) {
                    if self.options.lenient {
                        self.defs.unresolved.insert(parent.clone());
                    } else {
                        self.errors.push(diag(
                            &d.location,
                            format!(
                                "dictionary `{name}` inherits from unknown dictionary `{parent}`"
                            ),
                        ));
                    }
                }
            }
            let chain = self.defs.dictionary_chain(&name);
            if chain
                .first()
                .and_then(|root| root.parent.as_ref())
                .is_some_and(|p| self.defs.dictionaries.contains_key(p))
            {
                let loc = self.defs.dictionaries[&name].location.clone();
                self.errors.push(diag(
                    &loc,
                    format!("dictionary inheritance cycle through `{name}`"),
                ));
            }
        }
    }

    /// Resolves a type in place. `stack` guards against typedef cycles.
    fn resolve_type(&mut self, ty: &mut Type, location: &Location, stack: &mut Vec<String>) {
        match &mut ty.kind {
            TypeKind::Named(name) => {
                let name = name.clone();
                if let Some(td) = self.defs.typedefs.get(&name) {
                    if stack.contains(&name) {
                        self.errors
                            .push(diag(location, format!("typedef cycle through `{name}`")));
                        return;
                    }
                    let mut target = td.ty.clone();
                    let td_loc = td.location.clone();
                    stack.push(name.clone());
                    self.resolve_type(&mut target, &td_loc, stack);
                    stack.pop();
                    let nullable = ty.nullable || target.nullable;
                    let mut attrs = target.attrs.clone();
                    attrs.enforce_range |= ty.attrs.enforce_range;
                    attrs.clamp |= ty.attrs.clamp;
                    attrs.legacy_null_to_empty_string |= ty.attrs.legacy_null_to_empty_string;
                    attrs.allow_shared |= ty.attrs.allow_shared;
                    *ty = Type {
                        kind: target.kind,
                        nullable,
                        attrs,
                        typedef: Some(target.typedef.unwrap_or(name)),
                    };
                    return;
                }
                let kind = if let Some(i) = self.defs.interfaces.get(&name) {
                    match i.kind {
                        InterfaceKind::Interface => TypeKind::Interface(name.clone()),
                        InterfaceKind::CallbackInterface => {
                            TypeKind::CallbackInterface(name.clone())
                        }
                        _ => {
                            self.errors.push(diag(
                                location,
                                format!("namespace `{name}` cannot be used as a type"),
                            ));
                            return;
                        }
                    }
                } else if self.defs.dictionaries.contains_key(&name) {
                    TypeKind::Dictionary(name.clone())
                } else if self.defs.enums.contains_key(&name) {
                    TypeKind::Enum(name.clone())
                } else if self.defs.callbacks.contains_key(&name) {
                    TypeKind::CallbackFunction(name.clone())
                } else if let Some(b) = BufferKind::from_name(&name) {
                    TypeKind::Buffer(b)
                } else if name == "bigint" {
                    TypeKind::BigInt
                } else if name == "undefined" {
                    TypeKind::Undefined
                } else if self.defs.mixins.contains_key(&name) {
                    self.errors.push(diag(
                        location,
                        format!("interface mixin `{name}` cannot be used as a type"),
                    ));
                    return;
                } else if self.options.lenient {
                    self.defs.unresolved.insert(name.clone());
                    return;
                } else {
                    self.errors.push(diag(
                        location,
                        format!("unknown type `{name}` (no interface, dictionary, enum, callback or typedef of that name in these files)"),
                    ));
                    return;
                };
                ty.kind = kind;
            }
            TypeKind::Sequence(t)
            | TypeKind::FrozenArray(t)
            | TypeKind::ObservableArray(t)
            | TypeKind::Promise(t) => self.resolve_type(t, location, stack),
            TypeKind::Record(k, v) => {
                self.resolve_type(k, location, stack);
                self.resolve_type(v, location, stack);
            }
            TypeKind::Union(members) => {
                for m in members.iter_mut() {
                    self.resolve_type(m, location, stack);
                }
            }
            _ => {}
        }
    }

    fn resolve_args(&mut self, args: &mut [Argument], location: &Location) {
        for a in args {
            self.resolve_type(&mut a.ty, location, &mut Vec::new());
        }
    }

    /// Every type written anywhere, after the first pass: typedefs first, then the types
    /// of interfaces, mixins, dictionaries and callbacks.
    fn resolve_all_types(&mut self) {
        self.resolve_typedef_types();
        self.resolve_interface_types(true);
        self.resolve_interface_types(false);
        self.resolve_dictionary_types();
        self.resolve_callback_types();
    }

    fn resolve_typedef_types(&mut self) {
        let mut typedefs = std::mem::take(&mut self.defs.typedefs);
        let names: Vec<String> = typedefs.keys().cloned().collect();
        for n in &names {
            let mut td = typedefs[n].clone();
            let loc = td.location.clone();
            self.defs.typedefs = typedefs.clone();
            self.resolve_type(&mut td.ty, &loc, &mut vec![n.clone()]);
            typedefs.insert(n.clone(), td);
        }
        self.defs.typedefs = typedefs;
    }

    /// The types of the members and constructors of the interfaces (or of the mixins).
    fn resolve_interface_types(&mut self, interfaces: bool) {
        let mut ifaces = if interfaces {
            std::mem::take(&mut self.defs.interfaces)
        } else {
            std::mem::take(&mut self.defs.mixins)
        };
        // Type lookups need the interface names; keep a name-only view while resolving.
        let shadow: BTreeMap<String, Interface> = ifaces
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Interface {
                        members: vec![],
                        constructors: vec![],
                        ..v.clone()
                    },
                )
            })
            .collect();
        if interfaces {
            self.defs.interfaces = shadow;
        } else {
            self.defs.mixins = shadow;
        }
        for iface in ifaces.values_mut() {
            for c in iface.constructors.iter_mut() {
                let loc = c.location.clone();
                self.resolve_args(&mut c.args, &loc);
            }
            for m in iface.members.iter_mut() {
                self.resolve_member_types(m);
            }
        }
        if interfaces {
            self.defs.interfaces = ifaces;
        } else {
            self.defs.mixins = ifaces;
        }
    }

    /// The types written in one member.
    fn resolve_member_types(&mut self, m: &mut Member) {
        match m {
            Member::Const(c) => {
                let loc = c.location.clone();
                self.resolve_type(&mut c.ty, &loc, &mut Vec::new());
            }
            Member::Attribute(a) => {
                let loc = a.location.clone();
                self.resolve_type(&mut a.ty, &loc, &mut Vec::new());
            }
            Member::Operation(o) => {
                let loc = o.location.clone();
                self.resolve_type(&mut o.ret, &loc, &mut Vec::new());
                self.resolve_args(&mut o.args, &loc);
            }
            Member::Iterable(it) => {
                let loc = it.location.clone();
                if let Some(k) = it.key.as_mut() {
                    self.resolve_type(k, &loc, &mut Vec::new());
                }
                self.resolve_type(&mut it.value, &loc, &mut Vec::new());
                self.resolve_args(&mut it.args, &loc);
            }
            Member::Maplike {
                key,
                value,
                location,
                ..
            } => {
                let loc = location.clone();
                self.resolve_type(key, &loc, &mut Vec::new());
                self.resolve_type(value, &loc, &mut Vec::new());
            }
            Member::Setlike {
                value, location, ..
            } => {
                let loc = location.clone();
                self.resolve_type(value, &loc, &mut Vec::new());
            }
            Member::Stringifier { .. } => {}
        }
    }

    fn resolve_dictionary_types(&mut self) {
        let mut dicts = std::mem::take(&mut self.defs.dictionaries);
        self.defs.dictionaries = dicts.clone();
        for d in dicts.values_mut() {
            for m in d.members.iter_mut() {
                let loc = m.location.clone();
                self.resolve_type(&mut m.ty, &loc, &mut Vec::new());
                if m.required && m.default.is_some() {
                    self.errors.push(diag(
                        &loc,
                        format!("required member `{}` cannot have a default value", m.name),
                    ));
                }
            }
        }
        self.defs.dictionaries = dicts;
    }

    fn resolve_callback_types(&mut self) {
        let mut callbacks = std::mem::take(&mut self.defs.callbacks);
        self.defs.callbacks = callbacks.clone();
        for c in callbacks.values_mut() {
            let loc = c.location.clone();
            self.resolve_type(&mut c.ret, &loc, &mut Vec::new());
            self.resolve_args(&mut c.args, &loc);
        }
        self.defs.callbacks = callbacks;
    }

    fn compute_exposure(&mut self) {
        let known: BTreeSet<String> = self.defs.global_names.keys().cloned().collect();
        let names: Vec<String> = self.defs.interfaces.keys().cloned().collect();
        for name in names {
            let iface = self.defs.interfaces.get_mut(&name).unwrap();
            if iface.kind == InterfaceKind::CallbackInterface {
                continue;
            }
            let exposure = match iface.ext_attrs.idents("Exposed") {
                Some(idents) => Exposure::from_idents(&idents),
                None => {
                    if !self.options.lenient {
                        self.errors.push(diag(
                            &iface.location,
                            format!("`{name}` has no [Exposed] attribute (WebIDL requires one)"),
                        ));
                    }
                    Exposure::All
                }
            };
            if !self.options.lenient {
                for g in exposure.names() {
                    if g != "*" && !known.contains(&g) {
                        self.errors.push(diag(
                            &iface.location,
                            format!(
                                "[Exposed={g}] on `{name}`: no interface declares [Global={g}]"
                            ),
                        ));
                    }
                }
            }
            iface.exposure = exposure.clone();
            let iface_attrs = iface.ext_attrs.clone();
            for c in iface.constructors.iter_mut() {
                c.exposure = exposure.clone();
            }
            for m in iface.members.iter_mut() {
                if let Some((attrs, exp)) = member_ext_attrs_mut(m) {
                    if let Some(own) = attrs.idents("Exposed") {
                        *exp = exp.and(&Exposure::from_idents(&own));
                    }
                    *exp = exp.and(&exposure);
                    if iface_attrs.has("SecureContext") && !attrs.has("SecureContext") {
                        attrs.0.push(ExtAttr {
                            name: "SecureContext".into(),
                            value: ExtAttrValue::None,
                        });
                    }
                }
            }
        }
    }

    /// Argument-list rules that matter to the bindings.
    fn check_arguments(&mut self) {
        let mut errors = Vec::new();
        for iface in self.defs.interfaces.values() {
            let ops = iface
                .constructors
                .iter()
                .chain(iface.operations())
                .collect::<Vec<_>>();
            for op in ops {
                let mut seen_optional = false;
                let n = op.args.len();
                for (i, a) in op.args.iter().enumerate() {
                    if a.variadic && i + 1 != n {
                        errors.push(diag(
                            &op.location,
                            format!("variadic argument `{}` must be the last one", a.name),
                        ));
                    }
                    if a.optional {
                        seen_optional = true;
                    } else if seen_optional && !a.variadic {
                        errors.push(diag(
                            &op.location,
                            format!("required argument `{}` follows an optional one", a.name),
                        ));
                    }
                    if !a.optional && !a.variadic {
                        if let TypeKind::Dictionary(d) = &a.ty.kind {
                            let rest_optional = op.args[i + 1..].iter().all(|b| b.optional);
                            if rest_optional && !self.defs.dictionary_has_required(d) {
                                errors.push(diag(
                                    &op.location,
                                    format!(
                                        "argument `{}` of dictionary type `{d}` must be optional (WebIDL: no required members and only optional arguments after it)",
                                        a.name
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
        self.errors.extend(errors);
    }
}
