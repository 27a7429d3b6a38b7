// https://w3c.github.io/ServiceWorker/#cachestorage-interface

// https://w3c.github.io/ServiceWorker/#self-caches
// TODO(issue 6): partial interface mixin WindowOrWorkerGlobalScope {
// TODO(issue 6):   [SecureContext, SameObject] readonly attribute CacheStorage caches;
// TODO(issue 6): };

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface CacheStorage {
  // TODO(issue 6): [NewObject] Promise<(Response or undefined)> match(RequestInfo request, optional MultiCacheQueryOptions options = {});
  // TODO(issue 6): [NewObject] Promise<boolean> has(DOMString cacheName);
  // TODO(issue 6): [NewObject] Promise<Cache> open(DOMString cacheName);
  // TODO(issue 6): [NewObject] Promise<boolean> delete(DOMString cacheName);
  // TODO(issue 6): [NewObject] Promise<sequence<DOMString>> keys();
};

// TODO(issue 6): dictionary MultiCacheQueryOptions : CacheQueryOptions {
// TODO(issue 6):   DOMString cacheName;
// TODO(issue 6): };
