//! The type-category ladder shared by union conversion (WebIDL "ES to union") and overload
//! resolution (the distinguishing-argument step). Both look at one JS value `v` and pick the
//! first candidate whose type matches the value's category, rung by rung, in the spec's order.

use super::names::ident;
use super::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One thing the ladder can pick.
pub(crate) struct Candidate {
    /// The candidate's type: a union member (never a union) or an overload's argument type.
    pub ty: Type,
    /// For overloads: the argument is optional at this position.
    pub optional: bool,
}

/// Which rung picked a candidate (unions convert differently on some rungs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rung {
    Undefined,
    NullOrUndefined,
    Interface,
    PlatformObject,
    Buffer,
    Callable,
    Sequence,
    ObjectLike,
    Boolean,
    Number,
    BigInt,
    StringFallback,
    NumericFallback,
    BooleanFallback,
    BigIntFallback,
}

/// A type's members as the ladder sees them.
fn flat(t: &Type) -> Vec<Type> {
    match t.kind {
        TypeKind::Union(_) => t.flattened_members(),
        _ => {
            let mut t = t.clone();
            t.nullable = false;
            vec![t]
        }
    }
}

fn is_numeric(t: &Type) -> bool {
    matches!(t.kind, TypeKind::Integer(_) | TypeKind::Float(_))
}

fn is_string(t: &Type) -> bool {
    matches!(
        t.kind,
        TypeKind::DOMString | TypeKind::USVString | TypeKind::ByteString | TypeKind::Enum(_)
    )
}

impl Emitter<'_> {
    /// Emits the ladder. `act(i, member, rung)` yields the statement run when candidate `i`
    /// is picked because of `member` (one of its flattened types); it must `return`.
    pub(crate) fn ladder(
        &self,
        candidates: &[Candidate],
        act: &dyn Fn(usize, &Type, Rung) -> TokenStream,
        fallback: TokenStream,
    ) -> TokenStream {
        let types = &self.types_path;
        let mut out = Vec::new();
        let flats: Vec<Vec<Type>> = candidates.iter().map(|c| flat(&c.ty)).collect();
        let first = |pred: &dyn Fn(&Type) -> bool| -> Option<(usize, Type)> {
            for (i, f) in flats.iter().enumerate() {
                if let Some(m) = f.iter().find(|m| pred(m)) {
                    return Some((i, m.clone()));
                }
            }
            None
        };

        // 1. undefined and an optional argument (overloads) / `undefined` member (unions).
        if let Some(i) = candidates.iter().position(|c| c.optional) {
            let a = act(i, &candidates[i].ty, Rung::Undefined);
            out.push(quote!(if v.is_undefined() { #a }));
        } else if let Some((i, m)) = first(&|m| m.kind == TypeKind::Undefined) {
            let a = act(i, &m, Rung::Undefined);
            out.push(quote!(if v.is_undefined() { #a }));
        }
        // 2. null or undefined: a nullable type or a dictionary.
        let nullable_idx = candidates
            .iter()
            .position(|c| c.ty.nullable || c.ty.union_includes_nullable());
        if let Some(i) = nullable_idx {
            let a = act(i, &candidates[i].ty, Rung::NullOrUndefined);
            out.push(quote!(if v.is_null() || v.is_undefined() { #a }));
        } else if let Some((i, m)) = first(&|m| matches!(m.kind, TypeKind::Dictionary(_))) {
            let a = act(i, &m, Rung::NullOrUndefined);
            out.push(quote!(if v.is_null() || v.is_undefined() { #a }));
        }
        // 3. platform objects: interface types, then `object`.
        let mut object_rungs = Vec::new();
        for (i, f) in flats.iter().enumerate() {
            for m in f {
                if let TypeKind::Interface(n) = &m.kind {
                    let id = ident(n);
                    let a = act(i, m, Rung::Interface);
                    object_rungs.push(quote!(
                        if <#types::#id<'js> as DomInterface<'js>>::unwrap(&v).is_some() { #a }
                    ));
                }
            }
        }
        let object_member = first(&|m| m.kind == TypeKind::Object);
        if let Some((i, m)) = &object_member {
            let a = act(*i, m, Rung::PlatformObject);
            object_rungs.push(quote!(if conv::is_platform_object(&v) { #a }));
        }
        // 4-6. ArrayBuffer, DataView, typed arrays.
        for (i, f) in flats.iter().enumerate() {
            for m in f {
                if let TypeKind::Buffer(b) = m.kind {
                    let a = act(i, m, Rung::Buffer);
                    let check = match b {
                        BufferKind::ArrayBuffer | BufferKind::SharedArrayBuffer => {
                            quote!(conv::is_array_buffer(&v))
                        }
                        other => {
                            let k = format_ident!("{}", other.name());
                            quote!(conv::buffer_view_kind(&v) == Some(BufferViewKind::#k))
                        }
                    };
                    object_rungs.push(quote!(if #check { #a }));
                }
            }
        }
        if let Some((i, m)) = &object_member {
            let a = act(*i, m, Rung::Buffer);
            object_rungs.push(
                quote!(if conv::is_array_buffer(&v) || conv::buffer_view_kind(&v).is_some() { #a }),
            );
        }
        // 7. callable: callback functions, then `object`.
        if let Some((i, m)) = first(&|m| matches!(m.kind, TypeKind::CallbackFunction(_))) {
            let a = act(i, &m, Rung::Callable);
            object_rungs.push(quote!(if v.is_function() { #a }));
        }
        // 8. iterables for sequences.
        if let Some((i, m)) =
            first(&|m| matches!(m.kind, TypeKind::Sequence(_) | TypeKind::FrozenArray(_)))
        {
            let a = act(i, &m, Rung::Sequence);
            object_rungs.push(quote!(if conv::has_iterator(ctx, &v)? { #a }));
        }
        // 9. dictionaries, records, callback interfaces, then `object`.
        if let Some((i, m)) = first(&|m| {
            matches!(
                m.kind,
                TypeKind::Dictionary(_)
                    | TypeKind::Record(..)
                    | TypeKind::CallbackInterface(_)
                    | TypeKind::Object
            )
        }) {
            let a = act(i, &m, Rung::ObjectLike);
            object_rungs.push(quote!({ #a }));
        }
        if !object_rungs.is_empty() {
            out.push(quote!(if v.is_object() { #(#object_rungs)* }));
        }
        // 10-12. primitives by their own type.
        if let Some((i, m)) = first(&|m| m.kind == TypeKind::Boolean) {
            let a = act(i, &m, Rung::Boolean);
            out.push(quote!(if v.is_bool() { #a }));
        }
        if let Some((i, m)) = first(&is_numeric) {
            let a = act(i, &m, Rung::Number);
            out.push(quote!(if v.is_number() { #a }));
        }
        if let Some((i, m)) = first(&|m| m.kind == TypeKind::BigInt) {
            let a = act(i, &m, Rung::BigInt);
            out.push(quote!(if v.is_big_int() { #a }));
        }
        // 13-16. conversions: string, numeric, boolean, bigint.
        if let Some((i, m)) = first(&is_string) {
            let a = act(i, &m, Rung::StringFallback);
            out.push(quote!({ #a }));
        } else if let Some((i, m)) = first(&is_numeric) {
            let a = act(i, &m, Rung::NumericFallback);
            out.push(quote!({ #a }));
        } else if let Some((i, m)) = first(&|m| m.kind == TypeKind::Boolean) {
            let a = act(i, &m, Rung::BooleanFallback);
            out.push(quote!({ #a }));
        } else if let Some((i, m)) = first(&|m| m.kind == TypeKind::BigInt) {
            let a = act(i, &m, Rung::BigIntFallback);
            out.push(quote!({ #a }));
        } else if let Some(i) = candidates.iter().position(|c| c.ty.kind == TypeKind::Any) {
            let a = act(i, &candidates[i].ty, Rung::ObjectLike);
            out.push(quote!({ #a }));
        } else {
            out.push(fallback);
        }
        quote!(#(#out)*)
    }
}
