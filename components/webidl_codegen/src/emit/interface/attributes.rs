//! WebIDL §3.7.6 Attributes: for each attribute the trait method(s) of the DOM type, the
//! getter and setter glue, and its `AttrSpec`. Event handler attributes (HTML §8.1.8.1) need
//! no trait method: the handler lives in the `EventTarget`.

use super::{exposure_doc, Binding};
use crate::emit::names::ident;
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The glue function names of an attribute: `get_foo`, `set_foo`.
fn accessor_names(a: &Attribute) -> (Ident, Ident) {
    let bare = super::bare_ident(&a.name);
    (format_ident!("get_{}", bare), format_ident!("set_{}", bare))
}

impl Emitter<'_> {
    pub(super) fn attributes(&self, b: &mut Binding) {
        for a in b.iface.attributes() {
            let (getter_fn, setter_fn) = accessor_names(a);
            let has_setter = if self.is_event_handler(&a.ty) {
                self.event_handler_attribute(b, a, &getter_fn, &setter_fn);
                true
            } else {
                self.attribute_getter(b, a, &getter_fn);
                self.attribute_setter(b, a, &setter_fn)
            };
            let spec = self.attr_spec(a, &getter_fn, has_setter.then_some(&setter_fn));
            if a.is_static || b.is_namespace {
                b.static_attributes.push(spec);
            } else if a.ext_attrs.has("LegacyUnforgeable") {
                b.unforgeable_attributes.push(spec);
            } else {
                b.attributes.push(spec);
            }
            if a.stringifier {
                self.stringifier_attribute(b, a);
            }
        }
    }

    /// `AttrSpec::new(name, getter, setter, exposure)`, then [SecureContext] and [Pref].
    fn attr_spec(&self, a: &Attribute, getter: &Ident, setter: Option<&Ident>) -> TokenStream {
        let n = &a.name;
        let mask = self.exposure_mask(&a.exposure);
        let setter = match setter {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let mut spec = quote!(AttrSpec::new(#n, #getter, #setter, #mask));
        if a.ext_attrs.has("SecureContext") {
            spec = quote!(#spec.secure_context());
        }
        if let Some(p) = a.ext_attrs.string("Pref") {
            spec = quote!(#spec.pref(#p));
        }
        quote!(#spec,)
    }

    /// [LegacyLenientThis] on a regular attribute: a `this` of the wrong type makes the
    /// accessor return undefined instead of throwing.
    fn lenient_this(&self, b: &Binding, a: &Attribute, body: TokenStream) -> TokenStream {
        if !a.ext_attrs.has("LegacyLenientThis") {
            return body;
        }
        let dom_type = &b.dom_type;
        quote!(
            if glue::lenient_this_fails::<#dom_type>(params) {
                return Ok(Value::new_undefined(params.ctx().clone()));
            }
            #body
        )
    }

    /// `attribute EventHandler onfoo`: get and set the handler of `foo` on the target.
    fn event_handler_attribute(
        &self,
        b: &mut Binding,
        a: &Attribute,
        getter_fn: &Ident,
        setter_fn: &Ident,
    ) {
        let event = a.name.strip_prefix("on").unwrap_or(&a.name).to_string();
        let kind = match a.ty.typedef.as_deref() {
            Some("OnErrorEventHandler") => quote!(EventHandlerKind::OnError),
            Some("OnBeforeUnloadEventHandler") => quote!(EventHandlerKind::OnBeforeUnload),
            _ => quote!(EventHandlerKind::Normal),
        };
        let what = format!("{}.{}", b.iface.name, a.name);
        let dom_type = &b.dom_type;
        let get = self.lenient_this(
            b,
            a,
            quote!(glue::event_handler_getter::<#dom_type>(params, #event)),
        );
        let set = self.lenient_this(
            b,
            a,
            quote!(glue::event_handler_setter::<#dom_type>(params, #what, #event, #kind)),
        );
        b.glue_fn(getter_fn, get);
        b.glue_fn(setter_fn, set);
    }

    /// The trait method of the getter and its glue (WebIDL "attribute getter").
    fn attribute_getter(&self, b: &mut Binding, a: &Attribute, getter_fn: &Ident) {
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
        let methods = &b.methods;
        let promise = a.ty.is_promise();
        let body = if a.is_static || b.is_namespace {
            b.trait_items.push(quote!(
                #[doc = #doc]
                fn #m(cx: &Cx<'js>) -> Fallible<#rt> where Self: Sized;
            ));
            let helper = if promise {
                quote!(glue::promise_static_getter)
            } else {
                quote!(glue::static_getter)
            };
            quote!(#helper(params, #methods::#m))
        } else {
            match self.reflect_getter(a) {
                Some(body) => b.trait_items.push(quote!(
                    #[doc = #doc]
                    #[doc = "Reflects its content attribute (HTML §2.6.1): override only to add to it."]
                    fn #m(&self, cx: &Cx<'js>) -> Fallible<#rt> { #body }
                )),
                None => b.trait_items.push(quote!(
                    #[doc = #doc]
                    fn #m(&self, cx: &Cx<'js>) -> Fallible<#rt>;
                )),
            }
            if a.ext_attrs.has("SameObject") {
                let n = &a.name;
                let helper = if promise {
                    quote!(glue::promise_same_object_getter)
                } else {
                    quote!(glue::same_object_getter)
                };
                self.lenient_this(b, a, quote!(#helper(params, #n, #methods::#m)))
            } else {
                let helper = if promise {
                    quote!(glue::promise_getter)
                } else {
                    quote!(glue::getter)
                };
                self.lenient_this(b, a, quote!(#helper(params, #methods::#m)))
            }
        };
        b.glue_fn(getter_fn, body);
    }

    /// The setter, if the attribute has one: [PutForwards], [Replaceable], or the trait
    /// method and its glue (WebIDL "attribute setter"). Returns whether there is one.
    fn attribute_setter(&self, b: &mut Binding, a: &Attribute, setter_fn: &Ident) -> bool {
        let what = format!("{}.{}", b.iface.name, a.name);
        let n = &a.name;
        let dom_type = &b.dom_type;
        let body = if let Some(target) = a.ext_attrs.string("PutForwards") {
            quote!(glue::put_forwards_setter::<#dom_type>(params, #what, #n, #target))
        } else if a.ext_attrs.has("Replaceable") {
            quote!(glue::replaceable_setter::<#dom_type>(params, #what, #n))
        } else if !a.readonly {
            let sm = setter_fn.clone();
            let rt = self.rust_type(&a.ty);
            let conv = self.conversion(&a.ty, quote!(v), &what);
            let doc = format!("Setter of `{}`.", a.name);
            let methods = &b.methods;
            if a.is_static || b.is_namespace {
                b.trait_items.push(quote!(
                    #[doc = #doc]
                    fn #sm(cx: &Cx<'js>, value: #rt) -> Fallible<()> where Self: Sized;
                ));
                let body =
                    quote!(glue::static_setter(params, #what, |ctx, v| #conv, #methods::#sm));
                b.glue_fn(setter_fn, body);
                return true;
            }
            match self.reflect_setter(a) {
                Some(body) => b.trait_items.push(quote!(
                    #[doc = #doc]
                    fn #sm(&self, cx: &Cx<'js>, value: #rt) -> Fallible<()> { #body }
                )),
                None => b.trait_items.push(quote!(
                    #[doc = #doc]
                    fn #sm(&self, cx: &Cx<'js>, value: #rt) -> Fallible<()>;
                )),
            }
            quote!(glue::setter(params, #what, |ctx, v| #conv, #methods::#sm))
        } else {
            return false;
        };
        let body = self.lenient_this(b, a, body);
        b.glue_fn(setter_fn, body);
        true
    }
}
