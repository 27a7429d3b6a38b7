//! WebIDL §3.6 The overload resolution algorithm: operations (and constructors) of one name
//! with several overloads get a dispatcher that picks one by argument count, then by the type
//! of the distinguishing argument (the ladder of `emit::dispatch`).

use super::{required_count, unsuffixed};
use crate::emit::dispatch::{Candidate, Rung};
use crate::emit::Emitter;
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// An operation's overloads, under one name.
pub(super) struct OverloadSet<'a> {
    pub name: String,
    pub ops: Vec<&'a Operation>,
}

impl<'a> OverloadSet<'a> {
    /// Named operations grouped by name, in order of first appearance.
    pub fn group(ops: impl Iterator<Item = &'a Operation>) -> Vec<OverloadSet<'a>> {
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
}

/// The type of argument `i` of `op` (the variadic one past the end).
fn arg_type_at(op: &Operation, i: usize) -> Option<&Type> {
    match op.args.get(i) {
        Some(a) => Some(&a.ty),
        None => op.args.last().filter(|a| a.variadic).map(|a| &a.ty),
    }
}

/// The effective overload set: for each argument count, the overloads that accept it.
fn effective_overloads(ops: &[&Operation]) -> BTreeMap<usize, Vec<usize>> {
    let max_args = ops.iter().map(|o| o.args.len()).max().unwrap_or(0);
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
    by_count
}

impl Emitter<'_> {
    /// WebIDL overload resolution over `ops` (all of one name), calling `fns[i]` for the
    /// chosen overload. `before` runs first (the brand check, or `new` for constructors).
    pub(super) fn overload_dispatch(
        &self,
        ops: &[&Operation],
        fns: &[Ident],
        what: &str,
        returns_promise: bool,
        before: TokenStream,
    ) -> TokenStream {
        let max_args = ops.iter().map(|o| o.args.len()).max().unwrap_or(0);
        let by_count = effective_overloads(ops);
        let arms = by_count.iter().map(|(n, entries)| {
            let arm = if entries.len() == 1 {
                let f = &fns[entries[0]];
                quote!(return Ok(#f(params)?);)
            } else {
                self.distinguish(ops, fns, entries, *n, what)
            };
            let n = unsuffixed(*n);
            quote!(#n => { #arm })
        });
        let min = unsuffixed(by_count.keys().next().copied().unwrap_or(0));
        let max_args = unsuffixed(max_args);
        let body = quote!(
            let ctx = glue::realm(params);
            #before
            let count = params.len().min(#max_args);
            match count {
                #(#arms)*
                _ => Err(glue::not_enough_arguments(#what, #min, params.len())),
            }
        );
        self.guard(returns_promise, body)
    }

    /// Several overloads take `n` arguments: pick by the type of the distinguishing
    /// argument, the first position where their types differ.
    fn distinguish(
        &self,
        ops: &[&Operation],
        fns: &[Ident],
        entries: &[usize],
        n: usize,
        what: &str,
    ) -> TokenStream {
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
        let d = unsuffixed(d);
        quote!({
            let v = glue::arg(params, #d);
            #ladder
        })
    }
}
