//! DOM types of interfaces whose implementation has not landed yet. Their IDL is in
//! `webidls/` with every member commented out (`// TODO(issue N)`) and the interface behind a
//! `[Pref]` that is off by default, so pages never see them; the types exist because other
//! IDL names them (`RequestInfo` needs `Request`).

use crate::dom::bindings::codegen_prelude::*;
use std::marker::PhantomData;

macro_rules! pending_interface {
    ($(#[$doc:meta])* $name:ident, $methods:path) => {
        $(#[$doc])*
        pub struct $name<'js>(PhantomData<&'js ()>);
        impl<'js> Trace<'js> for $name<'js> {
            fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
        }
        impl<'js> $methods for $name<'js> {}
    };
    ($(#[$doc:meta])* $name:ident : $parent:ident, $methods:path) => {
        $(#[$doc])*
        pub struct $name<'js> {
            parent: $parent<'js>,
        }
        impl<'js> Trace<'js> for $name<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.parent.trace(tracer)
            }
        }
        impl<'js> HasParent<'js> for $name<'js> {
            type Parent = $parent<'js>;
            fn parent(&self) -> &$parent<'js> {
                &self.parent
            }
        }
        impl<'js> $methods for $name<'js> {}
    };
}

use crate::dom::bindings::codegen as c;

pending_interface!(
    /// <https://w3c.github.io/ServiceWorker/#cache-interface> (the Cache API)
    Cache, c::CacheBinding::CacheMethods<'js>
);
pending_interface!(
    /// <https://w3c.github.io/ServiceWorker/#cachestorage-interface> (the Cache API)
    CacheStorage, c::CacheStorageBinding::CacheStorageMethods<'js>
);
