//! How the DOM types of interfaces whose implementation has not landed yet are declared
//! (`cache.rs`, `cachestorage.rs`). Their IDL is in `webidls/` with every member commented
//! out (`// TODO(...)`) and the interface behind a `[Pref]` that is off by default, so pages
//! never see them; the types exist because other IDL names them.

/// Declares the DOM type of a pending interface (with its parent interface, if it has one)
/// and its empty `...Methods` impl.
macro_rules! pending_interface {
    ($(#[$doc:meta])* $name:ident, $methods:path) => {
        $(#[$doc])*
        pub struct $name<'js>(::std::marker::PhantomData<&'js ()>);
        impl<'js> $crate::dom::bindings::codegen_prelude::Trace<'js> for $name<'js> {
            fn trace<'a>(&self, _tracer: $crate::dom::bindings::codegen_prelude::Tracer<'a, 'js>) {}
        }
        impl<'js> $methods for $name<'js> {}
    };
    ($(#[$doc:meta])* $name:ident : $parent:ident, $methods:path) => {
        $(#[$doc])*
        pub struct $name<'js> {
            parent: $parent<'js>,
        }
        impl<'js> $crate::dom::bindings::codegen_prelude::Trace<'js> for $name<'js> {
            fn trace<'a>(&self, tracer: $crate::dom::bindings::codegen_prelude::Tracer<'a, 'js>) {
                self.parent.trace(tracer)
            }
        }
        impl<'js> $crate::dom::bindings::codegen_prelude::HasParent<'js> for $name<'js> {
            type Parent = $parent<'js>;
            fn parent(&self) -> &$parent<'js> {
                &self.parent
            }
        }
        impl<'js> $methods for $name<'js> {}
    };
}
pub(crate) use pending_interface;
