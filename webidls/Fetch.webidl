// https://fetch.spec.whatwg.org/#fetch-method

// TODO(issue 4): partial interface mixin WindowOrWorkerGlobalScope {
// TODO(issue 4):   [NewObject] Promise<Response> fetch(RequestInfo input, optional RequestInit init = {});
// TODO(issue 4): };
