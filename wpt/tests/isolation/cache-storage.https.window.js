// META: title=Isolation: one origin cannot enumerate, open, match or delete another origin's caches (Service Workers, CacheStorage; Storage Standard storage keys)
// META: script=resources/ops.js
// META: script=resources/helpers.js
"use strict";

// The name to cache map is the storage key's ("relevant name to cache map" of the
// environment settings object): a cache of the same name in another origin is another
// cache.
// https://w3c.github.io/ServiceWorker/#relevant-name-to-cache-map

const NAME = "isolation-cache";
const ENTRY = HERE + "cached-entry";

for (const [otherKind, observerKind] of [["window", "window"], ["window", "worker"], ["worker", "window"], ["worker", "worker"]]) {
  promise_test(async t => {
    const other = await otherOrigin(t);
    const actor = other[otherKind];
    const observer = observerKind === "window" ? thisWindow : await thisWorker(t);
    const name = `${NAME}-${otherKind}-${observerKind}`;
    const otherUrl = CROSS_ORIGIN + ENTRY;
    const ownUrl = self.origin + ENTRY;
    other.cleanup(() => actor.run("cache-delete", { name }));
    t.add_cleanup(() => thisWindow.run("cache-delete", { name }));

    assert_array_equals(await actor.run("cache-put", { name, url: otherUrl, text: "the other origin's" }), [otherUrl]);
    // The positive control: the other origin finds its cache and entry.
    const theirs = await actor.run("cache-state", { name, url: otherUrl });
    assert_true(theirs.names.includes(name), "the other origin lists its cache");
    assert_equals(theirs.match, "the other origin's", "the other origin matches its entry");

    // This origin: no such cache, nothing to match, by the other origin's URL or its own.
    const before = await observer.run("cache-state", { name, url: otherUrl });
    assert_false(before.names.includes(name), "caches.keys() lacks the other origin's cache");
    assert_false(before.has, "caches.has() is false");
    assert_equals(before.match, null, "caches.match() of the other origin's URL finds nothing");
    assert_equals((await observer.run("cache-state", { name, url: ownUrl })).match, null,
                  "caches.match() of the same path on this origin finds nothing");
    assert_false(await observer.run("cache-delete", { name }), "caches.delete() has nothing to delete");

    // open() of the same name makes this origin's own, empty cache.
    assert_array_equals(await observer.run("cache-open", { name }), [], "caches.open() of the same name is empty");
    assert_array_equals(await observer.run("cache-put", { name, url: ownUrl, text: "this origin's" }), [ownUrl],
                        "this origin's cache holds its own entry only");
    const after = await observer.run("cache-state", { name, url: otherUrl });
    assert_true(after.has);
    assert_equals(after.match, null, "still nothing of the other origin");
    assert_array_equals(after.entries.map(e => e.join(": ")), [ownUrl + ": this origin's"]);

    // The other origin's cache did not change; deleting this origin's leaves it there.
    assert_true(await observer.run("cache-delete", { name }), "this origin deletes its own cache");
    const theirsAfter = await actor.run("cache-state", { name, url: ownUrl });
    assert_true(theirsAfter.has, "the other origin's cache outlives this origin's delete()");
    assert_equals(theirsAfter.match, null, "the other origin does not match this origin's entry");
    assert_array_equals(theirsAfter.entries.map(e => e.join(": ")), [otherUrl + ": the other origin's"]);
  }, `The other origin's cache (made in its ${otherKind}) is invisible to this origin's ${observerKind}; the same name is another cache`);
}
