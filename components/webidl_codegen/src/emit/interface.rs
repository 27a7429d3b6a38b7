//! Interfaces and namespaces: the `FooMethods` trait, the glue functions that implement the
//! WebIDL ECMAScript binding (brand checks, argument conversion, overload resolution, promise
//! rejection), the static `InterfaceSpec` the runtime turns into interface objects, and the
//! class plumbing (`JsClass`, `DomObject`, `DomInterface`, `Inherits`) for the DOM type.

use super::dispatch::{Candidate, Rung};
use super::names::*;
use super::Emitter;
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// An operation's overloads, under one name.
struct OverloadSet<'a> {
    name: String,
    ops: Vec<&'a Operation>,
}

fn required_count(op: &Operation) -> usize {
    op.args
        .iter()
        .filter(|a| !a.optional && !a.variadic)
        .count()
}

/// The trait method name of overload `i` of `name`.
fn overload_method(name: &str, i: usize) -> Ident {
    if i == 0 {
        ident(name)
    } else {
        format_ident!("{}_{}", ident(name).to_string().trim_start_matches("r#"), i)
    }
}

fn exposure_doc(e: &Exposure) -> String {
    e.names().join(", ")
}

impl Emitter<'_> {
    fn overload_sets<'a>(&self, ops: impl Iterator<Item = &'a Operation>) -> Vec<OverloadSet<'a>> {
        let mut sets: Vec<OverloadSet<'a>> = Vec::new();
        for op in ops {
            let Some(name) = &op.name else { continue };
            match sets.iter_mut().find(|s| &s.name == name) {
                Some(s) => s.ops.push(op),
                None => sets.push(OverloadSet {
                    name: name.clone(),
                    ops: vec![op],
                }),
            }
        }
        sets
    }

    /// Rust parameter list for an operation's arguments.
    fn param_list(&self, args: &[Argument]) -> Vec<TokenStream> {
        args.iter()
            .map(|a| {
                let n = ident(&a.name);
                let rt = self.rust_type(&a.ty);
                if a.variadic {
                    quote!(#n: Vec<#rt>)
                } else if a.optional && a.default.is_none() {
                    quote!(#n: Option<#rt>)
                } else {
                    quote!(#n: #rt)
                }
            })
            .collect()
    }

    fn ret_type(&self, t: &Type) -> TokenStream {
        if t.is_undefined() {
            quote!(())
        } else {
            self.rust_type(t)
        }
    }

    /// Statements converting `params`' arguments into `a0, a1, ...`.
    fn convert_args(&self, args: &[Argument], what: &str) -> (Vec<TokenStream>, Vec<Ident>) {
        let mut stmts = Vec::new();
        let mut names = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let n = format_ident!("a{}", i);
            let w = format!("{}: argument {} ('{}')", what, i + 1, a.name);
            if a.variadic {
                let conv = self.conversion(&a.ty, quote!(v), &w);
                stmts.push(quote!(
                    let mut #n = Vec::new();
                    for index in #i..params.len() {
                        let v = glue::arg(params, index);
                        #n.push(#conv?);
                    }
                ));
            } else if a.optional {
                let conv = self.conversion(&a.ty, quote!(v), &w);
                let missing = match &a.default {
                    Some(d) => self.default_value(&a.ty, d, &w),
                    None => quote!(None),
                };
                let present = if a.default.is_some() {
                    quote!(#conv?)
                } else {
                    quote!(Some(#conv?))
                };
                stmts.push(quote!(
                    let #n = {
                        let v = glue::arg(params, #i);
                        if v.is_undefined() { #missing } else { #present }
                    };
                ));
            } else {
                let conv = self.conversion(&a.ty, quote!(glue::arg(params, #i)), &w);
                stmts.push(quote!(let #n = #conv?;));
            }
            names.push(n);
        }
        (stmts, names)
    }

    /// The body that wraps a glue closure: promise-returning members reject instead of throw.
    fn guard(&self, returns_promise: bool, body: TokenStream) -> TokenStream {
        if returns_promise {
            quote!(glue::guard_promise(params.ctx(), || -> Fallible<Value<'js>> { #body }))
        } else {
            quote!(glue::guard(params.ctx(), || -> Fallible<Value<'js>> { #body }))
        }
    }

    pub(crate) fn interface(&self, iface: &Interface) -> TokenStream {
        let is_namespace = iface.kind == InterfaceKind::Namespace;
        let gate = self.gate(&iface.name);
        let types = self.types_path.clone();
        let id = ident(&iface.name);
        let bare = id.to_string().trim_start_matches("r#").to_string();
        let module = format_ident!("{}Binding", bare);
        let trait_name = format_ident!("{}Methods", bare);
        let name = &iface.name;
        let self_ty = if is_namespace {
            quote!(#types::#id)
        } else {
            quote!(#types::#id<'js>)
        };
        let is_global = iface.global_names().is_some();
        let mut trait_items = Vec::new();
        let mut glue = Vec::new();
        let mut attr_specs = Vec::new();
        let mut static_attr_specs = Vec::new();
        let mut unforgeable_specs = Vec::new();
        let mut op_specs = Vec::new();
        let mut static_op_specs = Vec::new();
        let mut const_specs = Vec::new();

        let this_expr = quote!(let this = glue::this_object::<#self_ty>(params)?;);
        let cx_this =
            quote!(let cx = Cx::new(ctx, this.reflector().clone().into_value(), params.this()););
        let cx_static =
            quote!(let cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), params.this()););

        // Constants.
        for c in iface.consts() {
            let n = &c.name;
            let value = match &c.value {
                ConstValue::Boolean(b) => quote!(ConstValue::Bool(#b)),
                ConstValue::Integer(i) => {
                    let f = *i as f64;
                    quote!(ConstValue::Number(#f))
                }
                ConstValue::Float(f) => {
                    let f = super::float_lit64(*f);
                    quote!(ConstValue::Number(#f))
                }
                ConstValue::Null => quote!(ConstValue::Null),
            };
            const_specs.push(quote!(ConstSpec { name: #n, value: #value },));
        }

        // Attributes.
        for a in iface.attributes() {
            let mask = self.exposure_mask(&a.exposure);
            let secure = a.ext_attrs.has("SecureContext");
            let pref = match a.ext_attrs.string("Pref") {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            let getter_fn = format_ident!(
                "get_{}",
                ident(&a.name).to_string().trim_start_matches("r#")
            );
            let setter_fn = format_ident!(
                "set_{}",
                ident(&a.name).to_string().trim_start_matches("r#")
            );
            let lenient = a.ext_attrs.has("LegacyLenientThis");
            let this_or_lenient = if lenient {
                quote!(
                    let this = match glue::this_object::<#self_ty>(params) {
                        Ok(this) => this,
                        Err(_) => return Ok(Value::new_undefined(ctx.clone())),
                    };
                )
            } else {
                this_expr.clone()
            };
            let what = format!("{}.{}", iface.name, a.name);
            let has_setter;
            if self.is_event_handler(&a.ty) {
                let event = a.name.strip_prefix("on").unwrap_or(&a.name).to_string();
                let kind = match a.ty.typedef.as_deref() {
                    Some("OnErrorEventHandler") => quote!(EventHandlerKind::OnError),
                    Some("OnBeforeUnloadEventHandler") => quote!(EventHandlerKind::OnBeforeUnload),
                    _ => quote!(EventHandlerKind::Normal),
                };
                let get_body = self.guard(
                    false,
                    quote!(
                        let ctx = params.ctx();
                        #this_or_lenient
                        let target = this.upcast::<#types::EventTarget<'js>>();
                        event_handler::get(ctx, &target, #event)
                    ),
                );
                let set_body = self.guard(
                    false,
                    quote!(
                        let ctx = params.ctx();
                        #this_or_lenient
                        glue::require_args(params, 1, #what)?;
                        let target = this.upcast::<#types::EventTarget<'js>>();
                        event_handler::set(ctx, &target, #event, glue::arg(params, 0), #kind)?;
                        Ok(Value::new_undefined(ctx.clone()))
                    ),
                );
                glue.push(quote!(
                    fn #getter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #get_body }
                    fn #setter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #set_body }
                ));
                has_setter = true;
            } else {
                let m = ident(&a.name);
                let rt = self.rust_type(&a.ty);
                let doc = format!(
                    "{}{}attribute {} {}; [Exposed={}]",
                    if a.is_static { "static " } else { "" },
                    if a.readonly { "readonly " } else { "" },
                    a.ty.idl(),
                    a.name,
                    exposure_doc(&a.exposure)
                );
                let returns_promise = a.ty.is_promise();
                if a.is_static || is_namespace {
                    trait_items.push(quote!(
                        #[doc = #doc]
                        fn #m(cx: &Cx<'js>) -> Fallible<#rt> where Self: Sized;
                    ));
                    let body = self.guard(
                        returns_promise,
                        quote!(
                            let ctx = params.ctx();
                            #cx_static
                            let r = <#self_ty as #trait_name<'js>>::#m(&cx)?;
                            r.to_js(ctx)
                        ),
                    );
                    glue.push(quote!(
                        fn #getter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                } else {
                    trait_items.push(quote!(
                        #[doc = #doc]
                        fn #m(&self, cx: &Cx<'js>) -> Fallible<#rt>;
                    ));
                    let compute = quote!(
                        #cx_this
                        let r = <#self_ty as #trait_name<'js>>::#m(&this, &cx)?;
                        r.to_js(ctx)
                    );
                    // [SameObject]: the first value is kept per object and returned every time.
                    let compute = if a.ext_attrs.has("SameObject") {
                        let n = &a.name;
                        quote!(realm::same_object(ctx, this.reflector(), #n, || { #compute }))
                    } else {
                        compute
                    };
                    let body = self.guard(
                        returns_promise,
                        quote!(
                            let ctx = params.ctx();
                            #this_or_lenient
                            #compute
                        ),
                    );
                    glue.push(quote!(
                        fn #getter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                }
                if let Some(target) = a.ext_attrs.string("PutForwards") {
                    let n = &a.name;
                    let body = self.guard(
                        false,
                        quote!(
                            let ctx = params.ctx();
                            #this_or_lenient
                            glue::require_args(params, 1, #what)?;
                            glue::put_forwards(ctx, this.reflector(), #n, #target, glue::arg(params, 0))?;
                            Ok(Value::new_undefined(ctx.clone()))
                        ),
                    );
                    glue.push(quote!(
                        fn #setter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                    has_setter = true;
                } else if a.ext_attrs.has("Replaceable") {
                    let n = &a.name;
                    let body = self.guard(
                        false,
                        quote!(
                            let ctx = params.ctx();
                            #this_or_lenient
                            glue::require_args(params, 1, #what)?;
                            glue::replace_property(ctx, this.reflector(), #n, glue::arg(params, 0))?;
                            Ok(Value::new_undefined(ctx.clone()))
                        ),
                    );
                    glue.push(quote!(
                        fn #setter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                    has_setter = true;
                } else if !a.readonly {
                    let sm = format_ident!(
                        "set_{}",
                        ident(&a.name).to_string().trim_start_matches("r#")
                    );
                    let conv = self.conversion(&a.ty, quote!(glue::arg(params, 0)), &what);
                    let doc = format!("Setter of `{}`.", a.name);
                    if a.is_static || is_namespace {
                        trait_items.push(quote!(
                            #[doc = #doc]
                            fn #sm(cx: &Cx<'js>, value: #rt) -> Fallible<()> where Self: Sized;
                        ));
                        let body = self.guard(
                            false,
                            quote!(
                                let ctx = params.ctx();
                                glue::require_args(params, 1, #what)?;
                                let value = #conv?;
                                #cx_static
                                <#self_ty as #trait_name<'js>>::#sm(&cx, value)?;
                                Ok(Value::new_undefined(ctx.clone()))
                            ),
                        );
                        glue.push(quote!(
                            fn #setter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                        ));
                    } else {
                        trait_items.push(quote!(
                            #[doc = #doc]
                            fn #sm(&self, cx: &Cx<'js>, value: #rt) -> Fallible<()>;
                        ));
                        let body = self.guard(
                            false,
                            quote!(
                                let ctx = params.ctx();
                                #this_or_lenient
                                glue::require_args(params, 1, #what)?;
                                let value = #conv?;
                                #cx_this
                                <#self_ty as #trait_name<'js>>::#sm(&this, &cx, value)?;
                                Ok(Value::new_undefined(ctx.clone()))
                            ),
                        );
                        glue.push(quote!(
                            fn #setter_fn<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                        ));
                    }
                    has_setter = true;
                } else {
                    has_setter = false;
                }
            }
            let n = &a.name;
            let setter = if has_setter {
                quote!(Some(#setter_fn))
            } else {
                quote!(None)
            };
            let spec = quote!(AttrSpec {
                name: #n,
                getter: #getter_fn,
                setter: #setter,
                exposure: #mask,
                secure_context: #secure,
                pref: #pref,
            },);
            if a.is_static || is_namespace {
                static_attr_specs.push(spec);
            } else if a.ext_attrs.has("LegacyUnforgeable") {
                unforgeable_specs.push(spec);
            } else {
                attr_specs.push(spec);
            }
            if a.stringifier {
                let m = ident(&a.name);
                let body = self.guard(
                    false,
                    quote!(
                        let ctx = params.ctx();
                        #this_expr
                        #cx_this
                        let r = <#self_ty as #trait_name<'js>>::#m(&this, &cx)?;
                        r.to_js(ctx)
                    ),
                );
                glue.push(quote!(
                    fn op_toString<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                ));
                op_specs.push(quote!(OpSpec { name: "toString", method: op_toString, length: 0, exposure: #mask, secure_context: false, pref: None, unforgeable: false },));
            }
        }

        // `stringifier;`
        if iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Stringifier { .. }))
        {
            trait_items.push(quote!(
                /// `stringifier;` (the result of `toString()`).
                fn stringifier(&self, cx: &Cx<'js>) -> Fallible<DOMString>;
            ));
            let mask = self.exposure_mask(&iface.exposure);
            let body = self.guard(
                false,
                quote!(
                    let ctx = params.ctx();
                    #this_expr
                    #cx_this
                    let r = <#self_ty as #trait_name<'js>>::stringifier(&this, &cx)?;
                    r.to_js(ctx)
                ),
            );
            glue.push(quote!(
                fn op_toString<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
            ));
            op_specs.push(quote!(OpSpec { name: "toString", method: op_toString, length: 0, exposure: #mask, secure_context: false, pref: None, unforgeable: false },));
        }

        // Operations (regular and static), grouped by name for overloads.
        let regular: Vec<&Operation> = iface
            .operations()
            .filter(|o| !o.is_static && !is_namespace)
            .collect();
        let statics: Vec<&Operation> = iface
            .operations()
            .filter(|o| o.is_static || is_namespace)
            .collect();
        // A static operation named like a regular member (Response.json and Body's json())
        // gets its own trait method name: `<name>_static`.
        let regular_names: std::collections::BTreeSet<String> = regular
            .iter()
            .filter_map(|o| o.name.clone())
            .chain(iface.attributes().map(|a| a.name.clone()))
            .collect();
        for (is_static, ops) in [(false, regular), (true, statics)] {
            for set in self.overload_sets(ops.into_iter()) {
                let returns_promise = set.ops[0].ret.is_promise();
                let what = format!("{}.{}", iface.name, set.name);
                let clash = is_static && regular_names.contains(&set.name);
                let glue_prefix = if is_static { "static_" } else { "" };
                let mut fns = Vec::new();
                for (i, op) in set.ops.iter().enumerate() {
                    let m = if clash {
                        overload_method(&format!("{}_static", set.name), i)
                    } else {
                        overload_method(&set.name, i)
                    };
                    let params_decl = self.param_list(&op.args);
                    let rt = self.ret_type(&op.ret);
                    let doc = format!(
                        "{}{} {}({}); [Exposed={}]",
                        if is_static { "static " } else { "" },
                        if op.ret.is_undefined() {
                            "undefined".to_string()
                        } else {
                            op.ret.idl()
                        },
                        set.name,
                        op.args
                            .iter()
                            .map(|a| format!(
                                "{}{}{} {}",
                                if a.optional && !a.variadic {
                                    "optional "
                                } else {
                                    ""
                                },
                                a.ty.idl(),
                                if a.variadic { "..." } else { "" },
                                a.name
                            ))
                            .collect::<Vec<_>>()
                            .join(", "),
                        exposure_doc(&op.exposure)
                    );
                    if is_static {
                        trait_items.push(quote!(
                            #[doc = #doc]
                            fn #m(cx: &Cx<'js>, #(#params_decl),*) -> Fallible<#rt> where Self: Sized;
                        ));
                    } else {
                        trait_items.push(quote!(
                            #[doc = #doc]
                            fn #m(&self, cx: &Cx<'js>, #(#params_decl),*) -> Fallible<#rt>;
                        ));
                    }
                    let (convs, names) = self.convert_args(&op.args, &what);
                    let fn_name =
                        format_ident!("op_{}{}_{}", glue_prefix, bare_ident(&set.name), i);
                    let required = required_count(op);
                    // Brand check first, then argument count, then conversions (WebIDL order).
                    let (brand, call) = if is_static {
                        (
                            quote!(),
                            quote!(
                                #cx_static
                                let r = <#self_ty as #trait_name<'js>>::#m(&cx, #(#names),*)?;
                            ),
                        )
                    } else {
                        (
                            this_expr.clone(),
                            quote!(
                                #cx_this
                                let r = <#self_ty as #trait_name<'js>>::#m(&this, &cx, #(#names),*)?;
                            ),
                        )
                    };
                    let body = self.guard(
                        returns_promise,
                        quote!(
                            let ctx = params.ctx();
                            #brand
                            glue::require_args(params, #required, #what)?;
                            #(#convs)*
                            #call
                            r.to_js(ctx)
                        ),
                    );
                    glue.push(quote!(
                        fn #fn_name<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                    fns.push(fn_name);
                }
                let entry = if set.ops.len() == 1 {
                    fns[0].clone()
                } else {
                    let dispatcher = format_ident!("op_{}{}", glue_prefix, bare_ident(&set.name));
                    let brand = if is_static {
                        quote!()
                    } else {
                        this_expr.clone()
                    };
                    let body =
                        self.overload_dispatch(&set.ops, &fns, &what, returns_promise, brand);
                    glue.push(quote!(
                        fn #dispatcher<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                    ));
                    dispatcher
                };
                let n = &set.name;
                let length = set.ops.iter().map(|o| required_count(o)).min().unwrap_or(0) as u32;
                let mask = set
                    .ops
                    .iter()
                    .map(|o| self.exposure_mask(&o.exposure))
                    .fold(0, |a, b| a | b);
                let secure = set.ops.iter().all(|o| o.ext_attrs.has("SecureContext"));
                let pref = match set.ops[0].ext_attrs.string("Pref") {
                    Some(p) => quote!(Some(#p)),
                    None => quote!(None),
                };
                let unforgeable = set.ops.iter().any(|o| o.ext_attrs.has("LegacyUnforgeable"));
                let spec = quote!(OpSpec { name: #n, method: #entry, length: #length, exposure: #mask, secure_context: #secure, pref: #pref, unforgeable: #unforgeable },);
                if is_static {
                    static_op_specs.push(spec);
                } else {
                    op_specs.push(spec);
                }
                if set.ops.iter().any(|o| o.stringifier) {
                    op_specs.push(quote!(OpSpec { name: "toString", method: #entry, length: 0, exposure: #mask, secure_context: false, pref: None, unforgeable: false },));
                }
            }
        }

        // Constructors.
        let constructor = if iface.constructors.is_empty() {
            quote!(None)
        } else {
            let what = format!("{} constructor", iface.name);
            trait_items.push(quote!(
                /// Runs once the constructed object has its reflector (for objects that must
                /// register themselves somewhere); nothing by default.
                fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()>
                where
                    Self: Sized,
                {
                    let _ = (cx, this);
                    Ok(())
                }
            ));
            let mut fns = Vec::new();
            for (i, c) in iface.constructors.iter().enumerate() {
                let m = overload_method("Constructor", i);
                let params_decl = self.param_list(&c.args);
                let doc = format!(
                    "constructor({});",
                    c.args
                        .iter()
                        .map(|a| format!(
                            "{}{} {}",
                            if a.optional { "optional " } else { "" },
                            a.ty.idl(),
                            a.name
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                trait_items.push(quote!(
                    #[doc = #doc]
                    fn #m(cx: &Cx<'js>, #(#params_decl),*) -> Fallible<Self> where Self: Sized;
                ));
                let (convs, names) = self.convert_args(&c.args, &what);
                let required = required_count(c);
                let fn_name = format_ident!("construct_{}", i);
                let body = self.guard(
                    false,
                    quote!(
                        let ctx = params.ctx();
                        glue::require_new(params, #name)?;
                        glue::require_args(params, #required, #what)?;
                        #(#convs)*
                        let proto = glue::new_target_prototype(params, PrototypeId::#id as usize, #name)?;
                        #cx_static
                        let value = <#self_ty as #trait_name<'js>>::#m(&cx, #(#names),*)?;
                        let dom = reflect_with_proto(ctx, value, proto)?;
                        <#self_ty as #trait_name<'js>>::Constructed(&cx, &dom)?;
                        Ok(dom.reflector().clone().into_value())
                    ),
                );
                glue.push(quote!(
                    fn #fn_name<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                ));
                fns.push(fn_name);
            }
            let length = iface
                .constructors
                .iter()
                .map(required_count)
                .min()
                .unwrap_or(0) as u32;
            let entry = if fns.len() == 1 {
                fns[0].clone()
            } else {
                let body = self.overload_dispatch(
                    &iface.constructors.iter().collect::<Vec<_>>(),
                    &fns,
                    &what,
                    false,
                    quote!(glue::require_new(params, #name)?;),
                );
                glue.push(quote!(
                    fn construct<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
                ));
                format_ident!("construct")
            };
            quote!(Some(CtorSpec { method: #entry, length: #length }))
        };

        // A pair iterable (`iterable<K, V>`).
        let pair_iterable = iface.members.iter().find_map(|m| match m {
            Member::Iterable(it) if !it.is_async => it.key.as_ref().map(|k| (k, &it.value)),
            _ => None,
        });
        let iterable = match pair_iterable {
            None => quote!(None),
            Some((k, v)) => {
                let kt = self.rust_type(k);
                let vt = self.rust_type(v);
                let doc = format!(
                    "The value pairs to iterate over (`iterable<{}, {}>`), read afresh at each step.",
                    k.idl(),
                    v.idl()
                );
                trait_items.push(quote!(
                    #[doc = #doc]
                    fn value_pairs(&self, cx: &Cx<'js>) -> Fallible<Vec<(#kt, #vt)>>;
                ));
                let make = |f: Ident, kind: TokenStream| {
                    let body = self.guard(
                        false,
                        quote!(
                            let ctx = params.ctx();
                            #this_expr
                            iterable::create_iterator(ctx, this.reflector().clone(), #kind, PrototypeId::#id as usize)
                        ),
                    );
                    quote!(fn #f<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body })
                };
                glue.push(make(
                    format_ident!("iter_entries"),
                    quote!(IterKind::KeyValue),
                ));
                glue.push(make(format_ident!("iter_keys"), quote!(IterKind::Key)));
                glue.push(make(format_ident!("iter_values"), quote!(IterKind::Value)));
                let next_body = self.guard(
                    false,
                    quote!(iterable::next(params, PrototypeId::#id as usize, iterable_pairs)),
                );
                let for_each_body = self.guard(
                    false,
                    quote!(
                        #this_expr
                        iterable::for_each(params, this.reflector().clone(), iterable_pairs)
                    ),
                );
                glue.push(quote!(
                    fn iterable_pairs<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> Fallible<Vec<(Value<'js>, Value<'js>)>> {
                        let this = <#self_ty as DomInterface<'js>>::unwrap(&target.clone().into_value())
                            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
                        let cx = Cx::new(ctx, target.clone().into_value(), target.clone().into_value());
                        let pairs = <#self_ty as #trait_name<'js>>::value_pairs(&this, &cx)?;
                        let mut out = Vec::with_capacity(pairs.len());
                        for (k, v) in pairs {
                            out.push((k.to_js(ctx)?, v.to_js(ctx)?));
                        }
                        Ok(out)
                    }
                    fn iter_next<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #next_body }
                    fn iter_for_each<'js>(params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> { #for_each_body }
                ));
                quote!(Some(IterableSpec {
                    entries: iter_entries,
                    keys: iter_keys,
                    values: iter_values,
                    for_each: iter_for_each,
                    next: iter_next,
                }))
            }
        };

        // The spec the runtime builds interface objects from.
        let mask = self.exposure_mask(&iface.exposure);
        let secure = iface.ext_attrs.has("SecureContext");
        let pref = match iface.ext_attrs.string("Pref") {
            Some(p) => quote!(Some(#p)),
            None => quote!(None),
        };
        let no_interface_object = iface.ext_attrs.has("LegacyNoInterfaceObject");
        let (proto_id, parent, proto_parent, kind) = if is_namespace {
            (
                quote!(usize::MAX),
                quote!(None),
                quote!(ProtoParent::Object),
                quote!(SpecKind::Namespace),
            )
        } else {
            let parent = match &iface.parent {
                Some(p) => {
                    let pid = ident(p);
                    quote!(Some(PrototypeId::#pid as usize))
                }
                None => quote!(None),
            };
            let proto_parent = match &iface.parent {
                Some(p) => {
                    let pid = ident(p);
                    quote!(ProtoParent::Interface(PrototypeId::#pid as usize))
                }
                None if iface.name == "DOMException" => quote!(ProtoParent::Error),
                None => quote!(ProtoParent::Object),
            };
            let kind = if is_global {
                quote!(SpecKind::Global)
            } else {
                quote!(SpecKind::Interface)
            };
            (
                quote!(PrototypeId::#id as usize),
                parent,
                proto_parent,
                kind,
            )
        };

        let doc = format!(
            "The operations and attributes of `{}` [Exposed={}], implemented by the DOM type.",
            iface.name,
            exposure_doc(&iface.exposure)
        );
        let array_iterator = iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Operation(o) if super::is_indexed_getter(o)));
        let value_iterable = iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Iterable(it) if it.key.is_none() && !it.is_async));
        let class_impls = if is_namespace {
            quote!()
        } else {
            self.class_impls(iface)
        };
        quote! {
            #gate
            #[doc = concat!("Bindings of the WebIDL ", #name, ".")]
            pub mod #module {
                use super::*;
                #[doc = #doc]
                pub trait #trait_name<'js> {
                    #(#trait_items)*
                }
                #(#glue)*
                /// What the runtime turns into the interface object and prototype.
                pub static INTERFACE: InterfaceSpec = InterfaceSpec {
                    name: #name,
                    kind: #kind,
                    id: #proto_id,
                    parent: #parent,
                    proto_parent: #proto_parent,
                    exposure: #mask,
                    secure_context: #secure,
                    pref: #pref,
                    no_interface_object: #no_interface_object,
                    constructor: #constructor,
                    constants: &[#(#const_specs)*],
                    attributes: &[#(#attr_specs)*],
                    unforgeable_attributes: &[#(#unforgeable_specs)*],
                    operations: &[#(#op_specs)*],
                    static_attributes: &[#(#static_attr_specs)*],
                    static_operations: &[#(#static_op_specs)*],
                    iterable: #iterable,
                    array_iterator: #array_iterator,
                    value_iterable: #value_iterable,
                };
            }
            #class_impls
        }
    }

    /// `JsClass`, `JsLifetime`, `DomObject`, `DomInterface` and `Inherits` for the DOM type.
    fn class_impls(&self, iface: &Interface) -> TokenStream {
        let gate = self.gate(&iface.name);
        let types = &self.types_path;
        let id = ident(&iface.name);
        let name = &iface.name;
        let ancestry = self.defs.ancestry(&iface.name);
        let mut inherits = Vec::new();
        for (depth, ancestor) in ancestry.iter().enumerate() {
            let a = ident(ancestor);
            let mut expr = quote!(self);
            for _ in 0..depth {
                expr = quote!(HasParent::parent(#expr));
            }
            inherits.push(quote!(
                #gate
                impl<'js> Inherits<'js, #types::#a<'js>> for #types::#id<'js> {
                    fn upcast_ref(&self) -> &#types::#a<'js> { #expr }
                }
            ));
        }
        // Brand check: the type itself, then every descendant (which embeds it).
        let mut checks = vec![quote!(
            if let Some(class) = data.as_class::<#types::#id<'js>>() {
                return Some(Dom::from_class(visible, class));
            }
        )];
        for d in self.defs.descendants(&iface.name) {
            if self.defs.interfaces[&d].kind != InterfaceKind::Interface {
                continue;
            }
            let dgate = self.gate(&d);
            let did = ident(&d);
            checks.push(quote!(
                #dgate
                if let Some(class) = data.as_class::<#types::#did<'js>>() {
                    return Some(Dom::from_class(visible, class).upcast());
                }
            ));
        }
        let is_global_ancestor = self
            .globals
            .iter()
            .any(|g| self.defs.ancestry(g).iter().any(|a| a == &iface.name));
        let resolve = if is_global_ancestor {
            quote!(let (visible, data) = realm::class_object(v)?;)
        } else {
            quote!(
                let visible = v.as_object()?.clone();
                let data = visible.clone();
            )
        };
        let (exotic, exotic_helper) = self.indexed_getter_hooks(iface);
        quote! {
            #gate
            impl<'js> JsClass<'js> for #types::#id<'js> {
                const NAME: &'static str = #name;
                type Mutable = Readable;
                fn prototype(ctx: &Ctx<'js>) -> rquickjs::Result<Option<Object<'js>>> {
                    Ok(realm::prototype(ctx, PrototypeId::#id as usize))
                }
                fn constructor(_ctx: &Ctx<'js>) -> rquickjs::Result<Option<Constructor<'js>>> {
                    Ok(None)
                }
                #exotic
            }
            #exotic_helper
            #gate
            unsafe impl<'js> JsLifetime<'js> for #types::#id<'js> {
                type Changed<'to> = #types::#id<'to>;
            }
            #gate
            impl<'js> DomObject<'js> for #types::#id<'js> {
                const PROTO_ID: usize = PrototypeId::#id as usize;
                const NAME: &'static str = #name;
            }
            #gate
            impl<'js> DomInterface<'js> for #types::#id<'js> {
                fn unwrap(v: &Value<'js>) -> Option<Dom<'js, Self>> {
                    #resolve
                    #(#checks)*
                    None
                }
            }
            #(#inherits)*
        }
    }

    /// For an interface with an indexed property getter (a legacy platform object): an
    /// exotic class whose hooks answer for the supported property indices through the
    /// getter (`bindings::legacy`). The getter is called without a `this` value.
    fn indexed_getter_hooks(&self, iface: &Interface) -> (TokenStream, TokenStream) {
        let Some(op) = iface
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Operation(o) if super::is_indexed_getter(o) => Some(o),
                _ => None,
            })
            .next()
        else {
            return (quote!(), quote!());
        };
        let id = ident(&iface.name);
        let types = &self.types_path;
        let trait_name = format_ident!("{}Methods", iface.name);
        let module = format_ident!("{}Binding", iface.name);
        let m = overload_method(op.name.as_deref().unwrap_or_default(), 0);
        let get_fn = format_ident!("indexed_get_{}", iface.name);
        let gate = self.gate(&iface.name);
        let helper = quote! {
            #gate
            /// The indexed property getter: the value at `i`, or None if `i` is not a supported
            /// property index (the getter returned null).
            fn #get_fn<'js>(
                this: &rquickjs::class::JsCell<'js, #types::#id<'js>>,
                ctx: &Ctx<'js>,
                i: u32,
            ) -> Fallible<Option<Value<'js>>> {
                let cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                let r = <#types::#id<'js> as #module::#trait_name<'js>>::#m(&*this.borrow(), &cx, i)?;
                let v = r.to_js(ctx)?;
                Ok(if v.is_null() || v.is_undefined() { None } else { Some(v) })
            }
        };
        let hooks = quote! {
            const KIND: rquickjs::class::ClassKind = rquickjs::class::ClassKind::Exotic;
            fn exotic_get_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
                receiver: Value<'js>,
            ) -> rquickjs::Result<Value<'js>> {
                let get = |i: u32| #get_fn(this, ctx, i);
                legacy::get_property(ctx, PrototypeId::#id as usize, atom, receiver, &get)
            }
            fn exotic_set_property(
                _this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
                receiver: Value<'js>,
                value: Value<'js>,
            ) -> rquickjs::Result<bool> {
                legacy::set_property(ctx, PrototypeId::#id as usize, atom, receiver, value)
            }
            fn exotic_delete_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<bool> {
                let get = |i: u32| #get_fn(this, ctx, i);
                legacy::delete_property(ctx, atom, &get)
            }
            fn exotic_has_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<bool> {
                let get = |i: u32| #get_fn(this, ctx, i);
                legacy::has_property(ctx, PrototypeId::#id as usize, atom, &get)
            }
            fn exotic_get_own_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<Option<rquickjs::class::PropertyDescriptor<'js>>> {
                let get = |i: u32| #get_fn(this, ctx, i);
                legacy::get_own_property(ctx, atom, &get)
            }
            fn exotic_get_own_property_names(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
            ) -> rquickjs::Result<Vec<rquickjs::class::PropertyName<'js>>> {
                let get = |i: u32| #get_fn(this, ctx, i);
                legacy::own_property_names(ctx, &get)
            }
        };
        (hooks, helper)
    }

    /// WebIDL overload resolution over `ops` (all of one name), calling `fns[i]` for the
    /// chosen overload.
    fn overload_dispatch(
        &self,
        ops: &[&Operation],
        fns: &[Ident],
        what: &str,
        returns_promise: bool,
        before: TokenStream,
    ) -> TokenStream {
        // Effective overload set: for each argument count, the overloads that accept it.
        let max_args = ops.iter().map(|o| o.args.len()).max().unwrap_or(0);
        let mut arms = Vec::new();
        let mut by_count: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for n in 0..=max_args {
            for (i, op) in ops.iter().enumerate() {
                let required = required_count(op);
                let variadic = op.args.last().is_some_and(|a| a.variadic);
                if n >= required && (n <= op.args.len() || variadic) {
                    by_count.entry(n).or_default().push(i);
                }
            }
        }
        for (n, entries) in &by_count {
            let n = *n;
            let arm = if entries.len() == 1 {
                let f = &fns[entries[0]];
                quote!(return Ok(#f(params)?);)
            } else {
                // The distinguishing argument index: the first position where the entries'
                // types differ.
                let d = (0..n)
                    .find(|&i| {
                        let types: Vec<String> = entries
                            .iter()
                            .map(|&e| arg_type_at(ops[e], i).map(|t| t.idl()).unwrap_or_default())
                            .collect();
                        types.iter().any(|t| t != &types[0])
                    })
                    .unwrap_or(0);
                let candidates: Vec<Candidate> = entries
                    .iter()
                    .map(|&e| Candidate {
                        ty: arg_type_at(ops[e], d)
                            .cloned()
                            .unwrap_or(Type::new(TypeKind::Any)),
                        optional: ops[e].args.get(d).is_some_and(|a| a.optional),
                    })
                    .collect();
                let act = |i: usize, _m: &Type, _r: Rung| -> TokenStream {
                    let f = &fns[entries[i]];
                    quote!(return Ok(#f(params)?);)
                };
                let msg = format!("{what}: no overload matches argument {}", d + 1);
                let ladder = self.ladder(
                    &candidates,
                    &act,
                    quote!(return Err(Error::Type(#msg.to_string()));),
                );
                quote!({
                    let v = glue::arg(params, #d);
                    #ladder
                })
            };
            arms.push(quote!(#n => { #arm }));
        }
        let min = by_count.keys().next().copied().unwrap_or(0);
        let body = quote!(
            let ctx = params.ctx();
            #before
            let count = params.len().min(#max_args);
            match count {
                #(#arms)*
                _ => Err(glue::not_enough_arguments(#what, #min, params.len())),
            }
        );
        self.guard(returns_promise, body)
    }
}

fn arg_type_at(op: &Operation, i: usize) -> Option<&Type> {
    match op.args.get(i) {
        Some(a) => Some(&a.ty),
        None => op.args.last().filter(|a| a.variadic).map(|a| &a.ty),
    }
}

fn bare_ident(name: &str) -> String {
    ident(name).to_string().trim_start_matches("r#").to_string()
}
