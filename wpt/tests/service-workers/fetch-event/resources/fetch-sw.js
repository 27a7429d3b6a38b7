// The service worker of the fetch event tests. It skips waiting and claims its clients when it
// activates, so the test page (loaded before the registration) becomes controlled.
//
// What it does with a fetch event depends on the request URL's `sw` parameter (see the
// switch below); without one it does nothing, so the request goes to the network. Things it
// can only learn after the response (event.handled, a late respondWith(), waitUntil()) are
// posted to the requesting client as {token, ...} with the URL's `token` parameter.
//
// https://w3c.github.io/ServiceWorker/#fetchevent-interface
// https://w3c.github.io/ServiceWorker/#create-fetch-event-and-dispatch-algorithm
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", e => e.waitUntil(self.clients.claim()));

// {ask: "whoami", token}: tells the page its client id.
self.addEventListener("message", e => {
  const question = e.data || {};
  if (question.ask === "whoami") {
    e.source.postMessage({ token: question.token, id: e.source.id });
  }
});

const JAVASCRIPT = { "Content-Type": "text/javascript" };

// The name of what `f` throws, or "no exception".
function errorName(f) {
  try {
    f();
    return "no exception";
  } catch (err) {
    return err.name;
  }
}

function json(value) {
  return new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
}

// Posts `data` with `token` to the client that made the request.
async function report(e, token, data) {
  const client = await self.clients.get(e.clientId);
  if (client) client.postMessage(Object.assign({ token }, data));
}

// What the worker sees of the event and its request (the page checks it).
async function describe(e) {
  const r = e.request;
  // Not clients.get(e.resultingClientId): that client only becomes execution ready once
  // this very request has its response.
  const client = e.clientId ? await self.clients.get(e.clientId) : undefined;
  return {
    interface: e.constructor.name,
    isFetchEvent: e instanceof FetchEvent,
    isTrusted: e.isTrusted,
    type: e.type,
    cancelable: e.cancelable,
    bubbles: e.bubbles,
    isRequest: r instanceof Request,
    sameRequest: e.request === e.request,
    url: r.url,
    method: r.method,
    mode: r.mode,
    credentials: r.credentials,
    destination: r.destination,
    redirect: r.redirect,
    cache: r.cache,
    referrer: r.referrer,
    xTest: r.headers.get("X-Test"),
    setHeader: errorName(() => r.headers.set("X-More", "1")),
    clientId: e.clientId,
    resultingClientId: e.resultingClientId,
    replacesClientId: e.replacesClientId,
    client: client ? { id: client.id, url: client.url, type: client.type } : null,
    handledIsPromise: e.handled instanceof Promise,
    sameHandled: e.handled === e.handled,
    preloadIsPromise: e.preloadResponse instanceof Promise,
  };
}

// The script of a dedicated worker: it records the fetch event of its own script, then
// imports a script and fetches a URL that exist only in this service worker, and posts
// everything to the page.
function workerScript(scriptEvent, base) {
  const importUrl = new URL("imported.js?sw=import-script", base).href;
  const fetchUrl = new URL("info.json?sw=info", base).href;
  return `"use strict";
const scriptEvent = ${JSON.stringify(scriptEvent)};
const container = self.navigator.serviceWorker;
const controller = container && container.controller ? container.controller.scriptURL : null;
let importError = null;
try {
  importScripts(${JSON.stringify(importUrl)});
} catch (err) {
  importError = err.name + ": " + err.message;
}
fetch(${JSON.stringify(fetchUrl)}).then(r => r.json()).then(
  fetchEvent => postMessage({ scriptEvent, controller, href: location.href,
                              importEvent: self.importEvent || null, importError, fetchEvent }),
  err => postMessage({ scriptEvent, controller, href: location.href,
                       importEvent: self.importEvent || null, importError,
                       fetchError: err.name + ": " + err.message }));
`;
}

// Listeners after the main one record the events they get: respondWith() stops propagation.
const reachedSecondListener = new WeakSet();

self.addEventListener("fetch", e => {
  const params = new URL(e.request.url).searchParams;
  const token = params.get("token");
  switch (params.get("sw")) {
    case null:
      return;  // the network answers

    // A synthesized response: body, status, statusText and `header=Name:value` headers.
    case "custom": {
      const headers = new Headers();
      for (const header of params.getAll("header")) {
        const colon = header.indexOf(":");
        headers.append(header.slice(0, colon), header.slice(colon + 1));
      }
      e.respondWith(new Response(params.has("body") ? params.get("body") : null, {
        status: Number(params.get("status") || 200),
        statusText: params.get("statusText") || "",
        headers,
      }));
      return;
    }
    case "synth":
      e.respondWith(new Response("synthesized"));
      return;
    case "later":
      e.respondWith(new Promise(resolve => setTimeout(() => resolve(new Response("later")), 30)));
      return;
    case "microtask":
      // Runs in the microtask checkpoint after the listener returns, still during dispatch.
      Promise.resolve().then(() => e.respondWith(new Response("from a microtask")));
      return;

    // Network errors.
    case "reject":
      e.respondWith(Promise.reject(new Error("rejected by the worker")));
      return;
    case "value": {
      const which = params.get("value");
      if (which === "string") e.respondWith("not a response");
      else if (which === "object") e.respondWith({ status: 200, body: "not a response" });
      else if (which === "undefined") e.respondWith(undefined);
      else if (which === "cache-miss") e.respondWith(caches.match(e.request.url + "&missing"));
      return;
    }
    case "used-body": {
      const response = new Response("already read");
      e.respondWith(response.text().then(() => response));
      return;
    }
    case "error":
      e.respondWith(Response.error());
      return;
    case "cancel":
      e.preventDefault();
      return;

    // Responses from elsewhere.
    case "passthrough":
      e.respondWith(fetch(e.request));
      return;
    case "fetch": {
      const init = {};
      if (params.has("mode")) init.mode = params.get("mode");
      if (params.has("redirect")) init.redirect = params.get("redirect");
      e.respondWith(fetch(params.get("url"), init));
      return;
    }
    case "cache":
      e.respondWith(caches.match(e.request));
      return;
    case "redirect":
      e.respondWith(Response.redirect(params.get("to"), Number(params.get("status") || 302)));
      return;

    // What the worker sees.
    case "info":
      e.respondWith(describe(e).then(json));
      return;
    case "preload":
      e.respondWith(Promise.race([
        e.preloadResponse.then(value => ({ settled: "fulfilled", value: String(value) }),
                               err => ({ settled: "rejected", value: String(err) })),
        new Promise(resolve => setTimeout(() => resolve({ settled: "still pending" }), 500)),
      ]).then(json));
      return;
    case "post":
      e.respondWith((async () => ({
        method: e.request.method,
        contentType: e.request.headers.get("Content-Type"),
        bytes: Array.from(new Uint8Array(await e.request.arrayBuffer())),
      }))().then(json));
      return;
    case "read-then-fallback":
      // Reads the body, and leaves the request to the network.
      e.waitUntil(e.request.text().then(text => report(e, token, { text })));
      return;

    // The event's lifetime.
    case "handled": {
      let responded = false;
      e.waitUntil(e.handled.then(() => "resolved", err => "rejected: " + err.name)
        .then(handled => report(e, token, { handled, afterResponse: responded })));
      const then = params.get("then");
      if (then === "respond") {
        e.respondWith(new Promise(resolve => setTimeout(() => {
          responded = true;
          resolve(new Response("handled"));
        }, 20)));
      } else if (then === "cancel") {
        e.preventDefault();
      } else if (then === "reject") {
        e.respondWith(Promise.reject(new Error("rejected by the worker")));
      }
      return;  // "fallback": nothing
    }
    case "twice": {
      let resolve;
      e.respondWith(new Promise(r => { resolve = r; }));
      const second = errorName(() => e.respondWith(new Response("second")));
      // After the dispatch: whether the next listener ran.
      setTimeout(() => resolve(json({
        second,
        reachedSecondListener: reachedSecondListener.has(e),
        defaultPrevented: e.defaultPrevented,
      })), 0);
      return;
    }
    case "no-respond-with":
      e.waitUntil(new Promise(resolve => setTimeout(resolve, 0))
        .then(() => report(e, token, { reachedSecondListener: reachedSecondListener.has(e) })));
      return;
    case "late":
      e.waitUntil(new Promise(resolve => setTimeout(resolve, 0)).then(() => {
        const late = errorName(() => e.respondWith(new Response("too late")));
        return report(e, token, { late });
      }));
      return;
    case "wait-until": {
      const later = new Promise(resolve => setTimeout(resolve, 20));
      let during = "did not run";
      e.waitUntil(later.then(() => {
        // This lifetime promise is still pending: the event is active.
        during = errorName(() => e.waitUntil(Promise.resolve()));
      }));
      e.respondWith(new Response("waiting"));
      // Not a lifetime promise: once `later` and its follow-ups settled, the event is over.
      later.then(() => new Promise(resolve => setTimeout(resolve, 20))).then(() => {
        const after = errorName(() => e.waitUntil(Promise.resolve()));
        return report(e, token, { during, after });
      });
      return;
    }

    // The worker's own fetch().
    case "self-fetch":
      e.respondWith(fetch(params.get("url")).then(async r => {
        const bytes = new Uint8Array(await r.arrayBuffer());
        return json({ status: r.status, length: bytes.length,
                      text: new TextDecoder().decode(bytes.slice(0, 2000)) });
      }, err => json({ error: err.name })));
      return;

    // Scripts for a dedicated worker.
    case "worker-script":
      e.respondWith(describe(e).then(info => new Response(workerScript(info, e.request.url),
                                                          { headers: JAVASCRIPT })));
      return;
    case "import-script":
      e.respondWith(describe(e).then(info => new Response(
        `self.importEvent = ${JSON.stringify(info)};\n`, { headers: JAVASCRIPT })));
      return;
  }
  e.respondWith(Response.error());  // an unknown case
});

self.addEventListener("fetch", e => reachedSecondListener.add(e));
