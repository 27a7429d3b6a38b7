//! <https://w3c.github.io/IndexedDB/#key-path-construct>: valid key paths, extracting keys
//! from values and injecting generated keys into them.

use super::keys::{
    convert_a_key_to_a_value, convert_a_value_to_a_key, convert_a_value_to_a_multi_entry_key,
};
use crate::dom::bindings::codegen::StringOrStringSequence;
use crate::dom::bindings::codegen_prelude::*;
use net_traits::indexed_db::{Key, KeyPath};
use rquickjs::Array;

/// The IDL `(DOMString or sequence<DOMString>)` as a key path.
pub fn key_path_from_idl(p: StringOrStringSequence) -> KeyPath {
    match p {
        StringOrStringSequence::String(s) => KeyPath::String(s.to_string()),
        StringOrStringSequence::StringSequence(v) => {
            KeyPath::Sequence(v.into_iter().map(|s| s.to_string()).collect())
        }
    }
}

/// <https://w3c.github.io/IndexedDB/#valid-key-path>
pub fn is_valid_key_path(path: &KeyPath) -> bool {
    match path {
        KeyPath::String(s) => is_valid_string_key_path(s),
        // A non-empty list of strings that are each valid key paths.
        KeyPath::Sequence(v) => !v.is_empty() && v.iter().all(|s| is_valid_string_key_path(s)),
    }
}

/// The empty string, an identifier, or identifiers separated by periods.
fn is_valid_string_key_path(s: &str) -> bool {
    s.is_empty() || s.split('.').all(is_identifier_name)
}

/// ECMAScript's IdentifierName (Unicode ID_Start/ID_Continue approximated by the
/// alphabetic and numeric classes, plus `$`, `_`, ZWNJ and ZWJ).
fn is_identifier_name(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '$' || first == '_' || first.is_alphabetic())
        && chars.all(|c| {
            c == '$' || c == '_' || c == '\u{200c}' || c == '\u{200d}' || c.is_alphanumeric()
        })
}

/// The key path as JS sees it (`keyPath` attributes): a string or a new array of strings.
pub fn key_path_to_value<'js>(ctx: &Ctx<'js>, path: Option<&KeyPath>) -> Fallible<Value<'js>> {
    Ok(match path {
        None => Value::new_null(ctx.clone()),
        Some(KeyPath::String(s)) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        Some(KeyPath::Sequence(v)) => {
            let a = Array::new(ctx.clone())?;
            for (i, s) in v.iter().enumerate() {
                a.set(i, s.as_str())?;
            }
            a.into_value()
        }
    })
}

/// <https://w3c.github.io/IndexedDB/#evaluate-a-key-path-on-a-value>: `Ok(None)` is
/// failure.
pub fn evaluate_a_key_path_on_a_value<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    path: &KeyPath,
) -> Fallible<Option<Value<'js>>> {
    match path {
        // Step 1. A list: evaluate each, into a new array.
        KeyPath::Sequence(paths) => {
            let result = Array::new(ctx.clone())?;
            for (i, p) in paths.iter().enumerate() {
                let Some(key) = evaluate_string(ctx, value, p)? else {
                    return Ok(None);
                };
                result.set(i, key)?;
            }
            Ok(Some(result.into_value()))
        }
        KeyPath::String(p) => evaluate_string(ctx, value, p),
    }
}

fn evaluate_string<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    path: &str,
) -> Fallible<Option<Value<'js>>> {
    // Step 2. The empty string: the value itself.
    if path.is_empty() {
        return Ok(Some(value.clone()));
    }
    // Steps 3-4. Each identifier in turn.
    let mut value = value.clone();
    for identifier in path.split('.') {
        // Step 4.1. A String's length.
        if value.is_string() && identifier == "length" {
            let units = super::keys::utf16_of(ctx, &value)?;
            value = Value::new_number(ctx.clone(), units.len() as f64);
            continue;
        }
        // Step 4.2. An Array's length.
        if value.is_array() && identifier == "length" {
            let len = value.as_array().map(|a| a.len()).unwrap_or(0);
            value = Value::new_number(ctx.clone(), len as f64);
            continue;
        }
        // Steps 4.3-4.6. A Blob's size and type, a File's name and lastModified.
        if let Some(v) = blob_attribute(ctx, &value, identifier)? {
            value = v;
            continue;
        }
        // Step 4.7. Not an object: failure.
        let Some(object) = value.as_object().cloned() else {
            return Ok(None);
        };
        // Steps 4.7.2-4.7.4. An own property, or failure; then its value.
        if !has_own_property(ctx, &object, identifier)? {
            return Ok(None);
        }
        value = object.get(identifier)?;
    }
    // Step 5. Assert: value is not an abrupt completion. Step 6. Return a copy of value.
    Ok(Some(value))
}

/// Steps 4.3-4.6 of evaluating a key path.
fn blob_attribute<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    identifier: &str,
) -> Fallible<Option<Value<'js>>> {
    use crate::dom::blob::Blob;
    use crate::dom::file::File;
    if let Some(file) = <File as DomInterface>::unwrap(value) {
        match identifier {
            "name" => {
                return Ok(Some(
                    rquickjs::String::from_str(ctx.clone(), file.name_string())?.into_value(),
                ))
            }
            "lastModified" => {
                return Ok(Some(Value::new_number(
                    ctx.clone(),
                    file.last_modified_ms() as f64,
                )))
            }
            _ => {}
        }
    }
    if let Some(blob) = <Blob as DomInterface>::unwrap(value) {
        match identifier {
            "size" => {
                return Ok(Some(Value::new_number(
                    ctx.clone(),
                    blob.bytes().len() as f64,
                )))
            }
            "type" => {
                return Ok(Some(
                    rquickjs::String::from_str(ctx.clone(), blob.type_string())?.into_value(),
                ))
            }
            _ => {}
        }
    }
    Ok(None)
}

/// ECMAScript HasOwnProperty(O, P).
fn has_own_property<'js>(ctx: &Ctx<'js>, object: &Object<'js>, key: &str) -> Fallible<bool> {
    let has_own = crate::dom::bindings::realm::intrinsic(
        ctx,
        crate::dom::bindings::realm::Intrinsic::ObjectHasOwn,
    )
    .and_then(|f| f.as_function().cloned())
    .ok_or_else(|| Error::Type("no Object.hasOwn".into()))?;
    Ok(has_own.call::<_, bool>((object.clone(), key))?)
}

/// <https://w3c.github.io/IndexedDB/#extract-a-key-from-a-value-using-a-key-path>: the key
/// (`Ok(Some(Some(key)))`), invalid (`Ok(Some(None))`) or failure (`Ok(None)`).
pub fn extract_a_key_from_a_value_using_a_key_path<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    path: &KeyPath,
    multi_entry: bool,
) -> Fallible<Option<Option<Key>>> {
    // Step 1. Evaluate the key path; failure is failure.
    let Some(r) = evaluate_a_key_path_on_a_value(ctx, value, path)? else {
        return Ok(None);
    };
    // Steps 3-4. Convert to a key (a multiEntry key for a multiEntry index).
    let key = if multi_entry && matches!(path, KeyPath::String(_)) {
        convert_a_value_to_a_multi_entry_key(ctx, &r)?
    } else {
        convert_a_value_to_a_key(ctx, &r)?
    };
    Ok(Some(key))
}

/// <https://w3c.github.io/IndexedDB/#check-that-a-key-could-be-injected-into-a-value>
pub fn check_that_a_key_could_be_injected_into_a_value<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    path: &str,
) -> Fallible<bool> {
    // Steps 1-3. The identifiers but the last.
    let identifiers: Vec<&str> = path.split('.').collect();
    let mut value = value.clone();
    for identifier in &identifiers[..identifiers.len() - 1] {
        // Step 4.1. Not an Object or Array: false.
        let Some(object) = value.as_object().cloned() else {
            return Ok(false);
        };
        // Steps 4.2-4.3. A missing property can be created: true.
        if !has_own_property(ctx, &object, identifier)? {
            return Ok(true);
        }
        // Step 4.4.
        value = object.get(*identifier)?;
    }
    // Step 5. True if value is an Object or an Array.
    Ok(value.is_object())
}

/// <https://w3c.github.io/IndexedDB/#inject-a-key-into-a-value-using-a-key-path>
pub fn inject_a_key_into_a_value_using_a_key_path<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    key: &Key,
    path: &str,
) -> Fallible<()> {
    // Step 6. keyValue = the key converted to a value; steps 1-5 and 7: where it goes.
    let key_value = convert_a_key_to_a_value(ctx, key)?;
    inject_a_value_using_a_key_path(ctx, value, key_value, path)
}

/// Steps 1-5 and 7 of injecting a key: `value` is put where the key at `path` goes, with
/// the objects on the way made when missing.
pub fn inject_a_value_using_a_key_path<'js>(
    ctx: &Ctx<'js>,
    target: &Value<'js>,
    value: Value<'js>,
    path: &str,
) -> Fallible<()> {
    let identifiers: Vec<&str> = path.split('.').collect();
    let (last, rest) = identifiers
        .split_last()
        .expect("split yields one item at least");
    let mut target = target.clone();
    for identifier in rest {
        let Some(object) = target.as_object().cloned() else {
            return Ok(());
        };
        if !has_own_property(ctx, &object, identifier)? {
            let o = Object::new(ctx.clone())?;
            create_data_property(&object, identifier, o.clone().into_value())?;
            target = o.into_value();
        } else {
            target = object.get(*identifier)?;
        }
    }
    if let Some(object) = target.as_object() {
        create_data_property(object, last, value)?;
    }
    Ok(())
}

/// ECMAScript CreateDataProperty: an own, writable, enumerable, configurable property
/// (no setter on the prototype chain runs).
fn create_data_property<'js>(object: &Object<'js>, key: &str, value: Value<'js>) -> Fallible<()> {
    use rquickjs::object::Property;
    object.prop(
        key,
        Property::from(value).writable().enumerable().configurable(),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_key_paths() {
        let s = |x: &str| KeyPath::String(x.into());
        assert!(is_valid_key_path(&s("")));
        assert!(is_valid_key_path(&s("a")));
        assert!(is_valid_key_path(&s("a.b_c.$d")));
        assert!(is_valid_key_path(&s("été")));
        assert!(!is_valid_key_path(&s("a.")));
        assert!(!is_valid_key_path(&s(".a")));
        assert!(!is_valid_key_path(&s("1a")));
        assert!(!is_valid_key_path(&s("a b")));
        assert!(!is_valid_key_path(&s("a..b")));
        assert!(!is_valid_key_path(&KeyPath::Sequence(vec![])));
        assert!(is_valid_key_path(&KeyPath::Sequence(vec![
            "a".into(),
            "".into()
        ])));
        assert!(!is_valid_key_path(&KeyPath::Sequence(vec![
            "a".into(),
            " ".into()
        ])));
    }
}
