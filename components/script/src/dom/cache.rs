//! <https://w3c.github.io/ServiceWorker/#cache-interface> (the Cache API; not implemented yet,
//! see [`crate::dom::pending`]).

use crate::dom::bindings::codegen::CacheBinding::CacheMethods;
use crate::dom::pending::pending_interface;

pending_interface!(
    /// <https://w3c.github.io/ServiceWorker/#cache-interface>
    Cache, CacheMethods<'js>
);
