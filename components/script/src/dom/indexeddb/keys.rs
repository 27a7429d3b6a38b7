//! <https://w3c.github.io/IndexedDB/#key-construct>: JS values to keys and back, and key
//! ranges from queries.

use crate::dom::bindings::codegen::BufferSource;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::bindings::realm::Intrinsic;
use crate::dom::bindings::structuredclone::{raw_is, slot_of, string_bytes, string_from_bytes};
use net_traits::indexed_db::{Key, KeyBytes, KeyRange};
use rquickjs::{qjs, Array};

/// "DataError" with `message`.
pub fn data_error(message: &str) -> Error {
    Error::dom(DomErrorName::DataError, message)
}

/// <https://w3c.github.io/IndexedDB/#convert-value-to-key>: `Ok(None)` is "invalid"; an
/// exception a getter threw is `Err`.
pub fn convert_a_value_to_a_key<'js>(ctx: &Ctx<'js>, input: &Value<'js>) -> Fallible<Option<Key>> {
    convert_with_seen(ctx, input, &mut Vec::new(), 0)
}

/// Array keys nested deeper than this are invalid (as the structured serializer's limit,
/// and Chromium's): a page cannot exhaust the thread's stack with a deep array.
pub const MAX_KEY_DEPTH: usize = net_traits::indexed_db::MAX_DEPTH;

fn convert_with_seen<'js>(
    ctx: &Ctx<'js>,
    input: &Value<'js>,
    seen: &mut Vec<Object<'js>>,
    depth: usize,
) -> Fallible<Option<Key>> {
    if depth > MAX_KEY_DEPTH {
        return Ok(None);
    }
    // Step 2. If seen contains input, return invalid.
    if let Some(o) = input.as_object() {
        if seen.iter().any(|s| s == o) {
            return Ok(None);
        }
    }
    // Step 3. Number: NaN is invalid, otherwise a number key.
    if let Some(n) = input.as_number() {
        return Ok((!n.is_nan()).then_some(Key::Number(n)));
    }
    // String.
    if input.is_string() {
        return Ok(Some(Key::String(utf16_of(ctx, input)?)));
    }
    let Some(object) = input.as_object() else {
        return Ok(None);
    };
    // Date: its time value, unless NaN.
    if raw_is(input, qjs::JS_IsDate) {
        let t = slot_of(ctx, Intrinsic::DateGetTime, input)
            .and_then(|v| v.as_number())
            .unwrap_or(f64::NAN);
        return Ok((!t.is_nan()).then_some(Key::Date(t)));
    }
    // Buffer source: a detached one is "invalid value" (the spec since w3c/IndexedDB#417;
    // the 2021 upstream test still expects the TypeError of before), else a copy of its
    // bytes.
    if raw_is(input, qjs::JS_IsArrayBuffer) && ArrayBuffer::from_object(object.clone()).is_none() {
        let _ = ctx.catch();
        return Ok(None);
    }
    if ArrayBuffer::from_object(object.clone()).is_some() || conv::buffer_view_kind(input).is_some()
    {
        let source = BufferSource::from_js(ctx, input.clone(), "key")?;
        return Ok(Some(Key::Binary(
            crate::dom::bindings::buffer_source::buffer_source_bytes(&source)?,
        )));
    }
    // Array exotic object: each own index converted, in order.
    if input.is_array() {
        // Step 1. Let len be ? ToLength( ? Get(input, "length")).
        let len = input.as_array().map(|a| a.len()).unwrap_or(0);
        // Step 2. Append input to seen.
        seen.push(object.clone());
        let mut keys = Vec::with_capacity(len);
        for index in 0..len {
            // Step 5.1-5.2. hop = ? HasOwnProperty(input, index); false is invalid.
            let hop: bool = object.contains_key(index as u32)?;
            if !hop {
                return Ok(None);
            }
            // Step 5.3. entry = ? Get(input, index).
            let entry: Value = object.get(index as u32)?;
            // Step 5.4-5.5. key = convert entry (seen); invalid makes all invalid.
            let Some(key) = convert_with_seen(ctx, &entry, seen, depth + 1)? else {
                return Ok(None);
            };
            keys.push(key);
        }
        return Ok(Some(Key::Array(keys)));
    }
    // The placeholder of a key the key generator will make (index keys only).
    if object.contains_key(PLACEHOLDER)? {
        return Ok(Some(Key::Number(f64::NAN)));
    }
    // Otherwise, invalid.
    Ok(None)
}

/// The property that marks [`generated_key_placeholder`] objects.
const PLACEHOLDER: &str = "\u{0}indexeddb generated key";

/// An object that converts to the NaN number key: put in a clone where the key generator's
/// key will be, it makes the index keys the service completes (no script sees it).
pub fn generated_key_placeholder<'js>(ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set(PLACEHOLDER, true)?;
    Ok(o.into_value())
}

/// <https://w3c.github.io/IndexedDB/#convert-a-value-to-a-multientry-key>
pub fn convert_a_value_to_a_multi_entry_key<'js>(
    ctx: &Ctx<'js>,
    input: &Value<'js>,
) -> Fallible<Option<Key>> {
    if !input.is_array() {
        return convert_a_value_to_a_key(ctx, input);
    }
    let object = input.as_object().cloned().expect("an array is an object");
    let len = input.as_array().map(|a| a.len()).unwrap_or(0);
    let mut seen = vec![object.clone()];
    let mut keys: Vec<Key> = Vec::new();
    for index in 0..len {
        // Step 3.5.1. hop; a hole is skipped.
        if !object.contains_key(index as u32)? {
            continue;
        }
        let entry: Value = object.get(index as u32)?;
        // Steps 3.5.2-3.5.3. Invalid keys and duplicates are skipped.
        if let Some(key) = convert_with_seen(ctx, &entry, &mut seen, 1)? {
            if !keys.iter().any(|k| k.compare(&key).is_eq()) {
                keys.push(key);
            }
        }
    }
    Ok(Some(Key::Array(keys)))
}

/// <https://w3c.github.io/IndexedDB/#convert-a-key-to-a-value>
pub fn convert_a_key_to_a_value<'js>(ctx: &Ctx<'js>, key: &Key) -> Fallible<Value<'js>> {
    Ok(match key {
        Key::Number(n) => Value::new_number(ctx.clone(), *n),
        Key::Date(t) => {
            let date = crate::dom::bindings::realm::intrinsic_constructor(ctx, "Date")
                .ok_or_else(|| Error::Type("no Date constructor".into()))?;
            let ctor = Constructor::from_value(date.into_value())
                .map_err(|_| Error::Type("no Date constructor".into()))?;
            ctor.construct::<_, Value>((*t,))?
        }
        Key::String(units) => string_from_utf16(ctx, units)?,
        Key::Binary(bytes) => ArrayBuffer::new(ctx.clone(), bytes.clone())?.into_value(),
        Key::Array(items) => {
            let array = Array::new(ctx.clone())?;
            for (i, k) in items.iter().enumerate() {
                array.set(i, convert_a_key_to_a_value(ctx, k)?)?;
            }
            array.into_value()
        }
    })
}

/// The value of an encoded key (the service only gives back keys script sent it).
pub fn key_bytes_to_value<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> Fallible<Value<'js>> {
    let key = Key::decode(bytes)
        .ok_or_else(|| Error::dom(DomErrorName::UnknownError, "a stored key is corrupt"))?;
    convert_a_key_to_a_value(ctx, &key)
}

/// A string's UTF-16 code units (lone surrogates kept).
pub fn utf16_of<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> Fallible<Vec<u16>> {
    let bytes = string_bytes(ctx, v)?;
    Ok(wtf8_to_utf16(&bytes))
}

/// A JS string of UTF-16 code units (lone surrogates kept).
pub fn string_from_utf16<'js>(ctx: &Ctx<'js>, units: &[u16]) -> Fallible<Value<'js>> {
    string_from_bytes(ctx, &utf16_to_wtf8(units))
}

/// Decodes the generalized UTF-8 QuickJS gives strings in (surrogates may be encoded
/// alone as 3-byte sequences) to code units.
fn wtf8_to_utf16(bytes: &[u8]) -> Vec<u16> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (cp, n) = if b < 0x80 {
            (b as u32, 1)
        } else if b & 0xe0 == 0xc0 && i + 1 < bytes.len() {
            (((b as u32 & 0x1f) << 6) | (bytes[i + 1] as u32 & 0x3f), 2)
        } else if b & 0xf0 == 0xe0 && i + 2 < bytes.len() {
            (
                ((b as u32 & 0x0f) << 12)
                    | ((bytes[i + 1] as u32 & 0x3f) << 6)
                    | (bytes[i + 2] as u32 & 0x3f),
                3,
            )
        } else if b & 0xf8 == 0xf0 && i + 3 < bytes.len() {
            (
                ((b as u32 & 0x07) << 18)
                    | ((bytes[i + 1] as u32 & 0x3f) << 12)
                    | ((bytes[i + 2] as u32 & 0x3f) << 6)
                    | (bytes[i + 3] as u32 & 0x3f),
                4,
            )
        } else {
            (0xfffd, 1)
        };
        if cp >= 0x10000 {
            let c = cp - 0x10000;
            out.push(0xd800 | (c >> 10) as u16);
            out.push(0xdc00 | (c & 0x3ff) as u16);
        } else {
            out.push(cp as u16);
        }
        i += n;
    }
    out
}

/// The inverse of [`wtf8_to_utf16`]: pairs become 4-byte sequences, lone surrogates 3.
fn utf16_to_wtf8(units: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i] as u32;
        let cp = if (0xd800..0xdc00).contains(&u)
            && i + 1 < units.len()
            && (0xdc00..0xe000).contains(&(units[i + 1] as u32))
        {
            i += 1;
            0x10000 + ((u - 0xd800) << 10) + (units[i] as u32 - 0xdc00)
        } else {
            u
        };
        i += 1;
        match cp {
            0..=0x7f => out.push(cp as u8),
            0x80..=0x7ff => {
                out.extend_from_slice(&[0xc0 | (cp >> 6) as u8, 0x80 | (cp & 0x3f) as u8])
            }
            0x800..=0xffff => out.extend_from_slice(&[
                0xe0 | (cp >> 12) as u8,
                0x80 | ((cp >> 6) & 0x3f) as u8,
                0x80 | (cp & 0x3f) as u8,
            ]),
            _ => out.extend_from_slice(&[
                0xf0 | (cp >> 18) as u8,
                0x80 | ((cp >> 12) & 0x3f) as u8,
                0x80 | ((cp >> 6) & 0x3f) as u8,
                0x80 | (cp & 0x3f) as u8,
            ]),
        }
    }
    out
}

/// A valid key from `value`, or a "DataError" (what most methods do with a key argument).
pub fn value_to_key_or_data_error<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> Fallible<Key> {
    convert_a_value_to_a_key(ctx, value)?.ok_or_else(|| data_error("the value is not a valid key"))
}

/// <https://w3c.github.io/IndexedDB/#convert-a-value-to-a-key-range>: `null_disallowed`
/// makes null and undefined a "DataError" instead of the unbounded range.
pub fn convert_a_value_to_a_key_range<'js>(
    ctx: &Ctx<'js>,
    value: Option<&Value<'js>>,
    null_disallowed: bool,
) -> Fallible<KeyRange> {
    // Step 1. A key range is returned as is.
    if let Some(v) = value {
        if let Some(range) =
            <crate::dom::indexeddb::keyrange::IDBKeyRange as DomInterface>::unwrap(v)
        {
            return Ok(range.range());
        }
    }
    // Step 2. Undefined or null: unbounded, unless null is disallowed.
    let value = match value {
        None => None,
        Some(v) if v.is_undefined() || v.is_null() => None,
        Some(v) => Some(v),
    };
    let Some(value) = value else {
        if null_disallowed {
            return Err(data_error("a key or key range is required"));
        }
        return Ok(KeyRange::all());
    };
    // Steps 3-5. A key: the range containing only it.
    let key = value_to_key_or_data_error(ctx, value)?;
    Ok(KeyRange::only(key.encode()))
}

/// <https://w3c.github.io/IndexedDB/#potentially-valid-key-range>
pub fn is_a_potentially_valid_key_range(value: &Value<'_>) -> bool {
    if <crate::dom::indexeddb::keyrange::IDBKeyRange as DomInterface>::unwrap(value).is_some() {
        return true;
    }
    value.is_number()
        || value.is_string()
        || value.is_array()
        || raw_is(value, qjs::JS_IsDate)
        || value
            .as_object()
            .is_some_and(|o| ArrayBuffer::from_object(o.clone()).is_some())
        || conv::buffer_view_kind(value).is_some()
}

/// The key an encoded key is (for comparisons that need it decoded).
pub fn decode(bytes: &KeyBytes) -> Fallible<Key> {
    Key::decode(bytes)
        .ok_or_else(|| Error::dom(DomErrorName::UnknownError, "a stored key is corrupt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wtf8_round_trips_code_units() {
        for units in [
            vec![0x61, 0x62],
            vec![0xd83d, 0xde00],
            vec![0xd800],
            vec![0xdc00, 0x41],
            vec![0x7ff, 0x800, 0xffff, 0],
        ] {
            assert_eq!(wtf8_to_utf16(&utf16_to_wtf8(&units)), units);
        }
        assert_eq!(utf16_to_wtf8(&[0xd83d, 0xde00]), "😀".as_bytes());
    }
}
