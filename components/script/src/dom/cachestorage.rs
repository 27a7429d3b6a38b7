//! <https://w3c.github.io/ServiceWorker/#cachestorage-interface> (the Cache API; not
//! implemented yet, see [`crate::dom::pending`]).

use crate::dom::bindings::codegen::CacheStorageBinding::CacheStorageMethods;
use crate::dom::pending::pending_interface;

pending_interface!(
    /// <https://w3c.github.io/ServiceWorker/#cachestorage-interface>
    CacheStorage, CacheStorageMethods<'js>
);
