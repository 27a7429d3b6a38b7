//! Static descriptions of interfaces, emitted by the generator and turned into interface
//! objects, prototypes and properties by [`super::realm::define_interface`].

use super::native::CallArgs;
use rquickjs::Value;

/// A glue function: everything WebIDL says happens between JS and the DOM method.
pub type NativeFnPtr = for<'a, 'js> fn(&CallArgs<'a, 'js>) -> rquickjs::Result<Value<'js>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecKind {
    Interface,
    /// A [Global] interface: its own regular members live on the global object.
    Global,
    Namespace,
}

/// The [[Prototype]] of an interface prototype object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoParent {
    Interface(usize),
    Object,
    /// `%Error.prototype%` (DOMException only).
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConstValue {
    Bool(bool),
    Number(f64),
    Null,
}

pub struct ConstSpec {
    pub name: &'static str,
    pub value: ConstValue,
}

pub struct AttrSpec {
    pub name: &'static str,
    pub getter: NativeFnPtr,
    pub setter: Option<NativeFnPtr>,
    /// [Exposed] mask over `GlobalKind::bit()`.
    pub exposure: u32,
    pub secure_context: bool,
    pub pref: Option<&'static str>,
}

impl AttrSpec {
    /// An attribute exposed in the globals of `exposure`, with no [SecureContext] or [Pref]
    /// (the generated specs add those with the methods below).
    pub const fn new(
        name: &'static str,
        getter: NativeFnPtr,
        setter: Option<NativeFnPtr>,
        exposure: u32,
    ) -> AttrSpec {
        AttrSpec {
            name,
            getter,
            setter,
            exposure,
            secure_context: false,
            pref: None,
        }
    }

    /// [SecureContext].
    pub const fn secure_context(mut self) -> AttrSpec {
        self.secure_context = true;
        self
    }

    /// [Pref=name].
    pub const fn pref(mut self, pref: &'static str) -> AttrSpec {
        self.pref = Some(pref);
        self
    }
}

pub struct OpSpec {
    pub name: &'static str,
    pub method: NativeFnPtr,
    pub length: u32,
    pub exposure: u32,
    pub secure_context: bool,
    pub pref: Option<&'static str>,
    pub unforgeable: bool,
}

impl OpSpec {
    /// An operation exposed in the globals of `exposure`, with no [SecureContext], [Pref] or
    /// [LegacyUnforgeable] (the generated specs add those with the methods below).
    pub const fn new(
        name: &'static str,
        method: NativeFnPtr,
        length: u32,
        exposure: u32,
    ) -> OpSpec {
        OpSpec {
            name,
            method,
            length,
            exposure,
            secure_context: false,
            pref: None,
            unforgeable: false,
        }
    }

    /// [SecureContext] (on every overload).
    pub const fn secure_context(mut self) -> OpSpec {
        self.secure_context = true;
        self
    }

    /// [Pref=name].
    pub const fn pref(mut self, pref: &'static str) -> OpSpec {
        self.pref = Some(pref);
        self
    }

    /// [LegacyUnforgeable].
    pub const fn unforgeable(mut self) -> OpSpec {
        self.unforgeable = true;
        self
    }
}

/// A pair iterable (`iterable<K, V>`): its prototype methods and the iterator's `next`.
pub struct IterableSpec {
    pub entries: NativeFnPtr,
    pub keys: NativeFnPtr,
    pub values: NativeFnPtr,
    pub for_each: NativeFnPtr,
    pub next: NativeFnPtr,
}

pub struct CtorSpec {
    pub method: NativeFnPtr,
    pub length: u32,
}

/// One interface or namespace, as the generator describes it.
/// A [LegacyFactoryFunction] (WebIDL §3.7.2).
pub struct FactorySpec {
    pub name: &'static str,
    pub method: NativeFnPtr,
    pub length: u32,
}

pub struct InterfaceSpec {
    pub name: &'static str,
    pub kind: SpecKind,
    /// `PrototypeId as usize` (`usize::MAX` for namespaces).
    pub id: usize,
    pub parent: Option<usize>,
    pub proto_parent: ProtoParent,
    pub exposure: u32,
    pub secure_context: bool,
    pub pref: Option<&'static str>,
    pub no_interface_object: bool,
    pub constructor: Option<CtorSpec>,
    /// [LegacyFactoryFunction]s (`Image`, `Audio`): constructors of their own name whose
    /// `prototype` is this interface's prototype object.
    pub legacy_factory_functions: &'static [FactorySpec],
    pub constants: &'static [ConstSpec],
    pub attributes: &'static [AttrSpec],
    /// [LegacyUnforgeable] attributes: own properties of every instance.
    pub unforgeable_attributes: &'static [AttrSpec],
    pub operations: &'static [OpSpec],
    pub static_attributes: &'static [AttrSpec],
    pub static_operations: &'static [OpSpec],
    pub iterable: Option<IterableSpec>,
    /// An indexed property getter: @@iterator is %Array.prototype.values% (WebIDL §3.7.8).
    pub array_iterator: bool,
    /// `iterable<V>` (with an indexed getter): entries/keys/values/forEach are the
    /// Array.prototype functions (WebIDL §3.7.10).
    pub value_iterable: bool,
}
