//! WebIDL's conversions between ECMAScript values and IDL values (WebIDL §3.2), as the
//! generated glue calls them. ES -> IDL functions take the value and name it in errors;
//! IDL -> ES goes through [`ToJsValue`].

use super::error::{Error, Fallible};
use super::root::{Dom, DomInterface};
use rquickjs::atom::PredefinedAtom;
use rquickjs::convert::Coerced;
use rquickjs::function::Args;
use rquickjs::object::Filter;
use rquickjs::{qjs, Array, ArrayBuffer, Ctx, FromJs, Function, Object, Promise, Value};

/// WebIDL `DOMString`: lone surrogates are held escaped (see [`super::domstring`]).
pub type DOMString = String;
/// WebIDL `USVString`.
pub type USVString = String;

/// WebIDL `ByteString`: bytes 0-255, one per code unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByteString(pub Vec<u8>);

impl ByteString {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// The bytes read as Latin-1 text.
    pub fn to_latin1_string(&self) -> String {
        self.0.iter().map(|&b| b as char).collect()
    }
}

impl From<&str> for ByteString {
    fn from(s: &str) -> Self {
        ByteString(s.bytes().collect())
    }
}

impl<'js> rquickjs::class::Trace<'js> for ByteString {
    fn trace<'a>(&self, _tracer: rquickjs::class::Tracer<'a, 'js>) {}
}

/// The kinds of ArrayBuffer views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BufferViewKind {
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

/// A typed array or DataView argument.
#[derive(Clone, Debug)]
pub struct BufferView<'js> {
    pub object: Object<'js>,
    pub kind: BufferViewKind,
}

impl<'js> BufferView<'js> {
    /// A copy of the bytes the view covers (read with the intrinsic accessors, so script
    /// overriding `buffer`/`byteOffset`/`byteLength` on the view changes nothing).
    pub fn to_vec(&self) -> Fallible<Vec<u8>> {
        use super::realm::{intrinsic, Intrinsic};
        let ctx = self.object.ctx();
        let this = self.object.clone().into_value();
        let read = |which: Intrinsic| -> Fallible<Value<'js>> {
            let getter = intrinsic(ctx, which)
                .ok_or_else(|| Error::Type("no typed arrays in this realm".into()))?;
            call_function(ctx, &getter, this.clone(), Vec::new())
        };
        let (buffer, offset, length) = if self.kind == BufferViewKind::DataView {
            (
                read(Intrinsic::DataViewBuffer)?,
                read(Intrinsic::DataViewByteOffset)?,
                read(Intrinsic::DataViewByteLength)?,
            )
        } else {
            (
                read(Intrinsic::TypedArrayBuffer)?,
                read(Intrinsic::TypedArrayByteOffset)?,
                read(Intrinsic::TypedArrayByteLength)?,
            )
        };
        let offset = offset.as_number().unwrap_or(0.0) as usize;
        let length = length.as_number().unwrap_or(0.0) as usize;
        let ab = buffer
            .into_object()
            .and_then(ArrayBuffer::from_object)
            .ok_or_else(|| Error::Type("view without an ArrayBuffer".into()))?;
        // SAFETY: the slice is copied at once, before any script can run and detach or
        // resize the buffer.
        let bytes = unsafe { ab.as_bytes() }
            .ok_or_else(|| Error::Type("the view's ArrayBuffer is detached".into()))?;
        offset
            .checked_add(length)
            .and_then(|end| bytes.get(offset..end))
            .map(|b| b.to_vec())
            .ok_or_else(|| Error::Type("view out of its buffer's bounds".into()))
    }
}

impl<'js> rquickjs::class::Trace<'js> for BufferView<'js> {
    fn trace<'a>(&self, tracer: rquickjs::class::Tracer<'a, 'js>) {
        self.object.trace(tracer)
    }
}

/// IDL -> ES ("converted to an ECMAScript value").
pub trait ToJsValue<'js> {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>>;
}

impl<'js> ToJsValue<'js> for () {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(Value::new_undefined(ctx.clone()))
    }
}
impl<'js> ToJsValue<'js> for bool {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(Value::new_bool(ctx.clone(), self))
    }
}
macro_rules! number_to_js {
    ($($t:ty),*) => {$(
        impl<'js> ToJsValue<'js> for $t {
            fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                Ok(Value::new_number(ctx.clone(), self as f64))
            }
        }
    )*};
}
number_to_js!(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64);

impl<'js> ToJsValue<'js> for &str {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        // A DOMString holding lone surrogates (escaped) goes back as its code units.
        if let Some(wtf8) = super::domstring::to_wtf8(self) {
            // SAFETY: the bytes are read during the call; the new value owns its string.
            let v = unsafe {
                let v = qjs::JS_NewStringLen(
                    ctx.as_raw().as_ptr(),
                    wtf8.as_ptr() as *const _,
                    wtf8.len() as _,
                );
                Value::from_raw(ctx.clone(), v)
            };
            if v.is_exception() {
                return Err(Error::JsException);
            }
            return Ok(v);
        }
        Ok(rquickjs::String::from_str(ctx.clone(), self)?.into_value())
    }
}
impl<'js> ToJsValue<'js> for String {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        self.as_str().to_js(ctx)
    }
}
impl<'js> ToJsValue<'js> for ByteString {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        self.to_latin1_string().to_js(ctx)
    }
}
impl<'js> ToJsValue<'js> for Value<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self)
    }
}
impl<'js> ToJsValue<'js> for Object<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.into_value())
    }
}
impl<'js> ToJsValue<'js> for Function<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.into_value())
    }
}
impl<'js> ToJsValue<'js> for Promise<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.into_value())
    }
}
impl<'js> ToJsValue<'js> for Array<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.into_value())
    }
}
impl<'js> ToJsValue<'js> for ArrayBuffer<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.into_value())
    }
}
impl<'js> ToJsValue<'js> for BufferView<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.object.into_value())
    }
}
impl<'js, T: ToJsValue<'js>> ToJsValue<'js> for Option<T> {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        match self {
            Some(v) => v.to_js(ctx),
            None => Ok(Value::new_null(ctx.clone())),
        }
    }
}
impl<'js, T: ToJsValue<'js>> ToJsValue<'js> for Vec<T> {
    fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        let array = Array::new(ctx.clone())?;
        for (i, item) in self.into_iter().enumerate() {
            array.set(i, item.to_js(ctx)?)?;
        }
        Ok(array.into_value())
    }
}

/// A WebIDL `FrozenArray<T>` value: the frozen JS array itself, so an attribute returning
/// the same value keeps returning the same object (WebIDL §3.2.33).
#[derive(Clone)]
pub struct FrozenArray<'js>(Array<'js>);

impl<'js> FrozenArray<'js> {
    /// "Create a frozen array" from a list of IDL values.
    pub fn new<T: ToJsValue<'js>>(ctx: &Ctx<'js>, items: Vec<T>) -> Fallible<Self> {
        let array = Array::new(ctx.clone())?;
        for (i, item) in items.into_iter().enumerate() {
            array.set(i, item.to_js(ctx)?)?;
        }
        // Step: perform ! SetIntegrityLevel(array, "frozen").
        let freeze = super::realm::intrinsic(ctx, super::realm::Intrinsic::ObjectFreeze)
            .ok_or_else(|| Error::Type("Object.freeze is missing in this realm".into()))?;
        call_function(
            ctx,
            &freeze,
            Value::new_undefined(ctx.clone()),
            vec![array.clone().into_value()],
        )?;
        Ok(FrozenArray(array))
    }
    /// The array's elements.
    pub fn items(&self) -> Vec<Value<'js>> {
        self.0.iter::<Value>().filter_map(|v| v.ok()).collect()
    }
}
impl<'js> ToJsValue<'js> for FrozenArray<'js> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.0.into_value())
    }
}
impl<'js> rquickjs::class::Trace<'js> for FrozenArray<'js> {
    fn trace<'a>(&self, tracer: rquickjs::class::Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

/// WebIDL enumerations (generated).
pub trait IdlEnum: Sized + Copy {
    const NAME: &'static str;
    fn from_str(s: &str) -> Option<Self>;
}

/// WebIDL integer types, for `ConvertToInt`.
pub trait IdlInteger: Copy {
    const BITS: u32;
    const SIGNED: bool;
    /// From an integer already in range.
    fn from_i128(x: i128) -> Self;
}
macro_rules! idl_integer {
    ($($t:ty => $bits:expr, $signed:expr;)*) => {$(
        impl IdlInteger for $t {
            const BITS: u32 = $bits;
            const SIGNED: bool = $signed;
            fn from_i128(x: i128) -> Self { x as $t }
        }
    )*};
}
idl_integer! {
    i8 => 8, true; u8 => 8, false; i16 => 16, true; u16 => 16, false;
    i32 => 32, true; u32 => 32, false; i64 => 64, true; u64 => 64, false;
}

fn pending(e: rquickjs::Error) -> Error {
    Error::from(e)
}

/// ECMAScript ToNumber (may run script: valueOf, and throws for Symbol and BigInt).
pub fn to_number<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<f64> {
    if let Some(n) = v.as_number() {
        return Ok(n);
    }
    if v.is_big_int() {
        return Err(Error::Type(
            "Cannot convert a BigInt value to a number".into(),
        ));
    }
    Coerced::<f64>::from_js(ctx, v.clone())
        .map(|c| c.0)
        .map_err(pending)
}

/// WebIDL ConvertToInt(V, bitLength, signedness) with [EnforceRange] and [Clamp].
pub fn to_integer<'js, T: IdlInteger>(
    ctx: &Ctx<'js>,
    v: &Value<'js>,
    enforce_range: bool,
    clamp: bool,
    what: &str,
) -> Fallible<T> {
    // Steps 1-3: the bounds.
    let (lower, upper) = if T::BITS == 64 {
        let max_safe = 9007199254740991.0; // 2^53 - 1
        if T::SIGNED {
            (-max_safe, max_safe)
        } else {
            (0.0, max_safe)
        }
    } else if T::SIGNED {
        (
            -(2f64.powi(T::BITS as i32 - 1)),
            2f64.powi(T::BITS as i32 - 1) - 1.0,
        )
    } else {
        (0.0, 2f64.powi(T::BITS as i32) - 1.0)
    };
    // Step 4-5: x = ToNumber(V), -0 -> +0.
    let mut x = to_number(ctx, v)?;
    if x == 0.0 {
        x = 0.0;
    }
    // Step 6: [EnforceRange].
    if enforce_range {
        if !x.is_finite() {
            return Err(Error::Type(format!("{what}: value is not a finite number")));
        }
        let x = x.trunc();
        if x < lower || x > upper {
            return Err(Error::Type(format!(
                "{what}: value {x} is outside the range [{lower}, {upper}]"
            )));
        }
        return Ok(T::from_i128(x as i128));
    }
    // Step 7. [Clamp].
    if clamp && !x.is_nan() {
        let x = x.clamp(lower, upper);
        // Round to nearest, ties to even.
        let r = x.round();
        let r = if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
            r - x.signum()
        } else {
            r
        };
        return Ok(T::from_i128(r as i128));
    }
    // Step 8. NaN, 0 and infinities are 0.
    if !x.is_finite() || x == 0.0 {
        return Ok(T::from_i128(0));
    }
    // Steps 9-11. IntegerPart, modulo 2^bitLength, and the signed wrap. The f64 remainder
    // (exact, |m| < 2^bitLength) is finished in i128 so 64-bit results keep every bit.
    let modulus = 1i128 << T::BITS;
    let m = (x.trunc() % (modulus as f64)) as i128;
    let mut r = m.rem_euclid(modulus);
    if T::SIGNED && r >= modulus / 2 {
        r -= modulus;
    }
    Ok(T::from_i128(r))
}

/// `double` / `unrestricted double`.
pub fn to_f64<'js>(
    ctx: &Ctx<'js>,
    v: &Value<'js>,
    unrestricted: bool,
    what: &str,
) -> Fallible<f64> {
    let x = to_number(ctx, v)?;
    if !unrestricted && !x.is_finite() {
        return Err(Error::Type(format!(
            "{what}: value is not a finite floating-point value"
        )));
    }
    Ok(x)
}

/// `float` / `unrestricted float`.
pub fn to_f32<'js>(
    ctx: &Ctx<'js>,
    v: &Value<'js>,
    unrestricted: bool,
    what: &str,
) -> Fallible<f32> {
    let x = to_number(ctx, v)?;
    if !unrestricted && !x.is_finite() {
        return Err(Error::Type(format!(
            "{what}: value is not a finite floating-point value"
        )));
    }
    let y = x as f32;
    if !unrestricted && !y.is_finite() {
        return Err(Error::Type(format!(
            "{what}: value is out of range for float"
        )));
    }
    Ok(y)
}

pub fn to_boolean(v: &Value<'_>) -> bool {
    if let Some(b) = v.as_bool() {
        return b;
    }
    unsafe { qjs::JS_ToBool(v.ctx().as_raw().as_ptr(), v.as_raw()) == 1 }
}

/// Reads a JS string; lone surrogates become U+FFFD (what USVString requires).
fn js_string_to_rust(ctx: &Ctx<'_>, s: &Value<'_>) -> Fallible<String> {
    js_string_with(ctx, s, |bytes| match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => wtf8_to_utf8(bytes),
    })
}

/// `f` over the WTF-8 bytes QuickJS gives for a string value.
fn js_string_with<T>(ctx: &Ctx<'_>, s: &Value<'_>, f: impl FnOnce(&[u8]) -> T) -> Fallible<T> {
    let mut len: usize = 0;
    let ptr = unsafe { qjs::JS_ToCStringLen(ctx.as_raw().as_ptr(), &mut len, s.as_raw()) };
    if ptr.is_null() {
        return Err(Error::JsException);
    }
    let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, len) };
    let out = f(bytes);
    unsafe { qjs::JS_FreeCString(ctx.as_raw().as_ptr(), ptr) };
    Ok(out)
}

/// QuickJS encodes lone surrogates as 3-byte sequences `ED A0..BF xx`; each becomes U+FFFD.
fn wtf8_to_utf8(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xED && i + 2 < bytes.len() && (0xA0..=0xBF).contains(&bytes[i + 1]) {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// ECMAScript ToString (may run script; Symbol is a TypeError), lone surrogates replaced.
fn to_js_string<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<String> {
    to_string_value(ctx, v).and_then(|s| js_string_to_rust(ctx, &s))
}

/// ECMAScript ToString, as a string value.
fn to_string_value<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<Value<'js>> {
    if v.is_string() {
        return Ok(v.clone());
    }
    if v.is_symbol() {
        return Err(Error::Type(
            "Cannot convert a Symbol value to a string".into(),
        ));
    }
    let s = unsafe { qjs::JS_ToString(ctx.as_raw().as_ptr(), v.as_raw()) };
    let s = unsafe { Value::from_raw(ctx.clone(), s) };
    if s.is_exception() {
        return Err(Error::JsException);
    }
    Ok(s)
}

/// `DOMString` ([LegacyNullToEmptyString] maps null to ""): every code unit kept, lone
/// surrogates escaped ([`super::domstring`]).
pub fn to_dom_string<'js>(ctx: &Ctx<'js>, v: &Value<'js>, null_to_empty: bool) -> Fallible<String> {
    if null_to_empty && v.is_null() {
        return Ok(String::new());
    }
    let s = to_string_value(ctx, v)?;
    js_string_with(ctx, &s, super::domstring::from_wtf8)
}

/// `USVString`: ToString, then lone surrogates become U+FFFD.
pub fn to_usv_string<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<String> {
    to_js_string(ctx, v)
}

/// `ByteString`: ToString, then every code unit must be at most 0xFF.
pub fn to_byte_string<'js>(ctx: &Ctx<'js>, v: &Value<'js>, what: &str) -> Fallible<ByteString> {
    let s = to_js_string(ctx, v)?;
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) > 0xFF {
            return Err(Error::Type(format!(
                "{what}: not a ByteString (contains {c:?})"
            )));
        }
        out.push(c as u32 as u8);
    }
    Ok(ByteString(out))
}

pub fn to_object<'js>(_ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<Object<'js>> {
    v.into_object()
        .ok_or_else(|| Error::Type(format!("{what} is not an object")))
}

pub fn to_symbol<'js>(_ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<Value<'js>> {
    if v.is_symbol() {
        Ok(v)
    } else {
        Err(Error::Type(format!("{what} is not a symbol")))
    }
}

/// `bigint` (ToBigInt): Numbers, undefined, null and symbols are TypeErrors; strings,
/// booleans and objects convert through the realm's intrinsic `BigInt`.
pub fn to_bigint<'js>(ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<Value<'js>> {
    if v.is_big_int() {
        return Ok(v);
    }
    if v.is_number() || v.is_undefined() || v.is_null() || v.is_symbol() {
        return Err(Error::Type(format!(
            "{what} cannot be converted to a BigInt"
        )));
    }
    let big = super::realm::intrinsic(ctx, super::realm::Intrinsic::BigInt)
        .ok_or_else(|| Error::Type("no BigInt in this realm".into()))?;
    call_function(ctx, &big, Value::new_undefined(ctx.clone()), vec![v])
}

pub fn is_array_buffer(v: &Value<'_>) -> bool {
    unsafe { qjs::JS_IsArrayBuffer(v.as_raw()) }
}

pub fn buffer_view_kind(v: &Value<'_>) -> Option<BufferViewKind> {
    if !v.is_object() {
        return None;
    }
    if unsafe { qjs::JS_IsDataView(v.as_raw()) } {
        return Some(BufferViewKind::DataView);
    }
    let t = unsafe { qjs::JS_GetTypedArrayType(v.as_raw()) };
    use BufferViewKind::*;
    Some(match t as u32 {
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_UINT8C => Uint8ClampedArray,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_INT8 => Int8Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_UINT8 => Uint8Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_INT16 => Int16Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_UINT16 => Uint16Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_INT32 => Int32Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_UINT32 => Uint32Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_BIG_INT64 => BigInt64Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_BIG_UINT64 => BigUint64Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_FLOAT16 => Float16Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_FLOAT32 => Float32Array,
        x if x == qjs::JSTypedArrayEnum_JS_TYPED_ARRAY_FLOAT64 => Float64Array,
        _ => return None,
    })
}

pub fn to_array_buffer<'js>(
    _ctx: &Ctx<'js>,
    v: Value<'js>,
    what: &str,
) -> Fallible<ArrayBuffer<'js>> {
    if !is_array_buffer(&v) {
        return Err(Error::Type(format!("{what} is not an ArrayBuffer")));
    }
    v.into_object()
        .and_then(ArrayBuffer::from_object)
        .ok_or_else(|| Error::Type(format!("{what} is not an ArrayBuffer")))
}

pub fn to_buffer_view<'js>(
    _ctx: &Ctx<'js>,
    v: Value<'js>,
    kind: BufferViewKind,
    what: &str,
) -> Fallible<BufferView<'js>> {
    if buffer_view_kind(&v) != Some(kind) {
        return Err(Error::Type(format!("{what} is not a {kind:?}")));
    }
    let object = v
        .into_object()
        .ok_or_else(|| Error::Type(format!("{what} is not a {kind:?}")))?;
    Ok(BufferView { object, kind })
}

pub fn is_platform_object(v: &Value<'_>) -> bool {
    super::realm::is_platform_object(v)
}

/// An interface type: the value must be a platform object implementing it.
pub fn to_interface<'js, T: DomInterface<'js>>(
    _ctx: &Ctx<'js>,
    v: &Value<'js>,
    what: &str,
) -> Fallible<Dom<'js, T>> {
    T::unwrap(v).ok_or_else(|| {
        let name = std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("")
            .trim_end_matches("<'_>");
        Error::Type(format!(
            "{what} is not of type '{}'",
            name.split('<').next().unwrap_or(name)
        ))
    })
}

/// An enumeration: ToString, then one of the values, else TypeError.
pub fn to_enum<'js, E: IdlEnum>(ctx: &Ctx<'js>, v: &Value<'js>, what: &str) -> Fallible<E> {
    let s = to_js_string(ctx, v)?;
    E::from_str(&s).ok_or_else(|| {
        Error::Type(format!(
            "{what}: The provided value '{s}' is not a valid enum value of type {}.",
            E::NAME
        ))
    })
}

/// Nullable types: null and undefined are None.
pub fn nullable<'js, T>(
    v: Value<'js>,
    f: impl FnOnce(Value<'js>) -> Fallible<T>,
) -> Fallible<Option<T>> {
    if v.is_null() || v.is_undefined() {
        Ok(None)
    } else {
        f(v).map(Some)
    }
}

/// GetMethod(V, @@iterator) is not undefined.
pub fn has_iterator<'js>(_ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<bool> {
    let Some(obj) = v.as_object() else {
        return Ok(false);
    };
    let method: Value = obj.get(PredefinedAtom::SymbolIterator)?;
    Ok(!(method.is_undefined() || method.is_null()))
}

/// The most elements a sequence may have. A sparse Array of length 2^32 - 1, or an endless
/// iterator, would otherwise be converted until memory runs out, without bytecode running
/// that the script timeout could stop; Chromium's bindings throw the same RangeError for
/// lengths past what they can allocate.
pub const MAX_SEQUENCE_LENGTH: usize = 1 << 22;

fn sequence_too_long(what: &str) -> Error {
    Error::Range(format!(
        "{what}: the sequence is longer than the supported limit ({MAX_SEQUENCE_LENGTH} elements)"
    ))
}

/// Sequences: "create a sequence from an iterable" with the iterator protocol.
pub fn to_sequence<'js, T>(
    ctx: &Ctx<'js>,
    v: Value<'js>,
    what: &str,
    mut f: impl FnMut(&Ctx<'js>, Value<'js>) -> Fallible<T>,
) -> Fallible<Vec<T>> {
    let Some(obj) = super::realm::object_ref(&v) else {
        return Err(Error::Type(format!("{what} is not an iterable object")));
    };
    let method: Value = obj.get(PredefinedAtom::SymbolIterator)?;
    // SAFETY (`ref_function`): checked to be a function.
    let Some(method) = method
        .is_function()
        .then(|| unsafe { method.ref_function() })
    else {
        return Err(Error::Type(format!(
            "{what}: the object must have a callable @@iterator property"
        )));
    };
    if obj.is_array() && is_intrinsic_array_values(ctx, method.as_value()) {
        return array_sequence(ctx, obj, what, f);
    }
    let iterator: Value = call_function(ctx, method.as_value(), v.clone(), Vec::new())?;
    let iterator = iterator
        .into_object()
        .ok_or_else(|| Error::Type(format!("{what}: the iterator is not an object")))?;
    let next: Value = iterator.get("next")?;
    let mut out = Vec::new();
    loop {
        let result = call_function(ctx, &next, iterator.clone().into_value(), Vec::new())?;
        let result = result
            .into_object()
            .ok_or_else(|| Error::Type(format!("{what}: iterator result is not an object")))?;
        let done: Value = result.get("done")?;
        if to_boolean(&done) {
            break;
        }
        if out.len() == MAX_SEQUENCE_LENGTH {
            return Err(sequence_too_long(what));
        }
        let value: Value = result.get("value")?;
        out.push(f(ctx, value)?);
    }
    Ok(out)
}

/// Whether `method` is this realm's `%Array.prototype.values%` and its iterators' `next` is
/// still the intrinsic one (see `realm::array_iteration_intact`).
fn is_intrinsic_array_values<'js>(ctx: &Ctx<'js>, method: &Value<'js>) -> bool {
    super::realm::is_intrinsic(ctx, super::realm::Intrinsic::ArrayValues, method)
        && super::realm::array_iteration_intact(ctx)
}

/// "Create a sequence from an iterable" for an Array iterated by the intrinsic array iterator,
/// without the iterator: each step reads `length`, then the element, as
/// `%ArrayIteratorPrototype%.next` does (an element's getter, or a conversion, may change
/// the array), with nothing else script could observe (the iterator and its result objects
/// are the engine's own). Engines take this fast path too; the iterator protocol made
/// `structuredClone(v, { transfer: [] })` spend most of its time on the empty list.
fn array_sequence<'js, T>(
    ctx: &Ctx<'js>,
    array: &Object<'js>,
    what: &str,
    mut f: impl FnMut(&Ctx<'js>, Value<'js>) -> Fallible<T>,
) -> Fallible<Vec<T>> {
    let mut out = Vec::new();
    let mut index: u32 = 0;
    loop {
        // An Array's `length` is an own data property (a uint32): no script runs.
        let length: f64 = array.get(PredefinedAtom::Length)?;
        if f64::from(index) >= length {
            break;
        }
        // (The iterator would give `length` elements: refused before they are read.)
        if length > MAX_SEQUENCE_LENGTH as f64 {
            return Err(sequence_too_long(what));
        }
        let value: Value = array.get(index)?;
        out.push(f(ctx, value)?);
        index = match index.checked_add(1) {
            Some(i) => i,
            None => break,
        };
    }
    Ok(out)
}

/// Records: own enumerable string keys, in order; a later duplicate key replaces.
pub fn to_record<'js, K: PartialEq, V>(
    ctx: &Ctx<'js>,
    v: Value<'js>,
    what: &str,
    mut fk: impl FnMut(&Ctx<'js>, Value<'js>) -> Fallible<K>,
    mut fv: impl FnMut(&Ctx<'js>, Value<'js>) -> Fallible<V>,
) -> Fallible<Vec<(K, V)>> {
    let Some(obj) = v.as_object() else {
        return Err(Error::Type(format!("{what} is not an object")));
    };
    let mut out: Vec<(K, V)> = Vec::new();
    for key in obj.own_keys::<Value>(Filter::new().string().enum_only()) {
        let key = key?;
        let value: Value = obj.get(key.clone())?;
        let k = fk(ctx, key)?;
        let v = fv(ctx, value)?;
        if let Some(existing) = out.iter_mut().find(|(ek, _)| *ek == k) {
            existing.1 = v;
        } else {
            out.push((k, v));
        }
    }
    Ok(out)
}

/// `Promise<T>`: a new promise resolved with the value (WebIDL "ES to promise").
pub fn to_promise<'js>(ctx: &Ctx<'js>, v: Value<'js>) -> Fallible<Promise<'js>> {
    let (promise, resolve, _reject) = ctx.promise()?;
    resolve.call::<_, ()>((v,))?;
    Ok(promise)
}

/// A JS value for an IDL literal (union defaults).
pub fn literal<'js, T: ToJsValue<'js>>(ctx: &Ctx<'js>, lit: T) -> Fallible<Value<'js>> {
    lit.to_js(ctx)
}

/// "ES to dictionary" steps 1-2: undefined/null read as empty, other non-objects fail.
pub fn dictionary_object<'js>(
    _ctx: &Ctx<'js>,
    v: &Value<'js>,
    name: &str,
    what: &str,
) -> Fallible<Option<Object<'js>>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_object() {
        Some(o) => Ok(Some(o.clone())),
        None => Err(Error::Type(format!(
            "{what}: the value is not of type '{name}'"
        ))),
    }
}

/// Get(O, key) for a dictionary member; undefined is "not present".
pub fn dictionary_member<'js>(
    _ctx: &Ctx<'js>,
    object: &Option<Object<'js>>,
    key: &str,
) -> Fallible<Option<Value<'js>>> {
    let Some(obj) = object else {
        return Ok(None);
    };
    let v: Value = obj.get(key)?;
    Ok(if v.is_undefined() { None } else { Some(v) })
}

/// "Dictionary to ES" for one present member: CreateDataProperty(O, key, value).
pub fn write_member<'js, T: ToJsValue<'js>>(
    ctx: &Ctx<'js>,
    object: &Object<'js>,
    key: &str,
    value: T,
) -> Fallible<()> {
    super::realm::define_data(object, key, value.to_js(ctx)?, true, true, true)
}

pub fn union_error(what: &str, type_name: &str) -> Error {
    Error::Type(format!("{what}: the value is not of type '{type_name}'"))
}

/// Call(F, thisArg, args); a throw is left pending and reported as [`Error::JsException`].
pub fn call_function<'js>(
    ctx: &Ctx<'js>,
    f: &Value<'js>,
    this_arg: Value<'js>,
    args: Vec<Value<'js>>,
) -> Fallible<Value<'js>> {
    let func = f
        .as_function()
        .ok_or_else(|| Error::Type("not a function".into()))?;
    let mut a = Args::new(ctx.clone(), args.len());
    a.this(this_arg)?;
    for v in args {
        a.push_arg(v)?;
    }
    let result = func.call_arg::<Value>(a).map_err(Error::from);
    // A callback called with no script on the stack (an event the user agent dispatched, a
    // timer): its microtasks run before the next callback, as after any script.
    if result.is_ok() {
        crate::script_thread::clean_up_after_running_script(ctx);
    }
    result
}

/// WebIDL "call a user object's operation": a callable object is called with `this_arg`;
/// otherwise its `op` property must be callable and is called with the object as `this`.
pub fn user_object_operation<'js>(
    _ctx: &Ctx<'js>,
    object: &Object<'js>,
    op: &str,
    this_arg: Value<'js>,
) -> Fallible<(Value<'js>, Value<'js>)> {
    if object.as_value().is_function() {
        return Ok((object.clone().into_value(), this_arg));
    }
    let f: Value = object.get(op)?;
    if !f.is_function() {
        return Err(Error::Type(format!(
            "the object's '{op}' property is not callable"
        )));
    }
    Ok((f, object.clone().into_value()))
}

/// A short human-readable form of any value (console, logs), without throwing.
pub fn display_value(v: &Value<'_>) -> String {
    if v.is_undefined() {
        return "undefined".into();
    }
    if v.is_null() {
        return "null".into();
    }
    if let Some(b) = v.as_bool() {
        return b.to_string();
    }
    if let Some(n) = v.as_number() {
        return format_number(n);
    }
    let ctx = v.ctx().clone();
    if v.is_symbol() {
        return "Symbol()".into();
    }
    match to_js_string(&ctx, v) {
        Ok(s) => s,
        Err(_) => {
            ctx.catch();
            "[object]".into()
        }
    }
}

/// Number -> string as JS prints it for the common cases.
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// A `record<K, V>` as a JS object (WebIDL "record → ECMAScript"): each key a data property,
/// in order.
pub fn record_to_js<'js, K: RecordKey, V: ToJsValue<'js>>(
    ctx: &Ctx<'js>,
    record: Vec<(K, V)>,
) -> Fallible<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    for (k, v) in record {
        super::realm::define_data(&o, k.key_string().as_str(), v.to_js(ctx)?, true, true, true)?;
    }
    Ok(o.into_value())
}

/// A record's key type (DOMString, USVString or ByteString) as a property name.
pub trait RecordKey {
    fn key_string(&self) -> String;
}

impl RecordKey for String {
    fn key_string(&self) -> String {
        self.clone()
    }
}

impl RecordKey for ByteString {
    fn key_string(&self) -> String {
        self.to_latin1_string()
    }
}
