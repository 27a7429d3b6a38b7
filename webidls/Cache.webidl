// https://w3c.github.io/ServiceWorker/#cache-interface

[SecureContext, Exposed=(Window,Worker), Pref="dom.serviceworker.enabled"]
interface Cache {
  // TODO(issue 6): [NewObject] Promise<(Response or undefined)> match(RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(issue 6): [NewObject] Promise<FrozenArray<Response>> matchAll(optional RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(issue 6): [NewObject] Promise<undefined> add(RequestInfo request);
  // TODO(issue 6): [NewObject] Promise<undefined> addAll(sequence<RequestInfo> requests);
  // TODO(issue 6): [NewObject] Promise<undefined> put(RequestInfo request, Response response);
  // TODO(issue 6): [NewObject] Promise<boolean> delete(RequestInfo request, optional CacheQueryOptions options = {});
  // TODO(issue 6): [NewObject] Promise<FrozenArray<Request>> keys(optional RequestInfo request, optional CacheQueryOptions options = {});
};

// Used by BackgroundFetchRegistration.match() and matchAll().
dictionary CacheQueryOptions {
  boolean ignoreSearch = false;
  boolean ignoreMethod = false;
  boolean ignoreVary = false;
};
