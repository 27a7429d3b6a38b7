//! The resolved WebIDL model: plain data, no Rust syntax.
//!
//! Parsing (weedle) produces these types with [`TypeKind::Named`] placeholders; the first pass
//! (`resolve.rs`) merges partials, mixins and `includes`, expands typedefs and replaces every
//! name by what it refers to. Only the emit layer knows how Rust looks.

use std::collections::BTreeSet;
use std::fmt;

/// A position in a source file, 1-based, for messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// The right-hand side of an extended attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum ExtAttrValue {
    /// `[Replaceable]`
    None,
    /// `[PutForwards=name]`
    Ident(String),
    /// `[Reflect="x"]`
    String(String),
    /// `[ReflectDefault=1]` (weedle cannot read these; lifted by the pre-pass)
    Integer(String),
    /// `[ReflectDefault=1.5]`
    Float(String),
    /// `[Exposed=*]`
    Wildcard,
    /// `[Exposed=(Window,Worker)]`, `[ReflectRange=(0, 8)]`
    List(Vec<String>),
    /// `[LegacyFactoryFunction=Image(DOMString src)]`: the name and the raw argument text.
    ArgList { name: Option<String>, raw: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExtAttr {
    pub name: String,
    pub value: ExtAttrValue,
}

/// An extended attribute list, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtAttrs(pub Vec<ExtAttr>);

impl ExtAttrs {
    pub fn get(&self, name: &str) -> Option<&ExtAttrValue> {
        self.0.iter().find(|a| a.name == name).map(|a| &a.value)
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// The identifier list of `[Name=x]` or `[Name=(x, y)]`.
    pub fn idents(&self, name: &str) -> Option<Vec<String>> {
        match self.get(name)? {
            ExtAttrValue::Ident(s) | ExtAttrValue::String(s) => Some(vec![s.clone()]),
            ExtAttrValue::List(l) => Some(l.clone()),
            ExtAttrValue::Wildcard => Some(vec!["*".to_string()]),
            _ => Some(vec![]),
        }
    }
    pub fn string(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            ExtAttrValue::Ident(s) | ExtAttrValue::String(s) => Some(s.clone()),
            _ => None,
        }
    }
    pub fn extend(&mut self, other: &ExtAttrs) {
        self.0.extend(other.0.iter().cloned());
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntegerType {
    Byte,
    Octet,
    Short,
    UnsignedShort,
    Long,
    UnsignedLong,
    LongLong,
    UnsignedLongLong,
}

impl IntegerType {
    /// (bit length, signed) as in WebIDL's ConvertToInt.
    pub fn bits(self) -> (u32, bool) {
        match self {
            IntegerType::Byte => (8, true),
            IntegerType::Octet => (8, false),
            IntegerType::Short => (16, true),
            IntegerType::UnsignedShort => (16, false),
            IntegerType::Long => (32, true),
            IntegerType::UnsignedLong => (32, false),
            IntegerType::LongLong => (64, true),
            IntegerType::UnsignedLongLong => (64, false),
        }
    }
    pub fn idl_name(self) -> &'static str {
        match self {
            IntegerType::Byte => "byte",
            IntegerType::Octet => "octet",
            IntegerType::Short => "short",
            IntegerType::UnsignedShort => "unsigned short",
            IntegerType::Long => "long",
            IntegerType::UnsignedLong => "unsigned long",
            IntegerType::LongLong => "long long",
            IntegerType::UnsignedLongLong => "unsigned long long",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FloatType {
    Float,
    UnrestrictedFloat,
    Double,
    UnrestrictedDouble,
}

impl FloatType {
    pub fn unrestricted(self) -> bool {
        matches!(
            self,
            FloatType::UnrestrictedFloat | FloatType::UnrestrictedDouble
        )
    }
    pub fn idl_name(self) -> &'static str {
        match self {
            FloatType::Float => "float",
            FloatType::UnrestrictedFloat => "unrestricted float",
            FloatType::Double => "double",
            FloatType::UnrestrictedDouble => "unrestricted double",
        }
    }
}

/// ArrayBuffer, the typed array views and DataView.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BufferKind {
    ArrayBuffer,
    SharedArrayBuffer,
    DataView,
    Int8Array,
    Int16Array,
    Int32Array,
    Uint8Array,
    Uint16Array,
    Uint32Array,
    Uint8ClampedArray,
    BigInt64Array,
    BigUint64Array,
    Float16Array,
    Float32Array,
    Float64Array,
}

impl BufferKind {
    pub fn from_name(name: &str) -> Option<BufferKind> {
        Some(match name {
            "ArrayBuffer" => BufferKind::ArrayBuffer,
            "SharedArrayBuffer" => BufferKind::SharedArrayBuffer,
            "DataView" => BufferKind::DataView,
            "Int8Array" => BufferKind::Int8Array,
            "Int16Array" => BufferKind::Int16Array,
            "Int32Array" => BufferKind::Int32Array,
            "Uint8Array" => BufferKind::Uint8Array,
            "Uint16Array" => BufferKind::Uint16Array,
            "Uint32Array" => BufferKind::Uint32Array,
            "Uint8ClampedArray" => BufferKind::Uint8ClampedArray,
            "BigInt64Array" => BufferKind::BigInt64Array,
            "BigUint64Array" => BufferKind::BigUint64Array,
            "Float16Array" => BufferKind::Float16Array,
            "Float32Array" => BufferKind::Float32Array,
            "Float64Array" => BufferKind::Float64Array,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            BufferKind::ArrayBuffer => "ArrayBuffer",
            BufferKind::SharedArrayBuffer => "SharedArrayBuffer",
            BufferKind::DataView => "DataView",
            BufferKind::Int8Array => "Int8Array",
            BufferKind::Int16Array => "Int16Array",
            BufferKind::Int32Array => "Int32Array",
            BufferKind::Uint8Array => "Uint8Array",
            BufferKind::Uint16Array => "Uint16Array",
            BufferKind::Uint32Array => "Uint32Array",
            BufferKind::Uint8ClampedArray => "Uint8ClampedArray",
            BufferKind::BigInt64Array => "BigInt64Array",
            BufferKind::BigUint64Array => "BigUint64Array",
            BufferKind::Float16Array => "Float16Array",
            BufferKind::Float32Array => "Float32Array",
            BufferKind::Float64Array => "Float64Array",
        }
    }
    pub fn is_view(self) -> bool {
        !matches!(
            self,
            BufferKind::ArrayBuffer | BufferKind::SharedArrayBuffer
        )
    }
}

/// Extended attributes that annotate a type (WebIDL "type annotated with ...").
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeAttrs {
    pub enforce_range: bool,
    pub clamp: bool,
    pub legacy_null_to_empty_string: bool,
    pub allow_shared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKind {
    Any,
    Undefined,
    Boolean,
    Integer(IntegerType),
    Float(FloatType),
    BigInt,
    DOMString,
    ByteString,
    USVString,
    Object,
    Symbol,
    Buffer(BufferKind),
    Interface(String),
    Dictionary(String),
    Enum(String),
    CallbackFunction(String),
    CallbackInterface(String),
    Sequence(Box<Type>),
    FrozenArray(Box<Type>),
    ObservableArray(Box<Type>),
    Record(Box<Type>, Box<Type>),
    Promise(Box<Type>),
    Union(Vec<Type>),
    /// Only between parsing and resolution.
    Named(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Type {
    pub kind: TypeKind,
    pub nullable: bool,
    pub attrs: TypeAttrs,
    /// The typedef this type was written as, if any (kept for naming unions).
    pub typedef: Option<String>,
}

impl Type {
    pub fn new(kind: TypeKind) -> Type {
        Type {
            kind,
            nullable: false,
            attrs: TypeAttrs::default(),
            typedef: None,
        }
    }
    pub fn nullable(mut self, n: bool) -> Type {
        self.nullable = self.nullable || n;
        self
    }
    pub fn is_undefined(&self) -> bool {
        self.kind == TypeKind::Undefined
    }
    pub fn is_promise(&self) -> bool {
        matches!(self.kind, TypeKind::Promise(_))
    }
    /// Flattened member types of a union (WebIDL "flattened member types"), each with the
    /// chain of typedef'd unions that leads to it.
    pub fn flattened_members(&self) -> Vec<Type> {
        let mut out = Vec::new();
        if let TypeKind::Union(members) = &self.kind {
            for m in members {
                if let TypeKind::Union(_) = m.kind {
                    out.extend(m.flattened_members());
                } else {
                    let mut m = m.clone();
                    m.nullable = false;
                    out.push(m);
                }
            }
        }
        out
    }
    /// WebIDL "includes a nullable type" for unions.
    pub fn union_includes_nullable(&self) -> bool {
        match &self.kind {
            TypeKind::Union(members) => members
                .iter()
                .any(|m| m.nullable || m.union_includes_nullable()),
            _ => false,
        }
    }
    /// A human-readable IDL spelling, used in messages and generated docs.
    pub fn idl(&self) -> String {
        if let Some(td) = &self.typedef {
            return if self.nullable && !td.ends_with('?') {
                format!("{td}?")
            } else {
                td.clone()
            };
        }
        let base = match &self.kind {
            TypeKind::Any => "any".to_string(),
            TypeKind::Undefined => "undefined".to_string(),
            TypeKind::Boolean => "boolean".to_string(),
            TypeKind::Integer(i) => i.idl_name().to_string(),
            TypeKind::Float(f) => f.idl_name().to_string(),
            TypeKind::BigInt => "bigint".to_string(),
            TypeKind::DOMString => "DOMString".to_string(),
            TypeKind::ByteString => "ByteString".to_string(),
            TypeKind::USVString => "USVString".to_string(),
            TypeKind::Object => "object".to_string(),
            TypeKind::Symbol => "symbol".to_string(),
            TypeKind::Buffer(b) => b.name().to_string(),
            TypeKind::Interface(n)
            | TypeKind::Dictionary(n)
            | TypeKind::Enum(n)
            | TypeKind::CallbackFunction(n)
            | TypeKind::CallbackInterface(n)
            | TypeKind::Named(n) => n.clone(),
            TypeKind::Sequence(t) => format!("sequence<{}>", t.idl()),
            TypeKind::FrozenArray(t) => format!("FrozenArray<{}>", t.idl()),
            TypeKind::ObservableArray(t) => format!("ObservableArray<{}>", t.idl()),
            TypeKind::Record(k, v) => format!("record<{}, {}>", k.idl(), v.idl()),
            TypeKind::Promise(t) => format!("Promise<{}>", t.idl()),
            TypeKind::Union(m) => format!(
                "({})",
                m.iter().map(|t| t.idl()).collect::<Vec<_>>().join(" or ")
            ),
        };
        if self.nullable {
            format!("{base}?")
        } else {
            base
        }
    }
}

/// A default value (`= ...`) of an optional argument or dictionary member.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    Boolean(bool),
    Integer(i128),
    Float(f64),
    String(String),
    Null,
    EmptySequence,
    EmptyDictionary,
    Undefined,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Boolean(bool),
    Integer(i128),
    Float(f64),
    Null,
}

/// Where a member may appear: the global names of `[Exposed]`, or every global (`*`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Exposure {
    /// Not yet computed (only before resolution) or inherited from the parent definition.
    #[default]
    Inherit,
    All,
    Globals(BTreeSet<String>),
}

impl Exposure {
    pub fn from_idents(idents: &[String]) -> Exposure {
        if idents.iter().any(|i| i == "*") {
            Exposure::All
        } else {
            Exposure::Globals(idents.iter().cloned().collect())
        }
    }
    /// Intersection (a member is exposed where it and its interface both are).
    pub fn and(&self, other: &Exposure) -> Exposure {
        match (self, other) {
            (Exposure::Inherit, o) | (o, Exposure::Inherit) => o.clone(),
            (Exposure::All, o) | (o, Exposure::All) => o.clone(),
            (Exposure::Globals(a), Exposure::Globals(b)) => {
                Exposure::Globals(a.intersection(b).cloned().collect())
            }
        }
    }
    pub fn names(&self) -> Vec<String> {
        match self {
            Exposure::Inherit => vec![],
            Exposure::All => vec!["*".to_string()],
            Exposure::Globals(g) => g.iter().cloned().collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub variadic: bool,
    pub default: Option<DefaultValue>,
    pub ext_attrs: ExtAttrs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    Getter,
    Setter,
    Deleter,
    LegacyCaller,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// None for anonymous special operations.
    pub name: Option<String>,
    pub args: Vec<Argument>,
    pub ret: Type,
    pub is_static: bool,
    pub special: Option<Special>,
    pub stringifier: bool,
    pub ext_attrs: ExtAttrs,
    pub exposure: Exposure,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub readonly: bool,
    pub is_static: bool,
    pub stringifier: bool,
    pub inherit: bool,
    pub ext_attrs: ExtAttrs,
    pub exposure: Exposure,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Const {
    pub name: String,
    pub ty: Type,
    pub value: ConstValue,
    pub ext_attrs: ExtAttrs,
    pub exposure: Exposure,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Iterable {
    pub key: Option<Type>,
    pub value: Type,
    pub is_async: bool,
    pub args: Vec<Argument>,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    Const(Const),
    Attribute(Attribute),
    Operation(Operation),
    Iterable(Iterable),
    Maplike {
        key: Type,
        value: Type,
        readonly: bool,
        location: Location,
    },
    Setlike {
        value: Type,
        readonly: bool,
        location: Location,
    },
    /// `stringifier;`
    Stringifier {
        location: Location,
    },
}

impl Member {
    pub fn name(&self) -> Option<&str> {
        match self {
            Member::Const(c) => Some(&c.name),
            Member::Attribute(a) => Some(&a.name),
            Member::Operation(o) => o.name.as_deref(),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InterfaceKind {
    Interface,
    CallbackInterface,
    Namespace,
    Mixin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Interface {
    pub name: String,
    pub kind: InterfaceKind,
    pub parent: Option<String>,
    pub ext_attrs: ExtAttrs,
    pub constructors: Vec<Operation>,
    pub members: Vec<Member>,
    pub exposure: Exposure,
    pub location: Location,
}

impl Interface {
    /// `[Global=...]` names, if this is a global interface.
    pub fn global_names(&self) -> Option<Vec<String>> {
        if !self.ext_attrs.has("Global") {
            return None;
        }
        let names = self.ext_attrs.idents("Global").unwrap_or_default();
        if names.is_empty() {
            Some(vec![self.name.clone()])
        } else {
            Some(names)
        }
    }
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.members.iter().filter_map(|m| match m {
            Member::Operation(o) => Some(o),
            _ => None,
        })
    }
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.members.iter().filter_map(|m| match m {
            Member::Attribute(a) => Some(a),
            _ => None,
        })
    }
    pub fn consts(&self) -> impl Iterator<Item = &Const> {
        self.members.iter().filter_map(|m| match m {
            Member::Const(c) => Some(c),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DictionaryMember {
    pub name: String,
    pub ty: Type,
    pub required: bool,
    pub default: Option<DefaultValue>,
    pub ext_attrs: ExtAttrs,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dictionary {
    pub name: String,
    pub parent: Option<String>,
    /// Own members, sorted lexicographically by name (the WebIDL conversion order).
    pub members: Vec<DictionaryMember>,
    pub ext_attrs: ExtAttrs,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub name: String,
    pub values: Vec<String>,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Callback {
    pub name: String,
    pub ret: Type,
    pub args: Vec<Argument>,
    pub ext_attrs: ExtAttrs,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Typedef {
    pub name: String,
    pub ty: Type,
    pub location: Location,
}

/// `A includes B;`
#[derive(Clone, Debug, PartialEq)]
pub struct Includes {
    pub target: String,
    pub mixin: String,
    pub location: Location,
}
