//! Interfaces and namespaces (WebIDL §3.7 "Interfaces"): one `FooBinding` module each, with
//! the `FooMethods` trait the DOM type implements, the glue functions between JS and that
//! trait, the `InterfaceSpec` the runtime builds the interface object from, and the class
//! plumbing of the DOM type. One file per section of the ECMAScript binding:
//!
//! - [`interface_object`]: §3.7.1 the interface object, its constructors, and the spec;
//! - [`constants`]: §3.7.5 constants;
//! - [`attributes`]: §3.7.6 attributes (getters, setters, event handlers);
//! - [`operations`]: §3.7.7 operations and §3.7.8 stringifiers;
//! - [`overloads`]: §3.6 the overload resolution algorithm;
//! - [`iterables`]: §3.7.9 iterable declarations;
//! - [`legacy`]: §3.9 legacy platform objects (an indexed property getter);
//! - [`class`]: the rquickjs class of the DOM type (brand checks, upcasts).
//!
//! Each glue function is one call to a generic helper of the runtime (`glue::getter`,
//! `glue::method`, ...); this layer writes only what differs between members.

mod attributes;
mod class;
mod constants;
mod interface_object;
mod iterables;
mod legacy;
mod operations;
mod overloads;
mod reflect;

use super::names::*;
use super::Emitter;
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// What the sections of one interface contribute to its binding module.
pub(crate) struct Binding<'a> {
    pub iface: &'a Interface,
    pub is_namespace: bool,
    /// `FooMethods`.
    pub trait_name: Ident,
    /// `<DomType<'js> as FooMethods<'js>>`: the prefix of a call to a trait method.
    pub methods: TokenStream,
    /// `DomType<'js>`: the DOM type (an alias declared in the module).
    pub dom_type: TokenStream,
    pub trait_items: Vec<TokenStream>,
    pub glue: Vec<TokenStream>,
    pub constants: Vec<TokenStream>,
    pub attributes: Vec<TokenStream>,
    pub unforgeable_attributes: Vec<TokenStream>,
    pub static_attributes: Vec<TokenStream>,
    pub operations: Vec<TokenStream>,
    pub static_operations: Vec<TokenStream>,
    /// `FactorySpec`s of the [LegacyFactoryFunction]s.
    pub factories: Vec<TokenStream>,
}

impl<'a> Binding<'a> {
    fn new(iface: &'a Interface) -> Self {
        let is_namespace = iface.kind == InterfaceKind::Namespace;
        let trait_name = format_ident!("{}Methods", bare_ident(&iface.name));
        let dom_type = if is_namespace {
            quote!(DomType)
        } else {
            quote!(DomType<'js>)
        };
        Binding {
            iface,
            is_namespace,
            methods: quote!(<#dom_type as #trait_name<'js>>),
            trait_name,
            dom_type,
            trait_items: Vec::new(),
            glue: Vec::new(),
            constants: Vec::new(),
            attributes: Vec::new(),
            unforgeable_attributes: Vec::new(),
            static_attributes: Vec::new(),
            operations: Vec::new(),
            static_operations: Vec::new(),
            factories: Vec::new(),
        }
    }

    /// A glue function (`NativeFnPtr`) named `name` with `body`.
    fn glue_fn(&mut self, name: &Ident, body: TokenStream) {
        self.glue.push(quote!(
            fn #name<'js>(params: &CallArgs<'_, 'js>) -> rquickjs::Result<Value<'js>> { #body }
        ));
    }
}

/// The name of an interface's binding module: `FooBinding`.
pub(crate) fn module_name(name: &str) -> Ident {
    format_ident!("{}Binding", bare_ident(name))
}

/// An identifier without the `r#` of a raw one, to build other names from.
pub(crate) fn bare_ident(name: &str) -> String {
    ident(name).to_string().trim_start_matches("r#").to_string()
}

fn exposure_doc(e: &Exposure) -> String {
    e.names().join(", ")
}

/// `Some("name")` or `None` for an optional string of the spec.
fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

impl Emitter<'_> {
    /// The items of an interface's or namespace's binding module (`FooBinding.rs`).
    pub(crate) fn interface(&self, iface: &Interface) -> TokenStream {
        let mut b = Binding::new(iface);
        self.constants(&mut b);
        self.attributes(&mut b);
        self.stringifier(&mut b);
        self.operations(&mut b);
        self.named_property_trait_items(&mut b);
        let constructor = self.constructors(&mut b);
        let iterable = self.pair_iterable(&mut b);
        let spec = self.interface_spec(&b, constructor, iterable);
        let types = &self.types_path;
        let id = ident(&iface.name);
        let (alias, alias_doc) = if b.is_namespace {
            (
                quote!(type DomType = #types::#id;),
                format!(" The Rust type of the namespace `{}`.", iface.name),
            )
        } else {
            (
                quote!(type DomType<'js> = #types::#id<'js>;),
                format!(" The DOM type that implements `{}`.", iface.name),
            )
        };
        let trait_doc = format!(
            " The operations and attributes of `{}` [Exposed={}], implemented by the DOM type.",
            iface.name,
            exposure_doc(&iface.exposure)
        );
        let trait_name = &b.trait_name;
        let trait_items = &b.trait_items;
        let glue = &b.glue;
        let class_impls = if b.is_namespace {
            quote!()
        } else {
            self.class_impls(iface)
        };
        quote! {
            use super::*;
            #[doc = #alias_doc]
            #alias
            #[doc = #trait_doc]
            pub trait #trait_name<'js> {
                #(#trait_items)*
            }
            #(#glue)*
            #spec
            #class_impls
        }
    }

    /// Rust parameter list for an operation's arguments (of the trait method).
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

    /// The IDL of an argument list, for docs.
    fn args_doc(args: &[Argument]) -> String {
        args.iter()
            .map(|a| {
                format!(
                    "{}{}{} {}",
                    if a.optional && !a.variadic {
                        "optional "
                    } else {
                        ""
                    },
                    a.ty.idl(),
                    if a.variadic { "..." } else { "" },
                    a.name
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn ret_type(&self, t: &Type) -> TokenStream {
        if t.is_undefined() {
            quote!(())
        } else {
            self.rust_type(t)
        }
    }

    /// Statements converting `params`' arguments (WebIDL §3.7.7 step "convert the
    /// arguments"), each into a local named after the argument; returns them and the names.
    /// `ctx: &Ctx<'js>` and `params` are in scope.
    fn convert_args(&self, args: &[Argument], what: &str) -> (Vec<TokenStream>, Vec<Ident>) {
        let mut stmts = Vec::new();
        let mut names = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let n = arg_local(&a.name);
            let w = format!("{}: argument {} ('{}')", what, i + 1, a.name);
            let index = unsuffixed(i);
            // A default of `undefined` or `{}` is what converting undefined gives.
            let default_is_undefined = matches!(
                a.default,
                Some(DefaultValue::Undefined | DefaultValue::EmptyDictionary)
            );
            if a.variadic {
                let conv = self.conversion(&a.ty, quote!(v), &w);
                stmts.push(quote!(
                    let mut #n = Vec::new();
                    for index in #index..params.len() {
                        let v = glue::arg(params, index);
                        #n.push(#conv?);
                    }
                ));
            } else if a.optional && !default_is_undefined {
                let conv = self.conversion(&a.ty, quote!(v), &w);
                let (present, missing) = match &a.default {
                    Some(d) => (quote!(#conv?), self.default_value(&a.ty, d, &w)),
                    None => (quote!(Some(#conv?)), quote!(None)),
                };
                stmts.push(quote!(
                    let #n = match glue::optional_arg(params, #index) {
                        Some(v) => #present,
                        None => #missing,
                    };
                ));
            } else {
                let conv = self.conversion(&a.ty, quote!(glue::arg(params, #index)), &w);
                stmts.push(quote!(let #n = #conv?;));
            }
            names.push(n);
        }
        (stmts, names)
    }

    /// The body that wraps a hand-written glue closure (overload dispatchers): promise
    /// returning members reject instead of throw.
    fn guard(&self, returns_promise: bool, body: TokenStream) -> TokenStream {
        if returns_promise {
            quote!(glue::guard_promise(glue::realm(params), || -> Fallible<Value<'js>> { #body }))
        } else {
            quote!(glue::guard(glue::realm(params), || -> Fallible<Value<'js>> { #body }))
        }
    }
}

/// The local holding a converted argument: the argument's name, unless it would shadow a
/// name the glue uses.
fn arg_local(name: &str) -> Ident {
    match name {
        "params" | "ctx" | "cx" | "this" | "v" | "index" | "count" => {
            format_ident!("{}_arg", name)
        }
        _ => ident(name),
    }
}

/// An integer literal without a type suffix (`1`, not `1usize`), for reading.
pub(crate) fn unsuffixed(n: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(n)
}

/// How many arguments an operation or constructor requires.
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
        format_ident!("{}_{}", bare_ident(name), i)
    }
}
