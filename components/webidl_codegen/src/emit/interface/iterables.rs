//! WebIDL §3.7.9 Iterable declarations. A pair iterable (`iterable<K, V>`) gets `entries`,
//! `keys`, `values` and `forEach` on the prototype and a `next` for its iterator prototype,
//! all reading the DOM type's `value_pairs`. A value iterable (`iterable<V>`, which needs an
//! indexed property getter) uses the Array.prototype functions: only a flag in the spec.

use super::Binding;
use crate::emit::Emitter;
use crate::model::*;
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// The trait method and glue of a pair iterable; returns the `iterable` field of the spec.
    pub(super) fn pair_iterable(&self, b: &mut Binding) -> proc_macro2::TokenStream {
        let pair = b.iface.members.iter().find_map(|m| match m {
            Member::Iterable(it) if !it.is_async => it.key.as_ref().map(|k| (k, &it.value)),
            _ => None,
        });
        let Some((k, v)) = pair else {
            return quote!(None);
        };
        let kt = self.rust_type(k);
        let vt = self.rust_type(v);
        let doc = format!(
            "The value pairs to iterate over (`iterable<{}, {}>`), read afresh at each step.",
            k.idl(),
            v.idl()
        );
        b.trait_items.push(quote!(
            #[doc = #doc]
            fn value_pairs(&self, cx: &Cx<'js>) -> Fallible<Vec<(#kt, #vt)>>;
        ));
        let dom_type = b.dom_type.clone();
        let methods = b.methods.clone();
        for (name, kind) in [
            ("iter_entries", quote!(IterKind::KeyValue)),
            ("iter_keys", quote!(IterKind::Key)),
            ("iter_values", quote!(IterKind::Value)),
        ] {
            let body = quote!(iterable::iterator_method::<#dom_type>(params, #kind));
            b.glue_fn(&format_ident!("{}", name), body);
        }
        b.glue.push(quote!(
            /// The value pairs to iterate over of `target`, as JS values (for `next` and `forEach`).
            fn iterable_pairs<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> Fallible<Vec<(Value<'js>, Value<'js>)>> {
                iterable::value_pairs(ctx, target, #methods::value_pairs)
            }
        ));
        b.glue_fn(
            &format_ident!("iter_next"),
            quote!(iterable::next_method::<#dom_type>(params, iterable_pairs)),
        );
        b.glue_fn(
            &format_ident!("iter_for_each"),
            quote!(iterable::for_each_method::<#dom_type>(params, iterable_pairs)),
        );
        quote!(Some(IterableSpec {
            entries: iter_entries,
            keys: iter_keys,
            values: iter_values,
            for_each: iter_for_each,
            next: iter_next,
        }))
    }
}
