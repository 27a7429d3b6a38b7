//! HTML's structured serialization (<https://html.spec.whatwg.org/#safe-passing-of-structured-data>):
//! StructuredSerializeWithTransfer into a [`Serialized`] record that can cross threads, and
//! StructuredDeserializeWithTransfer in any realm. Used by `structuredClone()` and
//! `postMessage()`.
//!
//! Supported: primitives (not Symbol), Boolean/Number/BigInt/String objects, Date, RegExp,
//! ArrayBuffer (copied, or transferred: the source is detached), typed arrays and DataView
//! (sharing their buffer within one message), Map, Set, Array (with extra properties),
//! ordinary objects, the Error types, and the serializable platform objects Blob, File and
//! DOMException. Anything else is a DataCloneError. Cycles and shared references are kept.
//! The transfer list may hold ArrayBuffers and MessagePorts (HTML's transferable objects).

use super::error::{DomErrorName, Error, Fallible};
use super::realm::{intrinsic, Intrinsic};
use super::root::DomInterface;
use rquickjs::{qjs, Array, ArrayBuffer, Ctx, Function, Object, Type, Value};

/// A serialized value: plain Rust data, so it can cross threads.
#[derive(Clone, Debug, PartialEq)]
pub enum Sv {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    BigInt(String),
    /// The string's bytes as QuickJS encodes them (UTF-8, with lone surrogates encoded as
    /// such, so every string survives exactly).
    String(Vec<u8>),
    /// A value met before: the index of its record in the memory.
    Ref(u32),
    /// An object (with the index it is remembered by).
    Object(u32, SvObject),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SvObject {
    BooleanObject(bool),
    NumberObject(f64),
    BigIntObject(String),
    StringObject(Vec<u8>),
    Date(f64),
    RegExp {
        source: String,
        flags: String,
    },
    ArrayBuffer(Vec<u8>),
    /// An object given in the transfer list, by its index there.
    Transferred(usize),
    View {
        kind: ViewKind,
        buffer: Box<Sv>,
        byte_offset: usize,
        length: usize,
    },
    Map(Vec<(Sv, Sv)>),
    Set(Vec<Sv>),
    Array {
        length: u32,
        properties: Vec<(String, Sv)>,
    },
    Plain(Vec<(String, Sv)>),
    Error {
        name: String,
        message: Option<String>,
    },
    Blob {
        bytes: Vec<u8>,
        type_: String,
    },
    File {
        bytes: Vec<u8>,
        type_: String,
        name: String,
        last_modified: i64,
    },
    DomException {
        name: String,
        message: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    DataView,
}

impl ViewKind {
    fn constructor_name(self) -> &'static str {
        match self {
            ViewKind::Int8Array => "Int8Array",
            ViewKind::Uint8Array => "Uint8Array",
            ViewKind::Uint8ClampedArray => "Uint8ClampedArray",
            ViewKind::Int16Array => "Int16Array",
            ViewKind::Uint16Array => "Uint16Array",
            ViewKind::Int32Array => "Int32Array",
            ViewKind::Uint32Array => "Uint32Array",
            ViewKind::Float32Array => "Float32Array",
            ViewKind::Float64Array => "Float64Array",
            ViewKind::BigInt64Array => "BigInt64Array",
            ViewKind::BigUint64Array => "BigUint64Array",
            ViewKind::DataView => "DataView",
        }
    }
}

/// A transferred object's data holder.
#[derive(Clone, Debug, PartialEq)]
pub enum Transferred {
    /// An ArrayBuffer's bytes (the source is detached).
    ArrayBuffer(Vec<u8>),
    /// A MessagePort: its queue and entanglement stay in the message router under this id.
    MessagePort(crate::message_router::PortId),
    /// A ReadableStream: the port its chunks come through (Streams §"transferable streams").
    ReadableStream(crate::message_router::PortId),
    /// A WritableStream: the port its chunks go through.
    WritableStream(crate::message_router::PortId),
    /// A TransformStream: the ports of its readable and its writable side.
    TransformStream(crate::message_router::PortId, crate::message_router::PortId),
}

/// A serialization with its transferred objects.
#[derive(Clone, Debug, PartialEq)]
pub struct Serialized {
    pub root: Sv,
    /// The transfer data holders, in transfer-list order.
    pub transferred: Vec<Transferred>,
    /// The profile's message router its MessagePorts live in (set when it carries any).
    pub router: Option<crate::message_router::MessageRouter>,
}

impl Serialized {
    /// A message that will never be delivered: the ports it carried can never be received,
    /// so they are closed (their entangled ports get close events).
    pub fn dispose(self) {
        if let Some(router) = self.router.clone() {
            router.dispose(self);
        }
    }

    /// The MessagePorts this message carries (with those that carry its streams).
    pub fn transferred_ports(&self) -> Vec<crate::message_router::PortId> {
        self.transferred
            .iter()
            .flat_map(|t| match t {
                Transferred::MessagePort(id)
                | Transferred::ReadableStream(id)
                | Transferred::WritableStream(id) => vec![*id],
                Transferred::TransformStream(r, w) => vec![*r, *w],
                Transferred::ArrayBuffer(_) => vec![],
            })
            .collect()
    }
}

/// A transferable object in a transfer list.
#[derive(Clone)]
enum Transferable<'js> {
    ArrayBuffer(ArrayBuffer<'js>),
    MessagePort(crate::dom::bindings::root::Dom<'js, crate::dom::messageport::MessagePort<'js>>),
    ReadableStream(
        crate::dom::bindings::root::Dom<'js, crate::dom::readablestream::ReadableStream<'js>>,
    ),
    WritableStream(
        crate::dom::bindings::root::Dom<'js, crate::dom::writablestream::WritableStream<'js>>,
    ),
    TransformStream(
        crate::dom::bindings::root::Dom<'js, crate::dom::transformstream::TransformStream<'js>>,
    ),
}

impl<'js> Transferable<'js> {
    fn object(&self) -> &Object<'js> {
        match self {
            Transferable::ArrayBuffer(b) => b.as_object(),
            Transferable::MessagePort(p) => p.reflector(),
            Transferable::ReadableStream(s) => s.reflector(),
            Transferable::WritableStream(s) => s.reflector(),
            Transferable::TransformStream(s) => s.reflector(),
        }
    }
}

fn data_clone_error(what: &str) -> Error {
    Error::dom(
        DomErrorName::DataCloneError,
        format!("{what} could not be cloned."),
    )
}

/// The error names StructuredDeserialize recreates (others become "Error").
const ERROR_NAMES: &[&str] = &[
    "Error",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
];

/// Calls an intrinsic with `this` = `v`: Ok(result) if `v` has the internal slot it reads.
pub(crate) fn slot_of<'js>(ctx: &Ctx<'js>, which: Intrinsic, v: &Value<'js>) -> Option<Value<'js>> {
    let f = intrinsic(ctx, which)?;
    let f = f.as_function()?;
    let r = f.call::<_, Value>((rquickjs::function::This(v.clone()),));
    match r {
        Ok(v) => Some(v),
        Err(_) => {
            // Not that kind of object: drop the TypeError the intrinsic threw.
            let _ = ctx.catch();
            None
        }
    }
}

pub(crate) fn raw_is(v: &Value<'_>, f: unsafe extern "C" fn(qjs::JSValue) -> bool) -> bool {
    // SAFETY: a valid value of a live context.
    unsafe { f(v.as_raw()) }
}

/// A JS string's bytes (lone surrogates included, as QuickJS encodes them).
pub(crate) fn string_bytes(ctx: &Ctx<'_>, v: &Value<'_>) -> Fallible<Vec<u8>> {
    let mut len: qjs::size_t = 0;
    // SAFETY: a string value of this context; the C string is copied, then freed.
    unsafe {
        let ptr = qjs::JS_ToCStringLen2(ctx.as_raw().as_ptr(), &mut len, v.as_raw(), false);
        if ptr.is_null() {
            return Err(Error::JsException);
        }
        let bytes = std::slice::from_raw_parts(ptr as *const u8, len as usize).to_vec();
        qjs::JS_FreeCString(ctx.as_raw().as_ptr(), ptr);
        Ok(bytes)
    }
}

/// A number value that keeps -0 (`Value::new_number` makes integral numbers, -0 among
/// them, an int).
fn number_value<'js>(ctx: &Ctx<'js>, n: f64) -> Value<'js> {
    if n == 0.0 && n.is_sign_negative() {
        Value::new_float(ctx.clone(), n)
    } else {
        Value::new_number(ctx.clone(), n)
    }
}

/// A JS string from bytes [`string_bytes`] gave.
pub(crate) fn string_from_bytes<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> Fallible<Value<'js>> {
    // SAFETY: the bytes are read during the call; the new value is owned by the result.
    unsafe {
        let v = qjs::JS_NewStringLen(
            ctx.as_raw().as_ptr(),
            bytes.as_ptr() as *const _,
            bytes.len() as _,
        );
        let v = Value::from_raw(ctx.clone(), v);
        if v.is_exception() {
            return Err(Error::JsException);
        }
        Ok(v)
    }
}

/// A function of this realm from before any script ran.
fn intrinsic_fn<'js>(ctx: &Ctx<'js>, name: &str) -> Fallible<Function<'js>> {
    super::realm::intrinsic_constructor(ctx, name).ok_or_else(|| data_clone_error(name))
}

struct Serializer<'a, 'js> {
    ctx: &'a Ctx<'js>,
    /// The memory: objects already serialized.
    memory: Vec<Object<'js>>,
    /// The transfer list.
    transfer: Vec<Transferable<'js>>,
    depth: usize,
}

impl<'a, 'js> Serializer<'a, 'js> {
    fn remembered(&self, o: &Object<'js>) -> Option<u32> {
        self.memory.iter().position(|m| m == o).map(|i| i as u32)
    }

    fn remember(&mut self, o: &Object<'js>) -> u32 {
        self.memory.push(o.clone());
        (self.memory.len() - 1) as u32
    }

    /// <https://html.spec.whatwg.org/#structuredserializeinternal>
    fn serialize(&mut self, v: Value<'js>) -> Fallible<Sv> {
        let ctx = self.ctx;
        // Steps 3-5. Primitives (a Symbol is a DataCloneError).
        match v.type_of() {
            Type::Undefined | Type::Uninitialized => return Ok(Sv::Undefined),
            Type::Null => return Ok(Sv::Null),
            Type::Bool => return Ok(Sv::Bool(v.as_bool().unwrap_or(false))),
            Type::Int => return Ok(Sv::Number(v.as_int().unwrap_or(0) as f64)),
            Type::Float => return Ok(Sv::Number(v.as_float().unwrap_or(0.0))),
            Type::String => return Ok(Sv::String(string_bytes(ctx, &v)?)),
            Type::BigInt => {
                let s: String = intrinsic_fn(ctx, "String")?.call((v,))?;
                return Ok(Sv::BigInt(s));
            }
            Type::Symbol => return Err(data_clone_error("A Symbol")),
            _ => {}
        }
        let Some(o) = v.as_object().cloned() else {
            return Err(data_clone_error("The value"));
        };
        // Step 1-2. A value met before is a reference to it.
        if let Some(i) = self.remembered(&o) {
            return Ok(Sv::Ref(i));
        }
        self.depth += 1;
        if self.depth > 2000 {
            return Err(data_clone_error("A value nested this deeply"));
        }
        let result = self.serialize_object(v, o);
        self.depth -= 1;
        result
    }

    /// Steps 6-26 for an object not met before: the record its internal slots call for
    /// (steps 6-24), remembered (step 25) before its contents are serialized (step 26).
    fn serialize_object(&mut self, v: Value<'js>, o: Object<'js>) -> Fallible<Sv> {
        // Functions, promises, proxies, weak collections: not serializable.
        if v.is_function()
            || raw_is(&v, qjs::JS_IsPromise)
            || raw_is(&v, qjs::JS_IsProxy)
            || raw_is(&v, qjs::JS_IsWeakMap)
            || raw_is(&v, qjs::JS_IsWeakSet)
            || raw_is(&v, qjs::JS_IsWeakRef)
        {
            return Err(data_clone_error("The object"));
        }
        // Step 2 of StructuredSerializeWithTransfer put every transferable in the memory:
        // they are moved, not copied.
        if let Some(i) = self.transfer.iter().position(|t| t.object() == &o) {
            let idx = self.remember(&o);
            return Ok(Sv::Object(idx, SvObject::Transferred(i)));
        }
        let idx = self.remember(&o);
        // Steps 6-24: the record for what the object is (steps 6-13: objects with internal
        // slots); the helpers below also serialize its contents (step 26).
        let record = if let Some(record) = self.serialize_primitive_wrapper(&v)? {
            record
        } else if raw_is(&v, qjs::JS_IsDate) {
            self.serialize_date(&v)
        } else if raw_is(&v, qjs::JS_IsRegExp) {
            self.serialize_regexp(&v)?
        } else if let Some(buf) = ArrayBuffer::from_object(o.clone()) {
            serialize_array_buffer(&buf)
        } else if let Some(kind) = super::conversions::buffer_view_kind(&v) {
            self.serialize_view(kind, &v)?
        } else if raw_is(&v, qjs::JS_IsMap) {
            self.serialize_map(&v)?
        } else if raw_is(&v, qjs::JS_IsSet) {
            self.serialize_set(&v)?
        } else if raw_is(&v, qjs::JS_IsError) {
            self.serialize_error(&o)?
        } else if super::realm::is_platform_object(&v) {
            // Platform objects: the serializable ones.
            serialize_platform_object(&v)?
        } else {
            self.serialize_array_or_object(&v, &o)?
        };
        Ok(Sv::Object(idx, record))
    }

    /// Steps 7-10: a Boolean, Number, BigInt or String object (None for anything else).
    fn serialize_primitive_wrapper(&self, v: &Value<'js>) -> Fallible<Option<SvObject>> {
        let ctx = self.ctx;
        if let Some(b) = slot_of(ctx, Intrinsic::BooleanValueOf, v) {
            return Ok(Some(SvObject::BooleanObject(b.as_bool().unwrap_or(false))));
        }
        if let Some(n) = slot_of(ctx, Intrinsic::NumberValueOf, v) {
            let n = n.as_number().unwrap_or(f64::NAN);
            return Ok(Some(SvObject::NumberObject(n)));
        }
        if let Some(b) = slot_of(ctx, Intrinsic::BigIntValueOf, v) {
            let s: String = intrinsic_fn(ctx, "String")?.call((b,))?;
            return Ok(Some(SvObject::BigIntObject(s)));
        }
        if let Some(s) = slot_of(ctx, Intrinsic::StringValueOf, v) {
            return Ok(Some(SvObject::StringObject(string_bytes(ctx, &s)?)));
        }
        Ok(None)
    }

    /// Step 11: a Date, its time value.
    fn serialize_date(&self, v: &Value<'js>) -> SvObject {
        let t = slot_of(self.ctx, Intrinsic::DateGetTime, v)
            .and_then(|t| t.as_number())
            .unwrap_or(f64::NAN);
        SvObject::Date(t)
    }

    /// Step 12: a RegExp, its source and flags.
    fn serialize_regexp(&self, v: &Value<'js>) -> Fallible<SvObject> {
        let read = |which| -> Fallible<String> {
            Ok(slot_of(self.ctx, which, v)
                .and_then(|s| s.as_string().and_then(|s| s.to_string().ok()))
                .unwrap_or_default())
        };
        Ok(SvObject::RegExp {
            source: read(Intrinsic::RegExpSource)?,
            flags: read(Intrinsic::RegExpFlags)?,
        })
    }

    /// Step 14: a typed array or DataView, with its buffer serialized (so views of one
    /// buffer share it).
    fn serialize_view(
        &mut self,
        kind: super::conversions::BufferViewKind,
        v: &Value<'js>,
    ) -> Fallible<SvObject> {
        use super::conversions::BufferViewKind as K;
        let ctx = self.ctx;
        let kind = match kind {
            K::Int8Array => ViewKind::Int8Array,
            K::Uint8Array => ViewKind::Uint8Array,
            K::Uint8ClampedArray => ViewKind::Uint8ClampedArray,
            K::Int16Array => ViewKind::Int16Array,
            K::Uint16Array => ViewKind::Uint16Array,
            K::Int32Array => ViewKind::Int32Array,
            K::Uint32Array => ViewKind::Uint32Array,
            K::Float32Array => ViewKind::Float32Array,
            K::Float64Array => ViewKind::Float64Array,
            K::BigInt64Array => ViewKind::BigInt64Array,
            K::BigUint64Array => ViewKind::BigUint64Array,
            K::DataView => ViewKind::DataView,
            _ => return Err(data_clone_error("This kind of view")),
        };
        let (buffer, offset, length) = if kind == ViewKind::DataView {
            (
                slot_of(ctx, Intrinsic::DataViewBuffer, v),
                slot_of(ctx, Intrinsic::DataViewByteOffset, v),
                slot_of(ctx, Intrinsic::DataViewByteLength, v),
            )
        } else {
            (
                slot_of(ctx, Intrinsic::TypedArrayBuffer, v),
                slot_of(ctx, Intrinsic::TypedArrayByteOffset, v),
                slot_of(ctx, Intrinsic::TypedArrayLength, v),
            )
        };
        let buffer = buffer.ok_or_else(|| data_clone_error("The view"))?;
        let buffer = self.serialize(buffer)?;
        Ok(SvObject::View {
            kind,
            buffer: Box::new(buffer),
            byte_offset: offset.and_then(|v| v.as_number()).unwrap_or(0.0) as usize,
            length: length.and_then(|v| v.as_number()).unwrap_or(0.0) as usize,
        })
    }

    /// Steps 15 and 26.1: a Map and its entries.
    fn serialize_map(&mut self, v: &Value<'js>) -> Fallible<SvObject> {
        // The entries, copied first (as the spec's copiedList), then serialized.
        let entries = self.collection_items(Intrinsic::MapEntries, v)?;
        let mut out = Vec::new();
        for e in entries {
            let pair = e
                .as_object()
                .cloned()
                .ok_or_else(|| data_clone_error("A Map"))?;
            let k: Value = pair.get(0)?;
            let val: Value = pair.get(1)?;
            out.push((self.serialize(k)?, self.serialize(val)?));
        }
        Ok(SvObject::Map(out))
    }

    /// Steps 16 and 26.2: a Set and its values.
    fn serialize_set(&mut self, v: &Value<'js>) -> Fallible<SvObject> {
        let items = self.collection_items(Intrinsic::SetValues, v)?;
        let mut out = Vec::new();
        for item in items {
            out.push(self.serialize(item)?);
        }
        Ok(SvObject::Set(out))
    }

    /// Step 17: an Error object.
    fn serialize_error(&self, o: &Object<'js>) -> Fallible<SvObject> {
        let ctx = self.ctx;
        // Steps 17.1-17.4: the name (one of the known ones) and the message.
        let name: Value = o.get("name")?;
        let name = name
            .as_string()
            .and_then(|s| s.to_string().ok())
            .filter(|n| ERROR_NAMES.contains(&n.as_str()))
            .unwrap_or_else(|| "Error".into());
        let has_own_message = intrinsic(ctx, Intrinsic::ObjectHasOwn)
            .and_then(|f| f.as_function().cloned())
            .map(|f| f.call::<_, bool>((o.clone(), "message")))
            .transpose()?
            .unwrap_or(false);
        let message = if has_own_message {
            let m: Value = o.get("message")?;
            let m: String = intrinsic_fn(ctx, "String")?.call((m,))?;
            Some(m)
        } else {
            None
        };
        Ok(SvObject::Error { name, message })
    }

    /// An Array (step 18) or an ordinary object (step 24) and its properties (step 26.4).
    fn serialize_array_or_object(&mut self, v: &Value<'js>, o: &Object<'js>) -> Fallible<SvObject> {
        // Steps 18-26: arrays and ordinary objects, their own enumerable string keys.
        let is_array = raw_is(v, qjs::JS_IsArray);
        let keys = self.enumerable_own_keys(o)?;
        let mut properties = Vec::new();
        for k in keys {
            if !o.contains_key(k.as_str())? {
                continue;
            }
            let value: Value = o.get(k.as_str())?;
            properties.push((k, self.serialize(value)?));
        }
        if is_array {
            let length: u32 = o.get::<_, Option<u32>>("length")?.unwrap_or(0);
            Ok(SvObject::Array { length, properties })
        } else {
            Ok(SvObject::Plain(properties))
        }
    }

    fn enumerable_own_keys(&self, o: &Object<'js>) -> Fallible<Vec<String>> {
        let keys = intrinsic(self.ctx, Intrinsic::ObjectKeys)
            .ok_or_else(|| data_clone_error("The object"))?;
        let keys: Array = keys
            .as_function()
            .ok_or_else(|| data_clone_error("The object"))?
            .call((o.clone(),))?;
        let mut out = Vec::new();
        for k in keys.iter::<String>() {
            out.push(k?);
        }
        Ok(out)
    }

    /// A Map's entries or a Set's values, listed through the intrinsic iterator.
    fn collection_items(&self, which: Intrinsic, v: &Value<'js>) -> Fallible<Vec<Value<'js>>> {
        let ctx = self.ctx;
        let f = intrinsic(ctx, which).ok_or_else(|| data_clone_error("The collection"))?;
        let iter: Object = f
            .as_function()
            .ok_or_else(|| data_clone_error("The collection"))?
            .call((rquickjs::function::This(v.clone()),))?;
        let from = intrinsic(ctx, Intrinsic::ArrayFrom)
            .ok_or_else(|| data_clone_error("The collection"))?;
        let array: Array = from
            .as_function()
            .ok_or_else(|| data_clone_error("The collection"))?
            .call((iter,))?;
        let mut out = Vec::new();
        for item in array.iter::<Value>() {
            out.push(item?);
        }
        Ok(out)
    }
}

/// Step 13: an ArrayBuffer, its bytes copied.
fn serialize_array_buffer(buf: &ArrayBuffer<'_>) -> SvObject {
    SvObject::ArrayBuffer(super::buffer_source::array_buffer_bytes(buf))
}

/// Steps 19-20 and 26.3: a platform object, serializable if it is a File, a Blob or a
/// DOMException (their serialization steps), a DataCloneError otherwise.
fn serialize_platform_object(v: &Value<'_>) -> Fallible<SvObject> {
    if let Some(f) = <crate::dom::file::File as DomInterface>::unwrap(v) {
        let blob = f.upcast::<crate::dom::blob::Blob>();
        return Ok(SvObject::File {
            bytes: blob.bytes().to_vec(),
            type_: blob.type_string().to_string(),
            name: f.name_string().to_string(),
            last_modified: f.last_modified_ms(),
        });
    }
    if let Some(b) = <crate::dom::blob::Blob as DomInterface>::unwrap(v) {
        return Ok(SvObject::Blob {
            bytes: b.bytes().to_vec(),
            type_: b.type_string().to_string(),
        });
    }
    if let Some(e) = <crate::dom::domexception::DOMException as DomInterface>::unwrap(v) {
        return Ok(SvObject::DomException {
            name: e.name_().to_string(),
            message: e.message_().to_string(),
        });
    }
    Err(data_clone_error("This platform object"))
}

/// <https://html.spec.whatwg.org/#structuredserializewithtransfer>: `transfer` may list
/// ArrayBuffers (detached), MessagePorts (they leave this global) and readable and
/// writable streams (piped through a port that leaves).
pub fn serialize<'js>(
    ctx: &Ctx<'js>,
    value: Value<'js>,
    transfer: Vec<Object<'js>>,
) -> Fallible<Serialized> {
    use crate::dom::messageport::MessagePort;
    // Step 2. Each transferable must be an ArrayBuffer or a platform object with a
    // [[Transferable]] slot, listed once.
    let mut list: Vec<Transferable<'js>> = Vec::new();
    for t in transfer {
        let item = if let Some(b) = ArrayBuffer::from_object(t.clone()) {
            Transferable::ArrayBuffer(b)
        } else if let Some(p) = <MessagePort as DomInterface>::unwrap(&t.clone().into_value()) {
            Transferable::MessagePort(p)
        } else if let Some(s) = <crate::dom::readablestream::ReadableStream as DomInterface>::unwrap(
            &t.clone().into_value(),
        ) {
            Transferable::ReadableStream(s)
        } else if let Some(s) = <crate::dom::writablestream::WritableStream as DomInterface>::unwrap(
            &t.clone().into_value(),
        ) {
            Transferable::WritableStream(s)
        } else if let Some(s) =
            <crate::dom::transformstream::TransformStream as DomInterface>::unwrap(
                &t.clone().into_value(),
            )
        {
            Transferable::TransformStream(s)
        } else {
            return Err(data_clone_error("An object in the transfer list"));
        };
        if list.iter().any(|x| x.object() == &t) {
            return Err(data_clone_error("An object listed twice for transfer"));
        }
        list.push(item);
    }
    // Step 3. Serialize, with the transferables already in the memory.
    let mut s = Serializer {
        ctx,
        memory: Vec::new(),
        transfer: list.clone(),
        depth: 0,
    };
    let root = s.serialize(value)?;
    // Step 5.1-5.2. A detached transferable cannot be transferred (checked for all before
    // any is transferred, so a failure leaves everything in place).
    for t in &list {
        let detached = match t {
            Transferable::ArrayBuffer(b) => b.as_raw().is_none(),
            Transferable::MessagePort(p) => p.is_detached(),
            // A stream's transfer steps, step 1: a locked stream (a transferred one stays
            // locked by its pipe) is a DataCloneError.
            Transferable::ReadableStream(s) => s.is_locked(),
            Transferable::WritableStream(s) => s.is_locked(),
            // TransformStream's transfer steps 3-4: either side locked.
            Transferable::TransformStream(s) => {
                s.readable_stream().is_locked() || s.writable_stream().is_locked()
            }
        };
        if detached {
            return Err(data_clone_error(
                "A detached or locked object in the transfer list",
            ));
        }
    }
    // Step 5.3-5.6. The transfer steps, then [[Detached]] = true.
    let mut transferred = Vec::new();
    for t in list {
        transferred.push(match t {
            Transferable::ArrayBuffer(mut b) => {
                let bytes = super::buffer_source::array_buffer_bytes(&b);
                b.detach();
                Transferred::ArrayBuffer(bytes)
            }
            Transferable::MessagePort(p) => Transferred::MessagePort(p.transfer(ctx)),
            Transferable::ReadableStream(s) => {
                let port = crate::dom::streams_transfer::transfer(
                    ctx,
                    crate::dom::streams_transfer::StreamKind::Readable,
                    s.reflector().clone().into_value(),
                )?;
                Transferred::ReadableStream(port.transfer(ctx))
            }
            Transferable::WritableStream(s) => {
                let port = crate::dom::streams_transfer::transfer(
                    ctx,
                    crate::dom::streams_transfer::StreamKind::Writable,
                    s.reflector().clone().into_value(),
                )?;
                Transferred::WritableStream(port.transfer(ctx))
            }
            // TransformStream's transfer steps 5-6: its readable and writable, each
            // transferred.
            Transferable::TransformStream(s) => {
                use crate::dom::streams_transfer::{transfer, StreamKind};
                let readable = s.readable_stream().reflector().clone().into_value();
                let writable = s.writable_stream().reflector().clone().into_value();
                let r = transfer(ctx, StreamKind::Readable, readable)?;
                let w = transfer(ctx, StreamKind::Writable, writable)?;
                Transferred::TransformStream(r.transfer(ctx), w.transfer(ctx))
            }
        });
    }
    let router = transferred
        .iter()
        .any(|t| !matches!(t, Transferred::ArrayBuffer(_)))
        .then(|| crate::dom::globalscope::GlobalScope::current(ctx))
        .flatten()
        .map(|g| g.profile().ports().clone());
    Ok(Serialized {
        root,
        transferred,
        router,
    })
}

/// Records nested deeper than this are not deserialized (a DataCloneError): each level
/// takes ~15 KB of a debug build's stack, and a global's thread has 16 MiB (1,100 levels
/// overflowed it, aborting the process). Script cannot serialize deeper than ~1,100 levels
/// in a debug build either (QuickJS's stack limit); corrupt stored values can (IndexedDB's
/// reader allows 2,100).
const MAX_DESERIALIZE_DEPTH: usize = 800;

struct Deserializer<'a, 'js> {
    ctx: &'a Ctx<'js>,
    memory: Vec<Value<'js>>,
    /// How many object records were met so far: the serializer numbers them in that order,
    /// so a record numbered past it is corrupt (a stored value read back, for one).
    objects: usize,
    /// How deep in object records the deserialization is (see [`MAX_DESERIALIZE_DEPTH`]).
    depth: usize,
    /// The transferred values, created before anything else is deserialized.
    transferred: Vec<Value<'js>>,
}

impl<'a, 'js> Deserializer<'a, 'js> {
    fn construct(&self, name: &str, args: Vec<Value<'js>>) -> Fallible<Object<'js>> {
        let f = super::realm::intrinsic_constructor(self.ctx, name)
            .ok_or_else(|| data_clone_error(name))?;
        let ctor = rquickjs::function::Constructor::from_value(f.into_value())
            .map_err(|_| data_clone_error(name))?;
        let mut a = rquickjs::function::Args::new(self.ctx.clone(), args.len());
        for v in args {
            a.push_arg(v)?;
        }
        Ok(ctor.construct_args(a)?)
    }

    fn remember(&mut self, idx: u32, v: Value<'js>) {
        let i = idx as usize;
        if self.memory.len() <= i {
            self.memory
                .resize(i + 1, Value::new_undefined(self.ctx.clone()));
        }
        self.memory[i] = v;
    }

    /// <https://html.spec.whatwg.org/#structureddeserialize>
    fn deserialize(&mut self, sv: &Sv) -> Fallible<Value<'js>> {
        let ctx = self.ctx;
        Ok(match sv {
            Sv::Undefined => Value::new_undefined(ctx.clone()),
            Sv::Null => Value::new_null(ctx.clone()),
            Sv::Bool(b) => Value::new_bool(ctx.clone(), *b),
            // -0 must stay a float (new_number would make it the integer 0).
            Sv::Number(n) if *n == 0.0 && n.is_sign_negative() => Value::new_float(ctx.clone(), *n),
            Sv::Number(n) => number_value(ctx, *n),
            Sv::String(s) => string_from_bytes(ctx, s)?,
            Sv::BigInt(s) => intrinsic_fn(ctx, "BigInt")?.call((s.as_str(),))?,
            Sv::Ref(i) => self
                .memory
                .get(*i as usize)
                .cloned()
                .ok_or_else(|| data_clone_error("A reference"))?,
            Sv::Object(idx, o) => {
                // Not remembered at that index: the memory would grow to it (up to 2^32
                // values, which aborts the process for want of memory).
                if *idx as usize > self.objects {
                    return Err(data_clone_error("A record numbered out of order"));
                }
                self.objects += 1;
                self.depth += 1;
                if self.depth > MAX_DESERIALIZE_DEPTH {
                    return Err(data_clone_error("A value nested this deeply"));
                }
                let v = self.object(*idx, o)?;
                self.depth -= 1;
                v
            }
        })
    }

    fn object(&mut self, idx: u32, o: &SvObject) -> Fallible<Value<'js>> {
        let ctx = self.ctx;
        let v: Value<'js> = match o {
            SvObject::BooleanObject(b) => self
                .construct("Object", vec![Value::new_bool(ctx.clone(), *b)])?
                .into_value(),
            SvObject::NumberObject(n) => self
                .construct("Object", vec![number_value(ctx, *n)])?
                .into_value(),
            SvObject::StringObject(s) => self
                .construct("Object", vec![string_from_bytes(ctx, s)?])?
                .into_value(),
            SvObject::BigIntObject(s) => {
                let b: Value = intrinsic_fn(ctx, "BigInt")?.call((s.as_str(),))?;
                self.construct("Object", vec![b])?.into_value()
            }
            SvObject::Date(t) => self
                .construct("Date", vec![Value::new_number(ctx.clone(), *t)])?
                .into_value(),
            SvObject::RegExp { source, flags } => self
                .construct(
                    "RegExp",
                    vec![
                        rquickjs::String::from_str(ctx.clone(), source)?.into_value(),
                        rquickjs::String::from_str(ctx.clone(), flags)?.into_value(),
                    ],
                )?
                .into_value(),
            SvObject::ArrayBuffer(bytes) => {
                ArrayBuffer::new_copy(ctx.clone(), bytes.as_slice())?.into_value()
            }
            SvObject::Transferred(i) => self
                .transferred
                .get(*i)
                .cloned()
                .ok_or_else(|| data_clone_error("A transferred object"))?,
            SvObject::View {
                kind,
                buffer,
                byte_offset,
                length,
            } => {
                let buffer = self.deserialize(buffer)?;
                self.construct(
                    kind.constructor_name(),
                    vec![
                        buffer,
                        Value::new_number(ctx.clone(), *byte_offset as f64),
                        Value::new_number(ctx.clone(), *length as f64),
                    ],
                )?
                .into_value()
            }
            SvObject::Map(entries) => {
                let map = self.construct("Map", Vec::new())?;
                self.remember(idx, map.clone().into_value());
                let set: Function = intrinsic_fn(ctx, "Map")?
                    .get::<_, Object>("prototype")?
                    .get("set")?;
                for (k, v) in entries {
                    let k = self.deserialize(k)?;
                    let v = self.deserialize(v)?;
                    set.call::<_, Value>((rquickjs::function::This(map.clone()), k, v))?;
                }
                return Ok(map.into_value());
            }
            SvObject::Set(items) => {
                let set_obj = self.construct("Set", Vec::new())?;
                self.remember(idx, set_obj.clone().into_value());
                let add: Function = intrinsic_fn(ctx, "Set")?
                    .get::<_, Object>("prototype")?
                    .get("add")?;
                for item in items {
                    let item = self.deserialize(item)?;
                    add.call::<_, Value>((rquickjs::function::This(set_obj.clone()), item))?;
                }
                return Ok(set_obj.into_value());
            }
            SvObject::Array { length, properties } => {
                let array = Array::new(ctx.clone())?;
                array.as_object().set("length", *length)?;
                self.remember(idx, array.clone().into_value());
                for (k, v) in properties {
                    let v = self.deserialize(v)?;
                    array.as_object().set(k.as_str(), v)?;
                }
                return Ok(array.into_value());
            }
            SvObject::Plain(properties) => {
                let obj = Object::new(ctx.clone())?;
                self.remember(idx, obj.clone().into_value());
                for (k, v) in properties {
                    let v = self.deserialize(v)?;
                    obj.set(k.as_str(), v)?;
                }
                return Ok(obj.into_value());
            }
            SvObject::Error { name, message } => {
                let args = match message {
                    Some(m) => vec![rquickjs::String::from_str(ctx.clone(), m)?.into_value()],
                    None => Vec::new(),
                };
                self.construct(name, args)?.into_value()
            }
            SvObject::Blob { bytes, type_ } => super::realm::reflect_dom_object(
                ctx,
                crate::dom::blob::Blob::new_inherited(bytes.clone(), type_),
            )?
            .reflector()
            .clone()
            .into_value(),
            SvObject::File {
                bytes,
                type_,
                name,
                last_modified,
            } => super::realm::reflect_dom_object(
                ctx,
                crate::dom::file::File::new_inherited(bytes.clone(), type_, name, *last_modified),
            )?
            .reflector()
            .clone()
            .into_value(),
            SvObject::DomException { name, message } => {
                crate::dom::domexception::create(ctx, message, name)?
            }
        };
        self.remember(idx, v.clone());
        Ok(v)
    }
}

/// StructuredDeserializeWithTransfer into the current realm.
pub fn deserialize<'js>(ctx: &Ctx<'js>, s: Serialized) -> Fallible<Value<'js>> {
    deserialize_with_transfer(ctx, s).map(|(v, _)| v)
}

/// <https://html.spec.whatwg.org/#structureddeserializewithtransfer>: the value and the
/// transferred values in transfer-list order (the MessagePorts among them become a
/// MessageEvent's `ports`).
pub fn deserialize_with_transfer<'js>(
    ctx: &Ctx<'js>,
    s: Serialized,
) -> Fallible<(Value<'js>, Vec<Value<'js>>)> {
    // Step 2. The transfer-receiving steps for each data holder, first.
    let mut transferred = Vec::new();
    for t in s.transferred {
        transferred.push(match t {
            Transferred::ArrayBuffer(bytes) => ArrayBuffer::new(ctx.clone(), bytes)?.into_value(),
            Transferred::MessagePort(id) => {
                crate::dom::messageport::MessagePort::receive(ctx, id, s.router.as_ref())?
                    .reflector()
                    .clone()
                    .into_value()
            }
            Transferred::ReadableStream(id) | Transferred::WritableStream(id) => {
                let kind = match t {
                    Transferred::ReadableStream(_) => {
                        crate::dom::streams_transfer::StreamKind::Readable
                    }
                    _ => crate::dom::streams_transfer::StreamKind::Writable,
                };
                let port =
                    crate::dom::messageport::MessagePort::receive(ctx, id, s.router.as_ref())?;
                crate::dom::streams_transfer::receive(
                    ctx,
                    kind,
                    port.reflector().clone().into_value(),
                )?
            }
            // TransformStream's transfer-receiving steps.
            Transferred::TransformStream(r, w) => {
                use crate::dom::streams_transfer::{receive, StreamKind};
                let side = |id, kind| -> Fallible<Value<'js>> {
                    let port =
                        crate::dom::messageport::MessagePort::receive(ctx, id, s.router.as_ref())?;
                    receive(ctx, kind, port.reflector().clone().into_value())
                };
                let readable = side(r, StreamKind::Readable)?;
                let writable = side(w, StreamKind::Writable)?;
                let readable =
                    <crate::dom::readablestream::ReadableStream as DomInterface>::unwrap(&readable)
                        .ok_or_else(|| data_clone_error("A TransformStream's readable side"))?;
                let writable =
                    <crate::dom::writablestream::WritableStream as DomInterface>::unwrap(&writable)
                        .ok_or_else(|| data_clone_error("A TransformStream's writable side"))?;
                crate::dom::transformstream::TransformStream::from_transferred(
                    ctx, readable, writable,
                )?
                .reflector()
                .clone()
                .into_value()
            }
        });
    }
    // Step 3. Deserialize.
    let mut d = Deserializer {
        ctx,
        memory: Vec::new(),
        objects: 0,
        depth: 0,
        transferred: transferred.clone(),
    };
    let value = d.deserialize(&s.root)?;
    Ok((value, transferred))
}
