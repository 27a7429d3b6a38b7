//! The rquickjs class of a DOM type: `JsClass` (its prototype is the interface prototype
//! object), `JsLifetime`, `DomObject`, `DomInterface` (the brand check: the type itself or any
//! descendant, which embeds it) and `Inherits` for each ancestor (upcasts).

use crate::emit::names::ident;
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// `JsClass`, `JsLifetime`, `DomObject`, `DomInterface` and `Inherits` for the DOM type.
    pub(super) fn class_impls(&self, iface: &Interface) -> TokenStream {
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
        let (exotic, exotic_helper) = match self.named_property_hooks(iface) {
            Some(hooks) => hooks,
            None => self.indexed_getter_hooks(iface),
        };
        quote! {
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
            unsafe impl<'js> JsLifetime<'js> for #types::#id<'js> {
                type Changed<'to> = #types::#id<'to>;
            }
            impl<'js> DomObject<'js> for #types::#id<'js> {
                const PROTO_ID: usize = PrototypeId::#id as usize;
                const NAME: &'static str = #name;
            }
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
}
