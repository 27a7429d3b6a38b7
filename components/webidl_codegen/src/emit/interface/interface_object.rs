//! WebIDL §3.7.1 Interface object: its constructors (the [[Construct]] steps, with overload
//! resolution when there are several) and the `InterfaceSpec` from which the runtime builds
//! the interface object, the interface prototype object (§3.7.3) and their properties, or a
//! namespace object (§3.13).

use super::{option_str, overload_method, required_count, unsuffixed, Binding};
use crate::emit::names::ident;
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// The constructors' trait methods and glue; returns the `constructor` field of the spec
    /// (and, through `legacy_factory_functions`, the [LegacyFactoryFunction]s).
    pub(super) fn constructors(&self, b: &mut Binding) -> TokenStream {
        let iface = b.iface;
        let (factories, ctors): (Vec<&Operation>, Vec<&Operation>) = iface
            .constructors
            .iter()
            .partition(|c| c.ext_attrs.has("LegacyFactoryFunction"));
        if ctors.is_empty() && factories.is_empty() {
            return quote!(None);
        }
        b.trait_items.push(quote!(
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
        for f in &factories {
            let name = f.name.clone().unwrap_or_default();
            let m = format_ident!("LegacyFactoryFunction_{}", name);
            let what = format!("{name} (the legacy factory function of {})", iface.name);
            let entry = format_ident!("factory_{}", name);
            let length_u32 = required_count(f) as u32;
            let body = self.constructor_glue(
                b,
                f,
                &m,
                &what,
                &format!("{name}({})", Self::args_doc(&f.args)),
            );
            b.glue_fn(&entry, body);
            b.factories
                .push(quote!(FactorySpec { name: #name, method: #entry, length: #length_u32 },));
        }
        if ctors.is_empty() {
            return quote!(None);
        }
        let what = format!("{} constructor", iface.name);
        let mut fns = Vec::new();
        for (i, c) in ctors.iter().enumerate() {
            let m = overload_method("Constructor", i);
            let fn_name = format_ident!("construct_{}", i);
            let body = self.constructor_glue(
                b,
                c,
                &m,
                &what,
                &format!("constructor({});", Self::args_doc(&c.args)),
            );
            b.glue_fn(&fn_name, body);
            fns.push(fn_name);
        }
        let length = ctors.iter().copied().map(required_count).min().unwrap_or(0) as u32;
        let entry = if fns.len() == 1 {
            fns[0].clone()
        } else {
            let name = &iface.name;
            let body = self.overload_dispatch(
                &ctors,
                &fns,
                &what,
                false,
                quote!(glue::require_new(params, #name)?;),
            );
            let dispatcher = format_ident!("construct");
            b.glue_fn(&dispatcher, body);
            dispatcher
        };
        quote!(Some(CtorSpec { method: #entry, length: #length }))
    }

    /// One constructor's (or legacy factory function's) trait method `m` and its glue body.
    fn constructor_glue(
        &self,
        b: &mut Binding,
        c: &Operation,
        m: &proc_macro2::Ident,
        what: &str,
        doc: &str,
    ) -> TokenStream {
        let params_decl = self.param_list(&c.args);
        b.trait_items.push(quote!(
            #[doc = #doc]
            fn #m(cx: &Cx<'js>, #(#params_decl),*) -> Fallible<Self> where Self: Sized;
        ));
        let (convs, names) = self.convert_args(&c.args, what);
        let required = unsuffixed(required_count(c));
        let methods = &b.methods;
        let trait_name = &b.trait_name;
        quote!(glue::constructor(
            params,
            #what,
            #required,
            |ctx| {
                #(#convs)*
                Ok((#(#names,)*))
            },
            |cx, (#(#names,)*)| #trait_name::#m(cx, #(#names),*),
            #methods::Constructed,
        ))
    }

    /// `pub static INTERFACE: InterfaceSpec`: what the runtime turns into the interface
    /// object and prototype (or the namespace object).
    pub(super) fn interface_spec(
        &self,
        b: &Binding,
        constructor: TokenStream,
        iterable: TokenStream,
    ) -> TokenStream {
        let iface = b.iface;
        let name = &iface.name;
        let mask = self.exposure_mask(&iface.exposure);
        let secure = iface.ext_attrs.has("SecureContext");
        let pref = option_str(iface.ext_attrs.string("Pref").as_deref());
        let no_interface_object = iface.ext_attrs.has("LegacyNoInterfaceObject");
        let (proto_id, parent, proto_parent, kind) = if b.is_namespace {
            (
                quote!(usize::MAX),
                quote!(None),
                quote!(ProtoParent::Object),
                quote!(SpecKind::Namespace),
            )
        } else {
            let id = ident(&iface.name);
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
            let kind = if iface.global_names().is_some() {
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
        let array_iterator = iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Operation(o) if crate::emit::is_indexed_getter(o)));
        let value_iterable = iface
            .members
            .iter()
            .any(|m| matches!(m, Member::Iterable(it) if it.key.is_none() && !it.is_async));
        let constants = &b.constants;
        let attributes = &b.attributes;
        let unforgeable = &b.unforgeable_attributes;
        let operations = &b.operations;
        let static_attributes = &b.static_attributes;
        let static_operations = &b.static_operations;
        let factories = &b.factories;
        quote! {
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
                legacy_factory_functions: &[#(#factories)*],
                constants: &[#(#constants)*],
                attributes: &[#(#attributes)*],
                unforgeable_attributes: &[#(#unforgeable)*],
                operations: &[#(#operations)*],
                static_attributes: &[#(#static_attributes)*],
                static_operations: &[#(#static_operations)*],
                iterable: #iterable,
                array_iterator: #array_iterator,
                value_iterable: #value_iterable,
            };
        }
    }
}
