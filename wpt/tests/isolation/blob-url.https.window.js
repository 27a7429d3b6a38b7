// META: title=Isolation: a blob URL another origin made cannot be fetched or revoked by this origin (FileAPI §8.3; Fetch "main fetch" and "scheme fetch")
// META: script=resources/ops.js
// META: script=resources/helpers.js
"use strict";

// fetch() of a blob: URL whose origin is not the request's origin is a network error: in
// "cors" mode main fetch refuses any non-HTTP(S) URL of another origin, and in every mode
// the blob URL entry may only be obtained by an environment of its own storage key
// ("obtain a blob object"); the rejection is a TypeError. revokeObjectURL() of another
// origin's URL does nothing.
// https://fetch.spec.whatwg.org/#main-fetch
// https://fetch.spec.whatwg.org/#scheme-fetch (blob)
// https://w3c.github.io/FileAPI/#dfn-revokeObjectURL (step 3)

for (const otherKind of ["window", "worker"]) {
  promise_test(async t => {
    const other = await otherOrigin(t);
    const actor = other[otherKind];
    const url = await actor.run("blob-create", { text: `made by the other origin's ${otherKind}` });
    assert_true(url.startsWith("blob:" + CROSS_ORIGIN + "/"), `a blob URL of the other origin: ${url}`);
    // The positive control: the other origin fetches it (window and worker share the store).
    for (const owner of [other.window, other.worker]) {
      assert_equals(await owner.run("blob-fetch", { url }), `body: made by the other origin's ${otherKind}`,
                    `${owner.name} fetches the URL`);
    }
    for (const observer of [thisWindow, await thisWorker(t)]) {
      for (const mode of ["cors", "no-cors", "same-origin"]) {
        assert_equals(await observer.run("blob-fetch", { url, mode }), "rejected: TypeError",
                      `${observer.name}: fetch() in ${mode} mode is a network error`);
      }
      await observer.run("blob-revoke", { url });
    }
    assert_equals(await actor.run("blob-fetch", { url }), `body: made by the other origin's ${otherKind}`,
                  "this origin's revokeObjectURL() did not revoke the other origin's URL");

    // And the other way round: this origin's URL works here, not there.
    const own = await thisWindow.run("blob-create", { text: "this origin's" });
    t.add_cleanup(() => URL.revokeObjectURL(own));
    assert_equals(await thisWindow.run("blob-fetch", { url: own }), "body: this origin's");
    assert_equals(await actor.run("blob-fetch", { url: own }), "rejected: TypeError",
                  `${actor.name} cannot fetch this origin's URL`);
    assert_equals(await actor.run("blob-fetch", { url: own, mode: "no-cors" }), "rejected: TypeError");
  }, `A blob URL made by the other origin's ${otherKind} is a network error for this origin's window and worker, and the other way round`);
}
