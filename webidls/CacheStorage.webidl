// https://w3c.github.io/ServiceWorker/#cachestorage-interface

// https://w3c.github.io/ServiceWorker/#self-caches
// TODO(Cache API): partial interface mixin WindowOrWorkerGlobalScope {
// TODO(Cache API):   [SecureContext, SameObject] readonly attribute CacheStorage caches;
// TODO(Cache API): };

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface CacheStorage {
  // TODO(Cache API): [NewObject] Promise<(Response or undefined)> match(RequestInfo request, optional MultiCacheQueryOptions options = {});
  // TODO(Cache API): [NewObject] Promise<boolean> has(DOMString cacheName);
  // TODO(Cache API): [NewObject] Promise<Cache> open(DOMString cacheName);
  // TODO(Cache API): [NewObject] Promise<boolean> delete(DOMString cacheName);
  // TODO(Cache API): [NewObject] Promise<sequence<DOMString>> keys();
};

// TODO(Cache API): dictionary MultiCacheQueryOptions : CacheQueryOptions {
// TODO(Cache API):   DOMString cacheName;
// TODO(Cache API): };
