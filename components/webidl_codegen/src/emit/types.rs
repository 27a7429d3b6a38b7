//! Enumerations, dictionaries, unions, callback functions and callback interfaces.

use super::dispatch::{Candidate, Rung};
use super::names::*;
use super::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What one dictionary member contributes to the dictionary's code.
struct MemberCode {
    field: TokenStream,
    read: TokenStream,
    write: TokenStream,
}

impl Emitter<'_> {
    pub(crate) fn enumeration(&self, e: &Enum) -> TokenStream {
        let gate = self.gate(&e.name);
        let id = ident(&e.name);
        let name = &e.name;
        let variants: Vec<_> = enum_variants(&e.values)
            .iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let values = &e.values;
        let doc = format!(
            "The WebIDL enumeration `{}`: {}.",
            e.name,
            e.values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let first = &variants[0];
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #id { #(#variants,)* }
            #gate
            impl #id {
                /// The IDL strings, in declaration order.
                pub const VALUES: &'static [&'static str] = &[#(#values),*];
                /// The IDL string of this value.
                pub fn as_str(self) -> &'static str {
                    match self { #(#id::#variants => #values,)* }
                }
            }
            #gate
            impl Default for #id {
                fn default() -> Self { #id::#first }
            }
            #gate
            impl std::fmt::Display for #id {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            #gate
            impl IdlEnum for #id {
                const NAME: &'static str = #name;
                fn from_str(s: &str) -> Option<Self> {
                    match s { #(#values => Some(#id::#variants),)* _ => None }
                }
            }
            #gate
            impl<'js> ToJsValue<'js> for #id {
                fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                    self.as_str().to_js(ctx)
                }
            }
            #gate
            impl<'js> Trace<'js> for #id {
                fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
            }
        }
    }

    pub(crate) fn dictionary(&self, d: &Dictionary) -> TokenStream {
        let gate = self.gate(&d.name);
        let id = ident(&d.name);
        let name = &d.name;
        let lt = self.dict_needs_lt(&d.name);
        let (ty_params, self_ty) = if lt {
            (quote!(<'js>), quote!(#id<'js>))
        } else {
            (quote!(), quote!(#id))
        };
        let mut fields = Vec::new();
        let mut reads = Vec::new();
        let mut writes = Vec::new();
        let mut traces = Vec::new();
        let mut field_names = Vec::new();
        if let Some(p) = &d.parent {
            let pid = ident(p);
            let pty = if self.dict_needs_lt(p) {
                quote!(#pid<'js>)
            } else {
                quote!(#pid)
            };
            fields.push(quote!(
                /// The members inherited from the parent dictionary.
                pub parent: #pty,
            ));
            reads.push(quote!(let parent = #pid::from_js(ctx, v, what)?;));
            writes.push(quote!(self.parent.write_members(ctx, object)?;));
            traces.push(quote!(self.parent.trace(tracer);));
            field_names.push(quote!(parent));
        }
        for m in &d.members {
            let member = self.dictionary_member(d, m);
            fields.push(member.field);
            reads.push(member.read);
            writes.push(member.write);
            let f = ident(&m.name);
            traces.push(quote!(self.#f.trace(tracer);));
            field_names.push(quote!(#f));
        }
        let doc = format!("The WebIDL dictionary `{}`.", d.name);
        let trace_impl = if lt {
            quote! {
                #gate
                impl<'js> Trace<'js> for #id<'js> {
                    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) { #(#traces)* }
                }
            }
        } else {
            quote! {
                #gate
                impl<'js> Trace<'js> for #id {
                    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
                }
            }
        };
        let (impl_head, fn_lt) = if lt {
            (quote!(impl<'js> #id<'js>), quote!())
        } else {
            (quote!(impl #id), quote!(<'js>))
        };
        let to_js_impl = if lt {
            quote!(impl<'js> ToJsValue<'js> for #id<'js>)
        } else {
            quote!(impl<'js> ToJsValue<'js> for #id)
        };
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #id #ty_params { #(#fields)* }
            #gate
            #impl_head {
                /// WebIDL "ES to dictionary": undefined and null give the defaults; other
                /// non-objects are a TypeError; members are read in lexicographic order, the
                /// inherited ones first.
                pub fn from_js #fn_lt (ctx: &Ctx<'js>, v: &Value<'js>, what: &str) -> Fallible<#self_ty> {
                    let object = conv::dictionary_object(ctx, v, #name, what)?;
                    #(#reads)*
                    Ok(#id { #(#field_names),* })
                }
                /// Defines the present members on `object` (WebIDL "dictionary to ES", with
                /// CreateDataProperty).
                pub fn write_members #fn_lt (self, ctx: &Ctx<'js>, object: &Object<'js>) -> Fallible<()> {
                    #(#writes)*
                    Ok(())
                }
            }
            #gate
            #to_js_impl {
                fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                    let object = Object::new(ctx.clone())?;
                    self.write_members(ctx, &object)?;
                    Ok(object.into_value())
                }
            }
            #trace_impl
        }
    }

    /// One dictionary member: its field, how `from_js` reads it (WebIDL "ES to dictionary"
    /// steps for a member: required, with a default, or optional) and how `write_members`
    /// writes it.
    fn dictionary_member(&self, d: &Dictionary, m: &DictionaryMember) -> MemberCode {
        let f = ident(&m.name);
        let key = &m.name;
        let what = format!("member '{}' of {}", m.name, d.name);
        let conv = self.conversion(&m.ty, quote!(value), &what);
        let rt = self.rust_type(&m.ty);
        let doc = format!(
            "`{}{} {}{}`",
            if m.required { "required " } else { "" },
            m.ty.idl(),
            m.name,
            m.default.as_ref().map(|_| " = ...").unwrap_or("")
        );
        let read = |present: TokenStream, missing: TokenStream| {
            quote!(
                let #f = match conv::dictionary_member(ctx, &object, #key)? {
                    Some(value) => #present,
                    None => #missing,
                };
            )
        };
        if m.required {
            let msg = format!(
                "Failed to read the '{}' property from '{}': Required member is undefined.",
                m.name, d.name
            );
            MemberCode {
                field: quote!(#[doc = #doc] pub #f: #rt,),
                read: read(
                    quote!(#conv?),
                    quote!(return Err(Error::Type(#msg.to_string()))),
                ),
                write: quote!(conv::write_member(ctx, object, #key, self.#f)?;),
            }
        } else if let Some(def) = &m.default {
            let dv = self.default_value(&m.ty, def, &what);
            MemberCode {
                field: quote!(#[doc = #doc] pub #f: #rt,),
                read: read(quote!(#conv?), dv),
                write: quote!(conv::write_member(ctx, object, #key, self.#f)?;),
            }
        } else {
            MemberCode {
                field: quote!(#[doc = #doc] pub #f: Option<#rt>,),
                read: read(quote!(Some(#conv?)), quote!(None)),
                write: quote!(
                    if let Some(value) = self.#f {
                        conv::write_member(ctx, object, #key, value)?;
                    }
                ),
            }
        }
    }

    /// The variant path that builds union `t` from one of its flattened members.
    fn union_paths(&self, t: &Type) -> Vec<(Type, Vec<(String, String)>)> {
        let mut out = Vec::new();
        let mut outer = t.clone();
        outer.nullable = false;
        let outer_name = type_name(&outer);
        if let TypeKind::Union(members) = &t.kind {
            for m in members {
                let mut m = m.clone();
                m.nullable = false;
                let variant = type_name(&m);
                if let TypeKind::Union(_) = m.kind {
                    for (leaf, mut path) in self.union_paths(&m) {
                        path.insert(0, (outer_name.clone(), variant.clone()));
                        out.push((leaf, path));
                    }
                } else {
                    out.push((m, vec![(outer_name.clone(), variant)]));
                }
            }
        }
        out
    }

    pub(crate) fn union(&self, name: &str, t: &Type) -> TokenStream {
        let id = ident(name);
        let lt = self.union_needs_lt(name);
        let self_ty = if lt { quote!(#id<'js>) } else { quote!(#id) };
        let TypeKind::Union(members) = &t.kind else {
            return quote!();
        };
        let mut variants = Vec::new();
        let mut to_js_arms = Vec::new();
        let mut trace_arms = Vec::new();
        for m in members {
            let mut m = m.clone();
            m.nullable = false;
            let v = format_ident!("{}", type_name(&m));
            let rt = self.rust_type_nonnull(&m);
            let doc = m.idl();
            variants.push(quote!(#[doc = #doc] #v(#rt),));
            if matches!(m.kind, TypeKind::Record(..)) {
                to_js_arms.push(quote!(#id::#v(x) => conv::record_to_js(ctx, x),));
            } else {
                to_js_arms.push(quote!(#id::#v(x) => x.to_js(ctx),));
            }
            trace_arms.push(quote!(#id::#v(x) => x.trace(tracer),));
        }
        let paths = self.union_paths(t);
        let candidates: Vec<Candidate> = paths
            .iter()
            .map(|(leaf, _)| Candidate {
                ty: leaf.clone(),
                optional: false,
            })
            .collect();
        let what_name = t.idl();
        let act = |i: usize, member: &Type, rung: Rung| -> TokenStream {
            let _ = rung;
            let path = &paths[i].1;
            let conv = self.conversion(member, quote!(v), &what_name);
            let mut build = quote!(#conv?);
            for (union_name, variant) in path.iter().rev() {
                let u = ident(union_name);
                let var = format_ident!("{}", variant);
                build = quote!(#u::#var(#build));
            }
            quote!(return Ok(#build);)
        };
        let fallback = quote!(return Err(conv::union_error(what, #what_name)););
        let body = self.ladder(&candidates, &act, fallback);
        let doc = format!("The WebIDL union `{}`.", t.idl());
        let gate = self.gate_for_type(t);
        let (head, fn_lt, trace_head, to_js_head) = if lt {
            (
                quote!(impl<'js> #id<'js>),
                quote!(),
                quote!(impl<'js> Trace<'js> for #id<'js>),
                quote!(impl<'js> ToJsValue<'js> for #id<'js>),
            )
        } else {
            (
                quote!(impl #id),
                quote!(<'js>),
                quote!(impl<'js> Trace<'js> for #id),
                quote!(impl<'js> ToJsValue<'js> for #id),
            )
        };
        let decl = if lt {
            quote!(pub enum #id<'js> { #(#variants)* })
        } else {
            quote!(pub enum #id { #(#variants)* })
        };
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Clone, Debug)]
            #decl
            #gate
            #head {
                /// WebIDL "ES to union": the first member type matching the value's kind.
                pub fn from_js #fn_lt (ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<#self_ty> {
                    #body
                }
            }
            #gate
            #to_js_head {
                fn to_js(self, ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                    match self { #(#to_js_arms)* }
                }
            }
            #gate
            #trace_head {
                fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                    match self { #(#trace_arms)* }
                }
            }
        }
    }

    /// Parameters and JS-argument pushes for calling a callback with Rust values.
    fn callback_params(&self, args: &[Argument]) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut params = Vec::new();
        let mut pushes = Vec::new();
        for a in args {
            let n = ident(&a.name);
            let rt = self.rust_type(&a.ty);
            if a.variadic {
                params.push(quote!(#n: Vec<#rt>));
                pushes.push(quote!(for x in #n { args.push(x.to_js(ctx)?); }));
            } else if a.optional && a.default.is_none() {
                params.push(quote!(#n: Option<#rt>));
                pushes.push(quote!(match #n {
                    Some(x) => args.push(x.to_js(ctx)?),
                    None => args.push(Value::new_undefined(ctx.clone())),
                }));
            } else {
                params.push(quote!(#n: #rt));
                pushes.push(quote!(args.push(#n.to_js(ctx)?);));
            }
        }
        (params, pushes)
    }

    fn callback_return(&self, ret: &Type, what: &str) -> (TokenStream, TokenStream) {
        if ret.is_undefined() {
            (
                quote!(()),
                quote!({
                    let _ = r;
                    Ok(())
                }),
            )
        } else {
            let rt = self.rust_type(ret);
            let conv = self.conversion(ret, quote!(r), what);
            (rt, conv)
        }
    }

    pub(crate) fn callback_function(&self, c: &Callback) -> TokenStream {
        let gate = self.gate(&c.name);
        let id = ident(&c.name);
        let name = &c.name;
        let legacy = c.ext_attrs.has("LegacyTreatNonObjectAsNull");
        let (params, pushes) = self.callback_params(&c.args);
        let what = format!("return value of callback {}", c.name);
        let (ret_ty, ret_conv) = self.callback_return(&c.ret, &what);
        let undefined_ret = if c.ret.is_undefined() {
            quote!(Ok(()))
        } else {
            let conv = self.conversion(&c.ret, quote!(Value::new_undefined(ctx.clone())), &what);
            quote!(#conv)
        };
        let check = if legacy {
            quote!(let object = conv::to_object(ctx, v, what)?;)
        } else {
            quote!(
                if !v.is_function() {
                    return Err(Error::Type(format!("{what} is not a function")));
                }
                let object = conv::to_object(ctx, v, what)?;
            )
        };
        let doc = format!("The WebIDL callback function `{}`.", c.name);
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #id<'js> {
                /// The function (or, with [LegacyTreatNonObjectAsNull], any object).
                pub callback: Object<'js>,
            }
            #gate
            impl<'js> #id<'js> {
                /// The callback's IDL name.
                pub const NAME: &'static str = #name;
                /// WebIDL "ES to callback function".
                pub fn from_js(ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<Self> {
                    #check
                    Ok(#id { callback: object })
                }
                /// WebIDL "invoke": calls the function with `this_arg`; a non-callable object
                /// (only with [LegacyTreatNonObjectAsNull]) yields undefined converted.
                pub fn call(&self, ctx: &Ctx<'js>, this_arg: Value<'js>, #(#params),*) -> Fallible<#ret_ty> {
                    if !self.callback.as_value().is_function() {
                        return #undefined_ret;
                    }
                    let mut args: Vec<Value<'js>> = Vec::new();
                    #(#pushes)*
                    let r = conv::call_function(ctx, self.callback.as_value(), this_arg, args)?;
                    #ret_conv
                }
            }
            #gate
            impl<'js> ToJsValue<'js> for #id<'js> {
                fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                    Ok(self.callback.into_value())
                }
            }
            #gate
            impl<'js> Trace<'js> for #id<'js> {
                fn trace<'a>(&self, tracer: Tracer<'a, 'js>) { self.callback.trace(tracer) }
            }
            #gate
            impl<'js> PartialEq for #id<'js> {
                fn eq(&self, other: &Self) -> bool { self.callback == other.callback }
            }
        }
    }

    pub(crate) fn callback_interface(&self, iface: &Interface) -> TokenStream {
        let gate = self.gate(&iface.name);
        let id = ident(&iface.name);
        let Some(op) = iface.operations().next() else {
            return quote!();
        };
        let op_name = op.name.clone().unwrap_or_default();
        let op_id = ident(&op_name);
        let (params, pushes) = self.callback_params(&op.args);
        let what = format!("return value of {}.{}", iface.name, op_name);
        let (ret_ty, ret_conv) = self.callback_return(&op.ret, &what);
        let doc = format!("The WebIDL callback interface `{}`.", iface.name);
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #id<'js> {
                /// The callable object, or an object with the operation as a method.
                pub object: Object<'js>,
            }
            #gate
            impl<'js> #id<'js> {
                /// WebIDL "ES to callback interface": any object.
                pub fn from_js(ctx: &Ctx<'js>, v: Value<'js>, what: &str) -> Fallible<Self> {
                    Ok(#id { object: conv::to_object(ctx, v, what)? })
                }
                /// WebIDL "call a user object's operation".
                pub fn #op_id(&self, ctx: &Ctx<'js>, this_arg: Value<'js>, #(#params),*) -> Fallible<#ret_ty> {
                    let (function, this_arg) = conv::user_object_operation(ctx, &self.object, #op_name, this_arg)?;
                    let mut args: Vec<Value<'js>> = Vec::new();
                    #(#pushes)*
                    let r = conv::call_function(ctx, &function, this_arg, args)?;
                    #ret_conv
                }
            }
            #gate
            impl<'js> ToJsValue<'js> for #id<'js> {
                fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
                    Ok(self.object.into_value())
                }
            }
            #gate
            impl<'js> Trace<'js> for #id<'js> {
                fn trace<'a>(&self, tracer: Tracer<'a, 'js>) { self.object.trace(tracer) }
            }
            #gate
            impl<'js> PartialEq for #id<'js> {
                fn eq(&self, other: &Self) -> bool { self.object == other.object }
            }
        }
    }
}
