//! HTML §2.6.1 "Reflecting content attributes in IDL attributes"
//! (<https://html.spec.whatwg.org/#reflecting-content-attributes-in-idl-attributes>): what the
//! generated default methods of `[Reflect]`ed attributes call (see the generator's
//! `emit/interface/reflect.rs` for the extended attributes), and the microsyntaxes they parse
//! (<https://html.spec.whatwg.org/#numbers>).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::domtokenlist::DOMTokenList;
use crate::dom::element::{this_element, Element};
use crate::dom::node::{self, Node};

/// The largest value a reflected `long` or `unsigned long` holds (2^31 - 1).
const MAX: i64 = 2147483647;

fn element<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Element<'js>>> {
    this_element(cx)
}

fn set<'js>(cx: &Cx<'js>, name: &str, value: String) -> Fallible<()> {
    let e = element(cx)?;
    e.set_attr(&cx.ctx, &e, name, value);
    Ok(())
}

/// DOMString: the attribute's value, or the empty string.
pub fn get_string<'js>(cx: &Cx<'js>, name: &str) -> Fallible<DOMString> {
    Ok(element(cx)?.get_attr(name).unwrap_or_default())
}

pub fn set_string<'js>(cx: &Cx<'js>, name: &str, value: DOMString) -> Fallible<()> {
    set(cx, name, value)
}

/// `DOMString?` that is not enumerated: null when the attribute is missing.
pub fn get_nullable_string<'js>(cx: &Cx<'js>, name: &str) -> Fallible<Option<DOMString>> {
    Ok(element(cx)?.get_attr(name))
}

/// The setter of a nullable reflected attribute: null removes the content attribute.
pub fn set_nullable_string<'js>(
    cx: &Cx<'js>,
    name: &str,
    value: Option<DOMString>,
) -> Fallible<()> {
    match value {
        Some(v) => set(cx, name, v),
        None => {
            let e = element(cx)?;
            e.remove_attr(&cx.ctx, &e, name);
            Ok(())
        }
    }
}

/// USVString holding a URL: the value resolved against the node document's base URL and
/// serialized, or the value itself when it does not parse.
pub fn get_url<'js>(cx: &Cx<'js>, name: &str) -> Fallible<USVString> {
    let e = element(cx)?;
    // Step 2. If contentAttributeValue is null, then return the empty string.
    let Some(value) = e.get_attr(name) else {
        return Ok(String::new());
    };
    // Steps 3-4. Encoding-parse-and-serialize it relative to the node document.
    Ok(resolve_url(&e, &value).unwrap_or(value))
}

/// <https://html.spec.whatwg.org/#encoding-parsing-and-serializing-a-url> relative to
/// `element`'s node document.
pub fn resolve_url<'js>(element: &Dom<'js, Element<'js>>, value: &str) -> Option<String> {
    let doc = node::node_document(&element.upcast::<Node>())?;
    doc.parse_url(value).ok().map(String::from)
}

/// boolean: whether the attribute is present.
pub fn get_bool<'js>(cx: &Cx<'js>, name: &str) -> Fallible<bool> {
    Ok(element(cx)?.has_attr(name))
}

/// true sets the attribute to the empty string, false removes it.
pub fn set_bool<'js>(cx: &Cx<'js>, name: &str, value: bool) -> Fallible<()> {
    let e = element(cx)?;
    e.set_bool_attr(&cx.ctx, &e, name, value);
    Ok(())
}

/// An enumerated attribute limited to only known values
/// (<https://html.spec.whatwg.org/#enumerated-attribute>): the canonical keyword of its
/// state, the missing value default's when absent, the invalid value default's when it
/// matches no keyword (or the empty value default's when empty). `None` is "no state".
pub fn get_enumerated<'js>(
    cx: &Cx<'js>,
    name: &str,
    keywords: &[&str],
    missing: Option<&str>,
    invalid: Option<&str>,
    empty: Option<&str>,
) -> Fallible<Option<DOMString>> {
    let Some(value) = element(cx)?.get_attr(name) else {
        return Ok(missing.map(str::to_string));
    };
    if value.is_empty() {
        if let Some(e) = empty {
            return Ok(Some(e.to_string()));
        }
    }
    if let Some(k) = keywords.iter().find(|k| k.eq_ignore_ascii_case(&value)) {
        return Ok(Some(k.to_string()));
    }
    Ok(invalid.map(str::to_string))
}

/// long (and "limited to only non-negative numbers").
pub fn get_long<'js>(
    cx: &Cx<'js>,
    name: &str,
    default: Option<i32>,
    non_negative: bool,
) -> Fallible<i32> {
    // Step 1. Let contentAttributeValue be the result of running this's get the content
    // attribute.
    let value = element(cx)?.get_attr(name);
    // Step 2. If contentAttributeValue is not null:
    if let Some(value) = value {
        // Step 2.1. Let parsedValue be the result of the rules for parsing (non-negative)
        // integers.
        let parsed = if non_negative {
            parse_non_negative_integer(&value)
        } else {
            parse_integer(&value)
        };
        // Step 2.2. If parsedValue is not an error and is within the long range, then return
        // parsedValue.
        if let Some(v) = parsed.filter(|v| (-MAX - 1..=MAX).contains(v)) {
            return Ok(v as i32);
        }
    }
    // Step 3. If the reflected IDL attribute has a default value, then return it.
    if let Some(d) = default {
        return Ok(d);
    }
    // Step 4. If limited to only non-negative numbers, then return -1.
    // Step 5. Return 0.
    Ok(if non_negative { -1 } else { 0 })
}

pub fn set_long<'js>(cx: &Cx<'js>, name: &str, value: i32, non_negative: bool) -> Fallible<()> {
    // Step 1. If limited to only non-negative numbers and the given value is negative, then
    // throw an "IndexSizeError" DOMException.
    if non_negative && value < 0 {
        return Err(Error::dom(
            DomErrorName::IndexSizeError,
            format!("{name} cannot be negative"),
        ));
    }
    // Step 2. Set the content attribute to the value as a valid integer.
    set(cx, name, value.to_string())
}

/// unsigned long (and "limited to only positive numbers", "clamped to the range").
pub fn get_unsigned_long<'js>(
    cx: &Cx<'js>,
    name: &str,
    default: Option<u32>,
    positive: bool,
    range: Option<(u32, u32)>,
) -> Fallible<u32> {
    let value = element(cx)?.get_attr(name);
    // Steps 2-5. The minimum and maximum.
    let mut minimum: i64 = if positive { 1 } else { 0 };
    let mut maximum = MAX;
    if let Some((lo, hi)) = range {
        minimum = lo as i64;
        maximum = hi as i64;
    }
    // Step 6. If contentAttributeValue is not null:
    if let Some(value) = value {
        let parsed = parse_non_negative_integer(&value);
        if let Some(v) = parsed {
            // Step 6.2. Within range: the value.
            if (minimum..=maximum).contains(&v) {
                return Ok(v as u32);
            }
            // Step 6.3. Clamped to the range: the nearer bound.
            if range.is_some() {
                return Ok(if v < minimum { minimum } else { maximum } as u32);
            }
        }
    }
    // Step 7. The default value, if there is one. Step 8. minimum.
    Ok(default.unwrap_or(minimum as u32))
}

pub fn set_unsigned_long<'js>(
    cx: &Cx<'js>,
    name: &str,
    value: u32,
    default: Option<u32>,
    positive: bool,
    with_fallback: bool,
) -> Fallible<()> {
    // Step 1. Limited to only positive numbers and 0: IndexSizeError.
    if positive && value == 0 {
        return Err(Error::dom(
            DomErrorName::IndexSizeError,
            format!("{name} must be greater than zero"),
        ));
    }
    // Steps 2-3. The minimum.
    let minimum: u32 = if positive || with_fallback { 1 } else { 0 };
    // Steps 4-5. newValue is the default value, or the minimum.
    let mut new_value = default.unwrap_or(minimum);
    // Step 6. A given value in range replaces it.
    if (minimum as i64..=MAX).contains(&(value as i64)) {
        new_value = value;
    }
    // Step 7. Set the content attribute to newValue as a valid non-negative integer.
    set(cx, name, new_value.to_string())
}

/// double (and "limited to only positive numbers").
pub fn get_double<'js>(
    cx: &Cx<'js>,
    name: &str,
    default: Option<f64>,
    positive: bool,
) -> Fallible<f64> {
    if let Some(value) = element(cx)?.get_attr(name) {
        if let Some(v) = parse_float(&value) {
            if !positive || v > 0.0 {
                return Ok(v);
            }
        }
    }
    Ok(default.unwrap_or(0.0))
}

pub fn set_double<'js>(cx: &Cx<'js>, name: &str, value: f64, positive: bool) -> Fallible<()> {
    // Limited to only positive numbers: a value not greater than zero is ignored.
    if positive && value <= 0.0 {
        return Ok(());
    }
    // The best representation of the number as a floating-point number (JS ToString).
    let text = rquickjs::convert::Coerced::<String>::from_js(
        &cx.ctx,
        Value::new_number(cx.ctx.clone(), value),
    )
    .map(|c| c.0)
    .unwrap_or_else(|_| crate::dom::bindings::conversions::format_number(value));
    set(cx, name, text)
}
/// Whether `candidate` is a descendant of one of `element`'s shadow-including ancestors
/// (without shadow trees: it is in `element`'s tree, `element` is not that tree's root, and
/// `candidate` is not the root either).
fn in_scope_of<'js>(element: &Dom<'js, Element<'js>>, candidate: &Dom<'js, Element<'js>>) -> bool {
    let (element, candidate) = (element.upcast::<Node>(), candidate.upcast::<Node>());
    let root = node::root(&element);
    !root.ptr_eq(&element) && !root.ptr_eq(&candidate) && node::root(&candidate).ptr_eq(&root)
}

/// The first element in tree order within `element`'s root whose ID is `id`.
fn element_by_id_in_root<'js>(
    element: &Dom<'js, Element<'js>>,
    id: &str,
) -> Option<Dom<'js, Element<'js>>> {
    let root = node::root(&element.upcast::<Node>());
    node::inclusive_descendants(&root)
        .iter()
        .filter_map(node::downcast::<Element>)
        .find(|e| e.get_attr("id").as_deref() == Some(id))
}

fn explicit_attr_elements<'js>(
    e: &Dom<'js, Element<'js>>,
    name: &str,
) -> Option<Vec<Dom<'js, Element<'js>>>> {
    e.attr_elements
        .borrow()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Sets the content attribute to the empty string, then remembers `elements` as the
/// explicitly set attr-element(s) (in that order: setting the attribute forgets them).
fn set_explicit_attr_elements<'js>(
    cx: &Cx<'js>,
    name: &str,
    elements: Vec<Dom<'js, Element<'js>>>,
) -> Fallible<()> {
    let e = element(cx)?;
    e.set_attr(&cx.ctx, &e, name, String::new());
    let mut all = e.attr_elements.borrow_mut();
    all.retain(|(n, _)| n != name);
    all.push((name.to_string(), elements));
    Ok(())
}

/// `Element?`: get the attr-associated element
/// (<https://html.spec.whatwg.org/#reflecting-content-attributes-in-idl-attributes>).
pub fn get_element<'js>(cx: &Cx<'js>, name: &str) -> Fallible<Option<Dom<'js, Element<'js>>>> {
    let e = element(cx)?;
    // Step 1. An explicitly set attr-element counts while it is in scope.
    if let Some(explicit) = explicit_attr_elements(&e, name) {
        return Ok(explicit
            .into_iter()
            .next()
            .filter(|attr_element| in_scope_of(&e, attr_element)));
    }
    // Steps 2-3. Otherwise the first element with the content attribute's value as its ID
    // in the element's tree.
    Ok(e.get_attr(name)
        .and_then(|id| element_by_id_in_root(&e, &id)))
}

/// The `Element?` setter: null forgets the element and removes the content attribute;
/// an element sets the content attribute to the empty string and is remembered.
pub fn set_element<'js>(
    cx: &Cx<'js>,
    name: &str,
    value: Option<Dom<'js, Element<'js>>>,
) -> Fallible<()> {
    match value {
        None => {
            let e = element(cx)?;
            e.attr_elements.borrow_mut().retain(|(n, _)| n != name);
            e.remove_attr(&cx.ctx, &e, name);
            Ok(())
        }
        Some(v) => set_explicit_attr_elements(cx, name, vec![v]),
    }
}

/// Get the attr-associated elements of a `FrozenArray<Element>?` attribute.
fn attr_associated_elements<'js>(
    e: &Dom<'js, Element<'js>>,
    name: &str,
) -> Option<Vec<Dom<'js, Element<'js>>>> {
    // Step 3. The explicitly set attr-elements that are in scope.
    if let Some(explicit) = explicit_attr_elements(e, name) {
        return Some(
            explicit
                .into_iter()
                .filter(|attr_element| in_scope_of(e, attr_element))
                .collect(),
        );
    }
    // Step 4. Otherwise each ID of the content attribute that names an element.
    let value = e.get_attr(name)?;
    Some(
        value
            .split_ascii_whitespace()
            .filter_map(|id| element_by_id_in_root(e, id))
            .collect(),
    )
}

/// `FrozenArray<Element>?`: the attr-associated elements, as the same frozen array for as
/// long as they stay the same elements.
pub fn get_elements<'js>(cx: &Cx<'js>, name: &str) -> Fallible<Option<FrozenArray<'js>>> {
    let e = element(cx)?;
    // Step 1.
    let elements = attr_associated_elements(&e, name);
    let same = |a: &Option<Vec<Dom<'js, Element<'js>>>>| match (a, &elements) {
        (None, None) => true,
        (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.ptr_eq(y)),
        _ => false,
    };
    // Step 2. The cached array, while its contents are these elements.
    if let Some(cached) = e
        .cached_attr_elements
        .borrow()
        .iter()
        .find(|c| c.name == name)
    {
        if same(&cached.elements) {
            return Ok(cached.array.clone());
        }
    }
    // Steps 3-5. A new frozen array, cached.
    let array = match &elements {
        Some(list) => Some(FrozenArray::new(&cx.ctx, list.clone())?),
        None => None,
    };
    let mut cache = e.cached_attr_elements.borrow_mut();
    cache.retain(|c| c.name != name);
    cache.push(crate::dom::element::CachedAttrElements {
        name: name.to_string(),
        elements,
        array: array.clone(),
    });
    Ok(array)
}

/// The `FrozenArray<Element>?` setter: null forgets the elements and removes the content
/// attribute; a list sets the content attribute to the empty string and is remembered.
pub fn set_elements<'js>(
    cx: &Cx<'js>,
    name: &str,
    value: Option<FrozenArray<'js>>,
) -> Fallible<()> {
    let Some(value) = value else {
        let e = element(cx)?;
        e.attr_elements.borrow_mut().retain(|(n, _)| n != name);
        e.remove_attr(&cx.ctx, &e, name);
        return Ok(());
    };
    let elements = value
        .items()
        .iter()
        .filter_map(<Element<'js> as crate::dom::bindings::root::DomInterface<'js>>::unwrap)
        .collect();
    set_explicit_attr_elements(cx, name, elements)
}

/// A DOMTokenList over the attribute (the glue's [SameObject] keeps one per element).
pub fn get_token_list<'js>(cx: &Cx<'js>, name: &str) -> Fallible<Dom<'js, DOMTokenList<'js>>> {
    let e = element(cx)?;
    reflect_dom_object(&cx.ctx, DOMTokenList::new_inherited(e, name.to_string()))
}

use rquickjs::FromJs;

/// <https://html.spec.whatwg.org/#rules-for-parsing-integers> (an error is `None`; the value
/// is kept as i64 so that values out of the long range can be told apart).
pub fn parse_integer(input: &str) -> Option<i64> {
    let s = input.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let digits: &str = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    // Too many digits for an i64 is out of range for every reflected type.
    let magnitude: i64 = match digits.trim_start_matches('0') {
        "" => 0,
        d if d.len() > 12 => return Some(if negative { i64::MIN } else { i64::MAX }),
        d => d.parse().ok()?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// <https://html.spec.whatwg.org/#rules-for-parsing-non-negative-integers>
pub fn parse_non_negative_integer(input: &str) -> Option<i64> {
    parse_integer(input).filter(|v| *v >= 0)
}

/// <https://html.spec.whatwg.org/#rules-for-parsing-floating-point-number-values>
pub fn parse_float(input: &str) -> Option<f64> {
    let s = input.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-') | Some(b'+')) {
        // Step 6-7: "-" sets the sign; "+" is skipped (then it must be followed by a digit).
        i = 1;
    }
    let start_digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut end = i;
    if i < b.len() && b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        end = i;
    } else if i == start_digits {
        return None;
    }
    if end == start_digits {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            end = j;
        }
    }
    let v: f64 = s[..end].parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    // -0 becomes 0.
    Some(if v == 0.0 { 0.0 } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_as_html_says() {
        assert_eq!(parse_integer("  42abc"), Some(42));
        assert_eq!(parse_integer("-7"), Some(-7));
        assert_eq!(parse_integer("+7"), Some(7));
        assert_eq!(parse_integer("x7"), None);
        assert_eq!(parse_integer(""), None);
        assert_eq!(parse_integer("\u{a0}7"), None);
        assert_eq!(parse_non_negative_integer("-1"), None);
        assert_eq!(parse_non_negative_integer("-0"), Some(0));
        assert!(parse_integer("99999999999999999999").unwrap() > MAX);
    }

    #[test]
    fn floats_parse_as_html_says() {
        assert_eq!(parse_float("1.5e2x"), Some(150.0));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("-0"), Some(0.0));
        assert_eq!(parse_float("1."), Some(1.0));
        assert_eq!(parse_float("e5"), None);
        assert_eq!(parse_float("1e"), Some(1.0));
        assert_eq!(parse_float("1e400"), None);
    }
}
