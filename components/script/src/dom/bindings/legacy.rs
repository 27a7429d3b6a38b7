//! Legacy platform objects with an indexed property getter (WebIDL §3.9): HTMLCollection,
//! NodeList. Their classes are rquickjs *exotic* classes; the generated hooks call these
//! functions with the interface's indexed getter.
//!
//! QuickJS consults the object's ordinary own properties first; the hooks then answer for
//! the supported property indices and hand everything else to the interface prototype
//! object (so methods, accessors and expandos behave as for ordinary objects).
//!
//! Every hook runs under the same guard as other glue: a Rust panic or an [`Error`] becomes
//! a JS exception.

use super::error::{self, Error, Fallible};
use rquickjs::class::{PropertyDescriptor, PropertyName};
use rquickjs::{Atom, Ctx, Object, Value};
use std::panic::{self, AssertUnwindSafe};

/// `getter(i)`: the indexed property getter's value, or None if `i` is not a supported
/// property index.
pub type IndexedGetter<'a, 'js> = &'a dyn Fn(u32) -> Fallible<Option<Value<'js>>>;

/// <https://tc39.es/ecma262/#array-index>: a canonical numeric string below 2^32 - 1.
pub fn array_index(atom: &Atom<'_>) -> Option<u32> {
    let s = atom.to_string().ok()?;
    if s.is_empty() || s.len() > 10 || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = s.parse().ok()?;
    (n < u32::MAX as u64).then_some(n as u32)
}

fn run<'js, R>(ctx: &Ctx<'js>, f: impl FnOnce() -> Fallible<R>) -> rquickjs::Result<R> {
    let _native = crate::script_thread::NativeScope::enter();
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error::throw(ctx, e)),
        Err(p) => {
            let msg = super::panic::caught(ctx, "an indexed property getter", &*p);
            Err(error::throw(ctx, Error::Type(msg)))
        }
    }
}

fn prototype<'js>(ctx: &Ctx<'js>, proto_id: usize) -> Fallible<Object<'js>> {
    super::realm::prototype(ctx, proto_id)
        .ok_or_else(|| Error::Type("the interface is not exposed in this realm".into()))
}

/// The property key an atom stands for, as a JS value (a string or the very same symbol:
/// `Atom::to_value` would turn a symbol into a string, so the key goes through an object).
fn key<'js>(ctx: &Ctx<'js>, atom: &Atom<'js>) -> Fallible<Value<'js>> {
    let holder = Object::new(ctx.clone())?;
    holder.set(atom.clone(), true)?;
    let keys: rquickjs::Array = reflect(ctx, "ownKeys")?.call((holder,))?;
    Ok(keys.get(0)?)
}

/// Reflect's functions as the realm had them before any script ran (a page that replaces or
/// deletes `Reflect` must not change how collections behave).
fn reflect<'js>(ctx: &Ctx<'js>, name: &str) -> Fallible<rquickjs::Function<'js>> {
    use super::realm::Intrinsic;
    let which = match name {
        "get" => Intrinsic::ReflectGet,
        "has" => Intrinsic::ReflectHas,
        "set" => Intrinsic::ReflectSet,
        _ => Intrinsic::ReflectOwnKeys,
    };
    super::realm::intrinsic(ctx, which)
        .and_then(|v| v.into_function())
        .ok_or_else(|| Error::Type(format!("Reflect.{name} is missing in this realm")))
}

/// [[Get]]: a supported index gives the getter's value; anything else is looked up on the
/// interface prototype object with the original receiver.
pub fn get_property<'js>(
    ctx: &Ctx<'js>,
    proto_id: usize,
    atom: Atom<'js>,
    receiver: Value<'js>,
    getter: IndexedGetter<'_, 'js>,
) -> rquickjs::Result<Value<'js>> {
    run(ctx, || {
        if let Some(i) = array_index(&atom) {
            if let Some(v) = getter(i)? {
                return Ok(v);
            }
        }
        let proto = prototype(ctx, proto_id)?;
        Ok(reflect(ctx, "get")?.call((proto, key(ctx, &atom)?, receiver))?)
    })
}

/// [[GetOwnProperty]] for indices: `{value, writable: false, enumerable: true,
/// configurable: true}` (WebIDL "LegacyPlatformObjectGetOwnProperty").
pub fn get_own_property<'js>(
    ctx: &Ctx<'js>,
    atom: Atom<'js>,
    getter: IndexedGetter<'_, 'js>,
) -> rquickjs::Result<Option<PropertyDescriptor<'js>>> {
    run(ctx, || {
        let Some(i) = array_index(&atom) else {
            return Ok(None);
        };
        Ok(getter(i)?.map(|v| PropertyDescriptor::new_value(v, true, true, false)))
    })
}

/// [[HasProperty]]: a supported index, or a property of the prototype chain.
pub fn has_property<'js>(
    ctx: &Ctx<'js>,
    proto_id: usize,
    atom: Atom<'js>,
    getter: IndexedGetter<'_, 'js>,
) -> rquickjs::Result<bool> {
    run(ctx, || {
        if let Some(i) = array_index(&atom) {
            return Ok(getter(i)?.is_some());
        }
        let proto = prototype(ctx, proto_id)?;
        Ok(reflect(ctx, "has")?.call((proto, key(ctx, &atom)?))?)
    })
}

/// [[Set]] ("LegacyPlatformObjectSet" without an indexed setter): an index cannot be
/// written (false: a TypeError in strict code); other names go through the prototype with
/// the original receiver, which ends in a data property on the object.
pub fn set_property<'js>(
    ctx: &Ctx<'js>,
    proto_id: usize,
    atom: Atom<'js>,
    receiver: Value<'js>,
    value: Value<'js>,
) -> rquickjs::Result<bool> {
    // rquickjs 0.14's set_property glue takes ownership of the value QuickJS passes, and
    // QuickJS frees it again after the hook returns (quickjs.c, JS_SetPropertyInternal2):
    // one extra reference keeps the count right (without it, `collection.x = "str"` freed
    // the string twice and crashed the runtime at shutdown).
    // (A raw reference: forgetting a `Value` would also leak its context reference.)
    // SAFETY: `value` is a live value of `ctx`; this adds one reference that QuickJS's
    // own JS_FreeValue after the hook releases.
    unsafe {
        rquickjs::qjs::JS_DupValue(ctx.as_raw().as_ptr(), value.as_raw());
    }
    run(ctx, || {
        if array_index(&atom).is_some() {
            return Ok(false);
        }
        let proto = prototype(ctx, proto_id)?;
        Ok(reflect(ctx, "set")?.call((proto, key(ctx, &atom)?, value, receiver))?)
    })
}

/// [[Delete]] ("LegacyPlatformObjectDelete"): a supported index cannot be deleted.
pub fn delete_property<'js>(
    ctx: &Ctx<'js>,
    atom: Atom<'js>,
    getter: IndexedGetter<'_, 'js>,
) -> rquickjs::Result<bool> {
    run(ctx, || match array_index(&atom) {
        Some(i) => Ok(getter(i)?.is_none()),
        None => Ok(true),
    })
}

/// [[OwnPropertyKeys]]: the supported indices in order (ordinary own properties follow).
pub fn own_property_names<'js>(
    ctx: &Ctx<'js>,
    getter: IndexedGetter<'_, 'js>,
) -> rquickjs::Result<Vec<PropertyName<'js>>> {
    run(ctx, || {
        let mut names = Vec::new();
        let mut i = 0u32;
        while getter(i)?.is_some() {
            names.push(PropertyName {
                atom: Atom::from_u32(ctx.clone(), i)?,
                is_enumerable: true,
            });
            i += 1;
        }
        Ok(names)
    })
}

/// The named property getter: the value of a supported name.
pub type NamedGetter<'a, 'js> = Box<dyn Fn(&str) -> Fallible<Option<Value<'js>>> + 'a>;
/// The named property setter.
pub type NamedSetter<'a, 'js> = Box<dyn Fn(&str, Value<'js>) -> Fallible<()> + 'a>;
/// The named property deleter.
pub type NamedDeleter<'a> = Box<dyn Fn(&str) -> Fallible<()> + 'a>;

/// The named property operations of one object with a named property getter (WebIDL §3.9),
/// as the generated hooks hand them over.
pub struct Named<'a, 'js> {
    pub proto_id: usize,
    /// [LegacyOverrideBuiltIns]: named properties shadow the prototype chain.
    pub override_builtins: bool,
    /// Not [LegacyUnenumerableNamedProperties].
    pub enumerable: bool,
    pub get: NamedGetter<'a, 'js>,
    pub names: Box<dyn Fn() -> Fallible<Vec<String>> + 'a>,
    pub set: Option<NamedSetter<'a, 'js>>,
    pub delete: Option<NamedDeleter<'a>>,
}

/// The property name of a string key (None for a symbol).
fn string_key<'js>(ctx: &Ctx<'js>, atom: &Atom<'js>) -> Fallible<Option<String>> {
    let k = key(ctx, atom)?;
    if k.is_symbol() {
        return Ok(None);
    }
    Ok(Some(atom.to_string()?))
}

/// <https://webidl.spec.whatwg.org/#dfn-named-property-visibility>: the value of the named
/// property `name` if it is visible (supported, and not shadowed by the prototype chain
/// unless [LegacyOverrideBuiltIns]). Own ordinary properties are QuickJS's to find first.
fn visible_named<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: &Atom<'js>,
) -> Fallible<Option<Value<'js>>> {
    let Some(name) = string_key(ctx, atom)? else {
        return Ok(None);
    };
    let Some(v) = (named.get)(&name)? else {
        return Ok(None);
    };
    if !named.override_builtins {
        let proto = prototype(ctx, named.proto_id)?;
        let shadowed: bool = reflect(ctx, "has")?.call((proto, key(ctx, atom)?))?;
        if shadowed {
            return Ok(None);
        }
    }
    Ok(Some(v))
}

/// [[Get]] of an object with named properties.
pub fn named_get_property<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: Atom<'js>,
    receiver: Value<'js>,
) -> rquickjs::Result<Value<'js>> {
    run(ctx, || {
        if let Some(v) = visible_named(ctx, named, &atom)? {
            return Ok(v);
        }
        let proto = prototype(ctx, named.proto_id)?;
        Ok(reflect(ctx, "get")?.call((proto, key(ctx, &atom)?, receiver))?)
    })
}

/// [[GetOwnProperty]] ("LegacyPlatformObjectGetOwnProperty" for names).
pub fn named_get_own_property<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: Atom<'js>,
) -> rquickjs::Result<Option<PropertyDescriptor<'js>>> {
    run(ctx, || {
        Ok(visible_named(ctx, named, &atom)?
            .map(|v| PropertyDescriptor::new_value(v, named.set.is_some(), named.enumerable, true)))
    })
}

/// [[HasProperty]]: a visible named property, or a property of the prototype chain.
pub fn named_has_property<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: Atom<'js>,
) -> rquickjs::Result<bool> {
    run(ctx, || {
        if visible_named(ctx, named, &atom)?.is_some() {
            return Ok(true);
        }
        let proto = prototype(ctx, named.proto_id)?;
        Ok(reflect(ctx, "has")?.call((proto, key(ctx, &atom)?))?)
    })
}

/// [[Set]] ("LegacyPlatformObjectSet"): a string key goes to the named property setter;
/// without one, or for a symbol, the ordinary way through the prototype.
pub fn named_set_property<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: Atom<'js>,
    receiver: Value<'js>,
    value: Value<'js>,
) -> rquickjs::Result<bool> {
    // The same extra reference as `set_property` (QuickJS frees the value after the hook).
    // SAFETY: `value` is a live value of `ctx`.
    unsafe {
        rquickjs::qjs::JS_DupValue(ctx.as_raw().as_ptr(), value.as_raw());
    }
    run(ctx, || {
        if let (Some(set), Some(name)) = (&named.set, string_key(ctx, &atom)?) {
            set(&name, value)?;
            return Ok(true);
        }
        let proto = prototype(ctx, named.proto_id)?;
        Ok(reflect(ctx, "set")?.call((proto, key(ctx, &atom)?, value, receiver))?)
    })
}

/// [[Delete]] ("LegacyPlatformObjectDelete"): a visible named property is deleted by the
/// deleter (false without one).
pub fn named_delete_property<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
    atom: Atom<'js>,
) -> rquickjs::Result<bool> {
    run(ctx, || {
        if visible_named(ctx, named, &atom)?.is_none() {
            return Ok(true);
        }
        let Some(delete) = &named.delete else {
            return Ok(false);
        };
        let name = string_key(ctx, &atom)?.unwrap_or_default();
        delete(&name)?;
        Ok(true)
    })
}

/// [[OwnPropertyKeys]]: the supported property names (ordinary own properties follow).
pub fn named_own_property_names<'js>(
    ctx: &Ctx<'js>,
    named: &Named<'_, 'js>,
) -> rquickjs::Result<Vec<PropertyName<'js>>> {
    run(ctx, || {
        let mut out = Vec::new();
        for n in (named.names)()? {
            out.push(PropertyName {
                atom: Atom::from_str(ctx.clone(), &n)?,
                is_enumerable: named.enumerable,
            });
        }
        Ok(out)
    })
}
