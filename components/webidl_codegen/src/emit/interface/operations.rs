//! WebIDL §3.7.7 Operations and §3.7.8 Stringifiers: for each operation (each overload) the
//! trait method and its glue, for each name an `OpSpec` (with an overload dispatcher when
//! there are several); `toString` for a stringifier.

use super::overloads::OverloadSet;
use super::{exposure_doc, overload_method, required_count, unsuffixed, Binding};
use crate::emit::names::ident;
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

impl Emitter<'_> {
    /// `stringifier attribute T foo;`: `toString()` returns the attribute's value.
    pub(super) fn stringifier_attribute(&self, b: &mut Binding, a: &Attribute) {
        self.to_string_operation(b, ident(&a.name), &a.exposure);
    }

    /// `stringifier;`: `toString()` calls the trait's `stringifier`.
    pub(super) fn stringifier(&self, b: &mut Binding) {
        let iface = b.iface;
        if !iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Stringifier { .. }))
        {
            return;
        }
        b.trait_items.push(quote!(
            /// `stringifier;` (the result of `toString()`).
            fn stringifier(&self, cx: &Cx<'js>) -> Fallible<DOMString>;
        ));
        self.to_string_operation(b, format_ident!("stringifier"), &iface.exposure);
    }

    /// The `toString()` operation of a stringifier: glue calling the trait's `method`.
    fn to_string_operation(&self, b: &mut Binding, method: Ident, exposure: &Exposure) {
        let what = format!("{}.toString", b.iface.name);
        let methods = &b.methods;
        let body = quote!(glue::method(params, #what, 0, #methods::#method));
        b.glue_fn(&format_ident!("op_toString"), body);
        let mask = self.exposure_mask(exposure);
        b.operations
            .push(quote!(OpSpec::new("toString", op_toString, 0, #mask),));
    }

    /// Regular and static operations, grouped by name for overloads.
    pub(super) fn operations(&self, b: &mut Binding) {
        let iface = b.iface;
        let is_namespace = b.is_namespace;
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
        let regular_names: BTreeSet<String> = regular
            .iter()
            .filter_map(|o| o.name.clone())
            .chain(iface.attributes().map(|a| a.name.clone()))
            .collect();
        for (is_static, ops) in [(false, regular), (true, statics)] {
            for set in OverloadSet::group(ops.into_iter()) {
                let clash = is_static && regular_names.contains(&set.name);
                self.operation(b, &set, is_static, clash);
            }
        }
    }

    /// One name's overloads: a trait method and glue function each, the dispatcher, the spec.
    fn operation(&self, b: &mut Binding, set: &OverloadSet, is_static: bool, clash: bool) {
        let what = format!("{}.{}", b.iface.name, set.name);
        let glue_prefix = if is_static { "static_" } else { "" };
        let bare = super::bare_ident(&set.name);
        let mut fns = Vec::new();
        for (i, op) in set.ops.iter().enumerate() {
            let m = if clash {
                overload_method(&format!("{}_static", set.name), i)
            } else {
                overload_method(&set.name, i)
            };
            self.operation_trait_method(b, op, &set.name, &m, is_static);
            let fn_name = format_ident!("op_{}{}_{}", glue_prefix, bare, i);
            let body = self.operation_glue(b, op, &m, &what, is_static);
            b.glue_fn(&fn_name, body);
            fns.push(fn_name);
        }
        let entry = if set.ops.len() == 1 {
            fns[0].clone()
        } else {
            let dispatcher = format_ident!("op_{}{}", glue_prefix, bare);
            let dom_type = &b.dom_type;
            let brand = if is_static {
                quote!()
            } else {
                quote!(let this = glue::this_object::<#dom_type>(params)?;)
            };
            let returns_promise = set.ops[0].ret.is_promise();
            let body = self.overload_dispatch(&set.ops, &fns, &what, returns_promise, brand);
            b.glue_fn(&dispatcher, body);
            dispatcher
        };
        let spec = self.op_spec(set, &entry);
        if is_static {
            b.static_operations.push(spec);
        } else {
            b.operations.push(spec);
        }
        if set.ops.iter().any(|o| o.stringifier) {
            let mask = self.overloads_mask(set);
            b.operations
                .push(quote!(OpSpec::new("toString", #entry, 0, #mask),));
        }
    }

    /// The trait method of one overload, with its IDL as doc.
    fn operation_trait_method(
        &self,
        b: &mut Binding,
        op: &Operation,
        name: &str,
        m: &Ident,
        is_static: bool,
    ) {
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
            name,
            Self::args_doc(&op.args),
            exposure_doc(&op.exposure)
        );
        if is_static {
            b.trait_items.push(quote!(
                #[doc = #doc]
                fn #m(cx: &Cx<'js>, #(#params_decl),*) -> Fallible<#rt> where Self: Sized;
            ));
        } else {
            b.trait_items.push(quote!(
                #[doc = #doc]
                fn #m(&self, cx: &Cx<'js>, #(#params_decl),*) -> Fallible<#rt>;
            ));
        }
    }

    /// The glue of one overload: `glue::method` (brand check, argument count) around the
    /// argument conversions and the call of trait method `m`. An operation without
    /// arguments passes the trait method itself.
    fn operation_glue(
        &self,
        b: &Binding,
        op: &Operation,
        m: &Ident,
        what: &str,
        is_static: bool,
    ) -> TokenStream {
        let required = unsuffixed(required_count(op));
        let helper = match (is_static, op.ret.is_promise()) {
            (false, false) => quote!(glue::method),
            (false, true) => quote!(glue::promise_method),
            (true, false) => quote!(glue::static_method),
            (true, true) => quote!(glue::promise_static_method),
        };
        let methods = &b.methods;
        if op.args.is_empty() {
            return quote!(#helper(params, #what, #required, #methods::#m));
        }
        let (convs, names) = self.convert_args(&op.args, what);
        let dom_type = &b.dom_type;
        let trait_name = &b.trait_name;
        let call = if is_static {
            quote!(|cx| {
                let ctx = &cx.ctx;
                #(#convs)*
                #methods::#m(cx, #(#names),*)
            })
        } else {
            quote!(|this: &#dom_type, cx| {
                let ctx = &cx.ctx;
                #(#convs)*
                #trait_name::#m(this, cx, #(#names),*)
            })
        };
        quote!(#helper(params, #what, #required, #call))
    }

    /// The [Exposed] mask of an overload set: the union of its overloads'.
    fn overloads_mask(&self, set: &OverloadSet) -> u32 {
        set.ops
            .iter()
            .map(|o| self.exposure_mask(&o.exposure))
            .fold(0, |a, b| a | b)
    }

    /// `OpSpec::new(name, method, length, exposure)`, then [SecureContext] (on every
    /// overload), [Pref] and [LegacyUnforgeable].
    fn op_spec(&self, set: &OverloadSet, entry: &Ident) -> TokenStream {
        let n = &set.name;
        let length = set.ops.iter().map(|o| required_count(o)).min().unwrap_or(0) as u32;
        let mask = self.overloads_mask(set);
        let mut spec = quote!(OpSpec::new(#n, #entry, #length, #mask));
        if set.ops.iter().all(|o| o.ext_attrs.has("SecureContext")) {
            spec = quote!(#spec.secure_context());
        }
        if let Some(p) = set.ops[0].ext_attrs.string("Pref") {
            spec = quote!(#spec.pref(#p));
        }
        if set.ops.iter().any(|o| o.ext_attrs.has("LegacyUnforgeable")) {
            spec = quote!(#spec.unforgeable());
        }
        quote!(#spec,)
    }
}
