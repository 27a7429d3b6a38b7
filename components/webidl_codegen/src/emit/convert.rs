//! The ECMAScript type mapping (WebIDL §3.2): the Rust type of each IDL type, the conversion
//! of a JS value to it ("ES to IDL"), and IDL default values.

use super::names::*;
use super::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// Rust type of an IDL type (nullable -> Option).
    pub fn rust_type(&self, t: &Type) -> TokenStream {
        let base = self.rust_type_nonnull(t);
        let nullable = t.nullable || t.union_includes_nullable();
        if nullable && t.kind != TypeKind::Any {
            quote!(Option<#base>)
        } else {
            base
        }
    }

    pub fn rust_type_nonnull(&self, t: &Type) -> TokenStream {
        let types = &self.types_path;
        match &t.kind {
            TypeKind::Any | TypeKind::Symbol | TypeKind::BigInt => quote!(Value<'js>),
            TypeKind::Undefined => quote!(()),
            TypeKind::Boolean => quote!(bool),
            TypeKind::Integer(i) => int_type(*i),
            TypeKind::Float(FloatType::Float | FloatType::UnrestrictedFloat) => quote!(f32),
            TypeKind::Float(_) => quote!(f64),
            TypeKind::DOMString => quote!(DOMString),
            TypeKind::USVString => quote!(USVString),
            TypeKind::ByteString => quote!(ByteString),
            TypeKind::Object => quote!(Object<'js>),
            TypeKind::Buffer(BufferKind::ArrayBuffer | BufferKind::SharedArrayBuffer) => {
                quote!(ArrayBuffer<'js>)
            }
            TypeKind::Buffer(_) => quote!(BufferView<'js>),
            TypeKind::Interface(n) => {
                let n = ident(n);
                quote!(Dom<'js, #types::#n<'js>>)
            }
            TypeKind::Dictionary(n) => {
                let id = ident(n);
                if self.dict_needs_lt(n) {
                    quote!(#id<'js>)
                } else {
                    quote!(#id)
                }
            }
            TypeKind::Enum(n) => {
                let id = ident(n);
                quote!(#id)
            }
            TypeKind::CallbackFunction(n) | TypeKind::CallbackInterface(n) => {
                let id = ident(n);
                quote!(#id<'js>)
            }
            TypeKind::FrozenArray(_) => quote!(FrozenArray<'js>),
            TypeKind::Sequence(i) | TypeKind::ObservableArray(i) => {
                let inner = self.rust_type(i);
                quote!(Vec<#inner>)
            }
            TypeKind::Record(k, v) => {
                let k = self.rust_type(k);
                let v = self.rust_type(v);
                quote!(Vec<(#k, #v)>)
            }
            TypeKind::Promise(_) => quote!(Promise<'js>),
            TypeKind::Union(_) => {
                let mut u = t.clone();
                u.nullable = false;
                let name = type_name(&u);
                let id = ident(&name);
                if self.union_needs_lt(&name) {
                    quote!(#id<'js>)
                } else {
                    quote!(#id)
                }
            }
            TypeKind::Named(n) => {
                let id = ident(n);
                quote!(#id)
            }
        }
    }

    /// An expression of type `Fallible<RustType>` converting the `Value<'js>` expression `v`
    /// (taken by value, evaluated once) to `t`, per WebIDL's ES -> IDL conversion.
    /// `ctx: &Ctx<'js>` is in scope. `what` names the value in messages.
    pub fn conversion(&self, t: &Type, v: TokenStream, what: &str) -> TokenStream {
        let nullable = (t.nullable || t.union_includes_nullable()) && t.kind != TypeKind::Any;
        if nullable {
            let inner = self.conversion_nonnull(t, quote!(v), what);
            quote!(conv::nullable(#v, |v: Value<'js>| #inner))
        } else {
            self.conversion_nonnull(t, v, what)
        }
    }

    /// Conversion of the value expression `v` for a non-null type (`v` appears once).
    fn conversion_nonnull(&self, t: &Type, v: TokenStream, what: &str) -> TokenStream {
        let types = &self.types_path;
        match &t.kind {
            TypeKind::Any => quote!(Ok::<Value<'js>, Error>(#v)),
            TypeKind::Undefined => quote!(Ok::<(), Error>(())),
            TypeKind::Boolean => quote!(Ok::<bool, Error>(conv::to_boolean(&#v))),
            TypeKind::Integer(i) => {
                let rt = int_type(*i);
                let enforce = t.attrs.enforce_range;
                let clamp = t.attrs.clamp;
                quote!(conv::to_integer::<#rt>(ctx, &#v, #enforce, #clamp, #what))
            }
            TypeKind::Float(f) => {
                let unrestricted = f.unrestricted();
                match f {
                    FloatType::Float | FloatType::UnrestrictedFloat => {
                        quote!(conv::to_f32(ctx, &#v, #unrestricted, #what))
                    }
                    _ => quote!(conv::to_f64(ctx, &#v, #unrestricted, #what)),
                }
            }
            TypeKind::BigInt => quote!(conv::to_bigint(ctx, #v, #what)),
            TypeKind::DOMString => {
                let n = t.attrs.legacy_null_to_empty_string;
                quote!(conv::to_dom_string(ctx, &#v, #n))
            }
            TypeKind::USVString => quote!(conv::to_usv_string(ctx, &#v)),
            TypeKind::ByteString => quote!(conv::to_byte_string(ctx, &#v, #what)),
            TypeKind::Object => quote!(conv::to_object(ctx, #v, #what)),
            TypeKind::Symbol => quote!(conv::to_symbol(ctx, #v, #what)),
            TypeKind::Buffer(BufferKind::ArrayBuffer | BufferKind::SharedArrayBuffer) => {
                quote!(conv::to_array_buffer(ctx, #v, #what))
            }
            TypeKind::Buffer(b) => {
                let kind = format_ident!("{}", b.name());
                quote!(conv::to_buffer_view(ctx, #v, BufferViewKind::#kind, #what))
            }
            TypeKind::Interface(n) => {
                let id = ident(n);
                quote!(conv::to_interface::<#types::#id<'js>>(ctx, &#v, #what))
            }
            TypeKind::Dictionary(n) => {
                let id = ident(n);
                quote!(#id::from_js(ctx, &#v, #what))
            }
            TypeKind::Enum(n) => {
                let id = ident(n);
                quote!(conv::to_enum::<#id>(ctx, &#v, #what))
            }
            TypeKind::CallbackFunction(n) | TypeKind::CallbackInterface(n) => {
                let id = ident(n);
                quote!(#id::from_js(ctx, #v, #what))
            }
            // WebIDL "ES to FrozenArray<T>": convert as sequence<T>, then create a frozen array.
            TypeKind::FrozenArray(i) => {
                let inner = self.conversion(i, quote!(v), what);
                quote!(conv::to_sequence(ctx, #v, #what, |ctx: &Ctx<'js>, v: Value<'js>| { let _ = ctx; #inner })
                    .and_then(|items| FrozenArray::new(ctx, items)))
            }
            TypeKind::Sequence(i) | TypeKind::ObservableArray(i) => {
                let inner = self.conversion(i, quote!(v), what);
                quote!(conv::to_sequence(ctx, #v, #what, |ctx: &Ctx<'js>, v: Value<'js>| { let _ = ctx; #inner }))
            }
            TypeKind::Record(k, val) => {
                let kconv = self.conversion(k, quote!(k), what);
                let vconv = self.conversion(val, quote!(v), what);
                quote!(conv::to_record(ctx, #v, #what,
                    |ctx: &Ctx<'js>, k: Value<'js>| { let _ = ctx; #kconv },
                    |ctx: &Ctx<'js>, v: Value<'js>| { let _ = ctx; #vconv }))
            }
            TypeKind::Promise(_) => quote!(conv::to_promise(ctx, #v)),
            TypeKind::Union(_) => {
                let mut u = t.clone();
                u.nullable = false;
                let id = ident(&type_name(&u));
                quote!(#id::from_js(ctx, #v, #what))
            }
            TypeKind::Named(n) => {
                let msg = format!("unresolved type {n}");
                quote!(compile_error!(#msg))
            }
        }
    }

    /// The value of an IDL default, as an expression of the argument's Rust type.
    pub fn default_value(&self, t: &Type, d: &DefaultValue, what: &str) -> TokenStream {
        let nullable = (t.nullable || t.union_includes_nullable()) && t.kind != TypeKind::Any;
        let wrap = |e: TokenStream| if nullable { quote!(Some(#e)) } else { e };
        match d {
            DefaultValue::Null if t.kind == TypeKind::Any => quote!(Value::new_null(ctx.clone())),
            DefaultValue::Null => quote!(None),
            DefaultValue::Undefined => {
                let c = self.conversion(t, quote!(Value::new_undefined(ctx.clone())), what);
                quote!(#c?)
            }
            DefaultValue::EmptyDictionary => {
                let c = self.conversion(t, quote!(Value::new_undefined(ctx.clone())), what);
                quote!(#c?)
            }
            DefaultValue::EmptySequence => wrap(quote!(Vec::new())),
            DefaultValue::Boolean(b) => match &t.kind {
                TypeKind::Union(_) => self.union_default(t, quote!(#b), what),
                _ => wrap(quote!(#b)),
            },
            DefaultValue::Integer(i) => match &t.kind {
                TypeKind::Integer(it) => {
                    let rt = int_type(*it);
                    let lit: TokenStream = i.to_string().parse().unwrap();
                    wrap(quote!(#lit as #rt))
                }
                TypeKind::Float(FloatType::Float | FloatType::UnrestrictedFloat) => {
                    let f = *i as f32;
                    wrap(quote!(#f))
                }
                TypeKind::Float(_) => {
                    let f = *i as f64;
                    wrap(quote!(#f))
                }
                _ => {
                    let f = *i as f64;
                    self.union_default(t, quote!(#f), what)
                }
            },
            DefaultValue::Float(f) => match &t.kind {
                TypeKind::Float(FloatType::Float | FloatType::UnrestrictedFloat) => {
                    let f = *f as f32;
                    wrap(float_lit32(f))
                }
                TypeKind::Float(_) => wrap(float_lit64(*f)),
                _ => self.union_default(t, float_lit64(*f), what),
            },
            DefaultValue::String(s) => match &t.kind {
                TypeKind::Enum(n) => {
                    let e = &self.defs.enums[n];
                    let variants = enum_variants(&e.values);
                    let idx = e.values.iter().position(|v| v == s).unwrap_or(0);
                    let id = ident(n);
                    let var = format_ident!("{}", variants[idx]);
                    wrap(quote!(#id::#var))
                }
                TypeKind::ByteString => wrap(quote!(ByteString::from(#s))),
                TypeKind::DOMString | TypeKind::USVString => wrap(quote!(String::from(#s))),
                _ => self.union_default(t, quote!(#s), what),
            },
        }
    }

    /// Defaults of union type: convert the JS value of the literal through the union.
    fn union_default(&self, t: &Type, lit: TokenStream, what: &str) -> TokenStream {
        let c = self.conversion(t, quote!(conv::literal(ctx, #lit)?), what);
        quote!(#c?)
    }
}

pub(crate) fn int_type(i: IntegerType) -> TokenStream {
    match i {
        IntegerType::Byte => quote!(i8),
        IntegerType::Octet => quote!(u8),
        IntegerType::Short => quote!(i16),
        IntegerType::UnsignedShort => quote!(u16),
        IntegerType::Long => quote!(i32),
        IntegerType::UnsignedLong => quote!(u32),
        IntegerType::LongLong => quote!(i64),
        IntegerType::UnsignedLongLong => quote!(u64),
    }
}

pub(crate) fn float_lit64(f: f64) -> TokenStream {
    if f.is_nan() {
        quote!(f64::NAN)
    } else if f == f64::INFINITY {
        quote!(f64::INFINITY)
    } else if f == f64::NEG_INFINITY {
        quote!(f64::NEG_INFINITY)
    } else {
        quote!(#f)
    }
}

fn float_lit32(f: f32) -> TokenStream {
    if f.is_nan() {
        quote!(f32::NAN)
    } else if f == f32::INFINITY {
        quote!(f32::INFINITY)
    } else if f == f32::NEG_INFINITY {
        quote!(f32::NEG_INFINITY)
    } else {
        quote!(#f)
    }
}
