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
        // Brand check: the type itself, then every descendant (which embeds it), each one
        // class check (`as_class`).
        let own = quote!(data
            .as_class::<#types::#id<'js>>()
            .map(|class| std::ptr::NonNull::from(&*class.borrow())));
        let mut checks = vec![quote!(0 => #own,)];
        for d in self.defs.descendants(&iface.name) {
            if self.defs.interfaces[&d].kind != InterfaceKind::Interface {
                continue;
            }
            let dgate = self.gate(&d);
            let did = ident(&d);
            let index = checks.len() as u16;
            checks.push(quote!(
                #dgate
                #index => data.as_class::<#types::#did<'js>>().map(|class| {
                    let d: &#types::#did<'js> = &class.borrow();
                    std::ptr::NonNull::from(
                        <#types::#did<'js> as Inherits<'js, #types::#id<'js>>>::upcast_ref(d),
                    )
                }),
            ));
        }
        let count = checks.len() as u16;
        let checks = if count == 1 {
            own
        } else {
            // With descendants, the class that matched last on this thread is tried first:
            // a call site mostly sees one class, and every check that fails first is a few
            // calls into QuickJS (`CustomEvent` through `Event.prototype` was 2.3x a plain
            // accessor's time, against 1.5x for an `Event`).
            quote!(
                thread_local!(static LAST: std::cell::Cell<u16> = const { std::cell::Cell::new(0) });
                let check = |i: u16| match i { #(#checks)* _ => None };
                let last = LAST.with(|l| l.get());
                if let Some(found) = check(last) {
                    return Some(found);
                }
                for i in (0..#count).filter(|i| *i != last) {
                    if let Some(found) = check(i) {
                        LAST.with(|l| l.set(i));
                        return Some(found);
                    }
                }
                None
            )
        };
        let is_global_ancestor = self
            .globals
            .iter()
            .any(|g| self.defs.ancestry(g).iter().any(|a| a == &iface.name));
        // The object holding the Rust data: the object itself, or for a global object the
        // realm's global data.
        let unwrap_body = if is_global_ancestor {
            quote!(realm::with_class_data(v, |data| { #checks }))
        } else {
            quote!(
                let data = realm::object_ref(v)?;
                #checks
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
                fn unwrap_ptr(v: &Value<'js>) -> Option<std::ptr::NonNull<Self>> {
                    #unwrap_body
                }
            }
            #(#inherits)*
        }
    }
}
