// https://w3c.github.io/ServiceWorker/#cache-interface

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface Cache {
  // TODO(Cache API): [NewObject] Promise<(Response or undefined)> match(RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(Cache API): [NewObject] Promise<FrozenArray<Response>> matchAll(optional RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(Cache API): [NewObject] Promise<undefined> add(RequestInfo request);
  // TODO(Cache API): [NewObject] Promise<undefined> addAll(sequence<RequestInfo> requests);
  // TODO(Cache API): [NewObject] Promise<undefined> put(RequestInfo request, Response response);
  // TODO(Cache API): [NewObject] Promise<boolean> delete(RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(Cache API): [NewObject] Promise<FrozenArray<Request>> keys(optional RequestInfo request, optional CacheQueryOptions options = {});
};

// Used by BackgroundFetchRegistration.match() and matchAll().
dictionary CacheQueryOptions {
  boolean ignoreSearch = false;
  boolean ignoreMethod = false;
  boolean ignoreVary = false;
};
