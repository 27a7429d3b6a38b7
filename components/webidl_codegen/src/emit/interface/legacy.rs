//! WebIDL §3.9 Legacy platform objects: an interface with an indexed property getter gets an
//! exotic class whose hooks answer for the supported property indices through the getter
//! (`bindings::legacy` does the [[GetOwnProperty]], [[Set]], ... steps).

use super::overload_method;
use crate::emit::names::ident;
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// For an interface with an indexed property getter (a legacy platform object): an
    /// exotic class whose hooks answer for the supported property indices through the
    /// getter (`bindings::legacy`). The getter is called without a `this` value.
    pub(super) fn indexed_getter_hooks(&self, iface: &Interface) -> (TokenStream, TokenStream) {
        let Some(op) = iface
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Operation(o) if crate::emit::is_indexed_getter(o) => Some(o),
                _ => None,
            })
            .next()
        else {
            return (quote!(), quote!());
        };
        let id = ident(&iface.name);
        let types = &self.types_path;
        let trait_name = format_ident!("{}Methods", super::bare_ident(&iface.name));
        let m = overload_method(op.name.as_deref().unwrap_or_default(), 0);
        let get_fn = format_ident!("indexed_get_{}", iface.name);
        let helper = quote! {
            /// The indexed property getter: the value at `i`, or None if `i` is not a supported
            /// property index (the getter returned null).
            fn #get_fn<'js>(
                this: &rquickjs::class::JsCell<'js, #types::#id<'js>>,
                ctx: &Ctx<'js>,
                i: u32,
            ) -> Fallible<Option<Value<'js>>> {
                let cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                let r = <#types::#id<'js> as #trait_name<'js>>::#m(&*this.borrow(), &cx, i)?;
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
}
