//! What the generator supports: every extended attribute, member and type it does not
//! implement is refused with a located error, so nothing is silently ignored.

use super::{diag, is_indexed_getter, Emitter};
use crate::model::*;
use crate::parse::Diagnostic;

/// Extended attributes the generator understands. Anything else on an interface or member is
/// refused with a located error, so nothing is silently ignored.
const KNOWN_EXT_ATTRS: &[&str] = &[
    "Exposed",
    "Global",
    "SecureContext",
    "LegacyUnforgeable",
    "SameObject",
    "NewObject",
    "EnforceRange",
    "Clamp",
    "LegacyNullToEmptyString",
    "AllowShared",
    "Replaceable",
    "PutForwards",
    "CEReactions",
    "LegacyTreatNonObjectAsNull",
    "LegacyNoInterfaceObject",
    "LegacyLenientThis",
    "Pref",
    "Serializable",
    "Transferable",
    "CrossOriginIsolated",
    "Default",
    "HTMLConstructor",
    "LegacyWindowAlias",
    "LegacyOverrideBuiltIns",
    "LegacyFactoryFunction",
    "LegacyUnenumerableNamedProperties",
    // HTML reflection and the CSSOM's property attributes (emit/interface/reflect.rs).
    "Reflect",
    "ReflectSetter",
    "ReflectURL",
    "ReflectOnly",
    "ReflectMissing",
    "ReflectInvalid",
    "ReflectEmpty",
    "ReflectDefault",
    "ReflectNonNegative",
    "ReflectPositive",
    "ReflectPositiveWithFallback",
    "ReflectRange",
    "CSSProperty",
];

/// Refuses the extended attributes the generator does not know.
fn check_attrs(attrs: &ExtAttrs, loc: &Location, errors: &mut Vec<Diagnostic>) {
    for a in &attrs.0 {
        if !KNOWN_EXT_ATTRS.contains(&a.name.as_str()) {
            errors.push(diag(
                loc,
                format!(
                    "extended attribute [{}] is not supported by the generator",
                    a.name
                ),
            ));
        }
    }
}

impl Emitter<'_> {
    /// Collects a located error for everything the generator does not implement.
    pub(super) fn check_supported(&mut self) {
        let mut errors = Vec::new();
        for iface in self.defs.interfaces.values() {
            self.check_interface(iface, &mut errors);
        }
        for cb in self.defs.callbacks.values() {
            for a in &cb.ext_attrs.0 {
                if a.name != "LegacyTreatNonObjectAsNull" && a.name != "Exposed" {
                    errors.push(diag(
                        &cb.location,
                        format!(
                            "extended attribute [{}] on a callback is not supported",
                            a.name
                        ),
                    ));
                }
            }
        }
        // Types the runtime cannot carry.
        self.for_each_type(&mut |t, loc| {
            if let Some(msg) = unsupported_type(t) {
                errors.push(diag(loc, msg));
            }
        });
        errors.sort_by(|a, b| a.location.cmp(&b.location));
        errors.dedup();
        self.errors.extend(errors);
    }

    /// An interface's own extended attributes, then its constructors' and members'.
    fn check_interface(&self, iface: &Interface, errors: &mut Vec<Diagnostic>) {
        check_attrs(&iface.ext_attrs, &iface.location, errors);
        if iface.ext_attrs.has("LegacyWindowAlias") || iface.ext_attrs.has("HTMLConstructor") {
            errors.push(diag(
                &iface.location,
                format!(
                    "`{}`: [LegacyWindowAlias] and [HTMLConstructor] are not supported",
                    iface.name
                ),
            ));
        }
        if iface.kind == InterfaceKind::CallbackInterface {
            let ops: Vec<_> = iface.operations().collect();
            if ops.len() != 1 || iface.attributes().count() > 0 {
                errors.push(diag(
                    &iface.location,
                    format!(
                        "callback interface `{}` must have exactly one operation and no attributes",
                        iface.name
                    ),
                ));
            }
            return;
        }
        for c in &iface.constructors {
            check_attrs(&c.ext_attrs, &c.location, errors);
        }
        for m in &iface.members {
            self.check_member(iface, m, errors);
        }
    }

    /// One member: its extended attributes, and the kinds of member not implemented.
    fn check_member(&self, iface: &Interface, m: &Member, errors: &mut Vec<Diagnostic>) {
        match m {
            Member::Const(c) => check_attrs(&c.ext_attrs, &c.location, errors),
            Member::Attribute(a) => {
                check_attrs(&a.ext_attrs, &a.location, errors);
                if a.inherit {
                    errors.push(diag(&a.location, "`inherit attribute` is not supported"));
                }
                if a.ty.is_undefined() {
                    errors.push(diag(&a.location, "an attribute cannot be `undefined`"));
                }
                if self.is_event_handler(&a.ty)
                    && !self.is_event_target(&iface.name)
                    && iface.kind == InterfaceKind::Interface
                {
                    errors.push(diag(
                        &a.location,
                        format!(
                            "EventHandler attribute `{}` on `{}`, which is not an EventTarget",
                            a.name, iface.name
                        ),
                    ));
                }
            }
            Member::Operation(o) => {
                check_attrs(&o.ext_attrs, &o.location, errors);
                if o.special.is_some()
                    && !is_indexed_getter(o)
                    && !crate::emit::is_named_property_operation(o)
                {
                    errors.push(diag(
                        &o.location,
                        "special operations other than a named indexed getter (named getters, setters, deleters, legacycaller) are not supported yet",
                    ));
                }
                if o.name.is_none()
                    && !o.stringifier
                    && !crate::emit::is_named_property_operation(o)
                {
                    errors.push(diag(&o.location, "anonymous operations are not supported"));
                }
                if o.ext_attrs.has("Default") {
                    errors.push(diag(
                        &o.location,
                        "[Default] operations (toJSON) are not supported yet",
                    ));
                }
            }
            Member::Iterable(it) if it.is_async => errors.push(diag(
                &it.location,
                "`async iterable` declarations are not supported yet",
            )),
            // A value iterator needs an indexed property getter (WebIDL §3.7.10): its
            // members are then the Array.prototype functions.
            Member::Iterable(it)
                if it.key.is_none()
                    && !iface
                        .members
                        .iter()
                        .any(|m| matches!(m, Member::Operation(o) if is_indexed_getter(o))) =>
            {
                errors.push(diag(
                    &it.location,
                    "value iterators (`iterable<V>`) need an indexed property getter",
                ))
            }
            Member::Iterable(_) => {}
            Member::Maplike { location, .. } => {
                errors.push(diag(location, "`maplike` declarations are not supported"))
            }
            Member::Setlike { location, .. } => {
                errors.push(diag(location, "`setlike` declarations are not supported"))
            }
            Member::Stringifier { .. } => {}
        }
    }

    /// Visits every type written anywhere, with a location for messages.
    pub(super) fn for_each_type(&self, f: &mut dyn FnMut(&Type, &Location)) {
        fn walk(t: &Type, loc: &Location, f: &mut dyn FnMut(&Type, &Location)) {
            f(t, loc);
            match &t.kind {
                TypeKind::Sequence(i)
                | TypeKind::FrozenArray(i)
                | TypeKind::ObservableArray(i)
                | TypeKind::Promise(i) => walk(i, loc, f),
                TypeKind::Record(k, v) => {
                    walk(k, loc, f);
                    walk(v, loc, f);
                }
                TypeKind::Union(m) => m.iter().for_each(|m| walk(m, loc, f)),
                _ => {}
            }
        }
        for iface in self.defs.interfaces.values() {
            for c in &iface.constructors {
                c.args.iter().for_each(|a| walk(&a.ty, &c.location, f));
            }
            for m in &iface.members {
                match m {
                    Member::Attribute(a) => walk(&a.ty, &a.location, f),
                    Member::Operation(o) => {
                        walk(&o.ret, &o.location, f);
                        o.args.iter().for_each(|a| walk(&a.ty, &o.location, f));
                    }
                    Member::Const(c) => walk(&c.ty, &c.location, f),
                    _ => {}
                }
            }
        }
        for d in self.defs.dictionaries.values() {
            d.members.iter().for_each(|m| walk(&m.ty, &m.location, f));
        }
        for cb in self.defs.callbacks.values() {
            walk(&cb.ret, &cb.location, f);
            cb.args.iter().for_each(|a| walk(&a.ty, &cb.location, f));
        }
    }
}

fn unsupported_type(t: &Type) -> Option<String> {
    match &t.kind {
        TypeKind::ObservableArray(_) => Some("ObservableArray<T> is not supported".into()),
        TypeKind::Union(m) if m.iter().any(|m| m.kind == TypeKind::Any) => {
            Some("a union cannot contain `any`".into())
        }
        TypeKind::Named(n) => Some(format!("unresolved type `{n}`")),
        _ => None,
    }
}
