// The actions an origin performs in the isolation tests, in a window or a dedicated worker
// of that origin: each takes plain arguments and resolves with a structured-cloneable
// result, so the same operation can run here, in this origin's worker, in the other
// origin's frame (other-origin.html) or in that frame's worker (worker.js).
"use strict";

// Open BroadcastChannels of this global, by a key the caller chooses, with what each got.
const channels = new Map();

// A service worker registration of this origin at `scope` (resolved against the caller's
// base URL: the test passes it absolute).
async function registrationAt(scope) {
  const registration = await navigator.serviceWorker.getRegistration(scope);
  if (!registration || registration.scope !== scope) {
    throw new Error(`no registration at ${scope} in ${self.origin}`);
  }
  return registration;
}

function describeFetch(r) {
  if (!r) return null;
  return {
    id: r.id, result: r.result, failureReason: r.failureReason,
    downloadTotal: r.downloadTotal, uploadTotal: r.uploadTotal,
  };
}

function openDb(name, upgrade) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    let oldVersion = null;
    let stores = null;
    request.onupgradeneeded = e => {
      oldVersion = e.oldVersion;
      stores = Array.from(request.result.objectStoreNames);
      if (upgrade) upgrade(request.result);
    };
    request.onsuccess = () => resolve({ db: request.result, oldVersion, stores });
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`opening ${name} is blocked`));
  });
}

const OPS = {
  origin: async () => self.origin,

  // Service workers (windows only: register() from a window of this origin).
  "sw-register": async ({ script, scope }) => {
    const old = await navigator.serviceWorker.getRegistration(scope);
    if (old && old.scope === scope) await old.unregister();
    const registration = await navigator.serviceWorker.register(script, { scope });
    const worker = registration.installing || registration.waiting || registration.active;
    if (worker.state !== "activated") {
      await new Promise(resolve => worker.addEventListener("statechange", () => {
        if (worker.state === "activated") resolve();
      }));
    }
    return registration.scope;
  },
  "sw-unregister": async ({ scope }) => (await registrationAt(scope)).unregister(),
  "sw-scopes": async () =>
    (await navigator.serviceWorker.getRegistrations()).map(r => r.scope),
  // getRegistration(url): "undefined", a scope, or the rejection's name.
  "sw-get": async ({ url }) => {
    try {
      const r = await navigator.serviceWorker.getRegistration(url);
      return r === undefined ? "undefined" : r.scope;
    } catch (e) {
      return "rejected: " + e.name;
    }
  },

  // Background fetch, through this origin's registration at `scope`.
  "bgf-fetch": async ({ scope, id, url, downloadTotal = 0 }) => {
    const manager = (await registrationAt(scope)).backgroundFetch;
    return describeFetch(await manager.fetch(id, [url], { downloadTotal }));
  },
  // getIds(), get(id), its records' URLs (matchAll()) and, given `match`, the URLs of
  // the records match(`match`) finds (match() gives the first only: "matchAll" with it).
  "bgf-state": async ({ scope, id, match }) => {
    const manager = (await registrationAt(scope)).backgroundFetch;
    const registration = await manager.get(id);
    const state = { ids: await manager.getIds(), fetch: describeFetch(registration), records: null, matched: null };
    if (registration) {
      state.records = (await registration.matchAll()).map(r => r.request.url);
      if (match) {
        const record = await registration.match(match);
        state.matched = record ? record.request.url : "none";
      }
    }
    return state;
  },
  "bgf-abort": async ({ scope, id }) => {
    const registration = await (await registrationAt(scope)).backgroundFetch.get(id);
    return registration ? registration.abort() : "none";
  },

  // Cache API.
  "cache-put": async ({ name, url, text }) => {
    const cache = await caches.open(name);
    await cache.put(url, new Response(text));
    return (await cache.keys()).map(r => r.url);
  },
  "cache-state": async ({ name, url }) => {
    const state = { names: await caches.keys(), has: await caches.has(name), match: null, entries: null };
    const matched = await caches.match(url);
    state.match = matched ? await matched.text() : null;
    if (state.has) {
      const cache = await caches.open(name);
      state.entries = [];
      for (const request of await cache.keys()) {
        state.entries.push([request.url, await (await cache.match(request)).text()]);
      }
    }
    return state;
  },
  // caches.open(name) (it creates the cache if there is none): its entries.
  "cache-open": async ({ name }) => {
    const cache = await caches.open(name);
    return (await cache.keys()).map(r => r.url);
  },
  "cache-delete": async ({ name }) => caches.delete(name),

  // Blob URLs.
  "blob-create": async ({ text }) => URL.createObjectURL(new Blob([text], { type: "text/plain" })),
  // fetch(url) in `mode`: the body, or the rejection's name.
  "blob-fetch": async ({ url, mode = "cors" }) => {
    try {
      return "body: " + await (await fetch(url, { mode })).text();
    } catch (e) {
      return "rejected: " + e.name;
    }
  },
  "blob-revoke": async ({ url }) => { URL.revokeObjectURL(url); },

  // BroadcastChannel: `key` names this global's channel object.
  "bc-open": async ({ key, name }) => {
    const channel = new BroadcastChannel(name);
    const entry = { channel, received: [] };
    channel.onmessage = e => entry.received.push(e.data);
    channels.set(key, entry);
  },
  "bc-post": async ({ key, data }) => { channels.get(key).channel.postMessage(data); },
  "bc-received": async ({ key }) => channels.get(key).received.slice(),
  "bc-close": async ({ key }) => {
    channels.get(key).channel.close();
    channels.delete(key);
  },

  // IndexedDB.
  "idb-create": async ({ name, bytes }) => {
    const { db } = await openDb(name, db => db.createObjectStore("store"));
    const tx = db.transaction("store", "readwrite");
    tx.objectStore("store").put(new Uint8Array(bytes).fill(7), "value");
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    db.close();
    return OPS["idb-names"]();
  },
  "idb-names": async () => {
    if (typeof indexedDB.databases !== "function") return "unsupported";
    return (await indexedDB.databases()).map(d => d.name);
  },
  // open(name): the version it had before (0: a new database) and its object stores then.
  "idb-open": async ({ name }) => {
    const { db, oldVersion, stores } = await openDb(name);
    const result = { oldVersion, stores, storesNow: Array.from(db.objectStoreNames), version: db.version };
    db.close();
    return result;
  },
  "idb-delete": async ({ name }) => new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve(true);
    request.onerror = () => reject(request.error);
  }),

  // The Storage Standard's estimate of this origin's usage.
  "usage": async () => {
    if (!navigator.storage || typeof navigator.storage.estimate !== "function") return "unsupported";
    return (await navigator.storage.estimate()).usage;
  },
};

// Runs one request `{op, args}`: `{result}` or `{error}` (a string: name and message).
async function perform({ op, args }) {
  if (!(op in OPS)) return { error: "unknown op " + op };
  try {
    return { result: await OPS[op](args || {}) };
  } catch (e) {
    return { error: `${e && e.name}: ${e && e.message}` };
  }
}
