//! WebIDL §3.9 Legacy platform objects: an interface with an indexed property getter gets an
//! exotic class whose hooks answer for the supported property indices through the getter
//! (`bindings::legacy` does the [[GetOwnProperty]], [[Set]], ... steps).

use super::{overload_method, Binding};
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
        // A getter of a non-nullable string type says "not supported" with the empty string
        // (CSSStyleDeclaration.item: no property name is empty); a nullable one says it with
        // null, and "" is a value (DOMStringList.item).
        let empty_unsupported = !op.ret.nullable;
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
                let unsupported = v.is_null()
                    || v.is_undefined()
                    || (#empty_unsupported
                        && v.as_string().is_some_and(|s| s.to_string().is_ok_and(|s| s.is_empty())));
                Ok(if unsupported { None } else { Some(v) })
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

impl Emitter<'_> {
    fn named_op(iface: &Interface, special: Special) -> Option<&Operation> {
        iface
            .operations()
            .find(|o| o.special == Some(special) && crate::emit::is_named_property_operation(o))
    }

    /// The trait methods of the named property getter, setter and deleter (WebIDL §3.9:
    /// "supported property names" and the three special operations).
    pub(super) fn named_property_trait_items(&self, b: &mut Binding) {
        let Some(getter) = Self::named_op(b.iface, Special::Getter) else {
            return;
        };
        let rt = self.rust_type(&getter.ret);
        b.trait_items.push(quote!(
            /// The named property getter: the value of `name`, or None if it is not a
            /// supported property name.
            fn named_getter(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<Option<#rt>>;
            /// The supported property names, in order.
            fn supported_property_names(&self, cx: &Cx<'js>) -> Fallible<Vec<DOMString>>;
        ));
        if let Some(setter) = Self::named_op(b.iface, Special::Setter) {
            let vt = self.rust_type(&setter.args[1].ty);
            b.trait_items.push(quote!(
                /// The named property setter.
                fn named_setter(&self, cx: &Cx<'js>, name: DOMString, value: #vt) -> Fallible<()>;
            ));
        }
        if Self::named_op(b.iface, Special::Deleter).is_some() {
            b.trait_items.push(quote!(
                /// The named property deleter.
                fn named_deleter(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<()>;
            ));
        }
    }

    /// For an interface with a named property getter: an exotic class whose hooks answer for
    /// the supported property names (`bindings::legacy::Named`).
    pub(super) fn named_property_hooks(
        &self,
        iface: &Interface,
    ) -> Option<(TokenStream, TokenStream)> {
        Self::named_op(iface, Special::Getter)?;
        let id = ident(&iface.name);
        let types = &self.types_path;
        let trait_name = format_ident!("{}Methods", super::bare_ident(&iface.name));
        let what = format!("{} named property", iface.name);
        let named_fn = format_ident!("named_{}", iface.name);
        let set = match Self::named_op(iface, Special::Setter) {
            Some(setter) => {
                let conv = self.conversion(&setter.args[1].ty, quote!(v), &what);
                quote!(Some(Box::new(move |name: &str, v: Value<'js>| {
                    let cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                    let value = #conv?;
                    <#types::#id<'js> as #trait_name<'js>>::named_setter(&*this.borrow(), &cx, name.to_string(), value)
                })))
            }
            None => quote!(None),
        };
        let delete = match Self::named_op(iface, Special::Deleter) {
            Some(_) => quote!(Some(Box::new(move |name: &str| {
                let cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                <#types::#id<'js> as #trait_name<'js>>::named_deleter(&*this.borrow(), &cx, name.to_string())
            }))),
            None => quote!(None),
        };
        let override_builtins = iface.ext_attrs.has("LegacyOverrideBuiltIns");
        let enumerable = !iface.ext_attrs.has("LegacyUnenumerableNamedProperties");
        let helper = quote! {
            /// The named property operations of one object, for `bindings::legacy`.
            fn #named_fn<'a, 'js>(
                this: &'a rquickjs::class::JsCell<'js, #types::#id<'js>>,
                ctx: &'a Ctx<'js>,
            ) -> legacy::Named<'a, 'js> {
                let get_cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                let names_cx = Cx::new(ctx, Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone()));
                legacy::Named {
                    proto_id: PrototypeId::#id as usize,
                    override_builtins: #override_builtins,
                    enumerable: #enumerable,
                    get: Box::new(move |name: &str| {
                        let r = <#types::#id<'js> as #trait_name<'js>>::named_getter(&*this.borrow(), &get_cx, name.to_string())?;
                        match r {
                            Some(v) => Ok(Some(v.to_js(&get_cx.ctx)?)),
                            None => Ok(None),
                        }
                    }),
                    names: Box::new(move || {
                        <#types::#id<'js> as #trait_name<'js>>::supported_property_names(&*this.borrow(), &names_cx)
                    }),
                    set: #set,
                    delete: #delete,
                }
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
                legacy::named_get_property(ctx, &#named_fn(this, ctx), atom, receiver)
            }
            fn exotic_set_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
                receiver: Value<'js>,
                value: Value<'js>,
            ) -> rquickjs::Result<bool> {
                legacy::named_set_property(ctx, &#named_fn(this, ctx), atom, receiver, value)
            }
            fn exotic_delete_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<bool> {
                legacy::named_delete_property(ctx, &#named_fn(this, ctx), atom)
            }
            fn exotic_has_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<bool> {
                legacy::named_has_property(ctx, &#named_fn(this, ctx), atom)
            }
            fn exotic_get_own_property(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
                atom: rquickjs::Atom<'js>,
            ) -> rquickjs::Result<Option<rquickjs::class::PropertyDescriptor<'js>>> {
                legacy::named_get_own_property(ctx, &#named_fn(this, ctx), atom)
            }
            fn exotic_get_own_property_names(
                this: &rquickjs::class::JsCell<'js, Self>,
                ctx: &Ctx<'js>,
            ) -> rquickjs::Result<Vec<rquickjs::class::PropertyName<'js>>> {
                legacy::named_own_property_names(ctx, &#named_fn(this, ctx))
            }
        };
        Some((hooks, helper))
    }
}
