//! HTML §2.6.1 "Reflecting content attributes in IDL attributes": an attribute marked
//! `[Reflect]` gets trait methods with default bodies that get and set its content
//! attribute, so an element interface needs no hand-written code for it.
//!
//! The extended attributes (the HTML spec's own, plus Chromium's names for what the HTML
//! spec says in prose next to the IDL):
//! - `[Reflect]` / `[Reflect="content-name"]`: getter and setter (the content attribute is
//!   the IDL name lowercased unless named); `[ReflectSetter]`: the setter only (the getter is
//!   written by hand, as for `href` and `action`).
//! - `DOMString` / `DOMString?` with `[ReflectOnly=("a", "b")]`: an enumerated attribute
//!   "limited to only known values", with `[ReflectMissing="x"]`, `[ReflectInvalid="y"]` and
//!   `[ReflectEmpty="z"]` for its missing, invalid and empty value defaults.
//! - `[ReflectURL]` (jsdom's name; Chromium writes `[Reflect, URL]`): a URL attribute,
//!   returned resolved against the node document's base URL (HTML: "if the content attribute
//!   is defined to contain a URL").
//! - `long` with `[ReflectNonNegative]` ("limited to only non-negative numbers"),
//!   `unsigned long` and `double` with `[ReflectPositive]` ("limited to only positive
//!   numbers") or `[ReflectPositiveWithFallback]`, `unsigned long` with
//!   `[ReflectRange=(min, max)]` ("clamped to the range"); each with `[ReflectDefault=n]`.
//! - `DOMTokenList` (readonly, with `[PutForwards=value]`): the token set of the attribute.
//! - `Element?` and `FrozenArray<Element>?`: element references, by ID in the content
//!   attribute or set explicitly (the content attribute is then the empty string).
//!
//! CSSOM's "for each supported CSS property" attributes of `CSSStyleDeclaration` work the same
//! way: `[CSSProperty="background-color"]` (or bare `[CSSProperty]` on the dashed attribute)
//! gets and sets that property of the declaration block.

use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The content attribute `a` reflects, from `[Reflect]`/`[Reflect="name"]` (or the
/// setter-only form `key`).
fn content_attribute(a: &Attribute, key: &str) -> Option<String> {
    let v = a.ext_attrs.get(key)?;
    Some(match v {
        ExtAttrValue::String(s) | ExtAttrValue::Ident(s) => s.clone(),
        _ => a.name.to_ascii_lowercase(),
    })
}

/// The CSS property a `[CSSProperty]` attribute stands for.
fn css_property(a: &Attribute) -> Option<String> {
    Some(match a.ext_attrs.get("CSSProperty")? {
        ExtAttrValue::String(s) | ExtAttrValue::Ident(s) => s.clone(),
        _ => a.name.clone(),
    })
}

fn strings(a: &Attribute, key: &str) -> Vec<String> {
    a.ext_attrs.idents(key).unwrap_or_default()
}

fn option_str(a: &Attribute, key: &str) -> TokenStream {
    match a.ext_attrs.string(key) {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn literal_default(a: &Attribute) -> Option<String> {
    match a.ext_attrs.get("ReflectDefault")? {
        ExtAttrValue::Integer(s) | ExtAttrValue::Float(s) | ExtAttrValue::String(s) => {
            Some(s.clone())
        }
        _ => None,
    }
}

fn parse_default<T: std::str::FromStr + quote::ToTokens>(a: &Attribute) -> TokenStream {
    match literal_default(a).and_then(|s| s.parse::<T>().ok()) {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// `Element` (element-reference reflection: `Element?`, `FrozenArray<Element>?`).
fn is_element(t: &Type) -> bool {
    matches!(&t.kind, TypeKind::Interface(i) if i == "Element") && !t.nullable
}

fn unsupported(a: &Attribute) -> TokenStream {
    let msg = format!(
        "[Reflect] on `attribute {} {}` is not supported by the generator",
        a.ty.idl(),
        a.name
    );
    quote!(compile_error!(#msg))
}

impl Emitter<'_> {
    /// The default body of a `[Reflect]`ed attribute's getter, if it is one.
    pub(super) fn reflect_getter(&self, a: &Attribute) -> Option<TokenStream> {
        if let Some(p) = css_property(a) {
            // CSSOM: "invoking getPropertyValue() with the CSS property".
            return Some(quote!(self.getPropertyValue(cx, #p.into())));
        }
        if let Some(name) = content_attribute(a, "ReflectURL") {
            return Some(quote!(reflect::get_url(cx, #name)));
        }
        let name = content_attribute(a, "Reflect")?;
        let ty = &a.ty;
        Some(match &ty.kind {
            TypeKind::Boolean => quote!(reflect::get_bool(cx, #name)),
            TypeKind::DOMString if a.ext_attrs.has("ReflectOnly") => {
                let keywords = strings(a, "ReflectOnly");
                let missing = option_str(a, "ReflectMissing");
                let invalid = option_str(a, "ReflectInvalid");
                let empty = option_str(a, "ReflectEmpty");
                let get = quote!(reflect::get_enumerated(
                    cx, #name, &[#(#keywords),*], #missing, #invalid, #empty
                ));
                if ty.nullable {
                    get
                } else {
                    quote!(#get.map(Option::unwrap_or_default))
                }
            }
            TypeKind::DOMString if ty.nullable => quote!(reflect::get_nullable_string(cx, #name)),
            TypeKind::DOMString => quote!(reflect::get_string(cx, #name)),
            TypeKind::USVString => quote!(reflect::get_string(cx, #name)),
            TypeKind::Integer(IntegerType::Long) => {
                let default = parse_default::<i32>(a);
                let non_negative = a.ext_attrs.has("ReflectNonNegative");
                quote!(reflect::get_long(cx, #name, #default, #non_negative))
            }
            TypeKind::Integer(IntegerType::UnsignedLong) => {
                let default = parse_default::<u32>(a);
                let positive = a.ext_attrs.has("ReflectPositive")
                    || a.ext_attrs.has("ReflectPositiveWithFallback");
                let range = self.reflect_range(a);
                quote!(reflect::get_unsigned_long(cx, #name, #default, #positive, #range))
            }
            TypeKind::Float(FloatType::Double) => {
                let default = parse_default::<f64>(a);
                let positive = a.ext_attrs.has("ReflectPositive");
                quote!(reflect::get_double(cx, #name, #default, #positive))
            }
            TypeKind::Interface(i) if i == "DOMTokenList" => {
                quote!(reflect::get_token_list(cx, #name))
            }
            TypeKind::Interface(i) if i == "Element" && ty.nullable => {
                quote!(reflect::get_element(cx, #name))
            }
            TypeKind::FrozenArray(t) if is_element(t) && ty.nullable => {
                quote!(reflect::get_elements(cx, #name))
            }
            _ => unsupported(a),
        })
    }

    /// The default body of a `[Reflect]`ed (or `[ReflectSetter]`) attribute's setter.
    pub(super) fn reflect_setter(&self, a: &Attribute) -> Option<TokenStream> {
        if let Some(p) = css_property(a) {
            // CSSOM: "invoking setProperty() with the CSS property, the given value and no
            // third argument".
            return Some(quote!(self.setProperty(cx, #p.into(), value, String::new()).map(|_| ())));
        }
        let name = content_attribute(a, "Reflect")
            .or_else(|| content_attribute(a, "ReflectURL"))
            .or_else(|| content_attribute(a, "ReflectSetter"))?;
        let ty = &a.ty;
        Some(match &ty.kind {
            TypeKind::Boolean => quote!(reflect::set_bool(cx, #name, value)),
            TypeKind::DOMString | TypeKind::USVString if ty.nullable => {
                quote!(reflect::set_nullable_string(cx, #name, value))
            }
            TypeKind::DOMString | TypeKind::USVString => {
                quote!(reflect::set_string(cx, #name, value))
            }
            TypeKind::Integer(IntegerType::Long) => {
                let non_negative = a.ext_attrs.has("ReflectNonNegative");
                quote!(reflect::set_long(cx, #name, value, #non_negative))
            }
            TypeKind::Integer(IntegerType::UnsignedLong) => {
                let default = parse_default::<u32>(a);
                let positive = a.ext_attrs.has("ReflectPositive");
                let fallback = a.ext_attrs.has("ReflectPositiveWithFallback");
                quote!(reflect::set_unsigned_long(cx, #name, value, #default, #positive, #fallback))
            }
            TypeKind::Float(FloatType::Double) => {
                let positive = a.ext_attrs.has("ReflectPositive");
                quote!(reflect::set_double(cx, #name, value, #positive))
            }
            TypeKind::Interface(i) if i == "Element" && ty.nullable => {
                quote!(reflect::set_element(cx, #name, value))
            }
            TypeKind::FrozenArray(t) if is_element(t) && ty.nullable => {
                quote!(reflect::set_elements(cx, #name, value))
            }
            _ => unsupported(a),
        })
    }

    fn reflect_range(&self, a: &Attribute) -> TokenStream {
        let items = strings(a, "ReflectRange");
        let parsed: Vec<u32> = items.iter().filter_map(|s| s.trim().parse().ok()).collect();
        match parsed.as_slice() {
            [min, max] => quote!(Some((#min, #max))),
            _ => quote!(None),
        }
    }
}
